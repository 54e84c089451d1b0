"""A derivative that is 0, written as 0."""

from __future__ import annotations

from collections.abc import Iterator

import sympy as sp

from ...proof.equivalence import elementary
from ...proof.numeric import NotNumeric, evaluate
from .rewrite import Rewrite, size
from .trig import in_sin_cos

__all__ = ["between_jumps", "vanishing"]

#: A derivative this large is not tested for being 0 as a whole (the test simplifies it).
ZERO_TEST_SIZE = 200


def vanishing(expr: sp.Expr, original: sp.Expr) -> Iterator[Rewrite]:
    """A derivative that is 0, written as 0: σ(x) + σ(−x) is constant, and its derivative
    σ(x)(1 − σ(x)) − σ(−x)(1 − σ(−x)) cancels once σ is written with exp.

    >>> x = sp.Symbol("x")
    >>> [r.after for r in vanishing(2 * sp.sin(x) * sp.cos(x) - sp.sin(2 * x), x)]
    [0]
    """
    if expr == 0 or not expr.free_symbols or size(expr) > ZERO_TEST_SIZE or not _zero_at_points(expr):
        return
    written = elementary(expr)
    in_sines = in_sin_cos(written)  # sec² − tan² cancels cheaply once written in sin and cos
    try:
        if sp.cancel(sp.expand(in_sines)) == 0:
            rule = "trig_identities" if in_sines != written else "simplify"
        elif sp.simplify(written) == 0:
            rule = "simplify"
        else:
            return
    except Exception:  # a SymPy failure leaves the derivative as it is
        return
    yield Rewrite(rule, sp.S.Zero)


def between_jumps(expr: sp.Expr, original: sp.Expr) -> Iterator[Rewrite]:
    """The derivative between the jumps: each piece that is 0 wherever it is defined (the
    derivative of sign, ⌊u⌋ or ⌈u⌉, undefined at their jumps) written as 0, so that
    x·⌊x⌋ differentiates to ⌊x⌋ as a textbook writes it. The step before says where it holds.

    >>> x = sp.Symbol("x")
    >>> [r.after for r in between_jumps(x * sp.Piecewise((0, sp.floor(x) < x)) + sp.floor(x), x)]
    [floor(x)]
    """
    flat = {
        piece: sp.S.Zero
        for piece in expr.atoms(sp.Piecewise)
        if all(value == 0 for value, _ in piece.args)
    }
    if flat:
        yield Rewrite("simplify", expr.xreplace(flat))


def _zero_at_points(expr: sp.Expr) -> bool:
    """A cheap look before SymPy's simplify: ``expr`` is 0 to 25 digits at three points."""
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    for point in (sp.Rational(3, 7), sp.Rational(-5, 11), sp.Rational(13, 9)):
        at = {s: point + sp.Rational(i, 17) for i, s in enumerate(symbols)}
        try:
            value = evaluate(expr, at, digits=30)
        except (NotNumeric, ValueError, ZeroDivisionError, OverflowError):
            return False
        if abs(value) > 1e-25:
            return False
    return True
