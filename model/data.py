"""Loaders of the data the app reads at run time: the seed articles, their gold spans and page furniture (the
training corpora's readers are in model/training/corpora.py).

Every loader checks what it reads and raises DataError with a message that names the file (and the line) at fault.
Texts are decoded from bytes as UTF-8 with no newline translation, so offsets are Python string indices into
exactly the file's text.
"""

import csv
import json
from dataclasses import dataclass
from pathlib import Path

from model.paths import (
    SEED_FURNITURE,
    SEED_GOLD,
    SEED_SOURCES,
    SEEDS_DIR,
)
from model.spans import VOICES, Span, sort_spans
from model.techniques import TECHNIQUES

GOLD_KEYS = ("article", "start", "end", "technique", "voice", "text")
FURNITURE_KEYS = ("article", "start", "end", "what", "text")
SOURCE_COLUMNS = ("name", "title", "outlet", "author", "date")
MAX_REPORTED_ERRORS = 20


class DataError(ValueError):
    """Data on disk that is missing or broken; the message says which file and line."""


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    title: str
    outlet: str
    author: str
    date: str  # ISO date as the text states it, or "unknown"


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    spans: list[Span]  # loaded_language and name_calling, sorted; PTC spans of one technique may overlap
    other: list[tuple[int, int, str]]  # every other PTC span: (start, end, PTC technique name)


def read_exact_text(path: Path) -> str:
    """The file's text as UTF-8, with no newline translation (offsets depend on it)."""
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except UnicodeDecodeError as err:
        raise DataError(f"{path}: not UTF-8 (undecodable byte at {err.start})") from None


def raise_if_any(errors: list[str]) -> None:
    """Raise one DataError listing the first MAX_REPORTED_ERRORS messages, if there are any."""
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = f"\n... and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        raise DataError("\n".join(shown) + more)


# --- seeds -----------------------------------------------------------------------------------------------------

def seed_texts(folder: Path = SEEDS_DIR) -> dict[str, str]:
    paths = sorted(Path(folder).glob("*.txt"))
    if not paths:
        raise DataError(f"{folder}: no seed articles (*.txt) found")
    return {path.stem: read_exact_text(path) for path in paths}


def load_seeds(folder: Path = SEEDS_DIR, sources: Path = SEED_SOURCES) -> list[Article]:
    """The seed articles in name order, each with its source row from sources.csv."""
    texts = seed_texts(folder)
    rows = _read_csv(Path(sources), SOURCE_COLUMNS)
    by_name: dict[str, dict] = {}
    errors = []
    for line, row in rows:
        if row["name"] not in texts:
            errors.append(f"{sources}:{line}: no seed article named {row['name']!r}")
        elif row["name"] in by_name:
            errors.append(f"{sources}:{line}: second row for {row['name']!r}")
        elif any(not row[column].strip() for column in SOURCE_COLUMNS):
            errors.append(f"{sources}:{line}: empty field (write 'unknown' when the text does not say)")
        else:
            by_name[row["name"]] = row
    errors += [f"{sources}: no row for seed {name!r}" for name in texts if name not in by_name]
    raise_if_any(errors)
    return [Article(name, text, *(by_name[name][c] for c in SOURCE_COLUMNS[1:])) for name, text in texts.items()]


