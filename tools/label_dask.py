"""Label a corpus on a Dask cluster: records (Parquet, CSV or JSON Lines with a text column) in, a Parquet folder out
with columns id, spans (the JSON list `python -m model label` writes) and error.

    .venv/bin/python tools/label_dask.py INPUT OUTPUT_FOLDER [--scheduler tcp://HOST:8786] [--workers 2]

Without --scheduler it starts a LocalCluster of --workers one-thread processes on this machine. With one, every
worker needs this project installed (`pip install -r requirements-scale.txt` and `pip install -e .` in a clone,
model/weights/ included), since each loads the model once from its own disk. Needs requirements-scale.txt.
"""
import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere


def read(path: str, blocksize: str):
    import dask.dataframe as dd

    suffix = Path(path).suffix.lower()
    if suffix == ".parquet" or Path(path).is_dir():
        return dd.read_parquet(path)
    if suffix in (".csv", ".tsv"):
        return dd.read_csv(path, sep="\t" if suffix == ".tsv" else ",", blocksize=blocksize, dtype=str)
    return dd.read_json(path, lines=True, blocksize=blocksize, dtype={"id": str})


def main(argv=None) -> int:
    from dask.distributed import Client, LocalCluster

    from model.corpus import PARTITION_META, label_partition

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output", help="a folder for the Parquet files of the results")
    parser.add_argument("--scheduler", default=None, help="a Dask scheduler's address (default: a LocalCluster)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster processes (default: 2)")
    parser.add_argument("--text-column", default="text")
    parser.add_argument("--id-column", default="id")
    parser.add_argument("--blocksize", default="16MB", help="input bytes per partition (CSV and JSON Lines)")
    args = parser.parse_args(argv)

    # One encoder thread per worker process, as label-corpus --jobs does: two workers of two threads on two cores
    # were slower than one worker (benchmarks/bench_corpus.py).
    cluster = None if args.scheduler else LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                                       dashboard_address=":0", env={"SLANT_THREADS": "1"})
    try:
        with Client(args.scheduler or cluster):
            frame = read(args.input, args.blocksize)
            labelled = frame.map_partitions(label_partition, args.text_column, args.id_column, meta=PARTITION_META)
            labelled.to_parquet(args.output, write_index=False)
    finally:
        if cluster is not None:
            cluster.close()
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
