"""A cold ``symderiv`` command imports what its work needs and nothing else (issue 14, item 6).

Structural, not timed (benchmarks/bench_cli.py measures the time): each case runs the command in a
fresh interpreter and lists the modules loaded afterwards. ``derive "x**2"`` in text must not load
what only other formats, commands or optional packages need; above all not ``sympy.physics``,
which SymPy's own pretty printer imports to print a product (about 0.2 s, see
``symderiv/render/pretty_product.py``). ``--version`` and ``derive --help`` must not load SymPy.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Run in a fresh interpreter: the command, then the names of the loaded modules as JSON.
PROGRAM = """
import contextlib, io, json, sys
from symderiv.cli.main import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    try:
        status = main(sys.argv[1:])
    except SystemExit as exit:
        status = exit.code
print(json.dumps({"status": status, "output": out.getvalue(), "modules": sorted(sys.modules)}))
"""

#: What a text derivation must not load: other formats, other commands, optional packages.
NOT_FOR_TEXT = [
    "sympy.physics",  # SymPy's pretty printer imports it for a product: render/pretty_product.py does not
    "multiprocessing",  # the command budgets itself (process_budget.budget_here) and forks no worker
    "latex2mathml", "starlette", "uvicorn", "nbformat", "pygraphviz", "numpy", "matplotlib", "torch",
    "symderiv.web", "symderiv.models", "symderiv.documents", "symderiv.testing", "symderiv.codegen",
    "symderiv.calculus.matrix", "symderiv.calculus.vector",
    "symderiv.render.html", "symderiv.render.mathml", "symderiv.render.markdown", "symderiv.render.notebook",
    "symderiv.render.json_format", "symderiv.render.json_reader", "symderiv.render.graph_picture",
    "symderiv.render.layout", "symderiv.render.embedded",
    "symderiv.cli.graph", "symderiv.cli.network", "symderiv.cli.build", "symderiv.cli.serve",
    "symderiv.cli.check", "symderiv.cli.completion",
]


def _loaded(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-c", PROGRAM, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, check=True)
    return json.loads(done.stdout)


def _offenders(modules: list[str], packages: list[str]) -> list[str]:
    return [name for name in modules if any(name == p or name.startswith(p + ".") for p in packages)]


@pytest.mark.parametrize("formula", ["x**2", "1/(1+exp(-x))"])
def test_a_text_derivation_loads_no_other_format_command_or_optional_package(formula):
    run = _loaded("derive", formula)
    assert run["status"] == 0
    assert "Every step above was proven" in run["output"]
    assert "⎛" in run["output"] and "⋅" in run["output"]  # SymPy's symbols in Unicode (render/unicode.py)
    assert _offenders(run["modules"], NOT_FOR_TEXT) == []


@pytest.mark.parametrize("args", [["--version"], ["derive", "--help"]])
def test_the_version_and_the_help_of_derive_load_no_sympy(args):
    run = _loaded(*args)
    assert run["status"] == 0
    assert _offenders(run["modules"], ["sympy", "mpmath"]) == []
