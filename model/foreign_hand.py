"""foreign_hand: claims that events inside a country are instigated, organised, financed or steered from abroad.

How the tagger uses it (model/train.py at training time, model/tagger.py at labelling time):

    from model.foreign_hand import ForeignHand, train_foreign_hand
    hand = train_foreign_hand(seeds)         # `python -m model train`: seeds = documents (name, text, spans), default
                                             # all five; imports scikit-learn; fixed random_state, reproducible
    state = hand.to_json()                   # plain JSON (lists of str and float): store it beside the CRF
    hand = ForeignHand.from_json(state)      # loading: no scikit-learn, no pickle; ValueError if malformed
    hand.spans(text)                         # [(start, end, score)]: sorted, non-overlapping, score a probability
    hand.explain(text, start, end, k=5)      # [(word, weight)]: the words that pushed this span towards the label

`python -m model evaluate` can call `evaluate_leave_one_seed_out(threshold)` (the model beside a keyword baseline,
partial-overlap scoring), `evaluate_real_news(threshold)` (PTC articles annotated for foreign_hand, `test` part)
and `evaluate_euvsdisinfo(threshold)` (sentence level, 250 hand-labelled titles). `SUGGESTED_THRESHOLD` (and C) were
chosen on the PTC foreign_hand `dev` articles and cross-validation over its `train` articles.

Design (docs/decisions/foreign-hand.md): a sentence classifier and a span picker.
1. Every sentence (model/tokens.py) becomes a bag of features: lower-cased words, word pairs, 5-letter prefixes
   ("orchestrated" and "orchestrating" share "orche"), proper names as one symbol @name, and two word classes
   (steering words; outside forces) with a conjunction feature when a steering word has an outside force or a
   name nearby, and the word groups (data/word_classes: 64 k-means groups of all-MiniLM-L6-v2 word embeddings) of
   the words just before and after a steering word or an outside force. TF-IDF and a logistic regression
   (scikit-learn) score the sentence and, with all its sentences' features together, the whole text; a logistic
   calibration of the two scores, fitted on out-of-fold scores (whole articles held out together), gives the
   probability, so that "outside" in an article about organised unrest counts more than in a sports report.
   Training data: the 350 hand-labelled `dev` EUvsDisinfo claim titles, our sentences
   (data/foreign_hand/sentences.jsonl, many of them hard negatives) and the seed sentences (positive when they
   overlap a gold span), weighing three times a title, and the sentences of the `train` PTC articles annotated for
   foreign_hand (data/ptc_foreign_hand), weighing like a title, and as negatives the sentences of the PTC training
   articles nobody annotated for foreign_hand (outside the PTC dev and test lists). Weak labels for the other
   6,600 titles (topic tags, or an actor-and-steering-word rule) were measured and left out: they lowered
   leave-one-seed-out F1.
2. Inside a sentence the span is the run of words that carries the claim: each word gets the weight the classifier
   gives to its own features, and the span is the highest-scoring run once every word pays a fixed cost (a
   maximum-sum segment), trimmed of edge words. That yields clause-sized spans ("coordinated from the territory of
   Ukraine") rather than whole sentences, as the guideline's extent rule asks.
Labelling is pure Python over a dictionary of feature weights (no scikit-learn import).
"""
import csv
import hashlib
import json
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from model.features import WordClasses, split_sentences
from model.paths import (
    EUVSDISINFO_CLAIMS,
    EUVSDISINFO_DIR,
    FOREIGN_HAND_EUVSDISINFO_CHECK,
    FOREIGN_HAND_SENTENCES,
    WORD_CLASSES,
)
from model.tokens import sentence_spans, word_spans

if TYPE_CHECKING:
    from model.data import Claim

RANDOM_STATE = 20220105
FORMAT_VERSION = 2
PREFIX_LENGTH = 5
# A steering word with an outside force or a proper name at most this many words away gets a conjunction feature.
CLASS_WINDOW = 6
# Spans whose calibrated score is below this are not returned at all (the tagger's thresholds sit above it).
MIN_SCORE = 0.05
# Words that never start or end a span (guideline: no leading determiners, no trailing punctuation).
EDGE_WORDS = frozenset("the a an its their his her our this that these those and or but , . ; : – — - ( ) “ ” \" ‘ ’ '"
                       .split() + [",", ".", ";", ":"])

_WORD = re.compile(r"\w")


# -- features ----------------------------------------------------------------------------------------------------
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=65536)
def _normal(word: str) -> str:
    return _DIGIT.sub("0", word.lower().replace("’", "'"))


NAME = "@name"


@lru_cache(maxsize=65536)
def _word_form(word: str) -> tuple[str, bool, bool] | None:
    """None for a punctuation token; else (normal form, whether it is a proper name or acronym inside a sentence
    ("Ukraine", "FSB"), whether it is one as a sentence's first word: an acronym)."""
    if not _WORD.search(word):
        return None
    acronym = len(word) > 1 and word.isupper() and word.isalpha()
    return _normal(word), acronym or word[:1].isupper(), acronym


