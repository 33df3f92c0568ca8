"""Model file integrity: a damaged, altered or untrusted model is refused with a clear message, never half-loaded,
and a library-version mismatch is explained. Each test copies the committed model and changes the copy."""
import json
import pickle
import re
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from model.manifest import FILE as MANIFEST_FILE
from model.manifest import ModelFileError, sha256
from model.paths import PROJECT_ROOT, WEIGHTS_DIR
from model.tagger import load_tagger

SENTENCE = "The corrupt, evil regime of thugs and traitors committed horrific atrocities."


@pytest.fixture
def weights(tmp_path) -> Path:
    """A copy of the committed model folder, for a test to damage."""
    folder = tmp_path / "weights"
    shutil.copytree(WEIGHTS_DIR, folder)
    return folder


def manifest(folder: Path) -> dict:
    return json.loads((folder / MANIFEST_FILE).read_text(encoding="utf-8"))


def write_manifest(folder: Path, content: dict) -> None:
    (folder / MANIFEST_FILE).write_text(json.dumps(content), encoding="utf-8")


def model_files(folder: Path) -> list[str]:
    return sorted(manifest(folder)["files"])


def test_an_intact_copy_loads_and_labels_like_the_original(weights):
    assert load_tagger(weights).label(SENTENCE) == load_tagger().label(SENTENCE)


def test_every_model_file_is_listed_with_its_hash():
    listed = manifest(WEIGHTS_DIR)["files"]
    on_disk = sorted(p.relative_to(WEIGHTS_DIR).as_posix() for p in WEIGHTS_DIR.rglob("*")
                     if p.is_file() and p.name not in (MANIFEST_FILE, "LICENSE"))
    assert sorted(listed) == on_disk
    assert all(sha256(WEIGHTS_DIR / name) == digest for name, digest in listed.items())


@pytest.mark.parametrize("damage", ["one byte changed", "truncated", "emptied"])
def test_a_damaged_model_file_is_refused(weights, damage):
    for name in model_files(weights):
        folder = weights.parent / f"{damage}-{name}".replace(" ", "-")
        shutil.copytree(weights, folder)
        path = folder / name
        data = bytearray(path.read_bytes())
        if damage == "one byte changed":
            data[len(data) // 2] ^= 0x01
        elif damage == "truncated":
            data = data[: len(data) - 100]
        else:
            data = bytearray()
        path.write_bytes(bytes(data))
        with pytest.raises(ModelFileError, match="does not match its manifest.*refusing"):
            load_tagger(folder)


def test_a_word_table_with_a_malformed_line_is_refused_even_with_its_hash(weights):
    """A table that a broken build wrote (the manifest's hash matches it) is still refused, with its name."""
    path = weights / "word_classes.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "brutal\t1\n", encoding="utf-8")
    content = manifest(weights)
    content["files"]["word_classes.tsv"] = sha256(path)
    write_manifest(weights, content)
    with pytest.raises(ModelFileError, match="word_classes.tsv.*cannot be read.*brutal"):
        load_tagger(weights)


def test_a_missing_model_file_is_refused(weights):
    (weights / model_files(weights)[0]).unlink()
    with pytest.raises(ModelFileError, match="missing"):
        load_tagger(weights)


def test_a_missing_model_says_how_to_make_one(tmp_path):
    with pytest.raises(ModelFileError, match="python -m model train"):
        load_tagger(tmp_path)


@pytest.mark.parametrize("text, reason", [("{not json", "cannot be read"), ("[1, 2]", "not a Slant model manifest"),
                                          ('{"files": {}}', "not a Slant model manifest"),
                                          ("\udcff", "cannot be read")])
def test_an_unreadable_manifest_is_refused(weights, text, reason):
    (weights / MANIFEST_FILE).write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(ModelFileError, match=reason):
        load_tagger(weights)


@pytest.mark.parametrize("key, value", [("written_by", "python-crfsuite"), ("files", ["tagger.crfsuite"]),
                                        ("calibration", "steep"), ("calibration", {"name_calling": [1.0]}),
                                        ("thresholds", {"loaded_language": "high"}), ("default_threshold", "high"),
                                        ("default_threshold", float("nan")), ("cue_words", 7),
                                        ("valence", {"bins": "x"}), ("format_version", 999), ("token_lr", [1.0]),
                                        ("token_lr", {"bias": {"loaded_language": 0.5}, "weights": {}}),
                                        ("token_lr", {"bias": {"loaded_language": 0.5, "name_calling": 0.5},
                                                      "weights": {"loaded_language": {"w=evil": "high"},
                                                                  "name_calling": {}}})])
def test_a_manifest_with_nonsense_values_is_refused_when_loading_not_when_labelling(weights, key, value):
    content = manifest(weights)
    content[key] = value
    write_manifest(weights, content)
    with pytest.raises(ModelFileError):
        load_tagger(weights).label(SENTENCE)


def test_a_library_version_mismatch_is_explained(weights):
    content = manifest(weights)
    content["written_by"]["python-crfsuite"] = "0.0.1"
    write_manifest(weights, content)
    installed = version("python-crfsuite")
    with pytest.raises(ModelFileError, match=rf"python-crfsuite 0\.0\.1 but {installed} is installed.*requirements"):
        load_tagger(weights)


def test_loading_and_labelling_never_import_scikit_learn_or_training_code():
    code = ("import sys\nimport model\nt, text = model.load(), " + repr(SENTENCE) + "\nspan = t.label(text)[0]\n"
            "t.explain(text, span)\nt.evidence(text, span)\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in {'sklearn', 'joblib', 'skops'} "
            "or m.startswith('model.training') or m == 'model.data'))")
    run = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "[]"


def test_model_holds_only_what_labelling_imports():
    """Every module directly in model/ is imported by labelling, the command line or the app, never only by training."""
    labelling = {p.stem for p in (PROJECT_ROOT / "model").glob("*.py")} - {"__init__", "__main__"}
    importers = [*(PROJECT_ROOT / "model").glob("*.py"), PROJECT_ROOT / "app.py", *(PROJECT_ROOT / "ui").glob("*.py"),
                 *(PROJECT_ROOT / "views").glob("*.py")]
    imported = {m for path in importers for m in re.findall(r"\bmodel\.(\w+)", path.read_text(encoding="utf-8"))}
    assert labelling <= imported, f"only training uses: {sorted(labelling - imported)}"


class _RunsCode:
    """A pickle that creates a file when unpickled: what an untrusted model file could do to a pickle loader."""

    def __init__(self, target: Path):
        self.target = target

    def __reduce__(self):
        return (Path.touch, (self.target,))


def test_a_hostile_file_under_a_matching_hash_is_refused_and_never_runs(weights, tmp_path):
    """Hashes catch damage, not an attacker who rewrites the manifest too: what protects us then is that no model file
    is ever unpickled. A pickle that would run code, put in place of each model file with its hash in the
    manifest, is refused with a clear message and its code does not run."""
    sentinel = tmp_path / "pickle-code-ran"
    hostile = pickle.dumps(_RunsCode(sentinel))
    for name in model_files(weights):
        folder = tmp_path / f"hostile-{name}"
        shutil.copytree(weights, folder)
        (folder / name).write_bytes(hostile)
        content = manifest(folder)
        content["files"][name] = sha256(folder / name)
        write_manifest(folder, content)
        with pytest.raises(ModelFileError, match="cannot (be )?(read|loaded)"):
            load_tagger(folder)
    assert not sentinel.exists()
