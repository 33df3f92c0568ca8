"""Labelling a corpus: texts of any size in bounded pieces, records in and out, several worker processes.

A text is cut into pieces at line ends (sentences never cross a line end, and quotations close at one), and each
piece is labelled with CONTEXT_LINES lines either side, so that the foreign_hand component sees a sentence's
neighbours across the seam; only the spans that start in the piece itself are kept. A line longer than
LINE_CHARS is cut at a sentence end (docs/decisions/corpus-labelling.md measures both kinds of seam).
Labelling only: nothing here imports training code.
"""
import codecs
import csv
import json
import os
import re
import sys
from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from model.spans import Span
from model.textio import InputError

PIECE_CHARS = 20_000
LINE_CHARS = 5_000  # a longer line is cut at a sentence end: its parts count as lines
CONTEXT_LINES = 2
READ_BYTES = 1 << 20
# A sentence end inside a long line: terminal punctuation, white space, then a capital (model/tokens.py's rule).
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*[ \t]+(?=[\"'“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Piece:
    """Text to label (`text`, starting at `offset` of the whole); keep spans starting in [keep_from, keep_to)."""
    offset: int
    text: str
    keep_from: int
    keep_to: int


# -- reading ----------------------------------------------------------------------------------------------------
def decoded_chunks(stream, name: str = "input") -> Iterator[str]:
    """The text of a binary stream, READ_BYTES at a time, under model/textio.py's encoding policy (UTF-8 with or
    without a byte-order mark, UTF-16 with one); InputError naming the byte where it stops being text."""
    head = stream.read(READ_BYTES)
    if not head.strip():
        raise InputError("it is empty")
    encoding, skip = "utf-8", 0
    for bom, name_ in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                       (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            encoding, skip = name_, len(bom)
            break
    decoder = codecs.getincrementaldecoder(encoding)()
    position, data = 0, head[skip:]
    while data:
        pending = len(decoder.getstate()[0])  # bytes of a character begun in the previous block
        if encoding == "utf-8" and b"\x00" in data:
            raise InputError(f"it looks like a binary file, not text (a zero byte near byte {position + skip:,})")
        try:
            text = decoder.decode(data)
        except UnicodeDecodeError as err:
            raise InputError(f"it is not {encoding.upper()[:6]} text (undecodable byte at position "
                             f"{position + skip - pending + err.start:,}); save it as UTF-8 and try again") from None
        if "\x00" in text:
            raise InputError("it looks like a binary file, not text")
        position += len(data)
        yield text
        data = stream.read(READ_BYTES)
    pending = len(decoder.getstate()[0])
    try:
        tail = decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        raise InputError(f"it is not {encoding.upper()[:6]} text (undecodable byte at position "
                         f"{position + skip - pending:,}); save it as UTF-8 and try again") from None
    if tail:
        yield tail


def lines(chunks: Iterable[str], longest: int = LINE_CHARS) -> Iterator[str]:
    """The text's lines with their line ends ("\\n", "\\r\\n"), joined back they give the text; a line longer than
    `longest` comes in parts cut after a sentence end (or, with none, at white space, or anywhere)."""
    rest = ""
    for chunk in chunks:
        rest += chunk
        parts = rest.split("\n")
        rest = parts.pop()
        for part in parts:
            yield from _cut(part + "\n", longest)
        while len(rest) > 2 * longest:  # a long line without its end yet: cut what is surely in the middle of it
            head, rest = _cut_once(rest, longest)
            yield head
    if rest:
        yield from _cut(rest, longest)


def _cut(line: str, longest: int) -> Iterator[str]:
    while len(line) > longest:
        head, line = _cut_once(line, longest)
        yield head
    yield line


def _cut_once(line: str, longest: int) -> tuple[str, str]:
    ends = [m.end() for m in _SENTENCE_END.finditer(line, longest // 2, longest)]
    at = ends[-1] if ends else line.rfind(" ", longest // 2, longest) + 1 or longest
    return line[:at], line[at:]


def pieces(chunks: Iterable[str], size: int = PIECE_CHARS, context: int = CONTEXT_LINES) -> Iterator[Piece]:
    """The text in pieces of about `size` characters, each with `context` lines of text (blank lines aside) of its
    neighbours either side, or as many as `size` characters of them hold."""
    window: list[str] = []  # context lines before, then the lines of the piece, then the lines read ahead
    offset = 0  # where window[0] starts in the whole text
    before = 0  # how many lines of the window are context before the piece
    piece_end = None  # index in window just after the piece's last line, once the piece is full
    chars = ahead_lines = ahead_chars = 0
    for line in lines(chunks, LINE_CHARS):
        window.append(line)
        if piece_end is None:
            chars += len(line)
            if chars >= size:
                piece_end = len(window)
            continue
        ahead_lines += bool(line.strip())
        ahead_chars += len(line)
        if ahead_lines >= context or ahead_chars >= size:
            yield _piece(window, offset, before, piece_end)
            drop, kept_lines, kept_chars = piece_end, 0, 0
            while drop > 0 and kept_lines < context and kept_chars < size:
                drop -= 1
                kept_lines += bool(window[drop].strip())
                kept_chars += len(window[drop])
            offset += sum(map(len, window[:drop]))
            window = window[drop:]
            before = piece_end - drop
            chars = sum(map(len, window[before:]))
            piece_end = len(window) if chars >= size else None
            ahead_lines = ahead_chars = 0
    if len(window) > before:
        yield _piece(window, offset, before, len(window))


def _piece(window: list[str], offset: int, before: int, end: int) -> Piece:
    keep_from = sum(map(len, window[:before]))
    keep_to = keep_from + sum(map(len, window[before:end]))
    return Piece(offset, "".join(window), keep_from, keep_to)


# -- labelling ----------------------------------------------------------------------------------------------------
def label_piece(tagger, piece: Piece, threshold=None) -> list[Span]:
    """The spans of `piece` that start in the piece itself, with offsets into the whole text."""
    if not piece.text.strip():
        return []
    return [replace(s, start=s.start + piece.offset, end=s.end + piece.offset)
            for s in tagger.label(piece.text, threshold=threshold) if piece.keep_from <= s.start < piece.keep_to]


def label_stream(tagger, chunks: Iterable[str], threshold=None, size: int = PIECE_CHARS,
                 workers=None) -> Iterator[Span]:
    """Every span of the text `chunks` make, in order, labelled piece by piece (by `workers` if given)."""
    work = pieces(chunks, size)
    if workers is None:
        for piece in work:
            yield from label_piece(tagger, piece, threshold)
    else:
        for spans in workers.map(_label_piece_in_worker, ((piece, threshold) for piece in work)):
            yield from spans


def label_text(tagger, text: str, threshold=None, size: int = PIECE_CHARS) -> list[Span]:
    """`tagger.label(text)` for a text of any length, with memory bounded by the piece size."""
    return list(label_stream(tagger, [text], threshold, size))


# -- worker processes ---------------------------------------------------------------------------------------------
class Workers:
    """`jobs` processes, each loading the model once and running the encoder on one thread; a context manager."""

    def __init__(self, jobs: int, model_folder=None):
        import multiprocessing

        self.jobs = jobs
        self.pool = multiprocessing.get_context("spawn").Pool(jobs, initializer=_load_in_worker,
                                                              initargs=(model_folder,))

    def map(self, function, items: Iterable, ahead: int = 4) -> Iterator:
        """`function` over `items`, results in order, with at most `ahead` tasks per worker in flight (Pool.imap
        would read all of `items` at once: a whole corpus in memory)."""
        pending = deque()
        for item in items:
            pending.append(self.pool.apply_async(function, (item,)))
            if len(pending) >= ahead * self.jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.pool.terminate() if exc[0] else self.pool.close()
        self.pool.join()


_worker_tagger = None


def _load_in_worker(model_folder) -> None:
    global _worker_tagger
    os.environ["SLANT_THREADS"] = "1"
    from model import load

    _worker_tagger = load(model_folder)


def _label_piece_in_worker(args) -> list[Span]:
    piece, threshold = args
    return label_piece(_worker_tagger, piece, threshold)


def _label_record_in_worker(args) -> dict:
    record, threshold = args
    return label_record(_worker_tagger, record, threshold)


def label_file_in_worker(args) -> dict:
    source, threshold = args
    return label_file(_worker_tagger, source, threshold)


def label_file(tagger, path: str, threshold=None) -> dict:
    """The output line of a file labelled whole (label_whole), or {"source", "error"} if it cannot be opened."""
    from model.textio import open_binary

    try:
        with open_binary(path) as f:
            data = f.read()
    except InputError as err:
        return {"source": path, "error": str(err)}
    return label_whole(tagger, path, data, threshold)


def label_whole(tagger, source: str, data: bytes, threshold=None) -> dict:
    """The output line of a text labelled whole from its bytes: {"source", "spans"} as `python -m model label` writes
    it, or {"source", "error"} saying why the bytes are not text."""
    from model.textio import decode_bytes

    try:
        text = decode_bytes(data)
    except InputError as err:
        return {"source": source, "error": str(err)}
    return {"source": source, "spans": [s.to_dict() for s in tagger.label(text, threshold=threshold)]}


# -- records --------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Record:
    """One text of a corpus: `id` as given (or its line or row number), or `error` saying why it cannot be read."""
    id: str
    text: str | None = None
    error: str | None = None


def label_record(tagger, record: Record, threshold=None) -> dict:
    """The output line of a record: {"id", "spans"} as `python -m model label` writes them, or {"id", "error"}."""
    if record.error is not None:
        return {"id": record.id, "error": record.error}
    if not record.text or not record.text.strip():
        return {"id": record.id, "error": "its text is empty"}
    spans = label_text(tagger, record.text, threshold)
    return {"id": record.id, "spans": [s.to_dict() for s in spans]}


def read_records(path: str, text_column: str = "text", id_column: str = "id") -> Iterator[Record]:
    """The records of a JSON Lines file (or "-" for standard input), a CSV file or a Parquet file, one at a time."""
    suffix = Path(path).suffix.lower()
    if suffix == ".parquet":
        yield from _parquet_records(path, text_column, id_column)
    elif suffix in (".csv", ".tsv"):
        yield from _csv_records(path, text_column, id_column, "\t" if suffix == ".tsv" else ",")
    else:
        stream = sys.stdin.buffer if path == "-" else open(path, "rb")
        try:
            yield from _jsonl_records(stream, text_column, id_column)
        finally:
            if path != "-":
                stream.close()


def _record(fields: Mapping, where: str, text_column: str, id_column: str) -> Record:
    raw_id = fields.get(id_column)
    record_id = where if raw_id is None or raw_id == "" else str(raw_id)
    text = fields.get(text_column)
    if not isinstance(text, str):
        return Record(record_id, error=f"no text in its {text_column!r} field")
    return Record(record_id, text=text)


def _jsonl_records(stream, text_column: str, id_column: str) -> Iterator[Record]:
    for number, raw in enumerate(stream, start=1):
        where = f"line {number}"
        if not raw.strip():
            continue
        try:
            fields = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            yield Record(where, error="it is not UTF-8")
            continue
        except json.JSONDecodeError as err:
            yield Record(where, error=f"it is not JSON ({err.msg})")
            continue
        if not isinstance(fields, dict):
            yield Record(where, error="it is not a JSON object")
            continue
        yield _record(fields, where, text_column, id_column)


def _csv_records(path: str, text_column: str, id_column: str, delimiter: str) -> Iterator[Record]:
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f, delimiter=delimiter)
        if text_column not in (reader.fieldnames or []):
            raise InputError(f"it has no column {text_column!r} (its columns: {', '.join(reader.fieldnames or [])})")
        for number, row in enumerate(reader, start=1):
            yield _record(row, f"row {number}", text_column, id_column)


def _parquet_records(path: str, text_column: str, id_column: str) -> Iterator[Record]:
    import pyarrow.parquet as pq

    table = pq.ParquetFile(path)
    names = table.schema_arrow.names
    if text_column not in names:
        raise InputError(f"it has no column {text_column!r} (its columns: {', '.join(names)})")
    columns = [c for c in (id_column, text_column) if c in names]
    number = 0
    for batch in table.iter_batches(batch_size=256, columns=columns):
        for row in batch.to_pylist():
            number += 1
            yield _record(row, f"row {number}", text_column, id_column)


def done_ids(out_path: str) -> set[str]:
    """The ids an earlier run already wrote to `out_path` (a partly written last line is not done)."""
    done = set()
    if not os.path.exists(out_path):
        return done
    with open(out_path, encoding="utf-8") as f:
        for line in f:
            try:
                done.add(json.loads(line)["id"])
            except (json.JSONDecodeError, KeyError, TypeError):
                continue
    return done


def label_records(tagger, records: Iterable[Record], threshold=None, workers=None) -> Iterator[dict]:
    """The output line of each record, in the order given (labelled by `workers` if given)."""
    if workers is None:
        for record in records:
            yield label_record(tagger, record, threshold)
    else:
        yield from workers.map(_label_record_in_worker, ((r, threshold) for r in records))


# -- a partition of a data frame (Dask, Spark) ------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _partition_tagger(model_folder):
    from model import load

    return load(model_folder)


def label_partition(frame, text_column: str = "text", id_column: str = "id", threshold=None, model_folder=None):
    """A pandas DataFrame with columns id, spans (the JSON list `python -m model label` writes) and error, one row per
    row of `frame`: the function to give `dask.dataframe.map_partitions` or Spark's `mapInPandas`. The model is
    loaded once per process."""
    import pandas as pd

    tagger = _partition_tagger(model_folder)
    rows = []
    for index, fields in zip(frame.index, frame.to_dict("records"), strict=True):
        out = label_record(tagger, _record(fields, f"row {index}", text_column, id_column), threshold)
        rows.append({"id": out["id"], "spans": json.dumps(out.get("spans"), ensure_ascii=False) if "spans" in out
                     else None, "error": out.get("error")})
    return pd.DataFrame(rows, columns=["id", "spans", "error"], index=frame.index).astype(
        {"id": "string", "spans": "string", "error": "string"})


PARTITION_META = {"id": "string", "spans": "string", "error": "string"}


def prepare_output(out_path: str) -> set[str]:
    """The ids an earlier run already wrote to `out_path`, after cutting off a last line it did not finish."""
    if not os.path.exists(out_path):
        return set()
    with open(out_path, "rb+") as f:
        data = f.read()
        if data and not data.endswith(b"\n"):
            f.truncate(data.rfind(b"\n") + 1)
    return done_ids(out_path)
