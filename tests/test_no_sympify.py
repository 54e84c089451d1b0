"""No module of symderiv calls anything that reads text as code.

Text from a user (a formula, a name, a JSON file, a title) must go through ``sd.parse``, which
builds expressions from a whitelist and evaluates nothing. This test reads every module's syntax
tree and fails on any call that could evaluate text: ``sympify`` (``sp.sympify``, ``S(...)`` of
anything but a number literal), ``parse_expr``, ``eval``, ``exec``, ``compile`` and
``__import__`` of anything but a constant module name.

``sympify(value, strict=True)`` refuses text (SymPy raises ``SympifyError`` for a str under
``strict``), so a call of that form may be allowed where the value is known to be a SymPy object
or a number; each such call is listed in :data:`ALLOWED` with its module, function and the reason
it is safe. The list is empty: no module needs one today.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "symderiv"
MODULES = sorted(PACKAGE.rglob("*.py"))

#: (module path relative to symderiv/, enclosing function) -> why the strict sympify there is safe.
ALLOWED: dict[tuple[str, str], str] = {}

EVALUATING_NAMES = {"sympify", "parse_expr", "eval", "exec", "compile", "__import__", "S"}
EVALUATING_ATTRIBUTES = {"sympify", "parse_expr", "S", "eval_expr", "evaluateFalse"}


def _called_name(call: ast.Call) -> str | None:
    """``sympify`` for ``sympify(...)``, ``sp.sympify(...)`` and ``sympy.core.sympify.sympify(...)``;
    None for a call the scan does not look at (``re.compile`` and ``cls.eval`` among them)."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in EVALUATING_NAMES:
        return func.id
    if isinstance(func, ast.Attribute) and func.attr in EVALUATING_ATTRIBUTES:
        return func.attr
    if isinstance(func, ast.Attribute) and func.attr in ("eval", "exec") and isinstance(func.value, ast.Name) \
            and func.value.id == "builtins":
        return func.attr
    return None


def _harmless(name: str, call: ast.Call) -> bool:
    """``S(2)`` of a number literal and ``__import__("torch")`` of a constant name read no text."""
    if name == "S":
        return len(call.args) == 1 and not call.keywords and isinstance(call.args[0], ast.Constant) \
            and isinstance(call.args[0].value, (int, float)) and not isinstance(call.args[0].value, bool)
    if name == "__import__":
        return len(call.args) == 1 and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str)
    return False


def _strict(call: ast.Call) -> bool:
    return any(k.arg == "strict" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords)


def offending_calls(source: str, module: str) -> list[str]:
    """Each call in ``source`` that may evaluate text, as ``module:line function: call``."""
    tree = ast.parse(source)
    found: list[str] = []

    def visit(node: ast.AST, function: str) -> None:
        for child in ast.iter_child_nodes(node):
            inside = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call):
                name = _called_name(child)
                if name is not None and not _harmless(name, child):
                    allowed = name == "sympify" and _strict(child) and (module, function) in ALLOWED
                    if not allowed:
                        found.append(f"{module}:{child.lineno} in {function}: {ast.unparse(child)[:80]}")
            visit(child, inside)

    visit(tree, "<module>")
    return found


def test_the_scan_sees_every_module():
    names = {p.relative_to(PACKAGE).as_posix() for p in MODULES}
    assert {"models/graph.py", "render/json_format.py", "render/explain.py", "codegen.py", "parse/text.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_no_module_calls_anything_that_reads_text_as_code(path):
    module = path.relative_to(PACKAGE).as_posix()
    assert offending_calls(path.read_text(encoding="utf-8"), module) == []


@pytest.mark.parametrize("source", [
    "import sympy as sp\ndef f(v):\n    return sp.sympify(v)\n",
    "from sympy import sympify\ndef f(v):\n    return sympify(v)\n",
    "import sympy\ndef f(v):\n    return sympy.core.sympify.sympify(v, strict=True)\n",
    "from sympy.parsing.sympy_parser import parse_expr\nparse_expr('x')\n",
    "eval('1')\n",
    "exec('x = 1')\n",
    "compile('1', '<s>', 'eval')\n",
    "__import__(name)\n",
    "import sympy as sp\nsp.S('x + 1')\n",
    "from sympy import S\nS(text)\n",
    "import builtins\nbuiltins.eval('1')\n",
])
def test_the_scan_catches_each_kind_of_call(source):
    assert offending_calls(source, "example.py"), source


@pytest.mark.parametrize("source", [
    "import re\nre.compile('x')\n",
    "class F:\n    @classmethod\n    def eval(cls, x):\n        return None\nF.eval(1)\n",
    "import sympy as sp\nsp.S(2)\n",
    "__import__('torch')\n",
    "import sympy as sp\nsp.Integer(3)\n",
])
def test_the_scan_lets_harmless_calls_be(source):
    assert offending_calls(source, "example.py") == []


def test_a_strict_sympify_passes_only_where_it_is_listed():
    source = "import sympy as sp\ndef f(v):\n    return sp.sympify(v, strict=True)\n"
    assert offending_calls(source, "example.py")
    ALLOWED[("example.py", "f")] = "a test entry"
    try:
        assert offending_calls(source, "example.py") == []
    finally:
        del ALLOWED[("example.py", "f")]
