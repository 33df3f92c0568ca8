"""Steps the browser tests share: what a user does on a page, in headless Chromium."""
WAIT = 60_000  # ms: a page of the app on a busy 2-core machine


def paste(page, url, text):
    """Paste `text` on Analyse and ask for its highlights (Ctrl+Enter)."""
    page.goto(f"{url}/analyse")
    box = page.get_by_label("Article text")
    box.wait_for(timeout=WAIT)
    box.fill(text)
    box.press("Control+Enter")