# Word classes that let the classifier generalise beyond the words it saw: words that say someone steers, pays or
# prepares something, and words that name an outside force. The classifier learns how much each class, and a
# steering word near an outside force, weighs; the lists alone decide nothing.
STEERING = re.compile(
    r"^(?:coordinat|organi[sz]|orchestrat|instigat|financ|fund|sponsor|steer|direct|control|inspir|train|backed"
    r"|recruit|paid|pay|creat|install|engineer|mastermind|plot|prepar|stag|provo|manipulat|puppet|string|curator"
    r"|handler|agent|hand|trace|scenario|behind|interfer|meddl|interven|destabili|revolution|coup|order|instruct"
    r"|pump|resourc|help|tutelag|works|serv|tool|instrument|project|led|run|guarant|involv|brought|armed|support)")
OUTSIDE = frozenset("west western foreign foreigners outside abroad external overseas territory embassy embassies "
                    "intelligence services curators sponsors puppeteers".split())


@lru_cache(maxsize=65536)
def word_class(word: str) -> str | None:
    """"out" for an outside force, "name" for a proper name, "steer" for a steering word, None otherwise."""
    if word == NAME:
        return "name"
    if word in OUTSIDE:
        return "out"
    if STEERING.match(word):
        return "steer"
    return None


# Word groups (k-means of all-MiniLM-L6-v2 word embeddings, 64 groups, data/word_classes): the group of the word
# before and after a steering word or an outside force generalises the word pairs, which are too rare to learn:
# "foreign curators", "foreign handlers" and "foreign agents" share one feature, "financed by" and "financed from"
# another.
WORD_GROUP_COLUMN = "c64"


@lru_cache(maxsize=1)
def word_groups() -> dict[str, str]:
    """Lower-cased word -> its group id, from the tagger's table data/word_classes/word_classes.tsv (read once)."""
    prefix = WORD_GROUP_COLUMN + "="
    table = WordClasses.read(WORD_CLASSES).features_of
    group_of = {row: next(f[len(prefix) :] for f in row if f.startswith(prefix)) for row in set(table.values())}
    return {word: group_of[row] for word, row in table.items()}


def token_features(words: list[str]) -> list[list[str]]:
    """For each token, the features anchored on it: the word, its prefix, the pair it starts with the next word,
    its word class, "steer~out" / "steer~name" when a steering word has an outside force or a name nearby, and
    for a steering word or an outside force the groups of the words beside it ("o:out>12", "o:7<steer").
    Proper names become one symbol, @name, so that "trained by the FSB" and "trained by the CIA" look alike and no
    country's name decides the label (EUvsDisinfo never names Russia as the outside hand). Punctuation tokens get
    no features."""
    kept, normal = [], []
    for i, word in enumerate(words):
        form = _word_form(word)
        if form:
            normal.append(NAME if form[1 if kept else 2] else form[0])
            kept.append(i)
    classes = [word_class(w) for w in normal]
    out: list[list[str]] = [[] for _ in words]
    last = len(kept) - 1
    for n, i in enumerate(kept):
        w, kind = normal[n], classes[n]
        feats = out[i]
        feats.append("w:" + w)
        if len(w) > PREFIX_LENGTH and w != NAME:
            feats.append("p:" + w[:PREFIX_LENGTH])
        if n < last:
            feats.append("b:" + w + " " + normal[n + 1])
        if kind:
            feats.append("c:" + kind)
        if kind == "steer":
            near = classes[max(0, n - CLASS_WINDOW) : n] + classes[n + 1 : n + 1 + CLASS_WINDOW]
            feats.extend("c:steer~" + other for other in ("out", "name") if other in near)
        if kind in ("out", "steer"):
            groups = word_groups()
            if n < last and normal[n + 1] in groups:
                feats.append(f"o:{kind}>{groups[normal[n + 1]]}")
            if n > 0 and normal[n - 1] in groups:
                feats.append(f"o:{groups[normal[n - 1]]}<{kind}")
    return out


CLASS_NAMES = {"c:steer": "a steering word", "c:out": "an outside force", "c:name": "a proper name",
               "c:steer~out": "a steering word near an outside force", "c:steer~name": "a steering word near a name"}


def describe_feature(feature: str) -> str:
    """A feature as a student can read it: "financed", "from abroad", "orche…", "a steering word"."""
    if feature in CLASS_NAMES:
        return CLASS_NAMES[feature]
    if feature.startswith("o:"):
        kind = "a steering word" if "steer" in feature else "an outside force"
        return kind + (" and the kind of word after it" if ">" in feature else " and the kind of word before it")
    kind, value = feature[:2], feature[2:].replace(NAME, "a name")
    return value + "…" if kind == "p:" else value


