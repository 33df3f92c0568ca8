"""The classroom exercises as plain Python: scoring a student's marks, the rewrite diff, the quiz, the handout."""

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.data import DataError, load_page_furniture, load_seed_gold, load_seeds
from model.paths import SEEDS_DIR
from model.spans import Span
from model.techniques import DEFINITIONS, TECHNIQUES
from ui.classroom import (
    GOLD,
    MODEL,
    OPTION_NAMES,
    charged_added,
    check_answer,
    handout_file_names,
    load_rewrites,
    make_quiz,
    model_finds,
    model_report,
    named_option,
    phrases_kept,
    rewrite_diff,
    rewrite_kind,
    score_marks,
    split_sentences,
    word_changes,
)
from ui.render import escape_markdown, handout_html, printable

TEXT = "The pogroms began at dawn. Police arrived. A brutal crackdown followed. The puppet regime fell."


def span(text, phrase, technique, voice="author"):
    start = text.index(phrase)
    return Span(start, start + len(phrase), technique, voice=voice, text=phrase)


GOLD_SPANS = [
    span(TEXT, "pogroms", "loaded_language"),
    span(TEXT, "brutal crackdown", "loaded_language"),
    span(TEXT, "puppet", "name_calling"),
]


def test_sentences_carry_their_offsets():
    sentences = split_sentences(TEXT)
    assert [s.text for s in sentences] == [
        "The pogroms began at dawn.", "Police arrived.", "A brutal crackdown followed.", "The puppet regime fell."]
    assert all(TEXT[s.start:s.end] == s.text for s in sentences)
    assert [s.index for s in sentences] == [0, 1, 2, 3]


def test_split_sentences_skips_blank_text():
    assert split_sentences("") == []
    assert split_sentences("  \n\n ") == []


def test_score_on_a_hand_checked_case():
    # Loaded language is in sentences 0 ("pogroms") and 2 ("brutal crackdown"). The student marks 0, 1 and 3.
    # hits = {0}; misses = {2}; extras = {1, 3}
    # precision = 1 hit / 3 marked = 1/3; recall = 1 hit / 2 expected = 1/2
    # F1 = 2 * (1/3) * (1/2) / (1/3 + 1/2) = (1/3) / (5/6) = 2/5
    sentences = split_sentences(TEXT)
    result = score_marks(TEXT, sentences, {0, 1, 3}, GOLD_SPANS, "loaded_language", GOLD)
    assert result.expected == {0, 2}
    assert (result.hits, result.misses, result.extras) == ({0}, {2}, {1, 3})
    assert result.precision == pytest.approx(1 / 3)
    assert result.recall == pytest.approx(1 / 2)
    assert result.f1 == pytest.approx(2 / 5)
    assert "1/3 = 33%" in result.summary() and "1/2 = 50%" in result.summary() and "40%" in result.summary()

    by_sentence = {f.sentence: f for f in result.feedback}
    assert {i: f.kind for i, f in by_sentence.items()} == {0: "hit", 1: "extra", 2: "miss", 3: "extra"}
    assert all(f.definition == DEFINITIONS["loaded_language"] for f in result.feedback)
    assert "“brutal crackdown”" in by_sentence[2].reason
    assert "no reference span of this technique in this sentence" in by_sentence[1].reason
    # an extra mark on a sentence with another technique says which one
    assert "name calling" in by_sentence[3].reason and "“puppet”" in by_sentence[3].reason
    assert "name calling" not in by_sentence[1].reason


def test_a_perfect_student_and_a_student_who_marks_nothing():
    sentences = split_sentences(TEXT)
    perfect = score_marks(TEXT, sentences, {3}, GOLD_SPANS, "name_calling", MODEL)
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)
    assert "the model" in perfect.summary()
    assert perfect.summary("the model").startswith("Of the 1 sentence the model marked, 1 carries name calling")

    nothing = score_marks(TEXT, sentences, set(), GOLD_SPANS, "name_calling", GOLD)
    assert (nothing.precision, nothing.recall, nothing.f1) == (None, 0.0, None)
    assert "You marked no sentence" in nothing.summary()

    nothing_to_find = score_marks(TEXT, sentences, {1}, GOLD_SPANS, "foreign_hand", GOLD)
    assert (nothing_to_find.precision, nothing_to_find.recall) == (0.0, None)
    assert "nothing to find" in nothing_to_find.summary()


