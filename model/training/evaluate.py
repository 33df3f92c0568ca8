"""Evaluation: `python -m model evaluate` scores the model on data it never trained on and writes model/metrics.json.

- PTC: the committed model (trained on the PTC `train` and `dev` splits and the seeds) on the PTC `test` split
  (random articles) and on the `far` split (a block of article ids never trained on), for loaded_language and
  name_calling.
- foreign_hand: the `test` parts of the SemEval and PTC documents we annotated for it, the five seeds (the component
  never trains on them), the held-out minimal pairs and EUvsDisinfo titles (ranking only).
- Seeds, loaded_language and name_calling: leave-one-seed-out. For each seed, a model trained as the committed one
  but without that seed labels it.
Beside the model, the phrase-memorisation baseline: it marks every occurrence of a phrase that was a span of that
technique in the same training data. Scoring: model/training/scoring.py (SemEval-2020 partial overlap).
"""
import json
import os
import re
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

from model.foreign_hand import CLAUSE_BREAK
from model.paths import MODEL_METRICS
from model.spans import Span, sort_spans
from model.techniques import TECHNIQUES
from model.tokens import word_spans
from model.training.scoring import Metrics, bootstrap, overall, score

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


# The keyword baseline of foreign_hand: the cue words of the guideline's definition, each marking its clause.
FOREIGN_HAND_CUES = re.compile(
    r"\b(?:instigat\w*|organi[sz]\w*|financ\w*|fund(?:ed|ing)|sponsor\w*|steer\w*|orchestrat\w*|foreign|outside"
    r"|abroad|the West|puppet\w*|colou?r revolutions?|behind)\b", re.IGNORECASE)


def keyword_clauses(text: str) -> list[Span]:
    """The foreign_hand baseline: each clause (text between punctuation, within a sentence) holding a cue word."""
    from model.tokens import sentence_spans

    out = []
    for s, e in sentence_spans(text):
        sentence = text[s:e]
        cuts = [0] + [m.start() for m in CLAUSE_BREAK.finditer(sentence)] + [len(sentence)]
        for a, b in zip(cuts, cuts[1:], strict=False):
            clause = sentence[a:b]
            words = [(x, y) for x, y in word_spans(clause) if any(ch.isalnum() for ch in clause[x:y])]
            if words and FOREIGN_HAND_CUES.search(clause):
                start, end = s + a + words[0][0], s + a + words[-1][1]
                out.append(Span(start, end, "foreign_hand", 1.0, "author", text[start:end]))
    return out


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


def foreign_hand_figures(pairs, baseline_pairs) -> dict:
    """Metrics of foreign_hand with bootstrap intervals, false alarms per document without a claim, and the keyword
    baseline's metrics, for (predicted, gold) pairs of documents."""
    model = score(pairs)["foreign_hand"]
    clean = [predicted for predicted, gold in pairs if not [s for s in gold if s.technique == "foreign_hand"]]
    alarms = sum(1 for predicted in clean for s in predicted if s.technique == "foreign_hand")
    return {"documents": len(pairs), "documents_without_claim": len(clean),
            "model": as_dict({"foreign_hand": model})["foreign_hand"],
            "interval_95": bootstrap(pairs, "foreign_hand"),
            "false_alarms_per_clean_document": round(alarms / max(len(clean), 1), 3),
            "baseline": as_dict({"foreign_hand": score(baseline_pairs)["foreign_hand"]})["foreign_hand"]}


def evaluate_foreign_hand(tagger, docs) -> dict:
    """The model (default thresholds) on held-out documents with foreign_hand gold, and how well its highest score
    per document ranks the documents with a claim above those without (ROC AUC)."""
    pairs = [([s for s in tagger.label(d.text) if s.technique == "foreign_hand"], d.spans) for d in docs]
    highest = [max(claim_scores(tagger, d.text), default=0.0) for d in docs]
    has_claim = [any(s.technique == "foreign_hand" for s in d.spans) for d in docs]
    return foreign_hand_figures(pairs, [(keyword_clauses(d.text), d.spans) for d in docs]) | {
        "document_auc": auc([h for h, y in zip(highest, has_claim, strict=True) if y],
                            [h for h, y in zip(highest, has_claim, strict=True) if not y])}


