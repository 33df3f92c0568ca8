"""How labelling a corpus scales: time and peak memory of `python -m model label` on texts of 1, 5 and 50 MB (the
seeds repeated), and throughput of `label-corpus` and of a Dask LocalCluster with 1 and 2 workers.

    .venv/bin/python benchmarks/bench_corpus.py [--sizes 1 5 50] [--articles 100]

Prints figures; asserts nothing. Memory is the peak resident set of the process and its workers, summed, sampled
every 0.1 s. The baseline is one seed article labelled in this process, so the ratios survive a noisy machine.
"""
import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from model.paths import SEEDS_DIR  # noqa: E402

SEEDS = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]


def words(text: str) -> int:
    return len(text.split())


def run_measured(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak MB (the process and its children) of a command whose output is thrown away."""
    start = time.perf_counter()
    process = psutil.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while process.poll() is None:
        try:
            tree = [process, *process.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree))
        except psutil.Error:
            pass
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    if process.returncode not in (0,):
        raise SystemExit(f"{' '.join(args)} failed: {process.stderr.read().decode()[-500:]}")
    return seconds, peak / 1e6


def baseline_ms() -> float:
    import model

    tagger = model.load()
    tagger.label(SEEDS[0])
    times = []
    for i in range(1, 6):
        start = time.perf_counter()
        tagger.label(SEEDS[0] + " " * i)  # a new text each time: no cached encoder vectors
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[1, 5, 50], help="text sizes in MB")
    parser.add_argument("--articles", type=int, default=100, help="articles in the corpus of the throughput runs")
    args = parser.parse_args()
    python = sys.executable
    base = baseline_ms()
    print(f"baseline: seed 000 ({words(SEEDS[0]):,} words) labelled in this process: {base:.0f} ms (median of 5)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        print("\none text, python -m model label (default --jobs: all cores)")
        print(f"{'MB':>6} {'words':>11} {'seconds':>9} {'s per MB':>9} {'words/s':>9} {'peak MB':>8} "
              f"{'x baseline/word':>16}")
        unit = "\n".join(SEEDS) + "\n"
        for size in args.sizes:
            text = unit * max(1, round(size * 1e6 / len(unit.encode("utf-8"))))
            path = tmp / f"text-{size}.txt"
            path.write_text(text, encoding="utf-8")
            mb = path.stat().st_size / 1e6
            seconds, peak = run_measured([python, "-m", "model", "label", str(path)])
            per_word = seconds / words(text) / (base / 1000 / words(SEEDS[0]))
            print(f"{mb:6.1f} {words(text):11,} {seconds:9.1f} {seconds / mb:9.1f} {words(text) / seconds:9,.0f} "
                  f"{peak:8.0f} {per_word:16.2f}", flush=True)

        articles = [SEEDS[i % len(SEEDS)] for i in range(args.articles)]
        corpus = tmp / "corpus.jsonl"
        corpus.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(articles)),
                          encoding="utf-8")
        total_words = sum(map(words, articles))
        print(f"\na corpus of {len(articles)} articles ({total_words:,} words)")
        print(f"{'route':<34} {'seconds':>8} {'articles/s':>11} {'words/s':>9} {'peak MB':>8}")
        for jobs in (1, 2):
            seconds, peak = run_measured([python, "-m", "model", "label-corpus", str(corpus), "--jobs", str(jobs)])
            print(f"{f'label-corpus --jobs {jobs}':<34} {seconds:8.1f} {len(articles) / seconds:11.2f} "
                  f"{total_words / seconds:9,.0f} {peak:8.0f}", flush=True)
        for workers in (1, 2):
            seconds, peak = run_measured([python, str(Path(__file__).resolve()), "--dask-run", str(corpus),
                                          str(workers)])
            print(f"{f'Dask LocalCluster, {workers} worker(s)':<34} {seconds:8.1f} {len(articles) / seconds:11.2f} "
                  f"{total_words / seconds:9,.0f} {peak:8.0f}", flush=True)


def dask_run(corpus: str, workers: int) -> None:
    """Label `corpus` on a LocalCluster of `workers` one-thread workers (timed by the caller, start-up included)."""
    import dask.dataframe as dd
    import pandas as pd
    from dask.distributed import Client, LocalCluster

    from model.corpus import PARTITION_META, label_partition

    frame = pd.read_json(corpus, lines=True, dtype={"id": str})
    with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0",
                      env={"SLANT_THREADS": "1"}) as cluster, Client(cluster):
        dd.from_pandas(frame, npartitions=4 * workers).map_partitions(label_partition, meta=PARTITION_META).compute()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--dask-run":
        dask_run(sys.argv[2], int(sys.argv[3]))
    else:
        main()
