"""A derivative that is 0, written as 0."""

from __future__ import annotations

from collections.abc import Iterator

import sympy as sp

from ...proof.equivalence import elementary
from ...core.precision import working_context
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
    """A cheap look before SymPy's simplify: ``expr`` is 0 at three points, to 25 digits of
    its own terms' size (see :func:`_vanishes`).

    >>> x = sp.Symbol("x")
    >>> _zero_at_points(sp.sin(x)**2 + sp.cos(x)**2 - 1), _zero_at_points(sp.sin(x)**10**6)
    (True, False)
    """
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    for point in (sp.Rational(3, 7), sp.Rational(-5, 11), sp.Rational(13, 9)):
        at = {s: point + sp.Rational(i, 17) for i, s in enumerate(symbols)}
        try:
            if not _vanishes(expr, at):
                return False
        except (NotNumeric, ValueError, ZeroDivisionError, OverflowError):
            return False
    return True


def _vanishes(expr: sp.Expr, at: dict[sp.Symbol, sp.Expr]) -> bool:
    """``expr`` is 0 at ``at``: a product when a factor is, a power when its base is, a sum when
    its terms cancel to 25 digits of the largest of them. A tiny value is not 0: sin(x)¹⁰⁰⁰⁰⁰⁰
    is about 10⁻³⁷⁰⁰⁰⁰ at x = 3/7, and taking it for 0 sent its derivative to simplify."""
    if expr.is_Mul:
        return any(_vanishes(factor, at) for factor in expr.args)
    if expr.is_Pow and expr.exp.is_positive:
        return _vanishes(expr.base, at)
    with working_context(40) as context:  # the terms summed at the digits they were computed to
        if expr.is_Add:
            values = [evaluate(term, at, digits=30, context=context) for term in expr.args]
            return bool(abs(context.fsum(values)) <= 1e-25 * max(abs(value) for value in values))
        return bool(abs(evaluate(expr, at, digits=30, context=context)) <= 1e-25)
