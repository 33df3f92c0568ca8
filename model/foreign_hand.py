"""foreign_hand: claims that events inside a country are instigated, organised, financed or steered from abroad.

A component of the labelling pipeline (docs/decisions/foreign-hand.md). It reads the foreign_hand output of the
encoder's token head (model/encoder.py: two fine-tuned layers that read the whole sentence in order, trained on our
annotated news and minimal pairs, model/training/build_token_head.py), one pass per text shared with the other
techniques:
1. Sentence: its score is the highest foreign_hand probability of its wordpieces, calibrated (Platt, on the dev
   documents the head never saw). Lines of page furniture (LINK_LINE: "Related:", "Read more", ... and the short
   link titles listed under them) are never claims by themselves.
2. Span: inside a sentence at or above the threshold, the run of words with the highest total of (piece
   probability - floor), widened to its clause when shorter than MIN_WORDS, trimmed of edge words, of a reporting
   cue and what precedes it ("Lavrov said that [...]"), and widened to take in the outside actor named next to it
   ("[Washington] installed ..."), so that the span is the claim's clause with its actor.
The span's score is its sentence's. Plain numpy over a few numbers stored as JSON: no scikit-learn, no pickle.
Training: model/training/foreign_hand_train.py.
"""
import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from model.encoder import Encoded, sentence_at
from model.spans import EDGE_WORDS, trimmed
from model.techniques import HEAD_TECHNIQUES
from model.tokens import word_spans

FILE = "foreign_hand.json"
FORMAT_VERSION = 4
COLUMN = HEAD_TECHNIQUES.index("foreign_hand")
MIN_WORDS = 3  # a shorter run of words becomes its clause
ACTOR_REACH = 6  # words between a span and an outside actor that it is widened to take in
DIGITS = 6

ACTOR = re.compile(
    r"\b(?:US|USA|U\.S\.|America\w*|Washington|West\w*|CIA|NATO|EU|Europe\w*|Brussels|London|foreign\w*|outside"
    r"|abroad|external|Kiev|Kyiv|Moscow|Kremlin|Russia\w*|FSB|Ukrain\w+|Brit\w+|globalist\w*|WEF|Davos|Soros|China"
    r"|Chinese|Beijing|Iran\w*|Tehran|Turk\w+|Ankara|Israel\w*|Qatar\w*|Saudi\w*|Gulf)\b",
    re.IGNORECASE)
STEER = re.compile(
    r"\b(?:behind|organi[sz]\w*|orchestrat\w*|instigat\w*|financ\w*|fund\w*|sponsor\w*|stag\w+|steer\w*|control\w*"
    r"|pupp\w*|colou?r revolution\w*|coup|destabili\w+|provok\w*|provoc\w*|inspired|order\w*|dictat\w*|interfer\w*"
    r"|meddl\w*|proxy|proxies|instruct\w*|pawn|tool|agent\w*|install\w*|plot\w*|scheme\w*|paid|pay\w*|bankroll\w*"
    r"|recruit\w*|trained|curat\w*|direct\w*|mastermind\w*|engineer\w*)\b", re.IGNORECASE)
# A line that introduces links or is one ("Related: ...", "Read more", "Must read:", "See also", "Watch:").
LINK_LINE = re.compile(r"\s*(?:related|read (?:more|also|next)|also read|must read|see also|more on this|recommended"
                       r"|watch|listen|subscribe|share this|follow us|click here)\b\s*[:\-–—|]?", re.IGNORECASE)
LINK_TITLE_WORDS = 15  # a line under a link marker, this short and without a final stop, is a link title too
# A reporting cue inside a span: the claim starts after it ("Lavrov said that", "accused the West of").
REPORTING_CUE = re.compile(
    r"\b(?:said|says|say|claimed|claims|claim|stated|states|alleged|alleges|argued|argues|insisted|insists|declared"
    r"|believes|believed|asserted|asserts|added|wrote|writes|warned|told\s+(?:\w+\s+){0,3}?)(?:\s+that)?\s+"
    r"|\baccus(?:e|es|ed|ing)\s+(?:[\w’'-]+\s+){1,6}?of\s+|\baccording\s+to\s+(?:[\w’'.-]+\s+){1,4}?(?=[a-z])",
    re.IGNORECASE)
CLAUSE_BREAK = re.compile(r"[,;:()\[\]“”\"‘’–—]|\s-\s")


