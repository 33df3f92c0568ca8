"""The foreign_hand component: trained on toy data over the committed encoder it finds a clear claim and leaves a
plain report alone; its span is the claim's clause inside the sentence; training is deterministic; the stored form
round-trips and a malformed one is refused."""
import json

import numpy as np
import pytest

from model.encoder import Encoder
from model.foreign_hand import ForeignHand, sentence_features
from model.paths import WEIGHTS_DIR
from model.tokens import sentence_spans
from model.training.foreign_hand_train import Labelled, fit, matrices
from ui.explain import describe_feature

CLAIMS = [
    "The protests were organised and financed by Western intelligence services.",
    "The riots were coordinated from abroad by foreign curators.",
    "The opposition is a puppet of Washington and takes orders from the embassy.",
    "The unrest was inspired from the outside by foreign special services.",
    "Foreign foundations paid the activists to stage a colour revolution.",
    "The coup was prepared by the CIA and carried out by its agents.",
]
REPORTS = [
    "The foreign minister met his counterpart in Brussels on Monday.",
    "Thousands of people protested against the rise in fuel prices.",
    "The government doubled the price of gas at the start of the year.",
    "Neighbouring countries sent troops at the president's request.",
    "The European Union called for restraint on both sides.",
    "Police detained hundreds of people in the capital overnight.",
    "The central bank raised interest rates to fight inflation.",
    "NATO countries delivered tanks and ammunition to the army.",
]
# Each claim's clause, as an annotator marks it, with a reporting lead before it.
LEADS = ["Officials said on Monday that", "The minister claimed that", "According to the ministry,"]
ARTICLE = ("Thousands of people took to the streets on Tuesday. The minister claimed that the riots were organised "
           "and financed by foreign intelligence services. The foreign minister met his counterpart in Brussels.")


def toy_texts() -> list[Labelled]:
    texts = []
    for i, claim in enumerate(CLAIMS):
        lead = LEADS[i % len(LEADS)]
        clause = claim[0].lower() + claim[1:-1]
        text = f"{REPORTS[i]} {lead} {clause}. {REPORTS[i + 1]}"
        start = text.index(clause)
        texts.append(Labelled(f"toy{i}", text, [(start, start + len(clause))]))
    texts += [Labelled(f"report{i}", r, None, 0) for i, r in enumerate(REPORTS)]
    return texts


@pytest.fixture(scope="module")
def encoder():
    return Encoder(WEIGHTS_DIR / "encoder", threads=1)


@pytest.fixture(scope="module")
def toy(encoder):
    return fit(matrices(toy_texts(), encoder), c=10.0, piece_c=10.0, threshold=0.5, trained_on={"toy": True})


def label(hand, encoder, text, threshold=0.5):
    return hand.spans(text, encoder.encode(text, sentence_spans(text)), threshold)


def test_a_clear_claim_is_found_and_a_plain_report_is_not(toy, encoder):
    found = label(toy, encoder, ARTICLE)
    assert len(found) == 1
    start, end, score = found[0]
    assert "financed by foreign intelligence services" in ARTICLE[start:end]
    assert 0.5 <= score <= 1
    assert label(toy, encoder, "The foreign minister met his counterpart in Brussels on Friday.") == []


def test_the_span_is_the_claim_inside_its_sentence(toy, encoder):
    (start, end, _), = label(toy, encoder, ARTICLE)
    sentence = next((s, e) for s, e in sentence_spans(ARTICLE) if s <= start < e)
    assert sentence[0] <= start < end <= sentence[1]
    assert not ARTICLE[start:end].startswith(("the ", "The ", " ")) and not ARTICLE[start:end].endswith((".", " "))


@pytest.mark.parametrize("text", ["", "   \n\n", "Hm.", "“" * 50, "Foreign " * 400, ARTICLE * 3])
def test_spans_are_inside_the_text_sorted_and_never_overlap(toy, encoder, text):
    found = label(toy, encoder, text, threshold=0.0)
    starts = [s for s, _, _ in found[1:]] + [len(text)]
    for (s, e, p), next_start in zip(found, starts[:len(found)], strict=True):
        assert 0 <= s < e <= next_start and 0 <= p <= 1


def test_training_is_deterministic(toy, encoder):
    again = fit(matrices(toy_texts(), encoder), c=10.0, piece_c=10.0, threshold=0.5, trained_on={"toy": True})
    assert again.to_json() == toy.to_json()


def test_the_stored_form_is_plain_rounded_json_and_labels_the_same(toy, encoder, tmp_path):
    (name,), entries = toy.save(tmp_path)
    assert entries == {}
    data = json.loads((tmp_path / name).read_text())
    assert all(len(repr(w).split(".")[-1]) <= 6 for w in data["sentence_weights"][:50])
    loaded = ForeignHand.from_json(data)
    spans = [(s, e) for s, e, _ in label(toy, encoder, ARTICLE)]
    assert [(s, e) for s, e, _ in label(loaded, encoder, ARTICLE)] == spans


@pytest.mark.parametrize("change", [
    {"format_version": 2},
    {"sentence_weights": [0.0] * 768},
    {"piece_weights": [float("nan")] * 384},
    {"threshold": "high"},
])
def test_a_malformed_stored_model_is_refused(toy, change):
    with pytest.raises(ValueError):
        ForeignHand.from_json(toy.to_json() | change)
    broken = toy.to_json()
    del broken["piece_bias"]
    with pytest.raises(ValueError):
        ForeignHand.from_json(broken)


def test_explain_names_words_of_the_span(toy, encoder):
    (start, end, _), = label(toy, encoder, ARTICLE)
    sentence = next(e for e in encoder.encode(ARTICLE, sentence_spans(ARTICLE)) if e.start <= start < e.end)
    reasons = toy.claim_words(ARTICLE, sentence, start, end)
    assert reasons and all(word in ARTICLE[start:end] for word, _ in reasons)
    described = [describe_feature(f"claim={word}") for word, _ in reasons]
    assert any(d.startswith(("an outside actor “", "a steering word “")) for d in described)
    assert [p for _, p in reasons] == sorted((p for _, p in reasons), reverse=True)


def test_a_sentence_reads_its_neighbours_as_context(encoder):
    text = "One. Two. Three."
    encoded = encoder.encode(text, sentence_spans(text))
    x = sentence_features(text, encoded)
    assert x.shape == (3, 771)
    assert np.allclose(x[1, 384:768], (encoded[0].vector + encoded[2].vector) / 2, atol=1e-6)
    assert np.allclose(x[0, 384:768], encoded[1].vector, atol=1e-6)
    assert sentence_features("", []).shape[0] == 0


def test_word_cues_name_an_outside_actor_and_a_steering_word():
    from model.foreign_hand import word_cues

    assert word_cues("The riots were financed by the West.") == [1.0, 1.0, 1.0]
    assert word_cues("NATO delivered tanks.") == [1.0, 0.0, 0.0]
    assert word_cues("The weather was mild.") == [0.0, 0.0, 0.0]


def test_a_run_of_one_or_two_words_becomes_the_whole_sentence(toy, encoder, monkeypatch):
    text = "Leaders of the opposition settled in Poland and Lithuania."
    (sentence,) = encoder.encode(text, sentence_spans(text))
    one_piece = np.zeros(len(sentence.offsets))
    one_piece[int(np.argmax(sentence.offsets[:, 0] == text.index("in")))] = 0.95
    monkeypatch.setattr(toy, "piece_probabilities", lambda s: one_piece)
    assert toy.span_in(text, sentence) == (0, len(text) - 1)
