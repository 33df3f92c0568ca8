"""The foreign_hand component: trained on toy data it finds a clear claim and leaves a plain report alone; spans stay
inside the text, sorted and non-overlapping; training and labelling are deterministic; the stored form round-trips."""
import json
import math

import pytest

from model import foreign_hand as fh
from model.data import load_euvsdisinfo
from model.paths import EUVSDISINFO_CLAIMS, EUVSDISINFO_DIR

CLAIMS = [
    "The protests were organised and financed by Western intelligence services.",
    "The riots were coordinated from abroad by foreign curators.",
    "The opposition is a puppet of Washington and takes orders from the embassy.",
    "The unrest was inspired from the outside by foreign special services.",
    "Foreign foundations paid the activists to stage a colour revolution.",
    "The coup was prepared by the CIA and carried out by its agents.",
    "The strikes were instigated by provocateurs trained abroad.",
    "Western sponsors are behind the so-called spontaneous protests.",
]
REPORTS = [
    "The foreign minister met his counterpart in Brussels on Monday.",
    "Thousands of people protested against the rise in fuel prices.",
    "The government doubled the price of gas at the start of the year.",
    "Neighbouring countries sent troops at the president's request.",
    "The European Union called for restraint on both sides.",
    "Police detained hundreds of people in the capital overnight.",
    "The president dismissed the cabinet and declared a state of emergency.",
    "The central bank raised interest rates to fight inflation.",
]
ARTICLE = ("Thousands of people took to the streets on Tuesday. The minister claimed the riots were organised and "
           "financed by foreign intelligence services. The foreign minister met his counterpart in Brussels.")


def toy_examples():
    return ([fh.Example(t, 1, 1.0, "toy") for t in CLAIMS] + [fh.Example(t, 0, 1.0, "toy") for t in REPORTS])


@pytest.fixture(scope="module")
def toy():
    return fh.fit(toy_examples())


def test_a_clear_claim_is_found_and_a_plain_report_is_not(toy):
    claim_at, report_at = ARTICLE.index("The minister"), ARTICLE.index("The foreign minister")
    found = toy.spans(ARTICLE, min_score=0.0)
    claim = next(score for s, e, score in found if claim_at <= s < report_at)
    report = next(score for s, e, score in found if s >= report_at)
    assert claim > 0.5 > report
    above = [ARTICLE[s:e] for s, e, score in toy.spans(ARTICLE) if score >= 0.5]
    assert len(above) == 1 and "financed by foreign intelligence services" in above[0]


def test_the_span_is_the_claim_not_the_whole_sentence(toy):
    [(s, e, _)] = [x for x in toy.spans(ARTICLE) if x[2] >= 0.5]
    sentence = "The minister claimed the riots were organised and financed by foreign intelligence services."
    assert ARTICLE[s:e] in sentence and len(ARTICLE[s:e]) < len(sentence)
    assert not ARTICLE[s:e].startswith(("the ", "The ")) and ARTICLE[e - 1].isalnum()


@pytest.mark.parametrize("text", ["", "   \n\n ", "No claim here.", ARTICLE * 3, "«»“”—!!!", "a\u0301b " * 50,
                                  "Organised by the West, financed from abroad, coordinated by foreign curators"])
def test_spans_are_inside_the_text_sorted_and_never_overlap(toy, text):
    found = toy.spans(text, min_score=0.0)
    for start, end, score in found:
        assert 0 <= start < end <= len(text)
        assert 0.0 <= score <= 1.0
        assert text[start:end] == text[start:end].strip()
    assert found == sorted(found)
    assert all(a[1] <= b[0] for a, b in zip(found, found[1:], strict=False))


def test_training_and_labelling_are_deterministic(toy):
    again = fh.fit(toy_examples())
    assert again.to_json() == toy.to_json()
    assert again.spans(ARTICLE) == toy.spans(ARTICLE)


def test_the_stored_form_is_plain_json_and_labels_the_same(toy):
    state = json.loads(json.dumps(toy.to_json()))
    loaded = fh.ForeignHand.from_json(state)
    assert loaded.spans(ARTICLE) == toy.spans(ARTICLE)


@pytest.mark.parametrize("broken", [{}, {"format_version": 99}, {"format_version": fh.FORMAT_VERSION, "features": 3}])
def test_a_malformed_stored_model_is_refused_with_a_clear_error(broken):
    with pytest.raises(ValueError, match="foreign_hand"):
        fh.ForeignHand.from_json(broken)


