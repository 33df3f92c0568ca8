"""A teacher reviews a pasted article in headless Chromium at 1024 x 768, as a user would: removes a wrong
foreign_hand highlight, keeps others, adds a missing loaded_language one, reloads, and finds the reviewed version on
Compare, in the quiz and in the printed handout. Every click and key press on a highlight is counted. Also: a
damaged review file, and two browser sessions reviewing one article at once."""
import re
import time

import pytest
from playwright.sync_api import expect

from model import review as rv
from model.data import load_seeds
from model.tagger import load_tagger
from tests.browser_steps import WAIT
from tests.browser_steps import paste as paste_text
from ui.classroom import load_rewrites

pytestmark = pytest.mark.browser
BELARUS = load_seeds()[0]  # "Belarusian opposition backs Kazakh pogroms", pasted as if new: its text is the seed's
DAY_FIVE = next(a for a in load_seeds() if a.name.startswith("003"))
ADDED = "armed clashes"  # in the quiz pair that holds a foreign_hand highlight; the model does not mark it


class Actions:
    """Counts what the teacher does: each click or key press (typing a phrase counts as one)."""

    def __init__(self):
        self.count = 0

    def click(self, locator):
        self.count += 1
        locator.click()

    def press(self, locator, key):
        self.count += 1
        locator.press(key)

    def type(self, locator, words):
        self.count += 1
        locator.fill(words)


def paste(page, url, text):
    """The text pasted on Analyse, once its highlights are drawn."""
    paste_text(page, url, text)
    page.get_by_test_id("stMain").locator(".slant-text mark").first.wait_for(timeout=WAIT)


def open_review(page):
    page.get_by_text("Review the highlights", exact=True).click()
    page.locator("[class*='st-key-analyse_decide']").first.wait_for(timeout=WAIT)


def control(page, text, span):
    """The one control of a model highlight on the page."""
    sha = rv.text_hash(text)[:16]
    return page.locator(f".st-key-analyse_decide-{sha}-{span.start}-{span.end}-{span.technique}")


def chosen(page, text, span, option):
    return control(page, text, span).get_by_role("radio", name=option, exact=True)


def decided(page, text, span, option):
    expect(chosen(page, text, span, option)).to_have_attribute("aria-checked", "true", timeout=WAIT)


def saved(text, reviews, decisions: int) -> rv.Review:
    """The saved review once it holds `decisions` decisions: the page shows a choice before the server has saved it
    (30 s at most)."""
    for _ in range(300):
        review = rv.load(text, reviews)
        if len(review.decisions) >= decisions:
            return review
        time.sleep(0.1)
    return review


def marked(page) -> list[str]:
    return page.get_by_test_id("stMain").locator(".slant-text mark").all_inner_texts()


def tips(page) -> str:
    return " ".join(m.get_attribute("data-tip") or "" for m in page.get_by_test_id("stMain").locator(
        ".slant-text mark").all())


def belarus_spans():
    spans = load_tagger().label(BELARUS.text)  # the page's default thresholds
    at = BELARUS.text.index(ADDED)
    pair = next(r for r in load_rewrites() if r.article == BELARUS.name and r.start <= at < r.end)
    wrong = next(s for s in spans if s.technique == "foreign_hand" and pair.start <= s.start and s.end <= pair.end)
    return spans, wrong, pair


@pytest.fixture
def page(browser_page):
    """The page at the size of a classroom projector, with the sidebar open."""
    browser_page.set_viewport_size({"width": 1024, "height": 768})
    return browser_page


