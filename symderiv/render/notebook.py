r"""Jupyter notebooks: nbformat 4 JSON that reads well unrun and, run top to bottom, rebuilds
the derivation with ``symderiv.derive`` and checks it.

The cells: a title and statement; code that builds the expression and derives it; code that
proves every step again and checks the result; the chain of equalities and the justifications
as Markdown; and the derivation itself, which Jupyter shows through ``_repr_mimebundle_``.
Cell ids are fixed and no outputs are stored, so the same derivation gives the same bytes.

>>> import json, sympy as sp
>>> import symderiv as sd
>>> x = sp.Symbol("x")
>>> notebook = json.loads(render(sd.derive(sp.tanh(x), x)))
>>> notebook["nbformat"], [cell["id"] for cell in notebook["cells"]][:3]
(4, ['title', 'derive', 'check'])
>>> print("".join(notebook["cells"][1]["source"]))
import sympy as sp
import symderiv as sd
from sympy import tanh
<BLANKLINE>
x = sp.Symbol("x")
expr = tanh(x)
d = sd.derive(expr, x, strategy="textbook")
"""

from __future__ import annotations

import json
import keyword
from typing import Any, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.str import StrPrinter

from ..functions import relu, sigmoid, softplus
from .markdown import render as markdown_render
from .names import check_renderable

__all__ = ["render", "python_code"]

_SYMDERIV_FUNCTIONS = {sigmoid, softplus, relu}


class _CodePrinter(StrPrinter):
    """Python source for an expression, with symbols printed as the variables bound to them."""

    def __init__(self, names: dict[sp.Symbol, str]) -> None:
        super().__init__({"order": "none"})
        self.names = names

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return self.names[expr]

    def _print_Rational(self, expr: sp.Rational) -> str:
        return f"sp.Rational({expr.p}, {expr.q})"

    def _print_Half(self, expr: sp.Rational) -> str:
        return self._print_Rational(expr)

    def _print_Exp1(self, expr: sp.Basic) -> str:
        return "sp.E"

    def _print_Pi(self, expr: sp.Basic) -> str:
        return "sp.pi"


def _variable_names(symbols: Sequence[sp.Symbol]) -> dict[sp.Symbol, str]:
    taken = {"sp", "sd", "expr", "d", "report", "expected"}
    names: dict[sp.Symbol, str] = {}
    for index, symbol in enumerate(symbols):
        name = symbol.name
        if not name.isidentifier() or keyword.iskeyword(name) or name in taken:
            name = f"s_{index}"
        taken.add(name)
        names[symbol] = name
    return names


def python_code(expr: sp.Expr, wrt: sp.Symbol, strategy: str, *, expected: sp.Expr | None = None) -> tuple[str, str]:
    """The code that builds ``expr`` and derives it, and the code that checks the result."""
    symbols = sorted(expr.free_symbols | {wrt}, key=lambda s: s.name)
    names = _variable_names(symbols)
    printer = _CodePrinter(names)
    functions = {type(f) for f in expr.atoms(sp.Function)}
    if expected is not None:
        functions |= {type(f) for f in expected.atoms(sp.Function)}
    if any(issubclass(f, AppliedUndef) for f in functions):
        raise ValueError("a notebook cannot rebuild undefined functions")
    from_symderiv = sorted(f.__name__ for f in functions if f in _SYMDERIV_FUNCTIONS)
    from_sympy = sorted(f.__name__ for f in functions if f not in _SYMDERIV_FUNCTIONS)
    lines = ["import sympy as sp", "import symderiv as sd"]
    if from_sympy:
        lines.append(f"from sympy import {', '.join(from_sympy)}")
    if from_symderiv:
        lines.append(f"from symderiv import {', '.join(from_symderiv)}")
    lines.append("")
    for symbol in symbols:
        assumptions = "".join(f", {k}={v}" for k, v in sorted(symbol._assumptions_orig.items()))
        lines.append(f"{names[symbol]} = sp.Symbol({symbol.name!r}{assumptions})".replace("'", '"'))
    lines.append(f"expr = {printer.doprint(expr)}")
    lines.append(f"d = sd.derive(expr, {names[wrt]}, strategy={strategy!r})".replace("'", '"'))
    check = ["report = d.check()", "print(report)"]
    if expected is not None:
        check.append(f"expected = {printer.doprint(expected)}")
        check.append("assert d.result == expected, d.result")
    check.append("assert d.steps[0].before == sp.Derivative(expr, %s)" % names[wrt])
    return "\n".join(lines), "\n".join(check)


def _cell(cell_id: str, kind: str, source: str) -> dict[str, Any]:
    lines = source.splitlines(keepends=True)
    cell: dict[str, Any] = {"cell_type": kind, "id": cell_id, "metadata": {}, "source": lines}
    if kind == "code":
        cell["execution_count"] = None
        cell["outputs"] = []
    return cell


def render(
    derivation: Any,
    *,
    lang: str = "en",
    title: str | None = None,
    intro: str | None = None,
    code: tuple[str, str] | None = None,
) -> str:
    """The derivation as a notebook (nbformat 4.5 JSON text).

    ``code`` is (the code that builds ``d``, the code that checks it), for derivations that
    ``sd.derive`` does not make (a graph's backward pass, a network's gradient); by default it
    is written from the derivation's expression, variable and strategy.
    """
    check_renderable(derivation, lang)
    if code is None:
        from ..engine import STRATEGIES

        if derivation.strategy not in STRATEGIES:
            raise ValueError(
                f"a {derivation.strategy!r} derivation is not made by sd.derive: "
                "pass code=(build, check), the code that makes d and checks it"
            )
        code = python_code(derivation.expr, derivation.wrt, derivation.strategy, expected=derivation.result)
    build, check = code
    document = markdown_render(derivation, lang=lang, title=title, intro=intro)
    head, _, rest = document.partition("$$\n\\begin{aligned}")
    chain, _, notes = rest.partition("\n$$\n")
    cells = [
        _cell("title", "markdown", head.rstrip() + "\n"),
        _cell("derive", "code", build),
        _cell("check", "code", check),
        _cell("steps", "markdown", "$$\n\\begin{aligned}" + chain + "\n$$"),
        _cell("notes", "markdown", notes.strip() + "\n"),
        _cell("show", "code", "d"),
    ]
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"
