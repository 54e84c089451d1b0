"""Proving steps: symbolically where that is cheap, and numerically at random points, always.

A step claims ``part = replacement`` (its ``focus``; the whole ``before = after`` when it has
none). The proof of a step has three parts:

1. structure: ``after`` is ``before`` with ``part`` replaced by ``replacement``, so the local
   claim carries over to the whole equality;
2. symbolic: both sides, differentiated by SymPy (``doit``) and with ``where`` substituted, are
   the same tree, or their difference cancels to 0 (``cancel``, σ written with exp, multiplied
   out only when that stays small); a difference SymPy proves nonzero (a constant such as
   10⁻²⁵) fails the step;
3. numeric: at several random points, both sides agree to 30 digits relative to their
   magnitude (evaluated with mpmath at twice that, so that cancellation such as
   1 − σ(75) ≈ 3·10⁻³³ costs no needed digits), derivatives taken by numerical
   differentiation, so this part does not rest on any symbolic rule. Points where either side
   has no finite real value are skipped. 0 against 10⁻⁴⁰ is a difference.

Both proofs are those of :mod:`symderiv.proof.equivalence`, the one comparison of symderiv. The
precision lives in an mpmath context of each call, so steps may be proven in several threads.

A step passes when the structure holds, no exact proof says the sides differ, the numbers agree
at every point, and at least one of the symbolic or numeric parts succeeded. Anything else
raises :class:`StepCheckError`: a step that cannot be proven is never shown as if it were true.

>>> import sympy as sp
>>> from symderiv.core.steps import Step
>>> x = sp.Symbol("x")
>>> proof = check_step(Step("power", sp.Derivative(x**3, x), 3*x**2))
>>> proof.method, proof.points
('identical', 4)
>>> check_step(Step("power", sp.Derivative(x**3, x), 3*x))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
symderiv.errors.StepCheckError: step could not be proven in step 'power': ...
"""

from __future__ import annotations

import random
import zlib
from typing import Any, Mapping

import mpmath
import sympy as sp

from .equivalence import compare_numerically, exact_verdict, random_value
from ..errors import StepCheckError
from ..core.report import CheckReport, Method, StepProof
from ..core.steps import Step, names_in_use

__all__ = ["StepProof", "CheckReport", "check_step", "check_derivation"]

#: How many candidate points are tried to find the requested number of usable ones.
CANDIDATE_POINTS = 40
#: Points where a side is larger than this are not used: near such growth (e^(e^(e^3x)))
#: numerical differentiation at 30 digits is no evidence either way.
HUGE = 10**30


def check_derivation(
    derivation: Any, *, points: int = 4, digits: int = 30, seed: int = 0
) -> CheckReport:
    """Prove every step of ``derivation`` and of its sub-derivations; raise
    :class:`StepCheckError` at the first that fails.

    ``derivation`` is a :class:`~symderiv.Derivation` (anything with ``expr``, ``wrt`` and
    ``steps``, and ``variables`` for a derivative of higher order): the proof layer sits below the class, which calls this from ``check()``.
    """
    first = derivation.steps[0].before
    expected = sp.Derivative(derivation.expr, *getattr(derivation, "variables", (derivation.wrt,)))
    if first != expected:
        raise StepCheckError(f"the first step starts from {first}, not from {expected}")
    proofs = []
    subs = []
    for index, step in enumerate(derivation.steps):
        proofs.append(check_step(step, index=index, points=points, digits=digits, seed=seed))
        subs.append(tuple(check_derivation(sub, points=points, digits=digits, seed=seed)
                          for sub in getattr(step, "substeps", ())))
    return CheckReport(tuple(proofs), tuple(subs) if any(subs) else ())


def check_step(
    step: Step, *, index: int = 0, points: int = 4, digits: int = 30, seed: int = 0
) -> StepProof:
    """Prove one step, or raise :class:`StepCheckError` saying why it does not hold."""
    if step.focus is not None:
        part, replacement = step.focus
        if step.before.xreplace({part: replacement}) != step.after:
            raise StepCheckError(
                "its result is not its starting expression with the rewritten part replaced",
                step.rule,
            )
    left, right = step.local
    verdict = exact_verdict(left, right, step.where)
    if verdict is not None and not verdict.same:
        raise StepCheckError(f"the two sides differ by {verdict.difference}, which is not 0", step.rule)
    rng = random.Random(zlib.crc32(f"{seed}:{index}:{step.rule}".encode()))
    symbols = sorted(_free_symbols(left, step.where) | _free_symbols(right, step.where), key=lambda s: s.name)
    candidates = (
        {symbol: random_value(rng, attempt) for symbol in symbols} for attempt in range(CANDIDATE_POINTS)
    )
    outcome = compare_numerically(
        left, right, candidates, needed=points, digits=2 * digits,
        tolerance=_tolerance(digits, left, right, *step.where.values()), where=step.where, largest=HUGE,
    )
    if outcome.counterexample is not None:
        raise StepCheckError(_disagreement(outcome.counterexample), step.rule)
    if verdict is None and outcome.agreed < points:
        raise StepCheckError(
            f"no symbolic proof, and only {outcome.agreed} of {points} random points could be evaluated",
            step.rule,
        )
    method: Method = verdict.method if verdict is not None else "numeric"  # type: ignore[assignment]
    return StepProof(index, step.rule, method, outcome.agreed, outcome.max_error, digits)


def _tolerance(digits: int, *exprs: sp.Basic) -> sp.Rational:
    """How far apart the two sides may be, relative to their size: 10^-(digits − 8), or, when a
    side holds a rounded number (a Float of 15 digits, as 2.5ˣ does), what that rounding allows:
    SymPy computes log(2.5) at the Float's own precision, so equal sides differ in its last
    digits. Exact numbers keep the full precision.

    >>> x = sp.Symbol("x")
    >>> _tolerance(30, x), _tolerance(30, sp.Float(2.5) * x)
    (1/10000000000000000000000, 1/1000000000000)
    """
    floats = [f for expr in exprs for f in expr.atoms(sp.Float)]
    exact = sp.Rational(1, 10 ** (digits - 8))
    if not floats:
        return exact
    float_digits = int(min(f._prec for f in floats) * 0.30103)  # bits to decimal digits
    return max(exact, sp.Rational(1, 10 ** max(float_digits - 3, 1)))


def _free_symbols(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> set[sp.Symbol]:
    """The variables a side depends on: its own, its derivatives', and those of the names it uses."""
    parts = [expr, *(v for d in expr.atoms(sp.Derivative) for v in d.variables)]
    names = names_in_use(where, *parts)
    symbols = set().union(*(p.free_symbols for p in parts), *(where[n].free_symbols for n in names))
    return symbols - set(where)


def _disagreement(result: Any) -> str:
    point = ", ".join(f"{symbol} = {mpmath.nstr(value, 12)}" for symbol, value in result.point.items())
    where = f"at the complex point {point}" if result.complex else f"at {point}" if point else "everywhere"
    a, b = result.left, result.right
    shown = 15
    while mpmath.nstr(a, shown) == mpmath.nstr(b, shown) and shown < 60:
        shown += 15  # enough digits that the two values read differently
    return f"the two sides differ {where}: {mpmath.nstr(a, shown)} against {mpmath.nstr(b, shown)}"