def test_a_span_across_two_sentences_counts_in_both():
    crossing = Span(TEXT.index("dawn"), TEXT.index("arrived"), "loaded_language")
    result = score_marks(TEXT, split_sentences(TEXT), {1}, [crossing], "loaded_language", GOLD)
    assert result.expected == {0, 1}
    assert result.hits == {1}


def test_a_quoted_reference_span_is_said_to_be_in_a_quotation():
    spans = [span(TEXT, "pogroms", "loaded_language", voice="quoted")]
    result = score_marks(TEXT, split_sentences(TEXT), set(), spans, "loaded_language", GOLD)
    assert "(in a quotation)" in result.feedback[0].reason


def test_bad_marks_and_techniques_are_refused():
    sentences = split_sentences(TEXT)
    with pytest.raises(ValueError, match="not in the source"):
        score_marks(TEXT, sentences, {7}, GOLD_SPANS, "loaded_language", GOLD)
    with pytest.raises(ValueError, match="unknown technique"):
        score_marks(TEXT, sentences, {0}, GOLD_SPANS, "whataboutism", GOLD)


def test_rewrite_diff_by_technique_and_text():
    original = "The puppet regime unleashed pogroms and more pogroms."
    rewrite = "The Puppet government allowed riots and more pogroms."
    before = [span(original, "puppet", "name_calling"), span(original, "pogroms", "loaded_language"),
              Span(original.rindex("pogroms"), original.rindex("pogroms") + 7, "loaded_language")]
    after = [span(rewrite, "Puppet", "name_calling"), span(rewrite, "pogroms", "loaded_language"),
             span(rewrite, "allowed", "loaded_language")]
    diff = rewrite_diff(original, before, rewrite, after)
    # one "pogroms" went, one remains; "puppet" remains despite the capital; "allowed" is new
    assert [original[s.start:s.end] for s in diff.gone] == ["pogroms"]
    assert [(rewrite[s.start:s.end], s.technique) for s in diff.remaining] == [
        ("Puppet", "name_calling"), ("pogroms", "loaded_language")]
    assert [rewrite[s.start:s.end] for s in diff.new] == ["allowed"]


def test_nearly_the_same_span_is_still_there_not_gone_and_new():
    """Issue 31: a rewrite that changed two words of a 30-word foreign-hand span got both "Gone" and "New"."""
    original = ("The riots were prepared by Western foundations that trained the militants abroad, paid the crowds, "
                "and sent instructors to organise the unrest in every city of the country last week.")
    rewrite = original.replace("prepared", "supported").replace("militants", "activists")
    before = [Span(4, len(original) - 1, "foreign_hand")]
    after = [Span(4, len(rewrite) - 1, "foreign_hand")]
    diff = rewrite_diff(original, before, rewrite, after)
    assert diff.gone == () and diff.new == () and diff.remaining == tuple(after)
    other = "Some people protested."  # a different sentence of the same technique: gone, and new
    diff = rewrite_diff(original, before, other, [Span(0, len(other) - 1, "foreign_hand")])
    assert len(diff.gone) == 1 and len(diff.new) == 1 and diff.remaining == ()


def test_an_empty_or_unchanged_answer_is_not_a_rewrite():
    original = "The puppet regime fell."
    assert rewrite_kind(original, "") == "empty"
    assert rewrite_kind(original, "  \n ... ") == "empty"  # no word
    assert rewrite_kind(original, "the  Puppet regime fell!") == "unchanged"  # case, spacing, punctuation aside
    assert rewrite_kind(original, "The government fell.") == "edited"


