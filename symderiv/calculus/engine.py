"""derive(): walk an expression, apply one rule at a time, record every step, prove them all.

The engine starts from the unevaluated ``Derivative(expr, wrt)`` and, while a ``Derivative``
node is left, rewrites the first one (outermost, leftmost) with the rule that fits it
(:mod:`symderiv.calculus.rules`). When none is left it hands its steps to the finishing pipeline
(:mod:`symderiv.calculus.finish`), which puts the substitutions back, rewrites the result toward
the form people write (:mod:`symderiv.calculus.forms`) and proves every step
(:mod:`symderiv.proof.check`) before the derivation is returned. The engine holds no words and
knows no output format.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> d = derive(sp.exp(-x), x)
>>> d.rules
('chain', 'derivatives', 'substitute')
>>> derive(sp.exp(-x), x, detail="full").rules
('chain', 'exp', 'constant_multiple', 'identity', 'substitute')
>>> d.result
-exp(-x)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeAlias

import sympy as sp
from sympy.core.function import AppliedUndef

from ..core.derivation import Derivation
from ..core.strategies import DETAILS, STRATEGIES, strategy_named
from ..errors import ParseError, UnsupportedError
from ..limits import DEFAULT_WORK_LIMITS, WorkLimits, check_timeout, expression_size
from ..process_budget import run_within
from . import rules
from .finish import finish
from .higher import Differentiator, proven, variables_of
from .naming import VARIABLE_NAME, user_names
from .textbook import Plan, textbook
from .walk import MAX_STEPS, walk

__all__ = ["DETAILS", "MAX_STEPS", "STRATEGIES", "check_options", "check_size", "derive", "as_expression", "variable_name",
           "as_variable", "walk"]



#: What derive() differentiates by: a variable (a Symbol or its name), or a variable and an order.
Variable: TypeAlias = "sp.Symbol | str | tuple[sp.Symbol | str, int]"


def derive(
    expr: sp.Expr | str,
    wrt: Variable,
    *more: Variable,
    strategy: str = "textbook",
    detail: str = "textbook",
    names: Mapping[str | sp.Symbol, sp.Expr] | None = None,
    target_form: bool = True,
    check: bool = True,
    timeout: float | None = None,
    memory_mb: int | None = 1024,
    limits: WorkLimits | None = None,
) -> Derivation:
    """Differentiate ``expr`` with respect to ``wrt`` step by step, every step proven.

    ``expr`` is a SymPy expression or text (read by :func:`symderiv.parse`, never evaluated);
    ``wrt`` a Symbol or its name, or a ``sympy.MatrixSymbol`` for matrix calculus
    (:mod:`symderiv.calculus.matrix`: ``expr`` a scalar made of matrices, the result of ``wrt``'s
    shape; ``strategy``, ``detail`` and ``names`` do not apply there). ``strategy`` picks the route (see :data:`STRATEGIES`).
    With ``target_form=False`` the result is left as the rules produce it, substitutions put back.

    A derivative of higher order: ``derive(f, (x, 2))`` is d²f/dx², ``derive(f, x, y)`` the mixed
    partial ∂²f/∂y∂x (first by x, then by y, as SymPy's ``Derivative(f, x, y)``), ``derive(f, x,
    x)`` and ``derive(f, (x, 2), y)`` as SymPy reads them. Each order is a sub-derivation of the
    one before (:mod:`symderiv.calculus.higher`); the order is a whole number of at least 1, and
    the total order at most ``limits.max_order`` (8 by default).

    ``detail`` (see :data:`DETAILS`): ``"textbook"``, the default, gives the main chain a
    textbook prints, through named layers (∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w) or one rule at the
    top, each line's derivatives derived in ``step.substeps`` (:mod:`symderiv.calculus.textbook`);
    ``"full"`` gives every fine step in one flat chain. ``names`` chooses the names of
    intermediates, ``{"z": w*x + b, "h": ...}`` (name → a subexpression, as a SymPy expression;
    see :func:`symderiv.calculus.naming.user_names`); by default an activation is ``a``, the
    sum inside it ``z``, anything else the next free letter.

    With ``timeout`` (seconds) the work runs in a worker process with that wall clock and a
    memory cap of ``memory_mb`` (see :func:`symderiv.limits.run_with_budget`). Rewriting toward
    the target form may take half of it: past that, the derivation keeps its proven steps
    without the rewriting and says so in ``notes``. Past the whole budget, :class:`LimitError`.

    Before any work, the expression's size is checked against ``limits`` (a
    :class:`~symderiv.limits.WorkLimits`; by default at most 2000 nodes, 100 levels deep, 40
    factors holding ``wrt`` in one product): past one, :class:`LimitError` naming it. Raise them
    by passing your own, best together with a ``timeout``.

    >>> import sympy as sp
    >>> import symderiv as sd
    >>> x = sp.Symbol("x")
    >>> sd.derive(1 / (1 + sp.exp(-x)), x).result == sd.sigmoid(x) * (1 - sd.sigmoid(x))
    True
    >>> sd.derive(x**2 * sp.sin(x), "x").rules[:2]
    ('product', 'derivatives')
    >>> sd.derive(x**3, (x, 2)).result
    6*x
    """
    if isinstance(wrt, sp.MatrixSymbol) or any(isinstance(v, sp.MatrixSymbol) for v in more):
        if more:
            raise ValueError("matrix calculus takes one matrix variable and derives the first derivative: "
                             "derive(f, W), with no further variables")
        from .matrix import derive_matrix  # matrix calculus: symderiv.calculus.matrix

        if timeout is None:
            return derive_matrix(expr, wrt, derive, check=check, limits=limits)
        return run_within(derive_matrix, expr, wrt, derive, check=check, limits=limits, timeout=timeout,
                          memory_mb=memory_mb)
    expression = as_expression(expr)
    variables = variables_of((wrt, *more), lambda v: as_variable(expression, v), limits or DEFAULT_WORK_LIMITS)
    check_options(strategy, detail, timeout)
    chosen = user_names(names, expression)
    for variable in dict.fromkeys(variables):
        check_size(expression, variable, limits or DEFAULT_WORK_LIMITS)
    options: dict[str, Any] = {"strategy": strategy, "detail": detail, "chosen": chosen,
                               "target_form": target_form, "check": check, "form_memory_mb": memory_mb}
    if timeout is None:
        return _derive(expression, variables, form_timeout=None, **options)
    return run_within(_derive, expression, variables, form_timeout=timeout / 2, **options,
                      timeout=timeout, memory_mb=memory_mb)


def check_options(strategy: str, detail: str, timeout: float | None) -> None:
    """Refuse, before any work, an unknown strategy or detail (naming the choices) and a
    timeout that is not a positive, finite number of seconds."""
    strategy_named(strategy)
    if detail not in DETAILS:
        raise ValueError(f"unknown detail {detail!r}; choose one of: {', '.join(DETAILS)}")
    if timeout is not None:
        check_timeout(timeout)


def check_size(expression: sp.Expr, variable: sp.Symbol, limits: WorkLimits = DEFAULT_WORK_LIMITS) -> None:
    """Refuse, before any work, an expression too large to derive within ``limits``.

    >>> x = sp.Symbol("x")
    >>> check_size(sp.Mul(*(sp.sin(k * x) for k in range(1, 51))), x)
    Traceback (most recent call last):
    ...
    symderiv.errors.LimitError: a product has 50 factors that hold x, more than max_product_factors = 40 allows (raise it with limits=WorkLimits(max_product_factors=...))
    """
    nodes, depth = expression_size(expression, stop=limits.max_expression_nodes)
    limits.check("max_expression_nodes", nodes, f"the expression has {nodes} or more nodes")
    limits.check("max_expression_depth", depth, f"the expression nests {depth} levels deep")
    widest = max(
        (
            sum(1 for factor in node.args if variable in factor.free_symbols)
            for node in sp.preorder_traversal(expression)
            if isinstance(node, sp.Mul)
        ),
        default=0,
    )
    limits.check("max_product_factors", widest, f"a product has {widest} factors that hold {variable}")


def _derive(
    expression: sp.Expr,
    variables: tuple[sp.Symbol, ...],
    *,
    strategy: str,
    detail: str,
    chosen: dict[sp.Expr, sp.Symbol],
    target_form: bool,
    check: bool,
    form_timeout: float | None,
    form_memory_mb: int | None,
) -> Derivation:
    memory_mb = form_memory_mb
    pool = rules.NamePool((s.name for s in expression.free_symbols), known=chosen)
    variable = variables[0]
    if len(variables) > 1:
        plan = Plan(strategy_named(strategy), pool, target_form=target_form, form_timeout=form_timeout,
                    memory_mb=memory_mb, chosen=chosen, max_steps=MAX_STEPS)
        derivation = Differentiator(plan, detail).derive(expression, variables)
        return proven(derivation) if check else derivation
    if detail == "textbook":
        plan = Plan(strategy_named(strategy), pool, target_form=target_form, check=check,
                    form_timeout=form_timeout, memory_mb=memory_mb, chosen=chosen, max_steps=MAX_STEPS)
        return textbook(expression, variable, plan)
    context = rules.Context(wrt=variable, strategy=strategy_named(strategy), names=pool)
    steps, where = walk(expression, variable, context)
    return finish(
        steps,
        expression,
        variable,
        strategy=strategy,
        where=where,
        target_form=target_form,
        check=check,
        form_timeout=form_timeout,
        memory_mb=memory_mb,
    )


def as_expression(expr: sp.Expr | str) -> sp.Expr:
    """``expr`` as a SymPy expression symderiv can differentiate and prove, or a clear error."""
    if isinstance(expr, str):
        from ..parse.text import parse

        expr = parse(expr)
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        expr = sp.Integer(expr) if isinstance(expr, int) else sp.Float(expr)
    if not isinstance(expr, sp.Expr):
        raise UnsupportedError(
            f"derive() differentiates a scalar SymPy expression; got {type(expr).__name__}"
        )
    if expr.has(sp.Derivative, sp.Integral, sp.Subs):
        raise UnsupportedError(
            "the expression already holds an unevaluated Derivative, Integral or Subs; "
            "call .doit() on it first"
        )
    undefined = sorted({type(f).__name__ for f in expr.atoms(AppliedUndef)})
    if undefined:
        raise UnsupportedError(
            f"the expression uses the undefined function(s) {', '.join(undefined)}; symderiv "
            "differentiates functions it can evaluate, so that every step can be proven"
        )
    return expr


def as_variable(expr: sp.Expr, wrt: sp.Symbol | str) -> sp.Symbol:
    """``wrt`` as a Symbol: a name is the symbol of that name in ``expr``, or a new one."""
    if isinstance(wrt, str):
        wrt = variable_name(wrt)
        matches = [s for s in expr.free_symbols if s.name == wrt]
        wrt = matches[0] if matches else sp.Symbol(wrt)
    if not isinstance(wrt, sp.Symbol):
        raise UnsupportedError(f"wrt must be a Symbol or its name, got {type(wrt).__name__}")
    return wrt


def variable_name(text: str) -> str:
    """``text`` when it is the name of one variable, as :func:`symderiv.parse` reads names.

    Anything else, ``x.real``, ``1x``, a call, is a :class:`ParseError` (a ``ValueError``) that
    shows where; the text is only read, never evaluated.

    >>> variable_name("theta_1")
    'theta_1'
    >>> variable_name("1x")
    Traceback (most recent call last):
    ...
    symderiv.errors.ParseError: a variable's name starts with a letter and holds only letters, digits and _ at position 0
      1x
      ^
    """
    from ..parse.text import parse

    if not isinstance(text, str):
        raise UnsupportedError(f"wrt must be a Symbol or its name, got {type(text).__name__}")
    name = text.strip()
    if not VARIABLE_NAME.fullmatch(name):
        bad = next((i for i, ch in enumerate(text) if not (ch.isalnum() or ch == "_")), 0)
        if name[:1].isdigit() or not name:
            bad = len(text) - len(text.lstrip())
        raise ParseError(
            "a variable's name starts with a letter and holds only letters, digits and _",
            text=text,
            position=bad,
        )
    symbol = parse(name)
    if not isinstance(symbol, sp.Symbol):
        raise ParseError(f"{name!r} is not the name of a variable", text=text, position=0)
    return symbol.name

