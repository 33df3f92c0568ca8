"""What each output of the token head learns from: a source trains only the outputs it knows, spans become piece
labels, and a sentence that names an outside actor without a claim weighs double for foreign_hand."""
import numpy as np

from model.techniques import HEAD_TECHNIQUES
from model.training.head_data import HARD_NEGATIVE_WEIGHT, Example, head_columns, piece_labels

COLUMNS = head_columns(("Doubt", "Flag-Waving"))


def pieces(text: str) -> np.ndarray:
    """One piece per word, as (start, end) offsets."""
    out, at = [], 0
    for word in text.split():
        start = text.index(word, at)
        out.append((start, start + len(word)))
        at = start + len(word)
    return np.array(out, dtype=np.int64)


def test_the_head_reads_its_three_techniques_first_and_the_auxiliary_ones_after():
    assert COLUMNS[:3] == HEAD_TECHNIQUES and COLUMNS[3:] == ("Doubt", "Flag-Waving")


def test_a_source_trains_only_the_outputs_it_knows():
    text = "The riots were paid for by Western foundations."
    claim = text.index("paid")
    example = Example("pair", text, [(claim, len(text) - 1, "foreign_hand")], frozenset({"foreign_hand"}), "pairs")
    labels, weights = piece_labels(example, pieces(text), text, COLUMNS)
    hand = COLUMNS.index("foreign_hand")
    assert labels[:, hand].tolist() == [0, 0, 0, 1, 1, 1, 1, 1]
    assert (weights[:, hand] == 1).all() and (weights[:, [0, 1, 3, 4]] == 0).all()
    assert not labels[:, [0, 1, 3, 4]].any()


def test_a_sentence_naming_an_outside_actor_without_a_claim_weighs_double_for_foreign_hand():
    text = "NATO delivered tanks to the army."
    known = frozenset({"loaded_language", "name_calling", "foreign_hand"})
    labels, weights = piece_labels(Example("doc", text, [], known, "ptc"), pieces(text), text, COLUMNS)
    hand = COLUMNS.index("foreign_hand")
    assert not labels.any() and (weights[:, hand] == HARD_NEGATIVE_WEIGHT).all() and (weights[:, 0] == 1).all()
    plain = "The council met on Tuesday."
    _, weights = piece_labels(Example("doc", plain, [], known, "ptc"), pieces(plain), plain, COLUMNS)
    assert (weights[:, hand] == 1).all()


def test_a_teachers_reviewed_sentence_trains_all_three_techniques():
    from model.spans import Span
    from model.training.head_data import reviewed_examples
    from model.training.reviews import ReviewedSentence

    text = "NATO armed the bloodthirsty regime."  # she removed the model's foreign_hand, added loaded language
    words = text.index("bloodthirsty"), text.index("bloodthirsty") + len("bloodthirsty")
    (example,) = reviewed_examples([ReviewedSentence("review-1", text, [Span(*words, "loaded_language")])])
    labels, weights = piece_labels(example, pieces(text), text, COLUMNS)
    assert example.source == "reviews" and example.known == frozenset(HEAD_TECHNIQUES)
    assert labels[:, COLUMNS.index("loaded_language")].tolist() == [0, 0, 0, 1, 0]
    assert not labels[:, [COLUMNS.index("name_calling"), COLUMNS.index("foreign_hand")]].any()
    assert (weights[:, :3] > 0).all() and (weights[:, 3:] == 0).all()
