import json

from tools.compare import compare, json_differences


def test_numbers_within_the_tolerance_agree_and_beyond_it_differ():
    assert json_differences({"w": [0.12345, 2]}, {"w": [0.12349, 2]}, "m", 1e-4) == []
    assert json_differences({"w": [0.1234, 2]}, {"w": [0.1236, 2]}, "m", 1e-4) == ["m.w[0]: 0.1234 vs 0.1236"]


def test_structure_and_strings_must_match():
    assert json_differences({"a": 1}, {"b": 1}, "m", 1)
    assert json_differences(["x"], ["y"], "m", 1)
    assert json_differences([1, 2], [1], "m", 1)
    assert json_differences(True, 1, "m", 1)


def test_folders_compare_json_by_value_and_other_files_by_hash(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder, value, blob in ((a, 0.5000001, b"x"), (b, 0.5, b"y")):
        folder.mkdir()
        (folder / "weights.json").write_text(json.dumps({"w": value}))
        (folder / "manifest.json").write_text(json.dumps({"files": {"weights.json": str(value)}}))
        (folder / "crf.bin").write_bytes(blob)
    problems, notes = compare(a, b, 1e-4)
    assert problems == []
    assert notes == ["crf.bin: bytes differ (judged by the golden outputs)"]
    (a / "extra.json").write_text("{}")
    assert compare(a, b, 1e-4)[0]
