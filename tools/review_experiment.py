"""What teachers' reviews buy (issue 30): the review files of data/reviews/semeval_train (offsets and decisions
only), written again as the app writes them, for the SemEval texts they are of.

    .venv/bin/python tools/review_experiment.py OUT [--semeval FOLDER]

OUT then holds one review file per article (model/review.py), ready for

    python -m model train --reviews OUT --review-texts ../shared/semeval2025-t10/raw-documents --out MODEL
    TRAINVENV/bin/python -m model.training.build_token_head ENCODER --reviews OUT --review-texts ...

The decisions were made by a reader acting as a teacher on the committed model's default highlights of five
war-news articles of SemEval's `train` part (data/reviews/README.md); the documents of its `test` part are what the
change is measured on (`python -m model evaluate`, `tools/compare_models.py`).
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from model import review as rv  # noqa: E402
from model.data import read_exact_text  # noqa: E402
from model.paths import PROJECT_ROOT, SEMEVAL_DIR  # noqa: E402
from model.spans import Span  # noqa: E402

DECISIONS = PROJECT_ROOT / "data" / "reviews" / "semeval_train"
AT = 1796400000.0  # one fixed time for every decision, so that the files are the same on every run


def review_of(record: dict, text: str) -> rv.Review:
    """The review that a record of DECISIONS describes: the model's spans judged, the reviewer's added."""
    review = rv.empty(text, record["article"])
    for d in record["spans"]:
        if d["found_by"] == rv.MODEL:
            span = Span(d["start"], d["end"], d["model_technique"], 1.0, d["voice"])
            review = rv.judge(review, span, None if d["decision"] == rv.REMOVED else d["technique"], at=AT)
        else:
            review = rv.add(review, text, d["start"], d["end"], d["technique"], at=AT)
    return review


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--semeval", type=Path, default=SEMEVAL_DIR)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in sorted(DECISIONS.glob("*.json")):
        record = json.loads(read_exact_text(path))
        text = read_exact_text(args.semeval / "raw-documents" / f"{record['article']}.txt")
        review = rv.save(review_of(record, text), text, args.out)
        print(f"{record['article']}: {rv.summary(review)}")


if __name__ == "__main__":
    main()
