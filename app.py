"""Slant: highlight propaganda techniques in news text. Run: streamlit run app.py"""
import streamlit as st

from ui import render, reviewing, state

# An emoji favicon is drawn in the browser; a ":material/…:" favicon is fetched from fonts.gstatic.com (offline: no).
st.set_page_config(page_title="Slant", page_icon="🔎", layout="wide")
st.html(render.STYLE)
state.sidebar_controls()
reviewing.review_controls()

pages = [
    st.Page("views/compare.py", title="Compare sources", icon=":material/compare:", default=True),
    st.Page("views/analyse.py", title="Analyse your text", icon=":material/edit_note:"),
    st.Page("views/explain.py", title="How it works", icon=":material/info:"),
    st.Page("views/spot.py", title="Class: spot it, then reveal", icon=":material/search:"),
    st.Page("views/rewrite.py", title="Class: rewrite it neutrally", icon=":material/edit:"),
    st.Page("views/quiz.py", title="Class: which one is loaded?", icon=":material/quiz:"),
    st.Page("views/handout.py", title="Class: handout", icon=":material/print:"),
]
st.navigation(pages).run()
