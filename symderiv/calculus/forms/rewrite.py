"""What every rewrite toward a target form produces: a :class:`Rewrite`, and how size is counted."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sympy as sp

__all__ = ["MAX_EXPANDED_TERMS", "TIDY_SIZE_LIMIT", "Rewrite", "expands_small", "size"]

#: Past this size (``count_ops``) no tidying is tried: it could take longer than it is worth.
TIDY_SIZE_LIMIT = 300

#: The most terms that multiplying an expression out may give; past it,
#: tidying neither expands nor cancels, which would write (x + 1)¹⁰⁰⁰⁰⁰⁰ out term by term.
MAX_EXPANDED_TERMS = 200


def expands_small(expr: sp.Expr) -> bool:
    """True when multiplying ``expr`` out (as expand and cancel do, functions' arguments left
    alone) gives at most :data:`MAX_EXPANDED_TERMS` terms.

    >>> x, y = sp.symbols("x y")
    >>> expands_small((x + 1)**3 * (x + y + 1)**2), expands_small((x + 1)**1000)
    (True, False)
    """
    return _terms(expr) <= MAX_EXPANDED_TERMS


def _terms(expr: sp.Expr) -> int:
    """The terms of ``expr`` multiplied out, counted up to just past :data:`MAX_EXPANDED_TERMS`:
    a sum adds its terms' counts, a product multiplies them, a sum of k terms to the n gives
    C(n + k − 1, n), a power of a sum with a negative exponent counts as its denominator."""
    past = MAX_EXPANDED_TERMS + 1
    if expr.is_Add:
        return min(sum(_terms(term) for term in expr.args), past)
    if expr.is_Mul:
        count = 1
        for factor in expr.args:
            count = min(count * _terms(factor), past)
        return count
    if expr.is_Pow and expr.exp.is_Integer:
        base, power = _terms(expr.base), abs(int(expr.exp))
        if base == 1:
            return 1
        return past if power >= past else min(math.comb(base + power - 1, power), past)
    return 1


@dataclass(frozen=True)
class Rewrite:
    """One rewrite: the rule id, the whole expression after it, the part it changed, and the
    names it introduces (``where``: name → value, as a step's ``where``)."""

    rule: str
    after: sp.Expr
    focus: tuple[sp.Expr, sp.Expr] | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    where: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)


@lru_cache(maxsize=4096)
def size(expr: sp.Expr) -> int:
    """How large an expression is, as SymPy counts operations (remembered: the target forms
    ask it of the same expressions again and again).

    >>> size(sp.Symbol("x") + 1)
    1
    """
    return int(sp.count_ops(expr))
