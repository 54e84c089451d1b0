r"""derive() for a matrix variable: ∂f/∂W through the differential df, every step proven.

The chain, for a scalar f (a trace, a determinant, a 1×1 product such as (Xw − y)ᵀ(Xw − y)/m):

1. ∂f/∂W = ∂(df)/∂(dW) (``matrix_differential``): df is linear in dW, and its gradient with
   respect to dW is the gradient of f;
2. each d(·) is rewritten by its rule (:mod:`.differentials`): the product rule for matrices,
   the elementwise chain rule with ⊙ (f′ derived by the scalar engine, a sub-derivation), ...;
3. df is written as tr(Gᵀ dW) (``trace_form``, :mod:`.gradient`), which gives ∂f/∂W = G
   (``matrix_gradient``): denominator layout, G has W's shape;
4. G is rewritten toward the form ML texts write (:mod:`.forms`).

Every step is proven entry by entry at a small concrete shape by :mod:`symderiv.proof.matrix`.

>>> import sympy as sp
>>> from symderiv.calculus.engine import derive
>>> A = sp.MatrixSymbol("A", 3, 3); S = sp.MatrixSymbol("S", 3, 3)
>>> derive(sp.Trace(A * S), S).result
A.T
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr

from ...core.derivation import Derivation
from ...core.matrices import Softmax, canonical_elementwise, differential, is_differential, is_matrix
from ...core.steps import Step
from ...errors import ShapeError, UnsupportedError
from ...limits import DEFAULT_WORK_LIMITS, WorkLimits, expression_size
from .differentials import Variable, rewrite
from .forms import factor_common, simplify_elementwise, sums_to_one
from .gradient import gradient_of

__all__ = ["MAX_MATRIX_STEPS", "check_shapes", "derive_matrix"]

#: Most rewrites of d(·) in one derivation.
MAX_MATRIX_STEPS = 200


def derive_matrix(expr: Any, wrt: sp.MatrixSymbol, derive_scalar: Callable[..., Any], *, check: bool = True,
                  limits: WorkLimits | None = None) -> Derivation:
    """∂``expr``/∂``wrt`` step by step, every step proven; the result has ``wrt``'s shape.

    ``expr`` is a scalar built from matrices (a trace, a determinant, its logarithm) or a 1×1
    matrix expression; ``derive_scalar(g, u)`` derives the scalar functions applied entry by
    entry (:func:`symderiv.derive`). Mismatched shapes raise :class:`ShapeError`, a node no rule
    covers :class:`UnsupportedError`.
    """
    expr = _checked(expr, wrt, limits or DEFAULT_WORK_LIMITS)
    variable = Variable(wrt)
    direction = variable.direction
    detail = {"variable": wrt, "direction": direction}
    inner: sp.Basic = differential(expr)
    steps = [Step("matrix_differential", sp.Derivative(expr, wrt), sp.Derivative(inner, direction), detail=detail)]
    for _ in range(MAX_MATRIX_STEPS):
        node = next((n for n in sp.preorder_traversal(inner) if is_differential(n)), None)
        if node is None:
            break
        found = rewrite(node, variable, derive_scalar)
        before = steps[-1].after
        after = before.xreplace({node: found.replacement})
        steps.append(Step(found.rule, before, after, focus=(node, found.replacement), detail=detail,
                          substeps=found.substeps))
        inner = after.expr
    else:
        raise UnsupportedError(f"the differential needs more than {MAX_MATRIX_STEPS} rewrites")
    gradient = gradient_of(inner, direction)
    form = sp.Derivative(sp.Trace(sp.MatMul(sp.Transpose(gradient), direction)), direction)
    steps.append(Step("trace_form", steps[-1].after, form, detail=detail))
    steps.append(Step("matrix_gradient", form, gradient, detail=detail))
    targets = _softmax_targets(expr)
    for rule, rewrite_form, extra in (
        ("target_sum", lambda g: sums_to_one(g, targets), {"sums_to_one": next(iter(targets), None)}),
        ("factor", factor_common, {}),
        ("elementwise_simplify", simplify_elementwise, {}),
    ):
        current = steps[-1].after
        tidy = canonical_elementwise(rewrite_form(current))
        if tidy != current:
            steps.append(Step(rule, current, tidy, detail={**detail, **{k: v for k, v in extra.items() if v}}))
    derivation = Derivation(expr=expr, wrt=wrt, steps=tuple(steps))
    if not check:
        return derivation
    from ...proof.matrix import check_matrix_derivation

    return derivation.with_report(check_matrix_derivation(derivation, proven_subs=True))


def _checked(expr: Any, wrt: Any, limits: WorkLimits) -> sp.Basic:
    if isinstance(expr, str):
        raise UnsupportedError("a matrix expression is given as SymPy matrix expressions, not as text")
    if not isinstance(expr, sp.Basic):
        raise UnsupportedError(f"derive() differentiates a SymPy expression; got {type(expr).__name__}")
    nodes, depth = expression_size(expr, stop=limits.max_expression_nodes)
    limits.check("max_expression_nodes", nodes, f"the expression has {nodes} or more nodes")
    limits.check("max_expression_depth", depth, f"the expression nests {depth} levels deep")
    check_shapes(expr)
    expr = canonical_elementwise(expr)
    for other in expr.atoms(sp.MatrixSymbol):
        if other.name == wrt.name and other.shape != wrt.shape:
            raise ShapeError(f"{wrt.name} is {_shape(wrt)} in derive() but {_shape(other)} in the expression")
    if is_matrix(expr):
        if expr.shape != (1, 1):
            raise UnsupportedError(
                f"the expression is a {_shape(expr)} matrix; symderiv takes the gradient of a scalar "
                "(a 1×1 product, a trace, a determinant), whose gradient has the shape of "
                f"{wrt.name}; differentiate a trace or a sum of it instead"
            )
    elif expr.has(sp.Derivative):
        raise UnsupportedError("the expression already holds an unevaluated Derivative; call .doit() on it first")
    return expr


def check_shapes(expr: sp.Basic) -> None:
    """Raise :class:`ShapeError` at the first product, sum or ⊙ whose shapes do not fit, naming both."""
    for node in sp.postorder_traversal(expr):
        matrices = [a for a in getattr(node, "args", ()) if is_matrix(a)]
        if isinstance(node, sp.MatMul):
            for a, b in zip(matrices, matrices[1:]):
                if sp.simplify(a.shape[1] - b.shape[0]) != 0:
                    raise ShapeError(f"cannot multiply {a} ({_shape(a)}) by {b} ({_shape(b)}): "
                                     f"{a.shape[1]} columns against {b.shape[0]} rows")
        elif isinstance(node, (sp.MatAdd, sp.HadamardProduct)):
            for a in matrices[1:]:
                if any(sp.simplify(p - q) != 0 for p, q in zip(matrices[0].shape, a.shape)):
                    what = "add" if isinstance(node, sp.MatAdd) else "multiply entry by entry"
                    raise ShapeError(f"cannot {what} {matrices[0]} ({_shape(matrices[0])}) and {a} ({_shape(a)})")
        elif isinstance(node, (sp.Trace, sp.Determinant, sp.Inverse)) and matrices:
            rows, cols = matrices[0].shape
            if sp.simplify(rows - cols) != 0:
                raise ShapeError(f"{type(node).__name__.lower()} needs a square matrix; {matrices[0]} is "
                                 f"{_shape(matrices[0])}")


def _shape(m: Any) -> str:
    rows, cols = m.shape
    return f"{rows}×{cols}"


def _softmax_targets(expr: sp.Basic) -> set[sp.MatrixSymbol]:
    """The y of each yᵀ log softmax(z) in ``expr``: a target, which sums to one."""
    found: set[sp.MatrixSymbol] = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.MatMul):
            args = node.args
            for a, b in zip(args, args[1:]):
                if (isinstance(b, ElementwiseApplyFunction) and isinstance(b.expr, Softmax)
                        and isinstance(a, sp.Transpose) and isinstance(a.arg, sp.MatrixSymbol)):
                    found.add(a.arg)
    return found


_ = MatrixExpr  # the node type every matrix here is
