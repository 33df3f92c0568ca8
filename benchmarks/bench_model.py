"""Benchmark of the span tagger (a script, not a test): run `python benchmarks/bench_model.py [--train]`.

Prints, pinned to two CPU cores and then to one (the encoder uses as many threads as cores):
- median time to label a 1,000-word article after the model is loaded, beside the same tagger without its
  encoder, token head and foreign_hand component (the CRF alone, the baseline) and nltk's word tokenizer
  (NLTKWordTokenizer().span_tokenize), all timed in the same process, with their ratios;
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


def label_timing(text: str, repeat: int) -> tuple[float, float, float]:
    """(whole model, the CRF alone, nltk's tokenizer): median ms on `text`, in this process."""
    import copy

    from nltk.tokenize import NLTKWordTokenizer

    from model.features import split_sentences
    from model.tagger import _encode, load_tagger

    tagger = load_tagger()
    crf_only = copy.copy(tagger)
    crf_only.foreign_hand, crf_only.token_tagger = None, copy.copy(tagger.token_tagger)
    crf_only.token_tagger.head_share = 0.0  # no component reads the encoder: it does not run
    tokenizer = NLTKWordTokenizer()

    def new_text(model):  # labelling keeps the sentences and vectors of its last texts: time a text it has not seen
        def run():
            split_sentences.cache_clear()
            _encode.cache_clear()
            model.label(text)
        return run

    label = median_ms(new_text(tagger), repeat)
    crf = median_ms(new_text(crf_only), repeat)
    tokenize = median_ms(lambda: list(tokenizer.span_tokenize(text)), repeat)
    return label, crf, tokenize


def worker(cores: int, repeat: int) -> None:
    """Pinned to `cores` cores (the encoder's threads follow SLANT_THREADS, set by the caller)."""
    os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:cores]))
    label, crf, tokenize = label_timing(thousand_words(), repeat)
    print(f"label a {WORDS}-word article, {cores} core(s): median {label:7.1f} ms "
          f"(target <= {250 if cores == 2 else 500} ms); the CRF alone {crf:6.1f} ms ({label / crf:.1f}x); "
          f"nltk word tokenizer {tokenize:5.1f} ms ({label / tokenize:.0f}x)", flush=True)


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

    return sum(f.stat().st_size for f in WEIGHTS_DIR.rglob("*") if f.is_file()) / 1e6


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
    parser.add_argument("--worker", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.repeat)
        return 0
    cores = min(2, len(os.sched_getaffinity(0)))
    for n in sorted({cores, 1}, reverse=True):
        subprocess.run([sys.executable, __file__, "--worker", str(n), "--repeat", str(args.repeat)], check=True,
                       env=os.environ | {"SLANT_THREADS": str(n)})
    os.sched_setaffinity(0, set(sorted(os.sched_getaffinity(0))[:cores]))
    text = thousand_words()
    with tempfile.TemporaryDirectory() as tmp:
        article = Path(tmp) / "article.txt"
        article.write_text(text, encoding="utf-8")
        print(f"cold start `python -m model label`, {cores} cores: median {cold_start(article, 5):5.2f} s "
              "(target <= 2 s)")
        print(f"peak memory, load + label:          {peak_memory_mb(article):7.1f} MB (target <= 400 MB)")
    print(f"model size on disk:                 {model_size_mb():7.2f} MB")
    if args.train:
        with tempfile.TemporaryDirectory() as tmp:
            elapsed, peak = train_once(Path(tmp))
        print(f"training ({cores} cores):                {elapsed:7.0f} s, peak memory {peak:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
