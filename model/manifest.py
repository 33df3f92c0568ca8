"""The model folder's `manifest.json`: written by training (`write`), read and checked before anything is loaded
(`read`, `check_versions`, `check_file`). It holds the cue words, the per-token regression, calibration and
thresholds, the library versions that wrote the model and a SHA-256 of every file; a file that does not match is
refused, so no altered model file is ever loaded."""
import hashlib
import json
import math
from importlib.metadata import version
from pathlib import Path

from model.techniques import TOKEN_TECHNIQUES

FILE = "manifest.json"
FORMAT_VERSION = 2
KEYS = {"format_version", "written_by", "files", "labels", "cue_words", "valence", "calibration", "thresholds",
        "default_threshold", "trained_on"}


class ModelFileError(RuntimeError):
    """The model files are missing, damaged, altered, or were written by another library version."""


def sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def library_versions() -> dict:
    import pycrfsuite

    return {
        "python-crfsuite": version("python-crfsuite"),
        "crfsuite": pycrfsuite.CRFSUITE_VERSION,
        "scikit-learn": version("scikit-learn"),
    }


def write(folder: Path, manifest: dict, files: list[str]) -> None:
    """`manifest` with the format version, the library versions and the SHA-256 of each of `files` (names in
    `folder`), as `folder`/manifest.json."""
    content = manifest | {"format_version": FORMAT_VERSION, "written_by": library_versions(),
                          "files": {name: sha256(folder / name) for name in files}}
    (folder / FILE).write_text(json.dumps(content, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def read(folder: Path) -> dict:
    """The manifest of the model in `folder`, or ModelFileError saying what is wrong with it."""
    path = folder / FILE
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelFileError(f"no model at {folder}: run `python -m model train`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ModelFileError(f"the model manifest {path} cannot be read ({err})") from None
    if not isinstance(manifest, dict) or not KEYS <= manifest.keys():
        raise ModelFileError(f"the model manifest {path} is not a Slant model manifest")
    if manifest["format_version"] != FORMAT_VERSION:
        raise ModelFileError(f"{path} has model format {manifest['format_version']!r}, this code reads "
                             f"{FORMAT_VERSION}: run `python -m model train`")
    _check_values(manifest, path)
    return manifest


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_values(manifest: dict, path: Path) -> None:
    """Refuse values of the wrong shape when loading, with a clear message, rather than fail later while labelling."""
    bad = [key for key in ("written_by", "files", "cue_words", "valence", "calibration", "thresholds")
           if not isinstance(manifest[key], dict)]
    if not isinstance(manifest["labels"], list):
        bad.append("labels")
    if not _is_number(manifest["default_threshold"]):
        bad.append("default_threshold")
    if "thresholds" not in bad and not all(map(_is_number, manifest["thresholds"].values())):
        bad.append("thresholds")
    if "calibration" not in bad and not all(isinstance(pair, list) and len(pair) == 2 and all(map(_is_number, pair))
                                            for pair in manifest["calibration"].values()):
        bad.append("calibration")
    if "token_lr" in manifest and not _is_token_lr(manifest["token_lr"]):
        bad.append("token_lr")
    if bad:
        raise ModelFileError(f"the model manifest {path} has malformed values ({', '.join(bad)}): restore it from "
                             "git or run `python -m model train`")


def _is_token_lr(value) -> bool:
    """{"bias": {technique: number}, "weights": {technique: {feature: number}}} for both token techniques."""
    if not (isinstance(value, dict) and isinstance(value.get("bias"), dict) and isinstance(value.get("weights"), dict)):
        return False
    return all(_is_number(value["bias"].get(tech)) and isinstance(value["weights"].get(tech), dict)
               and all(map(_is_number, value["weights"][tech].values())) for tech in TOKEN_TECHNIQUES)


def check_versions(manifest: dict) -> None:
    written = manifest["written_by"].get("python-crfsuite")
    installed = version("python-crfsuite")
    if written != installed:
        raise ModelFileError(f"the model was written by python-crfsuite {written} but {installed} is installed: "
                             "install the version in requirements.txt or run `python -m model train`")


def check_file(folder: Path, name: str, manifest: dict) -> Path:
    """The path of `name` in `folder`, once its SHA-256 matches the manifest's."""
    path = folder / name
    expected = manifest["files"].get(name)
    if expected is None:
        raise ModelFileError(f"the manifest does not list {name}")
    if not path.is_file():
        raise ModelFileError(f"the model file {path} is missing: run `python -m model train`")
    if sha256(path) != expected:
        raise ModelFileError(f"the model file {path} does not match its manifest (altered or damaged); "
                             "refusing to load it: restore it from git or run `python -m model train`")
    return path
