"""Fitting the foreign_hand component (model/foreign_hand.py) and the documents it is measured on. Labelling never
imports this.

The component reads the token head's foreign_hand output (model/training/build_token_head.py learns it); what is
fitted here are its few numbers, on the `dev` documents the head never saw (model/training/head_data.py): the
calibration of a sentence's highest piece probability, the floor of the span picker, whether a span is widened to
its outside actor, and the default threshold (the lowest whose dev precision reaches Params.sure_precision, as for
the other techniques: docs/decisions/default-thresholds.md).

    from model.training.foreign_hand_train import dev_documents, train_foreign_hand
    hand = train_foreign_hand(encoder, dev_documents())
"""
import hashlib
import json
from pathlib import Path

import numpy as np

from model.encoder import Encoder
from model.foreign_hand import ForeignHand
from model.paths import EUVSDISINFO_DIR, PTC_DIR, SEMEVAL_DIR, SEMEVAL_FOREIGN_HAND_DIR
from model.spans import Span
from model.tokens import sentence_spans

RANDOM_STATE = 20220105
# The database's topic tags closest to foreign-hand attribution: weak labels of the claim titles (evaluation only).
FOREIGN_HAND_TAGS = frozenset({"Colour revolutions", "Puppets", "Destabilising Russia", "Coup", "election meddling",
                               "Secret services", "George Soros", "Euromaidan"})
FLOORS = (0.2, 0.3, 0.4, 0.5)
MIN_PREDICTED = 10
DEV_SHARE = 4
THRESHOLDS = (0.02, 0.03) + tuple(round(0.05 * k, 2) for k in range(1, 20))


def claim_titles(folder: Path = EUVSDISINFO_DIR, years=None) -> list[tuple[str, int]]:
    """EUvsDisinfo titles as (text, 1 when tagged with a foreign-hand topic) (weak labels); `years` keeps some."""
    from model.training.corpora import load_euvsdisinfo

    return [(c.title, int(bool(FOREIGN_HAND_TAGS & set(c.keywords))))
            for c in load_euvsdisinfo(Path(folder)) if years is None or c.date.year in years]


def semeval_part(name: str, committed: dict[str, list[str]]) -> str:
    """"test" for a document of the committed split's test part; of the others, one in DEV_SHARE (by the SHA-256 of
    its name) is "dev", the rest "train"."""
    if name in committed["test"]:
        return "test"
    return "dev" if int(hashlib.sha256(name.encode("utf-8")).hexdigest(), 16) % DEV_SHARE == 0 else "train"


def semeval_documents(folder: Path = SEMEVAL_DIR, part: str | None = None,
                      gold: Path = SEMEVAL_FOREIGN_HAND_DIR) -> list:
    """The SemEval-2025 documents we annotated (data/semeval_foreign_hand), as model.data.Document with their
    foreign_hand spans, texts read from `folder` (the corpus); `part` "train", "dev" or "test" keeps one part
    (semeval_part: `dev` is a quarter of the committed `train` part)."""
    from model.data import Document, read_exact_text

    names = read_exact_text(gold / "documents.txt").split()
    if part is not None:
        committed = json.loads(read_exact_text(gold / "split.json"))
        names = [n for n in names if semeval_part(n, committed) == part]
    spans: dict[str, list] = {n: [] for n in names}
    for line in read_exact_text(gold / "spans.jsonl").splitlines():
        if line.strip():
            r = json.loads(line)
            if r["article"] in spans:
                spans[r["article"]].append(Span(r["start"], r["end"], "foreign_hand", voice=r["voice"]))
    return [Document(n, read_exact_text(Path(folder) / "raw-documents" / f"{n}.txt"), sorted(spans[n]), [])
            for n in names]


def ptc_parts(ptc_dir: Path | None = None, ptc=None) -> dict[str, list]:
    """The PTC articles annotated for foreign_hand (data/ptc_foreign_hand) as documents, by part ("train", "dev",
    "test"); empty parts when the PTC corpus (`ptc_dir`, default model.paths.PTC_DIR) is not on this machine. `ptc`:
    its documents, when the caller has read them already."""
    ptc_dir = PTC_DIR if ptc_dir is None else Path(ptc_dir)
    if not ptc_dir.is_dir():
        return {"train": [], "dev": [], "test": []}
    from model.training.ptc_foreign_hand import load_ptc_foreign_hand, split

    by_name = {d.name: d for d in load_ptc_foreign_hand(ptc_dir, ptc=ptc)}
    return {part: [by_name[n] for n in names] for part, names in split(list(by_name)).items()}


def dev_documents(ptc_dir: Path | None = None, semeval_dir: Path = SEMEVAL_DIR) -> list:
    """The documents the component's numbers are chosen on: the `dev` parts of the PTC articles and of the SemEval
    documents annotated for foreign_hand (the token head never trains on them)."""
    return ptc_parts(ptc_dir)["dev"] + semeval_documents(semeval_dir, "dev")


