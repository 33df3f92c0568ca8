"""The command-line contract of `python -m model label` that other tools depend on."""
import json
import subprocess
import sys

from model.paths import PROJECT_ROOT, SEEDS_DIR

ARTICLE = "The brutal regime's thugs crushed the protest. “Traitors!” shouted the crowd.\nThe budget passed.\n"


def run(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "model", "label", *args], cwd=PROJECT_ROOT, input=stdin,
                          capture_output=True, timeout=120)


def records(stdout: bytes):
    return [json.loads(line) for line in stdout.decode("utf-8").splitlines()]


def check_record(record, text):
    assert set(record) == {"source", "spans"}
    spans = record["spans"]
    assert spans == sorted(spans, key=lambda s: (s["start"], s["end"], s["technique"]))
    for s in spans:
        assert set(s) == {"start", "end", "technique", "score", "voice", "text"}
        assert s["text"] == text[s["start"]:s["end"]]
        assert s["technique"] in ("loaded_language", "name_calling", "foreign_hand")
        assert s["voice"] in ("author", "quoted")
        assert 0.0 <= s["score"] <= 1.0
    for technique in {s["technique"] for s in spans}:
        mine = [s for s in spans if s["technique"] == technique]
        assert all(a["end"] <= b["start"] for a, b in zip(mine, mine[1:], strict=False))


def test_good_files_are_labelled_in_order_with_offsets_into_the_raw_text(tmp_path):
    crlf = tmp_path / "windows.txt"
    crlf.write_bytes(ARTICLE.replace("\n", "\r\n").encode("utf-8"))
    seed = sorted(SEEDS_DIR.glob("*.txt"))[0]
    result = run(str(crlf), str(seed), "--threshold", "0.0")
    assert result.returncode == 0, result.stderr
    out = records(result.stdout)
    assert [r["source"] for r in out] == [str(crlf), str(seed)]
    check_record(out[0], crlf.read_bytes().decode("utf-8"))
    check_record(out[1], seed.read_bytes().decode("utf-8"))
    assert out[1]["spans"], "a seed article at threshold 0 should give candidate spans"


def test_bad_inputs_are_named_on_stderr_and_the_good_ones_still_labelled(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE, encoding="utf-8")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)))
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Caf\xe9 au lait".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "missing.txt"
    result = run(str(binary), str(good), str(missing), str(latin1), str(empty))
    assert result.returncode == 1
    assert [r["source"] for r in records(result.stdout)] == [str(good)]
    errors = result.stderr.decode("utf-8").splitlines()
    assert len(errors) == 4 and "Traceback" not in result.stderr.decode("utf-8")
    for path, line in zip((binary, missing, latin1, empty), errors, strict=True):
        assert str(path) in line


def test_dash_reads_standard_input():
    result = run("-", stdin=ARTICLE.encode("utf-8"))
    assert result.returncode == 0, result.stderr
    (record,) = records(result.stdout)
    assert record["source"] == "-"
    check_record(record, ARTICLE)


def test_a_higher_threshold_gives_a_subset():
    low = records(run("-", "--threshold", "0.0", stdin=ARTICLE.encode()).stdout)[0]["spans"]
    high = records(run("-", "--threshold", "0.7", stdin=ARTICLE.encode()).stdout)[0]["spans"]
    assert all(s in low for s in high) and all(s["score"] >= 0.7 for s in high)


def test_a_threshold_for_one_technique_leaves_the_others_at_their_default():
    seed = str(next(SEEDS_DIR.glob("000_*.txt")))
    default = records(run(seed).stdout)[0]["spans"]
    strict = records(run(seed, "--threshold", "name_calling=0.99").stdout)[0]["spans"]
    assert [s for s in strict if s["technique"] != "name_calling"] == [
        s for s in default if s["technique"] != "name_calling"]
    assert len([s for s in strict if s["technique"] == "name_calling"]) < len(
        [s for s in default if s["technique"] == "name_calling"])


def test_one_threshold_means_every_span_scored_at_least_that_high_and_no_other():
    seed = next(SEEDS_DIR.glob("000_*.txt"))
    every = records(run(str(seed), "--threshold", "0.0").stdout)[0]["spans"]
    some = records(run(str(seed), "--threshold", "0.3").stdout)[0]["spans"]
    assert some and all(s["score"] >= 0.3 for s in some)
    assert {(s["start"], s["technique"]) for s in every if s["score"] >= 0.35} <= {
        (s["start"], s["technique"]) for s in some}


def test_a_bad_threshold_is_refused_with_its_reason():
    for bad, reason in (("1.5", "from 0 to 1"), ("insults=0.2", "no technique 'insults'"), ("high", "not a number")):
        result = run("-", "--threshold", bad, stdin=ARTICLE.encode())
        assert result.returncode == 2 and reason in result.stderr.decode()


def test_many_files_are_shared_among_the_workers_and_said_in_order(tmp_path):
    """A folder of articles (`label --jobs 2 *.txt`): each file is a task for a worker; output and errors keep the
    order of the arguments and equal one process's."""
    seeds = sorted(SEEDS_DIR.glob("*.txt"))
    (tmp_path / "bad.txt").write_bytes(b"caf\xe9")
    paths = [str(seeds[0]), str(tmp_path / "bad.txt"), *map(str, seeds[1:3]), str(tmp_path / "missing.txt"),
             str(seeds[3])]
    one, two = run("--jobs", "1", *paths), run("--jobs", "2", *paths)
    assert one.returncode == two.returncode == 1
    assert two.stdout == one.stdout
    assert [r["source"] for r in records(two.stdout)] == [paths[0], paths[2], paths[3], paths[5]]
    errors = two.stderr.decode().splitlines()
    assert errors == one.stderr.decode().splitlines()
    assert errors[0].startswith(f"{paths[1]}: cannot label: it is not UTF-8") and "no such file" in errors[1]
