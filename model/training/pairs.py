"""Our minimal pairs for foreign_hand (data/foreign_hand/pairs/): two texts that share their actors, event and wording
and differ only in the relation, one a foreign-hand claim with its span marked, the other not (datasheet:
data/foreign_hand/pairs/README.md).

    from model.training.pairs import load_pairs, pair_part
    pairs = load_pairs()                          # every pair, checked
    test = [p for p in pairs if pair_part(p) == "test"]   # wording patterns never trained on

    python -m model.training.pairs                # counts per part, kind, contrast, voice and register
"""
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from model.data import DataError, Document, json_record, raise_if_any, read_exact_text
from model.paths import FOREIGN_HAND_PAIRS_DIR
from model.spans import VOICES, Span

KEYS = ("id", "pattern", "kind", "contrast", "actor", "voice", "register", "positive", "claim", "negative")
MAX_PER_PATTERN = 10
TEST_SHARE = 5  # one pattern in five (by the SHA-256 of its name) is test


@dataclass(frozen=True)
class Pair:
    id: str
    pattern: str
    kind: str
    contrast: str
    actor: str
    voice: str
    register: str
    positive: str
    claim: str
    negative: str

    @property
    def span(self) -> tuple[int, int]:
        start = self.positive.index(self.claim)
        return start, start + len(self.claim)

    def documents(self) -> tuple[Document, Document]:
        """The positive text with its foreign_hand span and the negative text with none."""
        start, end = self.span
        return (Document(f"pair:{self.id}:+", self.positive, [Span(start, end, "foreign_hand", voice=self.voice,
                                                                    text=self.claim)], []),
                Document(f"pair:{self.id}:-", self.negative, [], []))


def pair_part(pair: Pair) -> str:
    """"test" for one wording pattern in TEST_SHARE, by the SHA-256 of the pattern's name, else "train": a test pair's
    wording is never trained on."""
    digest = int(hashlib.sha256(pair.pattern.encode("utf-8")).hexdigest(), 16)
    return "test" if digest % TEST_SHARE == 0 else "train"


def load_pairs(folder: Path = FOREIGN_HAND_PAIRS_DIR) -> list[Pair]:
    """Every pair of the *.jsonl files in `folder`, in file and line order; DataError naming the file and line of a
    broken one (bad JSON or keys, a claim that is not exactly once in its positive text, a text used twice, an id
    repeated, a pattern used more than MAX_PER_PATTERN times)."""
    pairs, errors, texts, ids = [], [], set(), set()
    for path in sorted(Path(folder).glob("*.jsonl")):
        for number, line in enumerate(read_exact_text(path).splitlines(), start=1):
            if not line.strip():
                continue
            try:
                pair = _pair(line)
                for text in (pair.positive, pair.negative):
                    if text in texts:
                        raise ValueError(f"text used twice: {text[:60]!r}")
                    texts.add(text)
                if pair.id in ids:
                    raise ValueError(f"id {pair.id} repeated")
                ids.add(pair.id)
            except ValueError as err:
                errors.append(f"{path}:{number}: {err}")
                continue
            pairs.append(pair)
    counts = Counter(p.pattern for p in pairs)
    errors += [f"{folder}: pattern {p!r} is used {n} times (at most {MAX_PER_PATTERN})" for p, n in counts.items()
               if n > MAX_PER_PATTERN]
    if not pairs and not errors:
        errors.append(f"{folder}: no pairs found")
    raise_if_any(errors)
    return pairs


def _pair(line: str) -> Pair:
    record = json_record(line, KEYS)
    if not all(isinstance(record[k], str) and record[k].strip() for k in KEYS):
        raise ValueError("every value must be a non-empty string")
    if record["positive"].count(record["claim"]) != 1:
        raise ValueError(f"the claim {record['claim']!r} is not exactly once in the positive text")
    if record["claim"] != record["claim"].strip():
        raise ValueError("the claim starts or ends with white space")
    if record["voice"] not in VOICES:
        raise ValueError(f"unknown voice {record['voice']!r}")
    if record["positive"] == record["negative"]:
        raise ValueError("the two texts are the same")
    return Pair(**record)


if __name__ == "__main__":
    try:
        found = load_pairs()
    except DataError as err:
        sys.exit(str(err))
    print(f"{len(found)} pairs, {len({p.pattern for p in found})} wording patterns")
    for field in ("part", "kind", "contrast", "voice", "register"):
        counts = Counter(pair_part(p) if field == "part" else getattr(p, field) for p in found)
        print(f"{field}: " + ", ".join(f"{k} {n}" for k, n in sorted(counts.items())))
