"""Training data and fitting of the foreign_hand component (model/foreign_hand.py). Labelling never imports this.

Every source becomes `Labelled` texts: a document with gold spans (each sentence positive when it overlaps a span;
its wordpieces positive when inside one) or a one-sentence text with a label only (a claim title, our sentences).

    from model.training.foreign_hand_train import train_foreign_hand, training_texts
    hand = train_foreign_hand(encoder, training_texts())   # fixed random_state: the same data, the same weights
"""
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from model.encoder import Encoded, Encoder
from model.foreign_hand import ForeignHand, sentence_features
from model.paths import EUVSDISINFO_DIR, FOREIGN_HAND_SENTENCES, SEMEVAL_DIR, SEMEVAL_FOREIGN_HAND_DIR
from model.tokens import sentence_spans

RANDOM_STATE = 20220105
# The database's topic tags closest to foreign-hand attribution: weak labels of the claim titles.
FOREIGN_HAND_TAGS = frozenset({"Colour revolutions", "Puppets", "Destabilising Russia", "Coup", "election meddling",
                               "Secret services", "George Soros", "Euromaidan"})


@dataclass
class Labelled:
    name: str
    text: str
    spans: list[tuple[int, int]] | None  # gold foreign_hand spans; None for a one-sentence text with a label
    label: int | None = None
    weight: float = 1.0
    group: str = ""  # texts of one group (an article, a source) are held out together
    sentences: list[tuple[int, int]] = field(default_factory=list)

    def __post_init__(self):
        if not self.sentences:
            self.sentences = sentence_spans(self.text) if self.spans is not None else [(0, len(self.text))]
        self.group = self.group or self.name

    def sentence_labels(self) -> list[int]:
        if self.spans is None:
            return [int(self.label)] * len(self.sentences)
        return [int(any(a < e and s < b for a, b in self.spans)) for s, e in self.sentences]


# -- sources ------------------------------------------------------------------------------------------------------
def documents(docs, weight: float = 1.0, source: str = "") -> list[Labelled]:
    """Documents (name, text, spans of model.spans.Span) as Labelled texts with their foreign_hand spans."""
    return [Labelled(f"{source}{d.name}", d.text, [(s.start, s.end) for s in d.spans if s.technique == "foreign_hand"],
                     weight=weight) for d in docs]


def own_sentences(path: Path = FOREIGN_HAND_SENTENCES, weight: float = 1.0) -> list[Labelled]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Labelled(f"sentence{i}", r["text"], None, int(r["label"]), weight, "own-sentences")
            for i, r in enumerate(rows)]


def claim_titles(folder: Path = EUVSDISINFO_DIR, weight: float = 0.3, years=None) -> list[Labelled]:
    """EUvsDisinfo titles, labelled 1 when tagged with a foreign-hand topic (weak labels); `years` keeps some."""
    from model.training.corpora import load_euvsdisinfo

    return [Labelled(f"claim{c.key}", c.title, None, int(bool(FOREIGN_HAND_TAGS & set(c.keywords))), weight,
                     f"euvsdisinfo{c.date.year}")
            for c in load_euvsdisinfo(Path(folder)) if years is None or c.date.year in years]


def semeval_documents(folder: Path = SEMEVAL_DIR, part: str | None = None,
                      gold: Path = SEMEVAL_FOREIGN_HAND_DIR) -> list:
    """The SemEval-2025 documents we annotated (data/semeval_foreign_hand), as model.data.Document with their
    foreign_hand spans, texts read from `folder` (the corpus); `part` "train" or "test" keeps one part."""
    from model.data import Document, read_exact_text
    from model.spans import Span

    names = read_exact_text(gold / "documents.txt").split()
    if part is not None:
        names = json.loads(read_exact_text(gold / "split.json"))[part]
    spans: dict[str, list] = {n: [] for n in names}
    for line in read_exact_text(gold / "spans.jsonl").splitlines():
        if line.strip():
            r = json.loads(line)
            if r["article"] in spans:
                spans[r["article"]].append(Span(r["start"], r["end"], "foreign_hand", voice=r["voice"]))
    return [Document(n, read_exact_text(Path(folder) / "raw-documents" / f"{n}.txt"), sorted(spans[n]), [])
            for n in names]


