"""A teacher's review as plain Python: decisions, the reviewed spans, the files (round trip, refusals, atomic
writes, two sessions saving at once)."""
import json
import multiprocessing
import os
import threading

import pytest

from model import review as rv
from model.spans import Span

TEXT = ("The ruling gang staged mass pogroms, an official said. “Western puppets organised it,” he claimed.\n"
        "The bloodbath was inflamed by the West. Mass pogroms again.")


def at(phrase, nth=0):
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(phrase, start + 1)
    return start, start + len(phrase)


def model_span(phrase, technique, score=0.8, nth=0):
    start, end = at(phrase, nth)
    return Span(start, end, technique, score, "author", phrase)


GANG = model_span("ruling gang", "name_calling")
POGROMS = model_span("mass pogroms", "loaded_language")
WEST = model_span("inflamed by the West", "foreign_hand", 0.4)
MODEL = [GANG, POGROMS, WEST]


def test_no_review_gives_the_model_spans_unchanged():
    review = rv.empty(TEXT)
    assert not review
    assert rv.reviewed_spans(review, TEXT, MODEL) == MODEL


def test_keep_remove_relabel_and_add_give_the_reviewed_version():
    review = rv.empty(TEXT)
    review = rv.judge(review, GANG, "name_calling")  # kept
    review = rv.judge(review, WEST, None)  # removed
    review = rv.judge(review, POGROMS, "name_calling")  # another technique
    start, end = at("bloodbath")
    review = rv.add(review, TEXT, start, end, "loaded_language")
    spans = rv.reviewed_spans(review, TEXT, MODEL)
    assert [(s.text, s.technique) for s in spans] == [
        ("ruling gang", "name_calling"), ("mass pogroms", "name_calling"), ("bloodbath", "loaded_language")]
    assert rv.summary(review) == "1 kept, 1 removed, 1 relabelled, 1 added"
    assert rv.origin(review, spans[0]) == "found by the model, kept by the teacher"
    assert rv.origin(review, spans[1]).endswith("relabelled by the teacher")
    assert rv.origin(review, spans[2]) == "added by the teacher"
    assert rv.origin(review, model_span("Mass pogroms", "loaded_language")) == "found by the model, not reviewed yet"


def test_a_later_decision_on_a_span_replaces_the_earlier_one():
    review = rv.judge(rv.empty(TEXT), WEST, None, at=1.0)
    review = rv.judge(review, WEST, "foreign_hand", at=2.0)
    assert len(review.decisions) == 1 and review.decision_on(WEST).decision == rv.KEPT
    assert WEST in rv.reviewed_spans(review, TEXT, MODEL)


def test_kept_and_added_spans_stay_when_the_thresholds_hide_the_model_span():
    review = rv.judge(rv.empty(TEXT), WEST, "foreign_hand")
    assert [(s.start, s.technique) for s in rv.reviewed_spans(review, TEXT, [GANG])] == [
        (GANG.start, "name_calling"), (WEST.start, "foreign_hand")]


def test_a_withdrawn_addition_is_gone_and_stays_gone_after_a_merge(tmp_path):
    start, end = at("bloodbath")
    added = rv.add(rv.empty(TEXT), TEXT, start, end, "loaded_language", at=1.0)
    rv.save(added, TEXT, tmp_path)
    withdrawn = rv.withdraw(added, added.added()[0], at=2.0)
    assert rv.reviewed_spans(withdrawn, TEXT, []) == []
    saved = rv.save(withdrawn, TEXT, tmp_path)
    assert rv.reviewed_spans(saved, TEXT, []) == []
    assert rv.summary(saved) == "1 withdrawn"


def test_an_added_span_gets_the_guideline_voice():
    start, end = at("Western puppets")
    review = rv.add(rv.empty(TEXT), TEXT, start, end, "name_calling")
    assert rv.reviewed_spans(review, TEXT, [])[0].voice == "quoted"
    with pytest.raises(ValueError):
        rv.add(review, TEXT, 5, len(TEXT) + 1, "name_calling")
    with pytest.raises(ValueError):
        rv.add(review, TEXT, 5, 9, "whataboutism")


def test_typed_words_are_found_at_every_occurrence_case_blind():
    assert rv.find(TEXT, "mass  pogroms") == [at("mass pogroms")[0], at("Mass pogroms")[0]]
    assert rv.find(TEXT, "   ") == []
    assert rv.find(TEXT, "not there") == []
    assert rv.find("STRASSE straße", "straße") == [8]  # ß folds to two letters: searched as written


