"""Golden outputs: what the committed model says about fixed texts (the seeds and tests/golden/texts/*.txt).

    python tools/golden.py --check                 # compare the committed model with tests/golden/labels.jsonl
    python tools/golden.py --check --model DIR     # the same for a retrained model (the full check)
    python tools/golden.py --write                 # regenerate the file, on purpose, after a change of the model

Spans must match exactly (start, end, technique, voice); scores within --tolerance. tests/test_golden.py runs the
check on every test run, so a change that moves a span fails until the file is regenerated and the diff reviewed.
"""
import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN_FILE = ROOT / "tests" / "golden" / "labels.jsonl"
TEXTS = ROOT / "tests" / "golden" / "texts"
SEEDS = ROOT / "data" / "seeds"
SCORE_TOLERANCE = 1e-4
sys.path.insert(0, str(ROOT))  # run as a script from anywhere


def golden_sources() -> list[Path]:
    return sorted(SEEDS.glob("*.txt")) + sorted(TEXTS.glob("*.txt"))


def label_all(model_dir: Path | None = None) -> list[dict]:
    from model.tagger import load_tagger
    from model.textio import read_text_file

    tagger = load_tagger(model_dir)
    return [{"source": path.relative_to(ROOT).as_posix(),
             "spans": [s.to_dict() for s in tagger.label(read_text_file(path))]} for path in golden_sources()]


def read_golden(path: Path = GOLDEN_FILE) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def differences(expected: list[dict], actual: list[dict], tolerance: float = SCORE_TOLERANCE) -> list[str]:
    """Readable differences between two golden lists; empty when they agree."""
    problems = []
    want = {r["source"]: r["spans"] for r in expected}
    got = {r["source"]: r["spans"] for r in actual}
    if set(want) != set(got):
        problems.append(f"sources differ: missing {sorted(set(want) - set(got))}, new {sorted(set(got) - set(want))}")
    for source in sorted(set(want) & set(got)):
        def key(s):
            return s["start"], s["end"], s["technique"], s["voice"]
        a, b = {key(s): s for s in want[source]}, {key(s): s for s in got[source]}
        for k in sorted(set(a) - set(b)):
            problems.append(f"{source}: span gone: {k} {a[k]['text']!r}")
        for k in sorted(set(b) - set(a)):
            problems.append(f"{source}: new span: {k} {b[k]['text']!r}")
        for k in sorted(set(a) & set(b)):
            if abs(a[k]["score"] - b[k]["score"]) > tolerance:
                problems.append(f"{source}: {k} score {a[k]['score']} -> {b[k]['score']} (tolerance {tolerance})")
    return problems


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--write", action="store_true", help="rewrite tests/golden/labels.jsonl from the model")
    parser.add_argument("--check", action="store_true", help="compare the model with tests/golden/labels.jsonl")
    parser.add_argument("--model", default=None, help="model folder (default: model/weights)")
    parser.add_argument("--tolerance", type=float, default=SCORE_TOLERANCE, help="largest score difference allowed")
    args = parser.parse_args(argv)
    actual = label_all(Path(args.model) if args.model else None)
    if args.write:
        GOLDEN_FILE.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in actual), encoding="utf-8")
        print(f"wrote {GOLDEN_FILE}: {sum(len(r['spans']) for r in actual)} spans in {len(actual)} texts")
        return 0
    problems = differences(read_golden(), actual, args.tolerance)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"golden outputs: {len(problems)} differences over {len(actual)} texts")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