def test_a_format_1_model_loads_with_its_sentence_only_calibration(toy):
    old = {k: v for k, v in toy.to_json().items() if k != "calibration"}
    old |= {"format_version": 1, "platt": [1.5, -1.0]}
    hand = fh.ForeignHand.from_json(old)
    assert hand.calibration == (1.5, 0.0, -1.0)
    assert hand.probability(0.5, 9.0) == pytest.approx(1 / (1 + math.exp(-(1.5 * 0.5 - 1.0))))


def test_a_stored_model_with_a_short_calibration_is_refused(toy):
    with pytest.raises(ValueError, match="calibration"):
        fh.ForeignHand.from_json(toy.to_json() | {"calibration": [1.0, 0.0]})


def test_a_model_trained_with_other_feature_definitions_is_refused(toy):
    state = toy.to_json() | {"feature_signature": "0" * 16}
    with pytest.raises(ValueError, match="retrain"):
        fh.ForeignHand.from_json(state)


def test_decision_matches_scikit_learn(toy):
    """The pure-Python scorer reproduces the scikit-learn pipeline it was exported from."""
    model = fh._pipeline(fh.DEFAULT_C, fh.RANDOM_STATE)
    examples = toy_examples()
    model.fit([x.text for x in examples], [x.label for x in examples])
    for text in [ARTICLE, CLAIMS[0], REPORTS[0], "nothing known here"]:
        assert toy.decision(fh.text_features(text)) == pytest.approx(model.decision_function([text])[0], abs=1e-9)


def test_a_lone_sentence_is_its_own_text_and_context_moves_the_score(toy):
    sentence = "Thousands protested outside the building."
    d = toy.decision(fh.text_features(sentence))
    [(_, _, alone)] = toy.sentence_scores(sentence)
    assert alone == pytest.approx(toy.probability(d)) == pytest.approx(toy.probability(d, d))
    # With a positive weight on the text's decision, the same sentence scores higher beside a claim.
    hand = fh.ForeignHand(toy.idf, toy.weights, toy.intercept, (1.0, 1.0, 0.0), toy.word_cost, {})
    beside_claim = hand.sentence_scores(CLAIMS[0] + " " + sentence)[1][2]
    beside_report = hand.sentence_scores(REPORTS[2] + " " + sentence)[1][2]
    assert beside_claim > beside_report


def test_sentences_of_one_article_form_one_text_and_titles_stand_alone():
    examples = [fh.Example("t1", 0, 1.0, "euvsdisinfo-hand"), fh.Example("t2", 1, 1.0, "euvsdisinfo-hand"),
                fh.Example("a", 0, 3.0, "seed:x"), fh.Example("b", 1, 3.0, "seed:x"), fh.Example("c", 0, 1.0, "ptc:y"),
                fh.Example("s", 1, 3.0, "sentences"), fh.Example("s2", 1, 3.0, "sentences")]
    assert fh._documents(examples) == [[0], [1], [2, 3], [4], [5], [6]]


def test_out_of_fold_context_is_the_whole_held_out_text():
    examples = toy_examples() + [fh.Example(t, 0, 1.0, "ptc:a") for t in REPORTS[:4]]
    oof = fh.out_of_fold(examples)
    articles = oof[len(toy_examples()):, 1]
    assert oof.shape == (len(examples), 2) and len(set(articles.round(12))) == 1
    assert all(oof[i, 0] == oof[i, 1] for i in range(len(toy_examples())))


def test_names_become_one_symbol_so_no_country_decides_the_label():
    words = ["Trained", "by", "the", "FSB", "and", "the", "CIA", "in", "Ukraine"]
    feats = [f for fs in fh.token_features(words) for f in fs]
    assert "w:fsb" not in feats and "w:cia" not in feats and feats.count("w:@name") == 3
    assert "c:steer~name" in feats


def test_explain_names_the_words_that_pushed_towards_the_label(toy):
    [(s, e, _)] = [x for x in toy.spans(ARTICLE) if x[2] >= 0.5]
    reasons = toy.explain(ARTICLE, s, e, k=10)
    assert reasons and all(weight > 0 for _, weight in reasons)
    assert [w for _, w in reasons] == sorted((w for _, w in reasons), reverse=True)
    assert "a steering word near an outside force" in [name for name, _ in reasons]


def test_keyword_baseline_marks_the_clause_around_a_cue():
    text = "Prices rose. The riots, officials said, were organised from abroad."
    assert [text[s:e] for s, e, _ in fh.baseline_spans(text)] == ["were organised from abroad"]


