"""Which one is loaded? Pairs of sentences: an original from the seeds and a neutral rewrite, in random order."""
import random
from dataclasses import replace

import streamlit as st

import model.review as rv
from model.data import DataError
from model.techniques import DEFINITIONS, TITLES
from ui import render, reviewing, state
from ui.classroom import OPTION_NAMES, check_answer, load_rewrites, make_quiz, model_finds, named_option
from ui.render import escape_markdown
from ui.sources import keep

st.title("Which one is loaded?")
RULES = ("One version of a sentence from the seeds uses a technique, the other is a neutral rewrite: pick the "
         "loaded one.")


def new_quiz():
    st.session_state["quiz_seed"] = random.SystemRandom().randrange(2**32)
    st.session_state["quiz_answers"] = {}
    st.session_state["quiz_position"] = 0


def new_quiz_button():
    """A new quiz wipes the score: far below the answer buttons, and only after a second, explicit click."""
    with st.popover("New quiz (new order)…", key="quiz_new_menu"):
        answered = len(st.session_state.get("quiz_answers", {}))
        st.write(f"A new quiz starts again from question 1 in a new order and wipes the score "
                 f"({answered} answered so far).")
        st.button("Yes, start a new quiz", key="quiz_new", on_click=new_quiz)


if "quiz_seed" not in st.session_state:
    new_quiz()

try:
    rewrites = load_rewrites()
except DataError as err:  # a broken install: say so instead of a traceback
    st.error(f"The quiz questions cannot be read: {escape_markdown(str(err))}")
    st.stop()
quiz = make_quiz(rewrites, st.session_state["quiz_seed"])
answers = st.session_state.setdefault("quiz_answers", {})  # question number -> the option picked
position = st.session_state.setdefault("quiz_position", 0)

right = sum(check_answer(quiz[n], choice)[0] for n, choice in answers.items())
if not answers:  # once the class has started, the rules move to the bottom: a question needs the whole screen
    st.caption(RULES)
st.progress(len(answers) / len(quiz), text=f"Question {min(position + 1, len(quiz))} of {len(quiz)} · "
            f"{right} right out of {len(answers)} answered")

if position >= len(quiz):
    st.success(f"Done: {right} right out of {len(quiz)}.")
    st.button("New quiz (new order)", key="quiz_new", on_click=new_quiz)
    st.caption(RULES)
    st.stop()

item = quiz[position]
shown = state.controls()
answered = position in answers
# The question, both options and the buttons fit one 1024x768 projector screen with the larger text on and the
# sidebar closed, before and after the answer, for every question (tests/test_classroom_browser.py): after the answer
# the same two boxes show the model's highlights, instead of both versions again below.
found = [keep(state.labelled(option, shown.threshold)[0], shown.techniques, shown.voices) if answered else []
         for option in item.options]
origins: list[dict] = [{}, {}]
review = None
if answered:  # the original as its article was reviewed by the teacher, where a review of the article exists
    try:
        seed = next((s for s in state.seeds() if s.name == item.rewrite.article), None)
    except DataError:  # the question still shows, with the model's labels
        seed = None
    in_article, review = reviewing.reviewed_spans(seed.text, shown.threshold) if seed else ([], None)
    if review is not None:
        start = item.rewrite.start
        found[item.loaded] = rv.within(keep(in_article, shown.techniques, shown.voices), start, item.rewrite.end)
        origins[item.loaded] = {s: rv.origin(review, replace(s, start=s.start + start, end=s.end + start))
                                for s in found[item.loaded]}
with st.container(border=True):
    for name, option, spans, origin in zip(OPTION_NAMES, item.options, found, origins, strict=True):
        text, moved = named_option(name, option, spans)
        by = len(text) - len(option)
        shifted = {replace(s, start=s.start + by, end=s.end + by): who for s, who in origin.items()}
        st.markdown(render.render_html(text, moved, large=shown.large, compact=True, origins=shifted),
                    unsafe_allow_html=True)

if not answered:
    for number, (name, column) in enumerate(zip(OPTION_NAMES, st.columns(2), strict=True)):
        if column.button(f"{name} is loaded", key=f"quiz_pick_{number}", width="stretch"):
            answers[position] = number
            st.rerun()
else:
    correct, explanation = check_answer(item, answers[position])
    said, following = st.columns([4, 1], vertical_alignment="center")
    (said.success if correct else said.error)(escape_markdown(explanation))
    if following.button("Next question", key="quiz_next", type="primary", width="stretch"):
        st.session_state["quiz_position"] = position + 1
        st.rerun()
    # Named only now: a headline question would otherwise give its own answer away.
    technique = item.rewrite.technique
    article = state.seed_labels().get(item.rewrite.article, item.rewrite.article)
    if review is None:
        finds = model_finds(found)
    else:  # who stands behind each version's highlights, said per version
        finds = " ".join(
            f"{name}: " + (f"in its article, {rv.REVIEWED_WORDS}, carries " if number == item.loaded else
                           "the model finds ")
            + (", ".join(sorted({TITLES[s.technique].lower() for s in spans})) or "nothing") + "."
            for number, (name, spans) in enumerate(zip(OPTION_NAMES, found, strict=True)))
    st.caption(escape_markdown(f"{TITLES[technique]}: {DEFINITIONS[technique]} {finds} The original is "
                               f"from the article “{article}”."))
new_quiz_button()
if answers:
    st.caption(RULES)
