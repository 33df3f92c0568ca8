"""Evidence for a span that a reader can check, without the model's feature names or weights: the words of the span
that annotators often marked with its technique in the training data, its words' charge in the VADER lexicon, the
words annotators marked that are nearest in meaning (by the sentence encoder), and for foreign_hand the outside actor
and the steering word. The app turns it into words for students (ui/render.py); the model says no sentence here."""
from dataclasses import dataclass

import numpy as np

from model.foreign_hand import ACTOR, STEER
from model.tokens import word_spans

NEAREST = 3  # similar marked words shown per span
MIN_SIMILARITY = 0.4  # below it, a "similar" word is noise (all-MiniLM-L6-v2 cosine, measured on the cue words)


@dataclass(frozen=True)
class Evidence:
    technique: str
    marked_words: tuple[str, ...] = ()  # words of the span often inside training spans of the technique
    charged_words: tuple[tuple[str, str], ...] = ()  # (word, VADER bin: neg2, neg1, pos1, pos2)
    similar_marked: tuple[str, ...] = ()  # other words annotators marked with the technique, nearest in meaning
    actors: tuple[str, ...] = ()  # foreign_hand: outside actors named in the span
    steering: tuple[str, ...] = ()  # foreign_hand: words of steering, financing, organising
    claim_words: tuple[str, ...] = ()  # foreign_hand: the span's words the picker found most claim-like


class MarkedWords:
    """The words annotators often marked with one technique (the model's cue words), with their encoder vectors,
    computed on first use (0.39 s for both techniques' 521 words, benchmarks/bench_render.py on a quiet machine)."""

    def __init__(self, encoder, words):
        self.words = sorted(words)
        self.vectors = np.stack([encoder.vector(w) for w in self.words]) if self.words \
            else np.zeros((0, 384), np.float32)

    def nearest(self, vector: np.ndarray, exclude: set[str], k: int = NEAREST) -> tuple[str, ...]:
        similarities = self.vectors @ vector
        ranked = np.argsort(-similarities, kind="stable")
        found = [self.words[i] for i in ranked if similarities[i] >= MIN_SIMILARITY and self.words[i] not in exclude]
        return tuple(found[:k])


def span_words(text: str) -> list[str]:
    return [text[a:b] for a, b in word_spans(text) if text[a:b][0].isalnum()]


def of_words(technique: str, text: str, cues: frozenset[str], valence, marked: MarkedWords | None,
             vector: np.ndarray | None) -> Evidence:
    """The evidence for a loaded_language or name_calling span whose text is `text`."""
    words = span_words(text)
    lower = list(dict.fromkeys(w.lower() for w in words))
    similar = marked.nearest(vector, set(lower)) if marked is not None and vector is not None else ()
    return Evidence(technique,
                    marked_words=tuple(w for w in lower if w in cues),
                    charged_words=tuple((w, valence.bin_of[w]) for w in lower if w in valence.bin_of),
                    similar_marked=similar)


def of_claim(ranked_words: list[tuple[str, float]], k: int = NEAREST) -> Evidence:
    """The evidence for a foreign_hand span, from its words ranked by the span picker (most claim-like first)."""
    words = list(dict.fromkeys(w for w, _ in ranked_words))
    return Evidence("foreign_hand",
                    actors=tuple(w for w in words if ACTOR.fullmatch(w)),
                    steering=tuple(w for w in words if STEER.fullmatch(w)),
                    claim_words=tuple(w for w in words if w[0].isalnum())[:k])
