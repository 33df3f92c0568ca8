"""The classroom pages, driven headlessly through app.py: marks -> reveal -> score, rewrite, quiz, handout."""
import pytest
from streamlit.testing.v1 import AppTest

from model.data import load_page_furniture, load_seeds
from model.paths import PROJECT_ROOT
from model.spans import Span
from model.tagger import load_tagger
from model.techniques import DEFINITIONS
from ui import state
from ui.classroom import load_rewrites, make_quiz, split_sentences
from ui.render import render_html

APP = str(PROJECT_ROOT / "app.py")
SEEDS = {article.name: article for article in load_seeds()}
FURNITURE = load_page_furniture()  # the pages skip it: their sentence numbers are these
DAY_FIVE = "003_3f857e323d3cf385"  # "Day Five: 'It will be a bloodbath'"


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, at.exception
    at.switch_page(f"views/{page}").run()
    assert not at.exception, at.exception
    return at


def label_of(name: str) -> str:
    return SEEDS[name].title or name


def span_of(text: str, phrase: str, technique: str) -> Span:
    start = text.index(phrase)
    return Span(start, start + len(phrase), technique, text=phrase)


@pytest.fixture
def hand_made_gold(monkeypatch):
    """A small gold for seed 003, fixed here so that the arithmetic below can be checked by hand."""
    text = SEEDS[DAY_FIVE].text
    gold = {DAY_FIVE: [span_of(text, "long-time dictator", "name_calling"),
                       span_of(text, "ruling gang", "name_calling"),
                       span_of(text, "bloodbath,", "loaded_language")]}
    monkeypatch.setattr(state, "seed_gold", lambda: gold)
    return gold


def sentence_number(name: str, phrase: str) -> int:
    """The 0-based index, as the pages number them, of the seed's sentence containing `phrase` (first occurrence)."""
    text = SEEDS[name].text
    at = text.index(phrase)
    return next(s.index for s in split_sentences(text, FURNITURE[name]) if s.start <= at < s.end)


def test_marks_reveal_and_score_against_the_gold(hand_made_gold):
    dictator = sentence_number(DAY_FIVE, "long-time dictator")
    gang = sentence_number(DAY_FIVE, "ruling gang")
    bloodbath = sentence_number(DAY_FIVE, "‘It will be a bloodbath,’ he said.")
    plain = sentence_number(DAY_FIVE, "Smuggled-out videos of body bags")
    assert len({dictator, gang, bloodbath, plain}) == 4

    at = open_page("spot.py")
    at.selectbox(key="spot_source").select(label_of(DAY_FIVE)).run()
    at.radio(key="spot_technique").set_value("name_calling").run()
    # No highlights before the reveal: the sentences are plain checkboxes.
    assert not any("<mark" in m.value for m in at.markdown)
    for index in (dictator, bloodbath, plain):
        at.checkbox(key=f"spot_mark|{DAY_FIVE}|name_calling|{index}").check()
    at.button(key="spot_reveal").click().run()
    assert not at.exception, at.exception

    # Name calling is in 2 sentences (dictator, gang). The student ticked 3: dictator (hit), bloodbath and plain
    # (extras); gang is a miss. Precision 1/3 = 33%, recall 1/2 = 50%, F1 = 2*(1/3)*(1/2)/(1/3+1/2) = 2/5 = 40%.
    metrics = {m.label.split(" (")[0]: m.value for m in at.metric}
    assert metrics == {"Precision": "33%", "Recall": "50%", "F1": "40%"}
    assert any("human annotators" in m.value for m in at.markdown)
    assert len(at.success) == 1 and "Right: “long-time dictator”" in at.success[0].value
    assert len(at.error) == 1 and "ruling gang" in at.error[0].value and "Missed" in at.error[0].value
    extras = [w.value for w in at.warning]
    assert len(extras) == 2
    assert all("no reference span of this technique in this sentence" in w for w in extras)
    # the extra mark on the bloodbath sentence names the technique that sentence does carry
    assert any("loaded language" in w and "bloodbath" in w for w in extras), "\n".join(extras)

    table = at.dataframe[0].value
    assert set(table.columns) == {"sentence", "text", "you", "human gold", "model"}
    ticked = set(table.loc[table["you"] == "✔", "sentence"])
    gold = set(table.loc[table["human gold"] == "✔", "sentence"])
    assert ticked == {dictator + 1, bloodbath + 1, plain + 1}
    assert gold == {dictator + 1, gang + 1}


