"""The benchmark scripts keep working: each runs in a small, quick configuration and prints its figures.
(They are never timed here: the figures themselves are read by people, in docs/ and the model card.)"""
import shutil
import subprocess
import sys

import pytest

from model.paths import PROJECT_ROOT


def run_benchmark(*args: str) -> str:
    run = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


def test_model_benchmark_prints_its_figures():
    out = run_benchmark("benchmarks/bench_model.py", "--repeat", "3")
    for figure in ("label a 1000-word article, 1 core", "the CRF alone", "nltk", "cold start", "peak memory",
                   "model size"):
        assert figure in out


def test_render_benchmark_runs():
    assert run_benchmark("benchmarks/bench_render.py", "--repeats", "1").strip()


@pytest.mark.browser
@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is not installed")
def test_load_benchmark_runs_with_two_sessions():
    out = run_benchmark("benchmarks/bench_load.py", "--sessions", "2")
    assert "median" in out


def test_corpus_benchmark_prints_its_figures():
    out = run_benchmark("benchmarks/bench_corpus.py", "--sizes", "0.05", "--articles", "4")
    for figure in ("baseline", "python -m model label", "label-corpus --jobs 2", "Dask LocalCluster, 2 worker(s)"):
        assert figure in out
