"""Compare a rebuilt model or metrics file with the committed one, within a tolerance, never byte for byte.

    python tools/compare.py --tolerance 1e-4 REBUILT_DIR model/weights      # JSON numbers to 4 decimals
    python tools/compare.py --tolerance 0.005 REBUILT.json model/metrics.json

JSON files must have the same keys, strings and list lengths, and numbers within the tolerance (floats differ in
their last digits between CPUs and BLAS builds). Other files (the CRF, the encoder, the word table) are compared by
SHA-256 and a difference is reported as a note: their behaviour is judged by the golden outputs
(`tools/golden.py --check --model REBUILT_DIR`). The manifest's own hashes of the JSON files are skipped.
"""
import argparse
import hashlib
import json
import sys
from pathlib import Path


def json_differences(a, b, where: str, tolerance: float) -> list[str]:
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int | float) or not isinstance(b, int | float):
        if type(a) is not type(b):
            return [f"{where}: {type(a).__name__} vs {type(b).__name__}"]
    if isinstance(a, dict):
        if set(a) != set(b):
            return [f"{where}: keys differ: {sorted(set(a) ^ set(b))[:10]}"]
        return [p for k in sorted(a) for p in json_differences(a[k], b[k], f"{where}.{k}", tolerance)]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items vs {len(b)}"]
        return [p for i, (x, y) in enumerate(zip(a, b, strict=True))
                for p in json_differences(x, y, f"{where}[{i}]", tolerance)]
    if isinstance(a, int | float) and not isinstance(a, bool):
        return [f"{where}: {a} vs {b}"] if abs(a - b) > tolerance else []
    return [f"{where}: {a!r} vs {b!r}"] if a != b else []


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare(a: Path, b: Path, tolerance: float) -> tuple[list[str], list[str]]:
    """(differences, notes) between two files or two folders."""
    if a.is_file():
        return json_differences(json.loads(a.read_text()), json.loads(b.read_text()), a.name, tolerance), []
    names_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    problems = [f"files differ: only in {a}: {sorted(names_a - names_b)}, only in {b}: {sorted(names_b - names_a)}"
                ] if names_a != names_b else []
    notes = []
    for name in sorted(names_a & names_b):
        if name.endswith(".json"):
            x, y = (json.loads((root / name).read_text(encoding="utf-8")) for root in (a, b))
            if name.endswith("manifest.json"):
                for m in (x, y):
                    m["files"] = {k: v for k, v in m.get("files", {}).items() if not k.endswith(".json")}
            problems += json_differences(x, y, name, tolerance)
        elif sha256(a / name) != sha256(b / name):
            notes.append(f"{name}: bytes differ (judged by the golden outputs)")
    return problems, notes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tolerance", type=float, required=True)
    parser.add_argument("rebuilt", type=Path)
    parser.add_argument("committed", type=Path)
    args = parser.parse_args(argv)
    problems, notes = compare(args.rebuilt, args.committed, args.tolerance)
    for line in notes:
        print(f"note: {line}")
    for line in problems[:50]:
        print(line, file=sys.stderr)
    print(f"{args.rebuilt} vs {args.committed}: {len(problems)} differences beyond {args.tolerance}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
