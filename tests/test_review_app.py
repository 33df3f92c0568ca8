"""The teacher's review headless (AppTest): keep, remove, relabel and add on Analyse and Compare, the reviewed
version on every page, the model's own one switch away, a damaged review file."""
import html
import re

from streamlit.testing.v1 import AppTest

from model import review as rv
from model.data import load_page_furniture, load_seeds
from model.paths import PROJECT_ROOT
from model.tagger import load_tagger
from model.techniques import TECHNIQUES, TITLES
from ui.classroom import load_rewrites, make_quiz, split_sentences
from ui.sources import _named

APP = str(PROJECT_ROOT / "app.py")
SEED = next(a for a in load_seeds() if a.name.startswith("002"))
ARTICLE = SEED.text
MODEL_SPANS = load_tagger().label(ARTICLE)


def start(page=None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def analysed(at=None) -> AppTest:
    at = at or start("views/analyse.py")
    at.text_area(key="article").input(ARTICLE)
    at.button(key="analyse").click().run()
    at.toggle(key="analyse_review_mode").set_value(True).run()
    assert not at.exception, at.exception
    return at


def texts(at) -> list[str]:
    return [m.value for m in at.markdown if m.value.startswith('<div class="slant-text')]


def marked(fragment: str) -> list[str]:
    """The highlighted pieces of a fragment, as text."""
    return [html.unescape(re.sub(r"<[^>]+>", "", m)) for m in re.findall(r"<mark .*?</mark>", fragment)]


def controls(at):
    return [c for c in at.segmented_control if c.key and c.key.startswith("analyse_decide|")]


def control_of(at, span):
    return next(c for c in controls(at) if c.key.endswith(f"|{span.start}|{span.end}|{span.technique}"))


def captions(at) -> str:
    return " ".join(c.value for c in at.caption)


def test_each_model_highlight_is_listed_with_one_control():
    at = analysed()
    assert len(controls(at)) == len(MODEL_SPANS)
    first = controls(at)[0]
    others = [f"→ {TITLES[t]}" for t in TECHNIQUES if t != MODEL_SPANS[0].technique]
    assert first.options == ["Keep", "Remove", *others]
    assert first.value is None  # undecided until the teacher says
    assert "not reviewed by a teacher yet" in captions(at)


def test_remove_keep_relabel_and_add_change_the_page_and_the_file(review_folder):
    at = analysed()
    wrong = next(s for s in MODEL_SPANS if s.technique == "foreign_hand")
    right = next(s for s in MODEL_SPANS if s.technique == "loaded_language")
    relabel = next(s for s in MODEL_SPANS if s.technique == "name_calling")
    control_of(at, wrong).set_value("Remove").run()
    control_of(at, right).set_value("Keep").run()
    control_of(at, relabel).set_value("→ Loaded language").run()
    assert not at.exception, at.exception
    missing = "Corpses lie right on the avenues"
    assert ARTICLE.count(missing) == 1
    at.text_input(key="analyse_add_words").input(missing)
    at.button(key="FormSubmitter:analyse_add_form-Add").click().run()
    assert not at.exception, at.exception

    saved = rv.load(ARTICLE, review_folder)
    assert rv.summary(saved) == "1 kept, 1 removed, 1 relabelled, 1 added"
    (text,) = texts(at)
    assert missing in marked(text)
    assert ARTICLE[wrong.start:wrong.end] not in marked(text)
    assert "added by the teacher" in html.unescape(text)
    assert "reviewed by the teacher" in captions(at)
    table = at.dataframe[-1].value
    assert list(table.columns) == ["source", "technique", "voice", "score", "start", "end", "text", "who"]
    assert len(table) == len(MODEL_SPANS)  # one removed, one added
    assert set(table[table["text"] == missing]["who"]) == {"added by the teacher"}
    assert not ((table["start"] == wrong.start) & (table["technique"] == TITLES["foreign_hand"])).any()
    assert set(table[table["start"] == relabel.start]["technique"]) == {TITLES["loaded_language"]}

    # A new session (a reload) finds the review saved and shows the decisions.
    again = analysed()
    assert control_of(again, wrong).value == "Remove"
    assert control_of(again, right).value == "Keep"
    assert control_of(again, relabel).value == "→ Loaded language"
    assert texts(again) == texts(at)

    # The model's own version is one switch away.
    again.toggle(key="use_reviews").set_value(False).run()
    assert missing not in marked(texts(again)[0])
    assert len(again.dataframe[-1].value) == len(MODEL_SPANS)
    assert set(again.dataframe[-1].value["who"]) == {"found by the model"}


def test_words_found_several_times_ask_which_occurrence(review_folder):
    at = analysed()
    words = "Almaty"
    count = ARTICLE.count(words)
    assert 1 < count <= 30
    at.text_input(key="analyse_add_words").input(words)
    at.button(key="FormSubmitter:analyse_add_form-Add").click().run()
    choices = [b for b in at.button if b.key and b.key.startswith("analyse_occurrence|")]
    assert len(choices) == count
    assert not rv.load(ARTICLE, review_folder)  # nothing added before the teacher chooses
    choices[1].click().run()
    (added,) = rv.load(ARTICLE, review_folder).added()
    second = ARTICLE.index(words, ARTICLE.index(words) + 1)
    assert (added.start, added.end, added.technique) == (second, second + len(words), "loaded_language")
    assert not [b for b in at.button if b.key and b.key.startswith("analyse_occurrence|")]


def test_words_not_in_the_text_get_a_message():
    at = analysed()
    at.text_input(key="analyse_add_words").input("words nowhere to be seen")
    at.button(key="FormSubmitter:analyse_add_form-Add").click().run()
    assert any("is not in the article" in w.value for w in at.warning)


def test_compare_counts_the_reviewed_spans_and_says_so(review_folder):
    foreign = [s for s in MODEL_SPANS if s.technique == "foreign_hand"]
    assert foreign
    at = start()
    picker = at.multiselect(key="compare_sources")
    picker.set_value([SEED.title]).run()
    assert at.dataframe[0].value["spans"].iloc[0] == len(MODEL_SPANS)
    review = rv.empty(ARTICLE)
    for span in foreign:
        review = rv.judge(review, span, None)
    rv.save(review, ARTICLE, review_folder)
    at.run()  # the next click on the page: the saved review is read again
    assert at.dataframe[0].value["spans"].iloc[0] == len(MODEL_SPANS) - len(foreign)
    overall = at.dataframe[0].value.iloc[0]
    assert overall["all"] == round(1000 * (len(MODEL_SPANS) - len(foreign)) / overall["words"], 1)
    assert f"reviewed by the teacher ({len(foreign)} removed)" in captions(at)
    other = next(o for o in picker.options if o != SEED.title)
    at.multiselect(key="compare_sources").set_value([SEED.title, other]).run()
    summary = " ".join(m.value for m in at.markdown)
    said = f"The highlights of {_named(SEED.title)} were reviewed by the teacher; the others are the model's."
    assert said in summary
    assert "found by the model, not reviewed by a teacher yet" in captions(at)


def test_a_damaged_review_file_is_refused_and_can_be_set_aside(review_folder):
    path = rv.path_for(rv.text_hash(ARTICLE), review_folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{not json", encoding="utf-8")
    at = analysed()
    assert any("damaged" in e.value for e in at.error)
    assert texts(at) and len(marked(texts(at)[0])) > 0  # the model's version still shows
    assert path.read_text(encoding="utf-8") == "{not json"
    at.button(key="analyse_set_aside").click().run()
    assert not at.exception, at.exception
    assert not path.exists()
    (aside,) = review_folder.glob("*.damaged-*.json")
    assert aside.read_text(encoding="utf-8") == "{not json"
    assert controls(at)  # a new review can start


BELARUS = next(a for a in load_seeds() if a.name.startswith("000"))
INFLAME = "inflame the situation"
ADDED = "armed clashes"  # in the quiz pair of seed 000 that holds a foreign_hand highlight; the model marks neither


def belarus_reviewed(review_folder):
    """Seed 000 reviewed as the browser test does: one foreign_hand highlight removed, "armed clashes" added
    as loaded language; returns the quiz pair whose original holds both, and the removed span."""
    text = BELARUS.text
    start_at = text.index(ADDED)
    pair = next(r for r in load_rewrites() if r.article == BELARUS.name and r.start <= start_at < r.end)
    wrong = next(s for s in load_tagger().label(text)
                 if s.technique == "foreign_hand" and pair.start <= s.start and s.end <= pair.end)
    review = rv.add(rv.judge(rv.empty(text), wrong, None), text, start_at, start_at + len(ADDED), "loaded_language")
    rv.save(review, text, review_folder)
    return pair, wrong


def test_the_quiz_shows_the_original_in_its_reviewed_version(review_folder):
    pair, wrong = belarus_reviewed(review_folder)
    seed = next(n for n in range(10_000) if make_quiz(load_rewrites(), n)[0].rewrite == pair)
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["quiz_seed"] = seed
    at.switch_page("views/quiz.py").run()  # straight to the quiz, on that order
    assert not at.exception, at.exception
    item = make_quiz(load_rewrites(), seed)[0]
    at.button(key=f"quiz_pick_{item.loaded}").click().run()
    assert not at.exception, at.exception
    name = "AB"[item.loaded]
    said = f"{name}: in its article, reviewed by the teacher, carries loaded language"
    assert any(said in c.value for c in at.caption)
    original = next(t for t in texts(at) if "added by the teacher" in html.unescape(t))
    assert ADDED in marked(original)
    assert BELARUS.text[wrong.start:wrong.end] not in marked(original)
    at.toggle(key="use_reviews").set_value(False).run()
    assert any("The model finds: in A" in c.value for c in at.caption)


def test_the_handout_offers_the_reviewed_version_and_the_model_one_click_away(review_folder):
    belarus_reviewed(review_folder)
    at = start("views/handout.py")
    at.selectbox(key="handout_source").select(BELARUS.title).run()
    assert at.radio(key="handout_basis").options == ["The human annotators", "Reviewed by the teacher", "The model"]
    at.radio(key="handout_basis").set_value("Reviewed by the teacher").run()
    assert not at.exception, at.exception
    page = html.unescape(at.get("iframe")[0].proto.srcdoc)
    assert "Slant's model, reviewed by the teacher (1 removed, 1 added)" in page
    assert f"<td>Loaded language</td><td>{ADDED}</td>" in page
    at.radio(key="handout_basis").set_value("The model").run()
    assert f"<td>Loaded language</td><td>{ADDED}</td>" not in html.unescape(at.get("iframe")[0].proto.srcdoc)


def test_spot_scores_a_pasted_article_against_the_reviewed_version(review_folder):
    text = "The ruling gang lied. Calm returned to the streets. They inflame the situation daily."
    at = start("views/spot.py")
    at.text_input(key="spot_paste_title").input("Short")
    at.text_area(key="spot_paste_text").input(text)
    at.button(key="spot_paste_add").click().run()
    start_at = text.index(INFLAME)
    rv.save(rv.add(rv.empty(text), text, start_at, start_at + len(INFLAME), "loaded_language"), text, review_folder)
    at.radio(key="spot_technique").set_value("loaded_language").run()
    at.checkbox(key=at.checkbox[2].key).check()
    at.button(key="spot_reveal").click().run()
    assert not at.exception, at.exception
    assert any("as reviewed by the teacher" in w.value for w in at.warning)
    assert any("Right: “inflame the situation”" in s.value for s in at.success)


def test_compare_has_the_review_panel_for_the_article_picked(review_folder):
    at = start()
    picker = at.multiselect(key="compare_sources")
    picker.set_value([SEED.title, BELARUS.title]).run()
    at.toggle(key="compare_review_mode").set_value(True).run()
    at.selectbox(key="compare_review_source").select(SEED.title).run()
    assert not at.exception, at.exception
    decide = [c for c in at.segmented_control if c.key.startswith("compare_decide|")]
    assert len(decide) == len(MODEL_SPANS)
    span = next(s for s in MODEL_SPANS if s.technique == "foreign_hand")
    next(c for c in decide if c.key.endswith(f"|{span.start}|{span.end}|foreign_hand")).set_value("Remove").run()
    assert rv.load(ARTICLE, review_folder).decision_on(span).decision == rv.REMOVED
    overall = at.dataframe[0].value.set_index("source")
    assert overall.loc[SEED.title, "spans"] == len(MODEL_SPANS) - 1
    table = at.dataframe[-1].value
    assert not ((table["source"] == SEED.title) & (table["start"] == span.start)
                & (table["technique"] == TITLES["foreign_hand"])).any()


def test_pasted_markup_in_the_review_panel_is_shown_as_text(review_folder):
    text = ("The ruling gang <script>alert(1)</script> staged a **bloodbath** [x](javascript:alert(2)), the puppets "
            "of the West said. The ruling gang <img src=x onerror=alert(3)> lied again.")
    at = start("views/analyse.py")
    at.text_area(key="article").input(text)
    at.button(key="analyse").click().run()
    at.toggle(key="analyse_review_mode").set_value(True).run()
    labels = [c.label for c in controls(at)]
    assert labels and all(re.search(r"(?<!\\)<", label) is None for label in labels)  # every < escaped
    at.text_input(key="analyse_add_words").input("the ruling gang")
    at.button(key="FormSubmitter:analyse_add_form-Add").click().run()
    choices = [b.label for b in at.button if b.key and b.key.startswith("analyse_occurrence|")]
    assert len(choices) == 2
    assert all(re.search(r"(?<!\\)<", label) is None for label in choices)
    assert r"\<script>" in choices[0] and r"\<img" in choices[1]
    assert not at.exception, at.exception


def test_the_rewrite_page_names_the_reviewed_highlights_of_the_sentence(review_folder):
    pair, _ = belarus_reviewed(review_folder)
    at = start("views/rewrite.py")
    at.selectbox(key="rewrite_source").select(BELARUS.title).run()
    box = at.selectbox(key=f"rewrite_sentence|{BELARUS.name}")
    index = next(s.index for s in split_sentences(BELARUS.text, load_page_furniture()[BELARUS.name])
                 if s.start <= pair.start < s.end)
    box.select_index(next(i for i, o in enumerate(box.options) if o.startswith(f"{index + 1}. "))).run()
    assert not at.exception, at.exception
    assert f"“{ADDED}” (loaded language)" in captions(at)
    assert "In the article, reviewed by the teacher" in captions(at)