def claim_scores(tagger, text: str) -> list[float]:
    """The foreign_hand score of every sentence of `text`."""
    return [float(p) for p in tagger.foreign_hand.sentence_probabilities(text, tagger.encode(text))]


def auc(positives, negatives) -> float | None:
    """ROC AUC: how often a positive scores above a negative (ties count half); None without both."""
    if not positives or not negatives:
        return None
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return round(wins / (len(positives) * len(negatives)), 4)


def foreign_hand_pairs(tagger) -> dict:
    """On our held-out minimal pairs (model/training/pairs.py, `test` part: wordings never trained on): how often the
    positive text's highest score is above its negative's, and the span figures on the positives."""
    from model.training.pairs import load_pairs, pair_part

    pairs = [p for p in load_pairs() if pair_part(p) == "test"]
    wins, found = 0, []
    for pair in pairs:
        positive, negative = (max(claim_scores(tagger, t), default=0.0) for t in (pair.positive, pair.negative))
        wins += positive > negative
        for doc in pair.documents():
            found.append(([s for s in tagger.label(doc.text) if s.technique == "foreign_hand"], doc.spans))
    figures = foreign_hand_figures(found, [])
    return {"pairs": len(pairs), "positive_above_negative": round(wins / max(len(pairs), 1), 4),
            "model": figures["model"], "interval_95": figures["interval_95"],
            "false_alarms_per_negative": figures["false_alarms_per_clean_document"]}


def foreign_hand_titles_auc(tagger, euvsdisinfo_dir=None, years=(2019,)) -> dict:
    """How well the sentence probability ranks the EUvsDisinfo titles of `years` tagged with a foreign-hand topic
    above the others (ROC AUC). The model never trains on titles (docs/decisions/foreign-hand.md)."""
    from model.paths import EUVSDISINFO_DIR
    from model.training.foreign_hand_train import claim_titles

    titles = claim_titles(Path(euvsdisinfo_dir or EUVSDISINFO_DIR), years=set(years))
    scores = [(max(claim_scores(tagger, text), default=0.0), label) for text, label in titles]
    return {"years": list(years), "titles": len(titles), "tagged": sum(label for _, label in titles),
            "auc": auc([s for s, y in scores if y], [s for s, y in scores if not y])}


def evaluate_ptc(tagger, train_docs, test_docs, settings=(None,)):
    """On `test_docs`: for each threshold setting of `settings` (None: the defaults), the model's metrics and the 95 %
    bootstrap intervals of its precision, recall and F1 per technique from PTC; and the baseline's metrics. Each
    document is labelled at every setting in turn, so its sentences are encoded once."""
    memory = PhraseMemory(train_docs)
    pairs = [[] for _ in settings]
    for d in test_docs:
        for found, threshold in zip(pairs, settings, strict=True):
            found.append((tagger.label(d.text, threshold), d.spans))
    baseline = score((memory.label(d.text), d.spans) for d in test_docs)
    return [(score(p), {t: bootstrap(p, t) for t in FROM_PTC}) for p in pairs], baseline


