"""Our minimal pairs for foreign_hand: they load and check, their test part is new wordings, and none of them reuses
a sentence of a held-out document (SemEval and PTC test parts)."""
import json

import pytest

from model.data import DataError
from model.paths import PTC_DIR, SEMEVAL_DIR
from model.tokens import sentence_spans
from model.training.pairs import MAX_PER_PATTERN, load_pairs, pair_part


def line(**change) -> str:
    record = {"id": "X-1", "pattern": "X:installed/welcomed", "kind": "puppet_government",
              "contrast": "diplomacy_statement", "actor": "Washington", "voice": "author", "register": "report",
              "positive": "Washington installed the government in Kyiv.",
              "claim": "Washington installed the government",
              "negative": "Washington welcomed the government in Kyiv."} | change
    return json.dumps(record)


def test_the_committed_pairs_load_and_their_test_part_has_wordings_never_trained_on():
    pairs = load_pairs()
    assert len(pairs) >= 1500
    test = {p.pattern for p in pairs if pair_part(p) == "test"}
    train = {p.pattern for p in pairs if pair_part(p) == "train"}
    assert not test & train
    assert 0.15 <= sum(pair_part(p) == "test" for p in pairs) / len(pairs) <= 0.3
    for pair in pairs:
        start, end = pair.span
        assert pair.positive[start:end] == pair.claim and pair.negative != pair.positive


@pytest.mark.parametrize("change, message", [
    ({"claim": "installed the government in Belgrade"}, "not exactly once"),
    ({"voice": "narrator"}, "unknown voice"),
    ({"negative": "Washington installed the government in Kyiv."}, "the same"),
    ({"claim": " Washington"}, "not exactly once|white space"),
])
def test_a_broken_pair_is_refused_naming_its_file_and_line(tmp_path, change, message):
    (tmp_path / "a.jsonl").write_text(line() + "\n" + line(id="X-2", **change) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=rf"a\.jsonl:2: .*({message})"):
        load_pairs(tmp_path)


def test_a_text_used_twice_and_an_overused_pattern_are_refused(tmp_path):
    (tmp_path / "a.jsonl").write_text(line() + "\n" + line(id="X-2") + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="used twice"):
        load_pairs(tmp_path)
    lines = [line(id=f"X-{i}", positive=f"Washington installed the government in Kyiv {i}.",
                  negative=f"Washington welcomed the government in Kyiv {i}.") for i in range(MAX_PER_PATTERN + 1)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="used 11 times"):
        load_pairs(tmp_path)


def held_out_sentences() -> set[str]:
    from model.training.foreign_hand_train import ptc_parts, semeval_documents

    docs = semeval_documents(SEMEVAL_DIR, "test") + ptc_parts()["test"]
    return {" ".join(d.text[s:e].split()).lower() for d in docs for s, e in sentence_spans(d.text)
            if len(d.text[s:e].split()) >= 6}


@pytest.mark.skipif(not (SEMEVAL_DIR / "raw-documents").is_dir() or not PTC_DIR.is_dir(),
                    reason="the corpora are not in ../shared")
def test_no_pair_reuses_a_sentence_of_a_held_out_document():
    held_out = held_out_sentences()
    assert len(held_out) > 1000
    reused = [p.id for p in load_pairs() for text in (p.positive, p.negative)
              for s, e in sentence_spans(text) if " ".join(text[s:e].split()).lower() in held_out]
    assert not reused