# -- encoding, cached on disk for experiments ----------------------------------------------------------------------
class CachedEncoder:
    """Encoder.encode with an optional cache folder keyed by the text and its sentences."""

    def __init__(self, encoder: Encoder, cache: Path | None = None):
        self.encoder, self.cache = encoder, cache

    def encode(self, text: str, sentences) -> list[Encoded]:
        if self.cache is None:
            return self.encoder.encode(text, sentences)
        key = hashlib.sha256(json.dumps([text, sentences]).encode()).hexdigest()
        path = self.cache / f"{key}.npz"
        if path.exists():
            with np.load(path, allow_pickle=False) as z:
                cuts = np.cumsum(z["lengths"])[:-1]
                return [Encoded(int(s), int(e), o, t.astype(np.float32), v)
                        for (s, e), o, t, v in zip(z["bounds"], np.split(z["offsets"], cuts),
                                                   np.split(z["tokens"], cuts), z["vectors"], strict=True)]
        encoded = self.encoder.encode(text, sentences)
        self.cache.mkdir(parents=True, exist_ok=True)
        np.savez(path, bounds=np.array([[e.start, e.end] for e in encoded], dtype=np.int64).reshape(-1, 2),
                 lengths=np.array([len(e.offsets) for e in encoded], dtype=np.int64),
                 offsets=np.concatenate([e.offsets for e in encoded]) if encoded else np.zeros((0, 2), np.int64),
                 tokens=np.concatenate([e.tokens for e in encoded]).astype(np.float16) if encoded
                 else np.zeros((0, 384), np.float16),
                 vectors=np.stack([e.vector for e in encoded]) if encoded else np.zeros((0, 384), np.float32))
        return encoded


@dataclass
class Matrices:
    x: np.ndarray  # sentence features
    y: np.ndarray
    w: np.ndarray
    groups: np.ndarray
    pieces: np.ndarray  # wordpiece vectors of the positive sentences of texts with spans
    piece_y: np.ndarray
    piece_w: np.ndarray


def matrices(texts: list[Labelled], encoder) -> Matrices:
    xs, ys, ws, gs, ps, pys, pws = [], [], [], [], [], [], []
    for t in texts:
        encoded = encoder.encode(t.text, t.sentences)
        labels = t.sentence_labels()
        xs.append(sentence_features(t.text, encoded))
        ys += labels
        ws += [t.weight] * len(labels)
        gs += [t.group] * len(labels)
        for e, label in zip(encoded, labels, strict=True):
            if label and t.spans and len(e.offsets):
                ps.append(e.tokens)
                pys += [int(any(a < y and x < b for a, b in t.spans)) for x, y in e.offsets]
                pws += [t.weight] * len(e.offsets)
    pieces = np.vstack(ps) if ps else np.zeros((0, 384), np.float32)
    return Matrices(np.vstack(xs), np.array(ys), np.array(ws, dtype=float), np.array(gs), pieces, np.array(pys),
                    np.array(pws, dtype=float))


def fit(m: Matrices, c: float = 1.0, piece_c: float = 1.0, threshold: float = 0.5,
        trained_on: dict | None = None) -> ForeignHand:
    from sklearn.linear_model import LogisticRegression

    # Solved to a tight tolerance: the optimum is unique, so a rebuild on another CPU lands on the same weights.
    sentence = LogisticRegression(C=c, tol=1e-7, max_iter=20000, random_state=RANDOM_STATE)
    sentence.fit(m.x, m.y, sample_weight=m.w)
    piece = LogisticRegression(C=piece_c, tol=1e-7, max_iter=20000, random_state=RANDOM_STATE)
    piece.fit(m.pieces, m.piece_y, sample_weight=m.piece_w)
    return ForeignHand(sentence.coef_[0].astype(np.float32), float(sentence.intercept_[0]),
                       piece.coef_[0].astype(np.float32), float(piece.intercept_[0]), threshold, trained_on or {})


