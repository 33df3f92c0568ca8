"""Counts and agreement of annotation passes (the datasheets' tables).

    python -m model.training.agreement                       # counts of the seed gold per technique and voice
    python -m model.training.agreement A.jsonl B.jsonl       # agreement between two annotation passes
"""

import sys
from collections import Counter
from pathlib import Path

from model.data import load_seed_gold, seed_texts
from model.paths import SEEDS_DIR
from model.spans import Span
from model.techniques import TECHNIQUES
from model.training.scoring import overall, score
from model.voice import voice_at


def span_counts(gold: dict[str, list[Span]]) -> Counter:
    """How many spans per (technique, voice)."""
    return Counter((span.technique, span.voice) for spans in gold.values() for span in spans)


def counts_table(gold: dict[str, list[Span]]) -> str:
    """A Markdown table of spans per technique and voice, for the datasheet."""
    counts = span_counts(gold)
    lines = ["| technique | author | quoted | total |", "|---|---:|---:|---:|"]
    for technique in TECHNIQUES:
        author, quoted = counts[(technique, "author")], counts[(technique, "quoted")]
        lines.append(f"| {technique} | {author} | {quoted} | {author + quoted} |")
    author, quoted = sum(n for (_, v), n in counts.items() if v == "author"), sum(
        n for (_, v), n in counts.items() if v == "quoted")
    lines.append(f"| all | {author} | {quoted} | {author + quoted} |")
    return "\n".join(lines)


def agreement_table(first: dict[str, list[Span]], second: dict[str, list[Span]], names=("A", "B")) -> str:
    """Partial-overlap agreement of two annotations of the same articles, `first` scored as prediction.

    Scoring `second` against `first` instead swaps precision and recall; F1 is the same either way.
    Voice agreement is counted over pairs of spans of one technique that overlap.
    """
    pairs = [(first.get(name, []), second.get(name, [])) for name in sorted(set(first) | set(second))]
    per_technique = score(pairs)
    a, b = names
    lines = [f"| technique | spans {a} | spans {b} | P ({a} vs {b}) | R ({a} vs {b}) | F1 "
             "| same voice on overlapping pairs |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    rows = [*per_technique.items(), ("overall (micro)", overall(per_technique))]
    for technique, m in rows:
        same, total = _voice_agreement(pairs, None if technique not in TECHNIQUES else technique)
        lines.append(f"| {technique} | {m.n_predicted} | {m.n_gold} | {m.precision:.3f} | {m.recall:.3f} | "
                     f"{m.f1:.3f} | {same}/{total} |")
    return "\n".join(lines)


def _voice_agreement(pairs, technique: str | None) -> tuple[int, int]:
    same = total = 0
    for mine, theirs in pairs:
        for a in mine:
            for b in theirs:
                if a.technique == b.technique and (technique is None or a.technique == technique) \
                        and a.start < b.end and b.start < a.end:
                    total += 1
                    same += a.voice == b.voice
    return same, total


def voice_rule_agreement(gold: dict[str, list[Span]], folder: Path = SEEDS_DIR) -> tuple[int, int]:
    """(spans whose annotated voice `voice_at` reproduces, spans): how well the mechanical rule fits the gold."""
    texts = seed_texts(folder)
    checked = [(voice_at(texts[name], s.start, s.end) == s.voice) for name, spans in gold.items() for s in spans]
    return sum(checked), len(checked)


if __name__ == "__main__":
    if len(sys.argv) == 3:
        first, second = Path(sys.argv[1]), Path(sys.argv[2])
        print(agreement_table(load_seed_gold(first), load_seed_gold(second), names=(first.stem, second.stem)))
    elif len(sys.argv) == 1:
        gold = load_seed_gold()
        print(counts_table(gold))
        same, total = voice_rule_agreement(gold)
        print(f"\nvoice_at reproduces the annotated voice of {same} of {total} spans")
    else:
        sys.exit(__doc__)
