"""Score this checkout's model and another checkout's (an earlier commit, with its own model and code) on the same
held-out documents in one run, with this checkout's scorer: how a change of the model moved the figures.

    git worktree add ../before COMMIT
    .venv/bin/python tools/compare_models.py ../before [--python ../before/.venv/bin/python]

Each model labels the documents once through its own `python -m model label` (run in its checkout), with every
foreign_hand score (threshold 0) for the rankings; its default spans are those at or above the foreign_hand threshold
of its own manifest (a span's extent does not depend on the threshold). Held out: the foreign_hand `test` parts of
the SemEval and PTC documents we annotated, the five seeds (foreign_hand), the held-out minimal pairs, and the PTC
`test` and `far` articles (loaded_language, name_calling). Needs the corpora in ../shared.
"""
import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.data import load_seed_docs  # noqa: E402
from model.spans import Span  # noqa: E402
from model.training.corpora import is_far, load_ptc, load_splits, split_docs  # noqa: E402
from model.training.evaluate import auc, foreign_hand_figures, keyword_clauses  # noqa: E402
from model.training.foreign_hand_train import ptc_parts, semeval_documents  # noqa: E402
from model.training.pairs import load_pairs, pair_part  # noqa: E402
from model.training.scoring import bootstrap, score  # noqa: E402


def label_all(checkout: Path, python: str, texts: dict[str, str], threshold: str) -> dict[str, list[Span]]:
    """{name: spans} from `python -m model label` run in `checkout` on every text."""
    with tempfile.TemporaryDirectory() as tmp:
        files = []
        for k, (name, text) in enumerate(texts.items()):
            path = Path(tmp) / f"{k:05d}.txt"
            path.write_bytes(text.encode("utf-8"))
            files.append((name, path))
        command = [python, "-m", "model", "label", "--jobs", "2", "--threshold", threshold]
        run = subprocess.run(command + [str(p) for _, p in files], cwd=checkout, capture_output=True, text=True,
                             check=False)
        if run.returncode != 0:
            sys.exit(f"{checkout}: label failed: {run.stderr[-2000:]}")
        by_path = {}
        for line in run.stdout.splitlines():
            record = json.loads(line)
            by_path[record["source"]] = [Span(s["start"], s["end"], s["technique"], s["score"], s["voice"], s["text"])
                                         for s in record["spans"]]
        return {name: by_path[str(path)] for name, path in files}


def figures(default: dict, every: dict, hand_sets: dict, ptc_sets: dict, pairs) -> dict:
    out = {}
    for set_name, docs in hand_sets.items():
        found = [([s for s in default[d.name] if s.technique == "foreign_hand"], d.spans) for d in docs]
        highest = {d.name: max((s.score for s in every[d.name] if s.technique == "foreign_hand"), default=0.0)
                   for d in docs}
        has = {d.name: any(s.technique == "foreign_hand" for s in d.spans) for d in docs}
        f = foreign_hand_figures(found, [(keyword_clauses(d.text), d.spans) for d in docs])
        out[f"foreign_hand {set_name}"] = {
            "P/R/F1": (f["model"]["precision"], f["model"]["recall"], f["model"]["f1"]),
            "F1 95%": f["interval_95"]["f1"], "false alarms per clean doc": f["false_alarms_per_clean_document"],
            "document AUC": auc([highest[n] for n in has if has[n]], [highest[n] for n in has if not has[n]])}
    wins = 0
    for pair in pairs:
        best = [max((s.score for s in every[f"{pair.id}{sign}"] if s.technique == "foreign_hand"), default=0.0)
                for sign in "+-"]
        wins += best[0] > best[1]
    out["foreign_hand minimal pairs"] = {"positive above negative": round(wins / max(len(pairs), 1), 4)}
    for set_name, docs in ptc_sets.items():
        found = [(default[d.name], d.spans) for d in docs]
        metrics = score(found)
        for t in ("loaded_language", "name_calling"):
            m = metrics[t]
            out[f"{t} {set_name} (default)"] = {"P/R/F1": (round(m.precision, 3), round(m.recall, 3),
                                                           round(m.f1, 3)), "F1 95%": bootstrap(found, t)["f1"]}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path, help="the other checkout (its model/weights and code)")
    parser.add_argument("--python", default=sys.executable, help="the Python that runs the other checkout")
    parser.add_argument("--only", choices=("other", "this"), help="score one of the two models (a long run split)")
    args = parser.parse_args()
    splits = load_splits()
    ptc_docs = load_ptc()
    _, _, held_out = split_docs(ptc_docs, splits)
    ptc_sets = {"PTC test": [d for d in held_out if not is_far(d.name, splits)],
                "PTC far": [d for d in held_out if is_far(d.name, splits)]}
    hand_sets = {"SemEval test": semeval_documents(part="test"), "PTC test": ptc_parts(ptc=ptc_docs)["test"],
                 "seeds": load_seed_docs()}
    pairs = [p for p in load_pairs() if pair_part(p) == "test"]
    texts = {d.name: d.text for docs in (*hand_sets.values(), *ptc_sets.values()) for d in docs}
    texts |= {f"{p.id}+": p.positive for p in pairs} | {f"{p.id}-": p.negative for p in pairs}
    results = {}
    for name, checkout, python in (("other", args.other.resolve(), args.python), ("this", ROOT, sys.executable)):
        if args.only in (None, name):
            every = label_all(checkout, python, texts, "foreign_hand=0")
            limit = json.loads((checkout / "model" / "weights" / "manifest.json").read_text())["thresholds"]
            default = {key: [s for s in spans if s.technique != "foreign_hand" or s.score >= limit["foreign_hand"]]
                       for key, spans in every.items()}
            results[name] = figures(default, every, hand_sets, ptc_sets, pairs)
    for key in next(iter(results.values())):
        print(f"{key}:" + "".join(f"\n  {name:<5} {found[key]}" for name, found in results.items()))


if __name__ == "__main__":
    main()
