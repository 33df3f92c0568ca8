"""Token features for the span tagger: the word, its shape and affixes, its neighbours, quotation context, and
cue-word lists learnt from the training spans.

A sentence becomes a list of tokens; each token a list of feature strings (crfsuite's attribute format).
"""
from collections import Counter
from dataclasses import dataclass

from model.tokens import sentence_spans, word_spans

OPENING_QUOTES = frozenset("“‘«")
CLOSING_QUOTES = frozenset("”’»")
STRAIGHT_QUOTES = frozenset("\"")


@dataclass(frozen=True)
class Sentence:
    """A sentence of a text: its token offsets into that text and the token strings."""

    start: int
    end: int
    tokens: tuple[tuple[int, int], ...]
    words: tuple[str, ...]


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of `text` with their tokens (offsets into `text`)."""
    tokens = word_spans(text)
    sentences, i = [], 0
    for start, end in sentence_spans(text):
        first = i
        while i < len(tokens) and tokens[i][0] < end:
            i += 1
        inside = tokens[first:i]
        if inside:
            sentences.append(Sentence(start, end, tuple(inside), tuple(text[s:e] for s, e in inside)))
    return sentences


def shape(word: str) -> str:
    """Word shape with runs collapsed: "Kremlin" -> "Xx", "U.S" -> "X.X", "1990s" -> "dx", "!!" -> "!"."""
    out = []
    for ch in word:
        c = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out[:6])


def quoted_flags(words) -> list[bool]:
    """Whether each token sits inside quotation marks opened earlier in the same sentence."""
    flags, opener = [], None
    for w in words:
        if opener is None and (w in OPENING_QUOTES or w in STRAIGHT_QUOTES):
            opener = w
            flags.append(False)
        elif opener is not None and (w == opener or w in CLOSING_QUOTES and w != "’" or w == "’" and opener == "‘"):
            opener = None
            flags.append(False)
        else:
            flags.append(opener is not None)
    return flags


def token_tags(sentence: Sentence, spans) -> list[frozenset[str]]:
    """For each token, the techniques of the `spans` (objects with start, end, technique) that overlap it."""
    tags = []
    for s, e in sentence.tokens:
        tags.append(frozenset(sp.technique for sp in spans if sp.start < e and s < sp.end))
    return tags


@dataclass
class CueWords:
    """Words that were often inside spans of a technique in the training data (lower-case)."""

    by_technique: dict[str, frozenset[str]]

    @classmethod
    def learn(cls, labelled_sentences, techniques, min_count=2, min_ratio=0.25) -> "CueWords":
        """From (words, tags) pairs, where tags[i] is the set of techniques whose spans cover token i."""
        total, inside = Counter(), {t: Counter() for t in techniques}
        for words, tags in labelled_sentences:
            for w, tagset in zip(words, tags, strict=True):
                lw = w.lower()
                total[lw] += 1
                for t in tagset:
                    inside[t][lw] += 1
        by_technique = {}
        for t in techniques:
            by_technique[t] = frozenset(
                w for w, n in inside[t].items() if n >= min_count and n / total[w] >= min_ratio and w.isalpha()
            )
        return cls(by_technique)

    def to_json(self) -> dict:
        return {t: sorted(words) for t, words in self.by_technique.items()}

    @classmethod
    def from_json(cls, data: dict) -> "CueWords":
        return cls({t: frozenset(words) for t, words in data.items()})


def sentence_features(words, cues: CueWords) -> list[list[str]]:
    """Feature strings for each token of one sentence."""
    lower = [w.lower() for w in words]
    quoted = quoted_flags(words)
    n = len(words)
    cue_marks = [[f"cue:{t}" for t, ws in cues.by_technique.items() if lw in ws] for lw in lower]
    padded = ["<s>", "<s>"] + lower + ["</s>", "</s>"]
    out = []
    for i, w in enumerate(words):
        lw = lower[i]
        j = i + 2
        f = [
            "bias",
            "w=" + lw,
            "p3=" + lw[:3],
            "s3=" + lw[-3:],
            "s2=" + lw[-2:],
            "sh=" + shape(w),
            "w-1=" + padded[j - 1],
            "w+1=" + padded[j + 1],
            "w-2=" + padded[j - 2],
            "w+2=" + padded[j + 2],
            "b-=" + padded[j - 1] + "|" + lw,
            "b+=" + lw + "|" + padded[j + 1],
        ]
        if len(w) > 1 and w.isupper():
            f.append("upper")
        if quoted[i]:
            f.append("quoted")
        if i == 0:
            f.append("first")
        f.extend(cue_marks[i])
        if i > 0:
            f.extend(m + "@-1" for m in cue_marks[i - 1])
        if i + 1 < n:
            f.extend(m + "@+1" for m in cue_marks[i + 1])
        out.append(f)
    return out
