"""Classroom exercises, as plain Python: spot the technique, rewrite it neutrally and the quiz (the handout's HTML
is built in ui/render.py, with all other HTML).

The pages in `views/` only draw widgets; everything they compute comes from here.
"""

import difflib
import json
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from model.data import DataError
from model.features import Valence
from model.paths import CLASSROOM_REWRITES
from model.spans import Span, sort_spans
from model.techniques import DEFINITIONS, TECHNIQUES, TITLES
from model.tokens import sentence_spans, word_spans

_WORD = re.compile(r"\w")  # a token with a letter or digit is a word; punctuation is not

# Who the student's marks are scored against. Said plainly on the page: the human gold exists only for the seeds.
GOLD = "the human annotators (gold)"
MODEL = "the model (no human answer exists for pasted text)"
REVIEWED = "the model's highlights as reviewed by the teacher"


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str, skip: Iterable[tuple[int, int]] = ()) -> list[Sentence]:
    """The sentences of a source with their character offsets; blank stretches, and sentences inside a `skip` range
    (a seed's page furniture: Source.furniture), are left out."""
    skip = tuple(skip)
    sentences = []
    for start, end in sentence_spans(text):
        if text[start:end].strip() and not any(a <= start and end <= b for a, b in skip):
            sentences.append(Sentence(len(sentences), start, end, text[start:end]))
    return sentences


def overlaps(span: Span, start: int, end: int) -> bool:
    return span.start < end and span.end > start


def span_text(text: str, span: Span) -> str:
    return text[span.start:span.end]


# ---------------------------------------------------------------- spot it, then reveal

@dataclass(frozen=True)
class Feedback:
    """Why one sentence counts as a hit, a miss or an extra mark."""
    sentence: int
    kind: str  # "hit", "miss" or "extra"
    technique: str
    reason: str
    definition: str


@dataclass(frozen=True)
class MarkScore:
    technique: str
    against: str  # GOLD or MODEL
    marked: frozenset[int]
    expected: frozenset[int]  # sentences a reference span of the technique overlaps
    precision: float | None  # None when nothing was marked
    recall: float | None  # None when the reference has nothing to find
    f1: float | None
    feedback: tuple[Feedback, ...]

    @property
    def hits(self) -> frozenset[int]:
        return self.marked & self.expected

    @property
    def misses(self) -> frozenset[int]:
        return self.expected - self.marked

    @property
    def extras(self) -> frozenset[int]:
        return self.marked - self.expected

    def summary(self, who: str = "you") -> str:
        """The arithmetic in words: `who` made the marks ("you", "the model")."""
        title = TITLES[self.technique].lower()
        n_hits, n_marked, n_expected = len(self.hits), len(self.marked), len(self.expected)
        if n_marked:
            precision = f"Of the {sentences_count(n_marked)} {who} marked, {n_hits} {carry(n_hits)} {title}: " \
                f"precision {n_hits}/{n_marked} = {self.precision:.0%}."
        else:
            precision = f"{who[0].upper()}{who[1:]} marked no sentence, so there is no precision to compute."
        if n_expected:
            recall = f"{sentences_count(n_expected).capitalize()} {carry(n_expected)} {title} according to " \
                f"{self.against}; {who} found {n_hits}: recall {n_hits}/{n_expected} = {self.recall:.0%}."
        else:
            recall = f"According to {self.against}, no sentence carries {title}, so there is nothing to find."
        f1 = f" F1 (the balance of the two) = {self.f1:.0%}." if self.f1 is not None else ""
        return f"{precision} {recall}{f1}"


def carry(n: int) -> str:
    return "carries" if n == 1 else "carry"


def sentences_count(n: int) -> str:
    return f"{n} sentence" if n == 1 else f"{n} sentences"


def sentences_with(sentences: list[Sentence], spans: list[Span], technique: str) -> dict[int, list[Span]]:
    """For each sentence that carries the technique, the reference spans of that technique overlapping it."""
    found = {}
    for sentence in sentences:
        inside = [s for s in spans if s.technique == technique and overlaps(s, sentence.start, sentence.end)]
        if inside:
            found[sentence.index] = sort_spans(inside)
    return found