def ptc_parts(ptc_dir: Path | None = None) -> dict[str, list]:
    """The PTC articles annotated for foreign_hand (data/ptc_foreign_hand) as documents, by part ("train", "dev",
    "test"); empty parts when the PTC corpus (`ptc_dir`, default model.paths.PTC_DIR) is not on this machine."""
    from model.paths import PTC_DIR

    ptc_dir = PTC_DIR if ptc_dir is None else Path(ptc_dir)
    if not ptc_dir.is_dir():
        return {"train": [], "dev": [], "test": []}
    from model.training.ptc_foreign_hand import load_ptc_foreign_hand, split

    by_name = {d.name: d for d in load_ptc_foreign_hand(ptc_dir)}
    return {part: [by_name[n] for n in names] for part, names in split(list(by_name)).items()}


def unannotated_ptc(ptc_dir: Path | None = None) -> list:
    """PTC articles nobody annotated for foreign_hand, outside the project's PTC `dev` and `test` lists, as
    documents without spans: their sentences are taken as (noisy) negatives. Empty without the PTC corpus."""
    from model.paths import PTC_DIR, PTC_FOREIGN_HAND_ARTICLES

    ptc_dir = PTC_DIR if ptc_dir is None else Path(ptc_dir)
    if not ptc_dir.is_dir():
        return []
    from model.data import Document, read_exact_text
    from model.training.corpora import load_ptc, load_splits, ptc_part

    annotated, splits = set(read_exact_text(PTC_FOREIGN_HAND_ARTICLES).split()), load_splits()
    return [Document(d.name, d.text, [], []) for d in load_ptc(ptc_dir)
            if d.name not in annotated and ptc_part(d.name, splits) == "train"]


def training_texts(seeds=None, ptc_dir: Path | None = None, semeval_dir: Path = SEMEVAL_DIR,
                   euvsdisinfo_dir: Path | None = EUVSDISINFO_DIR, titles_weight: float = 0.0,
                   semeval_weight: float = 1.0) -> list[Labelled]:
    """Everything the component learns from: the seeds (documents with gold spans; default all five), the PTC
    articles annotated for it (`train` part) and, as negatives, the PTC articles nobody annotated for it, our own
    sentences, the `train` part of the SemEval documents we annotated, and (when `titles_weight` > 0) the
    EUvsDisinfo titles with their topic tags as weak labels."""
    from model.data import load_seed_docs

    if not (Path(semeval_dir) / "raw-documents").is_dir():
        raise FileNotFoundError(f"the SemEval-2025 Task 10 documents are not at {semeval_dir}: put the corpus in "
                                "../shared/semeval2025-t10 or set SLANT_SEMEVAL")
    seeds = load_seed_docs() if seeds is None else list(seeds)
    texts = documents(seeds) + documents(ptc_parts(ptc_dir)["train"]) + documents(unannotated_ptc(ptc_dir))
    texts += own_sentences()
    texts += documents(semeval_documents(semeval_dir, "train"), weight=semeval_weight)
    if titles_weight > 0 and euvsdisinfo_dir is not None:
        texts += claim_titles(Path(euvsdisinfo_dir), weight=titles_weight)
    return sorted(texts, key=lambda t: t.name)  # the same order whatever order the corpus folders list files in


def train_foreign_hand(encoder: Encoder, texts: list[Labelled], cache: Path | None = None, c: float = 1.0,
                       piece_c: float = 1.0, positive_share: float = 0.2, threshold: float = 0.6,
                       margin: float = 0.2) -> ForeignHand:
    """The component fitted on `texts` (training_texts() for the committed model) over the vectors of `encoder`;
    the defaults are the cross-validated choice (docs/decisions/foreign-hand.md). `positive_share` reweighs the
    positive sentences so that they weigh that share of the negatives in all."""
    m = matrices(texts, CachedEncoder(encoder, cache))
    if positive_share:
        pos, neg = m.w[m.y == 1].sum(), m.w[m.y == 0].sum()
        m.w = m.w * np.where(m.y == 1, positive_share * neg / pos, 1.0)
    trained_on = {"texts": len(texts), "sentences": int(len(m.y)), "positive_sentences": int(m.y.sum()),
                  "pieces": int(len(m.piece_y)), "c": c, "piece_c": piece_c, "positive_share": positive_share}
    hand = fit(m, c, piece_c, threshold, trained_on)
    hand.margin = margin
    return hand
