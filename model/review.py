"""A teacher's review of the model's highlights in one text, as plain Python: decisions (kept, removed, given
another technique, added), the reviewed spans they give, and the review files on disk.

A review file is JSON, one per text, named by the SHA-256 of the text (UTF-8), in a folder the user can see and
change (`SLANT_REVIEWS`, by default ~/.slant/reviews). Its spans are in the annotation guideline's format (start,
end, technique, voice, text; data/ANNOTATION_GUIDELINE.md section 1) plus who decided:

    {"format": "slant-review", "version": 1, "text_sha256": "…", "text_length": 5210, "title": "…",
     "spans": [{"start": 10, "end": 17, "technique": "loaded_language", "voice": "author", "text": "pogroms",
                "found_by": "model", "decision": "kept", "model_technique": "loaded_language", "at": 1764921600.5}]}

`found_by` is "model" or "reviewer"; `decision` is "kept", "removed" or "relabelled" for the model's spans (the
technique then is the reviewer's and `model_technique` the model's), "added" or "removed" for the reviewer's own.
A model span with no decision stays as the model found it. Two sessions saving at once merge under a file lock,
the later decision on the same span winning (docs/decisions/review-files.md).
"""
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from model.spans import VOICES, Span, sort_spans
from model.techniques import TECHNIQUES, TITLES
from model.voice import voice_at

FORMAT = "slant-review"
VERSION = 1
ENV_FOLDER = "SLANT_REVIEWS"
MODEL, REVIEWER = "model", "reviewer"
KEPT, REMOVED, RELABELLED, ADDED = "kept", "removed", "relabelled", "added"
DECISIONS = {MODEL: (KEPT, REMOVED, RELABELLED), REVIEWER: (ADDED, REMOVED)}
MAX_FILE_BYTES = 5_000_000  # a review of the longest text the app reads is far smaller; anything bigger is foreign
SPAN_KEYS = ("start", "end", "technique", "voice", "text", "found_by", "decision", "model_technique", "at")
# What a page says beside the highlights, so that nobody mistakes one version for the other.
REVIEWED_WORDS = "reviewed by the teacher"
MODEL_WORDS = "found by the model"


class ReviewError(ValueError):
    """A review file that cannot be used (damaged, foreign, for another text), said in words for the page."""


@dataclass(frozen=True)
class Decision:
    start: int
    end: int
    technique: str  # the technique of the reviewed version (for a removed model span: the model's)
    voice: str
    found_by: str  # MODEL or REVIEWER
    decision: str  # one of DECISIONS[found_by]
    model_technique: str | None = None  # the model's technique, for a model span
    at: float = 0.0  # when it was decided (seconds since the epoch): the later of two decisions on a span wins

    @property
    def key(self) -> tuple:
        """What the decision is about: a model span (its offsets and the model's technique) or an added one."""
        technique = self.model_technique if self.found_by == MODEL else self.technique
        return self.found_by, self.start, self.end, technique

    def span(self, text: str) -> Span:
        return Span(self.start, self.end, self.technique, 1.0, self.voice, text[self.start:self.end])


@dataclass(frozen=True)
class Review:
    text_sha256: str
    decisions: tuple[Decision, ...] = ()
    title: str = ""

    def __bool__(self) -> bool:
        return bool(self.decisions)

    def by_key(self) -> dict[tuple, Decision]:
        return {d.key: d for d in self.decisions}

    def decision_on(self, span: Span) -> Decision | None:
        """The decision on one of the model's spans, or None while it is undecided."""
        return self.by_key().get((MODEL, span.start, span.end, span.technique))

    def added(self) -> list[Decision]:
        return [d for d in self.decisions if d.found_by == REVIEWER and d.decision == ADDED]


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def empty(text: str, title: str = "") -> Review:
    return Review(text_hash(text), (), title)


# ---------------------------------------------------------------- decisions

def decide(review: Review, decision: Decision) -> Review:
    """The review with `decision` replacing any earlier one on the same span."""
    if decision.decision not in DECISIONS.get(decision.found_by, ()):
        raise ValueError(f"{decision.found_by!r} spans cannot be {decision.decision!r}")
    others = tuple(d for d in review.decisions if d.key != decision.key)
    return replace(review, decisions=tuple(sorted(others + (decision,), key=_order)))


def judge(review: Review, span: Span, technique: str | None, at: float | None = None) -> Review:
    """Decide on one of the model's spans: `technique` None removes it, the model's technique keeps it, another
    technique relabels it."""
    if technique is None:
        verdict, technique = REMOVED, span.technique
    else:
        verdict = KEPT if technique == span.technique else RELABELLED
    return decide(review, Decision(span.start, span.end, technique, span.voice, MODEL, verdict, span.technique,
                                   time.time() if at is None else at))


