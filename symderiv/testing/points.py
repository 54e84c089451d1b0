"""The points at which the assertions compare two formulas: simple ones first, then random ones.

A counterexample should read x = 1/2, not x = 0.73648: the first points give each variable one of
:data:`SIMPLE_VALUES`, and only then come random points (:func:`symderiv.proof.equivalence.random_value`,
the points the proofs of steps use). Symbols of one name get one value, so ``"x"`` read from text
and a SymPy ``x`` with assumptions are the same variable.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> [{str(s): str(v) for s, v in point.items()} for point in list(candidate_points(by_name(x + y), seed=0))[:2]]
[{'x': '1.0', 'y': '-1.0'}, {'x': '0.5', 'y': '1.5'}]
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from typing import Any

import mpmath
import sympy as sp

from ..proof.equivalence import random_value

__all__ = ["CANDIDATES", "SIMPLE_VALUES", "by_name", "candidate_points", "exact"]

#: Simple points tried before random ones, so that a counterexample reads x = 1/2, not x = 0.73648.
SIMPLE_VALUES: tuple[sp.Rational, ...] = tuple(
    sp.Rational(v) for v in ("1", "1/2", "2", "-1", "3/2", "-1/2", "3", "-2")
)
#: How many candidate points are tried to find enough at which both sides have real values.
CANDIDATES = 40


def by_name(*exprs: sp.Expr) -> list[list[sp.Symbol]]:
    """The free symbols grouped by name (symbols of one name get one value), sorted by name.

    >>> import sympy as sp
    >>> by_name(sp.Symbol("x") + sp.Symbol("x", positive=True) * sp.Symbol("a"))[0]
    [a]
    """
    groups: dict[str, list[sp.Symbol]] = {}
    for expr in exprs:
        for symbol in expr.free_symbols:
            group = groups.setdefault(symbol.name, [])
            if symbol not in group:
                group.append(symbol)
    return [groups[name] for name in sorted(groups)]


def candidate_points(groups: list[list[sp.Symbol]], seed: int) -> Iterator[dict[sp.Symbol, Any]]:
    """:data:`CANDIDATES` points, giving each group of symbols one value: simple ones first (each
    variable a different simple value), then random ones drawn from ``seed``. One empty point when
    there is no variable. The caller takes as many as it needs, skipping those without real values.
    """
    if not groups:
        yield {}
        return
    rng = random.Random(zlib.crc32(f"{seed}:{[g[0].name for g in groups]}".encode()))
    n = len(SIMPLE_VALUES)
    for attempt in range(CANDIDATES):
        if attempt < n:
            values = [exact(SIMPLE_VALUES[(attempt + 3 * i) % n]) for i in range(len(groups))]
        else:
            values = [random_value(rng, attempt) for _ in groups]
        yield {symbol: value for group, value in zip(groups, values) for symbol in group}


def exact(value: sp.Rational) -> Any:
    """A simple (dyadic) value as an mpmath number, exactly, whatever the global precision.

    >>> import sympy as sp
    >>> exact(sp.Rational(-1, 2))
    mpf('-0.5')
    """
    return mpmath.mp.make_mpf(mpmath.libmp.from_rational(int(value.p), int(value.q), 64))
