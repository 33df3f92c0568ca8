"""Training: `python -m model train` rebuilds the committed model files in model/weights/ from the data.

`build(docs, ...)` trains the pipeline (model/tagger.py) and returns it, loaded from the folder it wrote; its
hyperparameters are a `Params` argument; `build_from_corpora(folder)` is the committed model's recipe. The token
tagger (model/token_tagger.py) is a linear-chain CRF (crfsuite) over BIO labels for loaded_language and name_calling,
trained on the PTC articles of the `train` and `dev` splits, the seed gold and our group sentences, with a per-token
logistic regression on the same features. Span scores are calibrated, and default thresholds chosen, on out-of-fold
candidates: `Params.cv_folds` CRFs (and regressions), each trained without one fold of the PTC articles, label that
fold. When the encoder has a token head (model/training/build_token_head.py, trained on the `train` split), its share
is chosen, and the calibration and thresholds fitted, on the out-of-fold candidates of the `dev` split only, the
articles the head never saw. The `test` split is only read by `python -m model evaluate`.
"""
import random
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pycrfsuite

from model.data import load_seed_docs
from model.encoder import ENCODER_DIR
from model.features import CueWords, Features, Sentence, Valence, WordClasses, split_sentences, token_tags
from model.paths import PTC_DIR, WEIGHTS_DIR, WORD_CLASSES
from model.spans import Span
from model.tagger import Tagger
from model.techniques import TOKEN_TECHNIQUES
from model.token_tagger import CANDIDATE_FLOOR, CRF_FILE, TokenTagger
from model.training.corpora import load_group_sentences, load_ptc, load_splits, split_docs
from model.training.scoring import score

# When spans of both techniques cover a token, the more specific one (name calling) labels it.
PRIORITY = ("name_calling", "loaded_language")
THRESHOLD_GRID = tuple(round(0.05 * i, 2) for i in range(1, 20))


@dataclass(frozen=True)
class Params:
    """What `build` learns with; the defaults make the committed model (docs/decisions/ say why each)."""
    seed: int = 20191103
    crf: tuple = (("c1", 0.3), ("c2", 0.1), ("max_iterations", 150), ("feature.possible_transitions", True))
    token_lr_c: float = 0.1  # inverse L1 strength of the per-token logistic regression
    cue_folds: int = 5  # the CRF trains on cue words learnt without its own fold
    cv_folds: int = 4  # calibration and thresholds come from the candidates of this many out-of-fold CRFs
    # The token head's shares in a token's probability tried on the dev split (0: the CRF alone), each with each
    # candidate floor: a token below it ends a run.
    head_shares: tuple[float, ...] = (0.0, 0.25, 0.5, 0.75)
    floors: tuple[float, ...] = (0.1, 0.2, 0.3)
    # The default threshold of a technique is the lowest at which its out-of-fold precision reaches this; the
    # best-F1 threshold ("balanced") is the app's other setting, one move away.
    sure_precision: float = 0.5


def bio_labels(sentence: Sentence, spans) -> list[str]:
    """One BIO label per token; a token starts a span (B) when the token before it is outside that same span."""
    labels, previous = [], None
    for s, e in sentence.tokens:
        covering = [sp for sp in spans if sp.start < e and s < sp.end and sp.technique in TOKEN_TECHNIQUES]
        if not covering:
            labels.append("O")
            previous = None
            continue
        span = min(covering, key=lambda sp: (PRIORITY.index(sp.technique), sp.end - sp.start))
        labels.append(("I-" if span is previous else "B-") + span.technique)
        previous = span
    return labels


def labelled_sentences(docs):
    """(sentence, BIO labels, per-token technique sets) for every sentence of every document."""
    out = []
    for doc in docs:
        spans = sorted(doc.spans, key=lambda sp: sp.start)
        for sentence in split_sentences(doc.text):
            inside = [sp for sp in spans if sp.start < sentence.end and sentence.start < sp.end]
            out.append((sentence, bio_labels(sentence, inside), token_tags(sentence, inside), doc.name))
    return out


def learn_cues(rows) -> CueWords:
    return CueWords.learn(((r[0].words, r[2]) for r in rows), TOKEN_TECHNIQUES)