def test_pasted_text_is_scored_against_the_model_and_shown_literally():
    hostile = "The **puppet** regime <script>alert(1)</script> costs $5. Calm returned."
    at = open_page("spot.py")
    at.text_input(key="spot_paste_title").input("My <b>article</b>")
    at.text_area(key="spot_paste_text").input(hostile)
    at.button(key="spot_paste_add").click().run()
    assert at.selectbox(key="spot_source").value == "My <b>article</b>"
    labels = [c.label for c in at.checkbox]
    assert labels[0] == r"(1) The \*\*puppet\*\* regime \<script>alert(1)\</script> costs \$5."
    at.checkbox(key=at.checkbox[1].key).check()
    at.button(key="spot_reveal").click().run()
    assert not at.exception, at.exception
    assert any("the model (no human answer exists for pasted text)" in w.value for w in at.warning)
    assert list(at.dataframe[0].value.columns) == ["sentence", "text", "you", "model"]
    assert not any("<script>" in m.value for m in at.markdown)


def test_a_rewrite_that_removes_a_loaded_word_loses_that_span():
    # Find, with the model itself, a seed sentence in which it labels loaded language when the sentence stands
    # alone (that is how the page labels it); the page must report that span gone once the word is replaced.
    tagger = load_tagger()
    found = None
    for name, article in SEEDS.items():
        for sentence in split_sentences(article.text, FURNITURE[name]):
            spans = [s for s in tagger.label(sentence.text) if s.technique == "loaded_language"]
            if spans:
                found = name, sentence, spans[0]
                break
        if found:
            break
    assert found, "the model labels no loaded language in any seed sentence: the rewrite exercise cannot work"
    name, sentence, span = found
    word = sentence.text[span.start:span.end]

    at = open_page("rewrite.py")
    at.selectbox(key="rewrite_source").select(label_of(name)).run()
    box = at.selectbox(key=f"rewrite_sentence|{name}")
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(f"{sentence.index + 1}. "))).run()
    area = at.text_area(key=f"rewrite_text|{name}|{sentence.index}")
    assert area.value == sentence.text
    rewritten = sentence.text[:span.start] + "events" + sentence.text[span.end:]
    area.input(rewritten).run()
    assert not at.exception, at.exception

    gone = [s.value for s in at.success if s.value.startswith("Gone")]
    assert any(word.replace("-", "\\-") in g or word in g for g in gone), (word, gone)
    assert not any(word in e.value and "Still there" in e.value for e in at.error)
    assert any("Words you removed" in m.value for m in at.markdown)
    assert not any("New and charged" in w.value for w in at.warning)

    area.input(rewritten + " The traitor obeys his foreign masters.").run()  # worse than before: the page says so
    charged = [w.value for w in at.warning if "New and charged" in w.value]
    assert charged and "traitor" in charged[0] and "name calling" in charged[0], charged


QUIZ_SEED = 20261123