@lru_cache(maxsize=1)
def feature_signature() -> str:
    """A fingerprint of the feature definitions; a stored model made with other features is refused on load."""
    groups = hashlib.sha256("\n".join(f"{w} {g}" for w, g in word_groups().items()).encode("utf-8")).hexdigest()
    parts = (STEERING.pattern, sorted(OUTSIDE), CLASS_WINDOW, PREFIX_LENGTH, NAME, _WORD.pattern, groups)
    return hashlib.sha256(repr(parts).encode("utf-8")).hexdigest()[:16]


def text_features(text: str) -> list[str]:
    """All features of a piece of text (a sentence or a claim title), as one list (the analyzer for TF-IDF)."""
    words = [text[s:e] for s, e in word_spans(text)]
    return [f for feats in token_features(words) for f in feats]


# -- the model at labelling time ---------------------------------------------------------------------------------
@dataclass
class ForeignHand:
    """A trained foreign_hand component: feature weights, calibration and the span picker's word cost.

    `weights[f]` is idf(f) * coef(f) of the logistic regression, `idf[f]` the TF-IDF idf (needed for the l2 norm).
    """

    idf: dict[str, float]
    weights: dict[str, float]
    intercept: float
    calibration: tuple[float, float, float]  # coefficients of the sentence's and the text's decision, intercept
    word_cost: float
    trained_on: dict

    # The decision value of the logistic regression on a bag of features, exactly as scikit-learn computes it
    # (TfidfVectorizer with raw counts, l2 norm; LogisticRegression.decision_function).
    def decision(self, features: Iterable[str]) -> float:
        return self._decision(self.bag(features))

    def bag(self, features: Iterable[str]) -> Counter:
        """Counts of the known features (a sentence's bag; bags add up to a passage's)."""
        return Counter(f for f in features if f in self.idf)

    def _decision(self, counts: Counter) -> float:
        if not counts:
            return self.intercept
        idf, weights = self.idf, self.weights
        norm = math.sqrt(sum([(c * idf[f]) ** 2 for f, c in counts.items()]))
        return self.intercept + sum([c * weights[f] for f, c in counts.items()]) / norm

    def context_decisions(self, bags: list[Counter]) -> list[tuple[float, float]]:
        """For each sentence of a text (its bag), the decision values of the sentence and of the whole text (all
        its bags together): the calibration's two inputs."""
        whole = Counter(chain.from_iterable(own.elements() for own in bags))  # = updating it bag by bag
        article = self._decision(whole)
        return [(self._decision(own), article) for own in bags]

    def probability(self, sentence: float, article: float | None = None) -> float:
        """Calibrated probability from the sentence's decision value and its whole text's (a lone sentence is its
        own text): "outside" in an article about organised unrest counts more than in a sports report."""
        a_sentence, a_article, b = self.calibration
        z = a_sentence * sentence + a_article * (sentence if article is None else article) + b
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def sentence_scores(self, text: str) -> list[tuple[int, int, float]]:
        """(start, end, calibrated probability) for every sentence of `text`."""
        sentences = sentence_spans(text)
        bags = [self.bag(text_features(text[s:e])) for s, e in sentences]
        return [(s, e, self.probability(*d)) for (s, e), d in zip(sentences, self.context_decisions(bags), strict=True)]

    def spans(self, text: str, min_score: float = MIN_SCORE) -> list[tuple[int, int, float]]:
        """(start, end, score) of every foreign_hand span in `text` scoring at least `min_score`: at most one per
        sentence, so they are sorted and never overlap. The score is the sentence's calibrated probability given its
        neighbours and the whole text."""
        sentences = split_sentences(text)  # the tagger's own sentences and tokens: sentence_spans and word_spans
        feats = [token_features(sentence.words) for sentence in sentences]
        idf = self.idf
        bags = [Counter([f for fs in sentence_feats for f in fs if f in idf]) for sentence_feats in feats]
        out = []
        for sentence, sentence_feats, d in zip(sentences, feats, self.context_decisions(bags), strict=True):
            score = self.probability(*d)
            if score < min_score:
                continue
            first, last = self._pick(sentence.words, sentence_feats)
            out.append((sentence.tokens[first][0], sentence.tokens[last][1], round(score, 4)))
        return out

    def _contributions(self, feats: list[list[str]]) -> list[float]:
        """Each token's share of the classifier's evidence; a word pair is shared between its two words."""
        contrib = [0.0] * len(feats)
        weights = self.weights
        kept = [i for i, fs in enumerate(feats) if fs]  # the words; a pair's second word is the next one
        for n, i in enumerate(kept):
            for f in feats[i]:
                w = weights.get(f, 0.0)
                if f.startswith("b:"):
                    contrib[i] += w / 2
                    if n + 1 < len(kept):
                        contrib[kept[n + 1]] += w / 2
                else:
                    contrib[i] += w
        return contrib

    def _pick(self, words: list[str], feats: list[list[str]]) -> tuple[int, int]:
        """First and last token of the maximum-sum run of (contribution - cost), trimmed of edge words. The cost
        per word is `word_cost` times the strongest word's contribution, so it scales with the model; punctuation
        costs nothing (a run can cross a comma) but never starts a run."""
        contrib = self._contributions(feats)
        cost = self.word_cost * max(max(contrib, default=0.0), 1e-9)
        best, best_range, run, run_start = -math.inf, None, -math.inf, 0
        for i, c in enumerate(contrib):
            if not feats[i]:
                continue
            gain = c - cost
            if run <= 0:
                run, run_start = gain, i
            else:
                run += gain
            if run > best:
                best, best_range = run, (run_start, i)
        if best_range is None:
            return 0, len(words) - 1
        first, last = best_range
        while first < last and words[first].lower() in EDGE_WORDS:
            first += 1
        while last > first and words[last].lower() in EDGE_WORDS:
            last -= 1
        return first, last

    def explain(self, text: str, start: int, end: int, k: int = 5) -> list[tuple[str, float]]:
        """The k features inside text[start:end] with the largest positive weights, as (readable description,
        weight), strongest first: words ("financed"), word pairs ("from abroad"), prefixes ("orche…") and the
        word classes ("a steering word near an outside force")."""
        words = [text[start + a : start + b] for a, b in word_spans(text[start:end])]
        totals: dict[str, float] = {}
        for fs in token_features(words):
            for f in fs:
                w = self.weights.get(f, 0.0)
                if w > 0:
                    name = describe_feature(f)
                    totals[name] = max(totals.get(name, 0.0), w)
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        return [(name, round(w, 3)) for name, w in ranked]

    # -- storage: plain JSON ----------------------------------------------------------------------------------------
    def to_json(self) -> dict:
        features = sorted(self.idf)
        return {
            "format_version": FORMAT_VERSION,
            "feature_signature": feature_signature(),
            "features": features,
            "idf": [round(self.idf[f], 6) for f in features],
            "weights": [round(self.weights[f], 6) for f in features],
            "intercept": self.intercept,
            "calibration": list(self.calibration),
            "word_cost": self.word_cost,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, data: dict) -> "ForeignHand":
        try:
            if data["format_version"] not in (1, FORMAT_VERSION):
                raise ValueError(f"foreign_hand model format {data['format_version']!r}, expected {FORMAT_VERSION}")
            # Files written before the signature existed have none; every file written since carries it.
            signature = data.get("feature_signature", feature_signature())
            if signature != feature_signature():
                raise ValueError("foreign_hand model was trained with other feature definitions: retrain it "
                                 "(python -m model train)")
            features, idf, weights = data["features"], data["idf"], data["weights"]
            if not len(features) == len(idf) == len(weights):
                raise ValueError("foreign_hand model: features, idf and weights differ in length")
            if data["format_version"] == 1:  # a Platt sigmoid on the sentence alone: the text weighs nothing
                a, b = (float(x) for x in data["platt"])
                calibration = (a, 0.0, b)
            else:
                calibration = tuple(float(x) for x in data["calibration"])
            if len(calibration) != 3:
                raise ValueError("foreign_hand model: calibration needs three numbers")
            return cls(
                idf={str(f): float(v) for f, v in zip(features, idf, strict=True)},
                weights={str(f): float(v) for f, v in zip(features, weights, strict=True)},
                intercept=float(data["intercept"]),
                calibration=calibration,
                word_cost=float(data["word_cost"]),
                trained_on=dict(data["trained_on"]),
            )
        except (KeyError, TypeError) as err:
            raise ValueError(f"malformed foreign_hand model ({err!r})") from None


