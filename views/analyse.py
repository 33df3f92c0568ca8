"""Analyse your text: paste or upload an article, see its spans highlighted, add it to the comparison."""
import streamlit as st

from model import textio
from ui import render, sources, state

shown = state.controls()

st.title("Analyse your text")
st.caption("Paste an English news article or upload a .txt, .md or .html file. It stays in this browser session: "
           "nothing is stored or sent anywhere.")

pasted_text = st.text_area("Article text", key="article", height=220,
                           placeholder="Paste the article here, then press Ctrl+Enter or the Analyse button.")
upload = st.file_uploader("…or upload a file", type=["txt", "md", "html", "htm"], key="upload")
title_column, source_column = st.columns(2)
title = title_column.text_input("Title (optional)", key="title")
outlet = source_column.text_input("Source name (optional)", key="source_name")
st.button("Analyse", key="analyse", type="primary")

try:
    if upload is not None:
        text = textio.decode_bytes(upload.getvalue())
        origin = upload.name
    else:
        text = pasted_text
        origin = "pasted text"
        if not text.strip():
            st.info("Paste an article or upload a file to see its highlights.")
            st.stop()
except textio.InputError as err:
    st.error(f"Cannot analyse {upload.name}: {err}.")
    st.stop()

source = sources.Source(name=origin, text=text, title=title.strip() or "Your article", outlet=outlet.strip())
source, reasons = state.with_model_spans(source, shown)

words = sources.word_count(text)
st.subheader(source.label)
st.caption(" · ".join(p for p in (source.byline, f"{words:,} words", f"{len(source.spans)} spans shown") if p))
if st.button("Add to comparison", key="add_to_comparison",
             help="Show this article beside the seeds on the Compare sources page (for this session only)."):
    label = state.add_pasted(source)
    st.success(f"Added “{label}” to Compare sources.")
st.markdown(render.legend_html(shown.techniques), unsafe_allow_html=True)
st.markdown(render.render_html(text, source.spans, reasons=reasons, large=shown.large), unsafe_allow_html=True)
if not source.spans:
    st.info("No spans at this threshold for the techniques shown. Lower the score threshold in the sidebar to see "
            "weaker guesses.")

st.subheader("Spans per 1,000 words")
st.dataframe(sources.rates([source]).drop(columns="source"), hide_index=True, key="rates_table")
st.subheader("Every span")
table = sources.spans_table([source])
st.dataframe(table, hide_index=True, key="spans_table")
csv_column, json_column, _ = st.columns([1, 1, 4])
csv_column.download_button("Download CSV", sources.to_csv(table), "slant-spans.csv", "text/csv", key="download_csv")
json_column.download_button("Download JSON", sources.to_json(table), "slant-spans.json", "application/json",
                            key="download_json")
