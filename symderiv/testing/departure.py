"""Where a wrong derivative departs from the right one: the step, and the slip made there.

A slip at one step of a derivation replaces the derivative that step evaluates by something
else, and the steps after it carry the change to the end. So each step's derivative is made an
unknown D, the rest of the derivation is completed around it, and the result, a function of D,
is compared with the wrong formula for a few values of D:

1. the usual slips (:func:`_slips`): the opposite sign, leaving the derivative out (0), taking it
   as 1 (a chain-rule factor forgotten), twice or half of it; at that step alone, then wherever
   the same derivative comes up again (∂/∂w (w·x + b) taken as 1 in both terms of a loss);
2. failing those, D solved for from the wrong formula, when it comes out no larger than the right
   derivative: a rule misremembered (σ′ = σ(1 + σ)).

Candidates are compared with the wrong formula at three points, to 10^-(digits − 8) with a floor
of 1 under the magnitude: a quick screen over many candidates, not a proof (the assertions have
already proven, with :mod:`symderiv.proof.equivalence`, that the formula is wrong).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import mpmath
import sympy as sp

from ..core.derivation import Derivation
from ..core.steps import Step, resolve_where
from ..proof.equivalence import is_off_real_line
from ..proof.numeric import NotNumeric, evaluate
from .messages import show, tidy
from .points import by_name, candidate_points

__all__ = ["Departure", "find_departure"]

#: Most steps searched: the explanation is a bonus, and must stay quick.
STEPS_SEARCHED = 60


@dataclass(frozen=True)
class Departure:
    """The first step of a derivation where a wrong formula leaves it.

    ``index`` is the 0-based position in ``derivation.steps``; ``node`` the derivative the step
    evaluates and ``correct`` what it evaluates to; ``yours`` what that derivative would have to
    be for your formula to come out, and ``slip`` says in words what kind of slip that is.
    """

    index: int
    rule: str
    node: sp.Expr
    correct: sp.Expr
    yours: sp.Expr
    slip: str
    where: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)

    def describe(self) -> str:
        """The step, the derivative it evaluates, and the slip, on two lines."""
        names = [f"{s} = {v}" for s, v in self.where.items() if s in self.node.free_symbols]
        scope = f" (with {', '.join(names)})" if names else ""
        return (
            f"step {self.index + 1} ({self.rule}): {show(self.node)} = {show(self.correct)}{scope};\n"
            f"                    {self.slip}"
        )


@dataclass(frozen=True)
class _Unknown:
    """One step with its derivative made the unknown ``unknown``; ``correct`` is its right value.

    ``alone`` is the end result of the derivation as a function of ``unknown``; ``everywhere``
    the same with every later derivative of the same expression also ``unknown`` (None when that
    derivative comes up only here).
    """

    index: int
    step: Step
    unknown: sp.Dummy
    correct: sp.Expr
    alone: sp.Expr
    everywhere: sp.Expr | None

    @property
    def completions(self) -> list[tuple[str, sp.Expr | None]]:
        """Each end result with the words for where the slip is made."""
        return [("", self.alone), (" wherever it comes up", self.everywhere)]

    @property
    def applies_a_rule(self) -> bool:
        """The step's result holds no derivative: it applies a rule (σ′ = σ(1 − σ)), which may
        be misremembered, rather than splitting the derivative into others (sum, chain)."""
        return not self.step.focus[1].has(sp.Derivative)  # type: ignore[index]

    def departure(self, yours: sp.Expr, slip: str) -> Departure:
        node, result = self.step.focus  # type: ignore[misc]
        return Departure(self.index, self.step.rule, node, result, yours, slip, dict(self.step.where))


def find_departure(derivation: Derivation, wrong: sp.Expr, *, digits: int = 20) -> Departure | None:
    """The first step of ``derivation`` where one slip turns its result into ``wrong``, or None.

    Tried at each step, in order: the usual slips, at that step alone and then wherever the same
    derivative comes up; failing those, at any step, a rule misremembered (see the module).

    >>> import sympy as sp
    >>> from symderiv.calculus.engine import derive
    >>> x = sp.Symbol("x")
    >>> d = derive(sp.sin(x**2), x, detail="full")
    >>> print(find_departure(d, sp.cos(x**2)).describe())
    step 3 (power): d/dx(x**2) = 2*x;
                        your formula is what you get if this derivative is taken as 1 (a factor of the chain rule left out)
    """
    fits = _fitter(derivation.result, wrong, digits)
    if fits is None:
        return None
    evaluated = [
        (index, step) for index, step in enumerate(derivation.steps)
        if step.focus is not None and isinstance(step.focus[0], sp.Derivative)
    ][:STEPS_SEARCHED]
    repeated = _repeated_nodes(evaluated)
    solvable: list[_Unknown] = []
    for index, step in evaluated:
        unknown = _with_unknown(index, step, derivation.wrt, repeated)
        if unknown is None:
            continue  # SymPy failing on one step leaves the others to try
        departure = _usual_slip(unknown, fits)
        if departure is not None:
            return departure
        if unknown.applies_a_rule or len(evaluated) == 1:
            solvable.append(unknown)
    return _misremembered(solvable, wrong, fits, len(evaluated))


def _fitter(true: sp.Expr, wrong: sp.Expr, digits: int) -> Callable[[sp.Expr], bool] | None:
    """A test of whether a candidate is ``wrong``, at three points where ``true`` and ``wrong``
    have real values; None when there are no such points."""
    targets = _targets(true, wrong, digits)
    if not targets:
        return None
    tolerance = mpmath.mpf(10) ** (-(digits - 8))

    def fits(candidate: sp.Expr) -> bool:
        for point, target in targets:
            try:
                value = evaluate(candidate, point, digits=digits)
            except NotNumeric:
                return False
            if abs(value - target) > tolerance * max(1, abs(value), abs(target)):
                return False
        return True

    return fits


def _targets(true: sp.Expr, wrong: sp.Expr, digits: int) -> list[tuple[dict[sp.Symbol, Any], Any]]:
    """Up to three points where both formulas have real values, each with the value of ``wrong``."""
    usable = []
    for point in candidate_points(by_name(true, wrong), seed=7):
        try:
            a, b = evaluate(true, point, digits=digits), evaluate(wrong, point, digits=digits)
        except NotNumeric:
            continue
        if is_off_real_line(a, 30) or is_off_real_line(b, 30):
            continue
        usable.append((point, b))
        if len(usable) == 3:
            break
    return usable


def _with_unknown(index: int, step: Step, wrt: sp.Symbol, repeated: set[sp.Expr]) -> _Unknown | None:
    """The step with its derivative made unknown, or None when SymPy fails on it."""
    unknown = sp.Dummy("D")
    result = step.focus[1]  # type: ignore[index]
    try:
        correct = resolve_where(result.doit(), step.where).doit()
        alone = _completed(step, unknown)
        everywhere = _completed_everywhere(step, unknown, wrt) if _node_key(step) in repeated else None
    except Exception:  # SymPy failing on one step leaves the others to try
        return None
    return _Unknown(index, step, unknown, correct, alone, everywhere)


def _usual_slip(candidate: _Unknown, fits: Callable[[sp.Expr], bool]) -> Departure | None:
    """The first of the usual slips at this step that gives the wrong formula, or None."""
    unknown = candidate.unknown
    for scope, completed in candidate.completions:
        if completed is None or completed.has(sp.Derivative) or not completed.has(unknown):
            continue
        for slip_value, what, cause in _slips(candidate.correct):
            if fits(completed.xreplace({unknown: slip_value})):
                return candidate.departure(slip_value, f"your formula is what you get if {what}{scope}{cause}")
    return None


def _misremembered(
    solvable: list[_Unknown], wrong: sp.Expr, fits: Callable[[sp.Expr], bool], steps: int
) -> Departure | None:
    """The first step whose derivative, solved for from ``wrong``, is no larger than the right one."""
    for candidate in solvable:
        if candidate.index == 0 and steps > 1:
            continue  # solving at the first step only restates your formula
        completed = candidate.alone
        implied = _implied(completed, candidate.unknown, wrong)
        if implied is None or sp.count_ops(implied) > sp.count_ops(candidate.correct) + 2:
            continue
        if fits(completed.xreplace({candidate.unknown: implied})):
            node = candidate.step.focus[0]  # type: ignore[index]
            shown = _in_names(implied, candidate.step.where, node)
            return candidate.departure(shown, f"your formula fits {show(node)} = {show(shown)} there")
    return None


def _slips(correct: sp.Expr) -> list[tuple[sp.Expr, str, str]]:
    """The slips tried at each step: (value taken, what that means, the usual cause)."""
    slips = [
        (-correct, "this derivative has the opposite sign", " (a minus sign lost here or later)"),
        (sp.S.Zero, "this derivative is left out (taken as 0)", ""),
        (sp.S.One, "this derivative is taken as 1", " (a factor of the chain rule left out)"),
        (2 * correct, "this derivative is doubled", ""),
        (correct / 2, "this derivative is halved", ""),
    ]
    return [slip for slip in slips if slip[0] != correct]


def _completed(step: Step, unknown: sp.Dummy) -> sp.Expr:
    """The end result of the derivation, as a function of the value ``unknown`` of this step's
    derivative: every other derivative evaluated, substitutions put back."""
    node = step.focus[0]  # type: ignore[index]
    return resolve_where(step.before.xreplace({node: unknown}).doit(), step.where).doit()


def _completed_everywhere(step: Step, unknown: sp.Dummy, wrt: sp.Symbol) -> sp.Expr | None:
    """As :func:`_completed`, with every later d/dwrt of the same expression also ``unknown``.

    The expression g is replaced by an undefined function G(wrt) in the rest of the work, so
    that the chain rule writes dG/dwrt wherever g is differentiated; that is then ``unknown``.
    """
    node = step.focus[0]  # type: ignore[index]
    variable = node.variables[0]
    inner = _resolved(node.expr, step.where)
    if variable != wrt or variable in step.where or inner == variable or variable not in inner.free_symbols:
        return None
    stand_in = sp.Function("G")(variable)
    swap = {inner: stand_in}
    before = step.before.xreplace({node: unknown}).xreplace(swap)
    where = {name: value.xreplace(swap) for name, value in step.where.items()}
    done = resolve_where(before.doit(), where).doit()
    done = done.xreplace({sp.Derivative(stand_in, variable): unknown})
    return done.xreplace({stand_in: inner})


def _repeated_nodes(evaluated: list[tuple[int, Step]]) -> set[sp.Expr]:
    """The derivatives (in the derivation's own variables) that more than one step evaluates."""
    seen: set[sp.Expr] = set()
    repeated: set[sp.Expr] = set()
    for _, step in evaluated:
        key = _node_key(step)
        if key is not None:
            (repeated if key in seen else seen).add(key)
    return repeated


def _node_key(step: Step) -> sp.Expr | None:
    node = step.focus[0]  # type: ignore[index]
    if any(v in step.where for v in node.variables):
        return None
    return sp.Derivative(_resolved(node.expr, step.where), *node.variables)


def _resolved(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    return resolve_where(expr, where) if where else expr


def _implied(completed: sp.Expr, unknown: sp.Dummy, wrong: sp.Expr) -> sp.Expr | None:
    """The value of the unknown derivative that makes ``completed`` equal ``wrong``, when the
    result depends on it linearly (it always does through the sum, product and chain rules)."""
    slope = sp.diff(completed, unknown)
    if slope == 0 or slope.has(unknown):
        return None
    return tidy((wrong - completed.xreplace({unknown: 0})) / slope)


def _in_names(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr], node: sp.Expr) -> sp.Expr:
    """Write ``expr`` with the substitution names the node uses (σ(x) back to u when d/du)."""
    names = {value: name for name, value in where.items() if name in node.free_symbols}
    return expr.xreplace(names) if names else expr