def add(review: Review, text: str, start: int, end: int, technique: str, at: float | None = None) -> Review:
    """Add a span the model missed; its voice follows the guideline's rule (model/voice.py)."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"offsets {start}-{end} are outside the text ({len(text)} characters)")
    if technique not in TECHNIQUES:
        raise ValueError(f"unknown technique {technique!r}")
    return decide(review, Decision(start, end, technique, voice_at(text, start, end), REVIEWER, ADDED, None,
                                   time.time() if at is None else at))


def withdraw(review: Review, added: Decision, at: float | None = None) -> Review:
    """Take back a span the reviewer added (kept in the file as removed, so that a merge does not bring it back)."""
    return decide(review, replace(added, decision=REMOVED, at=time.time() if at is None else at))


def reviewed_spans(review: Review, text: str, model_spans: Iterable[Span]) -> list[Span]:
    """The reviewed version: the model's spans as decided (undecided ones as the model found them), the kept and
    relabelled ones even where today's thresholds hide them, and the added ones."""
    decided = review.by_key()
    out = {}
    for span in model_spans:
        d = decided.get((MODEL, span.start, span.end, span.technique))
        if d is None or d.decision == KEPT:  # a kept span keeps its score and the model's reasons
            out[(span.start, span.end, span.technique)] = span
    for d in decided.values():
        if d.decision in (KEPT, RELABELLED, ADDED):
            out.setdefault((d.start, d.end, d.technique), d.span(text))
    return sort_spans(out.values())


def within(spans: Iterable[Span], start: int, end: int) -> list[Span]:
    """The spans inside text[start:end], with offsets into that piece (a quiz sentence of a reviewed article)."""
    return [replace(s, start=s.start - start, end=s.end - start) for s in spans if start <= s.start and s.end <= end]


def origin(review: Review, span: Span) -> str:
    """Who stands behind a span of the reviewed version, in words for a tooltip or a table."""
    for d in review.decisions:
        if (d.start, d.end, d.technique) == (span.start, span.end, span.technique) and d.decision != REMOVED:
            if d.decision == ADDED:
                return "added by the teacher"
            if d.decision == RELABELLED:
                return f"found by the model as {TITLES[d.model_technique].lower()}, relabelled by the teacher"
            return "found by the model, kept by the teacher"
    return "found by the model, not reviewed yet"


def find(text: str, words: str) -> list[int]:
    """Where `words` occur in `text` (case-blind, spacing as typed collapsed), as start offsets."""
    words = " ".join(words.split())
    if not words:
        return []
    folded = text.casefold()
    needle = words.casefold()
    if len(folded) != len(text):  # a character that case-folds to two: search as written
        folded, needle = text, words
    found, at = [], folded.find(needle)
    while at != -1:
        found.append(at)
        at = folded.find(needle, at + 1)
    return found


# ---------------------------------------------------------------- files

def folder() -> Path:
    """Where reviews are saved: $SLANT_REVIEWS, or ~/.slant/reviews."""
    return Path(os.environ.get(ENV_FOLDER) or Path.home() / ".slant" / "reviews").expanduser()


def path_for(sha: str, where: Path | None = None) -> Path:
    return (where or folder()) / f"{sha}.json"


def to_json(review: Review, text: str) -> str:
    spans = [{"start": d.start, "end": d.end, "technique": d.technique, "voice": d.voice,
              "text": text[d.start:d.end], "found_by": d.found_by, "decision": d.decision,
              "model_technique": d.model_technique, "at": d.at} for d in review.decisions]
    return json.dumps({"format": FORMAT, "version": VERSION, "text_sha256": review.text_sha256,
                       "text_length": len(text), "title": review.title, "spans": spans},
                      ensure_ascii=False, indent=1) + "\n"


