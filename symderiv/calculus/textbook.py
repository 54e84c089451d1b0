"""The main chain a textbook prints, each line justified by sub-derivations below it.

``derive(..., detail="textbook")``, the default, writes a derivation the way a textbook does:

- **Through named layers**, when the expression has them (:func:`symderiv.calculus.naming.layers`):
  ∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w with a = σ(z), z = w·x + b; then each factor replaced by its
  value, each derived once in a sub-derivation; then the product simplified in the names,
  (a − y)·x; then the names put back, x·(σ(b + w·x) − y), and the result in its target form.
- **Otherwise, one rule at the top**: the rule that fits ``Derivative(f, x)`` (sum, product,
  quotient, chain, …), then every derivative it leaves replaced by its value, each derived in
  a sub-derivation, then the names put back and the target form.

Every chain, main or sub, is a :class:`~symderiv.core.derivation.Derivation` of its own: it
starts at the unevaluated derivative, each step's ``after`` is the next ``before``, and every
step is proven with its ``where`` in scope (:mod:`symderiv.calculus.finish`). The derivation
and its sub-derivations share one :class:`~symderiv.calculus.rules.base.NamePool`, so one
subexpression has one name throughout.

>>> import sympy as sp
>>> from symderiv.core.functions import sigmoid
>>> from symderiv.core.strategies import strategy_named
>>> from symderiv.calculus.rules import NamePool
>>> z, y = sp.symbols("z y")
>>> loss = -(y * sp.log(sigmoid(z)) + (1 - y) * sp.log(1 - sigmoid(z)))
>>> d = textbook(loss, z, Plan(strategy_named("textbook"), NamePool(["y", "z"])))
>>> d.rules
('chain', 'derivatives', 'simplify', 'substitute')
>>> d.steps[2].after, d.result
(a - y, -y + sigmoid(z))
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any

import sympy as sp

from ..core.derivation import Derivation
from ..core.functions import sigmoid
from ..core.report import CheckReport
from ..core.steps import Step, replace_unevaluated, where_in_scope
from ..core.strategies import Strategy
from ..errors import LimitError, UnsupportedError
from . import rules
from .finish import finish
from .naming import layers, written_sigmoid
from .walk import walk

__all__ = ["Plan", "textbook", "with_reports"]

#: Sub-derivations nest at most this deep; below it a derivative is derived step by step.
MAX_DEPTH = 12

#: A sub-derivation of at most this many fine steps is written step by step, not grouped.
SHORT = 6


@dataclass
class Plan:
    """What every level of one textbook derivation shares: the route, the names, the finishing."""

    strategy: Strategy
    names: rules.NamePool
    target_form: bool = True
    check: bool = True
    form_timeout: float | None = None
    memory_mb: int | None = 1024
    chosen: dict[sp.Expr, sp.Symbol] | None = None  # the user's names: subexpression → name
    max_steps: int = 5000
    steps: int = 0  # steps written so far, at every level

    def __post_init__(self) -> None:
        self.form_deadline = None if self.form_timeout is None else time.monotonic() + self.form_timeout

    def form_time_left(self) -> float | None:
        """What is left of the rewriting budget, shared by every level: the main chain and its
        sub-derivations together take at most ``form_timeout`` seconds to reach their forms."""
        if self.form_deadline is None:
            return None
        return max(self.form_deadline - time.monotonic(), 0.01)

    def count(self, added: int) -> None:
        self.steps += added
        if self.steps > self.max_steps:
            raise LimitError(f"the derivation passed {self.max_steps} steps; the expression is too large")


def textbook(expression: sp.Expr, variable: sp.Symbol, plan: Plan, *, depth: int = 0) -> Derivation:
    """The textbook derivation of d(``expression``)/d(``variable``), sub-derivations included,
    proven at every level when ``plan.check``."""
    derivation = _chain(expression, variable, plan, depth)
    if plan.check and depth == 0:
        from ..proof.check import check_derivation

        derivation = with_reports(derivation, check_derivation(derivation))
    return derivation


def _chain(expression: sp.Expr, variable: sp.Symbol, plan: Plan, depth: int) -> Derivation:
    """One chain at ``depth`` (0: the main one). Only the main chain is rewritten toward the
    target form: a sub-derivation's value goes into the main chain as the rules give it, so the
    main chain's rewriting sees the whole result (and never ends larger than without it)."""
    first = _sigmoid_named(expression, variable)
    working = first[0].after.expr if first else expression
    start = sp.Derivative(working, variable)
    named = layers(working, variable, plan.chosen or {}) if depth < MAX_DEPTH else []
    if named:
        steps, where = _through_layers(working, variable, named, plan, depth)
    else:
        steps, where = _fine(working, variable, plan) if depth > 0 else ([], {})
        if not steps:
            steps, where = _top_rule(start, variable, plan, depth)
    steps = [*first, *steps]
    plan.count(len(steps))
    return finish(steps, expression, variable, strategy=plan.strategy.id, where=where, cancel=False,
                  target_form=plan.target_form and depth == 0, check=False, form_timeout=plan.form_time_left(),
                  memory_mb=plan.memory_mb)


