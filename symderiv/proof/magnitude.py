"""How large a formula is at a point, estimated with ordinary floats before any careful work.

A proof compares both sides of a step at random points with mpmath at 70 digits and skips
points where a side is larger than 10³⁰ (near such growth, numerical differentiation is no
evidence). Finding that out by evaluating is costly where it matters most: e^(e^(e^x)) at
x = 2.5 is e^195000, and its derivative is taken numerically. :func:`log10_magnitude` looks
first, in double precision: the value's order of magnitude, or ``inf`` where an operation
overflows (a double holds up to 10³⁰⁸), so such a point is skipped before it is evaluated.

The estimate only ever skips a point; it never decides that two sides agree or differ.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> round(log10_magnitude(sp.exp(3 * x), {x: 2.0}), 3)
2.606
>>> log10_magnitude(sp.exp(sp.exp(sp.exp(x))), {x: 2.5})
inf
"""

from __future__ import annotations

import cmath
import math
from typing import Any, Callable, Mapping

import sympy as sp

from ..core.functions import sigmoid, softplus

__all__ = ["can_overflow", "log10_magnitude"]

#: Functions whose value overflows a double for arguments of moderate size.
GROWING = (sp.exp, sp.sinh, sp.cosh, sp.gamma, sp.factorial)

_FLOAT_FUNCTIONS: dict[Any, Callable[[complex], complex]] = {
    sp.exp: cmath.exp, sp.log: cmath.log, sp.sin: cmath.sin, sp.cos: cmath.cos, sp.tan: cmath.tan,
    sp.sinh: cmath.sinh, sp.cosh: cmath.cosh, sp.tanh: cmath.tanh, sp.asin: cmath.asin,
    sp.acos: cmath.acos, sp.atan: cmath.atan, sp.asinh: cmath.asinh, sp.acosh: cmath.acosh,
    sp.atanh: cmath.atanh, sp.Abs: lambda t: complex(abs(t)),
    sigmoid: lambda t: 1 / (1 + cmath.exp(-t)),
    softplus: lambda t: cmath.log(1 + cmath.exp(t)),
}


class _Unknown(Exception):
    """The estimate cannot be made here (an operation without a float version, a pole)."""


#: A numeric exponent larger than this, inside a growing function, counts as growth (e^(x¹⁰)).
LARGE_EXPONENT = 8


def can_overflow(expr: sp.Expr) -> bool:
    """``expr`` holds growth inside growth: a function that overflows for moderate arguments
    (exp, sinh, cosh, Γ, n!) or a power with a variable exponent, whose argument grows again
    (e^(e^x), e^(x¹⁰), x^(x^x)). Only then can a double overflow at the points a proof uses
    (|x| < 3), and only then is an estimate worth its cost.

    >>> x = sp.Symbol("x")
    >>> can_overflow(sp.exp(2 * x) * sp.sin(x)), can_overflow(sp.exp(sp.exp(x))), can_overflow(sp.exp(x**10))
    (False, True, True)
    """
    for node in sp.preorder_traversal(expr):
        if _grows(node):
            inner = node.exp if node.is_Pow else node.args[0]
            if any(_grows(part) or (part.is_Pow and part.exp.is_number and abs(part.exp) > LARGE_EXPONENT)
                   for part in sp.preorder_traversal(inner)):
                return True
    return False


def _grows(node: sp.Basic) -> bool:
    return isinstance(node, GROWING) or (node.is_Pow and not node.exp.is_number)


def log10_magnitude(expr: sp.Expr, point: Mapping[sp.Symbol, Any],
                    where: Mapping[sp.Symbol, sp.Expr] | None = None) -> float | None:
    """log₁₀ |expr| at ``point`` in double precision (names of ``where`` stand for their
    definitions), ``inf`` where an operation overflows, None where no estimate can be made."""
    estimator = _Estimator({s: complex(float(v)) for s, v in point.items()}, where or {})
    try:
        value = estimator.value(expr)
    except OverflowError:
        return math.inf
    except (_Unknown, ZeroDivisionError, ValueError, TypeError):
        return None
    if cmath.isinf(value):
        return math.inf
    if cmath.isnan(value):
        return None
    return math.log10(abs(value)) if value else -math.inf


class _Estimator:
    def __init__(self, point: Mapping[sp.Symbol, complex], where: Mapping[sp.Symbol, sp.Expr]):
        self.point = point
        self.where = where
        self.bound: dict[sp.Symbol, complex] = {}

    def value(self, expr: sp.Basic) -> complex:
        if expr.is_Symbol:
            if expr in self.point:
                return self.point[expr]
            if expr in self.where:
                if expr not in self.bound:
                    self.bound[expr] = self.value(self.where[expr])
                return self.bound[expr]
            raise _Unknown(str(expr))
        if expr.is_Number or expr.is_NumberSymbol:
            return complex(float(expr))
        if expr.is_Add:
            return sum((self.value(arg) for arg in expr.args), 0j)
        if expr.is_Mul:
            product = 1 + 0j
            for arg in expr.args:
                product *= self.value(arg)
            return product
        if expr.is_Pow:
            return self.value(expr.base) ** self.value(expr.exp)
        if isinstance(expr, sp.Derivative):
            return self.derivative(expr)
        function = _FLOAT_FUNCTIONS.get(type(expr))
        if function is None or len(expr.args) != 1:
            raise _Unknown(type(expr).__name__)
        return function(self.value(expr.args[0]))

    def derivative(self, expr: sp.Derivative) -> complex:
        """A first derivative by a central difference: its size, not its digits."""
        if len(expr.variable_count) != 1 or expr.variable_count[0][1] != 1:
            raise _Unknown("a derivative of higher order")
        variable = expr.variable_count[0][0]
        at = self.value(variable)
        step = 1e-6 * max(1.0, abs(at))
        shifted = {**self.point, variable: at + step}
        before = {**self.point, variable: at - step}
        high = _Estimator(shifted, self.where).value(expr.expr)
        low = _Estimator(before, self.where).value(expr.expr)
        return (high - low) / (2 * step)
