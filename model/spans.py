"""The one span type used everywhere: model output, gold annotations, renderer, exports, command line."""

from dataclasses import asdict, dataclass

from model.techniques import TECHNIQUES

VOICES = ("author", "quoted")


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int
    technique: str
    score: float = 1.0
    voice: str = "author"
    text: str = ""

    def __post_init__(self):
        if not 0 <= self.start < self.end:
            raise ValueError(f"bad offsets {self.start}-{self.end}")
        if self.technique not in TECHNIQUES:
            raise ValueError(f"unknown technique {self.technique!r}")
        if self.voice not in VOICES:
            raise ValueError(f"unknown voice {self.voice!r}")

    def to_dict(self) -> dict:
        return asdict(self)


def sort_spans(spans):
    """Spans in reading order: by start, then end, then technique."""
    return sorted(spans, key=lambda s: (s.start, s.end, s.technique))