def test_a_review_takes_few_actions_and_is_found_everywhere_after_a_reload(reviewing_server, page, tmp_path):
    url, reviews = reviewing_server
    spans, wrong, pair = belarus_spans()
    text = BELARUS.text
    paste(page, url, text)
    open_review(page)
    per_highlight = []

    # Remove the wrong foreign_hand highlight: one click.
    actions = Actions()
    actions.click(chosen(page, text, wrong, "Remove"))
    decided(page, text, wrong, "Remove")
    per_highlight.append(("removed", actions.count))
    # Keep eight others, each with one click; the last with the keyboard (the focused option, then Enter).
    kept = [s for s in spans if s != wrong][:8]
    for span in kept[:-1]:
        actions = Actions()
        option = chosen(page, text, span, "Keep")
        option.scroll_into_view_if_needed()
        box = option.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1024  # the whole control fits the projector's width
        actions.click(option)
        decided(page, text, span, "Keep")
        per_highlight.append(("kept", actions.count))
    actions = Actions()
    chosen(page, text, kept[-1], "Keep").focus()
    actions.press(chosen(page, text, kept[-1], "Keep"), "Enter")
    decided(page, text, kept[-1], "Keep")
    per_highlight.append(("kept by keyboard", actions.count))
    # Add the missing loaded language: type its words, Enter (loaded language is the technique already chosen).
    actions = Actions()
    words = page.get_by_label("Words to highlight, as in the text")
    words.scroll_into_view_if_needed()
    actions.type(words, ADDED)
    actions.press(words, "Enter")
    expect(page.get_by_text("Added by you (1)")).to_be_visible(timeout=WAIT)
    per_highlight.append(("added", actions.count))

    print("actions per highlight:", per_highlight)
    assert all(n <= 2 for kind, n in per_highlight if kind != "added")
    assert [n for kind, n in per_highlight if kind == "added"] == [2]
    assert sum(n for _, n in per_highlight) == 11  # ten highlights reviewed in 11 actions
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(re.compile(r"reviewed by the teacher \(8 kept, 1 removed, 1 added\)"))).to_be_visible(
        timeout=WAIT)
    assert ADDED in marked(page)
    assert "added by the teacher" in tips(page)

    # The file holds every decision; reload the page: the review is still there.
    assert rv.summary(saved(text, reviews, 10)) == "8 kept, 1 removed, 1 added"
    page.reload()
    paste(page, url, text)  # a pasted article lives in the tab only; its review is found again by its text
    open_review(page)
    decided(page, text, wrong, "Remove")
    for span in kept:
        decided(page, text, span, "Keep")
    assert ADDED in marked(page)

    # Compare: the seed with this text shows the reviewed version, and says so.
    page.goto(url)
    main = page.get_by_test_id("stMain")
    main.locator(".slant-text mark").first.wait_for(timeout=WAIT)
    expect(main.get_by_text(re.compile(r"Highlights reviewed by the teacher \(8 kept"))).to_be_visible(timeout=WAIT)
    expect(main.get_by_text("found by the model, not reviewed by a teacher yet").first).to_be_visible(timeout=WAIT)
    first_text = main.locator(".slant-text").first
    assert ADDED in first_text.locator("mark").all_inner_texts()
    foreign_hand = "".join(first_text.locator("mark[data-techniques~=foreign_hand]").all_inner_texts())
    assert text[wrong.start:wrong.end] not in foreign_hand  # its pieces, read in order, would spell it
    expect(main.get_by_text(f"The highlights of “{BELARUS.title}” were reviewed by the teacher")).to_be_visible(
        timeout=WAIT)

    # The quiz: the pair whose original holds both decisions shows the original as reviewed.
    page.goto(f"{url}/quiz")
    main = page.get_by_test_id("stMain")
    for _ in range(len(load_rewrites())):
        main.get_by_role("button", name="A is loaded").wait_for(timeout=WAIT)
        page.wait_for_timeout(300)
        options = main.locator(".slant-text").all_inner_texts()
        if any(pair.original in option for option in options):
            break
        main.get_by_role("button", name="A is loaded").click()
        main.get_by_role("button", name="Next question").click()
    else:
        pytest.fail("the question with the reviewed sentence never came")
    name = "A" if pair.original in options[0] else "B"
    main.get_by_role("button", name=f"{name} is loaded").click()
    expect(main.get_by_text(f"{name}: in its article, reviewed by the teacher, carries loaded language")).to_be_visible(
        timeout=WAIT)
    assert ADDED in marked(page)

    # The handout, as printed: the reviewed highlights, listed, and said to be reviewed.
    page.goto(f"{url}/handout")
    main = page.get_by_test_id("stMain")
    main.get_by_text("Reviewed by the teacher", exact=True).click()
    handout = page.frame_locator("iframe").first
    expect(handout.locator("table.passages")).to_contain_text(ADDED, timeout=WAIT)
    expect(handout.get_by_text(re.compile("reviewed by the teacher \\(8 kept, 1 removed, 1 added\\)"))).to_be_visible()
    page.emulate_media(media="print")
    expect(handout.locator(".slant-text mark", has_text=ADDED)).to_be_visible()
    expect(handout.locator("button.no-print")).to_be_hidden()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        main.get_by_role("button", name="Download the highlighted handout (HTML)").click()
    printed = (tmp_path / "handout.html")
    download.value.save_as(printed)
    html = printed.read_text(encoding="utf-8")
    assert f"<td>Loaded language</td><td>{ADDED}</td>" in html and "reviewed by the teacher" in html
    assert page.dialogs == []