def furniture_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of `text` that is page furniture: a link marker line and the short lines without
    a final stop listed right under it."""
    found, under_marker, at = [], False, 0
    for line in text.splitlines(keepends=True):
        body = line.strip()
        if LINK_LINE.match(body) and len(body.split()) <= LINK_TITLE_WORDS:
            found.append((at, at + len(line)))
            under_marker = True
        elif under_marker and body and len(body.split()) <= LINK_TITLE_WORDS and body[-1] not in ".!?…\"”»":
            found.append((at, at + len(line)))
        elif body:
            under_marker = False
        at += len(line)
    return found


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class ForeignHand:
    calibration: tuple[float, float]  # Platt: score = sigmoid(a * highest piece probability + b)
    floor: float  # a word joins the span when its best piece's probability beats this (chosen on dev)
    threshold: float  # the default threshold (the model card)
    trained_on: dict = field(default_factory=dict)
    take_actor: bool = True  # widen a span to the outside actor named next to it (chosen on dev)

    techniques = ("foreign_hand",)

    def probabilities(self, sentence: Encoded) -> np.ndarray:
        """The token head's foreign_hand probability of each wordpiece of `sentence`."""
        if sentence.techniques is None or sentence.techniques.shape[1] <= COLUMN:
            raise ValueError("the encoder has no foreign_hand output: this foreign_hand model needs the token head "
                             "built by model/training/build_token_head.py")
        return sentence.techniques[:, COLUMN]

    def best_pieces(self, text: str, encoded: list[Encoded]) -> np.ndarray:
        """Per encoded sentence, the highest foreign_hand probability of its pieces; NaN for page furniture and a
        sentence without pieces (never a claim)."""
        furniture = furniture_lines(text)
        return np.array([float(self.probabilities(e).max())
                         if len(e.offsets) and not any(s <= e.start < end for s, end in furniture) else np.nan
                         for e in encoded or ()])

    def sentence_probabilities(self, text: str, encoded: list[Encoded]) -> np.ndarray:
        """Per encoded sentence, the calibrated probability that it carries a claim (0 for page furniture)."""
        a, b = self.calibration
        best = self.best_pieces(text, encoded)
        return np.where(np.isnan(best), 0.0, sigmoid(a * np.nan_to_num(best) + b))

    def word_scores(self, text: str, sentence: Encoded) -> tuple[list[tuple[int, int]], np.ndarray]:
        """The words of `sentence` as (start, end) offsets into `text`, and the best probability of each word's
        pieces."""
        words = [(sentence.start + a, sentence.start + b) for a, b in word_spans(text[sentence.start:sentence.end])]
        scores = np.zeros(len(words))
        if not words:
            return words, scores
        starts = np.array([w[0] for w in words])
        for (a, _), p in zip(sentence.offsets, self.probabilities(sentence), strict=True):
            k = int(np.searchsorted(starts, a, side="right")) - 1
            if k >= 0:
                scores[k] = max(scores[k], float(p))
        return words, scores

    def span_in(self, text: str, sentence: Encoded) -> tuple[int, int]:
        """The clause of `sentence` that carries the claim, with its outside actor, as offsets into `text`."""
        words, scores = self.word_scores(text, sentence)
        if not words:
            return sentence.start, sentence.end
        i, j = best_run(scores - self.floor)
        if j - i + 1 < MIN_WORDS:
            i, j = clause_around(text, words, i, j)
        i = after_reporting_cue(text, words, i, j)
        if self.take_actor:
            i, j = with_actor(text, words, i, j)
        first, last = trimmed([text[a:b] for a, b in words[i:j + 1]], 0, j - i + 1)
        if first == last:
            first, last = 0, j - i + 1
        return words[i + first][0], words[i + last - 1][1]

    def label(self, text: str, encoded: list[Encoded], limits) -> list[tuple[int, int, str, float]]:
        """(start, end, "foreign_hand", score) of each claim scored at least its limit (the pipeline's interface)."""
        return [(start, end, "foreign_hand", p) for start, end, p in self.spans(text, encoded, limits["foreign_hand"])]

    def spans(self, text: str, encoded: list[Encoded], min_score: float) -> list[tuple[int, int, float]]:
        """(start, end, score) of each claim scored at least `min_score`, in reading order."""
        found = []
        for sentence, p in zip(encoded or (), self.sentence_probabilities(text, encoded), strict=True):
            if p >= min_score and p > 0:
                start, end = self.span_in(text, sentence)
                found.append((start, end, float(p)))
        return found

    def explain(self, text: str, span, encoded: list[Encoded], k: int = 5) -> list[tuple[str, tuple[str, ...], float]]:
        """The k most claim-like words of `span` as ("claim=WORD", (), the head's probability), strongest first."""
        sentence = sentence_at(encoded, span.start)
        found = self.claim_words(text, sentence, span.start, span.end)[:k] if sentence else []
        return [(f"claim={word}", (), p) for word, p in found]

    def claim_words(self, text: str, sentence: Encoded, start: int, end: int) -> list[tuple[str, float]]:
        """The content words of text[start:end] (no edge words, no one- or two-letter words) with the head's
        probability of their most claim-like piece, strongest first."""
        words, scores = self.word_scores(text, sentence)
        best: dict[str, float] = {}
        for (a, b), p in zip(words, scores, strict=True):
            word = text[a:b]
            if start <= a and b <= end and len(word) > 2 and word.lower() not in EDGE_WORDS and word[0].isalnum():
                best[word] = max(best.get(word, 0.0), float(p))
        return [(word, round(p, 3)) for word, p in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))]

    # -- storage: plain JSON --------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        a, b = self.calibration
        return {"format_version": FORMAT_VERSION, "calibration": [round(float(a), DIGITS), round(float(b), DIGITS)],
                "floor": self.floor, "threshold": self.threshold, "take_actor": self.take_actor,
                "trained_on": self.trained_on}

    @classmethod
    def from_json(cls, data: dict) -> "ForeignHand":
        """The component from to_json()'s dictionary; ValueError when it is malformed or of another format."""
        if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"not a foreign_hand model of format {FORMAT_VERSION}")
        try:
            a, b = (float(v) for v in data["calibration"])
            hand = cls((a, b), float(data["floor"]), float(data["threshold"]), dict(data["trained_on"]),
                       bool(data["take_actor"]))
        except (KeyError, TypeError, ValueError) as err:
            raise ValueError(f"foreign_hand model: {err}") from None
        if not all(math.isfinite(v) for v in (a, b, hand.floor, hand.threshold)):
            raise ValueError("foreign_hand model: numbers that are not finite")
        return hand

    @classmethod
    def load(cls, folder: Path, manifest: dict) -> "ForeignHand":
        """The component in the model folder `folder`, its file checked against `manifest` (ModelFileError)."""
        from model.manifest import ModelFileError, check_file

        path = check_file(folder, FILE, manifest)
        try:
            return cls.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, UnicodeDecodeError) as err:  # JSONDecodeError is a ValueError
            raise ModelFileError(f"the foreign_hand model {path} cannot be read ({err})") from None

    def save(self, folder: Path) -> tuple[list[str], dict]:
        """Write the component's file into the model folder `folder`; return its name and its entries of the model's
        manifest (none: the file holds everything)."""
        (Path(folder) / FILE).write_text(json.dumps(self.to_json(), sort_keys=True) + "\n", encoding="utf-8")
        return [FILE], {}