def test_rewrite_diff_when_same_words_change_technique():
    original = "They are puppets."
    before = [span(original, "puppets", "name_calling")]
    after = [span(original, "puppets", "foreign_hand")]
    diff = rewrite_diff(original, before, original, after)
    assert len(diff.gone) == 1 and len(diff.new) == 1 and diff.remaining == ()


# ---------------------------------------------------------------- the worked rewrites

REWRITES = load_rewrites()


def seed_text(article):
    return (SEEDS_DIR / f"{article}.txt").read_text(encoding="utf-8")


def test_rewrites_quote_the_seeds_exactly():
    assert 12 <= len(REWRITES) <= 20
    assert {r.technique for r in REWRITES} == set(TECHNIQUES)
    for r in REWRITES:
        assert seed_text(r.article)[r.start:r.end] == r.original, r
        assert r.phrase in r.original and r.phrase not in r.rewrite, r
        assert r.rewrite.strip() and r.rewrite != r.original and r.note.strip(), r


def test_a_rewrite_names_what_its_original_names():
    """Issue 31: a neutral version said "DCK" where the original says "CPK", which changed a fact and gave the quiz's
    answer away. A rewrite keeps the original's abbreviations and brings in none."""
    for r in REWRITES:
        acronyms = [set(re.findall(r"\b[A-Z]{2,}\b", text)) for text in (r.original, r.rewrite)]
        assert acronyms[0] == acronyms[1], r


