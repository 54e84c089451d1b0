r"""The nodes of matrix calculus that SymPy lacks: the differential d(U) and softmax(z).

A matrix derivation (:mod:`symderiv.calculus.matrix`) writes ∂f/∂W through the differential
df, matrix-cookbook style: df = tr(Gᵀ dW) gives ∂f/∂W = G (denominator layout, the gradient
has W's shape). ``d(U)`` is an unevaluated node, like ``Derivative``: :func:`differential`
builds it, :mod:`symderiv.proof.matrix` evaluates it entry by entry as the directional
derivative Σᵢⱼ ∂U/∂Wᵢⱼ · dWᵢⱼ, and the renderers print it as d(U). ``dW`` itself is a
:class:`sympy.MatrixSymbol` of W's shape, named by :func:`differential_symbol`.

>>> import sympy as sp
>>> W = sp.MatrixSymbol("W", 2, 3)
>>> differential(W.T).shape
(3, 2)
>>> differential_symbol(W)
dW
>>> z = sp.MatrixSymbol("z", 3, 1)
>>> Softmax(z).shape, Softmax(z)[0, 0]
((3, 1), exp(z[0, 0])/(exp(z[0, 0]) + exp(z[1, 0]) + exp(z[2, 0])))
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = ["softmax", "canonical_elementwise", "canonical_lambda", "DifferentialSymbol", "MatrixDifferential", "ScalarDifferential", "Softmax", "differential", "differential_symbol",
           "is_differential", "is_matrix"]


def _basic(operand: Any) -> sp.Basic:
    """``operand`` itself, a SymPy object; never text read as code."""
    if not isinstance(operand, sp.Basic):
        raise TypeError(f"expected a SymPy expression, got {type(operand).__name__}")
    return operand


class _OfOneMatrix(MatrixExpr):  # type: ignore[misc]
    """A matrix made from one matrix, its operand, and of its shape."""

    @property
    def operand(self) -> sp.Basic:
        return self.args[0]

    @property
    def shape(self) -> tuple[Any, Any]:
        return self.args[0].shape  # type: ignore[no-any-return]


class MatrixDifferential(_OfOneMatrix):
    """d(U) for a matrix expression U: a matrix of U's shape, linear in dW."""

    def __new__(cls, operand: Any) -> "MatrixDifferential":
        return MatrixExpr.__new__(cls, _basic(operand))  # type: ignore[no-any-return]

    def _eval_transpose(self) -> None:
        return None  # stays (dU)ᵀ, as written

    def doit(self, **hints: Any) -> "MatrixDifferential":
        return self  # only the proof evaluates a differential, entry by entry


class ScalarDifferential(sp.Expr):  # type: ignore[misc]
    """d(f) for a scalar f (a trace, a determinant, a function of them)."""

    is_commutative = True

    def __new__(cls, operand: Any) -> "ScalarDifferential":
        return sp.Expr.__new__(cls, _basic(operand))  # type: ignore[no-any-return]

    @property
    def operand(self) -> sp.Basic:
        return self.args[0]

    def doit(self, **hints: Any) -> "ScalarDifferential":
        return self


class Softmax(_OfOneMatrix):
    """softmax(z) of a column z: entry i is exp(zᵢ)/Σₖ exp(zₖ)."""

    def __new__(cls, operand: Any) -> "Softmax":
        operand = _basic(operand)
        if not is_matrix(operand) or operand.shape[1] != 1:
            raise ValueError(f"softmax takes a column vector, got {operand}")
        return MatrixExpr.__new__(cls, operand)  # type: ignore[no-any-return]

    def _entry(self, i: Any, j: Any, **kwargs: Any) -> sp.Expr:
        rows = self.shape[0]
        if not isinstance(rows, (int, sp.Integer)):
            raise ValueError("softmax(z) has entries only at a concrete size")
        z = self.operand
        return sp.exp(z[i, 0]) / sp.Add(*(sp.exp(z[k, 0]) for k in range(int(rows))))


#: ``sd.softmax(z)``: softmax of a column vector z, for the softmax cross-entropy −yᵀ log softmax(z).
softmax = Softmax


def is_matrix(expr: Any) -> bool:
    """Whether ``expr`` is a matrix expression (a ``MatrixExpr`` or an explicit matrix)."""
    return bool(getattr(expr, "is_Matrix", False)) or isinstance(expr, MatrixExpr)


def differential(expr: sp.Basic) -> sp.Basic:
    """d(``expr``): a matrix differential for a matrix, a scalar one for a scalar."""
    return MatrixDifferential(expr) if is_matrix(expr) else ScalarDifferential(expr)


def is_differential(expr: sp.Basic) -> bool:
    return isinstance(expr, (MatrixDifferential, ScalarDifferential))


class DifferentialSymbol(sp.MatrixSymbol):  # type: ignore[misc]
    """dW, the differential of the matrix symbol W: a matrix symbol of its own, of W's shape.

    It is built like W (``DifferentialSymbol("W", rows, cols)``) and is never equal to W.
    """

    @property
    def variable(self) -> sp.MatrixSymbol:
        return sp.MatrixSymbol(self.name, *self.shape)

    def __str__(self) -> str:
        return "d" + self.name

    __repr__ = __str__

    def _sympystr(self, printer: object) -> str:  # inside a product or sum printed by SymPy: X*dw
        return "d" + self.name


def differential_symbol(variable: sp.MatrixSymbol) -> DifferentialSymbol:
    """dW: the differential of the variable ``W``, a matrix symbol of its shape."""
    return DifferentialSymbol(variable.name, *variable.shape)


def canonical_lambda(function: Any) -> sp.Lambda:
    """``function`` (a Lambda or a function class) as Lambda(u, f(u)) with a plain symbol u (or the
    first of t, v, u_1, u_2 that f does not use otherwise): one tree for one function, so that a
    derivation read back from JSON is equal to the one written.

    >>> canonical_lambda(sp.exp)
    Lambda(u, exp(u))
    """
    if not isinstance(function, sp.Lambda):
        return sp.Lambda(sp.Symbol("u"), function(sp.Symbol("u")))
    (bound,) = function.variables
    taken = {s.name for s in function.expr.free_symbols} - {bound.name}
    plain = sp.Symbol(next(n for n in ("u", "t", "v", "u_1", "u_2") if n not in taken))
    return sp.Lambda(plain, function.expr.xreplace({bound: plain}))


def canonical_elementwise(expr: sp.Basic) -> sp.Basic:
    """``expr`` with the function of every ``f.(U)`` in :func:`canonical_lambda` form."""
    found = {node: ElementwiseApplyFunction(canonical_lambda(node.function), canonical_elementwise(node.expr))
             for node in expr.atoms(ElementwiseApplyFunction)}
    return expr.xreplace(found) if found else expr
