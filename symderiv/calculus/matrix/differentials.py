r"""The rules of the differential, one per kind of node: d(UV) = dU V + U dV and the others.

Each rule rewrites one node d(U) (:class:`~symderiv.core.matrices.MatrixDifferential` or its scalar
twin) into an expression linear in dW, whose remaining d(·) nodes the engine rewrites in turn.
:func:`rewrite` picks the rule by the kind of U and returns a :class:`Rewrite` (rule id, the
replacement, and the scalar sub-derivations it rests on, f′ of an elementwise f).

>>> import sympy as sp
>>> from symderiv.core.matrices import differential
>>> X = sp.MatrixSymbol("X", 3, 2); w = sp.MatrixSymbol("w", 2, 1); y = sp.MatrixSymbol("y", 3, 1)
>>> step = rewrite(differential(X * w - y), Variable(w), derive_scalar=None)
>>> step.rule, step.replacement
('differential_linear', X*dw)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement

from ...core.matrices import Softmax, differential, differential_symbol, is_matrix
from ...errors import UnsupportedError

__all__ = ["Rewrite", "Variable", "rewrite", "elementwise_function"]


@dataclass(frozen=True)
class Variable:
    """The matrix W the derivation is taken in, and its differential dW."""

    symbol: sp.MatrixSymbol

    @property
    def direction(self) -> sp.MatrixSymbol:
        return differential_symbol(self.symbol)

    def holds(self, expr: sp.Basic) -> bool:
        return bool(expr.has(self.symbol))


@dataclass(frozen=True)
class Rewrite:
    """One application of a rule of the differential: ``node`` → ``replacement``."""

    rule: str
    replacement: sp.Basic
    substeps: tuple[Any, ...] = ()


def rewrite(node: sp.Basic, variable: Variable, derive_scalar: Callable[..., Any] | None) -> Rewrite:
    """The rule for the differential ``node`` = d(U), applied once."""
    u = node.args[0]
    if not variable.holds(u):
        return Rewrite("differential_sum", zero_like(u))
    if _is_linear(u, variable):
        return Rewrite("differential_linear", _linear_part(u, variable))
    if isinstance(u, (sp.MatAdd, sp.Add)):
        terms = [differential(t) for t in u.args if variable.holds(t)]
        return Rewrite("differential_sum", _sum(terms, u))
    if isinstance(u, (sp.MatMul, sp.Mul)):
        return Rewrite("matrix_product", _product_rule(u, variable))
    if isinstance(u, sp.Transpose):
        return Rewrite("differential_transpose", sp.Transpose(_d(u.arg, variable)))
    if isinstance(u, sp.Trace):
        return Rewrite("differential_trace", sp.Trace(_d(u.arg, variable)))
    if isinstance(u, sp.Inverse) or (isinstance(u, sp.MatPow) and u.exp == -1):
        inner = u.args[0]
        return Rewrite("differential_inverse", -sp.Inverse(inner) * _d(inner, variable) * sp.Inverse(inner))
    if isinstance(u, sp.Determinant):
        inner = u.arg
        return Rewrite("differential_det", u * sp.Trace(sp.Inverse(inner) * _d(inner, variable)))
    if isinstance(u, sp.log) and isinstance(u.args[0], sp.Determinant):
        inner = u.args[0].arg
        return Rewrite("differential_log_det", sp.Trace(sp.Inverse(inner) * _d(inner, variable)))
    if isinstance(u, sp.HadamardProduct):
        terms = [sp.HadamardProduct(*(_d(f, variable) if k == i else f for k, f in enumerate(u.args)))
                 for i, factor in enumerate(u.args) if variable.holds(factor)]
        return Rewrite("hadamard_product", _sum(terms, u))
    if isinstance(u, Softmax):
        s, dz = u, _d(u.operand, variable)
        return Rewrite("differential_softmax", sp.HadamardProduct(s, dz) - s * s.T * dz)
    if isinstance(u, ElementwiseApplyFunction):
        return _elementwise(u, variable, derive_scalar)
    if isinstance(u, sp.HadamardPower) and not variable.holds(u.exp):  # U∘ᵖ: u ↦ uᵖ entry by entry
        t = sp.Symbol("u")
        return _elementwise(ElementwiseApplyFunction(sp.Lambda(t, t**u.exp), u.base), variable, derive_scalar)
    if isinstance(u, sp.Pow) or (isinstance(u, sp.Function) and len(u.args) == 1 and not is_matrix(u.args[0])):
        return _scalar_chain(u, variable, derive_scalar)
    hint = ("; an entry [i, j] or a sum over indices is not matrix calculus: give the 1×1 product itself, "
            "or its trace") if isinstance(u, (sp.Sum, MatrixElement)) else ""
    raise UnsupportedError(
        f"symderiv has no matrix rule for {type(u).__name__} (in {u}); supported: products, sums, "
        "transposes, inverses, trace, det, log det, Hadamard products, softmax and functions applied "
        f"entry by entry (applyfunc){hint}"
    )


def zero_like(u: sp.Basic) -> sp.Basic:
    return sp.ZeroMatrix(*u.shape) if is_matrix(u) else sp.S.Zero


def _d(u: sp.Basic, variable: Variable) -> sp.Basic:
    """d(u), written at once where that is immediate: dW for W, 0 for a constant."""
    if u == variable.symbol:
        return variable.direction
    if not variable.holds(u):
        return zero_like(u)
    return differential(u)


def _sum(terms: list[sp.Basic], like: sp.Basic) -> sp.Basic:
    if not terms:
        return zero_like(like)
    if is_matrix(like):
        return sp.MatAdd(*terms) if len(terms) > 1 else terms[0]
    return sp.Add(*terms)


def _product_rule(u: sp.Basic, variable: Variable) -> sp.Basic:
    """d(F₁F₂⋯Fₙ) = Σᵢ F₁⋯dFᵢ⋯Fₙ, in order; constant factors stay where they are."""
    factors = list(u.args)
    terms = []
    for i, factor in enumerate(factors):
        if variable.holds(factor):
            changed = [*factors[:i], _d(factor, variable), *factors[i + 1:]]
            terms.append(type(u)(*changed))
    return _sum(terms, u)


def _is_linear(u: sp.Basic, variable: Variable) -> bool:
    """Whether ``u`` is linear in W, written without W inside anything but sums, products with
    constants, scalar multiples and transposes; a sum only when a term is constant or not plain."""
    def linear(e: sp.Basic) -> bool:
        if e == variable.symbol:
            return True
        if not variable.holds(e):
            return False
        if isinstance(e, sp.Transpose):
            return linear(e.arg)
        if isinstance(e, sp.MatMul):
            holding = [f for f in e.args if variable.holds(f)]
            return len(holding) == 1 and linear(holding[0])
        if isinstance(e, sp.MatAdd):
            return all(linear(t) or not variable.holds(t) for t in e.args)
        return False
    return is_matrix(u) and u != variable.symbol and linear(u)


def _linear_part(u: sp.Basic, variable: Variable) -> sp.Basic:
    """A linear ``u`` with W replaced by dW and its constant terms dropped, at every depth:
    d(δᵀ(Wa + b)) = δᵀ(dW a), the b inside the product dropped too."""
    if not variable.holds(u):
        return zero_like(u)
    if isinstance(u, sp.MatAdd):
        terms = [_linear_part(t, variable) for t in u.args if variable.holds(t)]
        return sp.MatAdd(*terms) if len(terms) > 1 else terms[0]
    if isinstance(u, (sp.MatMul, sp.Transpose)):
        return u.xreplace({f: _linear_part(f, variable) for f in u.args if variable.holds(f)})
    return u.xreplace({variable.symbol: variable.direction})


def elementwise_function(node: ElementwiseApplyFunction) -> tuple[sp.Symbol, sp.Expr]:
    """The function f of ``f.(U)`` as (u, f(u)), with a plain symbol u."""
    function = node.function
    u = sp.Symbol("u")
    if isinstance(function, sp.Lambda):
        (bound,) = function.variables
        return u, function.expr.xreplace({bound: u})
    return u, function(u)


def _elementwise(node: ElementwiseApplyFunction, variable: Variable, derive_scalar: Any) -> Rewrite:
    inner = node.expr
    u, body = elementwise_function(node)
    if body == sp.log(u) and isinstance(inner, Softmax):
        z = inner.operand
        dz = _d(z, variable)
        one = sp.OneMatrix(z.shape[0], 1)
        return Rewrite("differential_log_softmax", dz - one * inner.T * dz)
    derivation = _derivative(body, u, derive_scalar)
    slope = ElementwiseApplyFunction(sp.Lambda(u, derivation.result), inner)
    return Rewrite("elementwise_chain", sp.HadamardProduct(slope, _d(inner, variable)), (derivation,))


def _scalar_chain(u: sp.Expr, variable: Variable, derive_scalar: Any) -> Rewrite:
    """d g(s) = g′(s) ds for one scalar argument s (a power sᵏ, log s, ...)."""
    s = u.args[0]
    if isinstance(u, sp.Pow) and variable.holds(u.exp):
        raise UnsupportedError(f"symderiv has no matrix rule for a power whose exponent holds {variable.symbol}")
    t = sp.Symbol("s")
    derivation = _derivative(u.xreplace({s: t}), t, derive_scalar)
    return Rewrite("differential_scalar_chain", derivation.result.xreplace({t: s}) * _d(s, variable), (derivation,))


def _derivative(body: sp.Expr, u: sp.Symbol, derive_scalar: Any) -> Any:
    if derive_scalar is None:
        raise UnsupportedError("this rule needs the scalar engine to derive f′")
    if body.free_symbols - {u}:
        raise UnsupportedError(f"a function applied entry by entry must have one argument, got {body}")
    key = (body, u, derive_scalar)
    if key not in _DERIVED:
        if len(_DERIVED) >= 256:
            _DERIVED.clear()
        _DERIVED[key] = derive_scalar(body, u)
    return _DERIVED[key]


#: f′ of the functions applied entry by entry, derived and proven once per process (derivations are data).
_DERIVED: dict[tuple[Any, ...], Any] = {}
