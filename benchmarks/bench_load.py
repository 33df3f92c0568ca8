"""A whole class at once: N browser sessions open the app, paste an article and wait for the highlighted result.

    .venv/bin/python benchmarks/bench_load.py [--sessions 30] [--same-article] [--browser-nice 19 | --browser-idle]

Starts `streamlit run app.py` on a free loopback port, warms it up with one session (the teacher opening the app
with a text of their own), then starts all sessions together in one headless Chromium (one browser context per
student, Debian's chromium). Each session: open the Analyse page, paste an article (a seed article with the
student's number on top, so that every text is new to the server's cache, unless --same-article), press Ctrl+Enter,
wait for the highlighted text. Reports the median and 95th percentile of the time from opening the page to the
highlighted result and from pasting to the result, failures, the server's peak resident memory (the process and its
children, sampled every 0.2 s), the duration of its script runs, how many times it labelled and encoded a text, and
at what priority Chromium's threads really ran (it resets their nice itself: --browser-idle is what keeps it off the
server's cores). Loopback only; every wait has a time limit.
"""
import argparse
import asyncio
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from model.paths import PROJECT_ROOT, SEEDS_DIR  # noqa: E402
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, _free_port, _healthy  # noqa: E402

SESSION_TIMEOUT_S = 480
RUN_MARK = "SLANT_SCRIPT_RUN"
LABEL_MARK, ENCODE_MARK = "SLANT_LABEL", "SLANT_ENCODE"  # each labelling pass and each encoding of an article
# The server, with every script run timed (one line per run in its log): the server's own share of the wait; and
# every labelling and encoding of an article counted (how often the same text was labelled).
SERVER = f"""import sys, time
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
untimed = ScriptRunner._run_script
def timed(self, rerun_data):
    start = time.perf_counter()
    try:
        return untimed(self, rerun_data)
    finally:
        sys.stderr.write(f"{RUN_MARK} {{time.perf_counter() - start:.3f}}\\n")  # one write: runs are threads
ScriptRunner._run_script = timed
import zlib
from model.encoder import Encoder
from model.tagger import Tagger
def counted(unlabelled):
    def label(self, text, *args, **kwargs):
        sys.stderr.write(f"{LABEL_MARK} {{zlib.crc32(text.encode())}}\\n")
        return unlabelled(self, text, *args, **kwargs)
    return label
unencoded = Encoder.encode
def encode(self, text, sentences):
    if len(sentences) > 1:  # a whole article, not a span's words for its evidence
        sys.stderr.write(f"{ENCODE_MARK} {{zlib.crc32(text.encode())}}\\n")
    return unencoded(self, text, sentences)
Tagger.label, Encoder.encode = counted(Tagger.label), encode
if hasattr(Tagger, "label_with_hidden"):  # the app's one pass for the spans and the weaker ones they hide
    Tagger.label_with_hidden = counted(Tagger.label_with_hidden)
from streamlit.web.cli import main
sys.argv = ["streamlit", *sys.argv[1:]]
main()
"""


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process and its children until stopped; keeps the peak."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.process = psutil.Process(pid)
        self.peak = 0
        self.stopped = threading.Event()

    def current(self) -> int:
        try:
            processes = [self.process, *self.process.children(recursive=True)]
            return sum(p.memory_info().rss for p in processes)
        except psutil.Error:
            return 0

    def run(self):
        while not self.stopped.wait(0.2):
            self.peak = max(self.peak, self.current())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def session(browser, url: str, text: str) -> tuple[float, float]:
    """(seconds from opening the page to the highlighted result, seconds from pasting to it)."""
    context = await browser.new_context(viewport={"width": 1280, "height": 1400})
    try:
        page = await context.new_page()
        opened = time.perf_counter()
        await page.goto(f"{url}/analyse", timeout=SESSION_TIMEOUT_S * 1000)
        box = page.get_by_label("Article text")
        await box.wait_for(timeout=SESSION_TIMEOUT_S * 1000)
        await box.fill(text)
        pasted = time.perf_counter()
        await box.press("Control+Enter")
        # The highlighted text of this student's article (marks or not: some articles have no spans).
        await page.wait_for_function("first => document.querySelector('.slant-text')?.textContent.startsWith(first)",
                                     arg=text[:40], timeout=SESSION_TIMEOUT_S * 1000)
        done = time.perf_counter()
        return done - opened, done - pasted
    finally:
        await context.close()


async def run_class(url: str, teacher: str, texts: list[str], browser_nice: int,
                    browser_idle: bool = False) -> tuple[list[tuple[float, float]], list[str], Counter]:
    from playwright.async_api import async_playwright

    # In a classroom the browsers run on the students' laptops, not beside the server: here they share its two
    # cores, so they run at a lower priority (a wrapper that starts Chromium under `nice`, or SCHED_IDLE).
    wrapper = Path(tempfile.mkdtemp()) / "chromium"
    lower = "chrt --idle 0" if browser_idle else f"nice -n {browser_nice}"
    wrapper.write_text(f'#!/bin/sh\nexec {lower} {CHROMIUM} "$@"\n')
    wrapper.chmod(0o755)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(wrapper), headless=True, args=CHROMIUM_ARGS)
        try:
            await session(browser, url, teacher)  # warm-up: the teacher opens the app first, with a text of their own
            running = asyncio.gather(*(session(browser, url, t) for t in texts), return_exceptions=True)
            await asyncio.sleep(5)
            priorities = browser_priorities()  # what Chromium's threads run at once they have started
            results = await running
        finally:
            await browser.close()
    times = [r for r in results if not isinstance(r, BaseException)]
    failures = [f"{type(r).__name__}: {str(r).splitlines()[0]}" for r in results if isinstance(r, BaseException)]
    return times, failures, priorities