# -- training data -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Example:
    """One training unit: a sentence or a claim title, its label (1 = carries a foreign-hand claim), a weight."""

    text: str
    label: int
    weight: float
    source: str


def read_check(path: Path = FOREIGN_HAND_EUVSDISINFO_CHECK) -> dict[str, tuple[str, int]]:
    """Hand labels of EUvsDisinfo titles: key -> (sample, label); sample `dev` may be trained on, `test` never."""
    with open(path, encoding="utf-8", newline="") as f:
        return {row["key"]: (row["sample"], int(row["label"])) for row in csv.DictReader(f)}


# Weak labels for the titles nobody checked by hand: a foreign or outside actor and a steering word in one title.
# Measured against the hand labels in docs/decisions/foreign-hand.md; neither it nor the tags helped on the seeds.
_ACTOR = (r"(?:US|USA|U\.S\.|America\w*|Washington|West\w*|CIA|NATO|EU|Europe\w*|Brussels|Soros|foreign\w*|outside"
          r"|abroad|Kyiv|Kiev|Ukrain\w+|Pol\w+|Lithuania\w*|UK|Brit\w+|London|German\w*|State Department|NED|NGOs?"
          r"|special services|secret services|intelligence|globalists?|elites?|Vatican|Saakashvili)")
_STEER = (r"(?:behind|organi[sz]\w*|orchestrat\w*|instigat\w*|financ\w*|fund\w*|sponsor\w*|stag\w+|steer\w*"
          r"|control\w*|pupp\w*|colou?r revolution\w*|coup|destabili\w+|provok\w*|provoc\w*|inspired|push\w*|order\w*"
          r"|dictat\w*|project|interfer\w*|meddl\w*|train\w*|creat\w*|led|run\w*|behest|leash|hostage|instrument"
          r"|tool|spy|agent\w*|sway\w*|influenc\w*|pressure|uses?|dependent|masterminded|caused|sparked)")
