"""Printable handout: one source as a standalone HTML file, highlighted for discussion or plain for the exercise."""
import streamlit as st

import model.review as rv
from model.data import DataError
from model.spans import VOICES
from model.techniques import TECHNIQUES, TITLES
from ui import reviewing, state
from ui.classroom import handout_file_names
from ui.render import escape_markdown, handout_html, with_print_button
from ui.sources import keep

st.title("Handout")
st.caption("Two standalone HTML files for any article: one highlighted, with the legend, the definitions and three "
           "questions for discussion; one without highlights, for the exercise. Open them in any browser and print "
           "(they need no internet).")

source, is_seed = state.pick_article("handout_source")

REVIEWED_BASIS = "Reviewed by the teacher"
reviewed_spans, review = reviewing.reviewed_spans(source.text, state.controls().threshold)
bases = ["The human annotators"] if is_seed else []
bases += [REVIEWED_BASIS] if review is not None else []
bases += ["The model"]
if len(bases) > 1:
    basis = st.radio("Highlights from", bases, key="handout_basis", horizontal=True, persist_state="session",
                     help="The model's own version is always one click away.")
else:
    basis = "The model"
if not is_seed and review is None:
    st.caption("A pasted article has no human annotation: the highlights are the model's, and the model makes "
               "mistakes. Review them first (Analyse your text, *Review the highlights*), or check them before you "
               "hand them out.")
gold = None
if basis == "The human annotators":
    try:
        all_gold = state.seed_gold()
        if all_gold is None:
            st.warning("The human annotations of the seeds are missing (data/seeds/annotations.jsonl), so the "
                       "model's highlights are used instead.")
        else:
            gold = all_gold.get(source.name, [])
    except DataError as err:  # a broken install: say so and carry on with the model's highlights
        st.error(f"The human annotations cannot be read, so the model's highlights are used instead: "
                 f"{escape_markdown(str(err))}")
if gold is not None:
    spans = gold
    note = "Highlights: the human annotators of Slant's seed articles."
elif basis == REVIEWED_BASIS:
    spans = reviewed_spans
    note = f"Highlights: Slant's model, {rv.REVIEWED_WORDS} ({rv.summary(review)})."
else:
    spans = state.labelled(source.text, state.controls().threshold)[0]
    note = "Highlights: Slant's model (it makes mistakes: discuss the ones you disagree with)."
shown = state.controls()
spans = keep(spans, shown.techniques, shown.voices)  # the sidebar's switches choose what a handout highlights
if set(shown.techniques) != set(TECHNIQUES) or set(shown.voices) != set(VOICES):
    picked = ", ".join(TITLES[t].lower() for t in shown.techniques) or "no technique"
    note += f" Only {picked}; {' and '.join(shown.voices)} voice (the sidebar's choice)."
byline = " · ".join(part for part in (source.byline, note) if part)

highlighted = handout_html(source.label, source.text, spans, highlighted=True, source_note=byline,
                           skip=source.furniture)
exercise = handout_html(source.label, source.text, [], highlighted=False, source_note=source.byline,
                        skip=source.furniture)
highlighted_name, exercise_name = handout_file_names(source.label, gold=gold is not None)

left, right = st.columns(2)
left.download_button("Download the highlighted handout (HTML)", highlighted, file_name=highlighted_name,
                     mime="text/html", key="handout_download_highlighted", icon="⬇️")
right.download_button("Download the exercise, no highlights (HTML)", exercise, file_name=exercise_name,
                      mime="text/html", key="handout_download_exercise", icon="⬇️")

version = st.radio("Preview", ["Highlighted", "Exercise (no highlights)"], key="handout_preview", horizontal=True,
                   persist_state="session")
page = with_print_button(highlighted if version == "Highlighted" else exercise)
st.iframe(page, height=900)
