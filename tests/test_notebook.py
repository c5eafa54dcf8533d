"""notebooks/explore.ipynb: stored without outputs, and runs headless from top to bottom."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "explore.ipynb"


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code, "the notebook has no code cells"
    assert all(c.outputs == [] and c.execution_count is None for c in code)


@pytest.fixture()
def this_python_kernel(tmp_path, monkeypatch) -> str:
    """A kernel spec for the interpreter running the tests (not whatever 'python3' is installed)."""
    spec = tmp_path / "kernels" / "kg-test"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "kg test", "language": "python",
    }))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path))
    monkeypatch.delenv("MPLBACKEND", raising=False)  # the kernel's inline backend draws the chart
    return "kg-test"


@pytest.mark.slow
def test_notebook_runs_headless_without_errors(this_python_kernel):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(nb, timeout=300, kernel_name=this_python_kernel,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert re.search(r"\d+ articles .*\d+ agreements", text), text
    assert re.search(r"[1-9]\d* parties, [1-9]\d* agreements", text), text

    html = [o.data["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    views = [h for h in html if "<iframe srcdoc=" in h]
    assert len(views) == 1
    assert "&lt;script src=" not in views[0] and "https://cdn" not in views[0]
    assert any("party_a" in h and "<table" in h for h in html), "no query result table"
    assert any("image/png" in o.get("data", {}) for o in outputs), "no chart"
