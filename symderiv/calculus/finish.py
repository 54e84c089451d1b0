"""Finishing a derivation: put the names back, rewrite toward the target form, build it, prove it.

Three producers write steps: the engine applies its rules (:mod:`symderiv.calculus.engine`), a
computational graph walks its backward pass (:mod:`symderiv.models.graph`), a network's step
builder writes a weight's gradient (:mod:`symderiv.models.network.builder`). Each hands its
steps to :func:`finish`, which ends the chain the same way for all three:

1. :func:`put_back`: the names the steps introduced (u = 1 + e⁻ˣ) are substituted back, in one
   ``substitute`` step; the engine then lets like factors cancel in a ``simplify`` step;
2. :func:`target_steps`: the result is rewritten toward the form people write
   (:func:`symderiv.calculus.forms.toward_target`), within a time budget when one is given;
3. the :class:`~symderiv.core.derivation.Derivation` is built and every step proven
   (:func:`symderiv.proof.check.check_derivation`).

See docs/ARCHITECTURE.md for the path of one derivation through the layers.

>>> import sympy as sp
>>> from symderiv.core.steps import Step
>>> x, u = sp.symbols("x u")
>>> first = Step("chain", sp.Derivative(sp.sin(x**2), x), sp.cos(u) * 2 * x, where={u: x**2})
>>> d = finish([first], sp.sin(x**2), x, strategy="textbook", where={u: x**2})
>>> d.rules
('chain', 'substitute')
>>> d.result
2*x*cos(x**2)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from ..core.derivation import Derivation
from ..core.steps import Step, names_in_use, resolve_where, where_in_scope
from ..errors import LimitError
from ..process_budget import run_within
from ..proof.check import check_derivation
from . import forms

__all__ = ["evaluated", "finish", "put_back", "target_steps"]


def finish(
    steps: Sequence[Step],
    expression: sp.Expr,
    variable: sp.Symbol,
    *,
    strategy: str,
    where: Mapping[sp.Symbol, sp.Expr] | None = None,
    cancel: bool = True,
    target_form: bool = True,
    check: bool = True,
    form_timeout: float | None = None,
    memory_mb: int | None = 1024,
    digits: int = 30,
) -> Derivation:
    """The proven derivation of d(``expression``)/d(``variable``) that ``steps`` begin.

    ``steps`` run from ``Derivative(expression, variable)`` to an expression with no derivative
    left. With ``where``, the names it defines are put back (:func:`put_back`; ``cancel`` as
    there); without it, names stay, as a network's δ do. With ``target_form`` the result is
    rewritten toward its target form (:func:`target_steps`, ``form_timeout`` and ``memory_mb``
    as there). ``strategy`` says which route, or which producer, wrote the steps. With
    ``check`` every step is proven at ``digits`` digits.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> start = sp.Derivative(sp.exp(2 * x), x)
    >>> d = finish([Step("exp", start, 2 * sp.exp(2 * x))], sp.exp(2 * x), x, strategy="textbook")
    >>> d.result, d.report is not None
    (2*exp(2*x), True)
    """
    chain = list(steps)
    if not chain:  # d/dx of an expression with no Derivative left to take cannot happen; be sure
        raise AssertionError("a derivation without steps")
    if where:
        chain.extend(put_back(chain[-1].after, where, cancel=cancel))
    notes: tuple[str, ...] = ()
    if target_form:
        rewrites, notes = target_steps(chain[-1].after, expression, variable, names=where,
                                       form_timeout=form_timeout, memory_mb=memory_mb)
        chain.extend(rewrites)
    derivation = Derivation(expr=expression, wrt=variable, steps=tuple(chain), strategy=strategy, notes=notes)
    if check:
        derivation = derivation.with_report(check_derivation(derivation, digits=digits))
    return derivation


def put_back(current: sp.Expr, where: Mapping[sp.Symbol, sp.Expr], *, cancel: bool = True) -> list[Step]:
    """The steps that substitute the names of ``where`` back into ``current``; none if it has none.

    One ``substitute`` step puts every name in use back. With ``cancel`` (the engine) the names
    go back as they stand, and like factors cancel in a ``simplify`` step of their own, so a
    reader sees both; without it (a graph, a network) SymPy's usual evaluation does both at once.

    >>> import sympy as sp
    >>> x, u = sp.symbols("x u")
    >>> [(s.rule, s.after) for s in put_back(u / x, {u: x**2})]
    [('substitute', x**2/x), ('simplify', x)]
    >>> [(s.rule, s.after) for s in put_back(u / x, {u: x**2}, cancel=False)]
    [('substitute', x)]
    """
    if not current.free_symbols & set(where):
        return []
    after = resolve_where(current, where, evaluate=not cancel)
    used = names_in_use(where, current)
    names = tuple(s for s in where if s in used)
    steps = [
        Step(
            "substitute",
            current,
            after,
            where=where_in_scope(where, current),
            detail={"names": names, "values": {s: where[s] for s in names}},
        )
    ]
    if cancel:
        cancelled = evaluated(after)
        if cancelled != after:
            steps.append(Step("simplify", after, cancelled))
    return steps


def target_steps(
    current: sp.Expr,
    expression: sp.Expr,
    variable: sp.Symbol,
    *,
    names: Mapping[sp.Symbol, sp.Expr] | None = None,
    form_timeout: float | None = None,
    memory_mb: int | None = 1024,
) -> tuple[list[Step], tuple[str, ...]]:
    """The steps that rewrite ``current``, the derivative of ``expression``, toward its target form.

    ``names`` are the names the derivation has given (name → value); a form that names a
    subexpression keeps the name it already has. With ``form_timeout`` (seconds) the rewriting runs in a worker process with that wall clock
    and ``memory_mb``; past it, no step, and a note that says why. Returns (steps, notes).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> f = 1 / (1 + sp.exp(-x))
    >>> steps, notes = target_steps(sp.exp(-x) / (1 + sp.exp(-x))**2, f, x)
    >>> steps[-1].after, notes
    ((1 - sigmoid(x))*sigmoid(x), ())
    """
    notes: tuple[str, ...] = ()
    if form_timeout is None:
        rewrites = forms.toward_target(current, expression, variable, names)
    else:
        try:
            rewrites = run_within(
                forms.toward_target, current, expression, variable, names, timeout=form_timeout, memory_mb=memory_mb
            )
        except LimitError as error:
            rewrites = []
            notes = (f"the result was left as the rules gave it: rewriting it took too long ({error})",)
    steps = []
    for rewrite in rewrites:
        steps.append(
            Step(rewrite.rule, current, rewrite.after, focus=rewrite.focus, detail=rewrite.detail, where=rewrite.where)
        )
        current = rewrite.after
    return steps, notes


def evaluated(expr: sp.Basic) -> sp.Basic:
    """``expr`` rebuilt with SymPy's usual evaluation: like factors collected and cancelled.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> evaluated(sp.Mul(x, x, evaluate=False))
    x**2
    """
    if not expr.args or isinstance(expr, (sp.Symbol, sp.Number)):
        return expr
    return expr.func(*(evaluated(arg) for arg in expr.args))
