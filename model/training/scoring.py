"""The SemEval-2020 Task 11 partial-overlap span score, per technique.

For one technique, with predicted spans S and gold spans T (overlapping spans of that technique merged first,
separately in S and in T), summed over all documents:

    precision = sum over s in S, t in T of |s ∩ t| / |s|, divided by |S|
    recall    = sum over s in S, t in T of |s ∩ t| / |t|, divided by |T|
    F1        = 2 P R / (P + R)

A prediction that half-covers a gold span earns half credit, so the score rewards finding the right place even
when the boundaries differ. Cases with no spans: precision is 0 when nothing was predicted, recall is 0 when there
is no gold, F1 is 0 when precision + recall is 0. (With neither predictions nor gold all three are 0: there is
nothing to agree on; look at `n_predicted` and `n_gold` before reading the figures.)
"""

from collections.abc import Iterable
from typing import NamedTuple

from model.spans import Span
from model.techniques import TECHNIQUES


class Metrics(NamedTuple):
    precision: float
    recall: float
    f1: float
    n_predicted: int
    n_gold: int


def merge_overlapping(spans: Iterable[Span]) -> list[tuple[int, int]]:
    """Sorted (start, end) intervals in which spans that overlap (share at least one character) become one."""
    merged: list[list[int]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if merged and span.start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], span.end)
        else:
            merged.append([span.start, span.end])
    return [(start, end) for start, end in merged]


def overlap_credit(predicted: list[tuple[int, int]], gold: list[tuple[int, int]]) -> tuple[float, float]:
    """(sum of |s∩t|/|s|, sum of |s∩t|/|t|) over all pairs, for sorted non-overlapping intervals (linear sweep)."""
    precision_sum = recall_sum = 0.0
    i = j = 0
    while i < len(predicted) and j < len(gold):
        (p_start, p_end), (g_start, g_end) = predicted[i], gold[j]
        common = min(p_end, g_end) - max(p_start, g_start)
        if common > 0:
            precision_sum += common / (p_end - p_start)
            recall_sum += common / (g_end - g_start)
        if p_end <= g_end:
            i += 1
        else:
            j += 1
    return precision_sum, recall_sum


def _metrics(precision_sum: float, recall_sum: float, n_predicted: int, n_gold: int) -> Metrics:
    precision = precision_sum / n_predicted if n_predicted else 0.0
    recall = recall_sum / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Metrics(precision, recall, f1, n_predicted, n_gold)


def score(pairs: Iterable[tuple[list[Span], list[Span]]]) -> dict[str, Metrics]:
    """Partial-overlap precision, recall and F1 for every technique; `pairs` holds (predicted, gold) per document.

    Every technique in TECHNIQUES gets an entry, even when it has no spans at all.
    """
    sums = {technique: [0.0, 0.0, 0, 0] for technique in TECHNIQUES}
    for predicted, gold in pairs:
        for technique, acc in sums.items():
            mine = merge_overlapping(s for s in predicted if s.technique == technique)
            theirs = merge_overlapping(s for s in gold if s.technique == technique)
            precision_sum, recall_sum = overlap_credit(mine, theirs)
            acc[0] += precision_sum
            acc[1] += recall_sum
            acc[2] += len(mine)
            acc[3] += len(theirs)
    return {technique: _metrics(*acc) for technique, acc in sums.items()}


def overall(per_technique: dict[str, Metrics]) -> Metrics:
    """Micro average over techniques: every span weighs the same, whatever its technique."""
    precision_sum = sum(m.precision * m.n_predicted for m in per_technique.values())
    recall_sum = sum(m.recall * m.n_gold for m in per_technique.values())
    n_predicted = sum(m.n_predicted for m in per_technique.values())
    n_gold = sum(m.n_gold for m in per_technique.values())
    return _metrics(precision_sum, recall_sum, n_predicted, n_gold)


def bootstrap(pairs: Iterable[tuple[list[Span], list[Span]]], technique: str, resamples: int = 2000,
              seed: int = 0, level: float = 0.95) -> dict[str, tuple[float, float]]:
    """Percentile intervals of precision, recall and F1 of `technique`, resampling documents with replacement."""
    import numpy as np

    rows = []
    for predicted, gold in pairs:
        mine = merge_overlapping(s for s in predicted if s.technique == technique)
        theirs = merge_overlapping(s for s in gold if s.technique == technique)
        rows.append((*overlap_credit(mine, theirs), len(mine), len(theirs)))
    if not rows:
        return {"precision": (0.0, 0.0), "recall": (0.0, 0.0), "f1": (0.0, 0.0)}
    sums = np.array(rows, dtype=float)[np.random.default_rng(seed).integers(0, len(rows), (resamples, len(rows)))]
    p_sum, r_sum, n_pred, n_gold = sums.sum(axis=1).T
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.where(n_pred > 0, p_sum / n_pred, 0.0)
        recall = np.where(n_gold > 0, r_sum / n_gold, 0.0)
        f1 = np.where(precision + recall > 0, 2 * precision * recall / (precision + recall), 0.0)
    tail = (1 - level) / 2 * 100
    return {name: (round(float(np.percentile(v, tail)), 4), round(float(np.percentile(v, 100 - tail)), 4))
            for name, v in (("precision", precision), ("recall", recall), ("f1", f1))}
