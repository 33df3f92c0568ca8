"""Spot it, then reveal: students mark the sentences that carry a technique, then compare with the answer."""
import pandas as pd
import streamlit as st

from model import textio
from model.data import DataError
from model.paths import LESSON_PLAN
from model.techniques import DEFINITIONS, TECHNIQUES, TITLES
from ui import render, reviewing, state
from ui.classroom import GOLD, MODEL, REVIEWED, score_marks, sentences_with, split_sentences
from ui.render import escape_markdown
from ui.sources import Source

MAX_SENTENCES = 150  # an exercise, not a reading of a book: and a page of 1,000 checkboxes is slow
SHORT_EXERCISE = 15  # above this many sentences, the page offers a range

st.title("Spot it, then reveal")
st.caption("Read the article sentence by sentence and tick every sentence that uses the technique. Then press "
           "Reveal to see the answer, your score and why. Your ticks stay in this browser tab only.")

with st.expander("Lesson plan for the teacher (45 minutes)"):
    if LESSON_PLAN.exists():
        st.markdown(LESSON_PLAN.read_text(encoding="utf-8"))
    else:
        st.info(f"The lesson plan is missing: {LESSON_PLAN}")

with st.expander("Use your own article"):
    pasted_title = st.text_input("Title", key="spot_paste_title", max_chars=200, persist_state="session")
    pasted_text = st.text_area("Article text", key="spot_paste_text", height=160, persist_state="session")
    if st.button("Add this article", key="spot_paste_add"):
        try:
            text, warnings = textio.prepare_pasted(pasted_text)
        except textio.InputError as err:
            st.error(f"Cannot use the pasted text: {err}.")
        else:
            for warning in warnings:
                st.warning(warning)
            title = pasted_title.strip() or "Pasted article"
            st.session_state["spot_source"] = state.add_pasted(Source(name=title, text=text, title=title))

source, picked_seed = state.pick_article("spot_source")
technique = st.radio("Technique", TECHNIQUES, format_func=TITLES.get, key="spot_technique", horizontal=True,
                     persist_state="session")
st.info(f"**{TITLES[technique]}**: {escape_markdown(DEFINITIONS[technique])}")

sentences = split_sentences(source.text, source.furniture)
if not sentences:
    st.info("This article has no text.")
    st.stop()
if len(sentences) > MAX_SENTENCES:
    st.info(f"This article has {len(sentences)} sentences; the exercise uses the first {MAX_SENTENCES}, and the "
            "score counts only those.")
    sentences = sentences[:MAX_SENTENCES]
if len(sentences) > SHORT_EXERCISE:  # a lesson may have time for a paragraph, not a whole article
    first, last = st.slider("Sentences to work on", 1, len(sentences), (1, len(sentences)),
                            key=f"spot_range|{source.name}", persist_state="session",
                            help="A shorter exercise: pick a stretch; the score counts only these sentences.")
    sentences = sentences[first - 1:last]

mark_keys = [f"spot_mark|{source.name}|{technique}|{s.index}" for s in sentences]
revealed_key = f"spot_revealed|{source.name}|{technique}"

if state.controls().large:  # the projector switch enlarges the sentences to tick, as it does the highlighted text
    st.html('<style>[data-testid="stCheckbox"] label p{font-size:1.3rem;line-height:1.6;}</style>')
with st.container(border=True):
    for sentence, key in zip(sentences, mark_keys, strict=True):
        st.checkbox(f"({sentence.index + 1}) {escape_markdown(sentence.text)}", key=key, persist_state="session")


def reveal():
    st.session_state[revealed_key] = True


def clear():  # a callback: it runs before the checkboxes exist, so it may reset them
    for key in mark_keys:
        st.session_state[key] = False
    st.session_state[revealed_key] = False


left, right = st.columns(2)
left.button("Reveal", key="spot_reveal", type="primary", on_click=reveal)
right.button("Clear my ticks", key="spot_clear", on_click=clear)

if not st.session_state.get(revealed_key):
    st.stop()

