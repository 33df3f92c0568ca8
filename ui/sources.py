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


MAX_SIDE_BY_SIDE = 3


def selection(previous: list[str] | None, options: list[str], added: str | None = None) -> list[str]:
    """The sources Compare shows: the first two the first time, then the previous selection less what is gone. A
    newly `added` article takes the last place when two or more are shown (beside the first seed, at first), and
    joins one or none."""
    kept = options[:2] if previous is None else [label for label in previous if label in options]
    if added in options and added not in kept:
        kept = [*kept[:max(1, len(kept) - 1)], added]
    return kept


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


READABLE_COLUMNS = {"per_1000_words": "per 1,000 words"}


def readable(table: pd.DataFrame) -> pd.DataFrame:
    """A table as a page shows it: techniques by their titles and columns in words, not the keys of the downloads."""
    shown = table.rename(columns=READABLE_COLUMNS)
    if "technique" in shown.columns:
        shown = shown.assign(technique=[TITLES.get(t, t) for t in shown["technique"]])
    return shown


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


# How sure a comparison can be depends on how often the model's highlights of a technique were right on news it had
# not seen (its held-out precision, model/metrics.json): docs/decisions/comparison-verdict.md.
RANK = 1 / 2  # at least this share right: the sources are ranked on the technique
CAUTION = 1 / 3  # from this share to RANK: ranked, with a warning; below it, not ranked at all
_QUOTES = "“\"‘'«„"


def _named(label: str) -> str:
    """A source's label in quotation marks, unless it already starts with one (no “““Those who”)."""
    return label if label[:1] in _QUOTES else f"“{label}”"


def _percent(share: float) -> str:
    return f"{round(100 * share)} %"


def comparison_verdict(sources: list[Source], techniques: Iterable[str] = TECHNIQUES,
                       precision: dict[str, float | None] | None = None, reviewed: Iterable[str] = ()) -> list[str]:
    """One plain statement per technique shown, on every source at once: its spans in the author's own voice per
    1,000 words, which sources use it more than which beyond chance, and how sure that can be given the technique's
    held-out `precision` (None: not measured at the thresholds in use). A technique whose highlights were right less
    often than CAUTION is never ranked; below RANK the ranking comes with a warning. `reviewed`: the labels of the
    sources whose highlights a teacher reviewed (said in a last line). [] with fewer than two texts."""
    measured = [(s, *counted(s)) for s in sources]
    measured = [(s, words, spans) for s, words, spans in measured if words > 0]
    if len(measured) < 2:
        return []
    precision = precision or {}
    lines = []
    for technique in techniques:
        title = TITLES[technique]
        counts = sorted(((sum(1 for x in spans if x.technique == technique and x.voice == "author"), words, s.label)
                         for s, words, spans in measured), key=lambda c: -1000 * c[0] / c[1])
        rates = ", ".join(f"{_named(label)} {1000 * n / words:.1f}" for n, words, label in counts)
        head = f"{title}, in the author's own voice: {rates} spans per 1,000 words."
        if not any(n for n, _, _ in counts):
            lines.append(f"{title}: the model finds none in the author's own voice of these sources.")
            continue
        share = precision.get(technique)
        if share is None:
            lines.append(f"{head} How often these highlights are right was not measured at the thresholds in use, "
                         "so this does not say which source uses it more: read the highlights.")
            continue
        right = f"{_percent(share)} of the model's {title.lower()} highlights were right on news it had not seen"
        if share < CAUTION:
            lines.append(f"{head} Only {right}: too few to say which source uses it more. Read the highlights and "
                         "judge them yourself.")
            continue
        more, even = [], []
        for i, (n_a, words_a, a) in enumerate(counts):
            for n_b, words_b, b in counts[i + 1:]:
                diff, lower, upper = rate_difference(n_a, words_a, n_b, words_b)
                if lower > 0:
                    more.append(f"{_named(a)} uses it more than {_named(b)} (difference {diff:.1f}, 95 % interval "
                                f"{lower:.1f} to {upper:.1f})")
                else:
                    even.append(f"{_named(a)} and {_named(b)}")
        if len(even) == 1:
            even = [f"{even[0]} differ by no more than chance would give"]
        elif even:
            even = ["the other pairs differ by no more than chance would give" if more else
                    "no two of them differ by more than chance would give"]
        parts = more + even
        verdict = "; ".join(parts)
        verdict = verdict[0].upper() + verdict[1:]
        sure = (f"{right[0].upper()}{right[1:]}." if share >= RANK else
                f"Careful: only {right}, so part of any difference may be the model's mistakes.")
        lines.append(f"{head} {verdict}. {sure}")
    reviewed = [s.label for s, _, _ in measured if s.label in set(reviewed)]
    if reviewed and len(reviewed) == len(measured):
        lines.append("The highlights counted were reviewed by the teacher.")
    elif reviewed:
        lines.append(f"The highlights of {', '.join(_named(label) for label in reviewed)} were reviewed by the "
                     "teacher; the others are the model's.")
    return lines
