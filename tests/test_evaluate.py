"""The phrase-memorisation baseline and the evaluation table."""
from dataclasses import dataclass

from model.spans import Span
from model.training.evaluate import PhraseMemory, table
from model.training.scoring import score


@dataclass(frozen=True)
class Doc:
    name: str
    text: str
    spans: list


def doc(text, *marked):
    spans = []
    for phrase, technique in marked:
        start = text.index(phrase)
        spans.append(Span(start, start + len(phrase), technique))
    return Doc("d", text, spans)


def test_memory_finds_seen_phrases_as_whole_words_ignoring_case():
    memory = PhraseMemory([doc("A brutal regime and its puppets.", ("brutal regime", "loaded_language"),
                               ("puppets", "name_calling"))])
    text = "The Brutal Regime fell; puppetsX is not a word, but puppets is."
    found = [(s.text, s.technique) for s in memory.label(text)]
    assert found == [("Brutal Regime", "loaded_language"), ("puppets", "name_calling")]
    assert all(text[s.start:s.end] == s.text for s in memory.label(text))


def test_memory_prefers_the_longest_phrase():
    memory = PhraseMemory([doc("brutal. brutal regime.", ("brutal", "loaded_language"),
                               ("brutal regime", "loaded_language"))])
    assert [s.text for s in memory.label("a brutal regime")] == ["brutal regime"]


def test_table_lists_every_technique_and_the_total():
    gold = [Span(0, 5, "loaded_language")]
    metrics = score([(gold, gold)])
    lines = table("t", metrics, metrics).splitlines()
    assert [line.split()[0] for line in lines[2:]] == ["loaded_language", "name_calling", "foreign_hand", "all"]
    assert "1.000" in lines[2]
