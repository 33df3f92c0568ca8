"""foreign_hand: claims that events inside a country are instigated, organised, financed or steered from abroad.

A component of the labelling pipeline (docs/decisions/foreign-hand.md): it reads the sentence encoder's output
(model/encoder.py, one pass per text shared by the pipeline) and finds spans in two steps.
1. Sentence: a logistic regression over the sentence's vector (all-MiniLM-L6-v2, mean-pooled), the mean vector of
   its two neighbours, and three word cues (an outside actor is named; a steering word is used; both) gives the
   probability that the sentence carries a foreign-hand claim.
2. Span: inside a sentence at or above the threshold, a logistic regression over each wordpiece's vector scores
   whether the piece belongs to the claim's clause; the span is the run of words with the highest total of
   (score - margin), widened to whole words (the whole sentence when the run has fewer than three words) and
   trimmed of edge words and punctuation.
The span's score is its sentence's probability. Plain numpy over weights stored as JSON: no scikit-learn, no pickle.
Training: model/training/foreign_hand_train.py.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.encoder import Encoded, sentence_at
from model.spans import trimmed
from model.tokens import word_spans

FILE = "foreign_hand.json"
FORMAT_VERSION = 3
MIN_WORDS = 3  # a shorter run of words becomes the whole sentence
DIGITS = 6  # weights are written rounded, so that a rebuilt file compares within a stated tolerance


ACTOR = re.compile(
    r"\b(?:US|USA|U\.S\.|America\w*|Washington|West\w*|CIA|NATO|EU|Europe\w*|Brussels|London|foreign\w*|outside"
    r"|abroad|Kiev|Kyiv|Moscow|Kremlin|Russia\w*|Ukrain\w+|Brit\w+|globalist\w*|WEF|Davos|Soros|China|Beijing)\b",
    re.IGNORECASE)
STEER = re.compile(
    r"\b(?:behind|organi[sz]\w*|orchestrat\w*|instigat\w*|financ\w*|fund\w*|sponsor\w*|stag\w+|steer\w*|control\w*"
    r"|pupp\w*|colou?r revolution\w*|coup|destabili\w+|provok\w*|provoc\w*|inspired|order\w*|dictat\w*|interfer\w*"
    r"|meddl\w*|proxy|proxies|instruct\w*|pawn|tool|agent\w*|install\w*|plot\w*|scheme\w*|paid|pay\w*|bankroll\w*"
    r"|recruit\w*|trained|curat\w*|direct\w*|mastermind\w*|engineer\w*)\b", re.IGNORECASE)
CUES = 3


def word_cues(sentence: str) -> list[float]:
    """[an outside actor is named, a steering word is used, both] for one sentence."""
    actor, steer = ACTOR.search(sentence) is not None, STEER.search(sentence) is not None
    return [float(actor), float(steer), float(actor and steer)]


def sentence_features(text: str, encoded: list[Encoded]) -> np.ndarray:
    """One row per sentence: its vector, the mean vector of the sentences before and after it, its word cues."""
    vectors = np.stack([e.vector for e in encoded]) if encoded else np.zeros((0, 384), np.float32)
    padded = np.vstack([np.zeros((1, vectors.shape[1]), np.float32), vectors,
                        np.zeros((1, vectors.shape[1]), np.float32)])
    counts = np.ones(len(vectors), np.float32) * 2
    if len(vectors):
        counts[0] -= 1
        counts[-1] -= 1
    context = (padded[:-2] + padded[2:]) / np.maximum(counts, 1)[:, None]
    cues = np.array([word_cues(text[e.start:e.end]) for e in encoded], np.float32).reshape(-1, CUES)
    return np.hstack([vectors, context, cues]).astype(np.float32)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


@dataclass
class ForeignHand:
    sentence_weights: np.ndarray  # (768 + CUES,)
    sentence_bias: float
    piece_weights: np.ndarray  # (384,)
    piece_bias: float
    threshold: float  # the default threshold, chosen in cross-validation (the model card)
    trained_on: dict
    margin: float = 0.5  # a word joins the span when its piece score beats this (chosen in cross-validation)

    def sentence_probabilities(self, text: str, encoded: list[Encoded]) -> np.ndarray:
        if not encoded:
            return np.zeros(0)
        return sigmoid(sentence_features(text, encoded) @ self.sentence_weights + self.sentence_bias)

    def piece_probabilities(self, sentence: Encoded) -> np.ndarray:
        return sigmoid(sentence.tokens @ self.piece_weights + self.piece_bias)

    def span_in(self, text: str, sentence: Encoded) -> tuple[int, int]:
        """The clause of `sentence` that carries the claim, as (start, end) offsets into `text`."""
        words = [(sentence.start + a, sentence.start + b) for a, b in word_spans(text[sentence.start:sentence.end])]
        if not words or not len(sentence.offsets):
            return sentence.start, sentence.end
        probabilities = self.piece_probabilities(sentence)
        # A word's score is the best of its pieces'.
        score = np.full(len(words), -self.margin)
        starts = np.array([w[0] for w in words])
        for (a, _), p in zip(sentence.offsets, probabilities, strict=True):
            k = int(np.searchsorted(starts, a, side="right")) - 1
            if k >= 0:
                score[k] = max(score[k], p - self.margin)
        best, best_range, total, first = -np.inf, (0, 0), 0.0, 0
        for k, s in enumerate(score):  # the maximum-sum run of words
            if total <= 0:
                total, first = 0.0, k
            total += s
            if total > best:
                best, best_range = total, (first, k)
        i, j = best_range
        if j - i + 1 < MIN_WORDS:  # a word or two alone ("in") says nothing: the whole sentence, trimmed
            i, j = 0, len(words) - 1
        first, last = trimmed([text[a:b] for a, b in words[i:j + 1]], 0, j - i + 1)
        if first == last:  # nothing but edge words: the run as it is
            first, last = 0, j - i + 1
        return words[i + first][0], words[i + last - 1][1]

    techniques = ("foreign_hand",)

    def label(self, text: str, encoded: list[Encoded], limits) -> list[tuple[int, int, str, float]]:
        """(start, end, "foreign_hand", score) of each claim scored at least its limit (the pipeline's interface)."""
        return [(start, end, "foreign_hand", p) for start, end, p in self.spans(text, encoded, limits["foreign_hand"])]

    def explain(self, text: str, span, encoded: list[Encoded], k: int = 5) -> list[tuple[str, tuple[str, ...], float]]:
        """The k most claim-like words of `span` as ("claim=WORD", (), the picker's score), strongest first."""
        sentence = sentence_at(encoded, span.start)
        found = self.claim_words(text, sentence, span.start, span.end)[:k] if sentence else []
        return [(f"claim={word}", (), p) for word, p in found]

    def spans(self, text: str, encoded: list[Encoded], min_score: float) -> list[tuple[int, int, float]]:
        """(start, end, score) of each claim scored at least `min_score`, in reading order."""
        found = []
        for sentence, p in zip(encoded, self.sentence_probabilities(text, encoded), strict=True):
            if p >= min_score:
                start, end = self.span_in(text, sentence)
                found.append((start, end, float(p)))
        return found

    def claim_words(self, text: str, sentence: Encoded, start: int, end: int) -> list[tuple[str, float]]:
        """The words of text[start:end] with the span picker's score of their most claim-like piece, strongest
        first."""
        best: dict[str, float] = {}
        for (a, b), p in zip(sentence.offsets, self.piece_probabilities(sentence), strict=True):
            if start <= a and b <= end:
                word = next((text[s + sentence.start:e + sentence.start]
                             for s, e in word_spans(text[sentence.start:sentence.end])
                             if s + sentence.start <= a < e + sentence.start), text[a:b])
                best[word] = max(best.get(word, 0.0), float(p))
        return [(word, round(p, 3)) for word, p in sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))]

    # -- storage: plain JSON --------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        def rounded(values):
            return [round(float(v), DIGITS) for v in values]

        return {"format_version": FORMAT_VERSION, "sentence_weights": rounded(self.sentence_weights),
                "sentence_bias": round(float(self.sentence_bias), DIGITS), "piece_weights": rounded(self.piece_weights),
                "piece_bias": round(float(self.piece_bias), DIGITS), "threshold": self.threshold, "margin": self.margin,
                "trained_on": self.trained_on}

    @classmethod
    def from_json(cls, data: dict) -> "ForeignHand":
        """The component from to_json()'s dictionary; ValueError when it is malformed or of another format."""
        if not isinstance(data, dict) or data.get("format_version") != FORMAT_VERSION:
            raise ValueError(f"not a foreign_hand model of format {FORMAT_VERSION}")
        try:
            sentence = np.asarray(data["sentence_weights"], dtype=np.float32)
            piece = np.asarray(data["piece_weights"], dtype=np.float32)
            hand = cls(sentence, float(data["sentence_bias"]), piece, float(data["piece_bias"]),
                       float(data["threshold"]), dict(data["trained_on"]), float(data["margin"]))
        except (KeyError, TypeError) as err:
            raise ValueError(f"foreign_hand model: {err}") from None
        if sentence.shape != (768 + CUES,) or piece.shape != (384,) or not np.all(np.isfinite(sentence)) \
                or not np.all(np.isfinite(piece)):
            raise ValueError("foreign_hand model: weights of the wrong shape or not finite")
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
