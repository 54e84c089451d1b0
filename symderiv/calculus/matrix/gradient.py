r"""Reading the gradient off the differential: df = tr(Gᵀ dW) gives ∂f/∂W = G.

Once every d(·) is rewritten, df is a sum of terms linear in dW. :func:`gradient_of` moves
everything around dW to the other side of the trace, with three identities: tr(AB) = tr(BA),
tr(Aᵀ) = tr(A) and tr(Aᵀ(B ⊙ C)) = tr((A ⊙ B)ᵀC). What is left beside dW is G, of W's shape
(denominator layout).

>>> import sympy as sp
>>> A = sp.MatrixSymbol("A", 2, 2); dS = sp.MatrixSymbol("dS", 2, 2)
>>> gradient_of(sp.Trace(A * dS), dS)
A.T
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ...core.matrices import is_matrix
from ...errors import UnsupportedError

__all__ = ["gradient_of", "product"]


def product(*factors: Any) -> sp.Basic:
    """The product of ``factors``, identities and ones dropped, scalars in front."""
    kept = [f for f in factors if not isinstance(f, sp.Identity) and f != 1]
    if not kept:
        return sp.S.One
    if len(kept) == 1:
        return kept[0]
    if not any(is_matrix(f) for f in kept):
        return sp.Mul(*kept)
    return sp.MatMul(*kept).doit(deep=False)


def gradient_of(df: sp.Basic, direction: sp.MatrixSymbol) -> sp.Basic:
    """G with ``df`` = tr(Gᵀ dW), ``direction`` being dW; ``df`` linear in dW, a scalar or 1×1."""
    found = _matrix(df, sp.S.One, direction) if is_matrix(df) else _scalar(df, sp.S.One, direction)
    return _tidy(found, direction)


def _tidy(terms: list[sp.Basic], direction: sp.MatrixSymbol) -> sp.Basic:
    if not terms:
        return sp.ZeroMatrix(*direction.shape)
    return sp.MatAdd(*terms).doit(deep=False) if len(terms) > 1 else terms[0]


def _transpose(a: Any) -> Any:
    return a.T if is_matrix(a) else a


def _matrix(m: sp.Basic, upstream: Any, direction: sp.MatrixSymbol) -> list[sp.Basic]:
    """Gs with tr(upstreamᵀ m) = Σ tr(Gᵀ dW); ``upstream`` a scalar where m is 1×1."""
    if not m.has(direction):
        return []
    if m == direction:
        return [upstream if is_matrix(upstream) else product(upstream, sp.Identity(direction.shape[0]))]
    if isinstance(m, sp.Transpose):
        return _matrix(m.arg, _transpose(upstream), direction)
    if isinstance(m, sp.MatAdd):
        return [g for term in m.args for g in _matrix(term, upstream, direction)]
    if isinstance(m, sp.MatMul):
        scalars = [f for f in m.args if not is_matrix(f)]
        matrices = [f for f in m.args if is_matrix(f)]
        holding = [i for i, f in enumerate(matrices) if f.has(direction)]
        if any(s.has(direction) for s in scalars):
            if holding:
                raise UnsupportedError(f"{m} is not linear in {direction}")
            scalar = next(s for s in scalars if s.has(direction))
            rest = [f for f in m.args if f is not scalar]
            inner = sp.Trace(product(_transpose(upstream), *rest)) if is_matrix(upstream) else product(upstream, *rest)
            if is_matrix(inner) and inner.shape == (1, 1):
                inner = sp.Trace(inner)
            return _scalar(scalar, inner, direction)
        if len(holding) != 1:
            raise UnsupportedError(f"{m} is not linear in {direction}")
        k = holding[0]
        before = [f.T for f in reversed(matrices[:k])]
        after = [f.T for f in reversed(matrices[k + 1:])]
        return _matrix(matrices[k], product(*scalars, *before, upstream, *after), direction)
    if isinstance(m, sp.HadamardProduct):
        holding = [f for f in m.args if f.has(direction)]
        if len(holding) != 1:
            raise UnsupportedError(f"{m} is not linear in {direction}")
        others = [f for f in m.args if f is not holding[0]]
        weight = sp.HadamardProduct(upstream, *others) if is_matrix(upstream) else product(upstream, *others)
        return _matrix(holding[0], weight, direction)
    if isinstance(m, MatrixExpr):
        raise UnsupportedError(f"cannot read a gradient off {type(m).__name__} ({m})")
    raise UnsupportedError(f"cannot read a gradient off {m}")


def _scalar(s: sp.Basic, upstream: Any, direction: sp.MatrixSymbol) -> list[sp.Basic]:
    """Gs with upstream · s = Σ tr(Gᵀ dW), for a scalar s linear in dW."""
    if not s.has(direction):
        return []
    if isinstance(s, sp.Add):
        return [g for term in s.args for g in _scalar(term, upstream, direction)]
    if isinstance(s, sp.Mul):
        holding = [f for f in s.args if f.has(direction)]
        if len(holding) != 1:
            raise UnsupportedError(f"{s} is not linear in {direction}")
        others = [f for f in s.args if f is not holding[0]]
        return _scalar(holding[0], product(upstream, *others), direction)
    if isinstance(s, sp.Trace):
        inner = s.arg
        return _matrix(inner, product(upstream, sp.Identity(inner.shape[0])), direction)
    raise UnsupportedError(f"cannot read a gradient off {s}")
