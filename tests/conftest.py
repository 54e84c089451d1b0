"""Shared helpers for the tests: an independent equality check, written without symderiv."""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy as sp


def chains(derivation):
    """The derivation and every sub-derivation below it, depth first."""
    yield derivation
    for step in derivation.steps:
        for sub in step.substeps:
            yield from chains(sub)


def same_function(a: sp.Expr, b: sp.Expr, symbols: list[sp.Symbol], *, points: int = 5) -> bool:
    """True when ``a`` and ``b`` agree at random points (mpmath, 30 digits), as SymPy evaluates them.

    Deliberately independent of symderiv's own checker: this is how a test knows the answer.
    """
    rng = random.Random(1234)
    agreed = 0
    for _ in range(60):
        values = {s: sp.Float(rng.choice([rng.uniform(0.2, 0.9), rng.uniform(1.2, 2.8)]), 30) for s in symbols}
        try:
            va = complex(a.subs(values).doit().evalf(30))
            vb = complex(b.subs(values).doit().evalf(30))
        except (TypeError, ValueError, ZeroDivisionError):
            continue
        if not all(map(mpmath.isfinite, (va.real, va.imag, vb.real, vb.imag))):
            continue
        if abs(va - vb) > 1e-20 * max(1.0, abs(va), abs(vb)):
            return False
        agreed += 1
        if agreed >= points:
            return True
    return False


@pytest.fixture
def x() -> sp.Symbol:
    return sp.Symbol("x")
