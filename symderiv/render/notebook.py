r"""Jupyter notebooks: nbformat 4 JSON that reads well unrun and, run top to bottom, rebuilds
the derivation and proves it again.

The cells, in the order every document keeps (the document's :mod:`outline
<symderiv.render.outline>`, in :func:`~.markdown.blocks`): the title, the statement, the result
in a box (in the derivation's names, then in the original variables) and the names it uses;
code that rebuilds the derivation; code that proves every step again and derives it afresh;
the chain of equalities; the justifications, each step's sub-derivations indented under it;
and the derivation itself, which Jupyter shows through ``_repr_mimebundle_``. Cell ids are fixed
and no outputs are stored, so the same derivation gives the same bytes.

The code is built from data, never by pasting text into source: the derivation travels as its
JSON (:mod:`symderiv.render.json_format`, expression trees) inside Python string literals
written by ``repr``, and ``sd.Derivation.from_json`` reads it back, evaluating no text. No name,
assumption or title of the derivation becomes code, whatever characters it holds.

>>> import json, sympy as sp
>>> import symderiv as sd
>>> x = sp.Symbol("x")
>>> notebook = json.loads(render(sd.derive(sp.tanh(x), x)))
>>> notebook["nbformat"], [cell["id"] for cell in notebook["cells"]][:3]
(4, ['title', 'derive', 'check'])
>>> print("".join(notebook["cells"][1]["source"]).split("derivation_json")[0])
import sympy as sp
import symderiv as sd
<BLANKLINE>
# d/dx tanh(x) = 1 - tanh(x)², written as symderiv's JSON: expression trees that
# sd.Derivation.from_json reads back without evaluating any text.
<BLANKLINE>
>>> print("".join(notebook["cells"][2]["source"]))
report = d.check()  # prove every step again: symbolically, and at random points
print(report)
assert d.steps[0].before == sp.Derivative(expr, x)
again = sd.derive(expr, x, strategy='textbook')  # derive it afresh: the same result
assert again.result == d.result, again.result
"""

from __future__ import annotations

import json
from typing import Any

import sympy as sp

from .explain import Sentence
from .json_format import render as json_render
from .markdown import blocks
from .names import cap_output, check_renderable
from .outline import outline
from .text import inline_text

__all__ = ["render", "rebuild_code", "LINE_LENGTH"]

#: How many characters of JSON each line of the rebuild cell's string literal holds.
LINE_LENGTH = 76


def _comment(text: str) -> str:
    """``text`` as words of a ``#`` comment: only printable characters, so no line break."""
    return "".join(char for char in text if char.isprintable())


def rebuild_code(derivation: Any, lang: str = "en") -> tuple[str, str]:
    """The code that rebuilds ``derivation`` from its JSON, and the code that proves it again.

    The JSON is cut into lines of :data:`LINE_LENGTH` characters, each written with ``repr``:
    a Python string literal, whatever it holds. The check re-derives with ``sd.derive`` when
    ``sd.derive`` made the derivation (its strategy is one of ``sd.derive``'s).
    """
    from ..core.strategies import STRATEGIES

    data = json_render(derivation, lang=lang, indent=None).strip()
    chunks = [data[i : i + LINE_LENGTH] for i in range(0, len(data), LINE_LENGTH)]
    variables = tuple(getattr(derivation, "variables", (derivation.wrt,)))
    asked = (f"d/d{inline_text(derivation.wrt)} {inline_text(derivation.expr)}" if len(variables) == 1
             else inline_text(sp.Derivative(derivation.expr, *variables)))
    heading = _comment(f"{asked} = {inline_text(derivation.result)}")
    build = [
        "import sympy as sp",
        "import symderiv as sd",
        "",
        f"# {heading}, written as symderiv's JSON: expression trees that",
        "# sd.Derivation.from_json reads back without evaluating any text.",
        "derivation_json = (",
        *(f"    {chunk!r}" for chunk in chunks),
        ")",
        "d = sd.Derivation.from_json(derivation_json)",
        "expr, x = d.expr, d.wrt" if len(variables) == 1 else "expr, variables = d.expr, d.variables",
    ]
    by = "x" if len(variables) == 1 else "*variables"
    check = [
        "report = d.check()  # prove every step again: symbolically, and at random points",
        "print(report)",
        f"assert d.steps[0].before == sp.Derivative(expr, {by})",
    ]
    if derivation.strategy in STRATEGIES:
        check += [
            f"again = sd.derive(expr, {by}, strategy={derivation.strategy!r})  # derive it afresh: the same result",
            "assert again.result == d.result, again.result",
        ]
    return "\n".join(build), "\n".join(check)


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
    title: str | Sentence | None = None,
    intro: str | Sentence | None = None,
    code: tuple[str, str] | None = None,
) -> str:
    """The derivation as a notebook (nbformat 4.5 JSON text).

    By default the code rebuilds ``d`` from the derivation's JSON (:func:`rebuild_code`).
    ``code`` is (the code that builds ``d``, the code that checks it) written by the caller
    instead, for a trusted caller that builds ``d`` another way (symderiv's own documents make
    a graph's backward pass or a network's gradient); it is written into the notebook as it is.
    """
    check_renderable(derivation, lang)
    build, check = code if code is not None else rebuild_code(derivation, lang)
    head, chain, notes = blocks(outline(derivation, lang, title=title, intro=intro))
    cells = [
        _cell("title", "markdown", "\n\n".join(head).rstrip() + "\n"),
        _cell("derive", "code", build),
        _cell("check", "code", check),
        _cell("steps", "markdown", chain),
        _cell("notes", "markdown", "\n\n".join(notes).strip() + "\n"),
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
    return cap_output(json.dumps(notebook, ensure_ascii=False, indent=1) + "\n", "notebook")