def label_without_seed(ptc_docs, seeds, held_out, ptc_dir=None, head_unseen=None) -> tuple[list[Span], list[Span]]:
    """The spans that a model trained on `ptc_docs` (from `ptc_dir`), the other seeds and our group sentences finds
    in `held_out`, with the committed encoder's token head (`head_unseen`: the documents it did not train on,
    model/training/train.py), at its default and at its balanced thresholds."""
    from model.training.corpora import load_group_sentences
    from model.training.train import build

    others = [s for s in seeds if s.name != held_out.name]
    with tempfile.TemporaryDirectory() as tmp:
        tagger = build(ptc_docs, Path(tmp), {"leave_one_seed_out": held_out.name}, seeds=others, foreign_hand=False,
                       ptc_dir=ptc_dir, head_unseen=head_unseen, extra=load_group_sentences(),
                       log=lambda message: print(f"  without {held_out.name}: {message}", flush=True))
        return tagger.label(held_out.text), tagger.label(held_out.text, tagger.balanced_thresholds)


def evaluate_seeds(ptc_docs, seeds, ptc_dir=None, head_unseen=None):
    """Leave-one-seed-out: (model metrics, baseline metrics, per-seed model metrics, model metrics at the balanced
    thresholds)."""
    # The five trainings are independent: one process per core.
    with ProcessPoolExecutor(max_workers=min(len(seeds), os.cpu_count() or 1)) as pool:
        predictions = list(pool.map(label_without_seed, repeat(ptc_docs), repeat(seeds), seeds, repeat(ptc_dir),
                                    repeat(head_unseen)))
    pairs, balanced_pairs, baseline_pairs, per_seed = [], [], [], {}
    for held_out, (predicted, balanced) in zip(seeds, predictions, strict=True):
        others = [s for s in seeds if s.name != held_out.name]
        pairs.append((predicted, held_out.spans))
        balanced_pairs.append((balanced, held_out.spans))
        baseline_pairs.append((PhraseMemory(ptc_docs + others).label(held_out.text), held_out.spans))
        per_seed[held_out.name] = score([pairs[-1]])
    return score(pairs), score(baseline_pairs), per_seed, score(balanced_pairs)


