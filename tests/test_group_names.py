"""Issue 18: group names are not insults by themselves (tools/group_names.py has the sentences and prints all three
directions, including the one that fails today: in 112 of 280 charged sentences a run of name calling swallows the
group named beside the charge)."""
import pytest

from model.tagger import load_tagger
from tools.group_names import NAME_CALLING, NEUTRAL, covers_group, found, sentences


@pytest.fixture(scope="module")
def tagger():
    return load_tagger()


def test_a_neutral_sentence_never_marks_the_group_it_names(tagger):
    bad = [s for s, word in sentences(NEUTRAL) if covers_group(tagger, s, word)]
    assert len(sentences(NEUTRAL)) == 280 and bad == []


@pytest.mark.parametrize("sentence, phrase", [pair for pair in NAME_CALLING if pair[1] != "presstitutes"])
def test_name_calling_that_names_a_group_is_still_found(tagger, sentence, phrase):
    assert found(tagger, sentence, phrase)