WEAK_RULE = re.compile(rf"\b{_ACTOR}\b.*\b{_STEER}\b|\b{_STEER}\b.*\b{_ACTOR}\b", re.IGNORECASE)
# The database's topic tags closest to foreign-hand attribution (the alternative weak labeller we measured).
FOREIGN_HAND_TAGS = frozenset({"Colour revolutions", "Puppets", "Destabilising Russia", "Coup", "election meddling",
                               "Secret services", "George Soros", "Euromaidan"})


def weak_label(claim: "Claim", rule: str) -> int:
    """1/0 for a title nobody checked: `rule` = actor-and-steering-word pattern, `tags` = the eight topic tags."""
    if rule == "rule":
        return int(bool(WEAK_RULE.search(claim.title)))
    if rule == "tags":
        return int(bool(FOREIGN_HAND_TAGS & set(claim.keywords)))
    raise ValueError(f"unknown weak labeller {rule!r}")


def claim_examples(claims: list["Claim"], check: dict[str, tuple[str, int]], weak: str = "none",
                   weak_weight: float = 1.0) -> list[Example]:
    """Titles as training examples: the hand label where checked (`dev` sample); the other titles only when a weak
    labeller is chosen (`weak` = "rule" or "tags"; the default "none" leaves them out, which measured better).
    Titles of the `test` sample are always left out so they can measure the model."""
    out = []
    for c in claims:
        sample, label = check.get(c.key, (None, None))
        if sample == "test":
            continue
        if sample == "dev":
            out.append(Example(c.title, label, 1.0, "euvsdisinfo-hand"))
        elif weak != "none":
            out.append(Example(c.title, weak_label(c, weak), weak_weight, "euvsdisinfo-weak"))
    return out


def read_sentences(path: Path = FOREIGN_HAND_SENTENCES, weight: float | None = None) -> list[Example]:
    """Our own hand-written sentences ({"text", "label"} per line), many of them hard negatives."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append(Example(row["text"], int(row["label"]), weight or IN_DOMAIN_WEIGHT, "sentences"))
    return out


def seed_gold_spans(gold: dict) -> dict[str, list[tuple[int, int]]]:
    """(start, end) of the foreign_hand spans per article, from model.data.load_seed_gold()'s Span lists."""
    return {name: [(s.start, s.end) for s in spans if s.technique == "foreign_hand"] for name, spans in gold.items()}


def seed_examples(texts: dict[str, str], gold: dict[str, list[tuple[int, int]]], weight: float | None = None,
                  source: str = "seed") -> list[Example]:
    """Every sentence of the given articles; positive when it overlaps a gold foreign_hand span."""
    out = []
    for name, text in texts.items():
        spans = gold.get(name, [])
        for s, e in sentence_spans(text):
            label = int(any(a < e and s < b for a, b in spans))
            out.append(Example(text[s:e], label, weight or IN_DOMAIN_WEIGHT, f"{source}:{name}"))
    return out


# -- training --------------------------------------------------------------------------------------------------------
# C (of 0.3, 1, 3, 10, 30) and the threshold: highest F1 on the PTC foreign_hand `dev` articles and 5-fold
# cross-validation over the `train` articles together (docs/decisions/foreign-hand.md).
DEFAULT_C = 3.0
# The span picker's cost per word, as a fraction of the sentence's strongest word (tuned leave-one-seed-out).
DEFAULT_WORD_COST = 0.06
# Seed sentences and our own sentences are news prose with exact labels: they count three times a claim title.
IN_DOMAIN_WEIGHT = 3.0
CALIBRATION_FOLDS = 5
# PTC news sentences (data/ptc_foreign_hand, `train` part) weigh like a claim title.
NEWS_WEIGHT = 1.0
# The threshold (of 0.1, 0.15, ..., 0.5) chosen with C and the training data: a suggestion for the tagger's model
# card, chosen on data no reported figure uses.
SUGGESTED_THRESHOLD = 0.4


def _pipeline(c: float, random_state: int):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    return make_pipeline(
        TfidfVectorizer(analyzer=text_features, min_df=2, norm="l2", use_idf=True, smooth_idf=True),
        LogisticRegression(C=c, class_weight="balanced", max_iter=5000, random_state=random_state),
    )


