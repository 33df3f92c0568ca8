import subprocess
import sys

import pytest

from model.paths import PROJECT_ROOT, SEEDS_DIR, SHARED_DIR
from model.spans import Span
from model.textio import InputError, decode_bytes, read_text_file

SEED_NAMES = ["000_9a51d189d5fcc860", "001_2ff82080f37a8d7d", "002_c70691d1e71aca73", "003_3f857e323d3cf385",
              "004_01090bdcb20c23d0"]


def test_the_layout_asked_for_is_there():
    for name in ["app.py", "requirements.txt", "model", "data/seeds", "notebooks", "tests"]:
        assert (PROJECT_ROOT / name).exists(), name


def test_the_five_seeds_are_in_data_seeds():
    assert sorted(p.stem for p in SEEDS_DIR.glob("*.txt")) == SEED_NAMES


@pytest.mark.skipif(not (SHARED_DIR / "seeds").is_dir(), reason="../shared/seeds is not beside the checkout")
def test_the_seeds_are_byte_for_byte_the_shared_ones():
    for name in SEED_NAMES:
        assert (SEEDS_DIR / f"{name}.txt").read_bytes() == (SHARED_DIR / "seeds" / f"{name}.txt").read_bytes()


def test_a_span_refuses_nonsense():
    with pytest.raises(ValueError):
        Span(5, 5, "loaded_language")
    with pytest.raises(ValueError):
        Span(0, 3, "whataboutism")
    with pytest.raises(ValueError):
        Span(0, 3, "name_calling", voice="narrator")


@pytest.mark.parametrize("data, reason", [(b"", "empty"), (b"  \n\t", "empty"), (b"ab\x00cd", "binary"),
                                          (b"caf\xe9", "not UTF-8")])
def test_unreadable_bytes_get_a_reason(data, reason):
    with pytest.raises(InputError, match=reason):
        decode_bytes(data)


def test_a_missing_file_gets_a_reason(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_text_file(tmp_path / "nothing.txt")


def test_the_cli_explains_itself():
    run = subprocess.run([sys.executable, "-m", "model", "--help"], capture_output=True, text=True, cwd=PROJECT_ROOT)
    assert run.returncode == 0
    for command in ("label", "train", "evaluate"):
        assert command in run.stdout
