"""Private and offline: Slant works with no network, never tries to reach one, sends no usage statistics, and
never writes pasted text to disk or to its logs."""
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
import uuid
from pathlib import Path

import pytest

from model.paths import PROJECT_ROOT, SEEDS_DIR
from tests.conftest import CHROMIUM
from tests.network_guard import PREFIX


def _network_namespace_works() -> bool:
    try:
        return subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


NO_NETWORK = _network_namespace_works()
needs_namespace = pytest.mark.skipif(not NO_NETWORK, reason="`unshare -rn` (a network namespace) is not allowed here")
ARTICLE = (SEEDS_DIR / "002_c70691d1e71aca73.txt").read_text(encoding="utf-8")


def offline(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run `command` in a new network namespace where only loopback is up: there is no network to reach."""
    script = 'ip link set lo up 2>/dev/null; exec "$@"'
    return subprocess.run(["unshare", "-rn", "sh", "-c", script, "sh", *command], cwd=PROJECT_ROOT,
                          capture_output=True, text=True, **kwargs)


def guarded_python(code: str) -> list[str]:
    """`python -c code` with tests/network_guard.py installed first."""
    return [sys.executable, "-c", f"import tests.network_guard as g; g.install()\n{code}"]


def network_attempts(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(PREFIX)]


def test_the_guard_sees_an_attempt_to_reach_another_host():
    code = ("import socket\ntry:\n    socket.create_connection(('192.0.2.1', 80), timeout=0.01)\n"
            "except OSError:\n    pass\n")
    run = subprocess.run(guarded_python(code), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert f"{PREFIX} socket.connect 192.0.2.1" in network_attempts(run.stderr)


@needs_namespace
def test_the_command_line_labels_without_a_network_and_tries_none():
    seed = str(SEEDS_DIR / "002_c70691d1e71aca73.txt")
    run = offline(guarded_python(f"import sys\nfrom model.__main__ import main\nsys.exit(main(['label', {seed!r}]))"),
                  timeout=120)
    assert run.returncode == 0, run.stderr
    assert network_attempts(run.stderr) == []
    assert json.loads(run.stdout)["spans"]


@needs_namespace
def test_the_app_runs_headless_without_a_network_and_tries_none():
    code = f"""
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app.py", default_timeout=120).run()
at.switch_page("views/analyse.py").run()
at.text_area(key="article").input({ARTICLE!r})
at.button(key="analyse").click().run()
assert not at.exception, at.exception
assert any("<mark" in m.value for m in at.markdown), "no highlighted spans"
print("ANALYSED")
"""
    run = offline(guarded_python(code), timeout=300)
    assert run.returncode == 0 and "ANALYSED" in run.stdout, run.stderr[-3000:]
    assert network_attempts(run.stderr) == []


def test_usage_statistics_are_off():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False
    # And Streamlit itself reads it so when started from the project folder.
    code = ("from streamlit import config\nconfig.get_config_options(force_reparse=True)\n"
            "print(config.get_option('browser.gatherUsageStats'))")
    run = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "False", run.stderr


# Not searched: Chromium's own profile (the browser's, not Slant's), what the machine running these sessions keeps,
# and tool chains, git's compressed objects and the virtual environment (about 280,000 files that Slant never writes).
SKIPPED = ("playwright", "bash_", ".org.chromium", ".git", ".venv", ".pyenv", ".rustup", ".cargo", ".m2", ".npm",
           "node_modules")


def _files_written_since(start: float, roots: list[Path]) -> list[Path]:
    """Files under `roots` modified since `start`."""
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if not d.startswith(SKIPPED)]
            for name in files:
                path = Path(folder, name)
                try:
                    if path.stat().st_mtime >= start and path.stat().st_size < 50_000_000:
                        found.append(path)
                except OSError:
                    pass
    return found


@needs_namespace
@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing (apt-get install chromium)")
def test_pasted_text_is_never_sent_stored_or_logged(tmp_path):
    marker = f"SlantPrivacyMarker{uuid.uuid4().hex}"
    middle = len(ARTICLE) // 2
    pasted = f"{ARTICLE[:middle]} {marker} {ARTICLE[middle:]}"
    log = tmp_path / "server.log"
    start = time.time() - 1
    env = {**os.environ, "SLANT_PASTE": pasted, "SLANT_SERVER_LOG": str(log)}
    run = offline([sys.executable, "tests/offline_app_session.py"], env=env, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr[-3000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result == {"shown": True, "dialogs": [], "requests_outside": []}
    server_log = log.read_text(encoding="utf-8", errors="replace")
    assert network_attempts(server_log) == []
    assert marker not in server_log and marker not in run.stdout and marker not in run.stderr
    roots = [PROJECT_ROOT, Path(tempfile.gettempdir()), Path.home()]
    written = _files_written_since(start, roots)
    assert log in written  # the scan sees what this session wrote
    holding = [p for p in written if marker.encode() in _read(p)]
    assert holding == []


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # gone already (another program's temporary file)
        return b""