def full_review():
    review = rv.judge(rv.empty(TEXT, "An “article”"), GANG, "name_calling", at=1.0)
    review = rv.judge(review, WEST, None, at=2.0)
    review = rv.judge(review, POGROMS, "foreign_hand", at=3.0)
    start, end = at("bloodbath")
    return rv.add(review, TEXT, start, end, "loaded_language", at=4.0)


def test_a_saved_review_loads_back_to_the_same_spans_in_the_guideline_format(tmp_path):
    review = full_review()
    rv.save(review, TEXT, tmp_path)
    path = rv.path_for(rv.text_hash(TEXT), tmp_path)
    assert path.name == f"{rv.text_hash(TEXT)}.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    assert record["format"] == "slant-review" and record["text_length"] == len(TEXT)
    for item in record["spans"]:
        assert item["text"] == TEXT[item["start"]:item["end"]]
        assert {"start", "end", "technique", "voice", "text"} <= set(item)
    assert {(i["found_by"], i["decision"]) for i in record["spans"]} == {
        ("model", "kept"), ("model", "removed"), ("model", "relabelled"), ("reviewer", "added")}
    loaded = rv.load(TEXT, tmp_path)
    assert loaded == review
    assert rv.reviewed_spans(loaded, TEXT, MODEL) == rv.reviewed_spans(review, TEXT, MODEL)
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []  # no temporary file left


def test_the_folder_is_the_environment_variable_or_under_home(monkeypatch, tmp_path):
    monkeypatch.setenv(rv.ENV_FOLDER, str(tmp_path / "mine"))
    assert rv.folder() == tmp_path / "mine"
    monkeypatch.delenv(rv.ENV_FOLDER)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert rv.folder() == tmp_path / ".slant" / "reviews"
    assert rv.load(TEXT) == rv.empty(TEXT)  # nothing saved yet: an empty review, no folder made
    assert not (tmp_path / ".slant").exists()


DAMAGED = {
    "not JSON": (b'{"format": "slant-review", "spans": [', "damaged or not a Slant review"),
    "binary": (bytes(range(256)), "not UTF-8"),
    "foreign JSON": (b'{"name": "a notebook"}', "not a Slant review"),
    "another text": (json.dumps({"format": "slant-review", "version": 1, "text_sha256": "0" * 64,
                                 "spans": []}).encode(), "another text"),
    "newer version": (json.dumps({"format": "slant-review", "version": 9}).encode(), "version 9"),
}


@pytest.mark.parametrize("case", list(DAMAGED))
def test_a_damaged_or_foreign_file_is_refused_in_words(case):
    data, words = DAMAGED[case]
    with pytest.raises(rv.ReviewError, match=words):
        rv.from_json(data, TEXT, "x.json")


def edited(change):
    record = json.loads(rv.to_json(full_review(), TEXT))
    change(record["spans"][0])
    return json.dumps(record).encode()


@pytest.mark.parametrize("change, words", [
    (lambda s: s.update(text="other words"), "not the article's"),
    (lambda s: s.update(end=10**6), "not inside the text"),
    (lambda s: s.update(start="3"), "not inside the text"),
    (lambda s: s.update(technique="whataboutism"), "unknown technique"),
    (lambda s: s.update(voice="narrator"), "unknown voice"),
    (lambda s: s.update(decision="added"), "cannot be 'added'"),
    (lambda s: s.update(at="yesterday"), "not a time"),
    (lambda s: s.pop("found_by"), "expected exactly the keys"),
])
def test_a_damaged_span_is_refused_with_its_number(change, words):
    with pytest.raises(rv.ReviewError, match=f"span 1 is damaged.*{words}"):
        rv.from_json(edited(change), TEXT, "x.json")


def test_saving_over_a_damaged_file_loses_nothing_and_set_aside_keeps_its_bytes(tmp_path):
    path = rv.path_for(rv.text_hash(TEXT), tmp_path)
    path.write_bytes(b"{damaged")
    with pytest.raises(rv.ReviewError, match="damaged"):
        rv.load(TEXT, tmp_path)
    with pytest.raises(rv.ReviewError):
        rv.save(full_review(), TEXT, tmp_path)
    assert path.read_bytes() == b"{damaged"  # refused: left exactly as it was
    aside = rv.set_aside(TEXT, tmp_path)
    assert aside.read_bytes() == b"{damaged" and not path.exists()
    assert rv.save(full_review(), TEXT, tmp_path) == rv.load(TEXT, tmp_path) == full_review()