def _quoted(text: str, spans: list[Span]) -> str:
    return ", ".join(f"“{span_text(text, s)}”" + (" (in a quotation)" if s.voice == "quoted" else "") for s in spans)


def score_marks(text: str, sentences: list[Sentence], marked, spans: list[Span], technique: str,
                against: str) -> MarkScore:
    """Score the sentences a student marked for one technique against reference spans.

    A sentence carries the technique when a reference span of that technique overlaps it.
    """
    if technique not in TECHNIQUES:
        raise ValueError(f"unknown technique {technique!r}")
    marked = frozenset(marked)
    unknown = marked - {s.index for s in sentences}
    if unknown:
        raise ValueError(f"marked sentences {sorted(unknown)} are not in the source")
    carrying = sentences_with(sentences, spans, technique)
    expected = frozenset(carrying)
    hits = marked & expected
    precision = len(hits) / len(marked) if marked else None
    recall = len(hits) / len(expected) if expected else None
    if precision is None or recall is None:
        f1 = None
    else:
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    definition = DEFINITIONS[technique]
    feedback = []
    for index in sorted(marked | expected):
        if index in hits:
            kind, reason = "hit", f"Right: {_quoted(text, carrying[index])}."
        elif index in expected:
            kind, reason = "miss", f"Missed: {against} marked {_quoted(text, carrying[index])} here."
        else:
            kind = "extra"
            reason = f"Extra mark: no reference span of this technique in this sentence (reference: {against})."
            sentence = next(s for s in sentences if s.index == index)
            others = [s for s in spans if s.technique != technique and overlaps(s, sentence.start, sentence.end)]
            for other in sort_spans(others):
                reason += f" It does carry {TITLES[other.technique].lower()}: {_quoted(text, [other])}."
        feedback.append(Feedback(index, kind, technique, reason, definition))
    return MarkScore(technique, against, marked, expected, precision, recall, f1, tuple(feedback))


# ---------------------------------------------------------------- rewrite it neutrally

@dataclass(frozen=True)
class RewriteDiff:
    """Spans of the original sentence matched to spans of the rewrite by technique and wording (case-blind)."""
    gone: tuple[Span, ...]  # spans of the original with no match in the rewrite
    remaining: tuple[Span, ...]  # spans of the rewrite that were already in the original
    new: tuple[Span, ...]  # spans of the rewrite that were not in the original


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _key(text: str, span: Span) -> tuple[str, str]:
    return span.technique, _normal(span_text(text, span))


# Two spans of one technique whose words are at least this alike (difflib's ratio over their words) are the same span,
# a word or two changed: "still there", not "gone" and "new" for nearly the same 30 words.
SIMILAR = 0.5


def _words(text: str) -> list[str]:
    return [text[a:b].casefold() for a, b in word_spans(text) if _WORD.match(text, a)]


def _likeness(original: str, span: Span, rewrite: str, other: Span) -> float:
    if span.technique != other.technique:
        return 0.0
    return difflib.SequenceMatcher(a=_words(span_text(original, span)), b=_words(span_text(rewrite, other)),
                                   autojunk=False).ratio()


def rewrite_diff(original: str, before: list[Span], rewrite: str, after: list[Span]) -> RewriteDiff:
    """Which spans the rewrite removed, kept and added. `before` labels `original`, `after` labels `rewrite`. A span
    is kept when the rewrite has a span of its technique with the same words (case and spacing aside) or nearly the
    same (SIMILAR)."""
    unmatched = sort_spans(after)
    gone, remaining = [], []
    for span in sort_spans(before):
        key = _key(original, span)
        match = next((s for s in unmatched if _key(rewrite, s) == key), None)
        if match is None:
            gone.append(span)
        else:
            unmatched.remove(match)
            remaining.append(match)
    for span in list(gone):
        likeness, match = max(((_likeness(original, span, rewrite, s), s) for s in unmatched),
                              default=(0.0, None), key=lambda pair: pair[0])
        if match is not None and likeness >= SIMILAR:
            gone.remove(span)
            unmatched.remove(match)
            remaining.append(match)
    return RewriteDiff(tuple(gone), tuple(sort_spans(remaining)), tuple(unmatched))


