"""Command line: python -m model label|label-corpus|train|evaluate  (see README)."""
import argparse
import json
import sys


def label(args) -> int:
    from contextlib import ExitStack

    from model.corpus import Workers

    limits = thresholds(args.threshold)
    failed = False
    with ExitStack() as cleanup:
        workers = []  # started at the first work to share out (a long text, or many files), when --jobs is above 1

        def start_workers():
            if not workers and args.jobs > 1:
                workers.append(cleanup.enter_context(Workers(args.jobs)))
            return workers[0] if workers else None

        small = []  # consecutive files short enough to label whole: shared out among the workers, one file a task
        for source in [*args.paths, None]:
            if source is not None and _is_small(source):
                small.append(source)
                continue
            if small:
                failed |= not label_small_files(small, limits, start_workers if len(small) > 1 else lambda: None)
                small = []
            if source is not None:
                failed |= not label_source(source, limits, start_workers)
    return 1 if failed else 0


def _is_small(source: str) -> bool:
    """A file labelled whole: at most MAX_CHARS bytes, or one that cannot be read (its error is said in order)."""
    import os

    from model.textio import MAX_CHARS

    try:
        return source != "-" and os.path.getsize(source) <= MAX_CHARS
    except OSError:
        return source != "-"


def label_small_files(sources: list[str], limits, start_workers) -> bool:
    """Print each file's JSON line in order (the files labelled by the workers when there are any); False if one was
    bad, each said on standard error."""
    from model.corpus import label_file, label_file_in_worker

    workers = start_workers()
    if workers is None:
        from model.tagger import load_tagger

        results = (label_file(load_tagger(), source, limits) for source in sources)
    else:
        results = workers.map(label_file_in_worker, [(source, limits) for source in sources])
    return all([say(result) for result in results])  # a list: every result is said, not up to the first bad one


def say(result: dict) -> bool:
    """Print a file's output line, or its error on standard error (then False)."""
    if "error" in result:
        print(f"{result['source']}: cannot label: {result['error']}", file=sys.stderr)
        return False
    print(json.dumps(result, ensure_ascii=False), flush=True)
    return True


def label_source(source: str, limits, start_workers) -> bool:
    """Print the spans of one file (or "-") as a JSON line; False, with a line on standard error, if it is bad."""
    from model.corpus import decoded_chunks, label_stream, label_whole
    from model.tagger import load_tagger
    from model.textio import MAX_CHARS, InputError

    try:
        with _open(source) as stream:
            if _size(stream) <= MAX_CHARS:  # whole, as the app labels it; longer in pieces, so memory stays flat
                return say(label_whole(load_tagger(), source, stream.read(), limits))
            for _chunk in decoded_chunks(stream):  # read it once to refuse a bad file before any output
                pass
            workers = start_workers()
            tagger = None if workers else load_tagger()  # with workers, each loads its own
            stream.seek(0)
            sys.stdout.write(json.dumps({"source": source, "spans": []}, ensure_ascii=False)[:-2])
            for i, span in enumerate(label_stream(tagger, decoded_chunks(stream), limits, workers=workers)):
                sys.stdout.write((", " if i else "") + json.dumps(span.to_dict(), ensure_ascii=False))
            sys.stdout.write("]}\n")
            sys.stdout.flush()
            return True
    except InputError as err:
        print(f"{source}: cannot label: {err}", file=sys.stderr)
        return False


def _open(source: str):
    """A binary file to read `source` from (standard input is copied to a temporary file, a chunk at a time)."""
    import shutil
    import tempfile

    from model.textio import open_binary

    if source == "-":
        copy = tempfile.TemporaryFile()
        shutil.copyfileobj(sys.stdin.buffer, copy, 1 << 20)
        copy.seek(0)
        return copy
    return open_binary(source)


def _size(stream) -> int:
    stream.seek(0, 2)
    size = stream.tell()
    stream.seek(0)
    return size


def label_corpus(args) -> int:
    from contextlib import nullcontext

    from model.corpus import Workers, label_records, prepare_output, read_records
    from model.tagger import load_tagger
    from model.textio import InputError

    tagger = load_tagger() if args.jobs <= 1 else None
    done = prepare_output(args.out) if args.out else set()
    out = open(args.out, "a", encoding="utf-8") if args.out else sys.stdout
    failed = skipped = 0
    records = (r for r in read_records(args.input, args.text_column, args.id_column) if r.id not in done)
    try:
        with Workers(args.jobs) if args.jobs > 1 else nullcontext() as workers, _progress() as progress:
            for line in label_records(tagger, records, thresholds(args.threshold), workers=workers):
                if "error" in line:
                    print(f"{args.input}: record {line['id']}: skipped: {line['error']}", file=sys.stderr)
                    failed += 1
                else:
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
                    out.flush()
                progress.update(1)
    except InputError as err:
        print(f"{args.input}: cannot label: {err}", file=sys.stderr)
        return 1
    except FileNotFoundError:
        print(f"{args.input}: cannot label: no such file", file=sys.stderr)
        return 1
    finally:
        if args.out:
            out.close()
    if done:
        skipped = len(done)
        print(f"{skipped:,} records were already in {args.out}: not labelled again", file=sys.stderr)
    return 1 if failed else 0


