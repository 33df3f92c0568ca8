"""The documents of toy training runs: a name, a text and its spans."""
from dataclasses import dataclass

from model.spans import Span


@dataclass(frozen=True)
class Doc:
    name: str
    text: str
    spans: list


def toy_article(name: str, loaded: str, label: str, day: int) -> Doc:
    """A two-line toy article in which `loaded` is loaded language and `label` name calling."""
    text = (f"The {loaded} attack shocked the town on day {day}. Officials met on Tuesday to discuss the budget.\n"
            f"Critics called the ministers {label} of the bank. The weather was mild and the roads were open.\n")
    spans = []
    for word, technique in ((loaded, "loaded_language"), (label, "name_calling")):
        start = text.index(word)
        spans.append(Span(start, start + len(word), technique))
    return Doc(name, text, spans)