def test_a_write_that_fails_half_way_leaves_the_saved_review(tmp_path, monkeypatch):
    first = rv.judge(rv.empty(TEXT), GANG, None, at=1.0)
    rv.save(first, TEXT, tmp_path)

    def broken(*args):
        raise OSError("disk full")

    monkeypatch.setattr(rv.os, "replace", broken)
    with pytest.raises(OSError):
        rv.save(rv.judge(first, WEST, None, at=2.0), TEXT, tmp_path)
    monkeypatch.undo()
    assert rv.load(TEXT, tmp_path) == first
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


def test_a_colleague_file_of_the_same_text_merges_into_ours(tmp_path):
    mine = rv.judge(rv.empty(TEXT), GANG, None, at=1.0)
    rv.save(mine, TEXT, tmp_path / "me")
    theirs = rv.judge(rv.judge(rv.empty(TEXT), WEST, None, at=2.0), GANG, "name_calling", at=3.0)
    data = rv.to_json(theirs, TEXT).encode()
    merged = rv.import_file(data, TEXT, "colleague.json", tmp_path / "me")
    assert merged.decision_on(WEST).decision == rv.REMOVED
    assert merged.decision_on(GANG).decision == rv.KEPT  # theirs is later
    with pytest.raises(rv.ReviewError, match="another text"):
        rv.import_file(data, TEXT + " ", "colleague.json", tmp_path / "me")
    assert rv.load(TEXT, tmp_path / "me") == merged


def _one_session(where, index, count, ready):
    """A session deciding on its own spans, saving after each decision, as the page does."""
    ready.wait()
    review = rv.load(TEXT, where)
    for i in range(count):
        start = index * count + i
        review = rv.add(review, TEXT, start, start + 1, "loaded_language")
        review = rv.save(review, TEXT, where)


def test_two_sessions_saving_at_once_lose_no_decision(tmp_path):
    count = 40
    ready = multiprocessing.get_context("fork").Event()
    sessions = [multiprocessing.get_context("fork").Process(target=_one_session, args=(tmp_path, i, count, ready))
                for i in range(2)]
    for session in sessions:
        session.start()
    ready.set()
    for session in sessions:
        session.join(60)
        assert session.exitcode == 0
    saved = rv.load(TEXT, tmp_path)
    assert len(saved.added()) == 2 * count


def test_two_threads_of_one_server_saving_at_once_lose_no_decision(tmp_path):
    count = 30
    ready = threading.Event()
    threads = [threading.Thread(target=_one_session, args=(tmp_path, i, count, ready)) for i in range(2)]
    for thread in threads:
        thread.start()
    ready.set()
    for thread in threads:
        thread.join(60)
    assert len(rv.load(TEXT, tmp_path).added()) == 2 * count


def test_without_the_lock_two_sessions_would_lose_decisions(tmp_path, monkeypatch):
    """The test above can fail: with the lock taken away, a read-merge-write of one session overwrites the other's."""
    from contextlib import nullcontext

    monkeypatch.setattr(rv, "_locked", lambda path: nullcontext())
    real = rv._write_atomically
    first = threading.Event()

    def slow(path, content):  # the first writer waits until the second has read the old file
        if not first.is_set():
            first.set()
            second_read.wait(10)
        real(path, content)

    second_read = threading.Event()
    real_load = rv.load

    def load(text, where=None):
        found = real_load(text, where)
        if first.is_set():
            second_read.set()
        return found

    monkeypatch.setattr(rv, "_write_atomically", slow)
    monkeypatch.setattr(rv, "load", load)
    a = threading.Thread(target=rv.save, args=(rv.judge(rv.empty(TEXT), GANG, None), TEXT, tmp_path))
    b = threading.Thread(target=lambda: (first.wait(10), rv.save(rv.judge(rv.empty(TEXT), WEST, None), TEXT,
                                                                    tmp_path)))
    a.start(), b.start(), a.join(20), b.join(20)
    assert len(real_load(TEXT, tmp_path).decisions) == 1  # one session's decision was lost
    assert os.listdir(tmp_path)