# ---------------------------------------------------------------- the reveal
marked = {s.index for s, key in zip(sentences, mark_keys, strict=True) if st.session_state.get(key)}
try:
    all_gold = state.seed_gold()
except DataError as err:  # a broken install: say so and carry on with the model's answer
    st.error(f"The human annotations cannot be read, so the model's answer is used instead: "
             f"{escape_markdown(str(err))}")
    all_gold = None
if all_gold is None and picked_seed:
    st.warning("The human annotations of the seeds are missing (data/seeds/annotations.jsonl), so the model's "
               "answer is used instead.")
is_seed = picked_seed and all_gold is not None
# Every technique's spans: the explanation of an extra mark names another technique found in that sentence.
gold = all_gold.get(source.name, []) if is_seed else None
model_spans, review = reviewing.reviewed_spans(source.text, state.controls().threshold)
reference, against = (gold, GOLD) if is_seed else (model_spans, MODEL if review is None else REVIEWED)

st.header("The answer")
if is_seed:
    st.write(f"Your ticks are scored against **{against}**. The model's answer is shown too: it makes mistakes.")
else:
    st.warning(f"Your ticks are scored against **{against}**. The model makes mistakes: where you disagree with it, "
               "you may be right. Discuss it.")
st.caption(reviewing.version_note(review, source.text))

result = score_marks(source.text, sentences, marked, reference, technique, against)


def only(spans):
    return [s for s in spans if s.technique == technique]


def percent(value):
    return "—" if value is None else f"{value:.0%}"


c1, c2, c3 = st.columns(3)
c1.metric("Precision (your ticks that are right)", percent(result.precision))
c2.metric("Recall (sentences you found)", percent(result.recall))
c3.metric("F1", percent(result.f1))
st.write(escape_markdown(result.summary()))

model_sentences = set(sentences_with(sentences, model_spans, technique))
if is_seed:
    machine = score_marks(source.text, sentences, model_sentences, gold, technique, GOLD)
    st.caption(escape_markdown(f"The model, on the same article: {machine.summary('the model')}"))

rows = []
gold_sentences = set(sentences_with(sentences, gold, technique)) if is_seed else set()
for sentence in sentences:
    you, model_says = sentence.index in marked, sentence.index in model_sentences
    in_gold = sentence.index in gold_sentences
    if you or model_says or in_gold:
        row = {"sentence": sentence.index + 1, "text": sentence.text, "you": "✔" if you else ""}
        if is_seed:
            row["human gold"] = "✔" if in_gold else ""
        row["model"] = "✔" if model_says else ""
        rows.append(row)
if rows:
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="spot_table")
else:
    st.write("Nobody (you, the annotators, the model) found this technique in this article.")

st.subheader("Why")
by_index = {s.index: s for s in sentences}  # a range of sentences starts anywhere
for item in result.feedback:
    text = escape_markdown(f"Sentence {item.sentence + 1}: “{by_index[item.sentence].text}” — {item.reason}")
    if item.kind == "hit":
        st.success(text)
    elif item.kind == "miss":
        st.error(f"{text}\n\n*{escape_markdown(TITLES[technique])}*: {escape_markdown(item.definition)}")
    else:
        st.warning(f"{text}\n\n*{escape_markdown(TITLES[technique])}*: {escape_markdown(item.definition)}")

st.subheader("The article, highlighted")
st.markdown(render.legend_html([technique]), unsafe_allow_html=True)
large = state.controls().large
if is_seed:
    g, m = st.columns(2)
    with g:
        st.markdown("**Human gold**")
        st.markdown(render.render_html(source.text, only(gold), gold=True, large=large), unsafe_allow_html=True)
    with m:
        st.markdown("**The model**")
        st.markdown(render.render_html(source.text, only(model_spans), large=large), unsafe_allow_html=True)
else:
    st.markdown("**The model**")
    st.markdown(render.render_html(source.text, only(model_spans), large=large), unsafe_allow_html=True)
