"""Rewrite it neutrally: edit a labelled sentence until the technique is gone, keeping the facts."""
import streamlit as st

from model.data import DataError
from model.techniques import TITLES
from ui import render, reviewing, state
from ui.classroom import (
    charged_added,
    load_rewrites,
    overlaps,
    phrases_kept,
    rewrite_diff,
    rewrite_kind,
    span_text,
    split_sentences,
    word_changes,
)
from ui.render import escape_markdown
from ui.sources import keep

st.title("Rewrite it neutrally")
st.caption("Pick a sentence that uses a technique and rewrite it so that it keeps the facts but drops the "
           "technique. The model labels your version as you go (press Ctrl+Enter or click outside the box).")

try:
    worked = load_rewrites()
except DataError as err:  # a broken install: say so and carry on without the worked examples
    st.error(f"The worked examples cannot be read: {escape_markdown(str(err))}")
    worked = []
source, is_seed = state.pick_article("rewrite_source")
shown = state.controls()
threshold, large = shown.threshold, shown.large

sentences = split_sentences(source.text, source.furniture)
model_spans, review = reviewing.reviewed_spans(source.text, threshold)  # the sentences to pick from
try:
    gold = (state.seed_gold() or {}).get(source.name, []) if is_seed else []
except DataError as err:  # a broken install: say so and carry on with the model alone
    st.error(f"The human annotations cannot be read: {escape_markdown(str(err))}")
    gold = []
labelled = [s for s in sentences if any(overlaps(span, s.start, s.end) for span in model_spans + gold)]
if not labelled:
    st.info("Neither the model nor the annotators found a technique in this article: pick another one.")
    st.stop()


def short(text, n=110):
    return text if len(text) <= n else text[: n - 1] + "…"


sentence = st.selectbox("Sentence", labelled, key=f"rewrite_sentence|{source.name}", persist_state="session",
                        format_func=lambda s: f"{s.index + 1}. {short(s.text)}")
reviewed_here = [s for s in model_spans if review is not None and overlaps(s, sentence.start, sentence.end)]
if reviewed_here:
    st.caption(escape_markdown("In the article, reviewed by the teacher: " + "; ".join(
        f"“{span_text(source.text, s)}” ({TITLES[s.technique].lower()})" for s in reviewed_here)))
examples = [r for r in worked if r.article == source.name and r.start < sentence.end and r.end > sentence.start]

box_key = f"rewrite_text|{source.name}|{sentence.index}"
if box_key not in st.session_state:
    st.session_state[box_key] = sentence.text
left, right = st.columns(2)
if left.button("Back to the original", key="rewrite_reset"):
    st.session_state[box_key] = sentence.text
if examples and right.button("Use the worked example", key="rewrite_use_example"):
    st.session_state[box_key] = examples[0].rewrite
rewritten = st.text_area("Your rewrite", key=box_key, height=120, max_chars=2000, persist_state="session")

# Both versions are labelled on their own, so that the comparison is like for like.
# The sidebar's technique and voice switches apply here as on every page.
before = keep(state.labelled(sentence.text, threshold)[0], shown.techniques, shown.voices)
after = keep(state.labelled(rewritten, threshold)[0], shown.techniques, shown.voices) if rewritten.strip() else []
diff = rewrite_diff(sentence.text, before, rewritten, after)

st.markdown(render.legend_html(), unsafe_allow_html=True)
b, a = st.columns(2)
with b:
    st.markdown("**Before** (the model's labels)")
    st.markdown(render.render_html(sentence.text, before, large=large), unsafe_allow_html=True)
with a:
    st.markdown("**After** (the model's labels)")
    st.markdown(render.render_html(rewritten, after, large=large), unsafe_allow_html=True)

# Only an edited version is judged: no red "Still there" for a sentence the student has not touched, and no "Gone"
# or "no technique left" for an empty box.
kind = rewrite_kind(sentence.text, rewritten)
edited = kind == "edited"
if edited:
    for span in diff.gone:
        st.success(escape_markdown(f"Gone: “{span_text(sentence.text, span)}” ({TITLES[span.technique].lower()})"))
    for span in diff.remaining:
        st.error(escape_markdown(f"Still there: “{span_text(rewritten, span)}” ({TITLES[span.technique].lower()})"))
    for span in diff.new:
        st.warning(escape_markdown(f"New in your version: “{span_text(rewritten, span)}” "
                                   f"({TITLES[span.technique].lower()})"))
if not before:
    st.info("The model finds nothing in this sentence on its own (it may need the article around it). Compare "
            "with what the annotators marked.")
elif kind == "empty":
    st.warning("Your version is empty, and an empty answer is not a rewrite: write the sentence again, keeping its "
               "facts and dropping the technique. *Back to the original* starts from the sentence.")
elif kind == "unchanged":
    st.info("Edit the sentence in the box: what the model finds gone, still there or new in your version shows here.")
elif not diff.remaining and not diff.new:
    st.success("The model finds no technique left in your version.")

in_gold = [span for span in gold if overlaps(span, sentence.start, sentence.end)]
if in_gold:
    st.markdown("**What the annotators marked in this sentence**")
    phrases = [span_text(source.text, span) for span in in_gold]
    for span, (phrase, kept) in zip(in_gold, phrases_kept(phrases, rewritten), strict=True):
        verdict = ("✘ still in your version" if kept else "✔ gone from your version") if kind != "empty" else \
            "to rewrite"
        st.write(escape_markdown(f"“{phrase}” ({TITLES[span.technique].lower()}): {verdict}"))

removed, added = word_changes(sentence.text, rewritten)
if edited and (removed or added):
    st.markdown("**Are the facts still there? You judge.**")
    st.write(escape_markdown("Words you removed: " + (" · ".join(removed) or "none")))
    st.write(escape_markdown("Words you added: " + (" · ".join(added) or "none")))
    features = state.tagger().token_tagger.features
    charged = charged_added(added, features.valence, features.cues.by_technique)
    if charged:
        st.warning(escape_markdown("New and charged in your version: " + ", ".join(charged) + ". Is it neutral?"))

if examples:
    with st.expander("A worked example for this sentence"):
        for example in examples:
            st.markdown(escape_markdown(f"Original: {example.original}"))
            st.markdown(escape_markdown(f"Neutral: {example.rewrite}"))
            st.caption(escape_markdown(f"{TITLES[example.technique]} (“{example.phrase}”). {example.note}"))

with st.expander(f"All {len(worked)} worked examples"):
    titles = state.seed_labels()
    for example in worked:
        st.markdown(escape_markdown(f"{TITLES[example.technique]} — {titles.get(example.article, example.article)}"))
        st.markdown(escape_markdown(f"Original: {example.original}"))
        st.markdown(escape_markdown(f"Neutral: {example.rewrite}"))
        st.caption(escape_markdown(example.note))
        st.divider()
