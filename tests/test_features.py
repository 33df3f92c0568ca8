"""Token features: shapes, quotation context, cue words learnt from spans, valence bins."""
from model.features import CueWords, Features, Valence, quoted_flags, shape, split_sentences


def test_shape_collapses_runs():
    assert [shape(w) for w in ("Kremlin", "NATO", "1990s", "so-called", "!!")] == ["Xx", "X", "dx", "x-x", "!"]


def test_quoted_flags_cover_the_words_between_marks():
    words = ["He", "said", "“", "traitors", "all", "”", "and", "left", "\"", "bad", "\""]
    assert quoted_flags(words) == [False, False, False, True, True, False, False, False, False, True, False]


def test_cue_words_need_enough_evidence():
    rows = [(["the", "brutal", "regime"], [set(), {"loaded_language"}, set()])] * 2
    rows += [(["the", "regime", "fell"], [set(), set(), set()])] * 10
    rows += [(["a", "rare", "word"], [set(), {"loaded_language"}, set()])]  # seen once: not enough
    cues = CueWords.learn(rows, ("loaded_language", "name_calling"))
    assert cues.by_technique == {"loaded_language": frozenset({"brutal"}), "name_calling": frozenset()}
    assert CueWords.from_json(cues.to_json()) == cues


def test_features_mark_cues_valence_and_neighbours():
    features = Features(CueWords({"loaded_language": frozenset({"brutal"})}), Valence({"brutal": "neg2"}))
    sentence = split_sentences("A brutal attack!")[0]
    first, brutal, attack, bang = features.sentence(sentence.words)
    assert "w=brutal" in brutal and "cue:loaded_language" in brutal and "val:neg2" in brutal
    assert "cue:loaded_language@+1" in first and "val:neg2@-1" in attack
    assert "sent-exclamation" in bang and "sent-charged=1" in first
    assert Valence.from_json(Valence({"brutal": "neg2", "nice": "pos1"}).to_json()).bin_of == {
        "brutal": "neg2", "nice": "pos1"}