def test_the_quiz_accepts_right_and_wrong_answers():
    quiz = make_quiz(load_rewrites(), QUIZ_SEED)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["quiz_seed"] = QUIZ_SEED
    at.run()
    at.switch_page("views/quiz.py").run()
    assert not at.exception, at.exception

    first, second = quiz[0], quiz[1]
    shown = [m.value for m in at.markdown]
    assert render_html(f"A. {first.options[0]}", [], compact=True) in shown
    assert render_html(f"B. {first.options[1]}", [], compact=True) in shown

    assert not any("The original is from" in c.value for c in at.caption)  # not before the answer
    at.button(key=f"quiz_pick_{first.loaded}").click().run()  # the right one
    assert any(f"The original is from the article “{label_of(first.rewrite.article)}" in c.value
               and DEFINITIONS[first.rewrite.technique] in c.value for c in at.caption)
    assert len(at.success) == 1 and at.success[0].value.startswith("Right")
    texts = [m.value for m in at.markdown if m.value.startswith('<div class="slant-text')]
    assert len(texts) == 2 and ">A. " in texts[0] and ">B. " in texts[1]  # the same two boxes, now highlighted
    at.button(key="quiz_next").click().run()
    at.button(key=f"quiz_pick_{1 - second.loaded}").click().run()  # the wrong one
    assert len(at.error) == 1 and at.error[0].value.startswith("Not this time")
    assert "1 right out of 2 answered" in at.get("progress")[0].proto.text
    at.button(key="quiz_new").click().run()  # a new quiz starts over
    assert "0 right out of 0 answered" in at.get("progress")[0].proto.text


def test_the_handout_page_offers_both_versions():
    at = open_page("handout.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the highlighted handout (HTML)", "Download the exercise, no highlights (HTML)"]
    preview = at.get("iframe")[0].proto.srcdoc  # the highlighted handout, from the human annotators
    assert preview.startswith("<!DOCTYPE html>") and "Highlights: the human annotators" in preview
    assert 'class="slant-t-foreign_hand' in preview.split("The article</h2>")[1]

    at.toggle(key="show_foreign_hand").set_value(False).run()  # the sidebar chooses what a handout highlights
    preview = at.get("iframe")[0].proto.srcdoc
    assert 'class="slant-t-foreign_hand' not in preview.split("The article</h2>")[1]
    assert "Only loaded language, name calling" in preview

    at.radio(key="handout_basis").set_value("The model").run()
    at.radio(key="handout_preview").set_value("Exercise (no highlights)").run()
    assert not at.exception, at.exception
    preview = at.get("iframe")[0].proto.srcdoc
    assert "<mark" not in preview and '<span class="n">(1)</span>' in preview


def test_a_long_pasted_article_is_cut_to_the_first_150_sentences():
    at = open_page("spot.py")
    at.text_area(key="spot_paste_text").input(" ".join(f"Sentence number {n} is here." for n in range(1, 201)))
    at.button(key="spot_paste_add").click().run()
    assert not at.exception, at.exception
    assert len(at.checkbox) == 150
    assert any("200 sentences" in i.value and "first 150" in i.value for i in at.info)


def test_the_worked_example_removes_what_the_annotators_marked():
    example = load_rewrites()[0]  # the headline of seed 000: "pogroms" -> "protests"
    assert example.phrase == "pogroms"
    sentence = next(s for s in split_sentences(SEEDS[example.article].text, FURNITURE[example.article])
                    if s.start == example.start)

    at = open_page("rewrite.py")
    at.selectbox(key="rewrite_source").select(label_of(example.article)).run()
    box = at.selectbox(key=f"rewrite_sentence|{example.article}")
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(f"{sentence.index + 1}. "))).run()
    shown = [m.value for m in at.markdown]
    assert "“pogroms” (loaded language): ✘ still in your version" in shown
    at.button(key="rewrite_use_example").click().run()
    assert not at.exception, at.exception
    assert at.text_area(key=f"rewrite_text|{example.article}|{sentence.index}").value == example.rewrite
    shown = [m.value for m in at.markdown]
    assert "“pogroms” (loaded language): ✔ gone from your version" in shown
    assert "Words you removed: pogroms" in shown and "Words you added: protests" in shown

    # Issue 31: clearing the box is not a rewrite: nothing is "gone", nothing "left", nothing "✔".
    at.text_area(key=f"rewrite_text|{example.article}|{sentence.index}").input("").run()
    assert not at.exception, at.exception
    assert any("empty answer is not a rewrite" in w.value for w in at.warning)
    assert not [s.value for s in at.success]
    shown = [m.value for m in at.markdown]
    assert "“pogroms” (loaded language): to rewrite" in shown and not any("✔" in m for m in shown)
    assert not any("Words you removed" in m for m in shown)


