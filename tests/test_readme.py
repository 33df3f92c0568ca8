"""The README's commands are real: each one is run here, or by the test or CI step named for it below."""
import json
import re
import shlex
import subprocess
import sys

import pytest

from model.paths import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = [line.strip() for block in re.findall(r"```bash\n(.*?)```", README, re.S) for line in block.splitlines()
            if line.strip()]

# Commands too slow or too stateful to run from here, and what runs them.
RUN_ELSEWHERE = {
    "python3 -m venv .venv && .venv/bin/pip install -r requirements.txt && .venv/bin/streamlit run app.py":
        ".ci/run installs requirements.txt (through requirements-dev.txt); tests/conftest.py app_server runs "
        "`streamlit run app.py`",
    "bash .ci/run": "CI itself",
    ".venv/bin/python -m model train": ".ci/run --full (retrains into a temporary folder and compares with "
                                       "model/weights within tolerances)",
    ".venv/bin/python -m model evaluate": ".ci/run --full (with ../shared beside the checkout)",
    ".venv/bin/python -m model train --reviews ~/.slant/reviews --review-texts my-articles/ --out reviewed-model/":
        "tests/test_train_reviews.py (the command line with a review folder; the build itself as for `train`)",
    ".venv/bin/python benchmarks/bench_model.py": "tests/test_benchmarks.py (its quick mode)",
    ".venv/bin/python benchmarks/bench_load.py": "tests/test_benchmarks.py (its quick mode)",
    ".venv/bin/python benchmarks/bench_corpus.py": "tests/test_benchmarks.py (its quick mode)",
}
CI_SCRIPT = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_readme_gives_exactly_two_setup_commands():
    setup = README.split("## Two commands", 1)[1].split("\n## ", 1)[0]
    assert len(re.findall(r"```bash\n", setup)) == 2


def test_every_readme_command_is_run_somewhere():
    label_commands = [c for c in COMMANDS if " -m model label" in c]
    assert label_commands, "the README shows how to label files"
    assert set(COMMANDS) - set(label_commands) == set(RUN_ELSEWHERE)


@pytest.mark.parametrize("command", ["-m model train", "-m model evaluate"])
def test_ci_runs_the_slow_model_commands(command):
    assert command in CI_SCRIPT


@pytest.mark.parametrize("command", [c for c in COMMANDS if " -m model label" in c])
def test_readme_label_command_runs(command):
    shell = command.replace(".venv/bin/python", shlex.quote(sys.executable))
    run = subprocess.run(shell, shell=True, capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120)
    assert run.returncode == 0, run.stderr
    results = [json.loads(line) for line in run.stdout.splitlines()]
    assert results and all(isinstance(r["spans"], list) for r in results)


def test_the_readme_the_page_and_the_server_agree_on_the_limits():
    """Issue 19: the uploader said "5MB per file" and the page and README disagreed on the words (15,000 or 17,000)."""
    import tomllib

    from model.textio import MAX_CHARS, about_words

    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    analyse = (PROJECT_ROOT / "views" / "analyse.py").read_text(encoding="utf-8")
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    upload_mb = int(re.search(r"^UPLOAD_MB = (\d+)", analyse, re.M).group(1))
    assert config["server"]["maxUploadSize"] == upload_mb
    assert f"{MAX_CHARS:,} characters (about {about_words(MAX_CHARS):,} words)" in readme
    assert f"files of up to {upload_mb} MB" in readme