@pytest.mark.parametrize("line, message", [
    ("{not json", "not JSON"),
    ('{"article": "a"}', "expected exactly the keys"),
    ('{"article": "a", "start": 0, "end": 1, "original": "x", "rewrite": "y", "technique": "spin", "phrase": "x", '
     '"note": ""}', "unknown technique"),
    ('{"article": "a", "start": 0, "end": 1, "original": "x", "rewrite": "y", "technique": "name_calling", '
     '"phrase": "z", "note": ""}', "is not in the original"),
])
def test_a_broken_rewrites_file_names_the_line(tmp_path, line, message):
    path = tmp_path / "rewrites.jsonl"
    path.write_text(f"\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=f":2: .*{message}"):
        load_rewrites(path)


def test_rewrites_are_labelled_in_the_seed_gold():
    # every worked example rewrites a sentence in which the annotators marked its technique
    gold = load_seed_gold()
    for r in REWRITES:
        spans = [s for s in gold.get(r.article, []) if s.technique == r.technique]
        assert any(s.start < r.end and s.end > r.start for s in spans), f"no gold {r.technique} in {r.original!r}"


# ---------------------------------------------------------------- the quiz

def test_quiz_is_random_but_repeatable_per_seed():
    quiz = make_quiz(REWRITES, seed=7)
    assert make_quiz(REWRITES, seed=7) == quiz
    assert len(quiz) == len(REWRITES)
    assert {item.rewrite for item in quiz} == set(REWRITES)
    for item in quiz:
        assert item.options[item.loaded] == item.rewrite.original
        assert item.options[1 - item.loaded] == item.rewrite.rewrite
    orders = {tuple(item.rewrite.original for item in make_quiz(REWRITES, seed)) for seed in range(5)}
    assert len(orders) > 1
    sides = {item.loaded for seed in range(5) for item in make_quiz(REWRITES, seed)}
    assert sides == {0, 1}


def test_quiz_answer_check_explains_right_and_wrong():
    item = make_quiz(REWRITES, seed=3)[0]
    right, explanation = check_answer(item, item.loaded)
    assert right and explanation.startswith("Right.")
    assert item.rewrite.phrase in explanation and item.rewrite.note in explanation
    wrong, explanation = check_answer(item, 1 - item.loaded)
    assert not wrong and explanation.startswith("Not this time")
    assert f"{OPTION_NAMES[item.loaded]} is the original: “{item.rewrite.phrase}” is" in explanation
    with pytest.raises(ValueError):
        check_answer(item, 2)


def test_a_quiz_option_keeps_its_highlights_behind_its_letter():
    option = "The puppet regime fell."
    text, spans = named_option("B", option, [Span(4, 17, "name_calling", text="puppet regime")])
    assert text == "B. The puppet regime fell." and text[spans[0].start:spans[0].end] == "puppet regime"
    assert model_finds([[], spans]) == ("The model finds: in A nothing; in B name calling (hover over a highlight to "
                                        "see why).")


# ---------------------------------------------------------------- the handout

HOSTILE_TITLE = '<script>alert("title")</script> & "Co"'
HOSTILE_TEXT = 'Intro <img src=x onerror=alert(1)> the pogroms </div><script>alert(2)</script> end & more.'


def visible_text(page):
    return html.unescape(re.sub(r"<[^>]*>", "", page))


@pytest.mark.parametrize("highlighted", [True, False])
def test_handout_escapes_a_hostile_title_and_article(highlighted):
    spans = [span(HOSTILE_TEXT, "pogroms", "loaded_language"), span(HOSTILE_TEXT, "<script>", "name_calling")]
    page = handout_html(HOSTILE_TITLE, HOSTILE_TEXT, spans, highlighted=highlighted, source_note="<b>note</b>")
    assert "<script" not in page and "<img" not in page and "<b>note" not in page
    assert page.count("<div") == page.count("</div>")
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; &amp; &quot;Co&quot;" in page
    assert HOSTILE_TEXT in visible_text(page)
    assert ("<mark" in page) == highlighted


def test_handout_has_definitions_questions_and_print_css():
    text = "The pogroms began."
    page = handout_html("Seed 1", text, [span(text, "pogroms", "loaded_language")], highlighted=True)
    assert page.startswith("<!DOCTYPE html>")
    assert "@media print" in page
    for technique in TECHNIQUES:
        assert html.escape(DEFINITIONS[technique]) in page
    assert page.count('<div class="answer">') == 3
    assert "Legend" in page
    exercise = handout_html("Seed 1", text, [], highlighted=False)
    assert "Legend" not in exercise and "pogroms" in exercise


def test_word_changes_lists_removed_and_added_words():
    removed, added = word_changes("The opposition backs Kazakh pogroms.", "The opposition backs Kazakh riots.")
    assert (removed, added) == (["pogroms"], ["riots"])
    assert word_changes("Same words.", "same  words.") == ([], [])


def test_escape_markdown_keeps_text_literal():
    assert escape_markdown("costs $5 or *$6*") == r"costs \$5 or \*\$6\*"
    assert escape_markdown(":smile: :red[x] [a](b) <i>") == r"\:smile: \:red\[x\] \[a\](b) \<i>"
    assert [escape_markdown(t) for t in ("# h", "- a", "> q", "1. a", "12) a", "a - b. (c)")] == [
        r"\# h", r"\- a", r"\> q", r"1\. a", r"12\) a", "a - b. (c)"]
    assert re.sub(r"\\(.)", r"\1", escape_markdown(HOSTILE_TEXT)) == HOSTILE_TEXT


def test_phrases_kept_ignores_case_and_spacing():
    assert phrases_kept(["pogroms", "open  Russophobes", "puppet"], "Open Russophobes staged riots.") == [
        ("pogroms", False), ("open  Russophobes", True), ("puppet", False)]


def test_the_exercise_numbers_the_sentences_as_the_spot_page_does():
    page = handout_html("Seed", TEXT, [], highlighted=False)
    numbered = re.search(r'<div class="slant-text numbered">(.*?)</div>', page).group(1)
    assert visible_text(numbered) == "(1) The pogroms began at dawn. (2) Police arrived. (3) A brutal crackdown " \
        "followed. (4) The puppet regime fell."
    assert html.unescape(re.sub(r'<span class="n">\(\d+\)</span> ', "", numbered)) == TEXT


def test_model_report_counts_sentences_and_quiz_pairs():
    class Article:
        name, text = "a", TEXT

    def label(text):  # a stand-in model that only knows one word
        return [span(text, "puppet", "name_calling")] if "puppet" in text else []

    rewrite = REWRITES[0]
    report = model_report(label, [Article], {"a": GOLD_SPANS}, [rewrite]).splitlines()
    assert report[0] == "Loaded language: the model marks 0 sentences, the annotators 2, both 0"
    assert report[1] == "Name calling: the model marks 1 sentence, the annotators 1, both 1"
    assert report[3] == "Quiz: the model finds the technique in 0 of 1 originals and some technique in 0 of 1 " \
        "neutral rewrites"


WORDS = ["pogroms", "puppet", "riots", "the", "West"]


@given(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(TECHNIQUES)), max_size=6),
       st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(TECHNIQUES)), max_size=6))
