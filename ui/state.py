"""The Streamlit side shared by every page: the model loaded once, cached results, the sidebar controls and the
session's comparison. The only module of `ui` that imports Streamlit; the pages in `views/` call it."""
from dataclasses import dataclass, replace

import streamlit as st

from model.evidence import Evidence
from model.paths import SEED_FURNITURE, SEED_GOLD
from model.spans import VOICES, Span
from model.techniques import TECHNIQUES, TITLES
from ui import explain, render, sources
from ui.gate import Gate, cores, waiting_note
from ui.sources import Source, keep

VOICE_CHOICES = {"Both": VOICES, "Author's own voice": ("author",), "Quoted": ("quoted",)}


# The weakest guesses a page counts as hidden by the thresholds ("3 more below the thresholds").
WEAKEST = 0.1


@dataclass(frozen=True)
class Controls:
    threshold: dict[str, float] | None  # each technique's threshold where not the model's default; None: all at it
    techniques: tuple[str, ...]
    voices: tuple[str, ...]
    large: bool


@st.cache_resource(show_spinner="Loading the model…")
def tagger():
    from model.tagger import load_tagger

    return load_tagger(threads=1)  # one core per labelling: the gate runs as many at once as there are cores


@st.cache_resource(show_spinner=False)
def gate() -> Gate:
    """Every labelling of the server goes through this gate (ui/gate.py); it keeps their results, in memory only and
    for an hour at most: pasted text is never written anywhere."""
    return Gate(slots=cores(), max_entries=256, ttl=3600)


def labelled(text: str, threshold: dict[str, float] | None) -> tuple[list[Span], dict[Span, Evidence]]:
    """The model's spans for `text` and, for each, the evidence a reader can check (model/evidence.py)."""
    spans, reasons, _ = _labelling(text, threshold)
    return list(spans), dict(reasons)


def hidden(text: str, threshold: dict[str, float] | None) -> list[Span]:
    """The spans scored at least WEAKEST that the thresholds hide in `text`."""
    return list(_labelling(text, threshold)[2])


def _labelling(text: str, threshold: dict[str, float] | None) -> tuple:
    """(spans, their evidence, the weaker spans hidden by the thresholds) of `text`, labelled in one turn at the gate
    (the page shows its place in the queue while it waits) or kept from before."""
    model = tagger()

    def label():
        spans, weaker = model.label_with_hidden(text, threshold, WEAKEST)
        return tuple(spans), {s: model.evidence(text, s) for s in spans}, tuple(weaker)

    return _through_gate(("label", text, _key(threshold)), label)


def features(text: str, threshold: dict[str, float] | None) -> dict[Span, list[tuple[str, float]]]:
    """For the curious: the model features that pushed it most towards each span, in words, with their weights."""
    model, spans = tagger(), labelled(text, threshold)[0]  # the page's spans, kept: not labelled again
    return _through_gate(("features", text, _key(threshold)), lambda: {
        s: [(explain.describe_feature(f, examples), w) for f, examples, w in model.explain(text, s)] for s in spans})


def _key(threshold: dict[str, float] | None):
    return tuple(sorted(threshold.items())) if threshold else None


def _through_gate(key, compute):
    """`compute()` through the gate, with a note on the page while it waits: its place in the queue, then
    "Labelling…"; the note goes when the result is there."""
    note = None

    def tell(ahead: int | None) -> None:
        nonlocal note
        note = note or st.empty()
        note.info(waiting_note(ahead), icon=":material/hourglass_top:")

    result = gate().result(key, compute, on_wait=tell)
    if note is not None:
        note.empty()
    return result


@st.cache_data(show_spinner=False)
def seeds() -> list[Source]:
    from model.data import load_page_furniture, load_seeds

    furniture = load_page_furniture() if SEED_FURNITURE.is_file() else {}
    return [Source(name=a.name, text=a.text, title=a.title, outlet=a.outlet, author=a.author, date=a.date,
                   furniture=furniture.get(a.name, ())) for a in load_seeds()]


def seed_labels() -> dict[str, str]:
    """Each seed's display label by its name; empty when the seeds cannot be read (the pages still work)."""
    from model.data import DataError

    try:
        return {seed.name: seed.label for seed in seeds()}
    except DataError:
        return {}


@st.cache_data(show_spinner=False)
def seed_gold() -> dict[str, list[Span]] | None:
    """The human annotation of the seeds, or None while data/seeds/annotations.jsonl does not exist."""
    from model.data import load_seed_gold

    return load_seed_gold(SEED_GOLD) if SEED_GOLD.is_file() else None


def tagger_or_stop():
    """The model, or a clear message on the page and nothing else when its files cannot be loaded."""
    from model.tagger import ModelFileError

    try:
        return tagger()
    except ModelFileError as err:
        st.error(f"Slant cannot load its model: {err}.")
        st.stop()