def best_run(values: np.ndarray) -> tuple[int, int]:
    """(first, last) indices of the run of `values` with the highest sum (the highest single value if all are
    negative)."""
    best, best_range, total, first = -np.inf, (0, 0), 0.0, 0
    for k, v in enumerate(values):
        if total <= 0:
            total, first = 0.0, k
        total += v
        if total > best:
            best, best_range = total, (first, k)
    return best_range


def clause_around(text: str, words: list[tuple[int, int]], i: int, j: int) -> tuple[int, int]:
    """Words i..j widened to the clause around them: to the nearest clause break (a comma, a quote mark, a dash) on
    each side within the sentence."""
    while i > 0 and not CLAUSE_BREAK.search(text[words[i - 1][1]:words[i][0]]) \
            and not CLAUSE_BREAK.fullmatch(text[words[i - 1][0]:words[i - 1][1]]):
        i -= 1
    while j < len(words) - 1 and not CLAUSE_BREAK.search(text[words[j][1]:words[j + 1][0]]) \
            and not CLAUSE_BREAK.fullmatch(text[words[j + 1][0]:words[j + 1][1]]):
        j += 1
    return i, j


def after_reporting_cue(text: str, words: list[tuple[int, int]], i: int, j: int) -> int:
    """The first word of the span i..j after the last reporting cue inside it ("Putin claimed that", "accused the
    West of", "according to Zakharova"), when at least MIN_WORDS words are left after it; else i."""
    start, end = words[i][0], words[j][1]
    cut = None
    for match in REPORTING_CUE.finditer(text, start, end):
        cut = match.end()
    if cut is None:
        return i
    k = next((n for n in range(i, j + 1) if words[n][0] >= cut), j + 1)
    return k if j - k + 1 >= MIN_WORDS else i


def with_actor(text: str, words: list[tuple[int, int]], i: int, j: int) -> tuple[int, int]:
    """The span i..j widened to the nearest outside actor named within ACTOR_REACH words before or after it, in the
    same clause, when the span names none."""
    if ACTOR.search(text, words[i][0], words[j][1]):
        return i, j
    for reach in range(1, ACTOR_REACH + 1):
        for k in (i - reach, j + reach):
            if not 0 <= k < len(words) or not ACTOR.fullmatch(text[words[k][0]:words[k][1]]):
                continue
            low, high = (k, i) if k < i else (j, k)
            if any(t in ".;!?" for t in text[words[low][1]:words[high][0]]):
                continue
            return (k, j) if k < i else (i, k)
    return i, j