def _export(model, word_cost: float, calibration=(1.0, 0.0, 0.0), trained_on=None) -> ForeignHand:
    """A fitted scikit-learn pipeline as a ForeignHand (plain dictionaries of weights)."""
    vectorizer, classifier = model.steps[0][1], model.steps[1][1]
    features = vectorizer.get_feature_names_out()
    idf, coef = vectorizer.idf_, classifier.coef_[0]
    return ForeignHand(
        idf={str(f): float(v) for f, v in zip(features, idf, strict=True)},
        weights={str(f): float(v * k) for f, v, k in zip(features, idf, coef, strict=True)},
        intercept=float(classifier.intercept_[0]),
        calibration=tuple(float(x) for x in calibration),
        word_cost=word_cost,
        trained_on=trained_on or {},
    )


def _documents(examples: list[Example]) -> list[list[int]]:
    """Indices of the examples grouped into texts: consecutive sentences of one article (source "seed:<name>",
    "ptc:<name>") form one text, in order; a title or one of our sentences is a text of its own."""
    groups: list[list[int]] = []
    for i, x in enumerate(examples):
        if ":" in x.source and groups and examples[groups[-1][0]].source == x.source:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def out_of_fold(examples: list[Example], c: float = DEFAULT_C, random_state: int = RANDOM_STATE):
    """Out-of-fold (sentence, article) decision values of every example, whole texts held out together so that
    no sentence's context was trained on: an array of shape (n, 2)."""
    import numpy as np
    from sklearn.model_selection import StratifiedGroupKFold

    texts = [x.text for x in examples]
    y = np.array([x.label for x in examples])
    w = np.array([x.weight for x in examples])
    documents = _documents(examples)
    group = np.zeros(len(y), dtype=int)
    for g, members in enumerate(documents):
        group[members] = g
    n_minority = int(min(y.sum(), len(y) - y.sum()))
    folds = StratifiedGroupKFold(n_splits=min(CALIBRATION_FOLDS, n_minority), shuffle=True,
                                 random_state=random_state)
    oof = np.zeros((len(y), 2))
    for train_idx, test_idx in folds.split(texts, y, group):
        model = _pipeline(c, random_state)
        model.fit([texts[i] for i in train_idx], y[train_idx], logisticregression__sample_weight=w[train_idx])
        hand = _export(model, 0.0)
        for g in sorted(set(group[test_idx])):
            members = documents[g]
            oof[members] = hand.context_decisions([hand.bag(text_features(texts[i])) for i in members])
    return oof


def calibrate(oof, y) -> tuple[float, float, float]:
    """The calibration (coefficients of the sentence's and the text's decision value, intercept): a logistic
    regression on out-of-fold decision values."""
    from sklearn.linear_model import LogisticRegression

    fitted = LogisticRegression(C=1e4, max_iter=1000).fit(oof, list(y))
    return float(fitted.coef_[0][0]), float(fitted.coef_[0][1]), float(fitted.intercept_[0])


def fit(examples: list[Example], c: float = DEFAULT_C, word_cost: float = DEFAULT_WORD_COST,
        random_state: int = RANDOM_STATE) -> ForeignHand:
    """Train the classifier on `examples`, calibrate it on out-of-fold decision values of each sentence and its
    whole text, and export it."""
    y = [x.label for x in examples]
    if min(sum(y), len(y) - sum(y)) < 2:
        raise ValueError("foreign_hand training needs at least two positive and two negative examples")
    calibration = calibrate(out_of_fold(examples, c, random_state), y)
    model = _pipeline(c, random_state)
    model.fit([x.text for x in examples], y, logisticregression__sample_weight=[x.weight for x in examples])
    sources: dict[str, list[int]] = {}
    for x in examples:
        n = sources.setdefault(x.source.split(":")[0], [0, 0])
        n[x.label] += 1
    trained_on = {src: {"negative": n[0], "positive": n[1]} for src, n in sorted(sources.items())}
    return _export(model, word_cost, calibration, trained_on)


def all_seed_docs() -> list:
    """The five seeds as documents with their gold spans (name, text, spans)."""
    from model.data import Document, load_seed_gold, seed_texts

    texts, gold = seed_texts(), load_seed_gold()
    return [Document(name, text, gold.get(name, []), []) for name, text in texts.items()]


def ptc_parts(ptc_dir: Path | None = None) -> dict[str, list]:
    """The PTC articles annotated for foreign_hand (data/ptc_foreign_hand) as documents, by part ("train", "dev",
    "test"); empty parts when the PTC corpus (`ptc_dir`, default model.paths.PTC_DIR) is not on this machine."""
    from model.paths import PTC_DIR

    ptc_dir = PTC_DIR if ptc_dir is None else Path(ptc_dir)
    if not ptc_dir.is_dir():
        return {"train": [], "dev": [], "test": []}
    from model.ptc_foreign_hand import load_ptc_foreign_hand, split

    docs = load_ptc_foreign_hand(ptc_dir)
    by_name = {d.name: d for d in docs}
    return {part: [by_name[n] for n in names] for part, names in split(list(by_name)).items()}


