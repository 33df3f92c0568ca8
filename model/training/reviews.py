"""Teachers' reviews (model/review.py) as training data: each reviewed sentence becomes a small document whose spans
are the reviewed version, so a highlight the teacher removed is a negative there and one she added a positive.

Only the sentences holding a decision are used: elsewhere nobody looked, and a sentence the model left blank is not
known to be blank. In a reviewed sentence, the model's spans that the teacher left undecided count as she saw them
(`label`, the model that drew the page; without it they are left out, which teaches them as negatives).

    python -m model train --reviews ~/.slant/reviews --review-texts articles/
    python -m model.training.build_token_head OUT --reviews ~/.slant/reviews --review-texts articles/  (PyTorch)
"""
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import model.review as rv
from model.spans import Span
from model.tokens import sentence_spans


@dataclass(frozen=True)
class ReviewedSentence:
    """A document (name, text, spans) as the training code reads them."""
    name: str
    text: str
    spans: list[Span]
    other: tuple = ()


def texts_by_hash(texts: Iterable[str]) -> dict[str, str]:
    return {rv.text_hash(text): text for text in texts}


def read_texts(folder: Path) -> list[str]:
    """The .txt files under `folder` (UTF-8, as the app reads them), the articles that reviews are matched to."""
    from model.textio import InputError, read_text_file

    found = []
    for path in sorted(Path(folder).rglob("*.txt")):
        try:
            found.append(read_text_file(path))
        except (InputError, OSError) as err:
            print(f"{path}: skipped: {err}", file=sys.stderr)
    return found


def load_reviews(folder: Path, texts: dict[str, str], log=print) -> list[tuple[rv.Review, str]]:
    """Every review in `folder` whose text is among `texts` (by SHA-256), with its text; the others, and damaged
    files, are said on standard error and skipped."""
    found = []
    for path in sorted(Path(folder).glob("*.json")):
        text = texts.get(path.stem)
        if text is None:
            print(f"{path}: skipped: its article is not among the texts given (--review-texts)", file=sys.stderr)
            continue
        try:
            review = rv.from_json(path.read_bytes(), text, str(path))
        except rv.ReviewError as err:
            print(f"{path}: skipped: {err}", file=sys.stderr)
            continue
        if review:
            found.append((review, text))
    log(f"  reviews: {len(found)} reviewed articles in {folder}")
    return found


def reviews_from(folder: Path, review_texts: Path | None = None) -> list[tuple[rv.Review, str]]:
    """The reviews in `folder` of the seeds and of the .txt files under `review_texts` (what `--reviews` and
    `--review-texts` name in `python -m model train` and in the token head's build)."""
    from model.data import seed_texts

    texts = list(seed_texts().values())
    if review_texts is not None:
        texts += read_texts(Path(review_texts))
    return load_reviews(Path(folder), texts_by_hash(texts))


def reviewed_sentences(reviews: Iterable[tuple[rv.Review, str]],
                       label: Callable[[str], list[Span]] | None = None) -> list[ReviewedSentence]:
    """The sentences holding a decision, each a document with its reviewed spans (offsets into the sentence)."""
    out = []
    for review, text in reviews:
        model_spans = label(text) if label is not None else []
        spans = rv.reviewed_spans(review, text, model_spans)
        for number, (start, end) in enumerate(sentence_spans(text)):
            if not any(start <= d.start < end for d in review.decisions):
                continue
            inside = rv.within(spans, start, end)
            out.append(ReviewedSentence(f"review-{review.text_sha256[:12]}-{number}", text[start:end],
                                        [Span(s.start, s.end, s.technique, 1.0, s.voice) for s in inside]))
    return out


def counts(sentences: list[ReviewedSentence], reviews) -> dict[str, int]:
    """What the model card's `trained_on` says about the reviews."""
    decisions = [d for review, _ in reviews for d in review.decisions]
    return {"reviewed_articles": len(list(reviews)), "reviewed_sentences": len(sentences),
            "review_decisions": len(decisions),
            "review_removed": sum(d.decision == rv.REMOVED and d.found_by == rv.MODEL for d in decisions),
            "review_added": sum(d.decision == rv.ADDED for d in decisions)}