def browser_priorities() -> Counter:
    """How many of Chromium's threads run at each (scheduling policy, nice): Chromium sets its threads' nice itself
    (−8 to 5 seen here, whatever it was started at), so `nice` alone does not lower it; SCHED_IDLE holds."""
    found = Counter()
    for process in psutil.process_iter(["name"]):
        if "chromium" not in (process.info["name"] or ""):
            continue
        for task in Path(f"/proc/{process.pid}/task").glob("*"):
            try:
                fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found[("idle" if fields[38] == "5" else "normal", int(fields[16]))] += 1
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--same-article", action="store_true", help="every student pastes the same article")
    parser.add_argument("--log", type=Path, default=None, help="keep the server's log in this file")
    parser.add_argument("--browser-nice", type=int, default=19, help="niceness of the browser (0: same as server)")
    parser.add_argument("--browser-idle", action="store_true",
                        help="run the browser under SCHED_IDLE: it gets the cores only when the server leaves them")
    args = parser.parse_args()
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))]
    if args.same_article:
        texts = [seeds[2]] * args.sessions
    else:
        texts = [f"Student {i + 1}\n\n{seeds[i % len(seeds)]}" for i in range(args.sessions)]
    teacher = f"Teacher\n\n{seeds[3]}"  # not one of the class's texts: they are all new to the server's cache

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-c", SERVER, "run", "app.py", "--server.headless", "true",
               "--server.address", "127.0.0.1", "--server.port", str(port),
               # Other people edit the code in this tree while it runs; a watcher would reload modules mid-run.
               "--server.fileWatcherType", "none"]
    log = open(args.log, "w+b") if args.log else tempfile.TemporaryFile()
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)
    memory = PeakMemory(server.pid)
    try:
        deadline = time.monotonic() + 90
        while not _healthy(url):
            if server.poll() is not None or time.monotonic() > deadline:
                print("the server did not start", file=sys.stderr)
                return 1
            time.sleep(0.3)
        idle = memory.current()
        load_before = os.getloadavg()[0]
        cpu_before = sum(memory.process.cpu_times()[:2])
        memory.start()
        started = time.perf_counter()
        times, failures, priorities = asyncio.run(run_class(url, teacher, texts, args.browser_nice, args.browser_idle))
        wall = time.perf_counter() - started
        memory.stopped.set()
        memory.join()
        after = memory.current()
        server_cpu = sum(memory.process.cpu_times()[:2]) - cpu_before
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    kind = "the same article" if args.same_article else "different articles"
    print(f"{args.sessions} concurrent sessions, {kind} (seed articles, {min(map(len, texts)):,}-"
          f"{max(map(len, texts)):,} characters), one headless Chromium "
          f"{'under SCHED_IDLE' if args.browser_idle else f'started at nice {args.browser_nice}'}, "
          "server and browser on the same 2 cores")
    print("Chromium's threads, 5 s into the class (policy, nice): "
          + ", ".join(f"{n} {policy} {nice:+d}" for (policy, nice), n in sorted(priorities.items())))
    print(f"load average of the machine before / after: {load_before:.1f} / {os.getloadavg()[0]:.1f} (2 cores)")
    print(f"completed {len(times)}/{args.sessions}, failures {len(failures)}; wall time incl. warm-up {wall:.1f} s")
    for failure in failures[:5]:
        print(f"  failure: {failure}")
    if times:
        for name, values in (("open page -> highlighted", [t[0] for t in times]),
                             ("paste -> highlighted", [t[1] for t in times])):
            print(f"{name:<25} median {statistics.median(values):5.1f} s, p95 {percentile(values, 0.95):5.1f} s, "
                  f"max {max(values):5.1f} s")
    print(f"server CPU time: {server_cpu:.1f} s in all ({server_cpu / (args.sessions + 1):.2f} s per session)")
    print(f"server memory (RSS, with children): idle {idle / 2**20:.0f} MiB, peak {memory.peak / 2**20:.0f} MiB, "
          f"after {after / 2**20:.0f} MiB")
    log.seek(0)
    lines = log.read().decode("utf-8", "replace").splitlines()
    runs = [float(seconds) for seconds in re.findall(rf"{RUN_MARK} (\d+\.\d+)", "\n".join(lines))]
    if runs:
        print(f"server script runs: {len(runs)}, duration median {statistics.median(runs):.2f} s, "
              f"p95 {percentile(runs, 0.95):.2f} s, max {max(runs):.2f} s")
    labels = re.findall(rf"{LABEL_MARK} (\d+)", "\n".join(lines))
    encodings = re.findall(rf"{ENCODE_MARK} (\d+)", "\n".join(lines))
    print(f"labelling (teacher included): {len(set(labels))} distinct texts, {len(labels)} labelling passes, "
          f"{len(encodings)} encodings of an article")
    problems = [line for line in lines if any(word in line for word in ("Error", "Exception", "Traceback", "WARNING"))]
    print(f"server log: {len(problems)} error/warning lines" + "".join(f"\n  {line}" for line in problems[:10]))
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