def training_sequences(rows, valence: Valence, classes: WordClasses, params: Params):
    """Feature sequences whose cue words come from the other folds, so the CRF does not learn to trust cue words
    more than they deserve on unseen text (the cue list of a fold never saw that fold's spans)."""
    fold_of = folds_by_name({r[3] for r in rows}, params.cue_folds, params.seed)
    cues_for = [learn_cues([r for r in rows if fold_of[r[3]] != k]) for k in range(params.cue_folds)]
    features_for = [Features(cues, valence, classes) for cues in cues_for]
    for sentence, labels, _, name in rows:
        yield features_for[fold_of[name]].sentence(sentence.words), labels


def fit_crf(docs, crf_path: Path, params: Params, log=print) -> tuple[Features, dict]:
    """Train the CRF on `docs` (objects with name, text, spans) and write it to `crf_path`, and the per-token
    logistic regression on the same features; returns the features to use at labelling time (cue words learnt from
    all of `docs`) and the regression as JSON."""
    rows = labelled_sentences(docs)
    valence, classes = Valence.from_vader(), WordClasses.read(WORD_CLASSES)
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    trainer.set_params(dict(params.crf))
    for xseq, yseq in training_sequences(rows, valence, classes, params):
        trainer.append(xseq, yseq)
    started = time.perf_counter()
    trainer.train(str(crf_path))
    log(f"  CRF: {len(rows)} sentences, {len(trainer.logparser.iterations)} iterations, "
        f"{time.perf_counter() - started:.0f} s")
    trainer.clear()
    # The sequences again (a few seconds) rather than all of them kept in memory beside crfsuite's copy.
    return Features(learn_cues(rows), valence, classes), fit_token_lr(
        training_sequences(rows, valence, classes, params), params)


def fit_token_lr(sequences, params: Params) -> dict:
    """Per technique, an L1 logistic regression of "this token is inside a span of the technique" on the token's CRF
    features, as JSON: {"bias": {technique: b}, "weights": {technique: {feature: w}}} (non-zero weights only)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    labels = []

    def tokens():
        for xseq, yseq in sequences:
            labels.extend(yseq)
            yield from map(Counter, xseq)

    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform(tokens())
    x.indices, x.indptr = x.indices.astype("int32"), x.indptr.astype("int32")  # liblinear takes 32-bit indices
    names = vectorizer.get_feature_names_out()
    bias, weights = {}, {}
    for tech in TOKEN_TECHNIQUES:
        y = [label.endswith(tech) for label in labels]
        lr = LogisticRegression(C=params.token_lr_c, l1_ratio=1.0, solver="liblinear",
                                random_state=params.seed).fit(x, y)
        bias[tech] = round(float(lr.intercept_[0]), 6)
        weights[tech] = {str(names[i]): round(float(w), 6) for i, w in enumerate(lr.coef_[0]) if round(float(w), 6)}
    return {"bias": bias, "weights": weights}


def fit_calibration(candidates, docs) -> dict[str, list[float]]:
    """Platt scaling per technique: P(candidate overlaps a gold span of its technique | raw score), fitted on
    held-out candidates (`candidates[i]` are those of `docs[i]`, from a CRF that did not train on it)."""
    from sklearn.linear_model import LogisticRegression

    raw = {t: ([], []) for t in TOKEN_TECHNIQUES}
    for found, d in zip(candidates, docs, strict=True):
        for start, end, tech, r in found:
            hit = any(g.technique == tech and g.start < end and start < g.end for g in d.spans)
            raw[tech][0].append([r])
            raw[tech][1].append(int(hit))
    calibration = {}
    for tech, (x, y) in raw.items():
        if len(set(y)) < 2:
            calibration[tech] = [1.0, 0.0]
            continue
        lr = LogisticRegression(C=100.0).fit(x, y)
        calibration[tech] = [round(float(lr.coef_[0][0]), 6), round(float(lr.intercept_[0]), 6)]
    return calibration


def choose_thresholds(tagger: TokenTagger, candidates, docs) -> tuple[dict[str, float], float, dict]:
    """Per technique, the threshold with the best F1 of the held-out `candidates` (calibrated by `tagger`) on
    `docs`; the single threshold best for their mean; and the metrics at every threshold of THRESHOLD_GRID. Of
    thresholds with the same F1, the highest: below the lowest score a candidate can have, every threshold keeps
    them all."""
    scored = [([Span(s, e, tech, tagger.calibrated(tech, raw)) for s, e, tech, raw in found], d.spans)
              for found, d in zip(candidates, docs, strict=True)]
    by_threshold = {}
    for th in THRESHOLD_GRID:
        pairs = [([s for s in pred if s.score >= th], gold) for pred, gold in scored]
        by_threshold[th] = score(pairs)
    best = {t: max(THRESHOLD_GRID, key=lambda th, t=t: (by_threshold[th][t].f1, th)) for t in TOKEN_TECHNIQUES}
    shared = max(THRESHOLD_GRID, key=lambda th: (sum(by_threshold[th][t].f1 for t in TOKEN_TECHNIQUES), th))
    return best, shared, by_threshold


def sure_thresholds(curve, balanced: dict[str, float], precision: float = Params.sure_precision) -> dict[str, float]:
    """Per technique, the lowest threshold of `curve` (metrics by threshold) with at least that `precision` and at
    least one span, never below its `balanced` one; the balanced one where none reaches it."""
    return {t: min((th for th, m in curve.items() if th >= balanced[t] and m[t].n_predicted
                    and m[t].precision >= precision), default=balanced[t]) for t in balanced}


def folds_by_name(names, folds: int, seed: int) -> dict[str, int]:
    """A fold of `folds` for each distinct name: the sorted names shuffled with `seed`, dealt out in turn."""
    names = sorted(set(names))
    random.Random(seed).shuffle(names)
    return {name: i % folds for i, name in enumerate(names)}


def article_folds(docs, params: Params) -> list[int]:
    """The cross-validation fold of each document (by article, fixed seed)."""
    fold_of = folds_by_name((d.name for d in docs), params.cv_folds, params.seed)
    return [fold_of[d.name] for d in docs]


def _train_and_label(train_docs, held_docs, params: Params, pieces=None, variants=((0.0, 0.1),)):
    """Train a CRF on `train_docs`; return (its file's bytes, its manifest entries, the raw candidates of each of
    `held_docs` for each (head share, candidate floor) of `variants`, with the token head's `pieces` of each
    document by name). One job of fit_token_tagger()'s process pool."""
    with tempfile.TemporaryDirectory() as tmp:
        crf_tmp = Path(tmp) / CRF_FILE
        features, token_lr = fit_crf(train_docs, crf_tmp, params, log=lambda message: None)
        manifest = {"cue_words": features.cues.to_json(), "valence": features.valence.to_json(),
                    "token_lr": token_lr, "calibration": {}}
        tagger = TokenTagger(crf_tmp, manifest, WORD_CLASSES)
        return crf_tmp.read_bytes(), manifest, [
            {(share, floor): tagger.candidates(d.text, (pieces or {}).get(d.name), share, floor)
             for share, floor in variants}
            for d in held_docs]