def test_rewrite_diff_accounts_for_every_span(before_words, after_words):
    def build(words):
        text, spans = "", []
        for word, technique in words:
            spans.append(Span(len(text), len(text) + len(word), technique))
            text += word + " "
        return text, spans

    original, before = build(before_words)
    rewrite, after = build(after_words)
    diff = rewrite_diff(original, before, rewrite, after)
    assert len(diff.gone) + len(diff.remaining) == len(before)
    assert len(diff.remaining) + len(diff.new) == len(after)
    assert set(diff.remaining) | set(diff.new) == set(after)


@given(st.sets(st.integers(0, 3)), st.lists(st.sampled_from(range(4)), max_size=4))
def test_score_marks_is_consistent(marked, carrying):
    sentences = split_sentences(TEXT)
    spans = [Span(sentences[i].start, sentences[i].start + 3, "loaded_language") for i in carrying]
    result = score_marks(TEXT, sentences, marked, spans, "loaded_language", GOLD)
    assert result.expected == set(carrying)
    assert result.hits | result.misses == result.expected and result.hits | result.extras == result.marked
    assert len(result.feedback) == len(result.marked | result.expected)
    if result.precision is not None and result.recall is not None:
        low, high = sorted((result.precision, result.recall))
        assert low - 1e-9 <= result.f1 <= high + 1e-9  # a harmonic mean lies between its two terms


def test_the_exercise_asks_about_the_students_own_underlining_not_highlights():
    exercise = handout_html("Seed", TEXT, [], highlighted=False)
    highlighted = handout_html("Seed", TEXT, [], highlighted=True)
    assert "highlighted" not in exercise.split("For discussion")[1]
    assert "you underlined" in exercise and "highlighted phrase" in highlighted
    assert re.search(r"\.numbered \.n \{[^}]*font-weight: bold", exercise)  # numbers a student can read in print


def test_a_rewrite_that_adds_charged_words_is_told_so():
    """Issue 19: the rewrite dropped "pogroms" and the page said "gone", while it added worse name calling."""
    class Valence:
        bin_of = {"riots": "neg2", "support": "pos1", "bloody": "neg1"}

    cues = {"name_calling": frozenset({"traitor", "masters"}), "loaded_language": frozenset({"bloody"})}
    _, added = word_changes("The opposition backs Kazakh pogroms.",
                            "The traitor opposition backs the riots of its Bloody foreign masters and support.")
    assert charged_added(added, Valence, cues) == [
        "“traitor” (annotators often marked it as name calling)", "“riots” (a strongly negative word)",
        "“Bloody” (a negative word; annotators often marked it as loaded language)",
        "“masters” (annotators often marked it as name calling)"]
    assert charged_added(["police arrived"], Valence, cues) == []


