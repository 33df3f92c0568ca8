"""What a person sees, in headless Chromium: the seeds side by side, a pasted article highlighted, tooltips, and
pasted markup shown as text, never run. Saves docs/screenshot.png (shown in the README) when SLANT_SCREENSHOTS=1."""
import re

import pytest

from model.data import load_seeds
from model.techniques import DEFINITIONS

pytestmark = pytest.mark.browser

ARTICLE = next(a for a in load_seeds() if a.name.startswith("002")).text
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(2)>',
           "<a href=\"javascript:alert(3)\">click</a>", "[link](javascript:alert(4)) ![x](x)"]
# Markdown and Streamlit's own syntax must not be interpreted either: the text is shown as typed.
MARKDOWN = ["*not bold* __nor this__", "# not a heading", "    not code", "$x^2$ :red[not red] :smile:"]
WAIT = 60_000


def tooltip(page, mark) -> str:
    """The text of a mark's CSS tooltip as the browser draws it (the ::after pseudo-element's content, a CSS string
    such as `"a\\a b"`, decoded), or "none" when no tooltip is drawn."""
    content = page.evaluate("m => getComputedStyle(m, '::after').content", mark.element_handle())
    if content == "none":
        return content
    escape = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)", re.DOTALL)
    return escape.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), content[1:-1])


def paste(page, url, text):
    page.goto(f"{url}/analyse")
    box = page.get_by_label("Article text")
    box.wait_for(timeout=WAIT)
    box.fill(text)
    box.press("Control+Enter")


def test_the_app_opens_on_the_seeds_side_by_side_highlighted(app_server, browser_page, screenshot_dir):
    page = browser_page
    page.goto(app_server)
    page.wait_for_selector(".slant-text mark", timeout=WAIT)
    texts = page.locator(".slant-text")
    assert texts.count() == 2
    boxes = [texts.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"]  # side by side, not one under the other
    assert abs(boxes[0]["y"] - boxes[1]["y"]) < 80
    seeds = load_seeds()
    assert page.get_by_role("heading", name=seeds[0].title).first.is_visible()
    page.wait_for_selector("canvas, svg.marks", timeout=WAIT)  # the charts are drawn
    page.wait_for_timeout(1000)

    mark = page.locator(".slant-text mark").first
    mark.scroll_into_view_if_needed()
    mark.hover()
    shown = tooltip(page, mark)
    assert any(definition in shown for definition in DEFINITIONS.values()), shown
    # The README's screenshot: the top of the page, with the tooltip of the first highlight in view open.
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("h1").first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    in_view = [m for m in page.locator(".slant-text mark").all() if (m.bounding_box() or {"y": 1e9})["y"] < 1200]
    if in_view:
        in_view[0].hover()
        page.wait_for_timeout(300)
    page.screenshot(path=str(screenshot_dir / "screenshot.png"))
    assert (screenshot_dir / "screenshot.png").stat().st_size > 10_000


def test_a_pasted_article_gets_highlights_and_tooltips(app_server, browser_page):
    page = browser_page
    paste(page, app_server, ARTICLE)
    page.wait_for_selector(".slant-text mark", timeout=WAIT)
    marks = page.locator(".slant-text mark")
    assert marks.count() > 0
    assert page.locator(".slant-text").inner_text().strip() == ARTICLE.strip()

    mark = marks.first
    assert tooltip(page, mark) == "none"  # hidden until hovered or clicked
    mark.hover()
    shown = tooltip(page, mark)
    technique = mark.get_attribute("data-techniques").split()[0]
    assert DEFINITIONS[technique] in shown
    assert "score" in shown
    page.mouse.move(0, 0)
    mark.click()  # a click (focus) keeps it open: touch screens, keyboards
    assert DEFINITIONS[technique] in tooltip(page, mark)


def test_pasted_markup_shows_as_text_and_never_runs(app_server, browser_page):
    page = browser_page
    text = "The ruling gang wrote:\n" + "\n\n".join(HOSTILE + MARKDOWN) + "\nin a bloodbath of lies."
    paste(page, app_server, text)
    page.wait_for_selector(".slant-text", timeout=WAIT)
    page.wait_for_timeout(1500)
    shown = page.locator(".slant-text").inner_text()
    for payload in HOSTILE + MARKDOWN:
        assert payload in shown
    added = ["img", "script", "svg", "a", "em", "strong", "h1", "code", ".katex"]
    assert page.locator(", ".join(f".slant-text {element}" for element in added)).count() == 0
    assert page.dialogs == []


def test_an_uploaded_html_page_is_reduced_to_its_text(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/analyse")
    page.get_by_label("Article text").wait_for(timeout=WAIT)
    markup = ("<html><head><title>T</title><script>alert('head')</script></head><body><h1>Puppets of the West</h1>"
              "<p>The ruling gang staged a <b>bloodbath</b>.</p><img src=x onerror=alert(5)></body></html>")
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "page.html", "mimeType": "text/html", "buffer": markup.encode()}])
    page.wait_for_selector(".slant-text", timeout=WAIT)
    shown = page.locator(".slant-text").inner_text()
    assert "The ruling gang staged a bloodbath." in shown
    assert "<b>" not in shown and "alert" not in shown  # reduced to its words; the script is dropped
    assert page.dialogs == []


def test_a_tooltip_at_the_bottom_of_the_screen_opens_above_its_mark(app_server, browser_page):
    """Issue 19: long tooltips ran off the bottom of a 768-pixel screen. Where the browser anchors them (Chromium
    here), a mark on the last line of the window shows its tooltip above itself, inside the window."""
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(app_server)
    marks = page.get_by_test_id("stMain").locator(".slant-text mark[data-tip]")
    marks.first.wait_for(timeout=WAIT)
    mark = marks.nth(20)
    # The table and the chart above the texts are drawn after them and can push the mark down: wait until it stays.
    where = "e => e.getBoundingClientRect().top + window.scrollY"
    previous = None
    for _ in range(40):
        now = mark.evaluate(where)
        if now == previous:
            break
        previous = now
        page.wait_for_timeout(250)
    mark.evaluate("e => e.scrollIntoView({block: 'end'})")
    page.wait_for_timeout(500)
    box = mark.bounding_box()
    assert box["y"] + box["height"] > 700  # the last line of the window: no room below for a tooltip
    mark.hover()
    page.wait_for_timeout(300)
    # The tooltip is the mark's own ::after box: the point just above the mark hits the mark when it opened upwards.
    hits_it = """e => { const r = e.getBoundingClientRect();
                        const m = document.elementFromPoint(r.left + 5, r.top - 25)?.closest('mark') ?? null;
                        return m !== null && (m === e || e.contains(m) || m.contains(e)); }"""
    assert mark.evaluate(hits_it), "the tooltip did not open above its mark"
    page.mouse.move(5, 5)
    page.wait_for_timeout(300)
    assert not mark.evaluate(hits_it)  # and it closes with the hover
