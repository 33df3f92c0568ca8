"""Readers of the training corpora (read from ../shared, never committed): PTC and the project's split of it, our
group sentences, and EUvsDisinfo claim titles. Each checks what it reads and raises DataError naming the file."""

import datetime
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from model.data import DataError, Document, _read_csv, raise_if_any, read_exact_text
from model.paths import EUVSDISINFO_CLAIMS, EUVSDISINFO_DIR, GROUP_SENTENCES, PTC_DIR, PTC_SPLITS
from model.spans import Span, sort_spans
from model.techniques import TECHNIQUES
from model.voice import voice_at

PTC_TECHNIQUES = {"Loaded_Language": "loaded_language", "Name_Calling,Labeling": "name_calling"}
PTC_LABELS = "train-task-flc-tc.labels"
PTC_ARTICLES = "train-articles"
EUVSDISINFO_COLUMNS = ("date", "title", "countries", "keywords")


@dataclass(frozen=True)
class Claim:
    key: str  # claim_key of the case's address: an id that carries none of its text
    date: datetime.date
    title: str
    keywords: tuple[str, ...]
    countries: tuple[str, ...]


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
    """The project's PTC split (model/splits.json): {"dev": [article id, ...], "test": [...], "far": [...]}."""
    return json.loads(read_exact_text(Path(path)))


def ptc_part(name: str, splits) -> str:
    """"test", "dev" or "train": the part of the project's PTC split (`load_splits`) the article `name` is in. The
    `far` articles (a block of ids, issue 29) are test: nothing trains or is chosen on them."""
    key = article_id(name)
    if key in splits["test"] or key in splits.get("far", ()):
        return "test"
    return "dev" if key in splits["dev"] else "train"


def is_far(name: str, splits) -> bool:
    """Whether the article `name` is in the split's `far` block, reported apart from the random `test` articles."""
    return article_id(name) in splits.get("far", ())


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
