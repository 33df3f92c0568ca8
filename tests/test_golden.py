"""The committed model says exactly what tests/golden/labels.jsonl records about the golden texts.

If a change of the model moves a span on purpose, regenerate the file with `python tools/golden.py --write` and
review its diff in the commit."""
import copy

from tools.golden import differences, label_all, read_golden


def test_committed_model_matches_golden_outputs():
    problems = differences(read_golden(), label_all())
    assert not problems, "\n".join(problems[:20])


def test_golden_outputs_cover_the_seeds_and_odd_texts():
    sources = [r["source"] for r in read_golden()]
    assert sum(s.startswith("data/seeds/") for s in sources) == 5
    assert {"tests/golden/texts/crlf.txt", "tests/golden/texts/non_english.txt"} <= set(sources)
    assert sum(len(r["spans"]) for r in read_golden()) > 0


def test_a_moved_span_or_score_is_a_difference():
    golden = read_golden()
    moved = copy.deepcopy(golden)
    span = next(r for r in moved if r["spans"])["spans"][0]
    span["end"] += 1
    assert any("span gone" in p for p in differences(golden, moved))
    rescored = copy.deepcopy(golden)
    next(r for r in rescored if r["spans"])["spans"][0]["score"] += 0.01
    assert any("score" in p for p in differences(golden, rescored))
    assert differences(golden, golden) == []
