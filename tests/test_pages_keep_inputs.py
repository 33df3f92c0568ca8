"""Issue 31: what a user typed, chose and ticked on a page is still there after a visit to another page and after
reruns, on every page (headless, through app.py; the real browser walk is in tests/test_browser.py)."""
import pytest
from streamlit.testing.v1 import AppTest

from model.data import load_page_furniture, load_seeds
from model.paths import PROJECT_ROOT
from model.techniques import TECHNIQUES
from ui.classroom import split_sentences

APP = str(PROJECT_ROOT / "app.py")
PAGES = ["analyse.py", "compare.py", "spot.py", "rewrite.py", "handout.py"]  # the quiz has buttons only: below
KINDS = ("text_area", "text_input", "selectbox", "multiselect", "radio", "checkbox", "toggle", "slider")


def widgets(at: AppTest) -> dict:
    """Every keyed widget of the page's main area, by key."""
    return {w.key: w for kind in KINDS for w in getattr(at.main, kind) if w.key}


def values(at: AppTest) -> dict:
    return {key: w.value for key, w in widgets(at).items()}


def change(widget) -> None:
    """Give a widget another value, as a user would (not yet run)."""
    kind = type(widget).__name__
    if kind in ("TextArea", "TextInput"):
        widget.input((widget.value or "") + " Kept words.")
    elif kind in ("Checkbox", "Toggle"):
        widget.set_value(not widget.value)
    elif kind in ("Selectbox", "Radio"):
        options = widget.options
        widget.set_value(raw_option(widget, options[2 if len(options) > 2 and widget.index != 2 else 0]))
    elif kind == "Multiselect":
        widget.set_value([widget.options[-1], widget.options[0]])
    elif kind == "Slider":
        low, high = widget.value
        widget.set_value((low + 1, high - 1))
    else:
        raise AssertionError(kind)


FURNITURE = load_page_furniture()
# What the pages offer in their select boxes and radios, shown through a format function: techniques, sentences.
CHOICES = [*TECHNIQUES, *(s for a in load_seeds() for s in split_sentences(a.text, FURNITURE.get(a.name, ())))]


def raw_option(widget, shown: str):
    """The option behind the label `shown` (AppTest sets a select box by value, the page may show it formatted)."""
    for candidate in [shown, *CHOICES]:
        try:
            if widget.format_func(candidate) == shown:
                return candidate
        except (AttributeError, TypeError):
            continue
    raise AssertionError(f"no option is shown as {shown!r}")


@pytest.mark.parametrize("page", PAGES)
def test_every_input_of_a_page_survives_a_visit_to_another_page(page):
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page(f"views/{page}").run()
    assert not at.exception, at.exception
    changed = set()
    for _ in range(2):  # a change can show more widgets (an article's sentences): change those too
        fresh = {key: w for key, w in widgets(at).items() if key not in changed}
        for key, widget in fresh.items():
            change(widget)
            changed.add(key)
        at.run()
        assert not at.exception, at.exception
    before = values(at)
    assert before, "no input on the page"
    for away in ("explain.py", "compare.py" if page != "compare.py" else "quiz.py"):
        at.switch_page(f"views/{away}").run()
        at.switch_page(f"views/{page}").run()
        assert not at.exception, at.exception
        assert values(at) == before, f"after a visit to {away}"
    at.run()  # a rerun keeps them too
    assert values(at) == before


def quiz_state(at: AppTest) -> tuple:
    return at.session_state["quiz_seed"], dict(at.session_state["quiz_answers"]), at.session_state["quiz_position"]


def test_the_quiz_keeps_its_questions_answers_and_place_across_pages():
    at = AppTest.from_file(APP, default_timeout=90).run()
    at.switch_page("views/quiz.py").run()
    at.button(key="quiz_pick_0").click().run()
    at.button(key="quiz_next").click().run()
    at.button(key="quiz_pick_1").click().run()
    before = quiz_state(at)
    progress = at.get("progress")[0].proto.text
    assert before[1] == {0: 0, 1: 1} and before[2] == 1
    at.switch_page("views/explain.py").run()
    at.switch_page("views/quiz.py").run()
    assert not at.exception, at.exception
    assert quiz_state(at) == before
    assert at.get("progress")[0].proto.text == progress
