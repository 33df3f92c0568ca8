"""Analyse your text: paste or upload an article, see its spans highlighted, add it to the comparison."""
import streamlit as st

from model import textio
from model.techniques import TITLES
from ui import render, reviewing, sources, state
from ui.render import escape_markdown  # titles, file names: user text where Streamlit reads Markdown

UPLOAD_MB = 1  # a file's bytes; the text's own cap is textio.MAX_CHARS

shown = state.controls()

st.title("Analyse your text")
st.caption(f"Paste an English news article or upload a .txt, .md or .html file (up to {UPLOAD_MB} MB; the text itself "
           f"up to {textio.MAX_CHARS:,} characters, about {textio.about_words(textio.MAX_CHARS):,} words). It stays "
           "in this browser session: nothing is sent anywhere, and nothing is stored unless you review its highlights "
           "(then your decisions, with the words highlighted, are saved on this computer).")


def chose(what: str) -> None:
    st.session_state["analyse_input"] = what  # the one changed last is analysed


def uploaded() -> None:
    """The upload box forgets its file when the page changes: the page keeps it (name, bytes) for the session."""
    chose("upload")
    file = st.session_state.get("upload")
    if file is None:  # the user removed it
        st.session_state.pop("analyse_file", None)
    else:
        st.session_state["analyse_file"] = (file.name, file.getvalue())


def forget_file() -> None:
    st.session_state.pop("analyse_file", None)
    chose("pasted")


pasted_text = st.text_area("Article text", key="article", height=220, on_change=chose, args=("pasted",),
                           placeholder="Paste the article here, then press Ctrl+Enter or the Analyse button.",
                           persist_state="session")
upload = st.file_uploader("…or upload a file", key="upload", on_change=uploaded, max_upload_size=UPLOAD_MB,
                          type=["txt", "md", *(suffix.lstrip(".") for suffix in textio.HTML_SUFFIXES)])
file = (upload.name, upload.getvalue()) if upload is not None else st.session_state.get("analyse_file")
if upload is None and file is not None:
    st.caption(f"Still using the file {escape_markdown(file[0])} you uploaded before: the upload box empties when "
               "you change pages, Slant keeps the file for this browser session.")
    st.button("Forget this file", key="forget_file", on_click=forget_file)
title_column, source_column = st.columns(2)
title = title_column.text_input("Title (optional)", key="title", persist_state="session")
outlet = source_column.text_input("Source name (optional)", key="source_name", persist_state="session")
st.button("Analyse", key="analyse", type="primary")

use_upload = file is not None and (not pasted_text or st.session_state.get("analyse_input") != "pasted")
if file is not None and pasted_text:
    other = "the pasted text" if use_upload else f"the file {file[0]}"
    st.caption(f"Both a text and a file are given: Slant analyses the one you changed last, "
               f"{'the file' if use_upload else 'the pasted text'}. To analyse {escape_markdown(other)}, "
               f"{'edit the text' if use_upload else 'upload the file again'} or clear the other one.")
removed = ()
try:
    if use_upload:
        origin, data = file
        text, warnings = textio.prepare_upload(origin, data)
        if not origin.lower().endswith(textio.HTML_SUFFIXES):  # offsets of the exports index the file
            removed = textio.removed_positions(textio.decode_bytes(data, max_chars=len(data)))
    elif pasted_text:
        origin = "the pasted text"
        text, warnings = textio.prepare_pasted(pasted_text)
    else:
        st.info("Paste an article or upload a file to see its highlights.")
        st.stop()
except textio.InputError as err:
    st.error(f"Cannot analyse {escape_markdown(origin)}: {err}.")
    st.stop()
for warning in warnings:
    st.warning(warning)

default_title = origin if use_upload else "Your article"
source = sources.Source(name=origin, text=text, title=title.strip() or default_title, outlet=outlet.strip(),
                        removed=removed)
source, reasons, review = reviewing.with_reviewed_spans(source, shown)
origins = reviewing.origins(review, source.spans)

st.subheader(escape_markdown(source.label))
st.caption(escape_markdown(sources.summary(source)))
if st.button("Add to comparison", key="add_to_comparison",
             help="Show this article beside the seeds on the Compare sources page (for this session only)."):
    label = state.add_pasted(source)
    st.success(f"Added “{escape_markdown(label)}” to Compare sources.")
st.markdown(render.legend_html(shown.techniques), unsafe_allow_html=True)
st.caption(reviewing.version_note(review, text))
st.markdown(render.render_html(text, source.spans, reasons=reasons, large=shown.large, origins=origins),
            unsafe_allow_html=True)
if st.toggle("Review the highlights", key="analyse_review_mode", persist_state="session",
             help="Keep, remove or relabel each highlight and add the ones the model missed, before a class sees "
             "them. Saved as you go; every page then shows the reviewed version."):
    reviewing.review_panel(source, shown, "analyse")
if not shown.techniques:
    st.info("All three techniques are switched off: switch one on in the sidebar to see its spans.")
elif note := state.hidden_note(text, shown):
    st.caption(note)
elif not source.spans:
    st.info("No spans of the techniques shown, even among the weakest guesses.")

st.subheader("Spans per 1,000 words")
st.dataframe(sources.readable(sources.rates([source], shown.techniques).drop(columns="source")), hide_index=True,
             key="rates_table")
st.subheader("Every span")
if not use_upload:  # the browser's box makes every line end one character ("\n"), whatever the text was pasted from
    st.caption("Offsets (start, end) count the characters of the text as it is in the box, each line end one "
               "character; a file with Windows line ends (two characters) has other offsets: upload it to get the "
               "file's.")
table = sources.spans_table([source], {source.label: origins})
state.show_spans_table(table)
if st.toggle("Details for the curious: the model's features behind each span", key="show_features",
             help="What the model computed, not reasons: word shapes, word groups, neighbours, with their weights.",
             persist_state="session"):
    found = state.features(text, shown.threshold)
    st.dataframe([{"start": s.start, "technique": TITLES[s.technique], "text": s.text,
                   "features (weight)": "; ".join(f"{f} ({w:+.2f})" for f, w in found.get(s, []))}
                  for s in source.spans], hide_index=True, key="features_table")
