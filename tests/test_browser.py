"""What a person sees, in headless Chromium: the seeds side by side, a pasted article highlighted, tooltips, and
pasted markup shown as text, never run. Saves docs/screenshot.png (shown in the README) when SLANT_SCREENSHOTS=1."""
import re

import pytest
from playwright.sync_api import expect

from model.data import load_page_furniture, load_seeds
from model.techniques import DEFINITIONS
from tests.browser_steps import WAIT, paste
from ui.classroom import split_sentences
from ui.render import escape_markdown

pytestmark = pytest.mark.browser

ARTICLE = next(a for a in load_seeds() if a.name.startswith("002")).text
HOSTILE = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(2)>',
           "<a href=\"javascript:alert(3)\">click</a>", "[link](javascript:alert(4)) ![x](x)"]
# Markdown and Streamlit's own syntax must not be interpreted either: the text is shown as typed.
MARKDOWN = ["*not bold* __nor this__", "# not a heading", "    not code", "$x^2$ :red[not red] :smile:"]


def tooltip(page, mark) -> str:
    """The text of a mark's CSS tooltip as the browser draws it (the ::after pseudo-element's content, a CSS string
    such as `"a\\a b"`, decoded), or "none" when no tooltip is drawn."""
    content = page.evaluate("m => getComputedStyle(m, '::after').content", mark.element_handle())
    if content == "none":
        return content
    escape = re.compile(r"\\([0-9a-fA-F]{1,6}) ?|\\(.)", re.DOTALL)
    return escape.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), content[1:-1])


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


PAGE_LINKS = {"compare": "Compare sources", "analyse": "Analyse your text", "explain": "How it works",
              "spot": "Class: spot it, then reveal", "rewrite": "Class: rewrite it neutrally",
              "quiz": "Class: which one is loaded?", "handout": "Class: handout"}
PAGE_TITLES = {"compare": "Compare sources", "analyse": "Analyse your text", "explain": "How it works",
               "spot": "Spot it, then reveal", "rewrite": "Rewrite it neutrally", "quiz": "Which one is loaded?",
               "handout": "Handout"}


def go(page, name):
    """Open a page the way a user does, from the sidebar's navigation (the browser session goes on)."""
    page.get_by_test_id("stSidebarNav").get_by_text(PAGE_LINKS[name], exact=True).click()
    page.get_by_test_id("stMain").get_by_role("heading", name=PAGE_TITLES[name], exact=True).wait_for(timeout=WAIT)
    page.wait_for_timeout(1500)  # the page's script has run to its end