def training_examples(seeds: Iterable | None = None, euvsdisinfo_dir: Path | None = EUVSDISINFO_DIR,
                      weak: str = "none", news: Iterable = (), news_weight: float = NEWS_WEIGHT,
                      negatives: Iterable = ()) -> list[Example]:
    """Everything the component learns from: the hand-checked `dev` EUvsDisinfo titles (when the corpus folder
    exists), our sentences, the sentences of `seeds` (documents with name, text and gold spans; default all
    five seeds), the sentences of other annotated `news` documents (e.g. PTC articles) at `news_weight`, and the
    sentences of unannotated `negatives` documents, all taken as negatives, at `news_weight`."""
    seeds = all_seed_docs() if seeds is None else list(seeds)
    news = list(news)
    gold = seed_gold_spans({d.name: d.spans for d in seeds + news})
    examples = read_sentences(weight=IN_DOMAIN_WEIGHT)
    examples += seed_examples({d.name: d.text for d in seeds}, gold, IN_DOMAIN_WEIGHT)
    examples += seed_examples({d.name: d.text for d in news}, gold, news_weight, "ptc")
    if euvsdisinfo_dir is not None and (Path(euvsdisinfo_dir) / EUVSDISINFO_CLAIMS).is_file():
        from model.data import load_euvsdisinfo  # training only: labelling never loads the data module

        examples = claim_examples(load_euvsdisinfo(Path(euvsdisinfo_dir)), read_check(), weak) + examples
    examples += seed_examples({d.name: d.text for d in negatives}, {}, news_weight, "ptc-unannotated")
    return examples


def unannotated_ptc(ptc_dir: Path | None = None) -> list:
    """PTC articles nobody annotated for foreign_hand, outside the project's PTC `dev` and `test` lists (so they
    could never join the foreign_hand dev or test parts), as documents without spans: their sentences are taken
    as negatives. Noisy: they hold none of the cue words that chose the annotated articles (two long cue articles
    skipped as too long aside), but a few sentences may still carry a claim. Empty without the PTC corpus
    (`ptc_dir`, default model.paths.PTC_DIR)."""
    from model.paths import PTC_DIR, PTC_FOREIGN_HAND_ARTICLES, PTC_SPLITS

    ptc_dir = PTC_DIR if ptc_dir is None else Path(ptc_dir)
    if not ptc_dir.is_dir():
        return []
    from model.data import Document, load_ptc, read_exact_text

    annotated = set(read_exact_text(PTC_FOREIGN_HAND_ARTICLES).split())
    lists = json.loads(read_exact_text(PTC_SPLITS))
    held_out = set(lists["test"]) | set(lists["dev"])
    return [Document(d.name, d.text, [], []) for d in load_ptc(ptc_dir)
            if d.name not in annotated and d.name.removeprefix("article") not in held_out]


def train_foreign_hand(seeds: Iterable | None = None, euvsdisinfo_dir: Path | None = EUVSDISINFO_DIR,
                       news: Iterable | None = None, random_state: int = RANDOM_STATE,
                       negatives: Iterable | None = None, ptc_dir: Path | None = None) -> ForeignHand:
    """The foreign_hand component trained on all its data; `seeds` are documents (name, text, spans) whose
    foreign_hand spans are gold (default all five seeds; pass fewer to hold some out); `news` more such documents
    (default: the `train` part of the PTC foreign_hand gold, when PTC is on this machine); `negatives` documents
    whose sentences all count as negatives (default: `unannotated_ptc()`). Reproducible: the same data and
    random_state give the same weights. Without EUvsDisinfo or PTC (`ptc_dir`, default model.paths.PTC_DIR) it
    trains on the rest."""
    news = ptc_parts(ptc_dir)["train"] if news is None else list(news)
    negatives = unannotated_ptc(ptc_dir) if negatives is None else list(negatives)
    return fit(training_examples(seeds, euvsdisinfo_dir, news=news, negatives=negatives), random_state=random_state)