def sentence_table(hand: ForeignHand, encoded_docs) -> tuple[np.ndarray, np.ndarray]:
    """(highest piece probability, 1 when the sentence overlaps a gold span) of every sentence of the documents
    that is not page furniture."""
    raw, labels = [], []
    for doc, encoded in encoded_docs:
        gold = [(s.start, s.end) for s in doc.spans if s.technique == "foreign_hand"]
        for sentence, best in zip(encoded, hand.best_pieces(doc.text, encoded), strict=True):
            if not np.isnan(best):
                raw.append(best)
                labels.append(int(any(a < sentence.end and sentence.start < b for a, b in gold)))
    return np.array(raw), np.array(labels)


def span_curve(hand: ForeignHand, encoded_docs, thresholds=THRESHOLDS) -> dict:
    """{threshold: (Metrics of foreign_hand, false alarms per document without a claim)} on the documents
    (partial-overlap scoring)."""
    from model.training.scoring import score

    found = [(doc, hand.spans(doc.text, encoded, min(thresholds))) for doc, encoded in encoded_docs]
    clean = [spans for doc, spans in found if not any(s.technique == "foreign_hand" for s in doc.spans)]
    curve = {}
    for th in thresholds:
        pairs = [([Span(s, e, "foreign_hand", p) for s, e, p in spans if p >= th],
                  [s for s in doc.spans if s.technique == "foreign_hand"]) for doc, spans in found]
        alarms = sum(1 for spans in clean for *_, p in spans if p >= th) / max(len(clean), 1)
        curve[th] = (score(pairs)["foreign_hand"], round(alarms, 3))
    return curve


def default_threshold(curve: dict, sure_precision: float, max_false_alarms: float) -> float:
    """The lowest threshold whose dev precision reaches `sure_precision` (the rule of every technique; counted only
    where at least MIN_PREDICTED spans are found, so that a handful cannot decide it); when none does, the lowest
    whose false alarms per document without a claim are at most `max_false_alarms` (a class sees few wrong
    examples); failing both, the best-F1 one."""
    for rule in (lambda m, fa: m.precision >= sure_precision and m.n_predicted >= MIN_PREDICTED,
                 lambda m, fa: fa <= max_false_alarms and m.n_predicted >= MIN_PREDICTED):
        chosen = [th for th, (m, fa) in sorted(curve.items()) if rule(m, fa)]
        if chosen:
            return chosen[0]
    return max(curve, key=lambda th: (curve[th][0].f1, th))


def train_foreign_hand(encoder: Encoder, dev_docs, sure_precision: float = 0.5, max_false_alarms: float = 0.15,
                       log=print) -> ForeignHand:
    """The component's numbers fitted on `dev_docs` (dev_documents() for the committed model) over the token head
    of `encoder`: calibration, then floor and actor widening by the best dev F1 over thresholds, then the default
    threshold (`default_threshold`) and the balanced one (the best dev F1)."""
    from sklearn.linear_model import LogisticRegression

    encoded_docs = [(d, encoder.encode(d.text, sentence_spans(d.text))) for d in dev_docs]
    x, y = sentence_table(ForeignHand((1.0, 0.0), FLOORS[0], 0.5), encoded_docs)
    platt = LogisticRegression(C=1e4, tol=1e-8, max_iter=10000, random_state=RANDOM_STATE).fit(x[:, None], y)
    calibration = (round(float(platt.coef_[0][0]), 6), round(float(platt.intercept_[0]), 6))
    best = None
    for floor in FLOORS:
        for take_actor in (True, False):
            curve = span_curve(ForeignHand(calibration, floor, 0.5, take_actor=take_actor), encoded_docs)
            th, (m, _) = max(curve.items(), key=lambda kv: (kv[1][0].f1, kv[0]))
            log(f"  foreign_hand dev: floor {floor} actor {take_actor}: best F1 {m.f1:.3f} at {th} "
                f"(P {m.precision:.3f} R {m.recall:.3f})")
            if best is None or m.f1 > best[0]:
                best = (m.f1, floor, take_actor, curve, th)
    _, floor, take_actor, curve, balanced = best
    threshold = default_threshold(curve, sure_precision, max_false_alarms)
    for th, (m, fa) in sorted(curve.items()):
        log(f"  foreign_hand dev at {th}: P {m.precision:.3f} R {m.recall:.3f} F1 {m.f1:.3f}, {fa} false alarms "
            "per document without a claim")
    at = curve[threshold][0]
    trained_on = {"dev_documents": len(dev_docs), "dev_sentences": int(len(y)), "dev_claim_sentences": int(y.sum()),
                  "balanced_threshold": balanced,
                  "dev_at_default": {"precision": round(at.precision, 3), "recall": round(at.recall, 3),
                                     "f1": round(at.f1, 3), "false_alarms_per_clean_document": curve[threshold][1]}}
    log(f"  foreign_hand: calibration {calibration}, floor {floor}, actor {take_actor}, default {threshold}, "
        f"balanced {balanced}")
    return ForeignHand(calibration, floor, threshold, trained_on, take_actor)
