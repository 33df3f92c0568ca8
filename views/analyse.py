"""Analyse your text: paste or upload an article, see its spans highlighted, add it to the comparison."""
import streamlit as st

from model import textio
from ui import render, sources, state
from ui.render import escape_markdown  # titles, file names: user text where Streamlit reads Markdown

shown = state.controls()

st.title("Analyse your text")
st.caption("Paste an English news article or upload a .txt, .md or .html file "
           f"(up to {textio.MAX_CHARS:,} characters). It stays in this browser session: nothing is stored or sent "
           "anywhere.")

pasted_text = st.text_area("Article text", key="article", height=220,
                           placeholder="Paste the article here, then press Ctrl+Enter or the Analyse button.")
upload = st.file_uploader("…or upload a file", key="upload",
                          type=["txt", "md", *(suffix.lstrip(".") for suffix in textio.HTML_SUFFIXES)])
title_column, source_column = st.columns(2)
title = title_column.text_input("Title (optional)", key="title")
outlet = source_column.text_input("Source name (optional)", key="source_name")
st.button("Analyse", key="analyse", type="primary")

try:
    if upload is not None:
        origin = upload.name
        text, warnings = textio.prepare_upload(upload.name, upload.getvalue())
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

default_title = upload.name if upload is not None else "Your article"
source = sources.Source(name=origin, text=text, title=title.strip() or default_title, outlet=outlet.strip())
source, reasons = state.with_model_spans(source, shown)

st.subheader(escape_markdown(source.label))
st.caption(escape_markdown(sources.summary(source)))
if st.button("Add to comparison", key="add_to_comparison",
             help="Show this article beside the seeds on the Compare sources page (for this session only)."):
    label = state.add_pasted(source)
    st.success(f"Added “{escape_markdown(label)}” to Compare sources.")
st.markdown(render.legend_html(shown.techniques), unsafe_allow_html=True)
st.markdown(render.render_html(text, source.spans, reasons=reasons, large=shown.large), unsafe_allow_html=True)
if not source.spans:
    st.info("No spans at this threshold for the techniques shown. Lower the score threshold in the sidebar to see "
            "weaker guesses.")

st.subheader("Spans per 1,000 words")
st.dataframe(sources.rates([source], shown.techniques).drop(columns="source"), hide_index=True, key="rates_table")
st.subheader("Every span")
table = sources.spans_table([source])
state.show_spans_table(table)
