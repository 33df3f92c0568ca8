"""Token features for the span tagger: the word, its shape and affixes, its neighbours, quotation context,
cue-word lists learnt from the training spans, valence and word classes.

A sentence becomes a list of tokens; each token a list of feature strings (crfsuite's attribute format).
"""
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

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


@lru_cache(maxsize=8)  # label() and then explain() for each of its spans split the same text
def split_sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of `text` with their tokens (offsets into `text`)."""
    tokens = word_spans(text)
    sentences, i = [], 0
    for start, end in sentence_spans(text):
        first = i
        while i < len(tokens) and tokens[i][0] < end:
            i += 1
        inside = tokens[first:i]
        if inside:
            sentences.append(Sentence(start, end, tuple(inside), tuple([text[s:e] for s, e in inside])))
    return tuple(sentences)


@lru_cache(maxsize=100_000)
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
    if OPENING_QUOTES.isdisjoint(words) and STRAIGHT_QUOTES.isdisjoint(words):  # most sentences: no quotation
        return [False] * len(words)
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
                for t in tagset & inside.keys():
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


class Valence:
    """Emotional charge of words from the VADER sentiment lexicon (Hutto and Gilbert, 2014; MIT licence), in four
    bins: strongly or mildly negative or positive. It lets the tagger generalise to charged words that no training
    span contained. The bins are stored in the model manifest, so labelling needs no extra package."""

    BINS = ("neg2", "neg1", "pos1", "pos2")
    NAMES = {"neg2": "strongly negative", "neg1": "negative", "pos1": "positive", "pos2": "strongly positive"}

    def __init__(self, bin_of: dict[str, str]):
        self.bin_of = bin_of

    @classmethod
    def from_vader(cls) -> "Valence":
        import vaderSentiment

        path = Path(vaderSentiment.__file__).parent / "vader_lexicon.txt"
        bin_of = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            word, value = line.split("\t")[:2]
            v = float(value)
            bin_of[word] = "neg2" if v <= -2 else "neg1" if v < 0 else "pos1" if v < 2 else "pos2"
        return cls(bin_of)

    def is_strong(self, word: str) -> bool:
        return self.bin_of.get(word) in ("neg2", "pos2")

    def to_json(self) -> dict:
        return {b: sorted(w for w, wb in self.bin_of.items() if wb == b) for b in self.BINS}

    @classmethod
    def from_json(cls, data: dict) -> "Valence":
        return cls({w: b for b in cls.BINS for w in data[b]})


class WordClasses:
    """Word classes at three granularities: k-means clusters of the embeddings that the sentence model
    all-MiniLM-L6-v2 (Apache-2.0) gives each word alone (data/word_classes/). A word never seen in training still
    shares a class with seen words of like meaning ("thugs" with "bandits", "assailants"). The table is a file of the
    model (FILE), so labelling needs neither the sentence model nor torch."""

    FILE = "word_classes.tsv"
    WORD = re.compile(r"[a-z][a-z'\-]*[a-z]")  # the words the table is built from (data/word_classes/build.py)

    def __init__(self, features_of: dict[str, tuple[str, ...]]):
        self.features_of = features_of
        self._members = None

    def of(self, word: str) -> tuple[str, ...]:
        """The class features of a lower-case word. An unknown word of letters, hyphens and apostrophes takes those of
        its stem if it is a possessive ("steinle's"), else of its last known part ("anti-fascism"). The table holds
        every such word of the training texts, so this happens on new text only."""
        found = self.features_of.get(word)
        if found is None and self.WORD.fullmatch(word):
            if word.endswith("'s"):
                found = self.features_of.get(word[:-2])
            if found is None:
                found = next(filter(None, map(self.features_of.get, reversed(word.split("-")))), None)
        return found or ()

    def members(self, feature: str) -> list[str]:
        """The words of a class feature such as "c256=190", in table order ([] for any other feature)."""
        if self._members is None:  # built on first use: only explanations need it
            members = {}
            for word, classes in self.features_of.items():
                for f in classes:
                    members.setdefault(f, []).append(word)
            self._members = members
        return self._members.get(feature, [])

    @classmethod
    def read(cls, path: Path) -> "WordClasses":
        """From a table with a header `word<TAB>c64<TAB>...` and one word per line. A table is parsed once per
        process: the model's copy and data/word_classes/ (which foreign_hand reads) are one table."""
        data = path.read_bytes()
        key = hashlib.sha256(data).digest()
        if key not in _TABLES:
            _TABLES[key] = cls._parse(io.StringIO(data.decode("utf-8")), path)
        return _TABLES[key]

    @classmethod
    def _parse(cls, lines, path: Path) -> "WordClasses":
        names = lines.readline().rstrip("\r\n").split("\t")[1:]
        if not names:
            raise ValueError(f"{path}: no header of class columns")
        features_of, shared = {}, {}  # one tuple per distinct row, not one per word (tens of MB less)
        for line in lines:
            word, *classes = line.rstrip("\r\n").split("\t")
            if len(classes) != len(names):
                raise ValueError(f"{path}: the line of {word!r} has {len(classes)} classes, not {len(names)}")
            row = tuple(classes)
            if row not in shared:
                shared[row] = tuple(map("{}={}".format, names, classes))
            features_of[word] = shared[row]
        return cls(features_of)


