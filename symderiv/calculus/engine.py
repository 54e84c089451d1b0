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
('chain', 'exp', 'constant_multiple', 'identity', 'substitute')
>>> d.result
-exp(-x)
"""

from __future__ import annotations

import math
import re

import sympy as sp
from sympy.core.function import AppliedUndef

from ..core.derivation import Derivation
from ..core.steps import Step, where_in_scope
from ..core.strategies import STRATEGIES, strategy_named
from ..errors import LimitError, ParseError, UnsupportedError
from ..limits import DEFAULT_WORK_LIMITS, WorkLimits, expression_size, run_with_budget
from . import rules
from .finish import finish

__all__ = ["MAX_STEPS", "STRATEGIES", "check_size", "derive", "variable_name"]

#: A derivation longer than this is refused: no textbook problem comes near it.
MAX_STEPS = 5000


def derive(
    expr: sp.Expr | str,
    wrt: sp.Symbol | str,
    *,
    strategy: str = "textbook",
    target_form: bool = True,
    check: bool = True,
    timeout: float | None = None,
    memory_mb: int | None = 1024,
    limits: WorkLimits | None = None,
) -> Derivation:
    """Differentiate ``expr`` with respect to ``wrt`` step by step, every step proven.

    ``expr`` is a SymPy expression or text (read by :func:`symderiv.parse`, never evaluated);
    ``wrt`` a Symbol or its name. ``strategy`` picks the route (see :data:`STRATEGIES`).
    With ``target_form=False`` the result is left as the rules produce it, substitutions put back.

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
    ('product', 'power')
    """
    expression, variable = _coerce(expr, wrt)
    strategy_named(strategy)  # an unknown name is refused here, before any work, naming the choices
    check_size(expression, variable, limits or DEFAULT_WORK_LIMITS)
    if timeout is not None and not 0 < timeout < math.inf:
        raise ValueError(f"timeout must be a positive, finite number of seconds, got {timeout!r}")
    if timeout is None:
        return _derive(expression, variable, strategy, target_form, check, None, memory_mb)
    return run_with_budget(
        _derive,
        expression,
        variable,
        strategy,
        target_form,
        check,
        timeout / 2,
        memory_mb,
        timeout=timeout,
        memory_mb=memory_mb,
    )


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
    variable: sp.Symbol,
    strategy: str,
    target_form: bool,
    check: bool,
    form_timeout: float | None,
    memory_mb: int | None,
) -> Derivation:
    context = rules.Context(
        wrt=variable,
        strategy=strategy_named(strategy),
        names=rules.NamePool(s.name for s in expression.free_symbols),
    )
    steps: list[Step] = []
    where: dict[sp.Symbol, sp.Expr] = {}
    current: sp.Expr = sp.Derivative(expression, variable)
    pending: list[sp.Derivative] = [current]
    while (node := _next_derivative(current, pending)) is not None:
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


def _coerce(expr: sp.Expr | str, wrt: sp.Symbol | str) -> tuple[sp.Expr, sp.Symbol]:
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
    if isinstance(wrt, str):
        wrt = variable_name(wrt)
        matches = [s for s in expr.free_symbols if s.name == wrt]
        wrt = matches[0] if matches else sp.Symbol(wrt)
    if not isinstance(wrt, sp.Symbol):
        raise UnsupportedError(f"wrt must be a Symbol or its name, got {type(wrt).__name__}")
    return expr, wrt


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
    if not _NAME.fullmatch(name):
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


_NAME = re.compile(r"[^\W\d]\w*")


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
