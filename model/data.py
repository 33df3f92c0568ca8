"""Loaders for the project's data: the seed articles and their gold spans, PTC, and EUvsDisinfo claim titles.

Every loader checks what it reads and raises DataError with a message that names the file (and the line) at fault.
Texts are decoded from bytes as UTF-8 with no newline translation, so offsets are Python string indices into
exactly the file's text.

    python -m model.data                       # counts of the seed gold per technique and voice
    python -m model.data agreement A.jsonl B.jsonl   # agreement between two annotation passes
"""

import csv
import datetime
import hashlib
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from model.paths import (
    EUVSDISINFO_CLAIMS,
    EUVSDISINFO_DIR,
    GROUP_SENTENCES,
    PTC_DIR,
    PTC_SPLITS,
    SEED_FURNITURE,
    SEED_GOLD,
    SEED_SOURCES,
    SEEDS_DIR,
)
from model.scoring import overall, score
from model.spans import VOICES, Span, sort_spans
from model.techniques import TECHNIQUES
from model.voice import voice_at

GOLD_KEYS = ("article", "start", "end", "technique", "voice", "text")
FURNITURE_KEYS = ("article", "start", "end", "what", "text")
SOURCE_COLUMNS = ("name", "title", "outlet", "author", "date")
PTC_TECHNIQUES = {"Loaded_Language": "loaded_language", "Name_Calling,Labeling": "name_calling"}
PTC_LABELS = "train-task-flc-tc.labels"
PTC_ARTICLES = "train-articles"
EUVSDISINFO_COLUMNS = ("date", "title", "countries", "keywords")
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


@dataclass(frozen=True)
class Claim:
    key: str  # claim_key of the case's address: an id that carries none of its text
    date: datetime.date
    title: str
    keywords: tuple[str, ...]
    countries: tuple[str, ...]


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


def load_seed_docs(gold_path: Path = SEED_GOLD) -> list[Document]:
    """The seed articles with their gold spans of all three techniques, as documents."""
    texts, gold = seed_texts(), load_seed_gold(gold_path)
    return [Document(name, text, gold.get(name, []), []) for name, text in texts.items()]


# --- PTC -------------------------------------------------------------------------------------------------------

def load_ptc(folder: Path = PTC_DIR) -> list[Document]:
    """The PTC training split: articles with their loaded_language and name_calling spans, others kept aside.

    PTC has no voice annotation: each span gets the voice that `voice_at` (the guideline's rule) gives it.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: PTC folder not found (put the corpus there or set SLANT_PTC to its folder)")
    articles_dir, labels = folder / PTC_ARTICLES, folder / PTC_LABELS
    if not articles_dir.is_dir():
        raise DataError(f"{articles_dir}: PTC article folder not found")
    texts = {path.stem.removeprefix("article"): read_exact_text(path) for path in sorted(articles_dir.glob("*.txt"))}
    if not texts:
        raise DataError(f"{articles_dir}: no articles (article*.txt) found")
    spans: dict[str, list[Span]] = {key: [] for key in texts}
    other: dict[str, list[tuple[int, int, str]]] = {key: [] for key in texts}
    errors = []
    for number, line in enumerate(read_exact_text(labels).splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            errors.append(f"{labels}:{number}: expected 4 tab-separated fields, got {len(fields)}")
            continue
        article, technique, start, end = fields
        if article not in texts:
            errors.append(f"{labels}:{number}: no article{article}.txt in {articles_dir}")
            continue
        if not (start.isdigit() and end.isdigit()) or not 0 <= int(start) < int(end) <= len(texts[article]):
            errors.append(f"{labels}:{number}: bad offsets {start!r}-{end!r} for article{article}.txt")
            continue
        start, end, text = int(start), int(end), texts[article]
        if technique in PTC_TECHNIQUES:
            voice = voice_at(text, start, end)
            spans[article].append(Span(start, end, PTC_TECHNIQUES[technique], voice=voice, text=text[start:end]))
        else:
            other[article].append((start, end, technique))
    raise_if_any(errors)
    return [Document(f"article{key}", text, sort_spans(spans[key]), sorted(other[key])) for key, text in texts.items()]


def article_id(name: str) -> str:
    """The PTC article id in a document name ("article111111111.txt" -> "111111111")."""
    digits = re.findall(r"\d+", name)
    return digits[-1] if digits else name


def load_splits(path: Path = PTC_SPLITS) -> dict[str, list[str]]:
    """The project's PTC split (model/splits.json): {"dev": [article id, ...], "test": [...]}."""
    return json.loads(read_exact_text(Path(path)))


