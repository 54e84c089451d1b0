"""Derivatives of higher order and mixed partials: each order a sub-derivation of the one before.

``sd.derive(f, (x, 2))`` and ``sd.derive(f, x, y)`` write one main chain, one line per
differentiation, in the order SymPy's ``Derivative(f, x, y)`` takes them (first x, then y)::

    ∂²f/∂y∂x = ∂/∂y (f_x)     higher_order: f_x = ∂f/∂x, derived below
             = f_xy            derivatives:  f_xy = ∂(f_x)/∂y, derived below

Each line's sub-derivation is a whole first derivative, main chain and sub-derivations of its
own at the derivation's ``detail`` (``"textbook"``: a main chain with sub-derivations;
``"full"``: one flat chain of fine steps), its result in its target form: the next order is
derived from the form people write, σ(1 − σ), not from what the rules left. So ``detail="full"``
keeps this nesting by order, each order flat. The last line's value is the result.

A :class:`Differentiator` derives every first derivative of one derivation tree (one route, one
pool of names, one budget) and remembers each: a Hessian's entries ∂²f/∂xᵢ∂xⱼ share the
derivation of ∂f/∂xᵢ (:mod:`symderiv.calculus.vector`). :func:`proven` proves a tree with each
distinct sub-derivation proven once.

>>> import sympy as sp
>>> from symderiv.core.strategies import strategy_named
>>> from symderiv.calculus.rules import NamePool
>>> from symderiv.calculus.textbook import Plan
>>> x = sp.Symbol("x")
>>> once = Differentiator(Plan(strategy_named("textbook"), NamePool(["x"])))
>>> d = proven(once.derive(sp.sin(x) ** 2, (x, x)))
>>> d.rules, d.steps[0].after
(('higher_order', 'derivatives'), Derivative(2*sin(x)*cos(x), x))
>>> sp.simplify(d.result - sp.diff(sp.sin(x) ** 2, x, 2))
0


"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field, replace
from typing import Any

import sympy as sp

from ..core.derivation import Derivation
from ..core.report import CheckReport
from ..core.steps import Step
from ..errors import StepCheckError, UnsupportedError
from ..limits import WorkLimits
from ..proof.check import check_step
from . import rules
from .finish import finish
from .textbook import Plan, textbook
from .walk import walk

__all__ = ["Differentiator", "orders", "proven", "variables_of"]


@dataclass
class Differentiator:
    """Derives first derivatives for one derivation tree, each d(g)/d(v) once, unproven.

    ``plan`` is what every derivative of the tree shares: the route, the pool of names (one
    subexpression, one name, across orders and entries), the rewriting budget and the step
    count. ``detail`` is ``"textbook"`` or ``"full"`` (:data:`symderiv.DETAILS`).
    """

    plan: Plan
    detail: str = "textbook"
    made: dict[tuple[sp.Expr, sp.Symbol], Derivation] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.plan.check = False  # the tree is proven once, at the end: proven()

    def once(self, expression: sp.Expr, variable: sp.Symbol) -> Derivation:
        """d(``expression``)/d(``variable``), derived the first time it is asked for."""
        key = (expression, variable)
        if key not in self.made:
            self.made[key] = self._first(expression, variable)
        return self.made[key]

    def derive(self, expression: sp.Expr, variables: tuple[sp.Symbol, ...]) -> Derivation:
        """The derivative of ``expression`` by each of ``variables`` in turn, unproven: a first
        derivative as :meth:`once` gives it, a higher one as :func:`orders` writes it."""
        if len(variables) == 1:
            return self.once(expression, variables[0])
        return orders(expression, variables, self.once)

    def _first(self, expression: sp.Expr, variable: sp.Symbol) -> Derivation:
        plan = self.plan
        if self.detail == "textbook":
            return textbook(expression, variable, plan)
        context = rules.Context(wrt=variable, strategy=plan.strategy, names=plan.names)
        steps, where = walk(expression, variable, context)
        plan.count(len(steps))
        return finish(steps, expression, variable, strategy=plan.strategy.id, where=where,
                      target_form=plan.target_form, check=False, form_timeout=plan.form_time_left(),
                      memory_mb=plan.memory_mb)


def orders(expression: sp.Expr, variables: tuple[sp.Symbol, ...], once: Any) -> Derivation:
    """The main chain of the derivative of ``expression`` by ``variables`` in turn, unproven.

    ``once(g, v)`` gives the derivation of d(g)/d(v). Line k replaces the derivative of order k
    inside what is left by its value, the k-th sub-derivation's result::

        Derivative(f, x, y)  =  Derivative(f_x, y)  =  f_xy
    """
    before: sp.Expr = sp.Derivative(expression, *variables)
    current = expression
    steps: list[Step] = []
    notes: dict[str, None] = {}
    for index, variable in enumerate(variables):
        sub = once(current, variable)
        notes.update(dict.fromkeys(sub.notes))
        rest = variables[index + 1:]
        after = sp.Derivative(sub.result, *rest) if rest else sub.result
        steps.append(Step("higher_order" if rest else "derivatives", before, after,
                          detail={"variable": variable, "values": {sp.Derivative(current, variable): sub.result}},
                          substeps=(sub,)))
        before, current = after, sub.result
    return Derivation(expr=expression, wrt=variables[0], variables=tuple(variables), steps=tuple(steps),
                      strategy=steps[-1].substeps[0].strategy, notes=tuple(notes))  # type: ignore[attr-defined]


def proven(derivation: Derivation, memo: dict[int, Derivation] | None = None, *, digits: int = 30) -> Derivation:
    """``derivation`` with its proof, and each sub-derivation with its own; a sub-derivation that
    appears several times in ``memo``'s trees (the same object) is proven once. Raises
    :class:`~symderiv.StepCheckError` at the first step that does not hold."""
    memo = {} if memo is None else memo
    if id(derivation) in memo:
        return memo[id(derivation)]
    if derivation.steps[0].before != derivation.start:
        raise StepCheckError(f"the first step starts from {derivation.steps[0].before}, not from {derivation.start}")
    steps, proofs, reports = [], [], []
    for index, step in enumerate(derivation.steps):
        proofs.append(check_step(step, index=index, digits=digits))
        subs = tuple(proven(sub, memo, digits=digits) for sub in step.substeps)  # type: ignore[arg-type]
        reports.append(tuple(sub.report for sub in subs))
        steps.append(replace(step, substeps=subs) if subs else step)
    report = CheckReport(tuple(proofs), tuple(reports) if any(reports) else ())  # type: ignore[arg-type]
    memo[id(derivation)] = done = replace(derivation, steps=tuple(steps), report=report)
    return done


def variables_of(wrt: tuple[Any, ...], name: Any, limits: WorkLimits) -> tuple[Any, ...]:
    """The variables of ``derive(f, *wrt)`` one per differentiation: ``(x, 2), y`` is
    ``(x, x, y)``. Each item is a variable, or a pair (variable, order) with a whole order of
    at least 1; ``name(v)`` turns a variable (a Symbol or its name) into a Symbol. The total
    order is at most ``limits.max_order``.

    >>> x, y = sp.symbols("x y")
    >>> variables_of(((x, 2), y), lambda v: v, WorkLimits())
    (x, x, y)
    >>> variables_of(((x, 0),), lambda v: v, WorkLimits())
    Traceback (most recent call last):
    ...
    ValueError: the order of a derivative is a whole number of at least 1: (x, 0) asks for 0
    """
    found: list[Any] = []
    for item in wrt:
        if isinstance(item, (tuple, list)) or (isinstance(item, sp.Tuple) and len(item) == 2):
            if len(item) != 2:
                raise ValueError(f"a variable with its order is a pair (x, n), got {item!r:.60}")
            variable, count = item
            number = _order(count, item)  # an int from here on: no SymPy arithmetic on the user's order
            limits.check("max_order", number + len(found), f"the derivative has order {number + len(found)} or more")
            found.extend([name(variable)] * number)
        else:
            found.append(name(item))
        limits.check("max_order", len(found), f"the derivative has order {len(found)} or more")
    if not found:
        raise UnsupportedError("say which variable to differentiate by")
    return tuple(found)


def _order(count: Any, item: Any) -> int:
    """A pair's order as an int: a whole number of at least 1 (an int, NumPy's or SymPy's Integer)."""
    if isinstance(count, bool) or not isinstance(count, (numbers.Integral, sp.Integer)):
        raise ValueError(
            f"the order of a derivative is a whole number of at least 1: {item!r:.60} asks for {count!r:.20}"
        )
    if count < 1:
        raise ValueError(f"the order of a derivative is a whole number of at least 1: {item!r:.60} asks for {count}")
    return int(count)