def _sigmoid_named(expression: sp.Expr, variable: sp.Symbol) -> list[Step]:
    """The step that writes σ where ``expression`` holds it written out, 1/(1 + e⁻ᵍ) or
    eᵍ/(1 + eᵍ) as a part of something larger, as the seeds do before they differentiate:
    −y·log(1/(1 + e⁻ᶻ)) − … is derived through a = σ(z), σ′ = σ(1 − σ) taken once. None for σ
    written out alone, whose derivative is the seeds' derivation of σ′ itself.

    >>> z, y = sp.symbols("z y")
    >>> [step.after for step in _sigmoid_named(y * sp.log(1 / (1 + sp.exp(-z))), z)]
    [Derivative(y*log(sigmoid(z)), z)]
    >>> _sigmoid_named(1 / (1 + sp.exp(-z)), z), _sigmoid_named(sp.exp(z) / (1 + sp.exp(z)), z)
    ([], [])
    """
    found: dict[sp.Expr, sp.Expr] = {}
    for node in sp.preorder_traversal(expression):
        if variable not in node.free_symbols:
            continue
        written = written_sigmoid(node)
        if written is not None and not (node is expression and isinstance(written, sigmoid)):
            found[node] = written
    if not found:
        return []
    written_out = expression.xreplace(found)
    sigmoids = sorted({s for value in found.values() for s in value.atoms(sigmoid)}, key=sp.default_sort_key)
    if any(node.args[0] in (s.args[0], -s.args[0]) for s in sigmoids for node in written_out.atoms(sp.exp)):
        return []  # e^(±g) left beside σ(g) (under a root, squared): one form or the other, not both
    start = sp.Derivative(expression, variable)
    focus = next(iter(found.items())) if len(found) == 1 else None
    return [Step("recognize_sigmoid", start, sp.Derivative(written_out, variable), focus=focus,
                 detail={"argument": sigmoids[0].args[0], "sigmoid": sigmoids[0]})]


def _fine(expression: sp.Expr, variable: sp.Symbol, plan: Plan) -> tuple[list[Step], dict[sp.Symbol, sp.Expr]]:
    """A sub-derivation's fine steps when there are at most :data:`SHORT` of them (d/dx (1 − x)
    needs no derivation below it); else none. Names are taken only when the steps are kept."""
    taken, known = set(plan.names.taken), dict(plan.names.known)
    context = rules.Context(wrt=variable, strategy=plan.strategy, names=plan.names)
    steps, where = walk(expression, variable, context, stop_after=SHORT + 1)
    if len(steps) <= SHORT and not any(isinstance(n, sp.Derivative) for n in sp.preorder_traversal(steps[-1].after)):
        return steps, where
    plan.names.taken, plan.names.known = taken, known
    return [], {}


def _through_layers(
    expression: sp.Expr, variable: sp.Symbol, named: list[tuple[sp.Symbol, sp.Expr]], plan: Plan, depth: int
) -> tuple[list[Step], dict[sp.Symbol, sp.Expr]]:
    """∂f/∂x = ∂f/∂a · ∂a/∂z · ∂z/∂x; the factors' values; the product simplified in the names."""
    for name, value in named:
        plan.names.known.setdefault(value, name)
        plan.names.taken.add(name.name)
    where: dict[sp.Symbol, sp.Expr] = {}
    factors = []
    outer = expression
    for index, (name, value) in enumerate(named):
        factors.append(sp.Derivative(outer.xreplace({value: name}), name))
        inner = named[index + 1] if index + 1 < len(named) else None
        where[name] = value.xreplace({inner[1]: inner[0]}) if inner is not None else value
        outer = value
    factors.append(sp.Derivative(outer, variable))
    start = sp.Derivative(expression, variable)
    product = sp.Mul(*factors, evaluate=False)
    chain = Step("chain", start, product, where=dict(where),
                 detail={"variable": variable, "introduces": dict(where), "outer": factors[0].expr,
                         "inner": outer})
    steps = [chain]
    steps.append(_derivatives(product, factors, where, plan, depth, rename=_renamer(where)))
    simpler = _simplified(steps[-1].after)
    if simpler != steps[-1].after:
        steps.append(Step("simplify", steps[-1].after, simpler, where=where_in_scope(where, simpler)))
    return steps, where


