"""The teacher's review of five SemEval articles (data/reviews/semeval_train) becomes review files the app and the
training read back to the same decisions (tools/review_experiment.py)."""
import json

import pytest

from model import review as rv
from model.data import read_exact_text
from model.paths import SEMEVAL_DIR
from model.techniques import TECHNIQUES
from tools.review_experiment import DECISIONS, review_of

RECORDS = [json.loads(read_exact_text(p)) for p in sorted(DECISIONS.glob("*.json"))]


def test_the_committed_decisions_are_offsets_and_decisions_only():
    assert len(RECORDS) == 5
    for record in RECORDS:
        for d in record["spans"]:
            assert set(d) <= {"start", "end", "technique", "voice", "found_by", "decision", "model_technique"}
            assert 0 <= d["start"] < d["end"] and d["technique"] in TECHNIQUES
            assert d["decision"] in rv.DECISIONS[d["found_by"]]


@pytest.mark.skipif(not (SEMEVAL_DIR / "raw-documents").is_dir(), reason="needs the SemEval-2025 documents")
def test_each_review_file_loads_back_to_its_decisions(tmp_path):
    for record in RECORDS:
        text = read_exact_text(SEMEVAL_DIR / "raw-documents" / f"{record['article']}.txt")
        saved = rv.save(review_of(record, text), text, tmp_path)
        loaded = rv.load(text, tmp_path)
        assert loaded.by_key() == saved.by_key()
        assert sorted((d.start, d.end, d.technique, d.decision) for d in loaded.decisions) == sorted(
            (d["start"], d["end"], d["technique"], d["decision"]) for d in record["spans"])
