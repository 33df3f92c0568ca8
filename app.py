"""Slant: highlight propaganda techniques in news text. Run: streamlit run app.py"""
import streamlit as st

st.set_page_config(page_title="Slant", layout="wide")
st.title("Slant")
st.info("The app is being built: see the README.")