def _top_rule(start: sp.Derivative, variable: sp.Symbol, plan: Plan,
              depth: int) -> tuple[list[Step], dict[sp.Symbol, sp.Expr]]:
    """The rule that fits ``start``, then every derivative it leaves, each derived below."""
    context = rules.Context(wrt=variable, strategy=plan.strategy, names=plan.names)
    application = rules.apply(start, context)
    if application.rule == "sympy" and application.result.has(sp.Derivative):
        raise UnsupportedError(
            f"no rule covers {start.expr.func.__name__} and SymPy cannot differentiate it either"
        )
    where = dict(application.introduces)
    after = application.result
    first = Step(application.rule, start, after, where=where_in_scope(where, start, after),
                 focus=(start, after), detail={"variable": variable, **application.detail})
    nodes = list(dict.fromkeys(n for n in sp.preorder_traversal(after) if isinstance(n, sp.Derivative)))
    if not nodes:
        return [first], where
    return [first, _derivatives(after, nodes, where, plan, depth)], where


def _derivatives(current: sp.Expr, nodes: list[sp.Derivative], where: dict[sp.Symbol, sp.Expr], plan: Plan,
                 depth: int, rename: Any = None) -> Step:
    """One line that replaces each derivative in ``current`` by its value, with its derivation below."""
    subs = []
    values: dict[sp.Basic, sp.Expr] = {}
    for node in nodes:
        if node in values:
            continue
        variable = node.variables[0]
        if depth + 1 >= MAX_DEPTH or len(node.variables) != 1:
            raise UnsupportedError(f"the derivation nests deeper than {MAX_DEPTH} levels")
        sub = _chain(node.expr, variable, plan, depth + 1)
        subs.append(sub)
        values[node] = rename(sub.result) if rename is not None else sub.result
    # Through layers the line keeps its product of factors, (dL/da)·(da/dz)·(dz/dw), each
    # replaced by its value; the next line simplifies it. Elsewhere SymPy's evaluation applies.
    after = replace_unevaluated(current, values) if rename is not None else current.xreplace(values)
    return Step("derivatives", current, after, where=where_in_scope(where, current, after),
                detail={"values": values}, substeps=tuple(subs), parts=tuple(values.items()))


def _renamer(where: dict[sp.Symbol, sp.Expr]) -> Any:
    """Writes a factor's value in the layer names: σ(z)·(1 − σ(z)) becomes a·(1 − a)."""
    back = {value: name for name, value in where.items()}

    def rename(expr: sp.Expr) -> sp.Expr:
        return expr.xreplace(back)

    return rename


def _simplified(expr: sp.Expr) -> sp.Expr:
    """The product of the factors' values, cancelled and factored: (a − y)·x, not a sum of fractions."""
    try:
        cancelled = sp.cancel(sp.together(expr))
        factored = sp.factor(cancelled)
    except (sp.PolynomialError, TypeError, ValueError):
        return expr
    candidates = [expr, _sign_inside(factored), cancelled]
    return min(candidates, key=lambda e: (sp.count_ops(e), candidates.index(e)))


def _sign_inside(expr: sp.Expr) -> sp.Expr:
    """A product with a negative coefficient and a sum among its factors, with the sign taken
    into the sum: x·(a − y), not −x·(y − a).

    >>> a, x, y = sp.symbols("a x y")
    >>> _sign_inside(-x * (y - a))
    x*(a - y)
    """
    if not expr.is_Mul:
        return expr
    coefficient, factors = expr.as_coeff_mul()
    sums = [factor for factor in factors if factor.is_Add]
    if not (coefficient.is_negative and sums):
        return expr
    flipped = [-factor if factor is sums[0] else factor for factor in factors]
    return sp.Mul(-coefficient, *flipped)


def with_reports(derivation: Derivation, report: CheckReport) -> Derivation:
    """``derivation`` with ``report`` attached, and each sub-derivation with its own report."""
    if not report.subs:
        return derivation.with_report(report)
    steps = []
    for step, sub_reports in zip(derivation.steps, report.subs):
        if step.substeps:
            step = replace(step, substeps=tuple(
                with_reports(sub, r) for sub, r in zip(step.substeps, sub_reports)  # type: ignore[arg-type]
            ))
        steps.append(step)
    return replace(derivation, steps=tuple(steps), report=report)
