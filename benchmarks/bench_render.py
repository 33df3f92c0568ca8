"""What the app does for one article, without Streamlit: label, the evidence of every span, render the HTML.

    nice .venv/bin/python benchmarks/bench_render.py [--words 1000] [--repeats 7]

Takes the first N words of the longest seed article, runs each step `--repeats` times in this process and prints the
medians, with evidence and render as ratios of labelling (the baseline: the model's own work). The first evidence
of a technique builds that technique's index of marked words (once per process): timed apart.
"""
import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.data import load_seeds  # noqa: E402
from model.tagger import load_tagger  # noqa: E402
from ui.render import render_html  # noqa: E402
from ui.sources import word_count  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    started = time.perf_counter()
    tagger = load_tagger()
    print(f"model loaded in {time.perf_counter() - started:.3f} s")
    text = max((a.text for a in load_seeds()), key=len)
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    base = text = text[:ends[min(args.words, len(ends)) - 1]]

    spans = tagger.label(text)
    t0 = time.perf_counter()
    for technique in sorted({s.technique for s in spans}):
        tagger.evidence(text, next(s for s in spans if s.technique == technique))
    print(f"first evidence of each technique (builds the marked-word indexes): {time.perf_counter() - t0:.2f} s")

    steps = {"label": [], "evidence": [], "render": []}
    for i in range(args.repeats):
        text = f"{base}\n\nRun {i}."  # a new text each time: the tagger keeps the encoder's vectors of its last two
        t0 = time.perf_counter()
        spans = tagger.label(text)
        t1 = time.perf_counter()
        reasons = {s: tagger.evidence(text, s) for s in spans}
        t2 = time.perf_counter()
        render_html(text, spans, reasons)
        t3 = time.perf_counter()
        for step, seconds in zip(steps, (t1 - t0, t2 - t1, t3 - t2), strict=True):
            steps[step].append(seconds)
    medians = {step: statistics.median(times) for step, times in steps.items()}
    print(f"{word_count(text):,} words, {len(spans)} spans, median of {args.repeats} runs:")
    for step, median in medians.items():
        print(f"  {step:<8} {median * 1000:8.1f} ms   ({median / medians['label']:.2f} x label)")
    print(f"  total    {sum(medians.values()) * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
