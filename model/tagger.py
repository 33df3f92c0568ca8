"""The span tagger: loads the committed model files safely and labels text with scored, voiced spans.

Model files (model/weights/): `tagger.crfsuite` (crfsuite's own binary format, no pickle), `manifest.json`
(model/manifest.py: checked before any file is loaded), the word classes, foreign_hand's JSON and the encoder.
Nothing here imports scikit-learn or nltk, so `python -m model label` starts fast.
"""
import json
import math
import operator
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import numpy as np
import pycrfsuite

from model import manifest as model_manifest
from model.features import CueWords, Features, Valence, WordClasses, split_sentences
from model.manifest import ModelFileError
from model.paths import WEIGHTS_DIR
from model.spans import Span, sort_spans, trimmed
from model.techniques import TECHNIQUES, TOKEN_TECHNIQUES
from model.tokens import sentence_spans
from model.voice import voice_at

CRF_FILE = "tagger.crfsuite"
FOREIGN_HAND_FILE = "foreign_hand.json"
ENCODER_DIR = "encoder"
# A token's probability of a technique is the CRF's marginal P(B) + P(I), mixed with the per-token logistic
# regression's probability (its share below) when the manifest has one ("token_lr"), for the tokens whose P(O)
# leaves at least the candidate floor to the techniques (the others have probability 0).
TOKEN_LR_SHARE = 0.3
# With the encoder's token head (model/encoder.py), that probability is mixed again with the head's: the head's share
# is the manifest's "token_head_share", chosen on the PTC dev split (model/train.py).
# Tokens whose probability of a technique reaches the candidate floor can form a candidate span (the manifest's
# "candidate_floor", chosen with the head's share; never below this one, under which tokens are not even asked);
# the score of a candidate (its calibrated mean token probability) is what thresholds compare against.
CANDIDATE_FLOOR = 0.1
class Tagger:
    """Labels text with spans of loaded_language and name_calling (the CRF) and foreign_hand (its component)."""

    def __init__(self, crf_path: Path, manifest: dict, foreign_hand=None, classes: WordClasses | None = None,
                 encoder=None):
        self.foreign_hand = foreign_hand
        self.encoder = encoder  # model/encoder.py: one pass per text, for the components that read sentence vectors
        self._crf = pycrfsuite.Tagger()
        # crfsuite keeps the current sequence inside the tagger (set, then marginal): Streamlit sessions share this
        # tagger from several threads, so one sequence at a time (tests/test_properties.py, benchmarks/bench_load.py).
        self._crf_lock = threading.Lock()
        self._marked = {}  # technique -> evidence.MarkedWords, built on the first evidence asked for
        self._marked_lock = threading.Lock()
        try:
            self._crf.open(str(crf_path))
        except Exception as err:  # crfsuite raises a bare error type for an unreadable file
            raise ModelFileError(f"crfsuite cannot read {crf_path} ({err})") from None
        self.folder = crf_path.parent
        # (B label, I label) of each of TOKEN_TECHNIQUES; None for a label this model never learnt (probability 0)
        labels = set(self._crf.labels())
        self._technique_labels = [tuple(label if label in labels else None for label in (f"B-{t}", f"I-{t}"))
                                  for t in TOKEN_TECHNIQUES]
        try:
            self.features = Features(CueWords.from_json(manifest["cue_words"]), Valence.from_json(manifest["valence"]),
                                     classes or WordClasses({}))
        except (TypeError, ValueError, KeyError, AttributeError) as err:
            raise ModelFileError(f"the model manifest's cue words or valence cannot be read ({err!r})") from None
        self.token_lr = manifest.get("token_lr")
        if self.token_lr:  # {feature: its weight for each of TOKEN_TECHNIQUES}: one look-up per feature of a token
            lr_weights = [self.token_lr["weights"][tech] for tech in TOKEN_TECHNIQUES]
            self._lr_bias = tuple(self.token_lr["bias"][tech] for tech in TOKEN_TECHNIQUES)
            self._lr_table = {attr: tuple(w.get(attr, 0.0) for w in lr_weights) for attr in set().union(*lr_weights)}
        self.calibration = manifest["calibration"]
        self.thresholds = manifest["thresholds"]  # the default: a highlight right at least half the time (train.py)
        self.balanced_thresholds = manifest.get("balanced_thresholds", self.thresholds)  # best F1
        self.default_threshold = float(manifest["default_threshold"])
        has_head = encoder is not None and encoder.has_head
        self.head_share = float(manifest.get("token_head_share", 0.0)) if has_head else 0.0
        self.floor = max(CANDIDATE_FLOOR, float(manifest.get("candidate_floor", CANDIDATE_FLOOR)))
        self.manifest = manifest
        self._state_weights = None

    # -- raw candidates ---------------------------------------------------------------------------------------
    def _sentence_marginals(self, words, head=None, head_share: float = 0.0) -> list:
        """Per token, ((P(B), P(I), p) of each of TOKEN_TECHNIQUES), with the CRF's marginals and the token's
        probability p of the technique (the marginal P(B) + P(I), mixed with the per-token regression's probability
        by TOKEN_LR_SHARE when the model has one, and that with the token head's, `head[t]`, by `head_share`), or
        None for a token whose P(O) leaves less than the candidate floor to the techniques and whose head
        probabilities are below it too: it is not asked for the rest (most tokens: it saves three quarters of the
        crfsuite calls, and the regression's look-ups)."""
        features = self.features.sentence(words)
        marginal, techniques, high = self._crf.marginal, self._technique_labels, 1.0 - CANDIDATE_FLOOR
        share = TOKEN_LR_SHARE if self.token_lr else 0.0
        out = []
        with self._crf_lock:
            self._crf.set(features)
            for t, attrs in enumerate(features):
                from_head = head[t] if head is not None and head_share else None
                if marginal("O", t) > high and (from_head is None or from_head.max() < CANDIDATE_FLOOR):
                    out.append(None)
                    continue
                regression = self._token_lr(attrs) if share else (0.0,) * len(TOKEN_TECHNIQUES)
                found = []
                for k, ((b, i), p_lr) in enumerate(zip(techniques, regression, strict=True)):
                    p_begin, p_inside = marginal(b, t) if b else 0.0, marginal(i, t) if i else 0.0
                    p = (1 - share) * (p_begin + p_inside) + share * p_lr
                    if from_head is not None:
                        p = (1 - head_share) * p + head_share * float(from_head[k])
                    found.append((p_begin, p_inside, p))
                out.append(tuple(found))
        return out

    def _token_lr(self, attrs) -> tuple[float, ...]:
        """A token's probability of each of TOKEN_TECHNIQUES under the per-token logistic regression."""
        z, table = self._lr_bias, self._lr_table
        for attr in filter(table.__contains__, attrs):
            z = tuple(map(operator.add, z, table[attr]))
        return tuple(1.0 / (1.0 + math.exp(-min(max(x, -30.0), 30.0))) for x in z)

    def candidates(self, text: str, pieces=None, head_share: float | None = None,
                   floor: float | None = None) -> list[tuple[int, int, str, float]]:
        """(start, end, technique, raw score) for every candidate span: a run of tokens whose probability of the
        technique reaches the candidate `floor` (by default the model's), cut where a token is more likely to begin a
        span than continue one (CRF), without EDGE_WORDS at its edges. The raw score is the mean token probability
        over the span.
        `pieces` are the token head's (offsets, probabilities) of the text's wordpieces (`head_pieces`; by default
        the encoder's), mixed in by `head_share` (by default the model's)."""
        head_share = self.head_share if head_share is None else head_share
        floor = self.floor if floor is None else max(floor, CANDIDATE_FLOOR)
        if pieces is None and head_share:
            pieces = head_pieces(self.encode(text))
        found = []
        for sentence in split_sentences(text):
            head = by_token(pieces, sentence.tokens) if pieces is not None and head_share else None
            marginals = self._sentence_marginals(sentence.words, head, head_share)
            if not any(marginals):
                continue
            for k, tech in enumerate(TOKEN_TECHNIQUES):
                run = []
                for i, m in enumerate(marginals):
                    if m is None:  # a token below the floor ends the run
                        if run:
                            found += _run_to_span(sentence, run, tech)
                            run = []
                        continue
                    p_begin, p_inside, p = m[k]
                    if p >= floor and not (run and p_begin > p_inside):
                        run.append((i, p))
                        continue
                    if run:
                        found += _run_to_span(sentence, run, tech)
                    run = [(i, p)] if p >= floor else []
                if run:
                    found += _run_to_span(sentence, run, tech)
        return found

    def encode(self, text: str) -> list:
        """The encoder's vectors for each sentence of `text` (model/encoder.py), computed once for the last texts."""
        return _encode(self.encoder, text)

    def calibrated(self, technique: str, raw: float) -> float:
        a, b = self.calibration.get(technique, (1.0, 0.0))
        return 1.0 / (1.0 + math.exp(-(a * raw + b)))

    # -- public API -------------------------------------------------------------------------------------------
    def label(self, text: str, threshold: float | Mapping[str, float] | None = None) -> list[Span]:
        """Spans sorted by position, at most one span of a technique over any character. `threshold` None uses
        each technique's default (model card), a number applies to every technique, and a mapping gives some
        techniques their own (the others keep their default)."""
        found = [(start, end, tech, self.calibrated(tech, raw)) for start, end, tech, raw in self.candidates(text)]
        limits = self.limits(threshold)

        def limit(technique):
            return limits.get(technique, self.default_threshold)

        if self.foreign_hand is not None:
            found += [(start, end, "foreign_hand", score) for start, end, score
                      in self.foreign_hand.spans(text, self.encode(text), min_score=limit("foreign_hand"))]
        spans = []
        for start, end, tech, score in found:
            if score >= limit(tech):
                spans.append(Span(start, end, tech, round(score, 4), voice_at(text, start, end), text[start:end]))
        return sort_spans(spans)

    def limits(self, threshold: float | Mapping[str, float] | None = None) -> dict[str, float]:
        """The score threshold of each technique that `label(text, threshold)` applies."""
        limits = {technique: float(self.thresholds.get(technique, self.default_threshold)) for technique in TECHNIQUES}
        if isinstance(threshold, Mapping):
            unknown = set(threshold) - set(TECHNIQUES)
            if unknown:
                raise ValueError(f"no such technique: {', '.join(sorted(unknown))}")
            limits |= {technique: float(value) for technique, value in threshold.items()}
        elif threshold is not None:
            limits = dict.fromkeys(limits, float(threshold))
        return limits

    def evidence(self, text: str, span: Span):
        """What a reader can check about `span` of `text` (model/evidence.py): no feature names, no weights."""
        from model import evidence

        if span.technique == "foreign_hand":
            sentence = self._sentence_of(text, span)
            if self.foreign_hand is None or sentence is None:
                return evidence.Evidence("foreign_hand")
            return evidence.of_claim(self.foreign_hand.claim_words(text, sentence, span.start, span.end))
        cues = self.features.cues.by_technique.get(span.technique, frozenset())
        marked = vector = None
        if self.encoder is not None:
            with self._marked_lock:
                if span.technique not in self._marked:
                    self._marked[span.technique] = evidence.MarkedWords(self.encoder, cues)
            marked = self._marked[span.technique]
            vector = self.encoder.vector(span.text)
        return evidence.of_words(span.technique, text[span.start:span.end], cues, self.features.valence, marked,
                                 vector)

    def explain(self, text: str, span: Span, k: int = 5) -> list[tuple[str, tuple[str, ...], float]]:
        """The k features of the span's tokens that pushed the CRF most towards the span's technique, as (feature,
        examples of its word class among the technique's cue words, weight), strongest first; for foreign_hand the
        k most claim-like words as ("claim=WORD", (), the picker's score). With the encoder's token head, its mean
        probability of the technique over the span's wordpieces comes first, as ("context", (), probability): what the
        sentence around the words says to the encoder. ui/explain.py puts them in words."""
        if span.technique == "foreign_hand":
            if self.foreign_hand is None:
                return []
            sentence = self._sentence_of(text, span)
            found = self.foreign_hand.claim_words(text, sentence, span.start, span.end)[:k] if sentence else []
            return [(f"claim={word}", (), p) for word, p in found]
        weights = self._weights()
        totals, words = {}, set()
        for sentence in split_sentences(text):
            if sentence.end <= span.start or sentence.start >= span.end:
                continue
            features = self.features.sentence(sentence.words)
            for (s, e), attrs in zip(sentence.tokens, features, strict=True):
                if s >= span.end or e <= span.start:
                    continue
                words.add(text[s:e].lower())
                for attr in attrs:
                    w = max(weights.get((attr, f"B-{span.technique}"), 0.0),
                            weights.get((attr, f"I-{span.technique}"), 0.0)) - weights.get((attr, "O"), 0.0)
                    if w > 0 and attr != "bias":
                        totals[attr] = max(totals.get(attr, 0.0), w)
        ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:k]
        context = []
        pieces = head_pieces(self.encode(text)) if self.head_share else None
        if pieces is not None:
            offsets, probabilities = pieces
            inside = (offsets[:, 0] < span.end) & (offsets[:, 1] > span.start)
            if inside.any():
                p = float(probabilities[inside, TOKEN_TECHNIQUES.index(span.technique)].mean())
                context = [("context", (), round(p, 3))]
        return context + [(attr, self.class_examples(attr, span.technique, words), round(w, 3)) for attr, w in ranked]

    def _sentence_of(self, text: str, span: Span):
        """The encoded sentence of `text` in which `span` starts (the encoder's vectors of the text are cached)."""
        return next((e for e in self.encode(text) if e.start <= span.start < e.end), None)

    def class_examples(self, attr: str, technique: str, exclude=frozenset()) -> tuple[str, ...]:
        """Up to three words of the word class `attr` (a feature such as "c256=190") that were often inside training
        spans of `technique` (its cue words), alphabetically, leaving out `exclude`; () for any other feature."""
        cues = self.features.cues.by_technique.get(technique, frozenset())
        return tuple(sorted(w for w in self.features.classes.members(attr) if w in cues and w not in exclude)[:3])

    def _weights(self) -> dict:
        if self._state_weights is None:
            self._state_weights = dict(self._crf.info().state_features)
        return self._state_weights