def ptc_part(name: str, splits) -> str:
    """"test", "dev" or "train": the part of the project's PTC split (`load_splits`) the article `name` is in."""
    key = article_id(name)
    return "test" if key in splits["test"] else "dev" if key in splits["dev"] else "train"


def split_docs(docs, splits):
    """(train, dev, test) documents by the committed article-id lists."""
    parts = {"train": [], "dev": [], "test": []}
    for d in docs:
        parts[ptc_part(d.name, splits)].append(d)
    return parts["train"], parts["dev"], parts["test"]


# --- our group sentences -------------------------------------------------------------------------------------

def load_group_sentences(path: Path = GROUP_SENTENCES) -> list[Document]:
    """Our sentences that name a group beside a charge, or a label that is name calling (data/group_sentences/): one
    document per template, a line per group (every other one in capitals) or per label (in its own case and in
    capitals), with the template's spans found in each line."""
    data = json.loads(path.read_text(encoding="utf-8"))
    docs, errors = [], []
    for kind, fillers in (("with_group", data["groups"]), ("with_label", data["labels"])):
        for number, entry in enumerate(data[kind]):
            lines = []
            for i, filler in enumerate(fillers):
                line = entry["template"].format(filler)
                line = line[0].upper() + line[1:]
                spans = [(text.format(filler), technique) for text, technique in entry["spans"]]
                capitals = [line.upper() != line and i % 2 == 1] if kind == "with_group" else [False, True]
                for upper in capitals:
                    lines.append((line.upper(), [(t.upper(), k) for t, k in spans]) if upper else (line, spans))
            text, found, start = "", [], 0
            for line, spans in lines:
                for phrase, technique in spans:
                    at = line.find(phrase)
                    if at < 0 or technique not in TECHNIQUES:
                        errors.append(f"{path}: {kind} {number}: {phrase!r} ({technique}) is not in {line!r}")
                        continue
                    found.append(Span(start + at, start + at + len(phrase), technique))
                text += line + "\n"
                start = len(text)
            docs.append(Document(f"group_sentences:{kind}:{number}", text, sort_spans(found), []))
    raise_if_any(errors)
    return docs


# --- EUvsDisinfo -----------------------------------------------------------------------------------------------

def load_euvsdisinfo(folder: Path = EUVSDISINFO_DIR) -> list[Claim]:
    """EUvsDisinfo claim titles with their topic tags and countries (weak, noisy labels; never gold)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"{folder}: EUvsDisinfo folder not found (set SLANT_EUVSDISINFO to its folder)")
    path = folder / EUVSDISINFO_CLAIMS
    claims, errors = [], []
    for line, row in _read_csv(path, EUVSDISINFO_COLUMNS):
        try:
            date = datetime.date.fromisoformat(row["date"])
        except ValueError:
            errors.append(f"{path}:{line}: bad date {row['date']!r}")
            continue
        if not row["title"].strip():
            errors.append(f"{path}:{line}: empty title")
            continue
        claims.append(Claim(claim_key(row["id"]), date, row["title"].strip(), _tags(row["keywords"]),
                            _tags(row["countries"])))
    raise_if_any(errors)
    return claims


def claim_key(case_url: str) -> str:
    """A short, stable id for an EUvsDisinfo case that carries none of its text (the committed check file uses it)."""
    return hashlib.sha1(case_url.encode("utf-8")).hexdigest()[:12]


def _tags(field: str) -> tuple[str, ...]:
    return tuple(tag.strip() for tag in field.split("+") if tag.strip())


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


if __name__ == "__main__":
    if sys.argv[1:2] == ["agreement"] and len(sys.argv) == 4:
        first, second = Path(sys.argv[2]), Path(sys.argv[3])
        print(agreement_table(load_seed_gold(first), load_seed_gold(second), names=(first.stem, second.stem)))
    elif len(sys.argv) == 1:
        gold = load_seed_gold()
        print(counts_table(gold))
        same, total = voice_rule_agreement(gold)
        print(f"\nvoice_at reproduces the annotated voice of {same} of {total} spans")
    else:
        sys.exit(__doc__)
