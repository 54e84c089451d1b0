"""Notebooks: valid nbformat 4, reproducible bytes, and they rebuild and check the derivation."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest

from render_cases import standard
from symderiv.documents import DOCUMENTS

CODE = {document.name: document.code for document in DOCUMENTS}

ROOT = pathlib.Path(__file__).resolve().parents[1]


def test_notebooks_are_valid_nbformat_4():
    nbformat = pytest.importorskip("nbformat", reason="nbformat is a test dependency (pip install -e .[test])")
    for name, derivation in standard().items():
        notebook = nbformat.reads(derivation.to_notebook(lang="zh", code=CODE[name]), as_version=4)
        nbformat.validate(notebook)
        assert [cell.id for cell in notebook.cells] == ["title", "derive", "check", "steps", "notes", "show"]


def test_the_bytes_are_the_same_every_time():
    derivation = standard()["sigmoid-reciprocal"]
    assert derivation.to_notebook(lang="ko") == derivation.to_notebook(lang="ko")
    assert '"outputs": []' in derivation.to_notebook()


def _code(text: str) -> str:
    cells = json.loads(text)["cells"]
    return "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


@pytest.mark.parametrize(
    "name",
    ["sigmoid-chain", "cross-entropy-w", "relu", "softplus", "sigmoid-graph", "shared-paths", "network-hidden-weight"],
)
def test_running_the_code_top_to_bottom_rebuilds_and_checks(name):
    code = _code(standard()[name].to_notebook(code=CODE[name])).replace("\n\nd", "\n\nprint(repr(d.result))")
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "steps proven" in result.stdout


def test_a_notebook_of_a_wrong_derivation_fails_when_run():
    import sympy as sp

    from symderiv.core.derivation import Derivation

    from symderiv.core.steps import Step

    x = sp.Symbol("x")
    wrong = Derivation(sp.tanh(x), x, (Step("tanh", sp.Derivative(sp.tanh(x), x), 1 + sp.tanh(x) ** 2),))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", _code(wrong.to_notebook())], capture_output=True, text=True,
                            env=env, timeout=300)
    assert result.returncode != 0 and "StepCheckError" in result.stderr


def test_the_rebuild_cell_carries_the_derivation_as_json_and_reads_it_with_from_json():
    derivation = standard()["tanh"]
    build = "".join(json.loads(derivation.to_notebook())["cells"][1]["source"])
    assert "sd.Derivation.from_json(derivation_json)" in build
    assert "sp.Symbol(" not in build and "exec" not in build
    literal = build[build.index("derivation_json = (") + len("derivation_json = ("):build.index("\n)")]
    import ast

    assert sd_from(ast.literal_eval("(" + literal + ")")) == derivation


def sd_from(text):
    from symderiv.core.derivation import Derivation

    return Derivation.from_json(text)


def test_the_notebook_runs_in_a_jupyter_kernel(tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="nbformat is a test dependency")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is a test dependency")
    pytest.importorskip("ipykernel", reason="ipykernel is a test dependency")
    notebook = nbformat.reads(standard()["sigmoid-quotient"].to_notebook(lang="ja"), as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(ROOT)}})
    client.execute()
    shown = notebook.cells[-1].outputs[0]["data"]
    assert "text/latex" in shown and "text/markdown" in shown
    assert "steps proven" in "".join(o.get("text", "") for o in notebook.cells[2].outputs)


def test_the_result_in_a_box_comes_before_the_code_and_the_sub_derivations_after_the_chain():
    from symderiv.locales import word

    from test_render_outline import nested

    cells = {cell["id"]: "".join(cell["source"]) for cell in json.loads(nested().to_notebook(lang="ko"))["cells"]}
    assert f"## {word('result', 'ko')}" in cells["title"] and "\\boxed{\\begin{aligned}" in cells["title"]
    assert cells["steps"].startswith(f"## {word('steps', 'ko')}\n\n$$\n\\begin{{aligned}}")
    assert "(2b.2a.1)" in cells["notes"] and "(2b.2a.1)" not in cells["steps"]
