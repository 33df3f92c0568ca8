"""foreign_hand gold on PTC articles: the committed offsets validate against the corpus, broken lines are rejected."""
import json

import pytest

from model.data import DataError
from model.paths import PTC_DIR, PTC_FOREIGN_HAND_ROUNDS, PTC_FOREIGN_HAND_SPANS, PTC_SPLITS
from model.training.ptc_foreign_hand import load_ptc_foreign_hand, split

TEXT = "Protests in Ruritania\n\nThe protests were financed by the Kremlin, said the minister.\n"
PHRASE = "financed by the Kremlin"
START = TEXT.index(PHRASE)


def fake_corpus(tmp_path, spans, articles=("article1", "article2")):
    """A PTC folder with two articles, plus article list and span files; returns the loader's keyword arguments."""
    folder = tmp_path / "ptc"
    (folder / "train-articles").mkdir(parents=True, exist_ok=True)
    (folder / "train-articles" / "article1.txt").write_text(TEXT, encoding="utf-8")
    (folder / "train-articles" / "article2.txt").write_text("Weather\n\nIt rained.\n", encoding="utf-8")
    (folder / "train-task-flc-tc.labels").write_text("1\tDoubt\t0\t9\n", encoding="utf-8")
    (tmp_path / "articles.txt").write_text("".join(name + "\n" for name in articles), encoding="utf-8")
    lines = (s if isinstance(s, str) else json.dumps(s) for s in spans)
    (tmp_path / "spans.jsonl").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return {"folder": folder, "rounds": (tmp_path / "articles.txt",), "spans": tmp_path / "spans.jsonl"}


def record(**changes):
    line = {"article": "article1", "start": START, "end": START + len(PHRASE), "technique": "foreign_hand",
            "voice": "author"}
    line.update(changes)
    return line


def error(tmp_path, spans, **kwargs) -> str:
    with pytest.raises(DataError) as caught:
        load_ptc_foreign_hand(**fake_corpus(tmp_path, spans, **kwargs))
    return str(caught.value)


def test_listed_articles_load_with_their_foreign_hand_spans_and_negatives(tmp_path):
    first, second = load_ptc_foreign_hand(**fake_corpus(tmp_path, [record()]))
    assert [first.name, second.name] == ["article1", "article2"]
    (span,) = first.spans
    assert (span.start, span.technique, span.voice, span.text) == (START, "foreign_hand", "author", PHRASE)
    assert first.other == [(0, 9, "Doubt")], "the corpus' other techniques come along unchanged"
    assert second.spans == [], "a listed article without spans is a real negative"


def test_only_listed_articles_are_returned(tmp_path):
    (document,) = load_ptc_foreign_hand(**fake_corpus(tmp_path, [], articles=("article2",)))
    assert document.name == "article2"


@pytest.mark.parametrize(("line", "message"), [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "not a JSON object"),
    (record(text=PHRASE), "no 'text'"),
    (record(article="article9"), "'article9' is not in the list of annotated articles"),
    (record(start="3"), "must be integers"),
    (record(end=len(TEXT) + 1), "out of range for article1"),
    (record(start=10, end=10), "out of range"),
    (record(technique="loaded_language"), "technique must be 'foreign_hand'"),
    (record(voice="narrator"), "unknown voice 'narrator'"),
    (record(start=START - 1), "white space"),
])
def test_a_broken_line_is_rejected_naming_its_line(tmp_path, line, message):
    text = error(tmp_path, [record(article="article2", start=0, end=7), line])
    assert "spans.jsonl:2:" in text and message in text


def test_an_article_listed_but_not_listed_for_spans_is_an_error(tmp_path):
    text = error(tmp_path, [record()], articles=("article2",))
    assert "spans.jsonl:1:" in text and "not in the list of annotated articles" in text


def test_overlapping_spans_of_one_article_are_rejected(tmp_path):
    text = error(tmp_path, [record(), record(start=START + 9, end=START + len(PHRASE) + 5)])
    assert "spans.jsonl:2: span" in text and "overlaps line 1" in text


def test_an_unknown_or_repeated_article_in_the_list_is_rejected(tmp_path):
    assert "articles.txt:2: no PTC article named 'article7'" in error(tmp_path, [], articles=("article1", "article7"))
    assert "articles.txt:2: article1 is listed twice" in error(tmp_path, [], articles=("article1", "article1"))


def test_the_split_keeps_the_project_test_articles_in_test(tmp_path):
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"dev": ["2"], "test": ["1"], "far": ["3"]}), encoding="utf-8")
    names = ["article1", "article2", "article3"] + [f"article{n}" for n in range(100, 140)]
    parts = split(names, splits, rounds=())
    assert {"article1", "article3"} <= set(parts["test"]) and parts["dev"] == ["article2"]
    assert sorted(sum(parts.values(), [])) == sorted(names), "every article in exactly one part"
    assert len(parts["train"]) == 20 and len(parts["test"]) == 22, "the other 40 split half and half"
    assert split(list(reversed(names)), splits, rounds=()) == parts, "the split does not depend on the list's order"


def test_a_new_round_of_annotation_never_moves_an_article_of_an_earlier_one(tmp_path):
    splits = tmp_path / "splits.json"
    splits.write_text(json.dumps({"dev": [], "test": []}), encoding="utf-8")
    first = [f"article{n}" for n in range(100, 140)]
    second = [f"article{n}" for n in range(200, 230)]
    (tmp_path / "r1.txt").write_text("\n".join(first), encoding="utf-8")
    (tmp_path / "r2.txt").write_text("\n".join(second), encoding="utf-8")
    before = split(first, splits, rounds=(tmp_path / "r1.txt",))
    after = split(first + second, splits, rounds=(tmp_path / "r1.txt", tmp_path / "r2.txt"))
    assert all(set(before[part]) <= set(after[part]) for part in before)
    assert len(set(after["test"]) & set(second)) == 15


@pytest.mark.ptc
@pytest.mark.skipif(not PTC_DIR.is_dir(), reason="the PTC corpus is not in ../shared/ptc")
def test_the_committed_annotations_validate_against_the_corpus():
    documents = load_ptc_foreign_hand()
    listed = [name for path in PTC_FOREIGN_HAND_ROUNDS for name in path.read_text(encoding="utf-8").split()]
    assert [d.name for d in documents] == listed and len(listed) == 371, "every PTC article is annotated"
    lines = PTC_FOREIGN_HAND_SPANS.read_text(encoding="utf-8").splitlines()
    spans = [span for document in documents for span in document.spans]
    assert len(spans) == len(lines) >= 200
    for document in documents:
        for span in document.spans:
            assert span.text == document.text[span.start:span.end] == span.text.strip()
    assert {span.voice for span in spans} == {"author", "quoted"}
    lists = json.loads(PTC_SPLITS.read_text(encoding="utf-8"))
    train = split(listed)["train"]
    assert not any(name.removeprefix("article") in lists["test"] + lists["far"] for name in train)


def test_an_article_listed_in_two_rounds_is_refused(tmp_path):
    corpus = fake_corpus(tmp_path, [])
    (tmp_path / "again.txt").write_text("article1\n", encoding="utf-8")
    with pytest.raises(DataError, match="two rounds"):
        load_ptc_foreign_hand(corpus["folder"], (corpus["rounds"][0], tmp_path / "again.txt"), corpus["spans"])


def test_the_ptc_folder_given_is_the_one_read(tmp_path):
    from model.training.foreign_hand_train import ptc_parts

    assert ptc_parts(tmp_path / "absent") == {"train": [], "dev": [], "test": []}
