"""How labelling time grows with the size of the text: the measurement behind textio.MAX_CHARS and CLI_MAX_CHARS.

    nice .venv/bin/python benchmarks/bench_input_size.py [--ptc FOLDER]

Texts are prefixes of the PTC articles joined together (real news prose), or the seeds repeated when PTC is absent.
Reports, per size, the median of 3 runs of `Tagger.label` (what the command line does) and of label + `explain`
for every span (what the app does), plus worst-case inputs of MAX_CHARS characters.
"""
import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.paths import PTC_DIR, SEEDS_DIR  # noqa: E402
from model.tagger import load_tagger  # noqa: E402
from model.textio import CLI_MAX_CHARS, MAX_CHARS, language_warning, prepare_pasted  # noqa: E402

APP_SIZES = [10_000, 30_000, 100_000, 200_000]
CLI_SIZES = [100_000, 500_000, 1_000_000, CLI_MAX_CHARS]


def median_seconds(run, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def corpus(ptc: Path, size: int) -> str:
    files = sorted((ptc / "train-articles").glob("*.txt")) if ptc.is_dir() else sorted(SEEDS_DIR.glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    text = "\n".join(texts)
    while len(text) < size:
        text += "\n" + text
    return text[:size]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ptc", type=Path, default=PTC_DIR)
    args = parser.parse_args()
    tagger = load_tagger()
    text = corpus(args.ptc, CLI_MAX_CHARS)
    tagger.label(text[:1000])  # warm up

    print(f"MAX_CHARS={MAX_CHARS:,}  CLI_MAX_CHARS={CLI_MAX_CHARS:,}")
    print("app path: label + explain every span (median of 3)")
    for size in APP_SIZES:
        part = text[:size]
        spans = tagger.label(part)
        label_s = median_seconds(lambda p=part: tagger.label(p))
        both_s = median_seconds(lambda p=part, s=spans: [tagger.explain(p, x) for x in s], repeats=1) + label_s
        print(f"  {size:>9,} chars  {len(spans):>4} spans  label {label_s:6.2f} s  label+explain {both_s:6.2f} s",
              flush=True)
    print("command-line path: label only (one run)")
    for size in CLI_SIZES:
        part = text[:size]
        print(f"  {size:>9,} chars  label {median_seconds(lambda p=part: tagger.label(p), repeats=1):6.2f} s",
              flush=True)
    print(f"worst cases of {MAX_CHARS:,} characters: label (median of 3)")
    worst = {
        "one word, no spaces": "a" * MAX_CHARS,
        "one line of punctuation": "!" * MAX_CHARS,
        "straight quotes": '"' * MAX_CHARS,
        "emoji": "\U0001f642" * MAX_CHARS,
        "full stops and spaces": ". " * (MAX_CHARS // 2),
        "combining marks": "e\u0301" * (MAX_CHARS // 2),
        "right-to-left (Hebrew)": "שלום עולם " * (MAX_CHARS // 10),
    }
    for name, part in worst.items():
        print(f"  {name:<26} {median_seconds(lambda p=part: tagger.label(p)):6.2f} s", flush=True)
    part = text[:MAX_CHARS]
    print(f"input checks (prepare_pasted) on {MAX_CHARS:,} chars: "
          f"{median_seconds(lambda: prepare_pasted(part)) * 1000:.0f} ms; "
          f"language check alone {median_seconds(lambda: language_warning(part)) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