def rewrite_kind(original: str, rewrite: str) -> str:
    """"empty" (no word), "unchanged" (the original's words, case, spacing and punctuation aside) or "edited": only
    an edited version is a rewrite to judge."""
    words = _words(rewrite)
    if not words:
        return "empty"
    return "unchanged" if words == _words(original) else "edited"


def word_changes(original: str, rewrite: str) -> tuple[list[str], list[str]]:
    """The words the rewrite removed and the words it added (in order, case kept), to help judge the facts kept."""
    a = [original[s:e] for s, e in word_spans(original)]
    b = [rewrite[s:e] for s, e in word_spans(rewrite)]
    removed, added = [], []
    matcher = difflib.SequenceMatcher(a=[w.casefold() for w in a], b=[w.casefold() for w in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op in ("delete", "replace"):
            removed.append(" ".join(a[i1:i2]))
        if op in ("insert", "replace"):
            added.append(" ".join(b[j1:j2]))
    return removed, added


CHARGED_BINS = ("neg2", "neg1", "pos2")  # the VADER bins that make an added word worth a question ("pos1" does not)


def charged_added(added: list[str], valence, cues: dict[str, frozenset[str]]) -> list[str]:
    """The words a rewrite added that carry a charge a student can check, each with why: its charge in the VADER
    lexicon (`valence.bin_of`), or that annotators often marked it with a technique (`cues`, the model's cue words).
    A rewrite that drops "pogroms" but adds "traitor" is not neutral, whatever the model's spans say."""
    found = []
    for word in dict.fromkeys(w for phrase in added for w in phrase.split()):
        lower = word.casefold()
        charge = valence.bin_of.get(lower)
        why = [f"a {Valence.NAMES[charge]} word"] if charge in CHARGED_BINS else []
        why += [f"annotators often marked it as {TITLES[t].lower()}" for t in TECHNIQUES if lower in cues.get(t, ())]
        if why:
            found.append(f"“{word}” ({'; '.join(why)})")
    return found


def phrases_kept(phrases: list[str], rewrite: str) -> list[tuple[str, bool]]:
    """For each phrase (an annotated span's words), whether the rewrite still contains it, case and spacing aside.

    Unlike the model's labels this needs no model, so it works where the model misses a technique."""
    rewrite = _normal(rewrite)
    return [(phrase, _normal(phrase) in rewrite) for phrase in phrases]


@dataclass(frozen=True)
class Rewrite:
    """A sentence (or clause) of a seed and a neutral rewrite of it that keeps the facts and drops the technique."""
    article: str
    start: int
    end: int
    original: str
    rewrite: str
    technique: str
    phrase: str  # the words in `original` that carry the technique
    note: str


REWRITE_KEYS = ("article", "start", "end", "original", "rewrite", "technique", "phrase", "note")


def load_rewrites(path: Path = CLASSROOM_REWRITES) -> list[Rewrite]:
    """The worked rewrites, checked: a DataError (a ValueError) names the line at fault."""
    rewrites = []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                raise DataError(f"{path}:{number}: not JSON ({err})") from None
            if not isinstance(record, dict) or set(record) != set(REWRITE_KEYS):
                raise DataError(f"{path}:{number}: expected exactly the keys {', '.join(REWRITE_KEYS)}")
            rewrite = Rewrite(**record)
            if rewrite.technique not in TECHNIQUES:
                raise DataError(f"{path}:{number}: unknown technique {rewrite.technique!r}")
            if rewrite.phrase not in rewrite.original:
                raise DataError(f"{path}:{number}: phrase {rewrite.phrase!r} is not in the original")
            rewrites.append(rewrite)
    return rewrites


# ---------------------------------------------------------------- which one is loaded?

@dataclass(frozen=True)
class QuizItem:
    rewrite: Rewrite
    options: tuple[str, str]  # the original and the rewrite, in random order
    loaded: int  # index in `options` of the original


def make_quiz(rewrites: list[Rewrite], seed: int) -> list[QuizItem]:
    """The pairs in a random order, each pair's two sentences in a random order; the same seed gives the same quiz."""
    rng = random.Random(seed)
    order = list(rewrites)
    rng.shuffle(order)
    items = []
    for rewrite in order:
        loaded = rng.randrange(2)
        options = (rewrite.original, rewrite.rewrite) if loaded == 0 else (rewrite.rewrite, rewrite.original)
        items.append(QuizItem(rewrite, options, loaded))
    return items


OPTION_NAMES = ("A", "B")


def check_answer(item: QuizItem, choice: int) -> tuple[bool, str]:
    """Whether `choice` (0 or 1) picks the sentence with the technique, and why."""
    if choice not in (0, 1):
        raise ValueError(f"choice must be 0 or 1, not {choice!r}")
    right = choice == item.loaded
    rewrite = item.rewrite
    title = TITLES[rewrite.technique]
    verdict = "Right." if right else "Not this time."
    # Short enough to sit with both options and "Next question" on a projector screen; the page gives the
    # technique's definition under it.
    explanation = f"{verdict} {OPTION_NAMES[item.loaded]} is the original: “{rewrite.phrase}” is {title.lower()}. " \
        f"{rewrite.note}"
    return right, explanation


def named_option(name: str, option: str, spans: Iterable[Span] = ()) -> tuple[str, list[Span]]:
    """An option as the quiz shows it, "A. …", with the model's spans of `option` moved along to match."""
    text = f"{name}. {option}"
    by = len(text) - len(option)
    return text, [replace(s, start=s.start + by, end=s.end + by) for s in spans]


def model_finds(found: list[list[Span]]) -> str:
    """What the model finds in each option, on one line: "The model finds: in A loaded language; in B nothing"."""
    parts = [f"in {name} " + (", ".join(sorted({TITLES[s.technique].lower() for s in spans})) or "nothing")
             for name, spans in zip(OPTION_NAMES, found, strict=True)]
    return "The model finds: " + "; ".join(parts) + " (hover over a highlight to see why)."


# ---------------------------------------------------------------- the handout

def handout_file_names(label: str, gold: bool) -> tuple[str, str]:
    """The file names of one article's highlighted handout and exercise: the highlighted one says whose highlights
    it has (the annotators' or the model's), so that the two versions of a seed do not download under one name."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", label).strip("-").lower()[:60] or "article"
    return f"slant-handout-{stem}-{'annotators' if gold else 'model'}.html", f"slant-exercise-{stem}.html"


# ---------------------------------------------------------------- how the model does on the classroom material

def model_report(label, articles, gold: dict[str, list[Span]], rewrites: list[Rewrite], furniture=None) -> str:
    """What a class will see: the model's sentence marks against the gold per technique, over the given articles
    (their page `furniture` skipped, as the pages skip it), and how often it finds the technique in each quiz pair's
    original and anything in its rewrite, each sentence labelled on its own as the pages do. `label(text) ->
    list[Span]` is the model."""
    counts = {technique: [0, 0, 0] for technique in TECHNIQUES}  # sentences marked by both, by the model, by gold
    for article in articles:
        sentences = split_sentences(article.text, (furniture or {}).get(article.name, ()))
        predicted = label(article.text)
        for technique, count in counts.items():
            found = sentences_with(sentences, predicted, technique)
            result = score_marks(article.text, sentences, found, gold.get(article.name, []), technique, GOLD)
            for i, n in enumerate((len(result.hits), len(result.marked), len(result.expected))):
                count[i] += n
    lines = [f"{TITLES[t]}: the model marks {sentences_count(marked)}, the annotators {expected}, both {hits}"
             for t, (hits, marked, expected) in counts.items()]
    found_in_original = sum(any(s.technique == r.technique for s in label(r.original)) for r in rewrites)
    found_in_rewrite = sum(bool(label(r.rewrite)) for r in rewrites)
    lines.append(f"Quiz: the model finds the technique in {found_in_original} of {len(rewrites)} originals and some "
                 f"technique in {found_in_rewrite} of {len(rewrites)} neutral rewrites")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m ui.classroom: the figures quoted in docs/lesson-plan.md
    from model.data import load_page_furniture, load_seed_gold, load_seeds
    from model.tagger import load_tagger

    print(model_report(load_tagger().label, load_seeds(), load_seed_gold(), load_rewrites(), load_page_furniture()))
