"""Are two formulas the same function? The assertions' question, answered by the proof layer.

:func:`compare` asks :mod:`symderiv.proof.equivalence`, the comparison that proves the steps of
a derivation, and adds what a test needs:

1. exact proofs first (:func:`~symderiv.proof.equivalence.exact_verdict`); formulas holding
   rounded numbers (``Float``) are left to the numbers unless they are the same tree;
2. then numbers, at simple points before random ones (:mod:`symderiv.testing.points`), relative
   to the magnitude of the values: 0 against x/10³⁰ is a difference. A formula holding a float
   such as ``0.5`` is compared to 12 digits;
3. a difference SymPy proved is shown at a point, with as many digits as it takes to see it
   (10⁻⁴⁰ beside values near 1).

The answer is an :class:`Agreement`, a :class:`Counterexample`, or, when neither could be found,
the reason in words.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> compare((x + 1)**2, x**2 + 2*x + 1, rtol=None, points=6, digits=30, seed=0)
Agreement(method='symbolic', points=0, max_error=0.0)
>>> compare((x + 1)**2, x**2 + 1, rtol=None, points=6, digits=30, seed=0).describe()
'at x = 1, yours = 4.0, true = 2.0'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import mpmath
import sympy as sp

from ..proof.equivalence import PointComparison, compare_numerically, exact_verdict
from ..proof.numeric import NotNumeric, evaluate, is_complex_number
from .messages import MAX_EXTRA_DIGITS, point_text, value, values
from .points import CANDIDATES, by_name, candidate_points

__all__ = ["Agreement", "Counterexample", "compare"]

Method = Literal["identical", "symbolic", "numeric"]


@dataclass(frozen=True)
class Agreement:
    """How two formulas were shown to be the same function.

    ``method`` is ``"identical"`` (the same tree), ``"symbolic"`` (the difference cancels to 0) or
    ``"numeric"`` (equal at ``points`` points to a relative error of at most ``max_error``).
    """

    method: Method
    points: int = 0
    max_error: float = 0.0


@dataclass(frozen=True)
class Counterexample:
    """A point where two formulas differ, and the value of each there (mpmath numbers)."""

    point: Mapping[sp.Symbol, Any]
    yours: Any
    true: Any

    def describe(self, left: str = "yours", right: str = "true") -> str:
        """``at x = 1, yours = 4.0, true = 2.0``, the sides named ``left`` and ``right``."""
        yours, true = values(self.yours, self.true)
        return f"{point_text(self.point)}, {left} = {yours}, {right} = {true}"


def compare(
    left: sp.Expr,
    right: sp.Expr,
    *,
    rtol: float | None,
    points: int,
    digits: int,
    seed: int,
) -> Agreement | Counterexample | str:
    """An :class:`Agreement`, a :class:`Counterexample`, or a reason why neither was found.

    ``rtol`` bounds the numeric comparison, ``|a − b| ≤ rtol·max(|a|, |b|)``; by default
    10^-(digits − 8), or 1e-12 when either side holds a float. ``points`` points must agree, at
    least one of them with real values; ``seed`` draws the random ones.
    """
    verdict = exact_verdict(left, right, cancel_rounded=False)
    if verdict is not None and verdict.same:
        return Agreement(verdict.method)  # type: ignore[arg-type]
    groups = by_name(left, right)
    if verdict is not None:
        return _shown_different(left, right, verdict.difference, groups, digits, seed)
    tolerance = _tolerance(rtol, digits, left, right)
    outcome = compare_numerically(
        left, right, candidate_points(groups, seed), needed=points, digits=digits, tolerance=tolerance
    )
    if outcome.counterexample is not None:
        return _counterexample(outcome.counterexample)
    real_points = outcome.agreed - outcome.complex_agreed
    if outcome.agreed >= points and real_points >= 1:
        return Agreement("numeric", outcome.agreed, outcome.max_error)
    reason = (
        f"SymPy could not show them equal, and they have real values at only {real_points} of "
        f"{CANDIDATES} points tried (need {points})"
    )
    if outcome.unusable:
        reason += f"; for example {outcome.unusable[0]}"
    return reason


def _tolerance(rtol: float | None, digits: int, *exprs: sp.Expr) -> Any:
    if rtol is not None:
        return rtol
    if any(e.has(sp.Float) for e in exprs):
        return sp.Rational(1, 10**12)
    return sp.Rational(1, 10 ** (digits - 8))


def _shown_different(
    left: sp.Expr, right: sp.Expr, difference: sp.Expr, groups: list[list[sp.Symbol]], digits: int, seed: int
) -> Counterexample | str:
    """SymPy proved ``left − right = difference ≠ 0``: a point that shows it, with enough digits
    to resolve a difference as small as 10⁻⁴⁰ beside values near 1."""
    digits += _digits_to_resolve(difference)
    outcome = compare_numerically(
        left, right, candidate_points(groups, seed), needed=CANDIDATES, digits=digits, tolerance=0
    )
    if outcome.counterexample is not None:
        return _counterexample(outcome.counterexample)
    shown = sp.N(difference, 15) if difference.is_number else difference
    return f"their difference is {shown}, which is not 0"


def _digits_to_resolve(difference: sp.Expr) -> int:
    """Extra digits needed to see a constant difference beside values of size 1 or so."""
    if difference.free_symbols:
        return 0
    try:
        size = abs(evaluate(difference, {}, digits=15))
    except NotNumeric:
        return 0
    return 0 if size == 0 or size >= 1 else min(int(-mpmath.log10(size)) + 5, MAX_EXTRA_DIGITS)


def _counterexample(result: PointComparison) -> Counterexample | str:
    if result.complex:
        where = point_text(result.point)
        return (
            f"they differ off the real line, {where}: left = {value(result.left)}, "
            f"right = {value(result.right)}, and too few points give real values"
        )
    return Counterexample(dict(result.point), _real(result.left), _real(result.right))


def _real(number: Any) -> Any:
    """The real part, as a number of mpmath's global types (every digit kept)."""
    real = number.real if is_complex_number(number) else number
    return mpmath.mp.make_mpf(real._mpf_) if hasattr(real, "_mpf_") else real