def test_clear_my_ticks_resets_the_ticks_and_hides_the_answer():
    at = open_page("spot.py")
    key = at.checkbox[0].key
    at.checkbox(key=key).check().run()
    at.button(key="spot_reveal").click().run()
    assert at.metric
    at.button(key="spot_clear").click().run()
    assert not at.exception, at.exception
    assert at.checkbox(key=key).value is False
    assert not at.metric


def test_unreadable_seeds_leave_the_exercise_pages_with_a_message(monkeypatch):
    from model.data import DataError

    def unreadable():
        raise DataError("data/seeds/000.txt: it is not UTF-8 text")

    monkeypatch.setattr("ui.state.seeds", unreadable)
    for page in ("spot.py", "handout.py", "rewrite.py"):
        at = open_page(page)
        assert any("seed articles cannot be read" in w.value for w in at.warning), page
        assert any("no article to work on" in i.value for i in at.info), page
    quiz = open_page("quiz.py")  # its questions come from data/classroom/rewrites.jsonl, not from the seeds
    quiz.button(key="quiz_pick_0").click().run()
    assert not quiz.exception, quiz.exception
    assert any("The original is from the article" in c.value for c in quiz.caption)


def test_a_shorter_spot_exercise_scores_only_the_sentences_picked(hand_made_gold):
    """Issue 19: spot on a seed had 52 sentences; a lesson picks a stretch, and the score counts only it."""
    dictator = sentence_number(DAY_FIVE, "long-time dictator")
    gang = sentence_number(DAY_FIVE, "ruling gang")
    assert gang > dictator + 1
    at = open_page("spot.py")
    at.selectbox(key="spot_source").select(label_of(DAY_FIVE)).run()
    at.radio(key="spot_technique").set_value("name_calling").run()
    at.slider(key=f"spot_range|{DAY_FIVE}").set_value((dictator + 1, gang)).run()  # gang's sentence is left out
    assert not at.exception, at.exception
    assert len(at.checkbox) == gang - dictator
    at.checkbox(key=f"spot_mark|{DAY_FIVE}|name_calling|{dictator}").check()
    at.button(key="spot_reveal").click().run()
    metrics = {m.label.split(" (")[0]: m.value for m in at.metric}
    assert metrics == {"Precision": "100%", "Recall": "100%", "F1": "100%"}  # the missed "ruling gang" is outside
    dictator_text = split_sentences(SEEDS[DAY_FIVE].text, FURNITURE[DAY_FIVE])[dictator].text
    assert any(f"Sentence {dictator + 1}: “{dictator_text}”" in m.value.replace("\\", "") for m in at.success)


def test_a_worked_rewrite_that_keeps_most_of_a_span_gets_no_gone_and_new_for_it():
    """Issue 31: the worked rewrite of "The protests that erupted in early January …" (seed 000) changes a few words of
    a long foreign-hand span; the page said both "Gone" and "New in your version" for it."""
    example = next(r for r in load_rewrites() if r.original.startswith("The protests that erupted in early January"))
    sentence = next(s for s in split_sentences(SEEDS[example.article].text, FURNITURE[example.article])
                    if s.start <= example.start < s.end)
    at = open_page("rewrite.py")
    at.selectbox(key="rewrite_source").select(label_of(example.article)).run()
    box = at.selectbox(key=f"rewrite_sentence|{example.article}")
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(f"{sentence.index + 1}. "))).run()
    at.button(key="rewrite_use_example").click().run()
    assert not at.exception, at.exception
    gone = {s.value.rsplit("(", 1)[1] for s in at.success if s.value.startswith("Gone")}
    new = {w.value.rsplit("(", 1)[1] for w in at.warning if w.value.startswith("New in your version")}
    assert not gone & new, (gone, new)
