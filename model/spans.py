"""The one span type used everywhere: model output, gold annotations, renderer, exports, command line."""

from dataclasses import asdict, dataclass

from model.techniques import TECHNIQUES

VOICES = ("author", "quoted")
# Words and marks that a span sheds at its edges ("a gang of traitors and" -> "gang of traitors"), whichever
# component found it (compared lower-case).
EDGE_WORDS = frozenset("""a an the and or but of to in on at by for with as from that this these those is are was
were be been being it its his her their our my your which who whom whose than then so if not no""".split()) | frozenset(
    ",.;:!?()[]\"'“”‘’-—–…")


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


def trimmed(words, first: int, last: int) -> tuple[int, int]:
    """The range [first, last) of `words` without EDGE_WORDS at its ends (first == last if nothing else is left)."""
    while first < last and words[first].lower() in EDGE_WORDS:
        first += 1
    while last > first and words[last - 1].lower() in EDGE_WORDS:
        last -= 1
    return first, last
