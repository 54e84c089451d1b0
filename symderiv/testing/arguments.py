"""Reading the arguments of a check: formulas, the variable, and the points and methods of numeric_check.

A formula may be a SymPy expression, a number, text (read by :func:`symderiv.parse.text.parse`,
which evaluates nothing) or a :class:`~symderiv.Derivation` (its result). Numbers become SymPy
numbers directly; nothing is ever sympified. Symbols are matched by name, so ``"x"`` in text is
the ``x`` of your SymPy expression whatever its assumptions.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> f, g = formulas(x**2, "2*x")
>>> g.free_symbols == {x}
True
>>> variable_named("x", f, g) is x
True
"""

from __future__ import annotations

import importlib.util
from collections.abc import Mapping, Sequence
from typing import Any

import sympy as sp

from ..core.derivation import Derivation
from ..errors import SymderivError, UnsupportedError

__all__ = [
    "NUMERIC_METHODS",
    "CheckArgumentError",
    "differentiate",
    "formulas",
    "numeric_methods",
    "numeric_points",
    "variable_named",
    "variables",
]

#: The methods :func:`symderiv.testing.assertions.numeric_check` knows.
NUMERIC_METHODS = ("finite_difference", "mpmath", "torch")


class CheckArgumentError(SymderivError, ValueError):
    """The arguments of a check do not fit together (lists of different lengths, a bad variable)."""


# --- Formulas and the variable ----------------------------------------------------------------

def formulas(*items: Any) -> list[sp.Expr]:
    """SymPy expressions for ``items``; text is parsed, and its symbols matched by name."""
    from_objects: dict[str, sp.Symbol] = {}
    converted: list[sp.Expr | None] = []
    for item in items:
        if isinstance(item, str):
            converted.append(None)
            continue
        expr = _expression(item)
        for symbol in sorted(expr.free_symbols, key=lambda s: s.name):
            from_objects.setdefault(symbol.name, symbol)
        converted.append(expr)
    result = []
    for item, expr in zip(items, converted):
        if expr is None:
            from ..parse.text import parse

            parsed = parse(item)
            renames = {s: from_objects[s.name] for s in parsed.free_symbols if s.name in from_objects}
            expr = parsed.xreplace(renames) if renames else parsed
        result.append(expr)
    return result


def _expression(item: Any) -> sp.Expr:
    if isinstance(item, Derivation):
        return item.result
    if isinstance(item, bool):
        raise UnsupportedError("a formula cannot be True or False")
    if isinstance(item, int):
        return sp.Integer(item)  # numbers become SymPy numbers directly; nothing is ever sympified
    if isinstance(item, float):
        return sp.Float(item)
    if isinstance(item, sp.Expr):
        return item
    raise UnsupportedError(
        f"expected a formula (a SymPy expression, a number or text); got {type(item).__name__}"
    )


def variable_named(wrt: sp.Symbol | str, *exprs: sp.Expr) -> sp.Symbol:
    """The symbol of ``exprs`` that ``wrt`` names: ``wrt`` itself when they hold it, else the
    first of theirs with its name, else a new symbol of that name."""
    if isinstance(wrt, str):
        if not wrt.isidentifier():
            raise CheckArgumentError(f"the variable must be a name such as 'x'; got {wrt!r}")
        name = wrt
    elif isinstance(wrt, sp.Symbol):
        name = wrt.name
        if any(wrt in e.free_symbols for e in exprs):
            return wrt
    else:
        raise CheckArgumentError(f"the variable must be a Symbol or its name; got {type(wrt).__name__}")
    for expr in exprs:
        for symbol in sorted(expr.free_symbols, key=sp.default_sort_key):
            if symbol.name == name:
                return symbol  # the same name: the variable the formula means
    return wrt if isinstance(wrt, sp.Symbol) else sp.Symbol(name)


def differentiate(function: sp.Expr, variable: sp.Symbol) -> sp.Expr:
    """``sympy.diff``, its failure said as :class:`~symderiv.errors.UnsupportedError`."""
    try:
        return sp.diff(function, variable)
    except Exception as error:
        raise UnsupportedError(f"SymPy cannot differentiate {function}: {error}") from error


# --- numeric_check's methods and points -------------------------------------------------------

def variables(function: sp.Expr, wanted: sp.Expr, variable: sp.Symbol) -> list[sp.Symbol]:
    """``variable`` first, then the other symbols of both formulas, sorted by name."""
    others = sorted((function.free_symbols | wanted.free_symbols) - {variable}, key=lambda s: s.name)
    return [variable, *others]


def numeric_methods(against: Sequence[str] | str | None) -> tuple[list[str], list[str]]:
    """The methods to compare with, and notes on those left out.

    By default finite differences and mpmath, and torch when it is installed.

    >>> numeric_methods(["mpmath", "mpmath"])
    (['mpmath'], [])
    """
    notes: list[str] = []
    if against is None:
        methods = ["finite_difference", "mpmath"]
        if importlib.util.find_spec("torch") is not None:
            methods.append("torch")
        else:
            notes.append("torch is not installed: autograd not compared (pip install 'symderiv[torch]')")
        return methods, notes
    if isinstance(against, str):
        against = [against]
    unknown = [m for m in against if m not in NUMERIC_METHODS]
    if unknown or not against:
        raise CheckArgumentError(f"unknown method {unknown or against!r}; choose from: {', '.join(NUMERIC_METHODS)}")
    return list(dict.fromkeys(against)), notes


def numeric_points(at: Any, symbols: list[sp.Symbol], variable: sp.Symbol) -> list[dict[sp.Symbol, Any]]:
    """The points ``at`` names, as ``{symbol: float}``; by default five, ``variable`` from −1.5 to 2.

    ``at`` is a number (for a single variable), a ``{symbol or name: number}`` dict, or a list
    of either.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> numeric_points([1, 2], [x], x)
    [{x: 1.0}, {x: 2.0}]
    """
    if at is None:
        defaults = [-1.5, -0.5, 0.25, 1.0, 2.0]
        others = [0.75, -1.25, 1.5, 0.5, -0.25]
        return [
            {s: (defaults[k] if s == variable else others[(k + i) % len(others)]) for i, s in enumerate(symbols)}
            for k in range(len(defaults))
        ]
    items = at if isinstance(at, (list, tuple)) else [at]
    return [_point(item, symbols) for item in items]


def _point(item: Any, symbols: list[sp.Symbol]) -> dict[sp.Symbol, Any]:
    """One point of ``at``: a dict naming every symbol, or a number for the only one."""
    if not isinstance(item, Mapping):
        if len(symbols) != 1:
            names = ", ".join(s.name for s in symbols)
            raise CheckArgumentError(f"the formulas use {names}: give each point as a dict of their values")
        return {symbols[0]: float(item)}
    by_name = {s.name: s for s in symbols}
    point = {}
    for key, value in item.items():
        symbol = by_name.get(key if isinstance(key, str) else key.name)
        if symbol is None:
            raise CheckArgumentError(f"the point names {key}, which the formulas do not use")
        point[symbol] = float(value)
    missing = [s.name for s in symbols if s not in point]
    if missing:
        raise CheckArgumentError(f"the point {dict(item)} gives no value for {', '.join(missing)}")
    return point
