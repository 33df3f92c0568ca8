"""The teacher's review on the page: the sidebar switch between the reviewed and the model's own version, the
reviewed spans every page shows, and the review panel of Analyse and Compare. The Streamlit side of model/review.py,
kept out of ui/state.py so that the two change apart."""
from dataclasses import replace

import streamlit as st

import model.review as rv
from model.spans import Span, sort_spans
from model.techniques import TECHNIQUES, TITLES
from ui import state
from ui.render import escape_markdown
from ui.sources import Source, keep

KEEP, REMOVE = "Keep", "Remove"
CONTEXT = 45  # characters either side of a highlight in the review list
MAX_OCCURRENCES = 30  # typed words found more often than this: the teacher is asked for more words
TRAINING_HOW = ("Reviews teach the model too: `python -m model train --reviews FOLDER` adds the removed highlights "
                "as negatives and the added ones as positives (README, *Retrain*).")


def review_controls() -> None:
    """The sidebar switch (drawn once, by app.py): the reviewed version everywhere, or the model's own."""
    with st.sidebar:
        st.toggle("Use the teacher's reviews", value=True, key="use_reviews",
                  help="On: where a teacher reviewed an article's highlights, every page and download shows the "
                  "reviewed version. Off: the model's own version everywhere.")


def using_reviews() -> bool:
    return st.session_state.get("use_reviews", True)


def saved_review(text: str) -> tuple[rv.Review, str | None]:
    """The review saved for `text` (read again at every run, so that two tabs see each other's decisions), or an
    empty one and what is wrong with the file."""
    try:
        return rv.load(text), None
    except rv.ReviewError as err:
        return rv.empty(text), str(err)


def reviewed_spans(text: str, threshold) -> tuple[list[Span], rv.Review | None]:
    """Every span of `text` in the version the pages show (no technique or voice filter), and the review behind
    it (None: the model's own version)."""
    return _reviewed(text, state.labelled(text, threshold)[0])


def _reviewed(text: str, model_spans: list[Span]) -> tuple[list[Span], rv.Review | None]:
    if not using_reviews():
        return model_spans, None
    review, _ = saved_review(text)
    if not review:
        return model_spans, None
    return rv.reviewed_spans(review, text, model_spans), review


def with_reviewed_spans(source: Source, shown: state.Controls) -> tuple[Source, dict, rv.Review | None]:
    """`source` with the spans the controls let through, reviewed where a review exists; the model's reasons; the
    review (None when the model's own version is shown)."""
    model_spans, reasons = state.labelled(source.text, shown.threshold)
    spans, review = _reviewed(source.text, model_spans)
    return replace(source, spans=tuple(keep(spans, shown.techniques, shown.voices))), reasons, review


def origins(review: rv.Review | None, spans) -> dict[Span, str]:
    """For each span of a reviewed version, who stands behind it (the tooltips and the tables say it)."""
    return {} if review is None else {s: rv.origin(review, s) for s in spans}


def version_note(review: rv.Review | None, text: str) -> str:
    """One line beside the highlights: reviewed by the teacher, or found by the model."""
    if review is not None:
        return (f"Highlights {rv.REVIEWED_WORDS} ({rv.summary(review)}); the rest as {rv.MODEL_WORDS}. The model's "
                "own version: switch off *Use the teacher's reviews* in the sidebar.")
    if using_reviews() or not saved_review(text)[0]:
        return f"Highlights {rv.MODEL_WORDS}, not reviewed by a teacher yet."
    return f"Highlights {rv.MODEL_WORDS} (a teacher's review exists: *Use the teacher's reviews* in the sidebar)."


# ---------------------------------------------------------------- the review panel

def _snippet(text: str, start: int, end: int) -> str:
    """The highlight in bold in a line of its context, as Markdown with the text escaped."""
    left = text[max(0, start - CONTEXT):start].replace("\n", " ")
    right = text[end:end + CONTEXT].replace("\n", " ")
    inner = escape_markdown(text[start:end].replace("\n", " "))
    return f"…{escape_markdown(left)}**{inner}**{escape_markdown(right)}…"


def _options(technique: str) -> list[str]:
    return [KEEP, REMOVE, *(f"→ {TITLES[t]}" for t in TECHNIQUES if t != technique)]


def _chosen(option: str, technique: str) -> str | None:
    if option == REMOVE:
        return None
    if option == KEEP:
        return technique
    return next(t for t in TECHNIQUES if option == f"→ {TITLES[t]}")


def _option_of(decision: rv.Decision | None) -> str | None:
    if decision is None:
        return None
    if decision.decision == rv.REMOVED:
        return REMOVE
    if decision.decision == rv.KEPT:
        return KEEP
    return f"→ {TITLES[decision.technique]}"


def _save(text: str, review: rv.Review) -> None:
    try:
        rv.save(review, text)
    except (rv.ReviewError, OSError) as err:
        st.session_state["review_error"] = f"The decision was not saved: {err}"


def _decide(text: str, span: Span, key: str) -> None:
    option = st.session_state.get(key)
    if option is not None:
        _save(text, rv.judge(rv.empty(text), span, _chosen(option, span.technique)))


def _withdraw(text: str, added: rv.Decision) -> None:
    _save(text, rv.withdraw(rv.empty(text), added))