def test_stratified_precision_recall_weights_each_stratum_by_its_size():
    rows = [("tagged", 1, 1), ("tagged", 1, 0), ("untagged_cue", 0, 1), ("untagged_nocue", 0, 0)]
    p, r, f1 = fh.weighted_precision_recall(rows)
    # tagged: 431 true positives, 431 false positives; untagged_cue: 554 missed.
    assert p == pytest.approx(0.5) and r == pytest.approx(431 / (431 + 554))
    assert f1 == pytest.approx(2 * p * r / (p + r))


def test_committed_data_files_are_well_formed():
    sentences = fh.read_sentences()
    assert {x.label for x in sentences} == {0, 1} and all(x.text.strip() for x in sentences)
    check = fh.read_check()
    assert {sample for sample, _ in check.values()} == {"dev", "test"}
    assert all(len(key) == 12 and int(key, 16) >= 0 for key in check)
    assert {label for _, label in check.values()} == {0, 1}


@pytest.mark.skipif(not (EUVSDISINFO_DIR / EUVSDISINFO_CLAIMS).is_file(),
                    reason=f"EUvsDisinfo is not at {EUVSDISINFO_DIR}")
def test_test_titles_are_never_trained_on():
    check = fh.read_check()
    claims = load_euvsdisinfo()
    assert {c.key for c in claims} >= set(check), "every hand-checked key is an EUvsDisinfo case"
    test_titles = {c.title for c in claims if check.get(c.key, ("", 0))[0] == "test"}
    trained = {x.text for x in fh.claim_examples(claims, check)}
    only_test = test_titles - {c.title for c in claims if check.get(c.key, ("", 0))[0] != "test"}
    assert not trained & only_test


def test_unannotated_documents_give_negative_sentences():
    from model.data import Document

    text = "The riots were organised from abroad. Prices rose."
    examples = fh.training_examples([], euvsdisinfo_dir=None, negatives=[Document("x", text, [], [])])
    unannotated = [x for x in examples if x.source == "ptc-unannotated:x"]
    assert [x.label for x in unannotated] == [0, 0] and all(x.weight == fh.NEWS_WEIGHT for x in unannotated)


def test_a_capitalised_first_word_is_no_name_but_an_acronym_is_one_anywhere():
    assert fh.token_features(["FSB", "trained", "Ukraine", ",", "NATO", "and", "Kyiv"]) == [
        ["w:@name", "b:@name trained", "c:name"],
        ["w:trained", "p:train", "b:trained @name", "c:steer", "c:steer~name"],
        ["w:@name", "b:@name @name", "c:name"], [], ["w:@name", "b:@name and", "c:name"], ["w:and", "b:and @name"],
        ["w:@name", "c:name"]]
    assert fh.token_features(["Ukraine", "helped"]) == [["w:ukraine", "p:ukrai", "b:ukraine helped"],
                                                        ["w:helped", "p:helpe", "c:steer",
                                                         f"o:{fh.word_groups()['ukraine']}<steer"]]


def test_the_words_beside_a_steering_word_or_an_outside_force_count_by_their_group():
    groups = fh.word_groups()
    assert groups["curators"] == groups["handlers"] and groups["by"] == groups["from"]
    words = ["financed", "by", "foreign", "banks", "xqzzy", "outside"]
    feats = fh.token_features(words)
    assert f"o:steer>{groups['by']}" in feats[0] and f"o:{groups['by']}<out" in feats[2]
    assert f"o:out>{groups['banks']}" in feats[2]
    assert not [f for f in feats[1] + feats[3] + feats[4] if f.startswith("o:")]  # plain words get no group feature
    assert not [f for f in feats[5] if f.startswith("o:")]  # an unknown neighbour has no group
    # "foreign curators" and "foreign handlers" differ in their words and pair but share the group feature.
    curators, handlers = fh.token_features(["foreign", "curators"])[0], fh.token_features(["foreign", "handlers"])[0]
    assert [f for f in curators if f.startswith("o:")] == [f for f in handlers if f.startswith("o:")] != []


def test_group_features_read_plainly_in_explanations():
    assert fh.describe_feature("o:out>27") == "an outside force and the kind of word after it"
    assert fh.describe_feature("o:7<steer") == "a steering word and the kind of word before it"


def test_a_model_trained_with_other_word_groups_is_refused(toy, monkeypatch):
    state = toy.to_json()
    monkeypatch.setattr(fh, "word_groups", lambda: {"foreign": "0"})
    fh.feature_signature.cache_clear()
    try:
        with pytest.raises(ValueError, match="retrain"):
            fh.ForeignHand.from_json(state)
    finally:
        fh.feature_signature.cache_clear()