def fit_token_tagger(docs, work: Path, seeds=(), extra=(), encoder=None, head_unseen=None, params: Params = Params(),
                     workers=1, log=print) -> tuple[TokenTagger, dict[str, float], dict[str, float], float]:
    """The loaded_language / name_calling component, its CRF trained on `docs` + `seeds` + `extra` and written into
    the folder `work`; with its default thresholds (the lowest whose precision reaches `params.sure_precision`), its
    balanced ones (best F1) and the best shared one.

    When `encoder` has a token head, the head's share and the candidate floor are chosen (`params.head_shares`,
    `params.floors`), scores calibrated and thresholds chosen, on the out-of-fold candidates of the documents named
    in `head_unseen` (those the head did not train on); without a head, on those of all `docs`. Each of the
    `params.cv_folds` out-of-fold CRFs trains on the other folds + `seeds` + `extra`; `workers` processes train them.
    """
    from model.token_tagger import head_pieces

    docs, seeds, extra = list(docs), list(seeds), list(extra)
    variants, pieces, calibrating = ((0.0, CANDIDATE_FLOOR),), None, docs
    if encoder is not None and encoder.has_head:
        from model.tokens import sentence_spans

        variants = tuple((share, floor) for share in params.head_shares for floor in params.floors)
        calibrating = [d for d in docs if d.name in (head_unseen or ())]
        if not calibrating:
            raise ValueError("the encoder has a token head: name the documents it did not train on (head_unseen)")
        pieces = {d.name: head_pieces(encoder.encode(d.text, sentence_spans(d.text))) for d in calibrating}
    calibrated_names = {d.name for d in calibrating}
    folds = article_folds(docs, params)
    jobs = [([d for d, f in zip(docs, folds, strict=True) if f != k] + seeds + extra,
             [d for d, f in zip(docs, folds, strict=True) if f == k and d.name in calibrated_names], params, pieces,
             variants) for k in range(params.cv_folds)]
    jobs.append((docs + seeds + extra, [], params, None, variants))
    started = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(_train_and_label, *zip(*jobs, strict=True)))
    else:
        results = [_train_and_label(*job) for job in jobs]
    log(f"  CRF: {params.cv_folds} out-of-fold models and the final one on {len(docs)} + {len(seeds)} + {len(extra)} "
        f"documents, {time.perf_counter() - started:.0f} s")
    held = [d for _, held_docs, *_ in jobs[:params.cv_folds] for d in held_docs]
    by_variant = [found for _, _, per_doc in results[:params.cv_folds] for found in per_doc]
    crf_bytes, manifest, _ = results[-1]
    crf_path = Path(work) / CRF_FILE
    crf_path.write_bytes(crf_bytes)
    fitted = {}  # (share, floor) -> (mean F1, calibration, thresholds, shared threshold, metrics by threshold)
    for variant in variants:
        candidates = [found[variant] for found in by_variant]
        calibration = fit_calibration(candidates, held)
        calibrated = TokenTagger(crf_path, dict(manifest, calibration=calibration), WORD_CLASSES)
        thresholds, shared, curve = choose_thresholds(calibrated, candidates, held)
        f1 = {t: curve[thresholds[t]][t].f1 for t in TOKEN_TECHNIQUES}
        fitted[variant] = (sum(f1.values()) / len(f1), calibration, thresholds, shared, curve)
        log(f"  token head share {variant[0]}, candidate floor {variant[1]}: out-of-fold F1 "
            f"{', '.join(f'{t} {v:.3f}' for t, v in f1.items())} on {len(held)} articles")
    share, floor = max(variants, key=lambda v: (fitted[v][0], -v[0], v[1]))  # ties: less head, higher floor
    _, calibration, balanced, shared, curve = fitted[share, floor]
    thresholds = sure_thresholds(curve, balanced, params.sure_precision)
    for th, metrics in curve.items():
        log(f"  threshold {th}: " + "; ".join(f"{t} P {metrics[t].precision:.3f} R {metrics[t].recall:.3f} "
                                              f"F1 {metrics[t].f1:.3f}" for t in TOKEN_TECHNIQUES))
    manifest = manifest | {"calibration": calibration}
    if encoder is not None and encoder.has_head:
        manifest |= {"token_head_share": share, "candidate_floor": floor}
    log(f"  calibration {calibration}; thresholds {thresholds}, balanced {balanced}, shared {shared}, "
        f"token head share {share}, candidate floor {floor}")
    return TokenTagger(crf_path, manifest, WORD_CLASSES, share), thresholds, balanced, shared


