"""One session with the app, for tests/test_offline.py: serve it, paste an article in Chromium, report what happened.

Run inside a network namespace with only loopback up (`unshare -rn`), so that nothing can leave the machine:
    SLANT_PASTE=<text> SLANT_SERVER_LOG=<file> python tests/offline_app_session.py
The server runs with tests/network_guard.py installed (every attempt to reach another host goes to its log as a
`NETWORK:` line). Prints one JSON object: {"shown", "dialogs", "requests_outside"}. The pasted text is never printed.
"""
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, _healthy  # noqa: E402

SERVER = """import sys
import tests.network_guard
tests.network_guard.install()
from streamlit.web.cli import main
sys.argv = ["streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1",
            "--server.port", sys.argv[1]]
main()
"""


def main() -> int:
    paste, log = os.environ["SLANT_PASTE"], Path(os.environ["SLANT_SERVER_LOG"])
    root = Path(__file__).resolve().parent.parent
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], cwd=root, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                print(json.dumps({"error": "the server did not start"}))
                return 1
            time.sleep(0.3)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            requests, dialogs = [], []
            page.on("request", lambda request: requests.append(request.url))
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(f"{url}/analyse")
            box = page.get_by_label("Article text")
            box.wait_for(timeout=90_000)
            page.get_by_label("Title (optional)").fill(paste[:60])
            box.fill(paste)
            box.press("Control+Enter")
            page.wait_for_selector(".slant-text mark", timeout=90_000)
            shown = page.evaluate("t => document.querySelector('.slant-text').textContent === t", paste)
            page.get_by_role("button", name="Add to comparison").click()
            page.get_by_text("to Compare sources").wait_for(timeout=30_000)
            browser.close()
        outside = sorted({u for u in requests if urlsplit(u).hostname not in {"127.0.0.1", None}})
        print(json.dumps({"shown": shown, "dialogs": dialogs, "requests_outside": outside}))
        return 0
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


if __name__ == "__main__":
    sys.exit(main())
