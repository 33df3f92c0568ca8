"""One classroom exercise end to end in headless Chromium: tick sentences, reveal, read the score. Saves
docs/classroom.png (the reveal as a class sees it on the projector)."""
import pytest
from playwright.sync_api import expect

from model.data import load_page_furniture, load_seed_gold, load_seeds
from ui.classroom import GOLD, load_rewrites, score_marks, split_sentences
from ui.render import escape_markdown

pytestmark = pytest.mark.browser
WAIT = 60_000


def percent(value):
    return "—" if value is None else f"{value:.0%}"


def test_spot_it_then_reveal_end_to_end(app_server, browser_page, screenshot_dir):
    # The page opens on the first seed and on loaded language; the student ticks the first two sentences and one
    # sentence further down. The expected score is computed from the human gold with the tested scorer.
    article = load_seeds()[0]
    sentences = split_sentences(article.text, load_page_furniture()[article.name])  # numbered as the page does
    ticked = [0, 1, 4]
    expected = score_marks(article.text, sentences, ticked, load_seed_gold()[article.name], "loaded_language", GOLD)

    page = browser_page
    page.goto(f"{app_server}/spot")
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="Reveal", exact=True).wait_for(timeout=WAIT)
    assert main.locator("mark").count() == 0  # nothing is highlighted before the reveal
    for index in ticked:
        main.get_by_text(f"({index + 1}) {sentences[index].text}", exact=True).click()
    for index in ticked:  # each tick has landed before the reveal
        # a checkbox's accessible name is its label as given to Streamlit, Markdown escapes included
        box = main.get_by_role("checkbox", name=f"({index + 1}) {escape_markdown(sentences[index].text)}", exact=True)
        expect(box).to_be_checked(timeout=WAIT)
    main.get_by_role("button", name="Reveal", exact=True).click()

    answer = main.get_by_role("heading", name="The answer")
    answer.wait_for(timeout=WAIT)
    main.locator(".slant-text mark").first.wait_for(timeout=WAIT)
    expect(main.get_by_test_id("stMetricValue")).to_have_text(
        [percent(expected.precision), percent(expected.recall), percent(expected.f1)], timeout=WAIT)
    assert main.get_by_text(expected.summary().split(":")[0], exact=False).first.is_visible()
    assert page.dialogs == []

    answer.evaluate("element => element.scrollIntoView({block: 'start'})")
    page.wait_for_timeout(800)
    page.screenshot(path=str(screenshot_dir / "classroom.png"))
    assert (screenshot_dir / "classroom.png").stat().st_size > 10_000


def test_the_longest_quiz_question_fits_a_projector_screen_with_the_larger_text(app_server, browser_page):
    """Issue 19: at 1024 x 768 with "Larger text" on, option B and the answer buttons fell below the fold. With the
    sidebar closed, as on a projector, the longest question of the quiz fits with both buttons."""
    longest = max(load_rewrites(), key=lambda r: len(r.original) + len(r.rewrite))
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{app_server}/quiz")
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="B is loaded").wait_for(timeout=WAIT)
    page.get_by_test_id("stSidebar").get_by_text("Larger text (projector)").click()
    page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '20px'", timeout=WAIT)
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    options = main.locator(".slant-text")
    for _ in range(len(load_rewrites())):
        main.get_by_role("button", name="B is loaded").wait_for(timeout=WAIT)
        page.wait_for_timeout(300)
        if longest.original in " ".join(options.all_inner_texts()):
            break
        main.get_by_role("button", name="A is loaded").click()
        main.get_by_role("button", name="Next question").click()
    else:
        pytest.fail("the longest question never came")
    page.wait_for_timeout(500)
    assert options.count() == 2
    assert options.first.evaluate("e => getComputedStyle(e).fontSize") == "26px"  # 1.3rem of 20px
    for name in ("A is loaded", "B is loaded"):
        box = main.get_by_role("button", name=name).bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 768, (name, box)
