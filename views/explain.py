"""How it works: what each technique means, examples from the annotation guideline, and how good the model is."""
import streamlit as st

from model.techniques import DEFINITIONS, TECHNIQUES, TITLES
from ui import explain, render

st.title("How it works")
st.warning("**The labels are a model's guesses, not verdicts.** A highlight says that the words look like a "
           "technique the model has learned from examples; it does not say the article is false, nor that its "
           "author meant to mislead. Read the words, and judge for yourself.")

st.header("The three techniques")
st.markdown(render.legend_html(), unsafe_allow_html=True)
guideline = explain.guideline_text()
for technique in TECHNIQUES:
    st.subheader(TITLES[technique])
    st.markdown(DEFINITIONS[technique])
    section = explain.guideline_section(guideline, technique)
    if section:
        with st.expander(f"Examples and rules from the annotation guideline: {TITLES[technique]}"):
            st.markdown(section)

st.header("What the model does")
st.markdown(explain.HOW_IT_WORKS)
card = explain.model_card_text()
if card:
    with st.expander("The model card: data, training, figures, limits, typical errors (model/MODEL_CARD.md)"):
        st.markdown(card)

st.header("How good is the model?")
metrics = explain.metrics_table()
if metrics is None:
    st.info("The model's held-out scores (model/metrics.json) are not there yet: run `python -m model evaluate`.")
else:
    st.table(metrics.style.format(precision=2, na_rep="—").hide(axis="index"))
    st.caption(explain.METRICS_NOTE)
