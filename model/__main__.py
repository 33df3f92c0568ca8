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
        spans = tagger.label(text, threshold=args.threshold)
        print(json.dumps({"source": source, "spans": [s.to_dict() for s in spans]}, ensure_ascii=False), flush=True)
    return 1 if failed else 0


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
    p.add_argument("--threshold", type=float, default=None, help="minimum span score (default: the model card's)")
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
