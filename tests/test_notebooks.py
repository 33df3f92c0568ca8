"""Every notebook runs end to end, so the story it tells stays true to the code."""
import nbformat
import pytest
from nbclient import NotebookClient

from model.paths import PROJECT_ROOT

NOTEBOOKS = sorted((PROJECT_ROOT / "notebooks").glob("*.ipynb"))


def test_the_numbered_notebooks_are_there():
    names = [p.name for p in NOTEBOOKS]
    assert any(n.startswith("01-") for n in names) and any(n.startswith("02-") for n in names), names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_end_to_end(path):
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(notebook, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    errors = [o for cell in notebook.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
