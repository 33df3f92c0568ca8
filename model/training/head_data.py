"""What the token head learns from, per technique column (model/training/build_token_head.py).

The head has one output per technique of HEAD_TECHNIQUES (loaded_language, name_calling, foreign_hand), which
labelling reads, and during training one auxiliary output per other PTC technique (Doubt, Flag-Waving, ...), which
is dropped at export. Each source says which columns it knows: PTC articles know all of PTC's techniques and, when
annotated for it in a training part, foreign_hand; our group sentences know loaded_language and name_calling (and
that none of them is a foreign-hand claim); SemEval documents and our minimal pairs know foreign_hand only; the
sentences of teachers' reviews (model/training/reviews.py) know the three head techniques. A column a source does
not know is masked out of the loss.

Parts, fixed before any modelling: `train` is learnt from; `dev` chooses the pipeline's mixing, floors, calibration
and thresholds (the head never sees it); `test` is only read by the evaluation.
- PTC, loaded_language and name_calling: model/splits.json (`test` and `far` are test).
- PTC, foreign_hand: model.training.ptc_foreign_hand.split (the same lists; the other articles alternate).
- SemEval: its committed split (data/semeval_foreign_hand/split.json); one `train` document in four is dev
  (model.training.foreign_hand_train.semeval_part).
- Pairs: model.training.pairs.pair_part (test by wording pattern); the rest trains.
"""
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.foreign_hand import ACTOR
from model.techniques import HEAD_TECHNIQUES

HARD_NEGATIVE_WEIGHT = 2.0  # foreign_hand weight of a sentence that names an outside actor and holds no claim


@dataclass
class Example:
    """A document for the head: its spans by column name, the columns it knows, and its source."""
    name: str
    text: str
    spans: list[tuple[int, int, str]]  # (start, end, technique or PTC technique name)
    known: frozenset[str]
    source: str


def aux_techniques(ptc_docs) -> tuple[str, ...]:
    """PTC's other techniques, as its label file names them, sorted."""
    return tuple(sorted({technique for d in ptc_docs for _, _, technique in d.other}))


def examples(ptc_dir: Path, semeval_dir: Path, reviewed=()) -> tuple[dict[str, list[Example]], tuple[str, ...]]:
    """The head's examples of each part ({"train": [...], "dev": [...]}) and the auxiliary columns (PTC's other
    techniques), the corpora read once; `reviewed` (ReviewedSentence of model/training/reviews.py) are trained on."""
    from model.training.corpora import load_group_sentences, load_ptc, load_splits, ptc_part
    from model.training.foreign_hand_train import ptc_parts, semeval_documents
    from model.training.pairs import load_pairs, pair_part

    ptc = load_ptc(ptc_dir)
    aux = aux_techniques(ptc)
    splits = load_splits()
    hand_parts = ptc_parts(ptc_dir, ptc=ptc)
    hand = {d.name: d for docs in hand_parts.values() for d in docs}
    hand_part = {d.name: p for p, docs in hand_parts.items() for d in docs}
    out = {"train": [], "dev": []}
    for part, found in out.items():
        for d in ptc:
            known = {"loaded_language", "name_calling", *aux} if ptc_part(d.name, splits) == part else set()
            spans = [(s.start, s.end, s.technique) for s in d.spans] + list(d.other)
            if hand_part.get(d.name) == part:
                known.add("foreign_hand")
                spans += [(s.start, s.end, "foreign_hand") for s in hand[d.name].spans]
            if known:
                found.append(Example(d.name, d.text, spans, frozenset(known), "ptc"))
        if part == "train":  # the order of the sources is the order of the windows the head trains on
            found += [Example(d.name, d.text, [(s.start, s.end, s.technique) for s in d.spans],
                              frozenset({"loaded_language", "name_calling", "foreign_hand"}), "group_sentences")
                      for d in load_group_sentences()]
        found += [Example(d.name, d.text, [(s.start, s.end, "foreign_hand") for s in d.spans],
                          frozenset({"foreign_hand"}), "semeval") for d in semeval_documents(semeval_dir, part)]
    out["train"] += [Example(d.name, d.text, [(s.start, s.end, "foreign_hand") for s in d.spans],
                             frozenset({"foreign_hand"}), "pairs")
                     for pair in load_pairs() if pair_part(pair) == "train" for d in pair.documents()]
    out["train"] += reviewed_examples(reviewed)
    return out, aux


def reviewed_examples(reviewed) -> list[Example]:
    """A teacher's reviewed sentence (model/training/reviews.py) knows all three head techniques: a highlight she
    removed is a negative of its technique, one she added a positive."""
    return [Example(r.name, r.text, [(s.start, s.end, s.technique) for s in r.spans], frozenset(HEAD_TECHNIQUES),
                    "reviews") for r in reviewed]


def piece_labels(example: Example, offsets: np.ndarray, sentence: str, columns: tuple[str, ...]):
    """(labels, weights), each (pieces, columns) float32, for one window of `example` whose wordpieces have
    `offsets` in its text: 1 where a piece overlaps a span of the column's technique; weight 0 where the source does
    not know the column, HARD_NEGATIVE_WEIGHT on foreign_hand for a sentence that names an outside actor and holds no
    claim, else 1."""
    labels = np.zeros((len(offsets), len(columns)), dtype=np.float32)
    weights = np.zeros_like(labels)
    for k, column in enumerate(columns):
        if column not in example.known:
            continue
        weights[:, k] = 1.0
        for start, end, technique in example.spans:
            if technique == column:
                labels[(offsets[:, 0] < end) & (offsets[:, 1] > start), k] = 1.0
    if "foreign_hand" in example.known:
        k = columns.index("foreign_hand")
        if not labels[:, k].any() and ACTOR.search(sentence) and example.source != "group_sentences":
            weights[:, k] = HARD_NEGATIVE_WEIGHT
    return labels, weights


def head_columns(aux: tuple[str, ...]) -> tuple[str, ...]:
    """The head's output columns: HEAD_TECHNIQUES first (what labelling reads), then the auxiliary ones."""
    return HEAD_TECHNIQUES + tuple(a for a in aux if a not in HEAD_TECHNIQUES)