# -- evaluation ------------------------------------------------------------------------------------------------------
# The keyword baseline: the cue words of the guideline's definition, each marking the clause around it.
BASELINE_CUES = re.compile(
    r"\b(?:instigat\w*|organi[sz]\w*|financ\w*|fund(?:ed|ing)|sponsor\w*|steer\w*|orchestrat\w*|foreign|outside"
    r"|abroad|the West|puppet\w*|colou?r revolutions?|behind)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"[,;:()\[\]“”\"‘’–—]|\s-\s")


def baseline_spans(text: str) -> list[tuple[int, int, float]]:
    """Keyword baseline: each clause (text between punctuation, within a sentence) holding a cue word, score 1."""
    out = []
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        cuts = [0] + [m.start() for m in _CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            clause = sentence[a:b]
            if BASELINE_CUES.search(clause):
                inner = [(x, y) for x, y in word_spans(clause) if _WORD.search(clause[x:y])]
                if inner:
                    out.append((s + a + inner[0][0], s + a + inner[-1][1], 1.0))
    return out


def _as_spans(found: list[tuple[int, int, float]], text: str):
    from model.spans import Span

    return [Span(s, e, "foreign_hand", score, "author", text[s:e]) for s, e, score in found]


def evaluate_leave_one_seed_out(threshold: float = SUGGESTED_THRESHOLD, euvsdisinfo_dir: Path | None = EUVSDISINFO_DIR,
                                log=None) -> dict:
    """Train without seed k, label seed k, for each of the five seeds; score all predictions together with
    model.scoring (partial overlap). Spans scoring at least `threshold` count. Returns {"model": Metrics,
    "baseline": Metrics (keyword clauses), "per_seed": {name: Metrics}, "threshold": threshold}."""
    from model.scoring import score

    seeds, news, negatives = all_seed_docs(), ptc_parts()["train"], unannotated_ptc()
    pairs, baseline_pairs, per_seed = [], [], {}
    for doc in seeds:
        name, text = doc.name, doc.text
        hand = train_foreign_hand([d for d in seeds if d.name != name], euvsdisinfo_dir, news, negatives=negatives)
        gold_spans = [s for s in doc.spans if s.technique == "foreign_hand"]
        pairs.append((_as_spans([x for x in hand.spans(text) if x[2] >= threshold], text), gold_spans))
        baseline_pairs.append((_as_spans(baseline_spans(text), text), gold_spans))
        per_seed[name] = score([pairs[-1]])["foreign_hand"]
        if log:
            log(f"  left out {name}: {per_seed[name]}")
    return {"model": score(pairs)["foreign_hand"], "baseline": score(baseline_pairs)["foreign_hand"],
            "per_seed": per_seed, "threshold": threshold}


def evaluate_real_news(threshold: float = SUGGESTED_THRESHOLD, part: str = "test",
                       hand: ForeignHand | None = None, ptc_dir: Path | None = None) -> dict:
    """Partial-overlap scores on the PTC articles annotated for foreign_hand (`test` part by default: never trained
    on, never used to choose anything): {"model": Metrics, "baseline": Metrics, "articles": n}. Empty dict when
    PTC is not on this machine."""
    from model.scoring import score

    docs = ptc_parts(ptc_dir)[part]
    if not docs:
        return {}
    hand = hand or train_foreign_hand(ptc_dir=ptc_dir)
    model = [(_as_spans([x for x in hand.spans(d.text) if x[2] >= threshold], d.text), d.spans) for d in docs]
    baseline = [(_as_spans(baseline_spans(d.text), d.text), d.spans) for d in docs]
    return {"model": score(model)["foreign_hand"], "baseline": score(baseline)["foreign_hand"], "articles": len(docs)}


# Sizes of the three strata the hand-checked titles were drawn from (data/foreign_hand/README.md).
STRATUM_SIZES = {"tagged": 862, "untagged_cue": 554, "untagged_nocue": 5781}


def weighted_precision_recall(rows: Iterable[tuple[str, int, int]]) -> tuple[float, float, float]:
    """Precision, recall, F1 over the whole database from a stratified sample: rows of (stratum, predicted, gold),
    each row weighted by its stratum's size over the number of sampled rows in that stratum."""
    rows = list(rows)
    drawn = {k: sum(r[0] == k for r in rows) for k in STRATUM_SIZES}
    tp = fp = fn = 0.0
    for stratum, predicted, label in rows:
        w = STRATUM_SIZES[stratum] / drawn[stratum]
        tp += w * (predicted and label)
        fp += w * (predicted and not label)
        fn += w * (label and not predicted)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def evaluate_euvsdisinfo(threshold: float = SUGGESTED_THRESHOLD, hand: ForeignHand | None = None,
                         euvsdisinfo_dir: Path = EUVSDISINFO_DIR) -> dict[str, tuple[float, float, float]]:
    """Sentence-level (precision, recall, F1) on the 250 hand-labelled `test` titles, none of which any model
    trained on, weighted to the whole database: the model (trained on everything else), the keyword baseline,
    and the two weak labellers (topic tags; actor-and-steering-word rule)."""
    hand = hand or train_foreign_hand(euvsdisinfo_dir=euvsdisinfo_dir)
    with open(FOREIGN_HAND_EUVSDISINFO_CHECK, encoding="utf-8", newline="") as f:
        strata = {row["key"]: row["stratum"] for row in csv.DictReader(f)}
    check = read_check()
    from model.data import load_euvsdisinfo

    test = [c for c in load_euvsdisinfo(euvsdisinfo_dir) if check.get(c.key, ("", 0))[0] == "test"]
    predictors = {
        "model": lambda c: hand.probability(hand.decision(text_features(c.title))) >= threshold,
        "keyword baseline": lambda c: bool(BASELINE_CUES.search(c.title)),
        "weak: topic tags": lambda c: bool(weak_label(c, "tags")),
        "weak: actor+steering rule": lambda c: bool(weak_label(c, "rule")),
    }
    return {name: weighted_precision_recall((strata[c.key], int(f(c)), check[c.key][1]) for c in test)
            for name, f in predictors.items()}
