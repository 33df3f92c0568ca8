"""One classroom exercise end to end in headless Chromium: tick sentences, reveal, read the score. Saves
docs/classroom.png (the reveal as a class sees it on the projector)."""
import pytest
from playwright.sync_api import expect

from model.data import load_page_furniture, load_seed_gold, load_seeds
from tests.browser_steps import WAIT
from ui.classroom import GOLD, load_rewrites, score_marks, split_sentences
from ui.render import escape_markdown

pytestmark = pytest.mark.browser


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


def inside_the_screen(locator, height=768) -> dict:
    box = locator.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height, box
    return box


def test_the_whole_quiz_is_answered_on_a_projector_screen_with_the_larger_text_and_no_scroll(app_server, browser_page):
    """Issues 19 and 31: at 1024 x 768 with "Larger text" on and the sidebar closed, as on a projector, every question
    shows both options and the answer buttons, and after the answer its explanation and "Next question", without a
    scroll; a new quiz asks before it wipes the score."""
    page = browser_page
    page.set_viewport_size({"width": 1024, "height": 768})
    page.goto(f"{app_server}/quiz")
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="B is loaded").wait_for(timeout=WAIT)
    page.get_by_test_id("stSidebar").get_by_text("Larger text (projector)").click()
    page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '20px'", timeout=WAIT)
    page.get_by_test_id("stSidebarCollapseButton").locator("button").click()
    options = main.locator(".slant-text")
    # How far the page's content is scrolled: the window, or any box around the main column.
    scrolled = """() => { const block = document.querySelector('[data-testid=stMainBlockContainer]');
                          return Math.max(window.scrollY, ...[...document.querySelectorAll('*')]
                                          .filter(e => e.contains(block)).map(e => e.scrollTop)); }"""
    total = len(load_rewrites())
    lowest = 0
    for number in range(total):
        expect(main.get_by_test_id("stProgress")).to_contain_text(f"Question {number + 1} of {total}", timeout=WAIT)
        main.get_by_role("button", name="B is loaded").wait_for(timeout=WAIT)
        page.wait_for_timeout(300)
        assert options.count() == 2
        assert options.first.evaluate("e => getComputedStyle(e).fontSize") == "26px"  # 1.3rem of 20px
        for name in ("A is loaded", "B is loaded"):
            inside_the_screen(main.get_by_role("button", name=name))
        main.get_by_role("button", name="A is loaded").click()
        following = main.get_by_role("button", name="Next question")
        following.wait_for(timeout=WAIT)
        page.wait_for_timeout(300)
        answer = main.locator("[data-testid=stAlertContentSuccess], [data-testid=stAlertContentError]")
        assert answer.count() == 1
        inside_the_screen(options.last)
        inside_the_screen(answer)
        box = inside_the_screen(following)
        lowest = max(lowest, box["y"] + box["height"])
        assert page.evaluate(scrolled) == 0
        following.click()
    expect(main.get_by_text(f"right out of {total}.", exact=False)).to_be_visible(timeout=WAIT)
    print(f"lowest bottom of 'Next question' over {total} questions: {lowest:.0f} px of 768")


def test_a_new_quiz_asks_before_it_wipes_the_score(app_server, browser_page):
    page = browser_page
    page.goto(f"{app_server}/quiz")
    main = page.get_by_test_id("stMain")
    main.get_by_role("button", name="A is loaded").click()
    main.get_by_role("button", name="Next question").click()
    progress = main.get_by_test_id("stProgress")
    expect(progress).to_contain_text("out of 1 answered", timeout=WAIT)
    main.get_by_role("button", name="New quiz (new order)…").click()
    confirm = page.get_by_role("button", name="Yes, start a new quiz")
    expect(confirm).to_be_visible(timeout=WAIT)
    expect(page.get_by_text("wipes the score (1 answered so far)", exact=False)).to_be_visible()
    page.keyboard.press("Escape")  # changed one's mind: nothing lost
    page.wait_for_timeout(500)
    expect(progress).to_contain_text("Question 2 of", timeout=WAIT)
    expect(progress).to_contain_text("out of 1 answered")
    main.get_by_role("button", name="New quiz (new order)…").click()
    page.get_by_role("button", name="Yes, start a new quiz").click()
    expect(progress).to_contain_text("Question 1 of", timeout=WAIT)
    expect(progress).to_contain_text("0 right out of 0 answered")
