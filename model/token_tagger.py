"""The component for loaded_language and name_calling: a CRF over word tokens mixed with the encoder's token head.

A token's probability of a technique is the CRF's marginal P(B) + P(I), mixed with a per-token logistic regression's
(TOKEN_LR_SHARE, when the manifest has one, "token_lr"), and that with the token head's probability
(model/encoder.py; the manifest's "token_head_share", chosen on the PTC dev split by model/training/train.py). A
candidate span is a run of tokens whose probability reaches the candidate floor, without EDGE_WORDS at its edges nor
the edge tokens the head places outside when it finds the run's charge (head_trimmed); its score is its mean token
probability, calibrated (Platt). Design: docs/decisions/tagger-design.md, token-head.md.

Files: `tagger.crfsuite` (crfsuite's own binary format, no pickle) and the word classes; its weights, cue words,
valence bins and calibration are in the manifest (model/manifest.py).
"""
import math
import operator
import threading
from pathlib import Path

import numpy as np
import pycrfsuite

from model import manifest as model_manifest
from model.features import CueWords, Features, Valence, WordClasses, split_sentences
from model.manifest import ModelFileError
from model.spans import Span, trimmed
from model.techniques import TOKEN_TECHNIQUES

CRF_FILE = "tagger.crfsuite"
TOKEN_LR_SHARE = 0.3
# Tokens whose probability of a technique reaches the candidate floor can form a candidate span (the manifest's
# "candidate_floor", chosen with the head's share; never below this one, under which tokens are not even asked).
CANDIDATE_FLOOR = 0.1
LABELS = ("O",) + tuple(f"{p}-{t}" for t in TOKEN_TECHNIQUES for p in "BI")  # the CRF's, in the manifest
MANIFEST_KEYS = ("cue_words", "valence", "token_lr", "calibration", "token_head_share", "candidate_floor")


