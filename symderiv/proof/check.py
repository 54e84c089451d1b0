"""Proving steps: the claim each step rests on exactly, and every line in numbers.

A step claims ``part = replacement`` (its ``focus``, or each of its ``parts``; where it declares
none, the smallest parts in which the two lines differ, or the whole step: see
:mod:`symderiv.proof.claims`). The proof of a step has three parts:

1. structure: ``after`` is ``before`` with each part replaced by its replacement, so the local
   claims carry over to the whole equality;
2. symbolic, on the claims, which are small: both sides, differentiated by SymPy (``doit``)
   and with ``where`` substituted, are the same tree, or their difference cancels to 0
   (``cancel``, σ written with exp, multiplied out only when that stays small); a difference
   SymPy proves nonzero (a constant such as 10⁻²⁵) fails the step;
3. numeric, on the whole line (and on every claim without a symbolic proof): at several random
   points, both sides agree to 30 digits relative to their magnitude (evaluated with mpmath at
   twice that, so that cancellation such as 1 − σ(75) ≈ 3·10⁻³³ costs no needed digits),
   derivatives taken by numerical differentiation, so this part does not rest on any symbolic
   rule. Points where either side has no finite real value are skipped. 0 against 10⁻⁴⁰ is a
   difference.

The cost of a proof is bounded by the step, not by the line: SymPy differentiates and cancels
the parts a step rewrote; the line is only evaluated, once per point, since the steps of one
derivation tree share their random points and one step's ``after`` is the next one's
``before``. Both proofs are those of :mod:`symderiv.proof.equivalence`, the one comparison of
symderiv. The precision lives in an mpmath context of each call, so steps may be proven in
several threads.

A step passes when the structure holds, no exact proof says a claim is false, the numbers agree
at every point, and every claim has a symbolic proof or agrees at enough points. Anything else
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

from .claims import StructureError, step_claims
from .equivalence import ExactVerdict, ValueMemo, compare_numerically, exact_verdict, random_value
from .laws import chain_verdict, one_level_verdict
from ..errors import StepCheckError
from ..core.report import CheckReport, Method, StepProof
from ..core.steps import Step, names_in_use, resolve_where

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
    ``steps``): the proof layer sits below the class, which calls this from ``check()``.
    The steps of one derivation tree are proven together: they share their random points and
    what was computed for one step (a line's values, a side differentiated) serves the next.
    """
    return _Prover(points, digits, seed).derivation(derivation)


def check_step(
    step: Step, *, index: int = 0, points: int = 4, digits: int = 30, seed: int = 0
) -> StepProof:
    """Prove one step, or raise :class:`StepCheckError` saying why it does not hold."""
    return _Prover(points, digits, seed).step(step, index)


