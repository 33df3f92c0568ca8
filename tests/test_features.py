"""Token features: shapes, quotation context, cue words learnt from spans, valence bins, word classes."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.features import CueWords, Features, Valence, WordClasses, quoted_flags, shape, split_sentences
from model.tokens import word_spans


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


def test_features_of_a_sentence_name_the_word_its_shape_neighbours_cues_and_valence():
    """What each token's features say (the committed model's behaviour on fixed texts is pinned by the golden outputs,
    not here)."""
    features = Features(CueWords({"loaded_language": frozenset({"brutal"})}), Valence({"brutal": "neg2"}))
    assert [set(token) for token in features.sentence(("Brutal", "gangs"))] == [
        {"bias", "w=brutal", "p3=bru", "s3=tal", "s2=al", "sh=Xx", "w-1=<s>", "w+1=gangs", "w-2=<s>", "w+2=</s>",
         "b-=<s>|brutal", "b+=brutal|gangs", "p5=bruta", "first", "cue:loaded_language", "val:neg2",
         "sent-cues:loaded_language=1", "sent-charged=1"},
        {"bias", "w=gangs", "p3=gan", "s3=ngs", "s2=gs", "sh=x", "w-1=brutal", "w+1=</s>", "w-2=<s>", "w+2=</s>",
         "b-=brutal|gangs", "b+=gangs|</s>", "cue:loaded_language@-1", "val:neg2@-1", "sent-cues:loaded_language=1",
         "sent-charged=1"},
    ]
    assert quoted_flags(["no", "quotes", "here", "’"]) == [False] * 4


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .!?\"“”’\n\t") | st.text())
def test_the_tokens_of_a_sentence_are_the_words_of_its_slice(text):
    """foreign_hand reuses these sentences in place of tokenising each sentence's slice again."""
    for sentence in split_sentences(text):
        start = sentence.start
        slice_tokens = [(start + s, start + e) for s, e in word_spans(text[start:sentence.end])]
        assert list(sentence.tokens) == slice_tokens
        assert list(sentence.words) == [text[s:e] for s, e in slice_tokens]
    assert [s for sentence in split_sentences(text) for s in sentence.tokens] == word_spans(text)


def test_word_classes_become_features_of_the_word(tmp_path):
    table = tmp_path / "classes.tsv"
    table.write_text("word\tc4\tc16\nthugs\t1\t7\nbandits\t1\t7\n", encoding="utf-8")
    classes = WordClasses.read(table)
    features = Features(CueWords({}), Valence({}), classes)
    the, thugs = features.sentence(["The", "Thugs"])
    assert "c4=1" in thugs and "c16=7" in thugs
    assert not any(f.startswith("c4=") for f in the)


def test_an_unknown_possessive_or_compound_takes_the_classes_of_its_known_part():
    classes = WordClasses({"nato": ("c4=1",), "fascism": ("c4=2",), "anti": ("c4=3",)})
    assert classes.of("nato") == ("c4=1",)
    assert classes.of("nato's") == ("c4=1",)
    assert classes.of("anti-fascism") == ("c4=2",)  # the last known part
    assert classes.of("anti-zzyzx") == ("c4=3",)
    assert classes.of("zzyzx") == ()
    assert classes.of("zzyzx's-qqq") == ()
    assert classes.of("nato-2") == ()  # not a word of letters


def test_a_word_table_is_parsed_once_whatever_its_path(tmp_path):
    (tmp_path / "a.tsv").write_text("word\tc4\nthugs\t1\n", encoding="utf-8")
    (tmp_path / "b.tsv").write_text("word\tc4\nthugs\t1\n", encoding="utf-8")
    (tmp_path / "c.tsv").write_text("word\tc4\nthugs\t2\n", encoding="utf-8")
    a, b, c = (WordClasses.read(tmp_path / name) for name in ("a.tsv", "b.tsv", "c.tsv"))
    assert a is b
    assert c.of("thugs") == ("c4=2",)


def test_a_word_classes_line_with_missing_classes_is_refused(tmp_path):
    table = tmp_path / "classes.tsv"
    table.write_text("word\tc4\tc16\nthugs\t1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="thugs"):
        WordClasses.read(table)
