"""What every rewrite toward a target form produces: a :class:`Rewrite`, and how size is counted."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import sympy as sp

__all__ = ["TIDY_SIZE_LIMIT", "Rewrite", "size"]

#: Past this size (``count_ops``) no tidying is tried: it could take longer than it is worth.
TIDY_SIZE_LIMIT = 300


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
