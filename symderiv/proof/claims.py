"""What a step claims: the small equalities it rests on, and why they carry to the whole line.

A step ``before = after`` usually rewrites a small part of a long line. Proving the whole line
symbolically re-differentiates and cancels all of it at every step; proving the part is enough
when the rest is shown unchanged. :func:`local_claims` finds the parts:

- the step's own ``focus`` or ``parts`` (the rule says what it rewrote), checked: ``after`` must
  be ``before`` with exactly those parts replaced;
- otherwise the smallest subtree in which ``before`` and ``after`` differ, found by walking
  both trees together while exactly one argument (one term of a sum or product) differs, and
  kept only when putting it back rebuilds ``after`` exactly;
- otherwise the whole step.

A part found this way need not be equal to its replacement when the lines are
(``(a − b)²`` = ``(b − a)²``): the checker then proves the whole step instead.

Replacing a part by an equal one leaves the value of the line unchanged (SymPy's evaluation of
the rebuilt nodes keeps values), so the claims together prove the line. A part is never looked
for inside a ``Derivative``, ``Subs`` or ``Integral``: there a variable is bound, and a claim
about the operand would be checked where the operand is not evaluated.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> local_claims(sp.sin(x) * sp.exp(x**2 + x), sp.sin(x) * sp.exp(x * (x + 1)))
((x**2 + x, x*(x + 1)),)
"""

from __future__ import annotations

from collections import Counter
from typing import Mapping

import sympy as sp

from ..core.steps import Step, replace_unevaluated

__all__ = ["StructureError", "local_claims", "step_claims"]

#: Nodes inside which no part is looked for: they bind a variable.
_BINDING = (sp.Derivative, sp.Subs, sp.Integral)


class StructureError(ValueError):
    """``after`` is not ``before`` with the step's declared parts replaced."""


def step_claims(step: Step) -> tuple[tuple[sp.Expr, sp.Expr], ...]:
    """The claims of ``step``: its declared ones when it has any (checked against the line,
    :class:`StructureError` when they do not rebuild it), else those :func:`local_claims` finds."""
    if step.focus is not None or step.parts:
        claims = step.claims
        if not rebuilds(step.before, step.after, dict(claims)):
            raise StructureError("its result is not its starting expression with the rewritten part replaced")
        return claims
    return local_claims(step.before, step.after)


def rebuilds(before: sp.Expr, after: sp.Expr, replacements: Mapping[sp.Expr, sp.Expr]) -> bool:
    """``after`` is ``before`` with ``replacements`` made, evaluated as SymPy does or rebuilt
    as the parts stand."""
    if before.xreplace(dict(replacements)) == after:
        return True
    return bool(replace_unevaluated(before, replacements) == after)


def local_claims(before: sp.Expr, after: sp.Expr) -> tuple[tuple[sp.Expr, sp.Expr], ...]:
    """The smallest parts in which ``before`` and ``after`` differ, as (part, replacement)
    pairs that rebuild ``after`` from ``before``; ``((before, after),)`` when none do."""
    if before == after:
        return ()
    pairs = _differing(before, after)
    replacements = dict(pairs)
    if len(replacements) == len(pairs) and pairs != [(before, after)] and rebuilds(before, after, replacements):
        return tuple(pairs)
    return ((before, after),)


def _differing(before: sp.Basic, after: sp.Basic) -> list[tuple[sp.Basic, sp.Basic]]:
    if before == after:
        return []
    if (type(before) is not type(after) or not before.args or isinstance(before, _BINDING)
            or len(before.args) != len(after.args)):
        return [(before, after)]
    if before.is_Add or before.is_Mul:
        return _differing_terms(before, after)
    changed = [(old, new) for old, new in zip(before.args, after.args) if old != new]
    if len(changed) == 1:  # f(a, b) = f(a', b') holds with a ≠ a' (4^(x/2) = 2^x): one argument only
        return _differing(*changed[0])
    return [(before, after)]


def _differing_terms(before: sp.Basic, after: sp.Basic) -> list[tuple[sp.Basic, sp.Basic]]:
    """In a sum or a product, whose terms SymPy sorts: the one term that differs, when exactly
    one does; else the whole node."""
    old = Counter(before.args)
    new = Counter(after.args)
    gone = list((old - new).elements())
    came = list((new - old).elements())
    if len(gone) == 1 and len(came) == 1:
        return _differing(gone[0], came[0])
    return [(before, after)]
