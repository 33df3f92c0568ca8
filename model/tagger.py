"""The labelling pipeline: loads the committed model files safely and labels text with scored, voiced spans.

text -> sentences -> the encoder, once per text (model/encoder.py) -> a component per technique, each with the same
small interface (`techniques`, `label(text, encoded, limits)`, `explain(text, span, encoded, k)`, `save(folder)`,
`load(folder, manifest, ...)`): model/token_tagger.py (loaded_language, name_calling) and model/foreign_hand.py ->
spans with their voice (model/voice.py); evidence for each span (model/evidence.py). `Tagger.save` writes the model
folder, `open_tagger` reads it. Training lives apart (model/training/), and nothing here
imports it, scikit-learn or nltk, so `python -m model label` starts fast.

Model files (model/weights/): `manifest.json` (model/manifest.py: checked before any file is loaded), each
component's files and the encoder's.
"""
import threading
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

from model import manifest as model_manifest
from model.encoder import ENCODER_DIR, sentence_at
from model.foreign_hand import FILE as FOREIGN_HAND_FILE
from model.foreign_hand import ForeignHand
from model.manifest import ModelFileError
from model.paths import WEIGHTS_DIR
from model.spans import Span, sort_spans
from model.techniques import TECHNIQUES
from model.token_tagger import TokenTagger
from model.tokens import sentence_spans
from model.voice import voice_at

PIPELINE_KEYS = ("thresholds", "balanced_thresholds", "default_threshold", "trained_on")  # the rest: components'


class Tagger:
    """Labels text with the spans of its components: the token tagger and, when the model has it, foreign_hand."""

    def __init__(self, token_tagger: TokenTagger, manifest: dict, foreign_hand: ForeignHand | None = None,
                 encoder=None):
        self.token_tagger = token_tagger
        self.foreign_hand = foreign_hand
        self.encoder = encoder  # model/encoder.py: one pass per text, shared by the components that read it
        self._marked = {}  # technique -> evidence.MarkedWords, built on the first evidence asked for
        self._marked_lock = threading.Lock()
        self.thresholds = manifest["thresholds"]  # the default: a highlight right at least half the time (train.py)
        self.balanced_thresholds = manifest.get("balanced_thresholds", self.thresholds)  # best F1
        self.default_threshold = float(manifest["default_threshold"])
        self.manifest = manifest

    @property
    def folder(self) -> Path:
        """The model folder it was loaded from."""
        return self.token_tagger.folder

    @property
    def components(self) -> list:
        return [c for c in (self.token_tagger, self.foreign_hand) if c is not None]

    def save(self, folder: Path) -> None:
        """Write the model into `folder` (made if need be): each component's files, the encoder's, and the manifest
        with the components' entries, the thresholds, what it was trained on and the SHA-256 of every file."""
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        manifest = {key: self.manifest[key] for key in PIPELINE_KEYS if key in self.manifest}
        files = []
        for component in self.components:
            names, entries = component.save(folder)
            files, manifest = files + names, manifest | entries
        if self.encoder is not None:
            files += self.encoder.save(folder)
        model_manifest.write(folder, manifest, files)

    def encode(self, text: str) -> list | None:
        """The encoder's vectors for each sentence of `text` (model/encoder.py), computed once for the last texts;
        None when no component reads them."""
        if self.encoder is None or (self.foreign_hand is None and not self.token_tagger.head_share):
            return None
        return _encode(self.encoder, text)

    def label(self, text: str, threshold: float | Mapping[str, float] | None = None) -> list[Span]:
        """Spans sorted by position, at most one span of a technique over any character. `threshold` None uses
        each technique's default (model card), a number applies to every technique, and a mapping gives some
        techniques their own (the others keep their default)."""
        return self._spans(text, self._found(text, self.limits(threshold)))

    def label_with_hidden(self, text: str, threshold: float | Mapping[str, float] | None,
                          weakest: float) -> tuple[list[Span], list[Span]]:
        """`label(text, threshold)`, and the spans scored at least `weakest` that its thresholds hide, from one pass
        of the components (they find the same spans at any threshold and keep those scored high enough)."""
        limits = self.limits(threshold)
        found = self._found(text, {technique: min(weakest, limit) for technique, limit in limits.items()})
        return (self._spans(text, [f for f in found if f[3] >= limits[f[2]]]),
                self._spans(text, [f for f in found if f[3] < limits[f[2]]]))

    def _found(self, text: str, limits: dict[str, float]) -> list[tuple[int, int, str, float]]:
        encoded = self.encode(text)
        return [found for component in self.components for found in component.label(text, encoded, limits)]

    @staticmethod
    def _spans(text: str, found) -> list[Span]:
        return sort_spans(Span(start, end, tech, round(score, 4), voice_at(text, start, end), text[start:end])
                          for start, end, tech, score in found)

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
            sentence = sentence_at(self.encode(text), span.start)
            if self.foreign_hand is None or sentence is None:
                return evidence.Evidence("foreign_hand")
            return evidence.of_claim(self.foreign_hand.claim_words(text, sentence, span.start, span.end))
        features = self.token_tagger.features
        cues = features.cues.by_technique.get(span.technique, frozenset())
        marked = vector = None
        if self.encoder is not None:
            with self._marked_lock:
                if span.technique not in self._marked:
                    self._marked[span.technique] = evidence.MarkedWords(self.encoder, cues)
            marked = self._marked[span.technique]
            vector = self.encoder.vector(span.text)
        return evidence.of_words(span.technique, text[span.start:span.end], cues, features.valence, marked, vector)

    def explain(self, text: str, span: Span, k: int = 5) -> list[tuple[str, tuple[str, ...], float]]:
        """What the component that found `span` computed for it (its `explain`): for the token tagger the k CRF
        features that pushed most towards the technique as (feature, examples of its word class, weight), after the
        token head's probability ("context", (), p); for foreign_hand the k most claim-like words as ("claim=WORD",
        (), score). ui/explain.py puts them in words."""
        component = next((c for c in self.components if span.technique in c.techniques), None)
        return component.explain(text, span, self.encode(text), k) if component is not None else []


