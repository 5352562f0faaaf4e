"""The notebooks run top to bottom against the tiny run, and are committed without outputs."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KERNEL = "geostance-test"


@pytest.fixture(scope="session")
def kernel_dir(tmp_path_factory) -> Path:
    """A Jupyter data dir with a kernelspec that runs *this* interpreter (the venv's).

    The default ``python3`` spec says just ``python``, which only means the venv
    when jupyter_client swaps in ``sys.executable``; an explicit spec in a private
    dir removes that guess and touches neither the venv nor the user's Jupyter.
    """
    data = tmp_path_factory.mktemp("jupyter")
    spec = data / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "geostance test (venv)", "language": "python"}))
    return data


def _execute(path: Path, kernel_dir: Path, monkeypatch, **env: str) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    monkeypatch.setenv("JUPYTER_PATH", str(kernel_dir))
    for k, v in env.items():
        monkeypatch.setenv(k, v)  # the kernel inherits this process's environment
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name=KERNEL,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    return nb


def _outputs(nb: nbformat.NotebookNode) -> list[dict]:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]


def test_evaluate_notebook_runs(tiny_run, kernel_dir, monkeypatch):
    t = time.perf_counter()
    # The tiny run compared with itself exercises the "old against new" section.
    nb = _execute(ROOT / "notebooks" / "01_evaluate.ipynb", kernel_dir, monkeypatch,
                  GEOSTANCE_RUN_DIR=str(tiny_run), GEOSTANCE_OLD_RUN_DIR=str(tiny_run))
    assert time.perf_counter() - t < 120
    outs = _outputs(nb)
    assert not [o for o in outs if o.get("output_type") == "error"]
    pngs = [o for o in outs if "image/png" in o.get("data", {})]
    assert len(pngs) >= 5  # confusion matrices, F1 bars, two reliability diagrams
    html = "".join(o.get("data", {}).get("text/html", "") for o in outs)
    for part in ("most confident", "Stance per language", "stance by lang", "Runs compared",
                 "stance changed on 0 sentences"):
        assert part in html, part


def test_articles_notebook_runs(tiny_run, kernel_dir, monkeypatch):
    t = time.perf_counter()
    nb = _execute(ROOT / "notebooks" / "02_articles.ipynb", kernel_dir, monkeypatch,
                  GEOSTANCE_MODEL_DIR=str(tiny_run))
    assert time.perf_counter() - t < 120
    outs = _outputs(nb)
    assert not [o for o in outs if o.get("output_type") == "error"]
    html = "".join(o.get("data", {}).get("text/html", "") for o in outs)
    assert "<iframe srcdoc=" in html and "Sources in demo_article_en" in html
    assert any("image/png" in o.get("data", {}) for o in outs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_notebooks_have_no_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [], f"{path.name}: clear the outputs before committing"
            assert cell.execution_count is None, f"{path.name}: clear execution counts"


def test_both_notebooks_exist():
    assert [p.name for p in NOTEBOOKS] == ["01_evaluate.ipynb", "02_articles.ipynb"]