@lru_cache(maxsize=2)  # label() and then explain() for each of its spans read the same text; vectors are large
def _encode(encoder, text: str) -> list:
    return encoder.encode(text, sentence_spans(text))


def head_pieces(encoded) -> tuple[np.ndarray, np.ndarray] | None:
    """The token head's (offsets (n, 2), probabilities (n, len(TOKEN_TECHNIQUES))) over all wordpieces of encoded
    sentences in text order, or None when the encoder has no head or the text no sentence."""
    if not encoded or encoded[0].techniques is None:
        return None
    return np.concatenate([e.offsets for e in encoded]), np.concatenate([e.techniques for e in encoded])


def by_token(pieces, tokens) -> np.ndarray:
    """Per (start, end) token, the highest probability of each technique among the wordpieces it overlaps (0 where
    none does)."""
    offsets, probabilities = pieces
    out = np.zeros((len(tokens), probabilities.shape[1]), dtype=np.float32)
    if not len(offsets):
        return out
    starts, ends = (np.array([t[j] for t in tokens], dtype=np.int64) for j in (0, 1))
    first = np.searchsorted(offsets[:, 1], starts, side="right")  # the first piece that ends after the token starts
    last = np.searchsorted(offsets[:, 0], ends, side="left")  # past the last piece that starts before it ends
    for t, (a, b) in enumerate(zip(first, last, strict=True)):
        if a < b:
            out[t] = probabilities[a:b].max(axis=0)
    return out