_TABLES: dict[bytes, WordClasses] = {}  # WordClasses.read's tables by the SHA-256 of their file


@dataclass
class Features:
    """Turns the words of a sentence into crfsuite feature strings, one list per token."""

    cues: CueWords
    valence: Valence
    classes: WordClasses = field(default_factory=lambda: WordClasses({}))

    def __post_init__(self):
        self._word_cache: dict[str, tuple] = {}

    def _word(self, w: str) -> tuple:
        """What a token contributes whatever its context (cached per word form): its own features before and after
        the context features, the marks it lends to itself and its neighbours, whether it is strongly charged, its
        lower-case form and how its neighbours see it (w-1, w+1, w-2, w+2)."""
        found = self._word_cache.get(w)
        if found is None:
            lw = w.lower()
            head = ("bias", "w=" + lw, "p3=" + lw[:3], "s3=" + lw[-3:], "s2=" + lw[-2:], "sh=" + shape(w))
            tail = ((("p5=" + lw[:5],) if len(lw) > 5 else ()) + (("upper",) if len(w) > 1 and w.isupper() else ())
                    + self.classes.of(lw))
            marks = [f"cue:{t}" for t, ws in self.cues.by_technique.items() if lw in ws]
            if lw in self.valence.bin_of:
                marks.append("val:" + self.valence.bin_of[lw])
            cue_of = tuple(t for t, ws in self.cues.by_technique.items() if lw in ws)
            found = (head, tail, tuple(marks), tuple(m + "@-1" for m in marks), tuple(m + "@+1" for m in marks),
                     cue_of, self.valence.is_strong(lw), lw, _as_neighbour(lw))
            if len(self._word_cache) > 200_000:
                self._word_cache.clear()
            self._word_cache[w] = found
        return found

    def sentence(self, words) -> list[list[str]]:
        quoted = quoted_flags(words)
        n = len(words)
        info = [self._word(w) for w in words]
        # Sentence-level context, shared by every token: how many cue words and strongly charged words it holds.
        context = [f"sent-cues:{t}={min(3, sum(1 for x in info if t in x[5]))}" for t in self.cues.by_technique]
        context.append(f"sent-charged={min(3, sum(1 for x in info if x[6]))}")
        if "!" in words:
            context.append("sent-exclamation")
        lower = [x[7] for x in info]
        pairs = [left + "|" + right for left, right in zip(["<s>", *lower], [*lower, "</s>"], strict=True)]
        seen = [_EDGE, _EDGE, *(x[8] for x in info), _EDGE, _EDGE]  # token i is seen[i + 2]
        out = []
        for i in range(n):
            head, tail, marks = info[i][0], info[i][1], info[i][2]
            f = [*head, seen[i + 1][0], seen[i + 3][1], seen[i][2], seen[i + 4][3], "b-=" + pairs[i],
                 "b+=" + pairs[i + 1], *tail]
            if quoted[i]:
                f.append("quoted")
            if i == 0:
                f.append("first")
            f.extend(marks)
            if i > 0:
                f.extend(info[i - 1][3])
            if i + 1 < n:
                f.extend(info[i + 1][4])
            f.extend(context)
            out.append(f)
        return out


def _as_neighbour(lw: str) -> tuple[str, str, str, str]:
    """A word's features as its neighbours see it: as the word before, after, two before and two after."""
    return "w-1=" + lw, "w+1=" + lw, "w-2=" + lw, "w+2=" + lw


# Beyond the sentence's edges the padding is seen: "<s>" before, "</s>" after.
_EDGE = ("w-1=<s>", "w+1=</s>", "w-2=<s>", "w+2=</s>")