def fit_foreign_hand(encoder, log=print, ptc_dir: Path | None = None):
    """The foreign_hand component (model/foreign_hand.py): its numbers fitted on the dev documents annotated for it
    (PTC articles in `ptc_dir`, default model.paths.PTC_DIR, and SemEval documents) over the token head of
    `encoder`."""
    from model.training.foreign_hand_train import dev_documents, train_foreign_hand

    hand = train_foreign_hand(encoder, dev_documents(ptc_dir), log=log)
    log(f"  foreign_hand: {hand.trained_on}")
    return hand


def build(docs, out_dir: Path, trained_on: dict, seeds=(), foreign_hand=True, log=print, workers=1,
          ptc_dir: Path | None = None, head_unseen=None, extra=(),
          encoder_dir: Path | None = WEIGHTS_DIR / ENCODER_DIR, params: Params = Params(), reviewed=()) -> Tagger:
    """Build a model in `out_dir` and load it from there: the loaded_language / name_calling component
    (fit_token_tagger: `docs`, `seeds`, `extra`, `head_unseen`, `params`, `workers`), over the encoder in
    `encoder_dir` (None: none, the CRF alone), which travels with the model; if `foreign_hand`, that component
    (fit_foreign_hand: the dev documents annotated for it; PTC from `ptc_dir`, default model.paths.PTC_DIR).
    `extra`: documents trained on and never calibrated on, such as our group sentences. `reviewed`: the sentences
    of teachers' reviews (model/training/reviews.py), trained on by the CRF and never calibrated on (the token head,
    and with it foreign_hand, learns from them in its own build: build_token_head --reviews)."""
    from model.encoder import Encoder
    from model.tagger import open_tagger

    encoder = Encoder(encoder_dir) if encoder_dir is not None else None
    if foreign_hand and encoder is None:
        raise ValueError("foreign_hand needs the encoder (encoder_dir)")
    reviewed = list(reviewed)
    hand = fit_foreign_hand(encoder, log, ptc_dir) if foreign_hand else None
    with tempfile.TemporaryDirectory() as work:
        tokens, thresholds, balanced, shared = fit_token_tagger(docs, Path(work), seeds, list(extra) + reviewed,
                                                                encoder, head_unseen, params, workers, log)
        if hand is not None:
            thresholds["foreign_hand"] = hand.threshold
            balanced["foreign_hand"] = hand.trained_on["balanced_threshold"]
        manifest = {"trained_on": trained_on, "thresholds": thresholds, "balanced_thresholds": balanced,
                    "default_threshold": shared}
        Tagger(tokens, manifest, hand, encoder).save(out_dir)
    return open_tagger(out_dir)