def choose(page, label, option):
    """Pick `option` in the select box labelled `label`."""
    page.get_by_test_id("stMain").get_by_label(label, exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    page.wait_for_timeout(1000)


def test_every_page_keeps_what_was_typed_chosen_and_ticked_across_page_changes(app_server, browser_page):
    """Issue 31: a page change emptied Analyse's text, title and source, reset Spot's article, technique and ticks
    and Rewrite's sentence and text. Each page is filled, left for another, and found as it was left."""
    day_five = next(a for a in load_seeds() if a.name.startswith("003"))
    sentences = split_sentences(day_five.text, load_page_furniture()[day_five.name])

    page = browser_page
    page.goto(app_server)
    main = page.get_by_test_id("stMain")
    main.locator(".slant-text mark").first.wait_for(timeout=WAIT)

    go(page, "analyse")
    main.get_by_label("Article text").fill(ARTICLE)
    main.get_by_label("Title (optional)").fill("Our class article")
    main.get_by_label("Source name (optional)").fill("The Daily Example")
    main.get_by_label("Source name (optional)").press("Enter")
    main.get_by_role("button", name="Analyse", exact=True).click()
    main.locator(".slant-text mark").first.wait_for(timeout=WAIT)
    highlights = main.locator(".slant-text mark").count()

    go(page, "spot")
    choose(page, "Article", day_five.title)
    main.get_by_role("radiogroup", name="Technique").get_by_text("Name calling", exact=True).click()
    page.wait_for_timeout(1000)
    for index in (4, 5):  # sentences 5 and 6
        main.get_by_text(f"({index + 1}) {sentences[index].text}", exact=True).click()
        page.wait_for_timeout(500)

    go(page, "rewrite")
    sentence_box = main.get_by_role("combobox", name="Sentence")
    sentence_box.click()
    page.get_by_role("option").nth(2).click()
    page.wait_for_timeout(1000)
    chosen_sentence = sentence_box.input_value()
    main.get_by_label("Your rewrite").fill("The government asked its neighbours for help.")
    main.get_by_label("Your rewrite").press("Control+Enter")
    page.wait_for_timeout(1500)

    go(page, "quiz")
    main.get_by_role("button", name="A is loaded").click()
    main.get_by_role("button", name="Next question").wait_for(timeout=WAIT)
    quiz_progress = main.get_by_test_id("stProgress").inner_text()

    go(page, "handout")
    main.get_by_role("radiogroup", name="Preview").get_by_text("Exercise (no highlights)", exact=True).click()
    page.wait_for_timeout(1000)

    go(page, "compare")
    main.get_by_label("Filter the table").fill("gang")
    main.get_by_label("Filter the table").press("Enter")
    page.wait_for_timeout(1000)

    for _ in range(2):  # every page, away and back twice
        go(page, "explain")
        go(page, "analyse")
        expect(main.get_by_label("Article text")).to_have_value(ARTICLE)
        expect(main.get_by_label("Title (optional)")).to_have_value("Our class article")
        expect(main.get_by_label("Source name (optional)")).to_have_value("The Daily Example")
        expect(main.get_by_role("heading", name="Our class article")).to_be_visible(timeout=WAIT)
        expect(main.locator(".slant-text mark")).to_have_count(highlights, timeout=WAIT)

        go(page, "spot")
        expect(main.get_by_role("combobox", name="Article")).to_have_value(day_five.title)
        expect(main.get_by_role("radio", name="Name calling")).to_be_checked()
        ticked = [i for i, s in enumerate(sentences[:15])
                  if main.get_by_role("checkbox", name=f"({i + 1}) {escape_markdown(s.text)}", exact=True).is_checked()]
        assert ticked == [4, 5]

        go(page, "rewrite")
        expect(main.get_by_role("combobox", name="Sentence")).to_have_value(chosen_sentence)
        expect(main.get_by_label("Your rewrite")).to_have_value("The government asked its neighbours for help.")

        go(page, "quiz")
        expect(main.get_by_test_id("stProgress")).to_have_text(quiz_progress)
        expect(main.get_by_role("button", name="Next question")).to_be_visible()

        go(page, "handout")
        expect(main.get_by_role("radio", name="Exercise (no highlights)")).to_be_checked()

        go(page, "compare")
        expect(main.get_by_label("Filter the table")).to_have_value("gang")
    assert page.dialogs == []


def test_an_uploaded_file_is_still_analysed_after_a_page_change(app_server, browser_page):
    """The upload box of Streamlit empties when the page changes: the page keeps the file for the session."""
    page = browser_page
    page.goto(f"{app_server}/analyse")
    main = page.get_by_test_id("stMain")
    main.get_by_label("Article text").wait_for(timeout=WAIT)
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "day.txt", "mimeType": "text/plain", "buffer": ARTICLE.encode()}])
    main.locator(".slant-text mark").first.wait_for(timeout=WAIT)
    highlights = main.locator(".slant-text mark").count()
    go(page, "explain")
    go(page, "analyse")
    expect(main.get_by_text("Still using the file day.txt", exact=False)).to_be_visible(timeout=WAIT)
    expect(main.locator(".slant-text mark")).to_have_count(highlights, timeout=WAIT)
    main.get_by_role("button", name="Forget this file").click()
    expect(main.locator(".slant-text")).to_have_count(0, timeout=WAIT)


def test_compare_opens_on_highlighted_text_at_1024_by_768(app_server, browser_page):
    """Issue 31: at 1024 x 768 Compare opened on a table cut off at the right and an interval; the first highlight
    was two screens down. Now the first screen shows highlighted text, and the figures come under the texts."""
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(app_server)
    main = page.get_by_test_id("stMain")
    first = main.locator(".slant-text mark").first
    first.wait_for(timeout=WAIT)
    main.get_by_test_id("stDataFrame").first.wait_for(timeout=WAIT)
    page.wait_for_timeout(1500)  # the chart and the tables are drawn: the page has its final layout
    box = first.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 768, box
    text_top = main.locator(".slant-text").first.bounding_box()["y"]
    for figure in ("stDataFrame", "stVegaLiteChart"):
        assert main.get_by_test_id(figure).first.bounding_box()["y"] > text_top, figure


def test_three_stacked_underlines_on_the_last_line_stay_above_what_follows(browser_page):
    """Issue 31: the underlines of three overlapping techniques on a text's last line crossed the caption below."""
    from model.spans import Span
    from ui.render import STYLE, render_html

    text = "First line of the text.\nThe puppet regime of foreign masters fell."
    start = text.index("puppet")
    spans = [Span(start, start + 13, "loaded_language"), Span(start, start + 13, "name_calling"),
             Span(start, len(text) - 1, "foreign_hand")]
    for large in (False, True):
        page = browser_page
        page.set_content(f"<html><body>{STYLE}{render_html(text, spans, large=large)}<p id=after>Caption</p>"
                         "</body></html>")
        lowest = page.evaluate("""() => Math.max(...[...document.querySelectorAll('.slant-text mark, .slant-text span')]
                                    .map(e => e.getBoundingClientRect().bottom))""")
        # Streamlit puts the next element right under the text's box (its margins aside): the box holds its lines
        below = page.evaluate("() => document.querySelector('.slant-text').getBoundingClientRect().bottom")
        assert lowest <= below, (large, lowest, below)
