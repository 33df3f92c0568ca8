"""Teachers' reviews as training data (model/training/reviews.py), on toy data: a removed highlight teaches a
negative, an added one a positive, and `python -m model train --reviews` reads the review folder."""
import json

from model import review as rv
from model.training.reviews import counts, load_reviews, read_texts, reviewed_sentences, texts_by_hash
from model.training.train import build
from tests.toy_docs import Doc, toy_article


def base_doc(i: int) -> Doc:
    """'bloodthirsty' and 'barbaric' are loaded language, 'clowns' is (wrongly) marked as name calling."""
    return toy_article(f"base{i}", ["bloodthirsty", "barbaric"][i % 2], "clowns", i)


def review_text(i: int) -> str:
    return (f"The savage attack shocked the village on day {i}. Critics called the ministers clowns of the fund.\n"
            f"Nothing else happened on day {i}, and the shops were open.\n")


def teacher(text: str, label) -> rv.Review:
    """A teacher's review: 'clowns' removed, the missed 'savage' added, the rest of the model's highlights kept."""
    review = rv.empty(text)
    for span in label(text):
        review = rv.judge(review, span, None if text[span.start:span.end] == "clowns" else span.technique)
    start = text.index("savage")
    return rv.add(review, text, start, start + len("savage"), "loaded_language")


def score_of(tagger, text: str, word: str, technique: str) -> float:
    return max((s.score for s in tagger.label(text, threshold=0.0)
                if s.technique == technique and word in text[s.start:s.end]), default=0.0)


def quiet(*args):
    pass


def test_removed_highlights_become_negatives_and_added_ones_positives(tmp_path):
    base = build([base_doc(i) for i in range(24)], tmp_path / "base", {}, foreign_hand=False, encoder_dir=None,
                 log=quiet)
    texts = [review_text(i) for i in range(12)]
    reviews = [(teacher(text, base.label), text) for text in texts]
    sentences = reviewed_sentences(reviews, base.label)
    # Only the sentences with a decision: the first two of each review text, not the third.
    assert len(sentences) == 24
    savage, clowns = sentences[:2]
    assert savage.text + " " + clowns.text == texts[0].split("\n")[0]
    assert [(savage.text[s.start:s.end], s.technique) for s in savage.spans] == [("savage", "loaded_language")]
    assert clowns.spans == []  # the removed highlight: a negative
    assert counts(sentences, reviews)["review_added"] == 12

    reviewed = build([base_doc(i) for i in range(24)], tmp_path / "reviewed", {}, foreign_hand=False,
                     encoder_dir=None, log=quiet, reviewed=sentences)
    unseen = "Yesterday the savage attack shocked the city. Critics called the judges clowns of the court."
    assert score_of(reviewed, unseen, "savage", "loaded_language") > score_of(base, unseen, "savage",
                                                                              "loaded_language")
    assert score_of(reviewed, unseen, "clowns", "name_calling") < score_of(base, unseen, "clowns", "name_calling")


def test_reviews_are_matched_to_their_texts_and_bad_files_are_skipped(tmp_path, capsys):
    texts = [review_text(i) for i in range(3)]
    for text in texts[:2]:
        start = text.index("savage")
        rv.save(rv.add(rv.empty(text), text, start, start + 6, "loaded_language"), text, tmp_path / "reviews")
    (tmp_path / "reviews" / f"{rv.text_hash(texts[2])}.json").write_text("{broken", encoding="utf-8")
    (tmp_path / "reviews" / f"{'0' * 64}.json").write_text("{}", encoding="utf-8")
    (tmp_path / "articles").mkdir()
    for i, text in enumerate(texts):
        (tmp_path / "articles" / f"{i}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "articles" / "bad.txt").write_bytes(b"not \x80\x81 UTF-8")
    found = load_reviews(tmp_path / "reviews", texts_by_hash(read_texts(tmp_path / "articles")), log=quiet)
    assert sorted(text for _, text in found) == sorted(texts[:2])
    said = capsys.readouterr().err
    assert "damaged" in said and "not among the texts given" in said and "bad.txt: skipped" in said


def test_the_train_command_takes_a_review_folder(monkeypatch, tmp_path):
    from model import __main__ as cli
    from model.training import train

    called = {}
    monkeypatch.setattr(train, "build_from_corpora", lambda out, ptc, encoder, reviews: called.update(
        reviews=reviews))
    monkeypatch.setattr(train, "ptc_folder", lambda args, purpose: tmp_path)
    monkeypatch.setattr("model.paths.SEMEVAL_DIR", tmp_path)
    (tmp_path / "raw-documents").mkdir()
    text = review_text(0)
    start = text.index("savage")
    rv.save(rv.add(rv.empty(text), text, start, start + 6, "loaded_language"), text, tmp_path / "reviews")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    assert cli.main(["train", "--reviews", str(tmp_path / "reviews"), "--review-texts", str(tmp_path),
                     "--out", str(tmp_path / "out")]) == 0
    ((review, reviewed_text),) = called["reviews"]
    assert reviewed_text == text and review.added()[0].start == start
    assert json.loads(rv.to_json(review, text))["spans"][0]["found_by"] == "reviewer"
