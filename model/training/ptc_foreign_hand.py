"""foreign_hand gold on real news: PTC training-split articles annotated under data/ANNOTATION_GUIDELINE.md.

The committed files hold offsets only (the PTC texts may not be committed); the texts are read from the corpus at
run time:
- data/ptc_foreign_hand/articles.txt (the first round, 152) and articles_round2.txt (the second, the other 219 PTC
  articles): the fully annotated articles, one name a line ("article111111111"). An article listed there with no
  span is a real negative.
- data/ptc_foreign_hand/spans.jsonl: {"article", "start", "end", "technique": "foreign_hand", "voice"} per line.

    python -m model.training.ptc_foreign_hand        # counts per split and voice
"""

import hashlib
from collections import Counter
from pathlib import Path

from model.data import DataError, Document, check_offsets, json_record, raise_if_any, read_exact_text
from model.paths import PTC_DIR, PTC_FOREIGN_HAND_ROUNDS, PTC_FOREIGN_HAND_SPANS, PTC_SPLITS
from model.spans import VOICES, Span, sort_spans
from model.training.corpora import load_ptc, load_splits, ptc_part

TECHNIQUE = "foreign_hand"
SPAN_KEYS = ("article", "start", "end", "technique", "voice")


def load_ptc_foreign_hand(folder: Path = PTC_DIR, rounds: tuple[Path, ...] = PTC_FOREIGN_HAND_ROUNDS,
                          spans: Path = PTC_FOREIGN_HAND_SPANS, ptc=None) -> list[Document]:
    """Every listed article (in list order, round after round) with its foreign_hand spans only, `text` filled from
    the article (of `ptc`, the PTC documents already read from `folder`, or read here).

    `other` is the PTC document's list of its other techniques, unchanged. Raises DataError naming the file and
    line of anything broken: an unknown or repeated article, bad JSON or keys, offsets out of range or on white
    space, overlapping spans of one article.
    """
    documents = {document.name: document for document in (load_ptc(folder) if ptc is None else ptc)}
    names = [name for path in rounds for name in _read_articles(Path(path), documents)]
    if len(set(names)) < len(names):
        raise DataError(f"an article is listed in two rounds: {sorted(n for n in set(names) if names.count(n) > 1)}")
    found: dict[str, list[tuple[int, Span]]] = {name: [] for name in names}
    errors = []
    for number, line in enumerate(read_exact_text(Path(spans)).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            name, span = _span(line, found, documents)
        except ValueError as err:
            errors.append(f"{spans}:{number}: {err}")
            continue
        found[name].append((number, span))
    for name, numbered in found.items():
        numbered.sort(key=lambda pair: (pair[1].start, pair[1].end))
        for (line_a, a), (line_b, b) in zip(numbered, numbered[1:], strict=False):
            if b.start < a.end:
                errors.append(f"{spans}:{line_b}: span {b.start}-{b.end} overlaps line {line_a} "
                              f"({a.start}-{a.end}) in {name}")
    raise_if_any(errors)
    return [Document(name, documents[name].text, sort_spans(span for _, span in found[name]), documents[name].other)
            for name in names]


def split(names: list[str], splits: Path = PTC_SPLITS, rounds: tuple[Path, ...] = PTC_FOREIGN_HAND_ROUNDS
          ) -> dict[str, list[str]]:
    """{"train", "dev", "test"}: article names, consistent with the project's PTC split (model/splits.json).
    An article in its test (or far) list is test, one in its dev list is dev; the others are ordered by the SHA-256
    of their name and alternate train, test, train, ... within their round of annotation (so adding a round never
    moves an article of an earlier one), about half of them held out as a real-text evaluation.
    """
    lists = load_splits(splits)
    round_of = {name: k for k, path in enumerate(rounds) if Path(path).is_file()
                for name in read_exact_text(Path(path)).split()}
    parts: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    rest: dict[int, list[str]] = {}
    for name in names:
        part = ptc_part(name, lists)
        if part == "train":
            rest.setdefault(round_of.get(name, len(rounds)), []).append(name)
        else:
            parts[part].append(name)
    for members in rest.values():
        members.sort(key=lambda name: hashlib.sha256(name.encode("utf-8")).hexdigest())
        for index, name in enumerate(members):
            parts["train" if index % 2 == 0 else "test"].append(name)
    return {part: sorted(members) for part, members in parts.items()}


def _read_articles(path: Path, documents: dict[str, Document]) -> list[str]:
    names, errors = [], []
    for number, line in enumerate(read_exact_text(path).splitlines(), start=1):
        name = line.strip()
        if not name:
            continue
        if name not in documents:
            errors.append(f"{path}:{number}: no PTC article named {name!r} (expected e.g. 'article111111111')")
        elif name in names:
            errors.append(f"{path}:{number}: {name} is listed twice")
        else:
            names.append(name)
    if not names and not errors:
        errors.append(f"{path}: no articles listed")
    raise_if_any(errors)
    return names


def _span(line: str, found: dict[str, list], documents: dict[str, Document]) -> tuple[str, Span]:
    record = json_record(line, SPAN_KEYS, note="; no 'text': the corpus text is never committed")
    name, start, end = record["article"], record["start"], record["end"]
    if name not in found:
        raise ValueError(f"article {name!r} is not in the list of annotated articles")
    text = documents[name].text
    check_offsets(start, end, text, name)
    if record["technique"] != TECHNIQUE:
        raise ValueError(f"technique must be {TECHNIQUE!r}, got {record['technique']!r}")
    if record["voice"] not in VOICES:
        raise ValueError(f"unknown voice {record['voice']!r} (expected one of {', '.join(VOICES)})")
    piece = text[start:end]
    if piece != piece.strip():
        raise ValueError(f"span {start}-{end} of {name} starts or ends with white space: {piece!r}")
    return name, Span(start, end, TECHNIQUE, voice=record["voice"], text=piece)


if __name__ == "__main__":
    documents = load_ptc_foreign_hand()
    by_name = {document.name: document for document in documents}
    for part, names in split(list(by_name)).items():
        spans = [span for name in names for span in by_name[name].spans]
        voices = Counter(span.voice for span in spans)
        with_spans = sum(1 for name in names if by_name[name].spans)
        print(f"{part}: {len(names)} articles ({with_spans} with foreign_hand), {len(spans)} spans "
              f"(author {voices['author']}, quoted {voices['quoted']})")