def test_a_damaged_review_file_is_refused_kept_and_set_aside(reviewing_server, page):
    url, reviews = reviewing_server
    text = "The ruling gang staged a bloodbath, the minister said. Calm returned to the streets by noon."
    path = rv.path_for(rv.text_hash(text), reviews)
    path.write_bytes(b"\x80\x81 not a review")
    paste(page, url, text)
    assert marked(page)  # the model's version still shows
    page.get_by_text("Review the highlights", exact=True).click()
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text(re.compile("is not a Slant review .not UTF-8 text.. Nothing was changed in it"))
           ).to_be_visible(timeout=WAIT)
    assert path.read_bytes() == b"\x80\x81 not a review"
    main.get_by_role("button", name="Set the damaged file aside and start a new review").click()
    page.locator("[class*='st-key-analyse_decide']").first.wait_for(timeout=WAIT)
    (aside,) = reviews.glob(f"{path.stem}.damaged-*.json")
    assert aside.read_bytes() == b"\x80\x81 not a review"
    span = load_tagger().label(text)[0]
    chosen(page, text, span, "Remove").click()
    decided(page, text, span, "Remove")
    assert saved(text, reviews, 1).decision_on(span).decision == rv.REMOVED


def test_two_browser_sessions_reviewing_at_once_lose_nothing(reviewing_server, _browser):
    url, reviews = reviewing_server
    text = DAY_FIVE.text
    spans = load_tagger().label(text)
    assert len(spans) >= 7
    pages = []
    for _ in range(2):
        context = _browser.new_context(viewport={"width": 1024, "height": 768})
        pages.append(context.new_page())
    try:
        for page in pages:
            paste(page, url, text)
            open_review(page)
        # Each tab decides on its own highlights, both clicks sent before either page has answered.
        expected = {}
        for i in range(0, 6, 2):
            clicks = [(pages[0], spans[i], "Remove" if i % 4 == 0 else "Keep"), (pages[1], spans[i + 1], "Keep")]
            for page, span, option in clicks:
                chosen(page, text, span, option).click()
            for page, span, option in clicks:
                decided(page, text, span, option)
                expected[span] = rv.REMOVED if option == "Remove" else rv.KEPT
        review = saved(text, reviews, len(expected))
        assert {span: review.decision_on(span).decision for span in expected} == expected  # 0 lost
        # At its next click each tab shows the other's decisions too.
        chosen(pages[0], text, spans[6], "Keep").click()
        decided(pages[0], text, spans[6], "Keep")
        decided(pages[0], text, spans[1], "Keep")  # decided in the other tab
        assert len(saved(text, reviews, 7).decisions) == 7
    finally:
        for page in pages:
            page.context.close()
