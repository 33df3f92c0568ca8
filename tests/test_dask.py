"""The labelling of a data frame's partition runs unchanged on a Dask cluster (requirements-scale.txt)."""
import json
import subprocess
import sys

import dask.dataframe as dd
import pandas as pd
from dask.distributed import Client, LocalCluster

from model.corpus import PARTITION_META, label_partition
from model.paths import SEEDS_DIR
from model.tokens import sentence_spans


def test_a_local_cluster_of_two_workers_labels_as_one_process_does():
    text = "".join(p.read_text(encoding="utf-8") + "\n" for p in sorted(SEEDS_DIR.glob("*.txt")))
    sentences = [text[a:b] for a, b in sentence_spans(text)]
    frame = pd.DataFrame({"id": [f"s{i}" for i in range(len(sentences))], "text": sentences})
    frame.loc[5, "text"] = None  # a bad record: an error in its row, the others labelled
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster):
        distributed = dd.from_pandas(frame, npartitions=6).map_partitions(label_partition, meta=PARTITION_META)
        result = distributed.compute()
    single = label_partition(frame)
    assert len(result) == len(frame) > 250
    pd.testing.assert_frame_equal(result, single)
    assert result.loc[5, "error"] == "no text in its 'text' field"
    assert sum(bool(json.loads(s)) for s in result["spans"].dropna()) > 50


def test_the_dask_tool_writes_parquet_results_of_the_readme_example(tmp_path):
    from model.paths import PROJECT_ROOT

    example = PROJECT_ROOT / "docs" / "examples" / "corpus.jsonl"
    run = subprocess.run([sys.executable, "tools/label_dask.py", str(example), str(tmp_path / "out"), "--workers", "2"],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    result = pd.read_parquet(tmp_path / "out")
    records = [json.loads(line) for line in example.read_text(encoding="utf-8").splitlines()]
    expected = label_partition(pd.DataFrame(records))
    assert list(result["id"]) == [r["id"] for r in records]
    assert list(result["spans"]) == list(expected["spans"])