class _Prover:
    """The proof of one derivation tree: its settings, its random points and its memos."""

    def __init__(self, points: int, digits: int, seed: int):
        self.points = points
        self.digits = digits
        self.seed = seed
        self.differentiated: dict[Any, sp.Expr] = {}
        self.values = ValueMemo()
        self.coordinates: dict[tuple[str, int], Any] = {}
        self._variables: dict[Any, tuple[Mapping[sp.Symbol, sp.Expr], set[sp.Symbol]]] = {}
        self._floats: dict[sp.Expr, list[sp.Float]] = {}

    def derivation(self, derivation: Any) -> CheckReport:
        first = derivation.steps[0].before
        expected = _start(derivation)
        if first != expected:
            raise StepCheckError(f"the first step starts from {first}, not from {expected}")
        proofs = []
        subs = []
        for index, step in enumerate(derivation.steps):
            # The sub-derivations first: a line that puts their results in place is proven by them.
            reports = tuple(self.derivation(sub) for sub in getattr(step, "substeps", ()))
            proven = {
                _start(sub): (sub.result, _exact_method(report))
                for sub, report in zip(getattr(step, "substeps", ()), reports)
            }
            proofs.append(self.step(step, index, proven))
            subs.append(reports)
        return CheckReport(tuple(proofs), tuple(subs) if any(subs) else ())

    def step(self, step: Step, index: int, proven: Mapping[sp.Expr, tuple[sp.Expr, Method]] | None = None) -> StepProof:
        """The proof of ``step``: its local claims (:mod:`symderiv.proof.claims`) exactly where
        SymPy can, the claims SymPy cannot prove and the whole line in numbers. ``proven``
        holds the derivatives the step's sub-derivations proved, with their results."""
        try:
            claims = step_claims(step)
        except StructureError as error:
            raise StepCheckError(str(error), step.rule) from None
        whole = (step.before, step.after)
        declared = step.focus is not None or bool(step.parts)
        try:
            return self.claims(step, index, claims, proven or {})
        except StepCheckError:
            if declared or claims == (whole,):
                raise
            # The parts found by comparing the trees need not be equal one by one
            # ((a − b)² = (b − a)² but a − b ≠ b − a): the whole line decides.
            return self.claims(step, index, (whole,), proven or {})

    def exact(self, left: sp.Expr, right: sp.Expr, step: Step,
              proven: Mapping[sp.Expr, tuple[sp.Expr, Method]]) -> ExactVerdict | None:
        """An exact proof of one claim, the cheapest that applies: the sub-derivation that
        derived it, a law of differentiation applied once (:mod:`symderiv.proof.laws`), else
        both sides differentiated and compared (:func:`exact_verdict`)."""
        if left == right:
            return ExactVerdict("identical")
        if left in proven:
            result, method = proven[left]
            if method != "numeric" and resolve_where(result, step.where) == resolve_where(right, step.where):
                return ExactVerdict(method)
        law = chain_verdict(left, right, step.where) or one_level_verdict(left, right, step.where)
        if law is not None:
            return ExactVerdict(law)
        return exact_verdict(left, right, step.where, memo=self.differentiated)

    def claims(self, step: Step, index: int, claims: tuple[tuple[sp.Expr, sp.Expr], ...],
               proven: Mapping[sp.Expr, tuple[sp.Expr, Method]]) -> StepProof:
        whole = (step.before, step.after)
        verdicts = [self.exact(left, right, step, proven) for left, right in claims]
        for verdict in verdicts:
            if verdict is not None and not verdict.same:
                raise StepCheckError(f"the two sides differ by {verdict.difference}, which is not 0", step.rule)
        unproven = [claim for claim, verdict in zip(claims, verdicts) if verdict is None]
        agreed, max_error = self.points, 0.0
        for left, right in [*unproven, *([whole] if whole not in unproven else [])]:
            outcome = self.numbers(step, left, right)
            if outcome.counterexample is not None:
                raise StepCheckError(_disagreement(outcome.counterexample), step.rule)
            if (left, right) in unproven and outcome.agreed < self.points:
                raise StepCheckError(
                    f"no symbolic proof, and only {outcome.agreed} of {self.points} random points could be evaluated",
                    step.rule,
                )
            agreed, max_error = min(agreed, outcome.agreed), max(max_error, outcome.max_error)
        method: Method
        if unproven:
            method = "numeric"
        elif all(verdict is not None and verdict.method == "identical" for verdict in verdicts):
            method = "identical"
        else:
            method = "symbolic"
        return StepProof(index, step.rule, method, agreed, max_error, self.digits)

    def numbers(self, step: Step, left: sp.Expr, right: sp.Expr) -> Any:
        """``left`` against ``right`` at this proof's random points, with the step's ``where``."""
        symbols = sorted(self.variables(left, step.where) | self.variables(right, step.where), key=lambda s: s.name)
        candidates = ({symbol: self.coordinate(symbol, attempt) for symbol in symbols}
                      for attempt in range(CANDIDATE_POINTS))
        floats = [f for expr in (left, right, *step.where.values()) for f in self.floats(expr)]
        return compare_numerically(
            left, right, candidates, needed=self.points, digits=2 * self.digits,
            tolerance=_tolerance(self.digits, *floats), where=step.where,
            largest=HUGE, memo=self.values,
        )

    def variables(self, expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> set[sp.Symbol]:
        """:func:`_free_symbols`, once per line and scope (a line is the side of two steps)."""
        key = (expr, id(where))
        known = self._variables.get(key)
        if known is None or known[0] is not where:
            known = self._variables[key] = (where, _free_symbols(expr, where))
        return known[1]

    def floats(self, expr: sp.Expr) -> list[sp.Float]:
        """The rounded numbers in ``expr``, once per expression."""
        if expr not in self._floats:
            self._floats[expr] = list(expr.atoms(sp.Float))
        return self._floats[expr]

    def coordinate(self, symbol: sp.Symbol, attempt: int) -> Any:
        """The value of ``symbol`` at the random point ``attempt``: the same in every step, so
        that a line shared by two steps is evaluated once."""
        key = (symbol.name, attempt)
        if key not in self.coordinates:
            rng = random.Random(zlib.crc32(f"{self.seed}:{symbol.name}:{attempt}".encode()))
            self.coordinates[key] = random_value(rng, attempt)
        return self.coordinates[key]


def _exact_method(report: CheckReport) -> Method:
    """How a whole sub-derivation was proven: "numeric" if any step was proven only in numbers."""
    methods = {proof.method for proof in report.proofs}
    if "numeric" in methods:
        return "numeric"
    return "symbolic" if "symbolic" in methods else "identical"


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


def _start(derivation: Any) -> sp.Expr:
    """Where a derivation's chain starts: ``Derivative(expr, *variables)`` (``variables`` is
    ``(wrt,)`` for a first derivative, more for a derivative of higher order)."""
    return sp.Derivative(derivation.expr, *getattr(derivation, "variables", (derivation.wrt,)))
