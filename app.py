"""Slant: highlight propaganda techniques in news text. Run: streamlit run app.py"""
import streamlit as st

from ui import render, state

st.set_page_config(page_title="Slant", page_icon="🔎", layout="wide")
st.html(render.STYLE)
state.sidebar_controls()

pages = [
    st.Page("views/compare.py", title="Compare sources", icon="📰", default=True),
    st.Page("views/analyse.py", title="Analyse your text", icon="✍️"),
    st.Page("views/explain.py", title="How it works", icon="ℹ️"),
    st.Page("views/spot.py", title="Class: spot it, then reveal", icon="🕵️"),
    st.Page("views/rewrite.py", title="Class: rewrite it neutrally", icon="🖊️"),
    st.Page("views/quiz.py", title="Class: which one is loaded?", icon="❓"),
    st.Page("views/handout.py", title="Class: handout", icon="🖨️"),
]
st.navigation(pages).run()
