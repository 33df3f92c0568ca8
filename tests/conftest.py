"""Shared fixtures: the app served on a free local port, and a headless Chromium page (browser tests)."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from model.paths import DOCS_DIR, PROJECT_ROOT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(autouse=True)
def review_folder(tmp_path_factory, monkeypatch) -> Path:
    """Every test saves teachers' reviews in a folder of its own, never in ~/.slant/reviews."""
    folder = tmp_path_factory.mktemp("reviews")
    monkeypatch.setenv("SLANT_REVIEWS", str(folder))
    return folder


@contextmanager
def serve(tmp_path_factory, reviews: Path | None = None):
    """`streamlit run app.py` on a free localhost port, its reviews in `reviews` (a new folder when None); yields
    its URL and stops it afterwards."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("app_server") / "streamlit.log"
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false"]
    env = os.environ | {"SLANT_REVIEWS": str(reviews or tmp_path_factory.mktemp("server_reviews"))}
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 60
        while not _healthy(url):
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with {process.returncode}:\n{log.read_text(errors='replace')}")
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not answer on {url} within 60 s:\n{log.read_text(errors='replace')}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """The app on a free localhost port (reviews in a folder of its own); yields its URL."""
    with serve(tmp_path_factory) as url:
        yield url


@pytest.fixture(scope="module")
def reviewing_server(tmp_path_factory):
    """The app for a module whose saved reviews must not reach other tests: (URL, its review folder)."""
    reviews = tmp_path_factory.mktemp("reviewing_server")
    with serve(tmp_path_factory, reviews) as url:
        yield url, reviews


@pytest.fixture(scope="session")
def _browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium); browser tests need it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser):
    """A fresh page (1400 x 1600) whose alert/confirm/prompt dialogs are recorded in `page.dialogs` and dismissed."""
    context = _browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.dialogs = []

    def record(dialog):
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", record)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where browser tests save their screenshots: docs/ (the README's pictures) only when SLANT_SCREENSHOTS=1, so
    that an ordinary test run leaves the work tree as it was."""
    return DOCS_DIR if os.environ.get("SLANT_SCREENSHOTS") == "1" else tmp_path
