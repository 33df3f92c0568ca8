"""Compare sources: two or three articles side by side, highlighted, with spans per 1,000 words and every span."""
import streamlit as st

from model.data import DataError
from ui import charts, explain, render, reviewing, sources, state
from ui.render import escape_markdown  # titles of pasted articles: user text where Streamlit reads Markdown

shown = state.controls()

st.title("Compare sources")
st.caption("The same story, told by different outlets. Highlights are a model's guesses, not verdicts: "
           "hover over or click a highlight to see why it was marked. Under the texts: how the sources compare, "
           "technique by technique, and every span.")

try:
    seeds = state.seeds()
except DataError as err:
    st.error(f"The seed articles cannot be read: {escape_markdown(str(err))}")
    seeds = []
options = {s.label: s for s in seeds} | state.pasted()
# The selection stays for the session; an article added on another page since this one was last shown joins it.
added = state.last_added()
new = added if added != st.session_state.get("compare_added") else None
st.session_state["compare_sources"] = sources.selection(st.session_state.get("compare_sources"), list(options), new)
st.session_state["compare_added"] = added
more = (f"{len(options)} sources are available; three fit side by side, so *Select all* takes the first three."
        if len(options) > sources.MAX_SIDE_BY_SIDE else None)
picked = st.multiselect("Sources side by side (up to three)", list(options), max_selections=sources.MAX_SIDE_BY_SIDE,
                        key="compare_sources", persist_state="session", help=more)
show_gold = st.toggle("Human annotation", key="show_gold", persist_state="session",
                      help="For the seed articles: the spans a person marked, beside the model's.")
st.markdown(render.legend_html(shown.techniques), unsafe_allow_html=True)
if not picked:
    st.info("Pick one, two or three sources to compare.")
    st.stop()

reviewed = [reviewing.with_reviewed_spans(options[label], shown) for label in picked]
labelled = [(source, reasons) for source, reasons, _ in reviewed]
compared = [source for source, _ in labelled]
reviews = {source.label: review for source, _, review in reviewed}
origins = {source.label: reviewing.origins(review, source.spans) for source, _, review in reviewed}


def show_text(source, reasons, gold=False):
    st.markdown(render.render_html(source.text, source.spans, reasons=reasons, gold=gold, large=shown.large,
                                   origins={} if gold else origins.get(source.label)), unsafe_allow_html=True)


def header(source):  # a small heading: the first lines of text fit the first screen, even with long titles
    st.markdown(f"#### {escape_markdown(source.label)}")
    st.caption(escape_markdown(sources.summary(source)))
    st.caption(reviewing.version_note(reviews.get(source.label), source.text))


gold = None
if show_gold:
    try:
        gold = state.seed_gold()
    except DataError as err:
        st.error(f"The human annotation cannot be read: {escape_markdown(str(err))}")
    else:
        if gold is None:
            st.info("The human annotation of the seeds (data/seeds/annotations.jsonl) is not there yet.")
if gold is not None:
    for source, reasons in labelled:
        header(source)
        model_column, gold_column = st.columns(2)
        with model_column:
            st.markdown("**The model's spans**" if reviews.get(source.label) is None else
                        f"**The model's spans, {reviewing.rv.REVIEWED_WORDS}**")
            show_text(source, reasons)
        with gold_column:
            st.markdown("**A person's annotation**")
            if source.name in gold:
                show_text(state.with_gold_spans(source, shown), {}, gold=True)
            else:
                st.info("Only the seed articles have a human annotation.")
else:
    for column, (source, reasons) in zip(st.columns(len(labelled)), labelled, strict=True):
        with column:
            header(source)
            show_text(source, reasons)

# Under the texts (a newcomer sees highlighted text first, issue 31): one figure per source, a statement per
# technique, then each technique and voice.
st.subheader("How the sources compare")
st.markdown("**All spans shown, per 1,000 words**")
st.dataframe(sources.overall(compared).rename(columns={
    "per_1000_words": "all", "author_per_1000_words": "author's own voice", "quoted_per_1000_words": "quoted"}),
    hide_index=True, key="overall_table")
for line in sources.comparison_verdict(compared, shown.techniques, explain.precisions(shown.threshold),
                                      [label for label, review in reviews.items() if review is not None]):
    st.markdown(escape_markdown(line))
rates = sources.rates(compared, shown.techniques)
voices = sources.voice_shares(compared)
st.markdown("**Spans per 1,000 words, by technique**")
font_size = charts.LARGE_FONT_SIZE if shown.large else charts.FONT_SIZE
st.altair_chart(charts.rates_chart(rates, picked, font_size), height=(60 + 80 * len(picked)) * font_size // 14)
st.markdown("**Whose words?** Spans in the author's own voice, or quoted from someone else")
bars = [render.voice_bar_html(row["source"], row["author_share_%"], row["quoted_share_%"])
        for _, row in voices.iterrows()]
st.markdown("".join(bars), unsafe_allow_html=True)


if st.toggle("Review the highlights", key="compare_review_mode", persist_state="session",
             help="Keep, remove or relabel each highlight of one of these articles and add the ones the model "
             "missed. Saved as you go; every page then shows the reviewed version."):
    to_review = st.selectbox("Article to review", picked, key="compare_review_source", persist_state="session")
    reviewing.review_panel(options[to_review], shown, "compare")

st.subheader("Every span")
table = sources.spans_table(compared, origins)
query = st.text_input("Filter the table", key="table_query", persist_state="session", placeholder="a word, or a source")
table = sources.search(table, query)
state.show_spans_table(table)
