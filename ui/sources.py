"""The comparison's data: labelled sources, spans per 1,000 words, author versus quoted, the spans table, exports."""
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from model.spans import VOICES, Span
from model.techniques import TECHNIQUES, TITLES
from model.textio import original_offset
from model.tokens import word_spans

_WORD_CHAR = re.compile(r"\w")

UNKNOWN = "unknown"
TABLE_COLUMNS = ["source", "technique", "voice", "score", "start", "end", "text", "who"]
MODEL_FOUND = "found by the model"


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
    # A seed's page furniture ("top of page", a comments widget): (start, end) ranges that exercises and rates skip.
    furniture: tuple[tuple[int, int], ...] = field(default=(), repr=False)

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


def counted(source: Source) -> tuple[int, list[Span]]:
    """The words and the spans that rates count: those outside the source's page furniture."""
    words = word_count(source.text) - sum(word_count(source.text[a:b]) for a, b in source.furniture)
    spans = [s for s in source.spans if not any(a <= s.start and s.end <= b for a, b in source.furniture)]
    return words, spans


def summary(source: Source) -> str:
    """One line under a source's title: byline, length and how many spans are shown, counted as the rates count
    them (a seed's page furniture aside)."""
    words, kept = counted(source)
    spans = len(kept)
    counts = [f"{words:,} word{'s' * (words != 1)}", f"{spans} span{'s' * (spans != 1)} shown"
              + (" (page furniture aside)" if source.furniture else "")]
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
        words, spans = counted(source)
        for technique in techniques:
            n = sum(1 for s in spans if s.technique == technique)
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


def spans_table(sources: Iterable[Source], origins: Mapping[str, Mapping[Span, str]] | None = None) -> pd.DataFrame:
    """Every span of every source, in reading order: source, technique, voice, score, offsets (into the file as
    given, for an uploaded file), text, and who stands behind it (`origins`, by source label: a teacher's review)."""
    origins = origins or {}
    rows = [
        {"source": source.label, "technique": s.technique, "voice": s.voice, "score": round(s.score, 3),
         "start": original_offset(source.removed, s.start), "end": original_offset(source.removed, s.end - 1) + 1,
         "text": source.text[s.start:s.end], "who": origins.get(source.label, {}).get(s, MODEL_FOUND)}
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


def overall(sources: Iterable[Source]) -> pd.DataFrame:
    """Per source: words, spans shown, and spans per 1,000 words in all, in the author's own voice and quoted."""
    rows = []
    for source in sources:
        words, spans = counted(source)
        counts = {voice: sum(1 for s in spans if s.voice == voice) for voice in VOICES}
        row = {"source": source.label, "words": words, "spans": sum(counts.values())}
        row["per_1000_words"] = round(1000 * row["spans"] / words, 1) if words else 0.0
        for voice in VOICES:
            row[f"{voice}_per_1000_words"] = round(1000 * counts[voice] / words, 1) if words else 0.0
        rows.append(row)
    return pd.DataFrame(rows, columns=["source", "words", "spans", "per_1000_words", "author_per_1000_words",
                                       "quoted_per_1000_words"])


def rate_difference(spans_a: int, words_a: int, spans_b: int, words_b: int) -> tuple[float, float, float]:
    """The difference of two rates per 1,000 words and its 95 % interval, counting spans as Poisson events."""
    diff = 1000 * (spans_a / words_a - spans_b / words_b)
    half = 1.96 * 1000 * (spans_a / words_a**2 + spans_b / words_b**2) ** 0.5
    return diff, diff - half, diff + half


def comparison_summary(sources: list[Source], precision: dict[str, float] | None = None,
                       reviewed: Iterable[str] = ()) -> str:
    """One plain sentence or two: which source has the most spans in its author's own voice per 1,000 words, against
    which, whether the difference is more than chance would give, and how often such spans are right. `reviewed`:
    the labels of the sources whose spans a teacher reviewed (counted as reviewed, and said)."""
    table = overall(sources)
    table = table[table["words"] > 0]
    if len(table) < 2:
        return ""
    author = {s.label: sum(1 for x in counted(s)[1] if x.voice == "author") for s in sources}
    ranked = table.sort_values("author_per_1000_words", ascending=False)
    high, low = ranked.iloc[0], ranked.iloc[-1]
    diff, lower, upper = rate_difference(author[high["source"]], high["words"], author[low["source"]], low["words"])
    rates = f"{high['author_per_1000_words']:.1f} against {low['author_per_1000_words']:.1f} spans per 1,000 words"
    if lower > 0:
        text = (f"In its own voice, “{high['source']}” uses the techniques shown more than “{low['source']}”: {rates} "
                f"(difference {diff:.1f}, 95 % interval {lower:.1f} to {upper:.1f}).")
    else:
        text = (f"In their own voice, “{high['source']}” and “{low['source']}” differ by no more than chance would "
                f"give: {rates} (difference {diff:.1f}, 95 % interval {lower:.1f} to {upper:.1f}).")
    reviewed = [s.label for s in sources if s.label in set(reviewed)]
    if reviewed and len(reviewed) == len(sources):
        return text + " The highlights counted were reviewed by the teacher."
    if reviewed:
        text += (f" The highlights of {', '.join(f'“{label}”' for label in reviewed)} were reviewed by the teacher; "
                 "the others are the model's.")
    if precision:
        shown = sorted({x.technique for s in sources if s.label not in reviewed for x in s.spans})
        if shown:
            right = ", ".join(f"{TITLES[t].lower()} {round(100 * precision[t])} %" for t in shown if t in precision)
            text += (f" On news it never saw, the model's spans are right this often: {right}; so these are counts of "
                     "what the model flags, not of what a careful reader would mark.")
    return text
