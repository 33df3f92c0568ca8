"""Command line: python -m model label|train|evaluate  (see README)."""
import argparse
import json
import sys


def label(args) -> int:
    from model.tagger import load_tagger
    from model.textio import InputError, decode_bytes, read_text_file

    tagger = load_tagger()
    failed = False
    for source in args.paths:
        try:
            text = decode_bytes(sys.stdin.buffer.read()) if source == "-" else read_text_file(source)
        except InputError as err:
            print(f"{source}: cannot label: {err}", file=sys.stderr)
            failed = True
            continue
        spans = tagger.label(text, threshold=thresholds(args.threshold))
        print(json.dumps({"source": source, "spans": [s.to_dict() for s in spans]}, ensure_ascii=False), flush=True)
    return 1 if failed else 0


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


def train(args) -> int:
    from model.train import main

    return main(args)


def evaluate(args) -> int:
    from model.evaluate import main

    return main(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m model", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    p = commands.add_parser("label", help="label text files; one JSON object per input on standard output")
    p.add_argument("--threshold", type=threshold_spec, action="append", metavar="[TECHNIQUE=]SCORE",
                   help="show spans scored at least SCORE: for every technique, or for one with TECHNIQUE=SCORE; "
                   "repeat to set several (default: each technique's threshold from the model card)")
    p.add_argument("paths", nargs="+", metavar="PATH", help="text files, or - for standard input")
    p.set_defaults(run=label)

    p = commands.add_parser("train", help="rebuild the committed model from the data, with a fixed seed")
    p.add_argument("--ptc", default=None, help="folder of the PTC training split (default: ../shared/ptc)")
    p.add_argument("--out", default=None, help="folder to write the model to (default: model/weights)")
    p.set_defaults(run=train)

    p = commands.add_parser("evaluate", help="precision, recall and F1 per technique on held-out data")
    p.add_argument("--ptc", default=None, help="folder of the PTC training split (default: ../shared/ptc)")
    p.add_argument("--out", default=None, help="file to write the figures to (default: model/metrics.json)")
    p.set_defaults(run=evaluate)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