def _run_to_span(sentence, run, tech) -> list[tuple[int, int, str, float]]:
    """The candidate span of a run of (token index, marginal) pairs without EDGE_WORDS at its edges: [] or one."""
    first, last = trimmed([sentence.words[i] for i, _ in run], 0, len(run))
    if first == last:
        return []
    kept = run[first:last]
    return [(sentence.tokens[kept[0][0]][0], sentence.tokens[kept[-1][0]][1], tech,
             sum(p for _, p in kept) / len(kept))]


def open_tagger(folder: Path) -> Tagger:
    """Load the model in `folder`, refusing files that do not match their manifest or this library version."""
    manifest = model_manifest.read(folder)
    model_manifest.check_versions(manifest)
    crf_path = model_manifest.check_file(folder, CRF_FILE, manifest)
    classes = None
    if WordClasses.FILE in manifest["files"]:
        path = model_manifest.check_file(folder, WordClasses.FILE, manifest)
        try:
            classes = WordClasses.read(path)
        except (ValueError, UnicodeDecodeError) as err:
            raise ModelFileError(f"the word classes {path} cannot be read ({err})") from None
    from model.encoder import ENCODER_FILES, Encoder

    hand = encoder = None
    if ENCODER_FILES[0] in manifest["files"]:
        for name in ENCODER_FILES:
            model_manifest.check_file(folder, name, manifest)
        try:
            encoder = Encoder(folder / ENCODER_DIR)
        except Exception as err:  # onnxruntime and tokenizers raise their own error types for a bad file
            raise ModelFileError(f"the encoder in {folder / ENCODER_DIR} cannot be loaded ({err})") from None
    if FOREIGN_HAND_FILE in manifest["files"]:
        from model.foreign_hand import ForeignHand

        path = model_manifest.check_file(folder, FOREIGN_HAND_FILE, manifest)
        try:
            hand = ForeignHand.from_json(json.loads(path.read_text(encoding="utf-8")))
        except (ValueError, UnicodeDecodeError) as err:  # JSONDecodeError is a ValueError
            raise ModelFileError(f"the foreign_hand model {path} cannot be read ({err})") from None
        if encoder is None:
            raise ModelFileError(f"the foreign_hand model in {folder} needs the encoder, which is not there")
    return Tagger(crf_path, manifest, hand, classes, encoder)


@lru_cache(maxsize=4)
def _cached(folder: Path) -> Tagger:
    return open_tagger(folder)


def load_tagger(path: str | Path | None = None) -> Tagger:
    """The tagger from `path` (a model folder; default model/weights), loaded once per process."""
    return _cached(Path(path).resolve() if path is not None else WEIGHTS_DIR)
