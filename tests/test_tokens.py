"""Words and sentences as character offsets: exact slices, any Unicode, linear on pathological input."""
from hypothesis import given, settings
from hypothesis import strategies as st

from model.tokens import WORD_PATTERN, sentence_spans, word_spans


def words(text):
    return [text[s:e] for s, e in word_spans(text)]


def sentences(text):
    return [text[s:e] for s, e in sentence_spans(text)]


def test_words_keep_inner_apostrophes_and_hyphens_and_split_punctuation():
    assert words("“It’s a so-called ‘peace’ deal,” he said—again.") == [
        "“", "It’s", "a", "so-called", "‘", "peace", "’", "deal", ",", "”", "he", "said", "—", "again", ".",
    ]


def test_word_pattern_is_the_same_as_nltk_regexp_tokenizer():
    from nltk.tokenize import RegexpTokenizer

    text = "Kyiv’s “junta” — backed by the U.S. — can't win 100 % of 1,000 votes 🙂 ¿Qué? naïve café"
    assert word_spans(text) == list(RegexpTokenizer(WORD_PATTERN).span_tokenize(text))


def test_sentences_respect_abbreviations_initials_and_quotes():
    text = 'Mr. Putin met J. Smith in the U.S. capital. "It is a disgrace!" he said. Then they left.'
    assert sentences(text) == [
        "Mr. Putin met J. Smith in the U.S. capital.",
        '"It is a disgrace!" he said.',
        "Then they left.",
    ]


def test_every_line_is_its_own_sentence_and_blank_lines_vanish():
    text = "A title\n\nFirst sentence. Second one?\r\n  indented line  \n"
    assert sentences(text) == ["A title", "First sentence.", "Second one?", "indented line"]


def test_empty_and_blank_text_have_no_tokens():
    assert word_spans("") == [] and sentence_spans("") == []
    assert word_spans(" \n\t ") == [] and sentence_spans(" \n\t ") == []


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_offsets_are_ordered_non_overlapping_slices_without_white_space(text):
    for spans in (word_spans(text), sentence_spans(text)):
        previous_end = 0
        for start, end in spans:
            assert previous_end <= start < end <= len(text)
            piece = text[start:end]
            assert piece == piece.strip() and piece
            previous_end = end
    # every non-space character belongs to exactly one word token
    covered = sum(e - s for s, e in word_spans(text))
    assert covered == sum(1 for c in text if not c.isspace())


def test_long_lines_without_spaces_finish():
    # Quadratic behaviour would take minutes on these; linear takes milliseconds.
    for text in ("a" * 100_000, "." * 100_000, "!" * 100_000 + " A", "a-" * 50_000, ". " * 50_000, "é😀" * 50_000):
        assert len(word_spans(text)) >= 1
        assert len(sentence_spans(text)) >= 1