def load_seed_gold(path: Path = SEED_GOLD, folder: Path = SEEDS_DIR) -> dict[str, list[Span]]:
    """Gold spans per seed article (every seed has an entry), after checking every line of the JSONL file."""
    path = Path(path)
    texts = seed_texts(folder)
    content = read_exact_text(path)
    gold: dict[str, list[Span]] = {name: [] for name in texts}
    line_of: dict[Span, int] = {}
    errors = []
    for number, line in enumerate(content.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            span, article = _gold_span(line, texts)
        except ValueError as err:
            errors.append(f"{path}:{number}: {err}")
            continue
        gold[article].append(span)
        line_of[span] = number
    for article, spans in gold.items():
        for technique in TECHNIQUES:
            mine = sort_spans(s for s in spans if s.technique == technique)
            for before, after in zip(mine, mine[1:], strict=False):
                if after.start < before.end:
                    errors.append(f"{path}:{line_of[after]}: {technique} span {after.start}-{after.end} overlaps "
                                  f"line {line_of[before]} ({before.start}-{before.end}) in {article}")
    raise_if_any(errors)
    return {article: sort_spans(spans) for article, spans in gold.items()}


def load_page_furniture(path: Path = SEED_FURNITURE,
                        folder: Path = SEEDS_DIR) -> dict[str, tuple[tuple[int, int], ...]]:
    """Per seed, the stretches of its text that are web-page furniture, not the article ("top of page", "comments
    powered by HyperComments", a repeated headline): the seeds stay byte for byte, and the classroom skips these."""
    path = Path(path)
    texts = seed_texts(folder)
    found: dict[str, list[tuple[int, int]]] = {name: [] for name in texts}
    errors = []
    for number, line in enumerate(read_exact_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            article, start, end = _seed_stretch(json_record(line, FURNITURE_KEYS), texts)
        except ValueError as err:
            errors.append(f"{path}:{number}: {err}")
            continue
        found[article].append((start, end))
    raise_if_any(errors)
    return {article: tuple(sorted(ranges)) for article, ranges in found.items()}


def json_record(line: str, keys: tuple[str, ...], note: str = "") -> dict:
    """One JSONL line as an object with exactly `keys`; ValueError says what is wrong (`note` ends a key error)."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise ValueError(f"not valid JSON ({err.msg})") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    if set(record) != set(keys):
        missing, extra = set(keys) - set(record), set(record) - set(keys)
        raise ValueError(f"keys must be {', '.join(keys)} (missing: {sorted(missing)}, extra: {sorted(extra)}{note})")
    return record


def check_offsets(start, end, text: str, name: str) -> None:
    """ValueError unless start and end are integers that cut a non-empty piece out of `text` (the article `name`)."""
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)):
        raise ValueError(f"start and end must be integers, got {start!r} and {end!r}")
    if not 0 <= start < end <= len(text):
        raise ValueError(f"offsets {start}-{end} are out of range for {name} ({len(text)} characters)")


def _seed_stretch(record: dict, texts: dict[str, str]) -> tuple[str, int, int]:
    """(article, start, end) of a record that names a stretch of a seed by offsets and quotes its text; ValueError
    unless the article exists, the offsets cut it and the quoted text is what they cut."""
    article, start, end = record["article"], record["start"], record["end"]
    if article not in texts:
        raise ValueError(f"unknown article {article!r}")
    text = texts[article]
    check_offsets(start, end, text, article)
    if record["text"] != text[start:end]:
        raise ValueError(f"text {record['text']!r} does not match {article}[{start}:{end}] = {text[start:end]!r}")
    return article, start, end


def _gold_span(line: str, texts: dict[str, str]) -> tuple[Span, str]:
    record = json_record(line, GOLD_KEYS)
    article, start, end = _seed_stretch(record, texts)
    if record["technique"] not in TECHNIQUES:
        raise ValueError(f"unknown technique {record['technique']!r} (expected one of {', '.join(TECHNIQUES)})")
    if record["voice"] not in VOICES:
        raise ValueError(f"unknown voice {record['voice']!r} (expected one of {', '.join(VOICES)})")
    return Span(start, end, record["technique"], voice=record["voice"], text=record["text"]), article


def load_seed_docs(gold_path: Path = SEED_GOLD) -> list[Document]:
    """The seed articles with their gold spans of all three techniques, as documents."""
    texts, gold = seed_texts(), load_seed_gold(gold_path)
    return [Document(name, text, gold.get(name, []), []) for name, text in texts.items()]


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict]]:
    """(line number where the row starts, row) for every row, after checking the header has `columns`."""
    text = read_exact_text(path)
    reader = csv.DictReader(text.splitlines(keepends=True))
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)} (header: {reader.fieldnames})")
    rows = []
    try:
        line = reader.line_num + 1
        for row in reader:
            if None in row or any(row[c] is None for c in columns):
                raise DataError(f"{path}:{line}: wrong number of fields")
            rows.append((line, row))
            line = reader.line_num + 1
    except csv.Error as err:
        raise DataError(f"{path}:{reader.line_num}: {err}") from None
    return rows