class TokenTagger:
    """Spans of TOKEN_TECHNIQUES: label(text, encoded, limits) like every component of the pipeline (model/tagger.py);
    trained by model/training/train.py."""

    techniques = TOKEN_TECHNIQUES

    def __init__(self, crf_path: Path, manifest: dict, classes_path: Path | None = None, head_share: float = 0.0):
        """The CRF in the file `crf_path`, the word classes in the table `classes_path` (None: none) and the rest in
        `manifest` (its entries MANIFEST_KEYS); `head_share`: the token head's share (0: the head is not read)."""
        self._crf = pycrfsuite.Tagger()
        # crfsuite keeps the current sequence inside the tagger (set, then marginal): Streamlit sessions share this
        # tagger from several threads, so one sequence at a time (tests/test_properties.py, benchmarks/bench_load.py).
        self._crf_lock = threading.Lock()
        try:
            self._crf.open(str(crf_path))
        except Exception as err:  # crfsuite raises a bare error type for an unreadable file
            raise ModelFileError(f"crfsuite cannot read {crf_path} ({err})") from None
        self.folder = crf_path.parent
        self._files = {CRF_FILE: crf_path, WordClasses.FILE: classes_path}
        self._manifest = {key: manifest[key] for key in MANIFEST_KEYS if key in manifest}
        classes = None
        if classes_path is not None:
            try:
                classes = WordClasses.read(classes_path)
            except (ValueError, UnicodeDecodeError) as err:
                raise ModelFileError(f"the word classes {classes_path} cannot be read ({err})") from None
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
        self.head_share = head_share
        self.floor = max(CANDIDATE_FLOOR, float(manifest.get("candidate_floor", CANDIDATE_FLOOR)))
        self._state_weights = None

    @classmethod
    def load(cls, folder: Path, manifest: dict, head: bool) -> "TokenTagger":
        """The component in the model folder `folder`, its files checked against `manifest`; `head`: the encoder the
        pipeline runs has the token head."""
        crf_path = model_manifest.check_file(folder, CRF_FILE, manifest)
        classes_path = None
        if WordClasses.FILE in manifest["files"]:
            classes_path = model_manifest.check_file(folder, WordClasses.FILE, manifest)
        return cls(crf_path, manifest, classes_path, float(manifest.get("token_head_share", 0.0)) if head else 0.0)

    def save(self, folder: Path) -> tuple[list[str], dict]:
        """Write the component's files into the model folder `folder`; return their names and its entries of the
        model's manifest (the cue words, valence bins, token regression, calibration, head share and floor)."""
        names = []
        for name, source in self._files.items():
            if source is not None:
                if (Path(folder) / name).resolve() != source.resolve():
                    (Path(folder) / name).write_bytes(source.read_bytes())
                names.append(name)
        return names, self._manifest | {"labels": list(LABELS)}

    def label(self, text: str, encoded, limits) -> list[tuple[int, int, str, float]]:
        """(start, end, technique, score) of the candidates scored at least their technique's limit; `encoded`: the
        encoder's sentences of `text` (None without an encoder)."""
        pieces = head_pieces(encoded) if self.head_share and encoded is not None else None
        found = [(s, e, tech, self.calibrated(tech, raw)) for s, e, tech, raw in self.candidates(text, pieces)]
        return [f for f in found if f[3] >= limits[f[2]]]

    def marginals(self, words, head=None, head_share: float = 0.0) -> list:
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
        span than continue one (CRF), without the edge tokens the head places outside (head_trimmed) nor EDGE_WORDS
        at its edges. The raw score is the mean token probability
        over the span.
        `pieces` are the token head's (offsets, probabilities) of the text's wordpieces (`head_pieces`; None: no
        head), mixed in by `head_share` (by default the model's)."""
        head_share = self.head_share if head_share is None else head_share
        floor = self.floor if floor is None else max(floor, CANDIDATE_FLOOR)
        found = []
        for sentence in split_sentences(text):
            head = by_token(pieces, sentence.tokens) if pieces is not None and head_share else None
            marginals = self.marginals(sentence.words, head, head_share)
            if not any(marginals):
                continue
            for k, tech in enumerate(TOKEN_TECHNIQUES):
                from_head = head[:, k] if head is not None else None
                run = []
                for i, m in enumerate(marginals):
                    if m is None:  # a token below the floor ends the run
                        if run:
                            found += _run_to_span(sentence, run, tech, from_head)
                            run = []
                        continue
                    p_begin, p_inside, p = m[k]
                    if p >= floor and not (run and p_begin > p_inside):
                        run.append((i, p))
                        continue
                    if run:
                        found += _run_to_span(sentence, run, tech, from_head)
                    run = [(i, p)] if p >= floor else []
                if run:
                    found += _run_to_span(sentence, run, tech, from_head)
        return found

    def calibrated(self, technique: str, raw: float) -> float:
        a, b = self.calibration.get(technique, (1.0, 0.0))
        return 1.0 / (1.0 + math.exp(-(a * raw + b)))

    def explain(self, text: str, span: Span, encoded=None, k: int = 5) -> list[tuple[str, tuple[str, ...], float]]:
        """The k features of the span's tokens that pushed the CRF most towards the span's technique, as (feature,
        examples of its word class among the technique's cue words, weight), strongest first; with the token head,
        its mean probability of the technique over the span's wordpieces first, as ("context", (), probability)."""
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
        pieces = head_pieces(encoded) if self.head_share else None
        if pieces is not None:
            offsets, probabilities = pieces
            inside = (offsets[:, 0] < span.end) & (offsets[:, 1] > span.start)
            if inside.any():
                p = float(probabilities[inside, TOKEN_TECHNIQUES.index(span.technique)].mean())
                context = [("context", (), round(p, 3))]
        return context + [(attr, self.class_examples(attr, span.technique, words), round(w, 3)) for attr, w in ranked]

    def class_examples(self, attr: str, technique: str, exclude=frozenset()) -> tuple[str, ...]:
        """Up to three words of the word class `attr` (a feature such as "c256=190") that were often inside training
        spans of `technique` (its cue words), alphabetically, leaving out `exclude`; () for any other feature."""
        cues = self.features.cues.by_technique.get(technique, frozenset())
        return tuple(sorted(w for w in self.features.classes.members(attr) if w in cues and w not in exclude)[:3])

    def _weights(self) -> dict:
        if self._state_weights is None:
            self._state_weights = dict(self._crf.info().state_features)
        return self._state_weights


def head_pieces(encoded) -> tuple[np.ndarray, np.ndarray] | None:
    """The token head's (offsets (n, 2), probabilities (n, len(TOKEN_TECHNIQUES))) over all wordpieces of encoded
    sentences in text order (the head's other outputs left out: they are other components'), or None when the
    encoder has no head or the text no sentence."""
    if not encoded or encoded[0].techniques is None:
        return None
    return (np.concatenate([e.offsets for e in encoded]),
            np.concatenate([e.techniques[:, :len(TOKEN_TECHNIQUES)] for e in encoded]))


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


# The head's word on where a run of tokens ends (head_trimmed).
HEAD_CORE, HEAD_OUTSIDE = 0.5, 0.1


def head_trimmed(run, head) -> list:
    """The run of (token index, probability) pairs without the tokens at its edges that the token head places
    outside (probability under HEAD_OUTSIDE), when the head finds the run's charge itself (a token at HEAD_CORE or
    more). The CRF's marginals carry a label along a run past the charge ("The puppet government persecutes
    Muslims": the CRF's run takes in the people persecuted, the head gives them 0.03); `head` None: no head."""
    if head is None or not any(head[i] >= HEAD_CORE for i, _ in run):
        return run
    first, last = 0, len(run)
    while head[run[first][0]] < HEAD_OUTSIDE:
        first += 1
    while head[run[last - 1][0]] < HEAD_OUTSIDE:
        last -= 1
    return run[first:last]


# Edges a teacher accepts (data/ANNOTATION_GUIDELINE.md, 2 and 3.1): list items are spans of their own, a reporting
# verb before the charged words is not part of them, and a hedge right before a label stays with it.
LIST_BREAKS = frozenset({",", ";"})
REPORTING_WORDS = frozenset("""said says say expressed expresses called calls wrote writes claimed claims stated states
described describes dubbed labelled labeled told tells added adds""".split())
HEDGES = frozenset({"accused", "alleged", "allegedly", "suspected", "so-called", "purported"})


def _run_to_span(sentence, run, tech, head=None) -> list[tuple[int, int, str, float]]:
    """The candidate spans of a run of (token index, marginal) pairs: the run trimmed by the head's probabilities of
    the technique per token (`head`, head_trimmed), cut at list breaks, each item without EDGE_WORDS or a leading
    reporting verb at its edges and with a hedge right before it; [] or more."""
    words, found, item = sentence.words, [], []
    for token in [*head_trimmed(run, head), None]:
        if token is not None and words[token[0]] not in LIST_BREAKS:
            item.append(token)
            continue
        first, last = trimmed([words[i] for i, _ in item], 0, len(item))
        while first < last and words[item[first][0]].lower() in REPORTING_WORDS:
            first, last = trimmed([words[i] for i, _ in item], first + 1, last)
        if first < last:
            kept = item[first:last]
            start = kept[0][0] - 1 if kept[0][0] > 0 and words[kept[0][0] - 1].lower() in HEDGES else kept[0][0]
            found.append((sentence.tokens[start][0], sentence.tokens[kept[-1][0]][1], tech,
                          sum(p for _, p in kept) / len(kept)))
        item = []
    return found