def ptc_folder(args, purpose: str) -> Path | None:
    """The PTC folder that `--ptc` names (default ../shared/ptc), or None after saying on stderr that it is absent."""
    folder = Path(args.ptc) if args is not None and getattr(args, "ptc", None) else PTC_DIR
    if folder.is_dir():
        return folder
    print(f"cannot {purpose}: the PTC corpus is not at {folder} (give --ptc FOLDER)", file=sys.stderr)
    return None


def build_from_corpora(out_dir: Path = WEIGHTS_DIR, ptc_dir: Path = PTC_DIR,
                       encoder_dir: Path = WEIGHTS_DIR / ENCODER_DIR, params: Params = Params(), workers: int = 2,
                       log=print, reviews=()) -> Tagger:
    """The committed model's recipe: `build` on the PTC articles of the `train` and `dev` splits in `ptc_dir`, the
    seeds and our group sentences, the token head's share chosen on `dev`; the pipeline, written to `out_dir`.
    `reviews`: (review, text) pairs of teachers' reviews (model/training/reviews.py), their reviewed sentences
    added to the training data."""
    from model.training.reviews import counts, reviewed_sentences

    train, dev, _ = split_docs(load_ptc(ptc_dir), load_splits())
    seeds, groups = load_seed_docs(), load_group_sentences()
    log(f"training on {len(train)} + {len(dev)} PTC articles (train + dev) + {len(seeds)} seed articles + "
        f"{len(groups)} documents of group sentences; calibrating on out-of-fold candidates")
    trained_on = {"ptc_train_articles": len(train), "ptc_dev_articles": len(dev), "seed_articles": len(seeds),
                  "group_sentence_documents": len(groups),
                  "calibration": f"{params.cv_folds}-fold out-of-fold candidates of the PTC dev articles, which the "
                                 "encoder's token head did not train on"}
    reviewed = []
    if reviews:
        from model.tagger import load_tagger

        reviewed = reviewed_sentences(reviews, load_tagger().label)  # undecided spans as the app showed them
        trained_on |= counts(reviewed, reviews)
        log(f"  + {len(reviewed)} reviewed sentences of {len(reviews)} teachers' reviews")
    return build(train + dev, Path(out_dir), trained_on, seeds=seeds, log=log, workers=workers, ptc_dir=ptc_dir,
                 head_unseen={d.name for d in dev}, extra=groups, encoder_dir=Path(encoder_dir), params=params,
                 reviewed=reviewed)


def main(args=None) -> int:
    ptc_dir = ptc_folder(args, "train")
    if ptc_dir is None:
        return 1
    from model.paths import SEMEVAL_DIR

    if not (SEMEVAL_DIR / "raw-documents").is_dir():
        print(f"cannot train: the SemEval-2025 Task 10 documents are not at {SEMEVAL_DIR} (put the corpus in "
              "../shared/semeval2025-t10 or set SLANT_SEMEVAL)", file=sys.stderr)
        return 1
    started = time.perf_counter()
    out = Path(args.out) if args is not None and getattr(args, "out", None) else WEIGHTS_DIR
    encoder = Path(args.encoder) if args is not None and getattr(args, "encoder", None) else WEIGHTS_DIR / ENCODER_DIR
    reviews = ()
    if args is not None and getattr(args, "reviews", None):
        from model.training.reviews import reviews_from

        reviews = reviews_from(Path(args.reviews), getattr(args, "review_texts", None))
    build_from_corpora(out, ptc_dir, encoder, reviews=reviews)
    print(f"wrote {out} in {time.perf_counter() - started:.0f} s")
    return 0
