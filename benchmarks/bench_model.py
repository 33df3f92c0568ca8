"""Benchmark of the span tagger (a script, not a test): run `python benchmarks/bench_model.py [--train]`.

Prints, pinned to one CPU core:
- median time to label a 1,000-word article after the model is loaded, and the ratio to nltk's word tokenizer
  (NLTKWordTokenizer().span_tokenize) on the same text, timed in the same process;
- cold start of `python -m model label` on one article (a new process each time, median of several);
- model size on disk and peak memory of a process that loads the model and labels the article;
- with --train: the time and peak memory of `python -m model train` (written to a temporary folder).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = next(p for p in Path(__file__).resolve().parents if (p / "app.py").is_file())
sys.path.insert(0, str(ROOT))

from model.paths import SEEDS_DIR  # noqa: E402

WORDS = 1000


def thousand_words() -> str:
    """The first 1,000 words of the seed articles, joined, with their own line breaks."""
    import re

    text = "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt")))
    ends = [m.end() for m in re.finditer(r"\S+", text)]
    return text[: ends[WORDS - 1]]


def median_ms(fn, repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def label_timing(text: str, repeat: int) -> tuple[float, float]:
    from nltk.tokenize import NLTKWordTokenizer

    from model.features import split_sentences
    from model.tagger import load_tagger

    tagger = load_tagger()
    tokenizer = NLTKWordTokenizer()

    def label_new_text():  # labelling keeps the sentences of its last texts: time a text it has not seen
        split_sentences.cache_clear()
        tagger.label(text)

    label = median_ms(label_new_text, repeat)
    tokenize = median_ms(lambda: list(tokenizer.span_tokenize(text)), repeat)
    return label, tokenize


def cold_start(path: Path, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "model", "label", str(path)], cwd=ROOT, check=True,
                       capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def peak_memory_mb(path: Path) -> float:
    """VmHWM of a fresh process (ru_maxrss would include the memory of the forked benchmark process)."""
    code = ("from model.tagger import load_tagger; t = load_tagger(); "
            f"t.label(open({str(path)!r}, encoding='utf-8').read()); "
            "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, capture_output=True, text=True)
    return int(out.stdout.strip()) / 1024


def model_size_mb() -> float:
    from model.paths import WEIGHTS_DIR

    return sum(f.stat().st_size for f in WEIGHTS_DIR.iterdir() if f.is_file()) / 1e6


def train_once(out: Path) -> tuple[float, float]:
    """Wall time and peak memory (VmHWM, read by a watcher thread) of `python -m model train`."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "model", "train", "--out", str(out)], cwd=ROOT)
    peak = 0
    while process.poll() is None:
        try:
            status = Path(f"/proc/{process.pid}/status").read_text()
            peak = max(peak, int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))))
        except (OSError, StopIteration):
            pass
        time.sleep(0.5)
    if process.returncode:
        raise SystemExit(f"training failed with status {process.returncode}")
    return time.perf_counter() - started, peak / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--train", action="store_true", help="also time `python -m model train` (minutes)")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core, inherited by the subprocesses

    text = thousand_words()
    label, tokenize = label_timing(text, args.repeat)
    print(f"label a {WORDS}-word article:        median {label:7.2f} ms (target <= 20 ms)")
    print(f"nltk NLTKWordTokenizer, same text:  median {tokenize:7.2f} ms; labelling / tokenizing = "
          f"{label / tokenize:.1f}x")
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.txt"
        article.write_text(text, encoding="utf-8")
        print(f"cold start `python -m model label`: median {cold_start(article, 5):7.2f} s  (target <= 2 s)")
        print(f"peak memory, load + label:          {peak_memory_mb(article):7.1f} MB")
    print(f"model size on disk:                 {model_size_mb():7.2f} MB (limit 20 MB)")
    if args.train:
        with tempfile.TemporaryDirectory() as tmp:
            elapsed, peak = train_once(Path(tmp))
        print(f"training (one core):                {elapsed:7.0f} s (target <= 600 s), peak memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
