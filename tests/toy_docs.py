"""The documents of toy training runs: a name, a text and its spans."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Doc:
    name: str
    text: str
    spans: list
