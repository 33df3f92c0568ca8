"""voice_at on sentences from the seeds: who speaks where, per the annotation guideline's voice rule."""
import pytest

from model.paths import SEEDS_DIR
from model.voice import quoted_regions, voice_at


def seed(prefix: str) -> str:
    (path,) = SEEDS_DIR.glob(f"{prefix}_*.txt")
    return path.read_text(encoding="utf-8")


def voice_of(text: str, phrase: str, after: str = "") -> str:
    """The voice of the first occurrence of `phrase` that comes after `after`."""
    start = text.index(phrase, text.index(after) if after else 0)
    return voice_at(text, start, start + len(phrase))


@pytest.mark.parametrize("prefix, phrase, after, expected", [
    # the outlet's own words
    ("000", "pogroms", "", "author"),  # the headline
    ("000", "open Russophobes", "", "author"),
    ("000", "the West, which uses its puppets as a weapon", "", "author"),
    ("001", "rocking the situation in Kazakhstan from Ukraine", "", "author"),
    ("003", "long-time dictator", "", "author"),
    ("003", "spurious charges", "", "author"),
    # closed quotations, double and single, curly and nested
    ("000", "Terrorist gangs are essentially international", "", "quoted"),
    ("000", "involved in organising the protests in Kazakhstan", "", "quoted"),
    ("001", "cockroaches", "", "quoted"),
    ("001", "people at Lubyanka", "", "quoted"),  # after the nested “former”
    ("001", "scum of the day", "", "quoted"),
    ("003", "bloodbath", "", "quoted"),  # ‘It will be a bloodbath’ in the headline
    ("003", "bandits", "", "quoted"),
    ("003", "ruling gang", "", "quoted"),
    ("003", "terrorist groups trained outside of the country", "", "quoted"),
    # a quotation whose closing mark was lost after a full stop ends with its first sentence
    ("000", "should be seen as an act of aggression", "", "quoted"),
    ("000", "For many observers", "", "author"),
    ("000", "fugitives", "", "author"),
    ("000", "Forgive us", "", "quoted"),
    ("000", "so-called leaders", "", "author"),
    ("000", "puppeteers", "", "author"),
    ("001", "is part of the Kremlin’s scenario", "", "quoted"),
    ("001", "The ultimate goal", "", "author"),
    # a misprinted closing “ after a comma
    ("002", "the President of Kazakhstan said", "", "author"),
    ("002", "bandits", "", "quoted"),
    # a dialogue dash resumes the quotation
    ("002", "organized pogrom", "", "quoted"),
    ("002", "mutiny", "", "quoted"),
    ("002", "One corpse lies right by the square", "", "quoted"),
    # reported speech
    ("000", "stifling democracy", "", "quoted"),  # accuse X of …
    ("000", "they were directly involved in what was happening in Kazakhstan", "", "quoted"),  # say … that
    ("001", "coordinated from the territory of Ukraine", "", "quoted"),  # deny that …, according to …
    ("001", "with the help of the Russian FSB", "", "quoted"),  # has convinced Ukrainians that
    ("001", "Tokayev now works for the FSB", "", "quoted"),  # As Tyahnybok wrote on his Facebook, …
    ("002", "terrorists participating in the riots", "", "quoted"),  # According to him, …
    ("002", "the United States will very quickly enter the game", "", "quoted"),
    ("004", "the work of outside forces from the West", "", "quoted"),  # views X as
    ("004", "Americans committed to the idea", "", "author"),  # paraphrase without a cue in its sentence
])
def test_voice_of_seed_phrases(prefix, phrase, after, expected):
    assert voice_of(seed(prefix), phrase, after) == expected


def test_apostrophes_do_not_open_quotations():
    text = "The Kremlin’s hand and Tikhanovskaya‘s office don't matter; the mayor's office burned."
    assert quoted_regions(text) == ((), ())
    assert voice_at(text, text.index("burned"), len(text) - 1) == "author"


def test_every_kind_of_quotation_mark_counts():
    for opening, closing in ["“”", '""', "‘’", "''", "«»", "„“"]:
        text = f"The minister called them {opening}thugs{closing} again."
        start = text.index("thugs")
        assert voice_at(text, start, start + 5) == "quoted", opening + closing
        assert voice_at(text, text.index("again"), len(text) - 1) == "author", opening + closing


def test_an_unclosed_quotation_stops_at_the_line_break_when_its_sentence_does_not_end():
    text = "He wrote “traitors all around\nThe next paragraph is the outlet again."
    assert voice_at(text, text.index("traitors"), text.index("traitors") + 8) == "quoted"
    assert voice_at(text, text.index("outlet"), text.index("outlet") + 6) == "author"


def test_reported_speech_ends_with_its_sentence():
    text = "She stated that the regime is a gang. The gang is in power."
    first, second = text.index("gang"), text.rindex("gang")
    assert voice_at(text, first, first + 4) == "quoted"
    assert voice_at(text, second, second + 4) == "author"


def test_offsets_outside_the_text_are_an_error():
    with pytest.raises(ValueError):
        voice_at("short", 3, 99)
    with pytest.raises(ValueError):
        voice_at("short", 3, 3)


def test_huge_lines_without_structure_are_handled():
    # a 100,000-character line of opening marks, of words with no full stop, and of apostrophes
    for text in ["“" * 100_000, "word " * 20_000, "a’" * 50_000, "“a ‘b " * 20_000 + "” said" * 5_000]:
        for start in (0, len(text) // 2, len(text) - 2):
            assert voice_at(text, start, start + 1) in ("author", "quoted")


@pytest.mark.parametrize("text", [
    "The West staged the coup in Ukraine, Lavrov said on Tuesday.",
    "The West staged the coup in Ukraine, said Lavrov.",
    "The West staged the coup in Ukraine, the Russian foreign minister claimed.",
    "Putin claimed the West staged the coup in Ukraine.",
    "Zakharova told reporters the West staged the coup in Ukraine.",
    "The coup, analysts say, was staged in Ukraine by the West.",
])
def test_reported_speech_without_that_or_with_its_cue_after_the_claim_is_quoted(text):
    start = text.index("staged")
    assert voice_at(text, start, start + 6) == "quoted"


@pytest.mark.parametrize("text", [
    "The West staged the coup in Ukraine.",
    "The West staged the coup in Ukraine, which was a crime.",
    "The West staged the coup in Ukraine, and Kiev obeyed.",
])
def test_a_plain_sentence_with_a_comma_stays_the_authors(text):
    start = text.index("staged")
    assert voice_at(text, start, start + 6) == "author"


@pytest.mark.parametrize("text, claim", [
    ("Fico accused Brussels of meddling in the Slovak election.", "Brussels of meddling"),
    ("The junta blamed the French embassy for the counter-coup.", "French embassy for the counter-coup"),
    ("The State Department acknowledged that it had funded the opposition media.", "it had funded the opposition"),
])
def test_a_claim_that_starts_with_the_accused_is_reported_speech(text, claim):
    start = text.index(claim)
    assert voice_at(text, start, start + len(claim)) == "quoted"