@lru_cache(maxsize=2)  # label() and then explain() for each of its spans read the same text; vectors are large
def _encode(encoder, text: str) -> list:
    return encoder.encode(text, sentence_spans(text))


def open_tagger(folder: Path, threads: int | None = None) -> Tagger:
    """Load the model in `folder`, refusing files that do not match their manifest or this library version; its
    encoder runs each call on `threads` threads (default: model.encoder.default_threads())."""
    from model.encoder import ENCODER_FILES, Encoder

    manifest = model_manifest.read(folder)
    model_manifest.check_versions(manifest)
    encoder = hand = None
    if ENCODER_FILES[0] in manifest["files"]:
        for name in ENCODER_FILES:
            model_manifest.check_file(folder, name, manifest)
        try:
            encoder = Encoder(folder / ENCODER_DIR, threads)
        except Exception as err:  # onnxruntime and tokenizers raise their own error types for a bad file
            raise ModelFileError(f"the encoder in {folder / ENCODER_DIR} cannot be loaded ({err})") from None
    if FOREIGN_HAND_FILE in manifest["files"]:
        if encoder is None:
            raise ModelFileError(f"the foreign_hand model in {folder} needs the encoder, which is not there")
        hand = ForeignHand.load(folder, manifest)
    return Tagger(TokenTagger.load(folder, manifest, head=encoder is not None and encoder.has_head), manifest, hand,
                  encoder)


@lru_cache(maxsize=4)
def _cached(folder: Path, threads: int | None) -> Tagger:
    return open_tagger(folder, threads)


def load_tagger(path: str | Path | None = None, threads: int | None = None) -> Tagger:
    """The tagger from `path` (a model folder; default model/weights), loaded once per process; `threads`: the
    encoder's threads per call (default: model.encoder.default_threads())."""
    return _cached(Path(path).resolve() if path is not None else WEIGHTS_DIR, threads)
