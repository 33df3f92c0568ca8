"""Which one is loaded? Pairs of sentences: an original from the seeds and a neutral rewrite, in random order."""
import random
from dataclasses import replace

import streamlit as st

import model.review as rv
from model.data import DataError
from model.techniques import TITLES
from ui import render, reviewing, state
from ui.classroom import OPTION_NAMES, check_answer, load_rewrites, make_quiz
from ui.render import escape_markdown
from ui.sources import keep

st.title("Which one is loaded?")
st.caption("Two versions of a sentence from the seed articles: the original uses a technique, the other is a neutral "
           "rewrite that keeps the facts. Pick the loaded one.")


def new_quiz():
    st.session_state["quiz_seed"] = random.SystemRandom().randrange(2**32)
    st.session_state["quiz_answers"] = {}
    st.session_state["quiz_position"] = 0


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
st.progress(len(answers) / len(quiz), text=f"Question {min(position + 1, len(quiz))} of {len(quiz)} · "
            f"{right} right out of {len(answers)} answered")

if position >= len(quiz):
    st.success(f"Done: {right} right out of {len(quiz)}.")
    st.button("New quiz (new order)", key="quiz_new", on_click=new_quiz)
    st.stop()

item = quiz[position]
shown = state.controls()
# The question, both options and the buttons fit one 1024x768 projector screen with the larger text on and the
# sidebar closed, even the longest question (tests/test_classroom_browser.py); "New quiz" waits at the bottom.
for name, option in zip(OPTION_NAMES, item.options, strict=True):
    with st.container(border=True):
        st.markdown(render.render_html(f"{name}. {option}", [], large=shown.large), unsafe_allow_html=True)

if position not in answers:
    for number, (name, column) in enumerate(zip(OPTION_NAMES, st.columns(2), strict=True)):
        if column.button(f"{name} is loaded", key=f"quiz_pick_{number}", width="stretch"):
            answers[position] = number
            st.rerun()
    st.button("New quiz (new order)", key="quiz_new", on_click=new_quiz)
    st.stop()

correct, explanation = check_answer(item, answers[position])
(st.success if correct else st.error)(escape_markdown(explanation))
# Named only now: a headline question would otherwise give its own answer away.
article = state.seed_labels().get(item.rewrite.article, item.rewrite.article)
st.caption(escape_markdown(f"The original is from the article “{article}”."))

st.markdown("**What the model says about each version**")
# The original in its article's version: reviewed by the teacher where a review of the article exists.
try:
    seed = next((s for s in state.seeds() if s.name == item.rewrite.article), None)
except DataError:  # the question still shows, with the model's labels
    seed = None
in_article, review = reviewing.reviewed_spans(seed.text, shown.threshold) if seed else ([], None)
for number, (name, option) in enumerate(zip(OPTION_NAMES, item.options, strict=True)):
    if review is not None and number == item.loaded:
        start = item.rewrite.start
        spans = rv.within(keep(in_article, shown.techniques, shown.voices), start, item.rewrite.end)
        who = f"in its article, {rv.REVIEWED_WORDS},"
        origins = {s: rv.origin(review, replace(s, start=s.start + start, end=s.end + start)) for s in spans}
    else:
        spans = keep(state.labelled(option, shown.threshold)[0], shown.techniques, shown.voices)
        who, origins = "the model", {}
    found = ", ".join(sorted({TITLES[s.technique].lower() for s in spans})) or "nothing"
    st.caption(f"{name}: {who} finds {escape_markdown(found)}" if who == "the model" else
               f"{name}: {who} carries {escape_markdown(found)}")
    st.markdown(render.render_html(option, spans, large=shown.large, origins=origins), unsafe_allow_html=True)

if st.button("Next question", key="quiz_next", type="primary"):
    st.session_state["quiz_position"] = position + 1
    st.rerun()
st.button("New quiz (new order)", key="quiz_new", on_click=new_quiz)
