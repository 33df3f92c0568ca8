"""The app behind the gate (ui/gate.py, ui/state.py): a text waits its turn, says where it is in the queue, and is
labelled once. Headless (AppTest), on the real model."""
import threading
import time

import streamlit as st
from streamlit.testing.v1 import AppTest

from model.data import load_seeds
from model.paths import PROJECT_ROOT
from ui import state

APP = str(PROJECT_ROOT / "app.py")
ARTICLE = next(a for a in load_seeds() if a.name.startswith("003")).text
WAIT = 60


def analyse_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=WAIT).run()  # the Compare page, its seeds labelled
    return at.switch_page("views/analyse.py").run()


def analyse(text: str, at: AppTest | None = None) -> AppTest:
    at = at or analyse_page()
    at.text_area(key="article").input(text)
    at.button(key="analyse").click()
    return at


def until(condition) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "the condition never held"
        time.sleep(0.01)


def test_a_text_waits_its_turn_behind_the_texts_before_it_then_is_highlighted():
    at = analyse_page()
    gate = state.gate()
    release = threading.Event()
    earlier = [threading.Thread(target=gate.result, args=(("earlier", n), lambda: release.wait(WAIT)), daemon=True)
               for n in range(gate.slots + 2)]  # every slot taken, and two texts waiting
    text = f"Waiting its turn\n\n{ARTICLE}"
    try:
        for thread in earlier:
            thread.start()
        until(lambda: gate.waiting() == 2)
        page = threading.Thread(target=analyse(text, at).run, daemon=True)
        page.start()
        until(lambda: gate.ahead(("label", text, None)) == 2)  # in the queue behind the two
        assert page.is_alive()
    finally:
        release.set()
    page.join(WAIT)
    assert not page.is_alive() and not at.exception, at.exception
    assert any(m.value.startswith('<div class="slant-text') and "<mark " in m.value for m in at.markdown)
    assert not [i for i in at.info if "In the queue" in i.value or "Labelling" in i.value]  # the note went


class Queued:
    """A gate with three texts ahead of every text, which stops the page while it waits (as a user leaving does)."""

    def result(self, key, compute, on_wait=None, poll=1.0):
        on_wait(3)
        st.stop()


def test_a_waiting_page_says_how_many_texts_are_ahead(monkeypatch):
    monkeypatch.setattr("ui.state.gate", Queued)
    at = analyse(f"Three ahead\n\n{ARTICLE}").run()
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == ["In the queue: 3 texts ahead of yours (texts are labelled a few at a time, "
                                          "in the order they came)."]
    assert not [m for m in at.markdown if m.value.startswith('<div class="slant-text')]


def test_the_same_text_from_three_sessions_at_once_is_labelled_once(monkeypatch):
    calls = []
    model = state.tagger()
    unlabelled = type(model).label_with_hidden

    def counted(self, text, *args, **kwargs):
        calls.append(text)
        return unlabelled(self, text, *args, **kwargs)

    monkeypatch.setattr(type(model), "label_with_hidden", counted)
    text = f"Pasted by the whole class\n\n{ARTICLE}"
    sessions = [analyse(text) for _ in range(3)]
    pages = [threading.Thread(target=at.run, daemon=True) for at in sessions]
    for page in pages:
        page.start()
    for page in pages:
        page.join(WAIT)
    for at in sessions:
        assert not at.exception, at.exception
        assert any(m.value.startswith('<div class="slant-text') for m in at.markdown)
    assert calls.count(text) == 1
