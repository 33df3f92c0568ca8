"""Evaluation: `python -m model evaluate` scores the model on data it never trained on and writes model/metrics.json.

- PTC: the committed model (trained on the PTC `train` and `dev` splits and the seeds) on the PTC `test` split.
- Seeds: leave-one-seed-out. For each seed, a model trained as the committed one but without that seed labels it.
Beside the model, the phrase-memorisation baseline: it marks every occurrence of a phrase that was a span of that
technique in the same training data. Scoring: model/scoring.py (SemEval-2020 partial overlap).
"""
import json
import os
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

from model.paths import MODEL_METRICS
from model.scoring import Metrics, overall, score
from model.spans import Span, sort_spans
from model.techniques import TECHNIQUES

FROM_PTC = ("loaded_language", "name_calling")


class PhraseMemory:
    """The baseline: every span text seen in training, found again wherever it occurs (case-insensitive, whole
    words), longest phrase first."""

    def __init__(self, docs):
        phrases = {t: set() for t in TECHNIQUES}
        for doc in docs:
            for s in doc.spans:
                phrase = doc.text[s.start:s.end].strip()
                if phrase:
                    phrases[s.technique].add(phrase.lower())
        self.patterns = {}
        for technique, found in phrases.items():
            if found:
                alternatives = "|".join(re.escape(p) for p in sorted(found, key=lambda p: (-len(p), p)))
                self.patterns[technique] = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def label(self, text: str) -> list[Span]:
        spans = []
        for technique, pattern in self.patterns.items():
            spans += [Span(m.start(), m.end(), technique, 1.0, "author", m.group()) for m in pattern.finditer(text)]
        return sort_spans(spans)


def as_dict(metrics: dict[str, Metrics]) -> dict:
    return {t: {k: round(v, 4) if isinstance(v, float) else v for k, v in m._asdict().items()}
            for t, m in metrics.items()}


def table(title: str, model: dict[str, Metrics], baseline: dict[str, Metrics], techniques=TECHNIQUES) -> str:
    lines = [title, f"  {'technique':<16} {'P':>6} {'R':>6} {'F1':>6} {'pred':>5} {'gold':>5}   "
             f"{'baseline P':>10} {'R':>6} {'F1':>6}"]
    model, baseline = ({t: m[t] for t in techniques} for m in (model, baseline))
    for t in (*techniques, "all") if len(techniques) > 1 else techniques:
        m = model[t] if t != "all" else overall(model)
        b = baseline[t] if t != "all" else overall(baseline)
        lines.append(f"  {t:<16} {m.precision:6.3f} {m.recall:6.3f} {m.f1:6.3f} {m.n_predicted:5d} {m.n_gold:5d}   "
                     f"{b.precision:10.3f} {b.recall:6.3f} {b.f1:6.3f}")
    return "\n".join(lines)


def evaluate_ptc(tagger, train_docs, test_docs):
    memory = PhraseMemory(train_docs)
    model = score((tagger.label(d.text), d.spans) for d in test_docs)
    baseline = score((memory.label(d.text), d.spans) for d in test_docs)
    return model, baseline


def label_without_seed(ptc_docs, seeds, held_out, ptc_dir=None) -> list[Span]:
    """The spans that a model trained on `ptc_docs` (from `ptc_dir`) and the other seeds finds in `held_out`."""
    from model.train import build

    others = [s for s in seeds if s.name != held_out.name]
    with tempfile.TemporaryDirectory() as tmp:
        tagger = build(ptc_docs, Path(tmp), {"leave_one_seed_out": held_out.name}, seeds=others, ptc_dir=ptc_dir,
                       log=lambda message: print(f"  without {held_out.name}: {message}", flush=True))
        return tagger.label(held_out.text)


