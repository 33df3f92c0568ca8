"""The foreign_hand component reads the token head's foreign_hand output: a sentence's score is its best piece's,
calibrated; page furniture is never a claim; the span is the claim's clause with its outside actor and without the
reporting cue before it; the stored form round-trips and a malformed one is refused. Fake encoder outputs (one
piece per word, chosen probabilities) make each rule visible; the committed model is checked on a clear case."""
import json

import numpy as np
import pytest

from model.encoder import Encoded
from model.foreign_hand import (
    COLUMN,
    ForeignHand,
    after_reporting_cue,
    best_run,
    clause_around,
    furniture_lines,
    with_actor,
)
from model.tokens import sentence_spans, word_spans

HAND = ForeignHand(calibration=(10.0, -5.0), floor=0.3, threshold=0.5, trained_on={"toy": True})


def encoded(text: str, claim_words: dict[str, float]) -> list[Encoded]:
    """The text's sentences as the encoder gives them, one piece per word, each word's foreign_hand probability
    taken from `claim_words` (0.05 for the others)."""
    out = []
    for start, end in sentence_spans(text):
        words = [(start + a, start + b) for a, b in word_spans(text[start:end])]
        offsets = np.array(words, dtype=np.int64).reshape(-1, 2)
        head = np.zeros((len(words), 3), np.float32)
        head[:, COLUMN] = [claim_words.get(text[a:b], 0.05) for a, b in words]
        out.append(Encoded(start, end, offsets, np.zeros((len(words), 384), np.float32),
                           np.zeros(384, np.float32), head))
    return out


def spans(text, claim_words, hand=HAND, threshold=0.5):
    return [(text[s:e], round(p, 3)) for s, e, p in hand.spans(text, encoded(text, claim_words), threshold)]


def test_the_sentence_with_a_claim_is_found_and_a_plain_report_is_not():
    text = "The minister met his counterpart. The riots were financed by Western intelligence services."
    found = spans(text, {"financed": 0.9, "Western": 0.8, "intelligence": 0.7, "services": 0.7, "by": 0.6})
    assert found == [("financed by Western intelligence services", round(1 / (1 + np.exp(-(10 * 0.9 - 5))), 3))]


def test_the_score_is_the_calibrated_best_piece_and_the_threshold_applies():
    text = "The riots were financed by the West."
    assert spans(text, {"financed": 0.52}, threshold=0.56) == []  # 10 * 0.52 - 5 = 0.2: score 0.550
    found = spans(text, {"financed": 0.52}, threshold=0.54)
    assert len(found) == 1 and found[0][1] == round(1 / (1 + np.exp(-0.2)), 3)


def test_a_short_run_becomes_its_clause_and_takes_in_the_outside_actor():
    text = "After weeks of calm, the protests were paid for by foreign foundations, officials said."
    (span, _), = spans(text, {"paid": 0.95})
    assert span == "protests were paid for by foreign foundations"


def test_the_span_starts_after_the_reporting_cue():
    text = "Lavrov said that Washington installed the new government in Kyiv."
    claim = {w: 0.9 for w in "Lavrov said that Washington installed the new government in Kyiv".split()}
    (span, _), = spans(text, claim)
    assert span == "Washington installed the new government in Kyiv"


def test_an_actor_next_to_the_span_is_taken_in_and_one_across_a_sentence_end_is_not():
    text = "Washington installed the new government in Belgrade."
    words = [(a, b) for a, b in word_spans(text)]
    assert with_actor(text, words, 1, 6) == (0, 6)
    assert with_actor(text, words, 0, 6) == (0, 6)
    other = "They met in London. The coup was prepared quietly."
    words = [(a, b) for a, b in word_spans(other)]
    first = next(k for k, (a, b) in enumerate(words) if other[a:b] == "coup")
    assert with_actor(other, words, first, first + 2) == (first, first + 2)


