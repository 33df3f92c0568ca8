"""The comparison's data: labelled sources, spans per 1,000 words, author versus quoted, the spans table, exports."""
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from model.spans import VOICES, Span
from model.techniques import TECHNIQUES, TITLES
from model.textio import original_offset
from model.tokens import word_spans

_WORD_CHAR = re.compile(r"\w")

UNKNOWN = "unknown"
TABLE_COLUMNS = ["source", "technique", "voice", "score", "start", "end", "text"]


@dataclass(frozen=True)
class Source:
    """One article in the comparison: a seed or a pasted text (kept in the session only)."""

    name: str
    text: str
    title: str = ""
    outlet: str = ""
    author: str = ""
    date: str = ""
    spans: tuple[Span, ...] = field(default=())
    # Where the app dropped characters of an uploaded file before labelling (model.textio.removed_positions), so
    # that exports give offsets into the file as given, as the command line does.
    removed: tuple[int, ...] = field(default=(), repr=False)

    @property
    def label(self) -> str:
        return self.title or self.name

    @property
    def byline(self) -> str:
        """Outlet, author and date as far as known ("unknown" in the seeds' sources.csv when the text does not say)."""
        parts = [self.outlet if self.outlet != UNKNOWN else "outlet not stated",
                 f"by {self.author}" if self.author not in ("", UNKNOWN) else "",
                 self.date if self.date != UNKNOWN else "date not stated"]
        return " · ".join(part for part in parts if part)


def word_count(text: str) -> int:
    """Words, not punctuation marks: the tokens of `model.tokens.word_spans` that contain a letter or digit."""
    return sum(1 for start, _ in word_spans(text) if _WORD_CHAR.match(text, start))


def summary(source: Source) -> str:
    """One line under a source's title: byline, length and how many spans are shown."""
    words, spans = word_count(source.text), len(source.spans)
    counts = [f"{words:,} word{'s' * (words != 1)}", f"{spans} span{'s' * (spans != 1)} shown"]
    return " · ".join(part for part in (source.byline, *counts) if part)


def keep(spans: Iterable[Span], techniques: Iterable[str] = TECHNIQUES, voices: Iterable[str] = VOICES) -> list[Span]:
    """The spans the technique and voice controls let through (the threshold is applied by the tagger)."""
    techniques, voices = set(techniques), set(voices)
    return [s for s in spans if s.technique in techniques and s.voice in voices]


def rates(sources: Iterable[Source], techniques: Iterable[str] = TECHNIQUES) -> pd.DataFrame:
    """Per source and technique shown: spans, words and spans per 1,000 words (zeros included)."""
    techniques = list(techniques)
    rows = []
    for source in sources:
        words = word_count(source.text)
        for technique in techniques:
            n = sum(1 for s in source.spans if s.technique == technique)
            rows.append({"source": source.label, "technique": TITLES[technique], "spans": n, "words": words,
                         "per_1000_words": round(1000 * n / words, 2) if words else 0.0})
    return pd.DataFrame(rows, columns=["source", "technique", "spans", "words", "per_1000_words"])


def voice_shares(sources: Iterable[Source]) -> pd.DataFrame:
    """Per source: how many spans are in the author's own voice and how many are quoted, and the shares in %."""
    rows = []
    for source in sources:
        counts = {voice: sum(1 for s in source.spans if s.voice == voice) for voice in VOICES}
        total = sum(counts.values())
        row = {"source": source.label, "spans": total}
        for voice in VOICES:
            row[f"{voice}_spans"] = counts[voice]
            row[f"{voice}_share_%"] = round(100 * counts[voice] / total, 1) if total else 0.0
        rows.append(row)
    return pd.DataFrame(rows)


def spans_table(sources: Iterable[Source]) -> pd.DataFrame:
    """Every span of every source, in reading order: source, technique, voice, score, offsets (into the file as
    given, for an uploaded file), text."""
    rows = [
        {"source": source.label, "technique": s.technique, "voice": s.voice, "score": round(s.score, 3),
         "start": original_offset(source.removed, s.start), "end": original_offset(source.removed, s.end - 1) + 1,
         "text": source.text[s.start:s.end]}
        for source in sources
        for s in source.spans
    ]
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def search(table: pd.DataFrame, query: str) -> pd.DataFrame:
    """Rows whose span text or source contains `query` (case-insensitive, literal, not a pattern)."""
    query = query.strip().lower()
    if not query:
        return table
    hit = table["text"].str.lower().str.contains(query, regex=False) | table["source"].str.lower().str.contains(
        query, regex=False)
    return table[hit]


def to_csv(table: pd.DataFrame) -> bytes:
    return table.to_csv(index=False).encode("utf-8")


def to_json(table: pd.DataFrame) -> bytes:
    """A JSON list of span objects (UTF-8, not ASCII-escaped), one per table row."""
    return json.dumps(table.to_dict(orient="records"), ensure_ascii=False, indent=1).encode("utf-8")