def evaluate_seeds(ptc_docs, seeds, ptc_dir=None):
    """Leave-one-seed-out: (model metrics, baseline metrics, per-seed model metrics)."""
    # The five trainings are independent: one process per core.
    with ProcessPoolExecutor(max_workers=min(len(seeds), os.cpu_count() or 1)) as pool:
        predictions = list(pool.map(label_without_seed, repeat(ptc_docs), repeat(seeds), seeds, repeat(ptc_dir)))
    pairs, baseline_pairs, per_seed = [], [], {}
    for held_out, predicted in zip(seeds, predictions, strict=True):
        others = [s for s in seeds if s.name != held_out.name]
        pairs.append((predicted, held_out.spans))
        baseline_pairs.append((PhraseMemory(ptc_docs + others).label(held_out.text), held_out.spans))
        per_seed[held_out.name] = score([pairs[-1]])
    return score(pairs), score(baseline_pairs), per_seed


def main(args=None) -> int:
    from model.data import load_ptc
    from model.foreign_hand import evaluate_real_news
    from model.tagger import load_tagger
    from model.train import load_seed_docs, load_splits, ptc_folder, split_docs

    ptc_dir = ptc_folder(args, "evaluate")
    if ptc_dir is None:
        return 1
    started = time.perf_counter()
    tagger = load_tagger()
    train, dev, test = split_docs(load_ptc(ptc_dir), load_splits())
    seeds = load_seed_docs()
    ptc_model, ptc_baseline = evaluate_ptc(tagger, train + dev + seeds, test)
    # PTC has no foreign_hand labels: that technique is measured on the seeds and on our PTC annotation below.
    print(table(f"PTC test split ({len(test)} articles), committed model, default thresholds {tagger.thresholds}",
                ptc_model, ptc_baseline, FROM_PTC))
    real_news = evaluate_real_news(tagger.thresholds["foreign_hand"], hand=tagger.foreign_hand, ptc_dir=ptc_dir)
    print(table(f"foreign_hand on {real_news['articles']} PTC articles we annotated for it (data/ptc_foreign_hand, "
                "never trained on)", {"foreign_hand": real_news["model"]}, {"foreign_hand": real_news["baseline"]},
                ("foreign_hand",)))
    print(f"leave-one-seed-out on {len(seeds)} seed articles (one model per seed, each cross-validated; 10-15 min):")
    seed_model, seed_baseline, per_seed = evaluate_seeds(train + dev, seeds, ptc_dir)
    print(table("seed articles, leave-one-seed-out", seed_model, seed_baseline))

    # The headline figure of each technique comes from the held-out data that has it: PTC has no foreign_hand.
    model = {t: (ptc_model if t in FROM_PTC else seed_model)[t] for t in TECHNIQUES}
    baseline = {t: (ptc_baseline if t in FROM_PTC else seed_baseline)[t] for t in TECHNIQUES}
    where = {t: f"PTC test split, {len(test)} articles" if t in FROM_PTC
             else f"seed articles, leave-one-seed-out ({len(seeds)} articles)" for t in TECHNIQUES}
    metrics = {t: m | {"data": where[t]} for t, m in as_dict(model).items()} | {
        "baseline": as_dict(baseline),
        "ptc_test": {"articles": len(test), "model": as_dict({t: ptc_model[t] for t in FROM_PTC}),
                     "baseline": as_dict({t: ptc_baseline[t] for t in FROM_PTC})},
        "foreign_hand_real_news": {"articles": real_news["articles"],
                                   "model": as_dict({"foreign_hand": real_news["model"]})["foreign_hand"],
                                   "baseline": as_dict({"foreign_hand": real_news["baseline"]})["foreign_hand"]},
        "seeds_leave_one_out": {"articles": len(seeds), "model": as_dict(seed_model),
                                "baseline": as_dict(seed_baseline),
                                "per_seed": {name: as_dict(m) for name, m in per_seed.items()}},
        "thresholds": tagger.thresholds,
        "default_threshold": tagger.default_threshold,
    }
    out = Path(args.out) if args is not None and getattr(args, "out", None) else MODEL_METRICS
    out.write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out} in {time.perf_counter() - started:.0f} s")
    return 0