def from_json(data: bytes | str, text: str, name: str = "the review file") -> Review:
    """Read a review of `text`; a ReviewError says plainly what is wrong with anything else."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise ReviewError(f"{name} is {len(data):,} bytes, too big to be a Slant review")
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError:
            raise ReviewError(f"{name} is not a Slant review (not UTF-8 text)") from None
    try:
        record = json.loads(data)
    except json.JSONDecodeError as err:
        raise ReviewError(f"{name} is damaged or not a Slant review (not JSON: {err.msg} at line {err.lineno})") \
            from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise ReviewError(f"{name} is not a Slant review (it has no \"format\": \"{FORMAT}\")")
    if record.get("version") != VERSION:
        raise ReviewError(f"{name} is a Slant review of version {record.get('version')!r}; this Slant reads "
                          f"version {VERSION}")
    sha = text_hash(text)
    if record.get("text_sha256") != sha:
        raise ReviewError(f"{name} is a review of another text (its SHA-256 differs from this article's)")
    spans = record.get("spans")
    if not isinstance(spans, list):
        raise ReviewError(f"{name} is damaged: \"spans\" is not a list")
    decisions = [_decision(item, text, f"{name}, span {number}") for number, item in enumerate(spans, 1)]
    title = record.get("title") if isinstance(record.get("title"), str) else ""
    review = Review(sha, (), title)
    for d in sorted(decisions, key=lambda d: d.at):  # a span decided twice in one file: the later decision
        review = decide(review, d)
    return review


def _decision(item, text: str, where: str) -> Decision:
    if not isinstance(item, dict) or set(item) != set(SPAN_KEYS):
        raise ReviewError(f"{where} is damaged: expected exactly the keys {', '.join(SPAN_KEYS)}")
    start, end, at = item["start"], item["end"], item["at"]
    if not (type(start) is int and type(end) is int and 0 <= start < end <= len(text)):
        raise ReviewError(f"{where} is damaged: offsets {start!r}-{end!r} are not inside the text")
    if not isinstance(at, int | float) or isinstance(at, bool):
        raise ReviewError(f"{where} is damaged: \"at\" is not a time")
    if item["text"] != text[start:end]:
        raise ReviewError(f"{where} is damaged: its text {item['text']!r} is not the article's {text[start:end]!r}")
    found_by, verdict = item["found_by"], item["decision"]
    if verdict not in DECISIONS.get(found_by, ()):
        raise ReviewError(f"{where} is damaged: {found_by!r} spans cannot be {verdict!r}")
    model_technique = item["model_technique"]
    if item["technique"] not in TECHNIQUES or (found_by == MODEL) != (model_technique in TECHNIQUES) \
            or (found_by == REVIEWER and model_technique is not None):
        raise ReviewError(f"{where} is damaged: unknown technique")
    if item["voice"] not in VOICES:
        raise ReviewError(f"{where} is damaged: unknown voice {item['voice']!r}")
    return Decision(start, end, item["technique"], item["voice"], found_by, verdict, model_technique, float(at))


def load(text: str, where: Path | None = None) -> Review:
    """The saved review of `text`, or an empty one when there is none; a ReviewError when its file is damaged."""
    path = path_for(text_hash(text), where)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return empty(text)
    except OSError as err:
        raise ReviewError(f"the review file {path} cannot be read: {err.strerror}") from None
    return from_json(data, text, f"the review file {path}")


def merge(ours: Review, theirs: Review) -> Review:
    """Both reviews' decisions; where both decided on the same span, the later decision."""
    merged = ours
    for d in theirs.decisions:
        mine = merged.by_key().get(d.key)
        if mine is None or d.at > mine.at:
            merged = decide(merged, d)
    return replace(merged, title=ours.title or theirs.title)


def save(review: Review, text: str, where: Path | None = None) -> Review:
    """Merge `review` into the saved one under a lock and write the result atomically; returns what is saved.

    A damaged file already there raises ReviewError and is left as it was (see set_aside)."""
    if review.text_sha256 != text_hash(text):
        raise ValueError("this review is of another text")
    path = path_for(review.text_sha256, where)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path.with_suffix(".lock")):
        merged = merge(review, load(text, path.parent))
        _write_atomically(path, to_json(merged, text))
    return merged


def import_file(data: bytes, text: str, name: str, where: Path | None = None) -> Review:
    """Load a colleague's review file of the same text into ours (merged; the later decision on a span wins)."""
    return save(replace(from_json(data, text, name), title=""), text, where)


def set_aside(text: str, where: Path | None = None) -> Path:
    """Rename a damaged review file out of the way (nothing is deleted), so that a new review can be saved."""
    path = path_for(text_hash(text), where)
    aside = path.with_name(f"{path.stem}.damaged-{time.strftime('%Y%m%d-%H%M%S')}.json")
    os.replace(path, aside)
    return aside


def _write_atomically(path: Path, content: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(path: Path):
    """An exclusive lock on `path` between processes (and threads), held for the read-merge-write of a save."""
    with open(path, "a+b") as handle:
        try:
            import fcntl
        except ImportError:  # Windows
            import msvcrt

            handle.seek(0)
            while True:
                try:
                    msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)
                    break
                except OSError:
                    time.sleep(0.05)
            try:
                yield
            finally:
                handle.seek(0)
                msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _order(decision: Decision):
    return decision.start, decision.end, decision.found_by, decision.technique


def summary(review: Review) -> str:
    """How many decisions, in words: "3 kept, 1 removed, 1 relabelled, 2 added"."""
    counts = {}
    for d in review.decisions:
        word = "withdrawn" if d.found_by == REVIEWER and d.decision == REMOVED else d.decision
        counts[word] = counts.get(word, 0) + 1
    words = (KEPT, REMOVED, RELABELLED, ADDED, "withdrawn")
    return ", ".join(f"{counts[w]} {w}" for w in words if w in counts) or "no decision"
