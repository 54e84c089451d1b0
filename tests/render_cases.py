"""Derivations the renderer tests share: the standard set, derived once per test session."""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from symderiv.documents import DOCUMENTS
from symderiv.core.derivation import Derivation
from symderiv.core.steps import Step

x, y, z, w, b = sp.symbols("x y z w b")


@lru_cache(maxsize=None)
def standard() -> dict[str, Derivation]:
    """The standard documents' derivations, by document name."""
    return {document.name: document.derive() for document in DOCUMENTS}


def power_step(symbol: sp.Symbol) -> Derivation:
    """d/dx x² = 2x by the power rule, written by hand around any symbol (safe or not)."""
    return Derivation(
        symbol**2,
        symbol,
        (Step("power", sp.Derivative(symbol**2, symbol), 2 * symbol,
              focus=(sp.Derivative(symbol**2, symbol), 2 * symbol),
              detail={"variable": symbol, "exponent": 2}),),
    )


#: Names that would be markup in some format, and must never reach it as markup.
UNSAFE_NAMES = [
    r"x}\input{/etc/passwd",
    "<script>alert(1)</script>",
    "a&b",
    "x$y",
    "x\x1b[31m",
    "x\u202ey",
    "}{",
    "x%comment",
]