def test_page_furniture_is_never_a_claim():
    text = ("The riots were financed by the West.\nRelated:\nHow the West financed the riots\n"
            "Read more: the West financed the riots\n")
    lines = furniture_lines(text)
    assert [text[a:b].strip() for a, b in lines] == ["Related:", "How the West financed the riots",
                                                     "Read more: the West financed the riots"]
    found = spans(text, {"financed": 0.95, "West": 0.9})
    assert [s for s, _ in found] == ["financed by the West"]


def test_a_headline_is_scored_like_a_sentence():
    text = "Ukrainian trace in Kazakh pogroms\nThe riots went on."
    assert [s for s, _ in spans(text, {"trace": 0.95, "Ukrainian": 0.9})] == ["Ukrainian trace in Kazakh pogroms"]


def test_helpers_of_the_span_picker():
    assert best_run(np.array([-1.0, 2.0, -0.5, 1.0, -3.0])) == (1, 3)
    assert best_run(np.array([-2.0, -1.0])) == (1, 1)
    text = "In Kyiv, the protests were paid for by foreign foundations, officials said."
    words = [(a, b) for a, b in word_spans(text)]
    paid = next(k for k, (a, b) in enumerate(words) if text[a:b] == "paid")
    i, j = clause_around(text, words, paid, paid)
    assert text[words[i][0]:words[j][1]] == "the protests were paid for by foreign foundations"
    cue = "Zakharova claimed that the West staged the coup in Kyiv"
    words = [(a, b) for a, b in word_spans(cue)]
    assert cue[words[after_reporting_cue(cue, words, 0, len(words) - 1)][0]:] == "the West staged the coup in Kyiv"
    short = "he said that coup"
    words = [(a, b) for a, b in word_spans(short)]
    assert after_reporting_cue(short, words, 0, len(words) - 1) == 0  # too little would be left


@pytest.mark.parametrize("text", ["", "   \n\n", "Hm.", "“" * 50, "Foreign " * 400])
def test_spans_are_inside_the_text_sorted_and_never_overlap(text):
    found = HAND.spans(text, encoded(text, {"Foreign": 0.9}), 0.0)
    starts = [s for s, _, _ in found[1:]] + [len(text)]
    for (s, e, p), next_start in zip(found, starts[:len(found)], strict=True):
        assert 0 <= s < e <= next_start and 0 <= p <= 1


def test_an_encoder_without_the_foreign_hand_output_is_refused_with_a_reason():
    text = "The riots were financed by the West."
    old = [Encoded(e.start, e.end, e.offsets, e.tokens, e.vector, e.techniques[:, :2]) for e in encoded(text, {})]
    with pytest.raises(ValueError, match="token head"):
        HAND.spans(text, old, 0.5)


def test_the_stored_form_is_plain_json_and_labels_the_same(tmp_path):
    (name,), entries = HAND.save(tmp_path)
    assert entries == {}
    loaded = ForeignHand.from_json(json.loads((tmp_path / name).read_text()))
    text = "Lavrov said that Washington installed the new government in Kyiv."
    claim = {"installed": 0.9, "Washington": 0.8}
    assert spans(text, claim, loaded) == spans(text, claim)


@pytest.mark.parametrize("change", [{"format_version": 3}, {"calibration": [1.0]}, {"floor": "high"},
                                    {"threshold": float("nan")}, {"calibration": "ab"}])
def test_a_malformed_stored_model_is_refused(change):
    with pytest.raises(ValueError):
        ForeignHand.from_json(HAND.to_json() | change)
    broken = HAND.to_json()
    del broken["floor"]
    with pytest.raises(ValueError):
        ForeignHand.from_json(broken)


def test_explain_gives_content_words_of_the_span_strongest_first():
    text = "The riots were financed by Western intelligence services."
    sentence, = encoded(text, {"financed": 0.9, "Western": 0.8, "by": 0.95, "services": 0.4})
    words = HAND.claim_words(text, sentence, text.index("financed"), len(text) - 1)
    assert [w for w, _ in words][:3] == ["financed", "Western", "services"]  # "by" is an edge word
