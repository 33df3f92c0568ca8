"""Build the foreign_hand gold of the SemEval documents from the annotation passes, and measure agreement.

    python data/semeval_foreign_hand/build_gold.py     # from the project's root; needs ../shared/semeval2025-t10

- passes/pass_a*.jsonl (first pass, every document) and passes/pass_b*.jsonl (second, independent pass over the
  documents of double.txt); passes/*.done list the documents each pass read to the end.
- reconciled.jsonl: the decided spans of the double-annotated documents after comparing both passes.
- spans.jsonl (written): reconciled.jsonl for the documents of double.txt, the first pass for the others.
Prints the agreement of the two passes (partial-overlap span F1, one pass scored against the other, and Cohen's
kappa on "does this sentence carry a claim") on the double-annotated documents.
"""
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from model.data import read_exact_text  # noqa: E402
from model.paths import SHARED_DIR  # noqa: E402
from model.spans import Span  # noqa: E402
from model.tokens import sentence_spans  # noqa: E402
from model.training.scoring import score  # noqa: E402

KEYS = {"article", "start", "end", "technique", "voice", "text"}


def read_pass(files) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in files:
        for n, line in enumerate(read_exact_text(f).splitlines(), 1):
            if line.strip():
                r = json.loads(line)
                if set(r) != KEYS or r["technique"] != "foreign_hand":
                    raise SystemExit(f"{f}:{n}: not a foreign_hand span line")
                out.setdefault(r["article"], []).append(r)
    return out


def done(pattern: str) -> set[str]:
    return {n for f in (HERE / "passes").glob(pattern) for n in read_exact_text(f).split()}


def kappa(a: list[int], b: list[int]) -> float:
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pa, pb = sum(a) / n, sum(b) / n
    expected = pa * pb + (1 - pa) * (1 - pb)
    return (observed - expected) / (1 - expected) if expected < 1 else 1.0


def agreement(first, second, names, texts) -> str:
    spans = [([Span(r["start"], r["end"], "foreign_hand") for r in second.get(n, [])],
              [Span(r["start"], r["end"], "foreign_hand") for r in first.get(n, [])]) for n in names]
    m = score(spans)["foreign_hand"]
    sa, sb = [], []
    for n in names:
        for s, e in sentence_spans(texts[n]):
            sa.append(int(any(r["start"] < e and s < r["end"] for r in first.get(n, []))))
            sb.append(int(any(r["start"] < e and s < r["end"] for r in second.get(n, []))))
    docs = (sum(bool(first.get(n)) for n in names), sum(bool(second.get(n)) for n in names),
            sum(bool(first.get(n)) and bool(second.get(n)) for n in names))
    return (f"{len(names)} documents; spans: first {m.n_gold}, second {m.n_predicted}; partial-overlap F1 of the "
            f"second against the first {m.f1:.3f} (P {m.precision:.3f}, R {m.recall:.3f}); sentence kappa "
            f"{kappa(sa, sb):.3f} over {len(sa)} sentences ({sum(sa)} / {sum(sb)} positive); documents with a "
            f"claim: {docs[0]} / {docs[1]}, both {docs[2]}")


def main() -> int:
    names = read_exact_text(HERE / "documents.txt").split()
    double = read_exact_text(HERE / "double.txt").split()
    missing = sorted(set(names) - done("pass_a*.done")) + sorted(set(double) - done("pass_b*.done"))
    if missing:
        print(f"not every document is annotated yet: {missing[:10]}", file=sys.stderr)
        return 1
    folder = SHARED_DIR / "semeval2025-t10" / "raw-documents"
    texts = {n: read_exact_text(folder / f"{n}.txt") for n in names}
    first = read_pass(sorted((HERE / "passes").glob("pass_a*.jsonl")))
    second = read_pass(sorted((HERE / "passes").glob("pass_b*.jsonl")))
    print("agreement of the two passes:", agreement(first, second, double, texts))
    reconciled = read_pass([HERE / "reconciled.jsonl"]) if (HERE / "reconciled.jsonl").exists() else None
    if reconciled is None:
        print("no reconciled.jsonl yet: spans.jsonl not written", file=sys.stderr)
        return 1
    gold = []
    for n in names:
        for r in sorted((reconciled if n in double else first).get(n, []), key=lambda r: (r["start"], r["end"])):
            if texts[n][r["start"]:r["end"]] != r["text"]:
                raise SystemExit(f"{n}: span text does not match its offsets: {r['text']!r}")
            gold.append({k: r[k] for k in ("article", "start", "end", "technique", "voice")})
    (HERE / "spans.jsonl").write_text("".join(json.dumps(r) + "\n" for r in gold), encoding="utf-8")
    print("first pass against the reconciled gold:", agreement(reconciled, first, double, texts))
    print("second pass against the reconciled gold:", agreement(reconciled, second, double, texts))
    print(f"wrote spans.jsonl: {len(gold)} spans in {len({r['article'] for r in gold})} of {len(names)} documents")
    return 0


if __name__ == "__main__":
    sys.exit(main())