def sidebar_controls() -> Controls:
    """Draw the controls every page shares (called once, by app.py, before the page runs)."""
    model = tagger_or_stop()
    moved = {}
    techniques = []
    default, balanced = model.limits(None), model.limits(model.balanced_thresholds)
    kept = [f"{TITLES[t].lower()} stays at {default[t]:.2f}, already its best balance"
            for t in TECHNIQUES if round(balanced[t], 2) == round(default[t], 2)]
    with st.sidebar:
        st.header("What to show")
        more = st.toggle("More highlights, less sure", value=False, key="more_highlights",
                         help="Off (the default): the thresholds at which about half of the loaded language and name "
                         "calling highlights or more were right on news the model had not seen, and at which foreign "
                         "hand rarely marks an article with no such claim (about 3 of its highlights in 10 were "
                         "right). On: the thresholds that balance spans found and spans "
                         "right best (F1): about twice as many highlights, more of them wrong"
                         + "".join(f"; {k}" for k in kept) + ". How it works has the figures of both.")
        limits = model.limits(model.balanced_thresholds if more else None)
        defaults = {t: round(limit, 2) for t, limit in limits.items()}
        st.caption("Each technique has its own threshold: a span shows when the model scores it at least that high. "
                   "Lower: more spans, more mistakes.")
        for t in TECHNIQUES:
            if st.toggle(TITLES[t], value=True, key=f"show_{t}"):
                techniques.append(t)
            value = st.slider(f"{TITLES[t]}: threshold", 0.0, 1.0, defaults[t], 0.01,
                              key=f"threshold_{t}" + ("_more" if more else ""), disabled=t not in techniques,
                              help=f"Show the {TITLES[t].lower()} spans scored at least this high. The default "
                              f"({defaults[t]:.2f}) is the model card's.")
            if more or value != defaults[t]:
                moved[t] = value
        voice = st.radio("Whose words", list(VOICE_CHOICES), key="voice",
                         help="The author's own words, or words the article quotes from someone else.")
        large = st.toggle("Larger text (projector)", value=False, key="large_text")
    if large:
        st.html(render.LARGE_PAGE_STYLE)
    shown = Controls(threshold=moved or None, techniques=tuple(techniques), voices=VOICE_CHOICES[voice], large=large)
    st.session_state["controls"] = shown
    return shown


def hidden_note(text: str, shown: Controls) -> str | None:
    """A line saying how many weaker guesses the thresholds hide for the techniques shown, or None."""
    weaker = keep(hidden(text, shown.threshold), shown.techniques, shown.voices)
    counts = {t: n for t in TECHNIQUES if (n := sum(s.technique == t for s in weaker))}
    if not counts:
        return None
    parts = ", ".join(f"{n} {TITLES[t].lower()}" for t, n in counts.items())
    total = sum(counts.values())
    return (f"{total} weaker guess{'es' if total > 1 else ''} ({parts}) scored at least {WEAKEST:.2f} "
            f"{'are' if total > 1 else 'is'} hidden by the thresholds: lower them in the sidebar to see "
            f"{'them' if total > 1 else 'it'}.")


def controls() -> Controls:
    """The controls as set in the sidebar (defaults when a test runs a page without app.py)."""
    return st.session_state.get("controls") or Controls(None, TECHNIQUES, VOICES, False)


def with_gold_spans(source: Source, shown: Controls) -> Source:
    gold = (seed_gold() or {}).get(source.name, [])
    return replace(source, spans=tuple(keep(gold, shown.techniques, shown.voices)))


def pick_article(key: str) -> tuple[Source, bool]:
    """A selectbox of the seeds and the articles added in this session: the one picked, and whether it is a seed."""
    from model.data import DataError

    try:
        by_label = {seed.label: seed for seed in seeds()}
    except DataError as err:  # the pasted articles still work
        st.warning(f"The seed articles cannot be read: {render.escape_markdown(str(err))}")
        by_label = {}
    articles = by_label | pasted()
    if not articles:
        st.info("There is no article to work on: add one on the page *Analyse your text*.")
        st.stop()
    choice = st.selectbox("Article", list(articles), key=key, persist_state="session")  # kept across pages
    return articles[choice], choice in by_label


def pasted() -> dict[str, Source]:
    """Articles the user added to the comparison, by label; in this browser session only, never written anywhere."""
    return st.session_state.setdefault("pasted_sources", {})


def add_pasted(source: Source) -> str:
    """Add an article to the comparison (the same text again replaces it); returns the label it is listed under."""
    added = pasted()
    for label in [label for label, other in added.items() if other.text == source.text]:
        del added[label]
    from model.data import DataError

    try:
        taken = set(added) | {s.label for s in seeds()}
    except DataError:  # the Compare page says what is wrong with the seeds; pasting still works
        taken = set(added)
    label, n = source.label, 2
    while label in taken:
        label, n = f"{source.label} ({n})", n + 1
    added[label] = replace(source, name=f"pasted: {label}", title=label, spans=())  # never a seed's name
    st.session_state["last_added"] = label
    return label


def last_added() -> str | None:
    """The label of the article added to the comparison last, which Compare shows beside the first seed."""
    return st.session_state.get("last_added")


def show_spans_table(table) -> None:
    """The table of every span, with its CSV and JSON downloads (the Analyse and Compare pages)."""
    st.dataframe(sources.readable(table), hide_index=True, key="spans_table")  # the downloads keep the keys
    csv_column, json_column, _ = st.columns([1, 1, 4])
    csv_column.download_button("Download CSV", sources.to_csv(table), "slant-spans.csv", "text/csv",
                               key="download_csv")
    json_column.download_button("Download JSON", sources.to_json(table), "slant-spans.json", "application/json",
                                key="download_json")