def main(args=None) -> int:
    from model.data import load_seed_docs
    from model.tagger import load_tagger
    from model.training.corpora import is_far, load_ptc, load_splits, split_docs
    from model.training.foreign_hand_train import ptc_parts, semeval_documents
    from model.training.train import ptc_folder

    ptc_dir = ptc_folder(args, "evaluate")
    if ptc_dir is None:
        return 1
    started = time.perf_counter()
    tagger = load_tagger()
    splits = load_splits()
    ptc_docs = load_ptc(ptc_dir)
    train, dev, held_out = split_docs(ptc_docs, splits)
    test = [d for d in held_out if not is_far(d.name, splits)]
    far = [d for d in held_out if is_far(d.name, splits)]
    seeds = load_seed_docs()
    settings = (None, tagger.balanced_thresholds)
    ptc = {}
    for name, docs, about in (("ptc_test", test, "PTC test split, random articles"),
                              ("ptc_far", far, "PTC far split: the block of ids 999xxxxxx, never trained on")):
        ((model, intervals), (balanced, balanced_intervals)), baseline = evaluate_ptc(tagger, train + dev + seeds,
                                                                                     docs, settings)
        print(table(f"{about} ({len(docs)} articles), default thresholds {tagger.thresholds}", model, baseline,
                    FROM_PTC))
        print(f"  95 % intervals: {intervals}")
        print(table(f"{about}, balanced (best-F1) thresholds {tagger.balanced_thresholds}", balanced, baseline,
                    FROM_PTC))
        print(f"  95 % intervals: {balanced_intervals}")
        ptc[name] = {"articles": len(docs), "model": as_dict({t: model[t] for t in FROM_PTC}),
                     "baseline": as_dict({t: baseline[t] for t in FROM_PTC}), "interval_95": intervals,
                     "balanced": {"thresholds": tagger.balanced_thresholds,
                                  "model": as_dict({t: balanced[t] for t in FROM_PTC}),
                                  "interval_95": balanced_intervals}}

    # PTC has no foreign_hand labels of its own: that technique is measured on the documents we annotated for it.
    hand = {"semeval_test": evaluate_foreign_hand(tagger, semeval_documents(part="test")),
            "ptc_test": evaluate_foreign_hand(tagger, ptc_parts(ptc_dir, ptc=ptc_docs)["test"]),
            "seeds": evaluate_foreign_hand(tagger, seeds)}
    for name, figures in hand.items():
        m, b = figures["model"], figures["baseline"]
        print(f"foreign_hand, {name} ({figures['documents']} documents): P {m['precision']:.3f} R {m['recall']:.3f} "
              f"F1 {m['f1']:.3f} (95 % {figures['interval_95']['f1']}), false alarms per document without a claim "
              f"{figures['false_alarms_per_clean_document']}, document AUC {figures['document_auc']}; keyword "
              f"baseline F1 {b['f1']:.3f}")
    pairs = foreign_hand_pairs(tagger)
    print(f"foreign_hand, held-out minimal pairs ({pairs['pairs']}): positive above negative in "
          f"{pairs['positive_above_negative']:.1%}; span F1 {pairs['model']['f1']:.3f}")
    titles = foreign_hand_titles_auc(tagger)
    print(f"foreign_hand, EUvsDisinfo titles of {titles['years']}: AUC {titles['auc']}")
    seeds_figures = None
    if not getattr(args, "no_seeds", False):
        print(f"leave-one-seed-out of the CRF on {len(seeds)} seed articles (one model per seed; 10-15 min):")
        seed_model, seed_baseline, per_seed, seed_balanced = evaluate_seeds(train + dev, seeds, ptc_dir,
                                                                            {d.name for d in dev})
        print(table("seed articles, leave-one-seed-out", seed_model, seed_baseline, FROM_PTC))
        print(table("seed articles, leave-one-seed-out, balanced thresholds", seed_balanced, seed_baseline,
                    FROM_PTC))
        seeds_figures = {
            "articles": len(seeds),
            "model": as_dict({t: seed_model[t] for t in FROM_PTC}),
            "model_balanced": as_dict({t: seed_balanced[t] for t in FROM_PTC}),
            "baseline": as_dict({t: seed_baseline[t] for t in FROM_PTC}),
            "per_seed": {name: {t: v for t, v in as_dict(m).items() if t in FROM_PTC}
                         for name, m in per_seed.items()}}

    semeval = hand["semeval_test"]
    model = {t: m | {"interval_95": ptc["ptc_test"]["interval_95"][t]} for t, m in ptc["ptc_test"]["model"].items()}
    model |= {"foreign_hand": semeval["model"] | {"interval_95": semeval["interval_95"]}}
    where = {t: f"PTC test split, {len(test)} articles" for t in FROM_PTC} | {
        "foreign_hand": f"SemEval-2025 test documents we annotated ({semeval['documents']} documents)"}
    metrics = {t: m | {"data": where[t]} for t, m in model.items()} | {
        "baseline": ptc["ptc_test"]["baseline"] | {"foreign_hand": semeval["baseline"]},
        "ptc_test": ptc["ptc_test"],
        "ptc_test_balanced": {"articles": len(test)} | ptc["ptc_test"]["balanced"],
        "ptc_far": ptc["ptc_far"],
        "foreign_hand_semeval_test": semeval,
        "foreign_hand_real_news": {"articles": hand["ptc_test"]["documents"]} | hand["ptc_test"],
        "foreign_hand_seeds": hand["seeds"],
        "foreign_hand_pairs": pairs,
        "foreign_hand_titles": titles,
        "seeds_leave_one_out": seeds_figures,
        "thresholds": tagger.thresholds,
        "balanced_thresholds": tagger.balanced_thresholds,
        "default_threshold": tagger.default_threshold,
    }
    out = Path(args.out) if args is not None and getattr(args, "out", None) else MODEL_METRICS
    out.write_text(json.dumps(metrics, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out} in {time.perf_counter() - started:.0f} s")
    return 0