def test_page_furniture_is_skipped_by_exercises_and_handouts_and_the_seeds_stay_byte_for_byte():
    """Issue 19: Spot numbered "(1) top of page", "(39) bottom of page", "comments powered by HyperComments"."""
    furniture = load_page_furniture()
    seeds = {a.name: a.text for a in load_seeds()}
    for name, ranges in furniture.items():
        text = seeds[name]
        kept = [s.text for s in split_sentences(text, ranges)]
        assert len(kept) == len(split_sentences(text)) - len(ranges)
        assert not {"top of page", "bottom of page", "comments powered by HyperComments", "Post a Comment"} & set(kept)
        exercise = handout_html(name, text, [], highlighted=False, skip=ranges)
        assert f"({len(kept)})" in exercise and f"({len(kept) + 1})" not in exercise
        shown = visible_text(re.sub(r'<span class="n">\(\d+\)</span> ', "",
                                    re.search(r'numbered">(.*?)</div>', exercise, re.S).group(1)))
        assert shown == printable(text, ranges)[0]  # issue 31: no page furniture on paper, no pages of blank lines
        assert all(shown.count(text[a:b].strip()) < text.count(text[a:b].strip()) for a, b in ranges)
        assert "\n\n\n" not in shown
    seed_003 = split_sentences(seeds["003_3f857e323d3cf385"], furniture["003_3f857e323d3cf385"])
    assert seed_003[0].text == "Smuggled out footage of the crackdown's victims."


def test_a_handout_prints_no_furniture_and_one_blank_line_at_most_with_its_highlights_in_place():
    text = "top of page\nThe puppet regime fell.\n\n \n\n\nIt was a bloodbath.\nbottom of page"
    skip = [(0, 12), (text.index("bottom"), len(text))]
    printed, at = printable(text, skip)
    assert printed == "The puppet regime fell.\n\nIt was a bloodbath.\n"
    spans = [Span(text.index("puppet"), text.index("puppet") + 13, "name_calling"),
             Span(text.index("bloodbath"), text.index("bloodbath") + 9, "loaded_language"),
             Span(0, 3, "loaded_language")]  # in the furniture: not printed
    page = handout_html("T", text, spans, highlighted=True, skip=skip)
    article = page.split('<div class="article">')[1]
    assert re.findall(r"<mark [^>]*>([^<]*)</mark>", article) == ["puppet regime", "bloodbath"]
    assert "top of page" not in article and "bottom of page" not in article


def test_page_furniture_must_match_the_seed_text(tmp_path):
    bad = tmp_path / "furniture.jsonl"
    bad.write_text('{"article": "003_3f857e323d3cf385", "start": 0, "end": 11, "what": "x", "text": "top of pag"}\n',
                   encoding="utf-8")
    with pytest.raises(DataError, match="does not match"):
        load_page_furniture(bad)


def test_a_stretch_of_sentences_is_scored_by_sentence_number_not_by_position():
    """Spot's range of sentences starts anywhere: feedback must name the sentence marked, not the one at its place."""
    sentences = split_sentences(TEXT)[1:]  # sentences 2-4
    spans = [span(TEXT, "pogroms", "loaded_language"), span(TEXT, "puppet", "name_calling")]
    result = score_marks(TEXT, sentences, {3}, spans, "loaded_language", GOLD)
    assert [(f.sentence, f.kind) for f in result.feedback] == [(3, "extra")]
    assert "It does carry name calling: “puppet”" in result.feedback[0].reason


def test_the_two_highlighted_handouts_of_a_seed_have_their_own_file_names():
    """Issue 31: the human and the model versions downloaded under one file name."""
    human, exercise = handout_file_names("Day Five: ‘It will be a bloodbath’", gold=True)
    model, same_exercise = handout_file_names("Day Five: ‘It will be a bloodbath’", gold=False)
    assert human == "slant-handout-day-five-it-will-be-a-bloodbath-annotators.html"
    assert model == "slant-handout-day-five-it-will-be-a-bloodbath-model.html"
    assert exercise == same_exercise == "slant-exercise-day-five-it-will-be-a-bloodbath.html"
    assert handout_file_names("«»", gold=False) == ("slant-handout-article-model.html", "slant-exercise-article.html")