def _add(text: str, start: int, end: int, technique: str, prefix: str) -> None:
    _save(text, rv.add(rv.empty(text), text, start, end, technique))
    st.session_state.pop(f"{prefix}_pending", None)


def _import(text: str, key: str) -> None:
    upload = st.session_state.get(key)
    if upload is None:
        return
    try:
        merged = rv.import_file(upload.getvalue(), text, f"the file {upload.name}")
    except (rv.ReviewError, OSError) as err:
        st.session_state["review_error"] = f"Not loaded: {err}. Nothing saved was changed."
    else:
        st.session_state["review_note"] = f"Loaded {upload.name}: the review now has {rv.summary(merged)}."


def review_panel(source: Source, shown: state.Controls, prefix: str) -> None:
    """Keep, remove or relabel each of the model's highlights, add the ones it missed; saved as they are made."""
    text = source.text
    review, damaged = saved_review(text)
    path = rv.path_for(review.text_sha256)
    if damaged:
        st.error(escape_markdown(f"{damaged}. Nothing was changed in it."))
        if st.button("Set the damaged file aside and start a new review", key=f"{prefix}_set_aside",
                     help="The file is renamed, not deleted: it stays in the same folder."):
            aside = rv.set_aside(text)
            st.session_state["review_note"] = f"The damaged file was kept as {aside.name}."
            st.rerun()
        return
    for kind, show in (("review_error", st.error), ("review_note", st.success)):
        if message := st.session_state.pop(kind, None):
            show(escape_markdown(message))
    st.caption(escape_markdown(f"Each decision is saved as you make it, in {path}. ") + TRAINING_HOW)

    model_spans = keep(state.labelled(text, shown.threshold)[0], shown.techniques, shown.voices)
    rows = {(s.start, s.end, s.technique): s for s in model_spans}
    for d in review.decisions:  # decided ones stay listed when the thresholds or switches hide them now
        if d.found_by == rv.MODEL:
            rows.setdefault((d.start, d.end, d.model_technique),
                            Span(d.start, d.end, d.model_technique, 0.0, d.voice, text[d.start:d.end]))
    st.markdown(f"**The model's highlights** ({len(rows)}): keep, remove or give another technique")
    if not rows:
        st.caption("The model has no highlight of the techniques shown here.")
    for number, span in enumerate(sort_spans(rows.values()), 1):
        key = f"{prefix}_decide|{review.text_sha256[:16]}|{span.start}|{span.end}|{span.technique}"
        st.session_state[key] = _option_of(review.decision_on(span))
        st.segmented_control(f"{number}. {TITLES[span.technique]}: {_snippet(text, span.start, span.end)}",
                             _options(span.technique), key=key, on_change=_decide, args=(text, span, key),
                             required=True)

    added = review.added()
    if added:
        st.markdown(f"**Added by you** ({len(added)})")
        for d in added:
            left, right = st.columns([5, 1], vertical_alignment="center")
            left.markdown(f"{TITLES[d.technique]}: {_snippet(text, d.start, d.end)}")
            right.button("Withdraw", key=f"{prefix}_withdraw|{d.start}|{d.end}|{d.technique}", on_click=_withdraw,
                         args=(text, d))

    st.markdown("**Add a highlight the model missed**")
    with st.form(f"{prefix}_add_form", clear_on_submit=True, border=False):
        words = st.text_input("Words to highlight, as in the text", key=f"{prefix}_add_words", persist_state="session",
                              placeholder="type the words, then press Enter")
        technique = st.segmented_control("Technique", TECHNIQUES, format_func=TITLES.get, default=TECHNIQUES[0],
                                         key=f"{prefix}_add_technique", required=True)
        submitted = st.form_submit_button("Add")
    pending_key = f"{prefix}_pending"
    if submitted:
        starts = rv.find(text, words)
        st.session_state.pop(pending_key, None)
        if not words.strip():
            st.warning("Type the words to highlight first.")
        elif not starts:
            st.warning(escape_markdown(f"“{words.strip()}” is not in the article (spacing and case aside). Copy "
                                       "the words from the text."))
        elif len(starts) > MAX_OCCURRENCES:
            st.warning(f"These words occur {len(starts)} times: type a few more words around them.")
        else:
            length = len(" ".join(words.split()))
            if len(starts) == 1:
                _add(text, starts[0], starts[0] + length, technique, prefix)
                st.rerun()
            st.session_state[pending_key] = (technique, [(s, s + length) for s in starts])
    if pending := st.session_state.get(pending_key):
        technique, places = pending
        st.markdown(f"These words occur {len(places)} times. Which one is {TITLES[technique].lower()}?")
        for number, (start, end) in enumerate(places, 1):
            st.button(f"{number}. {_snippet(text, start, end)}", key=f"{prefix}_occurrence|{start}|{end}",
                      on_click=_add, args=(text, start, end, technique, prefix))
        st.button("Cancel", key=f"{prefix}_occurrence_cancel", on_click=st.session_state.pop,
                  args=(pending_key, None))

    left, right = st.columns(2)
    left.download_button("Download this review (JSON)", rv.to_json(review, text), file_name=path.name,
                         mime="application/json", key=f"{prefix}_review_download", disabled=not review,
                         help="A file a colleague can load for the same article.")
    uploader = f"{prefix}_review_upload"
    right.file_uploader("Load a colleague's review of this article", type=["json"], key=uploader,
                        on_change=_import, args=(text, uploader), max_upload_size=5)
