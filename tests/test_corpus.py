"""Labelling a corpus: texts of any size in pieces, records in and out, resuming, several workers."""
import io
import json
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import model
from model.corpus import Record, decoded_chunks, label_records, label_text, lines, pieces, read_records
from model.paths import PROJECT_ROOT, SEEDS_DIR
from model.textio import CLI_MAX_CHARS, InputError
from model.tokens import sentence_spans

SEEDS = "".join(p.read_text(encoding="utf-8") + "\n" for p in sorted(SEEDS_DIR.glob("*.txt")))


def cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "model", *args], cwd=PROJECT_ROOT, input=stdin,
                          capture_output=True, timeout=600)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab .\n\r", max_size=400), st.integers(1, 60), st.integers(0, 3))
def test_the_pieces_cover_the_text_exactly_once(text, size, context):
    parts = list(pieces([text[:150], text[150:]], size, context))
    assert "".join(p.text[p.keep_from:p.keep_to] for p in parts) == text
    at = 0
    for p in parts:
        assert p.offset + p.keep_from == at
        at = p.offset + p.keep_to


def test_a_long_line_is_cut_after_a_sentence_end():
    line = "One sentence here. " * 1000
    parts = list(lines([line], longest=500))
    assert "".join(parts) == line and len(parts) > 30
    assert all(part.endswith(". ") for part in parts[:-1])


def test_labelling_in_pieces_gives_the_spans_of_the_whole_text():
    tagger = model.load()
    whole = tagger.label(SEEDS)
    assert len(whole) > 100
    for size in (300, 3000):  # 100 and 12 pieces: every seam is crossed by sentence neighbours
        assert label_text(tagger, SEEDS, size=size) == whole


def test_the_encoding_is_checked_block_by_block():
    text = "Ünïcode text.\n" * 200_000
    assert "".join(decoded_chunks(io.BytesIO(text.encode("utf-8")))) == text
    assert "".join(decoded_chunks(io.BytesIO(b"\xff\xfe" + text.encode("utf-16-le")))) == text
    bad = text.encode("utf-8") + b"\xe9 and more"
    with pytest.raises(InputError, match=f"position {len(text.encode('utf-8')):,}"):
        list(decoded_chunks(io.BytesIO(bad)))
    with pytest.raises(InputError, match="binary"):
        list(decoded_chunks(io.BytesIO(b"text" * 1000 + b"\x00")))


def test_the_command_line_labels_a_file_longer_than_the_old_limit_with_offsets_into_it(tmp_path):
    # Two seeds with CRLF line ends around a long stretch of blank lines: over 2,000,000 characters.
    head, tail = (p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt"))[:2])
    text = (head + "\n" + " \n" * (CLI_MAX_CHARS // 2) + tail).replace("\n", "\r\n")
    path = tmp_path / "long.txt"
    path.write_bytes(text.encode("utf-8"))
    result = cli("label", "--jobs", "2", str(path))
    assert result.returncode == 0, result.stderr.decode()
    (record,) = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    spans = record["spans"]
    assert record["source"] == str(path) and spans
    assert all(text[s["start"]:s["end"]] == s["text"] for s in spans)
    late = len(text) - len(tail.replace("\n", "\r\n"))
    assert any(s["start"] >= late for s in spans), "the second seed, after the blank stretch, is labelled too"
    tagger = model.load()
    assert [s["text"] for s in spans if s["start"] >= late] == [
        s.text for s in tagger.label(tail.replace("\n", "\r\n"))]


def corpus_lines(n):
    """n records of the seeds' sentences, and four bad ones among them."""
    sentences = [SEEDS[a:b] for a, b in sentence_spans(SEEDS)]
    out = [json.dumps({"id": f"r{i}", "text": sentences[i % len(sentences)]}) for i in range(n)]
    out[10] = "{not json"
    out[20] = json.dumps({"id": "no-text", "body": "x"})
    out[30] = json.dumps({"id": "blank", "text": "   "})
    out[40] = json.dumps(["a", "list"])
    return out


def test_a_corpus_of_10000_records_is_labelled_and_a_stopped_run_resumes(tmp_path):
    source = tmp_path / "corpus.jsonl"
    source.write_text("\n".join(corpus_lines(10_000)) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    first = cli("label-corpus", str(source), "--out", str(out), "--jobs", "2")
    assert first.returncode == 1  # some records were bad
    errors = first.stderr.decode().splitlines()
    for name in ("record line 11:", "record no-text:", "record blank:", "record line 41:"):
        assert any(name in line and "skipped" in line for line in errors), (name, errors)
    done = out.read_text(encoding="utf-8").splitlines()
    assert len(done) == 10_000 - 4
    assert [json.loads(line)["id"] for line in done[:3]] == ["r0", "r1", "r2"]

    # A run stopped part way: 6,000 lines written and half of the next one.
    out.write_text("\n".join(done[:6000]) + "\n" + done[6000][:25], encoding="utf-8")
    again = cli("label-corpus", str(source), "--out", str(out), "--jobs", "1")
    assert again.returncode == 1
    assert "6,000 records were already in" in again.stderr.decode()
    assert out.read_text(encoding="utf-8").splitlines() == done


def test_csv_and_parquet_records_give_the_same_results_as_json_lines(tmp_path):
    frame = pd.DataFrame({"id": ["a", "b", "c"], "text": ["The brutal regime's thugs crushed the protest.",
                                                         "The budget passed.", "Traitors, puppets of the West!"]})
    frame.to_csv(tmp_path / "c.csv", index=False)
    frame.to_parquet(tmp_path / "c.parquet")
    (tmp_path / "c.jsonl").write_text(frame.to_json(orient="records", lines=True), encoding="utf-8")
    tagger = model.load()
    results = [list(label_records(tagger, read_records(str(tmp_path / f"c.{kind}"))))
               for kind in ("jsonl", "csv", "parquet")]
    assert results[0] == results[1] == results[2]
    assert [r["id"] for r in results[0]] == ["a", "b", "c"] and results[0][0]["spans"]
    with pytest.raises(InputError, match="no column 'body'"):
        list(read_records(str(tmp_path / "c.csv"), text_column="body"))


def test_standard_input_and_the_results_on_standard_output():
    records = "\n".join(json.dumps({"text": t}) for t in ("The bloodthirsty thugs attacked.", "It rained.")) + "\n"
    result = cli("label-corpus", "-", "--jobs", "1", stdin=records.encode())
    assert result.returncode == 0, result.stderr.decode()
    out = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert [r["id"] for r in out] == ["line 1", "line 2"] and out[0]["spans"] and out[1]["spans"] == []


def test_a_record_without_text_says_why():
    tagger = model.load()
    assert list(label_records(tagger, [Record("x", error="no text in its 'text' field")])) == [
        {"id": "x", "error": "no text in its 'text' field"}]
