"""The fine walk: one rule at a time on the first derivative left, every step recorded.

``Derivative(expr, x)`` is rewritten, while a ``Derivative`` node is left, at the first one
(outermost, leftmost) by the rule that fits it (:mod:`symderiv.calculus.rules`). This is the
whole chain of ``derive(..., detail="full")``, and a short sub-derivation of the textbook level
(:mod:`symderiv.calculus.textbook`).
"""

from __future__ import annotations

import sympy as sp

from ..core.steps import Step, where_in_scope
from ..errors import LimitError, UnsupportedError
from . import rules

__all__ = ["MAX_STEPS", "walk"]

#: A derivation longer than this is refused: no textbook problem comes near it.
MAX_STEPS = 5000


def walk(expression: sp.Expr, variable: sp.Symbol, context: rules.Context, *,
         stop_after: int | None = None) -> tuple[list[Step], dict[sp.Symbol, sp.Expr]]:
    """Every fine step from ``Derivative(expression, variable)`` to an expression with no
    derivative left, one rule at a time, and the names they made.

    With ``stop_after`` the walk returns after that many steps, derivatives possibly left;
    without it, past :data:`MAX_STEPS` steps it raises :class:`LimitError`.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> steps, where = walk(sp.exp(-x), x, rules.Context(wrt=x))
    >>> [step.rule for step in steps], where
    (['chain', 'exp', 'constant_multiple', 'identity'], {u: -x})
    """
    steps: list[Step] = []
    where: dict[sp.Symbol, sp.Expr] = {}
    current: sp.Expr = sp.Derivative(expression, variable)
    pending: list[sp.Derivative] = [current]
    while (node := _next_derivative(current, pending)) is not None:
        if stop_after is not None and len(steps) >= stop_after:
            break
        if len(steps) >= MAX_STEPS:
            raise LimitError(f"the derivation passed {MAX_STEPS} steps; the expression is too large")
        application = rules.apply(node, context)
        if application.rule == "sympy" and application.result.has(sp.Derivative):
            raise UnsupportedError(
                f"no rule covers {node.expr.func.__name__} and SymPy cannot differentiate it either"
            )
        after = current.xreplace({node: application.result})
        where.update(application.introduces)
        # Work depth first, in the order the rule wrote its parts: outer before inner.
        created = [n for n in sp.preorder_traversal(application.result) if isinstance(n, sp.Derivative)]
        pending = created + [p for p in pending if p != node]
        steps.append(
            Step(
                application.rule,
                current,
                after,
                where=where_in_scope(where, current, after),
                focus=(node, application.result),
                detail={"variable": node.variables[0], **application.detail},
            )
        )
        current = after
    return steps, where


def _next_derivative(expr: sp.Basic, pending: list[sp.Derivative]) -> sp.Derivative | None:
    """The Derivative node to work on next: the first pending one still in ``expr``.

    Rules list the derivatives they write in reading order (d/du f before d/dx g), so taking
    the first one left follows the page; any other node is taken in pre-order.
    """
    present = {n for n in sp.preorder_traversal(expr) if isinstance(n, sp.Derivative)}
    if not present:
        return None
    for node in pending:
        if node in present:
            return node
    return next(n for n in sp.preorder_traversal(expr) if isinstance(n, sp.Derivative))
