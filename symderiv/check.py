"""Proving steps: symbolically where that is cheap, and numerically at random points, always.

A step claims ``part = replacement`` (its ``focus``; the whole ``before = after`` when it has
none). The proof of a step has three parts:

1. structure: ``after`` is ``before`` with ``part`` replaced by ``replacement``, so the local
   claim carries over to the whole equality;
2. symbolic: both sides, differentiated by SymPy (``doit``) and with ``where`` substituted, are
   the same tree, or their difference cancels to 0 (``cancel``, σ written with exp, bounded in
   size; no ``expand``, which can blow up exponentially on powers of sums);
3. numeric: at several random points, both sides agree to 30 digits (evaluated with mpmath
   at twice that, so that cancellation such as 1 − σ(75) ≈ 3·10⁻³³ costs no needed digits),
   derivatives taken by numerical differentiation, so this part does not rest on any
   symbolic rule. Points where either side has no finite real value are skipped.

A step passes when the structure holds, the numbers agree at every point, and at least one
of the symbolic or numeric parts succeeded. Anything else raises :class:`StepCheckError`:
a step that cannot be proven is never shown as if it were true.

>>> import sympy as sp
>>> from symderiv.steps import Step
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
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Mapping

import mpmath
import sympy as sp

from .errors import StepCheckError
from .functions import sigmoid, softplus
from .numeric import NotNumeric, evaluate
from .steps import Step, names_in_use, resolve_where

if TYPE_CHECKING:
    from .steps import Derivation

__all__ = ["StepProof", "CheckReport", "check_step", "check_derivation"]

Method = Literal["identical", "symbolic", "numeric"]

#: Largest expression (in ``count_ops``) for which a symbolic cancellation is attempted.
SYMBOLIC_SIZE_LIMIT = 400
#: How many candidate points are tried to find the requested number of usable ones.
CANDIDATE_POINTS = 40
#: Points where a side is larger than this are not used: near such growth (e^(e^(e^3x)))
#: numerical differentiation at 30 digits is no evidence either way.
HUGE = mpmath.mpf(10) ** 30


@dataclass(frozen=True)
class StepProof:
    """How one step was proven.

    ``method`` is ``"identical"`` (the same tree after differentiation and substitution),
    ``"symbolic"`` (the difference cancels to 0) or ``"numeric"`` (only the numbers agree);
    ``points`` is how many random points agreed, ``max_error`` the largest relative
    difference seen there, at ``digits`` digits.
    """

    index: int
    rule: str
    method: Method
    points: int
    max_error: float
    digits: int


@dataclass(frozen=True)
class CheckReport:
    """The proof of every step of a derivation, in order."""

    proofs: tuple[StepProof, ...]

    @property
    def ok(self) -> bool:
        """True: a report only exists for a derivation whose every step was proven."""
        return True

    def count(self, method: Method) -> int:
        return sum(proof.method == method for proof in self.proofs)

    def __str__(self) -> str:
        lines = [f"{len(self.proofs)} steps proven"]
        for proof in self.proofs:
            lines.append(
                f"  {proof.index + 1:>2}. {proof.rule:<20} {proof.method:<9} "
                f"{proof.points} points, max relative error {proof.max_error:.1e}"
            )
        return "\n".join(lines)


def check_derivation(
    derivation: "Derivation", *, points: int = 4, digits: int = 30, seed: int = 0
) -> CheckReport:
    """Prove every step of ``derivation``; raise :class:`StepCheckError` at the first that fails."""
    first = derivation.steps[0].before
    expected = sp.Derivative(derivation.expr, derivation.wrt)
    if first != expected:
        raise StepCheckError(f"the first step starts from {first}, not from {expected}")
    proofs = []
    for index, step in enumerate(derivation.steps):
        proofs.append(check_step(step, index=index, points=points, digits=digits, seed=seed))
    return CheckReport(tuple(proofs))


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
    symbolic = _symbolic_method(left, right, step.where)
    rng = random.Random(zlib.crc32(f"{seed}:{index}:{step.rule}".encode()))
    agreed, max_error, failure = _numeric_agreement(left, right, step.where, points, digits, rng)
    if failure is not None:
        raise StepCheckError(failure, step.rule)
    if symbolic is None and agreed < points:
        raise StepCheckError(
            f"no symbolic proof, and only {agreed} of {points} random points could be evaluated",
            step.rule,
        )
    method: Method = symbolic if symbolic is not None else "numeric"
    return StepProof(index, step.rule, method, agreed, float(max_error), digits)


def _symbolic_method(
    left: sp.Expr, right: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]
) -> Method | None:
    """"identical" or "symbolic" when SymPy shows both sides equal cheaply; None when it cannot."""
    try:
        left_value = _differentiated(left, where)
        right_value = _differentiated(right, where)
    except Exception:  # SymPy failing to differentiate is "no symbolic proof", not a crash
        return None
    if left_value == right_value:
        return "identical"
    difference = _elementary(left_value - right_value)
    if difference.has(sp.Derivative, sp.Subs, sp.Piecewise):
        return None
    if sp.count_ops(difference) > SYMBOLIC_SIZE_LIMIT:
        return None
    try:
        if sp.cancel(difference) == 0:
            return "symbolic"
    except Exception:
        return None
    return None


def _differentiated(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """``expr.doit()`` with the substitutions put back, as the contract of DESIGN.md reads."""
    return resolve_where(expr.doit(), where).doit()


def _elementary(expr: sp.Expr) -> sp.Expr:
    """Write σ and softplus with exp and log, so that cancellation can see through them."""
    replacements: dict[sp.Basic, sp.Expr] = {}
    for node in expr.atoms(sigmoid, softplus):
        replacements[node] = node.rewrite(sp.exp)
    return expr.xreplace(replacements) if replacements else expr


def _numeric_agreement(
    left: sp.Expr,
    right: sp.Expr,
    where: Mapping[sp.Symbol, sp.Expr],
    points: int,
    digits: int,
    rng: random.Random,
) -> tuple[int, Any, str | None]:
    """Compare both sides at random points: (points agreed, largest error, failure or None)."""
    symbols = _free_symbols(left, where) | _free_symbols(right, where)
    ordered = sorted(symbols, key=lambda s: s.name)
    tolerance = mpmath.mpf(10) ** (-(digits - 8))
    agreed = 0
    max_error = mpmath.mpf(0)
    complex_points: list[tuple[dict[sp.Symbol, Any], Any]] = []
    for attempt in range(CANDIDATE_POINTS):
        if agreed >= points:
            break
        point = {symbol: _random_value(rng, attempt) for symbol in ordered}
        try:
            a = evaluate(left, point, where=where, digits=2 * digits)
            b = evaluate(right, point, where=where, digits=2 * digits)
        except NotNumeric:
            continue
        if max(abs(a), abs(b)) > HUGE:
            continue  # so steep that numerical differentiation cannot be trusted here
        error = abs(a - b) / max(1, abs(a), abs(b))
        if _is_complex(a) or _is_complex(b):
            complex_points.append((point, error))
            continue
        if error > tolerance:
            return agreed, error, _disagreement(point, a, b)
        max_error = max(max_error, error)
        # Without variables every point is the same point: one evaluation is the whole proof.
        agreed += 1 if ordered else points
    if agreed < points:
        # Off the real line only where the real line gave too few usable points.
        for point, error in complex_points[: points - agreed]:
            if error > tolerance:
                return agreed, error, f"the sides differ at the complex point {point}"
            agreed += 1
            max_error = max(max_error, error)
    return agreed, max_error, None


def _free_symbols(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> set[sp.Symbol]:
    """The variables a side depends on: its own, its derivatives', and those of the names it uses."""
    parts = [expr, *(v for d in expr.atoms(sp.Derivative) for v in d.variables)]
    names = names_in_use(where, *parts)
    symbols = set().union(*(p.free_symbols for p in parts), *(where[n].free_symbols for n in names))
    return symbols - set(where)


def _random_value(rng: random.Random, attempt: int) -> mpmath.mpf:
    """A point away from 0 and ±1: positive first (inside most domains), then either sign."""
    while True:
        if attempt % 3 == 0:
            value = rng.uniform(0.15, 0.95)
        elif attempt % 3 == 1:
            value = rng.uniform(1.1, 2.9)
        else:
            value = rng.uniform(-2.9, -0.15)
        if abs(abs(value) - 1) > 0.05:
            return mpmath.mpf(repr(value))


def _is_complex(value: Any) -> bool:
    return isinstance(value, mpmath.mpc) and abs(value.imag) > mpmath.mpf(10) ** (-(mpmath.mp.dps // 2)) * max(1, abs(value))


def _disagreement(point: Mapping[sp.Symbol, Any], a: Any, b: Any) -> str:
    where = ", ".join(f"{symbol} = {mpmath.nstr(value, 12)}" for symbol, value in point.items())
    return f"the two sides differ at {where}: {mpmath.nstr(a, 15)} against {mpmath.nstr(b, 15)}"
