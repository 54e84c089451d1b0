r"""Seed 003's layers on NumPy arrays, each backward pass made from a derivative symderiv derived.

A layer's ``forward`` computes its output and keeps what the backward pass needs; its
``backward(dout)`` multiplies the gradient arriving from above by the layer's local derivative.
The local derivatives are not typed in: each is derived step by step (every step proven),
written in what the layer stores, and compiled by :func:`symderiv.codegen.lambdify`:

=========  =====================  ================================  ====================
layer      forward                local derivative, derived         kept for backward
=========  =====================  ================================  ====================
MulLayer   z = x·y                ∂z/∂x = y, ∂z/∂y = x              x and y
AddLayer   z = x + y              ∂z/∂x = 1, ∂z/∂y = 1              x and y
Relu       y = max(x, 0)          H(x), 0 at x = 0                  the mask x ≤ 0
Sigmoid    y = σ(x)               σ(x)(1 − σ(x)) = y(1 − y)         the output y
=========  =====================  ================================  ====================

Unlike the seed's ``Relu.backward``, no layer changes the arrays it is given.

>>> import numpy as np
>>> layer = Sigmoid()
>>> layer.forward(np.array([1, -2, 3, -4])).round(4)
array([0.7311, 0.1192, 0.9526, 0.018 ])
>>> layer.backward(np.ones(4)).round(4)
array([0.1966, 0.105 , 0.0452, 0.0177])
>>> local_gradients("Sigmoid")[0].formula
y*(1 - y)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable

import sympy as sp

from ..calculus.engine import derive
from ..codegen import lambdify
from ..core.derivation import Derivation
from ..core.functions import relu, sigmoid
from ..errors import SymderivError
from ..extras import require

np = require("numpy", "seed 003's layers (symderiv.models.layers)")

__all__ = ["LocalGradient", "local_gradients", "MulLayer", "AddLayer", "Relu", "Sigmoid"]

_x, _y = sp.symbols("x y")


@dataclass(frozen=True)
class LocalGradient:
    """One local derivative of a layer: how it was derived, the formula the backward pass
    uses (in the quantities the layer keeps), and that formula compiled for NumPy."""

    wrt: sp.Symbol
    derivation: Derivation
    formula: sp.Expr
    arguments: tuple[sp.Symbol, ...]
    function: Callable[..., Any]

    def __call__(self, *values: Any) -> Any:
        return self.function(*values)


def _local(expr: sp.Expr, wrt: sp.Symbol, arguments: tuple[sp.Symbol, ...], rename: dict | None = None) -> LocalGradient:
    derivation = derive(expr, wrt)
    formula = derivation.result.xreplace(rename) if rename else derivation.result
    if not formula.free_symbols <= set(arguments):
        raise SymderivError(f"the derivative {formula} uses more than the layer keeps ({arguments})")
    return LocalGradient(wrt, derivation, formula, arguments, lambdify(list(arguments), formula))


@lru_cache(maxsize=None)
def local_gradients(layer: str) -> tuple[LocalGradient, ...]:
    """The local derivatives of ``layer`` ("MulLayer", "AddLayer", "Relu" or "Sigmoid"), derived.

    >>> [g.formula for g in local_gradients("MulLayer")]
    [y, x]
    >>> local_gradients("Relu")[0].formula
    Heaviside(x, 0)
    """
    if layer == "MulLayer":
        return (_local(_x * _y, _x, (_x, _y)), _local(_x * _y, _y, (_x, _y)))
    if layer == "AddLayer":
        return (_local(_x + _y, _x, (_x, _y)), _local(_x + _y, _y, (_x, _y)))
    if layer == "Relu":
        return (_local(relu(_x), _x, (_x,)),)
    if layer == "Sigmoid":
        # σ′ = σ(x)(1 − σ(x)), then written in the output y = σ(x) that the layer keeps.
        return (_local(sigmoid(_x), _x, (_y,), rename={sigmoid(_x): _y}),)
    raise SymderivError(f"no layer called {layer!r}; there are MulLayer, AddLayer, Relu and Sigmoid")


class MulLayer:
    """z = x·y. Backward: dx = dout·y, dy = dout·x, so it keeps both inputs."""

    def __init__(self) -> None:
        self.x: Any = None
        self.y: Any = None

    def forward(self, x: Any, y: Any) -> Any:
        self.x, self.y = x, y
        return x * y

    def backward(self, dout: Any) -> tuple[Any, Any]:
        dz_dx, dz_dy = local_gradients("MulLayer")
        return dout * dz_dx(self.x, self.y), dout * dz_dy(self.x, self.y)


class AddLayer:
    """z = x + y. Backward: both inputs get dout unchanged (the local derivatives are 1)."""

    def __init__(self) -> None:
        self.x: Any = None
        self.y: Any = None

    def forward(self, x: Any, y: Any) -> Any:
        self.x, self.y = x, y
        return x + y

    def backward(self, dout: Any) -> tuple[Any, Any]:
        dz_dx, dz_dy = local_gradients("AddLayer")
        return dout * dz_dx(self.x, self.y), dout * dz_dy(self.x, self.y)


class Relu:
    """y = max(x, 0). Backward passes dout where x > 0 and 0 where x ≤ 0 (the mask), because
    the derived derivative is H(x) with H(0) = 0."""

    def __init__(self) -> None:
        self.mask: Any = None

    def forward(self, x: Any) -> Any:
        (step,) = local_gradients("Relu")
        x = np.asarray(x)
        self.mask = np.asarray(step(x)) == 0  # where the derivative is 0: x <= 0
        return np.where(self.mask, np.zeros_like(x), x)

    def backward(self, dout: Any) -> Any:
        dout = np.asarray(dout)
        return np.where(self.mask, np.zeros_like(dout), dout)


class Sigmoid:
    """y = σ(x), in the stable two-branch form. Backward: dx = dout·y(1 − y), from the kept y."""

    def __init__(self) -> None:
        self.out: Any = None

    def forward(self, x: Any) -> Any:
        self.out = _sigmoid()(x)
        return self.out

    def backward(self, dout: Any) -> Any:
        (slope,) = local_gradients("Sigmoid")
        return dout * slope(self.out)


@lru_cache(maxsize=1)
def _sigmoid() -> Callable[[Any], Any]:
    return lambdify([_x], sigmoid(_x))