def _progress():
    from tqdm import tqdm

    return tqdm(unit=" texts", disable=not sys.stderr.isatty(), file=sys.stderr)


def threshold_spec(value: str) -> tuple[str | None, float]:
    """`0.3` (every technique) or `name_calling=0.3` (one technique), as (technique or None, threshold)."""
    from model.techniques import TECHNIQUES

    technique, _, number = value.rpartition("=")
    if technique and technique not in TECHNIQUES:
        raise argparse.ArgumentTypeError(f"no technique {technique!r}; the techniques are {', '.join(TECHNIQUES)}")
    try:
        threshold = float(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number from 0 to 1 (or TECHNIQUE=NUMBER)") from None
    if not 0.0 <= threshold <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number from 0 to 1")
    return technique or None, threshold


def thresholds(specs: list | None) -> dict[str, float] | None:
    """The tagger's threshold argument from the --threshold options, applied in order: None keeps the defaults."""
    from model.techniques import TECHNIQUES

    if not specs:
        return None
    limits = {}
    for technique, threshold in specs:
        limits |= {technique: threshold} if technique else dict.fromkeys(TECHNIQUES, threshold)
    return limits


def default_jobs() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def jobs_count(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of processes (1 or more)")
    return int(value)


def train(args) -> int:
    from model.training.train import main

    return main(args)


def evaluate(args) -> int:
    from model.training.evaluate import main

    return main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m model", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("label", help="label text files; one JSON object per input on standard output")
    p.add_argument("--threshold", type=threshold_spec, action="append", metavar="[TECHNIQUE=]SCORE",
                   help="show spans scored at least SCORE: for every technique, or for one with TECHNIQUE=SCORE; "
                   "repeat to set several (default: each technique's threshold from the model card)")
    p.add_argument("--jobs", type=jobs_count, default=default_jobs(), metavar="N",
                   help="worker processes, each loading the model once, sharing out several files or the pieces of a "
                   "file of more than 100,000 bytes (default: all cores)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="text files of any size, or - for standard input")
    p.set_defaults(run=label)

    p = commands.add_parser("label-corpus", help="label a corpus of records; one JSON object per record")
    p.add_argument("input", metavar="INPUT", help="JSON Lines (.jsonl, or - for standard input), CSV (.csv, .tsv) "
                   "or Parquet (.parquet), with a text column")
    p.add_argument("--out", default=None, metavar="FILE", help="append the results to this JSON Lines file, leaving "
                   "out the ids it already holds, so a rerun goes on where a stopped run ended (default: standard "
                   "output)")
    p.add_argument("--text-column", default="text", help="the field that holds the text (default: text)")
    p.add_argument("--id-column", default="id", help="the field that names a record (default: id; without one, "
                   "the line or row number)")
    p.add_argument("--threshold", type=threshold_spec, action="append", metavar="[TECHNIQUE=]SCORE",
                   help="as for label")
    p.add_argument("--jobs", type=jobs_count, default=default_jobs(), metavar="N",
                   help="worker processes, each loading the model once (default: all cores)")
    p.set_defaults(run=label_corpus)

    p = commands.add_parser("train", help="rebuild the committed model from the data, with a fixed seed")
    p.add_argument("--ptc", default=None, help="folder of the PTC training split (default: ../shared/ptc)")
    p.add_argument("--encoder", default=None,
                   help="folder of the exported encoder to build on (default: model/weights/encoder)")
    p.add_argument("--out", default=None, help="folder to write the model to (default: model/weights)")
    p.add_argument("--reviews", default=None, metavar="FOLDER",
                   help="also learn from the teachers' reviews in FOLDER (the app's, by default ~/.slant/reviews): "
                   "removed highlights as negatives, added ones as positives")
    p.add_argument("--review-texts", default=None, metavar="FOLDER",
                   help="the articles the reviews are of, as .txt files (matched by SHA-256; the seeds are found "
                   "without it)")
    p.set_defaults(run=train)

    p = commands.add_parser("evaluate", help="precision, recall and F1 per technique on held-out data")
    p.add_argument("--ptc", default=None, help="folder of the PTC training split (default: ../shared/ptc)")
    p.add_argument("--out", default=None, help="file to write the figures to (default: model/metrics.json)")
    p.add_argument("--no-seeds", action="store_true",
                   help="skip the leave-one-seed-out of loaded_language and name_calling (five CRF trainings)")
    p.set_defaults(run=evaluate)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
