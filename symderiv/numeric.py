"""Evaluating expression trees with mpmath, derivatives included, independently of SymPy's ``diff``.

A ``Derivative`` node is evaluated by mpmath's numerical differentiation of its operand, so a
number from here is evidence that does not rest on the symbolic rules being checked. Symbols
bound in ``where`` take the value of their definition at the same point (the meaning of a step's
substitutions: substitute, then differentiate the rest).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> value = evaluate(sp.Derivative(sp.sin(x), x), {x: 0.5}, digits=20)
>>> abs(value - mpmath.cos(mpmath.mpf("0.5"))) < 1e-15
True
"""

from __future__ import annotations

from typing import Any, Callable, Mapping

import mpmath
import sympy as sp

from .functions import mpmath_relu, mpmath_sigmoid, mpmath_softplus, relu, sigmoid, softplus

__all__ = ["evaluate", "NotNumeric"]


class NotNumeric(ArithmeticError):
    """The expression has no finite numeric value at this point (a pole, a boundary, a symbol left)."""


def _heaviside(t: Any, at_zero: Any = None) -> Any:
    if isinstance(t, mpmath.mpc):
        raise NotNumeric("Heaviside of a complex number")
    if t == 0:
        if at_zero is None:
            raise NotNumeric("Heaviside(0) is undefined")
        return at_zero
    return mpmath.mpf(1) if t > 0 else mpmath.mpf(0)


def _sign(t: Any) -> Any:
    if t == 0:
        return mpmath.mpf(0)
    return t / abs(t)


def _dirac(t: Any) -> Any:
    if t == 0:
        raise NotNumeric("DiracDelta at 0")
    return mpmath.mpf(0)


#: A derivative is not taken numerically at a point larger than this.
_LARGEST_POINT = mpmath.mpf(10) ** 8

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "!=": lambda a, b: a != b,
}

_FUNCTIONS: dict[type, Callable[..., Any]] = {
    sp.exp: mpmath.exp,
    sp.log: mpmath.log,
    sp.sin: mpmath.sin,
    sp.cos: mpmath.cos,
    sp.tan: mpmath.tan,
    sp.cot: mpmath.cot,
    sp.sec: mpmath.sec,
    sp.csc: mpmath.csc,
    sp.asin: mpmath.asin,
    sp.acos: mpmath.acos,
    sp.atan: mpmath.atan,
    sp.acot: mpmath.acot,
    sp.asec: mpmath.asec,
    sp.acsc: mpmath.acsc,
    sp.sinh: mpmath.sinh,
    sp.cosh: mpmath.cosh,
    sp.tanh: mpmath.tanh,
    sp.coth: mpmath.coth,
    sp.sech: mpmath.sech,
    sp.csch: mpmath.csch,
    sp.asinh: mpmath.asinh,
    sp.acosh: mpmath.acosh,
    sp.atanh: mpmath.atanh,
    sp.acoth: mpmath.acoth,
    sp.Abs: abs,
    sp.sign: _sign,
    sp.DiracDelta: _dirac,
    sp.Heaviside: _heaviside,
    sigmoid: mpmath_sigmoid,
    softplus: mpmath_softplus,
    relu: mpmath_relu,
    sp.erf: mpmath.erf,
    sp.gamma: mpmath.gamma,
}


def evaluate(
    expr: sp.Basic,
    point: Mapping[sp.Symbol, Any],
    *,
    where: Mapping[sp.Symbol, sp.Expr] | None = None,
    digits: int = 30,
) -> Any:
    """The value of ``expr`` at ``point`` as an mpmath number, computed with ``digits`` digits.

    Raises :class:`NotNumeric` where the expression has no finite value.
    """
    with mpmath.workdps(digits + 10):
        evaluator = _Evaluator(point, where or {})
        try:
            value = evaluator.value(expr, {})
        except (ZeroDivisionError, ValueError, OverflowError, TypeError) as error:
            raise NotNumeric(str(error)) from error
        if not mpmath.isfinite(value):
            raise NotNumeric(f"{expr} is not finite here")
        return value


class _Evaluator:
    def __init__(self, point: Mapping[sp.Symbol, Any], where: Mapping[sp.Symbol, sp.Expr]):
        self.point = {symbol: mpmath.mpmathify(value) for symbol, value in point.items()}
        self.where = where
        self.bound: dict[sp.Symbol, Any] = {}

    def symbol(self, symbol: sp.Symbol, local: Mapping[sp.Symbol, Any]) -> Any:
        if symbol in local:
            return local[symbol]
        if symbol in self.point:
            return self.point[symbol]
        if symbol in self.where:
            # A substitution name stands for its definition at the outer point.
            if symbol not in self.bound:
                self.bound[symbol] = self.value(self.where[symbol], {})
            return self.bound[symbol]
        raise NotNumeric(f"no value for the symbol {symbol}")

    def value(self, expr: sp.Basic, local: Mapping[sp.Symbol, Any]) -> Any:
        if expr.is_Symbol:
            return self.symbol(expr, local)
        if expr.is_Integer:
            return mpmath.mpf(int(expr))
        if expr.is_Rational:
            return mpmath.mpf(expr.p) / expr.q
        if expr.is_Number or expr.is_NumberSymbol or expr is sp.I:
            return mpmath.mpmathify(complex(expr) if expr is sp.I else expr.evalf(mpmath.mp.dps))
        if expr.is_Add:
            return mpmath.fsum(self.value(arg, local) for arg in expr.args)
        if expr.is_Mul:
            product = mpmath.mpf(1)
            for arg in expr.args:
                product *= self.value(arg, local)
            return product
        if expr.is_Pow:
            base = self.value(expr.base, local)
            if expr.exp.is_Integer:
                return base ** int(expr.exp)
            return mpmath.power(base, self.value(expr.exp, local))
        if isinstance(expr, sp.Derivative):
            return self.derivative(expr, local)
        if isinstance(expr, sp.UnevaluatedExpr):
            return self.value(expr.args[0], local)
        if isinstance(expr, sp.Subs):
            inner = dict(local)
            for variable, point in zip(expr.variables, expr.point):
                inner[variable] = self.value(point, local)
            return self.value(expr.expr, inner)
        if isinstance(expr, sp.Piecewise):
            for piece, condition in expr.args:
                if self.truth(condition, local):
                    return self.value(piece, local)
            raise NotNumeric("no piece of the Piecewise applies")
        if isinstance(expr, (sp.Max, sp.Min)):
            values = [self.value(arg, local) for arg in expr.args]
            if any(isinstance(v, mpmath.mpc) for v in values):
                raise NotNumeric("Max/Min of complex numbers")
            return max(values) if isinstance(expr, sp.Max) else min(values)
        if isinstance(expr, sp.Heaviside):
            args = [self.value(arg, local) for arg in expr.args]
            return _heaviside(*args)
        function = _FUNCTIONS.get(type(expr)) or _FUNCTIONS.get(expr.func)  # type: ignore[call-overload]
        if function is not None:
            return function(*(self.value(arg, local) for arg in expr.args))
        if isinstance(expr, sp.Function):
            return self.fallback(expr, local)
        raise NotNumeric(f"cannot evaluate {type(expr).__name__} numerically")

    def derivative(self, expr: sp.Derivative, local: Mapping[sp.Symbol, Any]) -> Any:
        operand = expr.expr
        for variable, count in reversed(expr.variable_count):
            operand = _NumericDerivative(operand, variable, int(count))
        return self.value_of_derivative(operand, local)

    def value_of_derivative(self, node: "_NumericDerivative | sp.Basic", local: Mapping[sp.Symbol, Any]) -> Any:
        if not isinstance(node, _NumericDerivative):
            return self.value(node, local)
        at = self.symbol(node.variable, local)
        if abs(at) > _LARGEST_POINT:
            # mpmath.diff steps relative to the point: at 1e87 no step resolves cos(t).
            raise NotNumeric("a derivative is taken too far out to be resolved numerically")

        def inner(t: Any) -> Any:
            shifted = dict(local)
            shifted[node.variable] = t
            return self.value_of_derivative(node.operand, shifted)

        return mpmath.diff(inner, at, node.count)

    def truth(self, condition: sp.Basic, local: Mapping[sp.Symbol, Any]) -> bool:
        if condition is sp.true:
            return True
        if condition is sp.false:
            return False
        if isinstance(condition, sp.And):
            return all(self.truth(arg, local) for arg in condition.args)
        if isinstance(condition, sp.Or):
            return any(self.truth(arg, local) for arg in condition.args)
        if isinstance(condition, sp.Not):
            return not self.truth(condition.args[0], local)
        if isinstance(condition, sp.core.relational.Relational):
            left = self.value(condition.lhs, local)
            right = self.value(condition.rhs, local)
            if isinstance(left, mpmath.mpc) or isinstance(right, mpmath.mpc):
                raise NotNumeric("a condition compares complex numbers")
            tolerance = mpmath.mpf(10) ** (-(mpmath.mp.dps - 15))
            if abs(left - right) <= tolerance * max(1, abs(left), abs(right)):
                raise NotNumeric("the point lies on a boundary of a Piecewise")
            compare = _COMPARISONS.get(condition.rel_op)
            if compare is None:
                raise NotNumeric(f"cannot decide the condition {condition}")
            return compare(left, right)
        raise NotNumeric(f"cannot decide the condition {condition}")

    def fallback(self, expr: sp.Function, local: Mapping[sp.Symbol, Any]) -> Any:
        """Any other function SymPy knows: evaluate it with ``evalf`` at numeric arguments."""
        dps = mpmath.mp.dps
        args = []
        for arg in expr.args:
            value = self.value(arg, local)
            args.append(sp.Float(value, dps) if not isinstance(value, mpmath.mpc) else sp.Float(value.real, dps) + sp.I * sp.Float(value.imag, dps))
        number = expr.func(*args).evalf(dps)
        if not number.is_number:
            raise NotNumeric(f"{expr.func} has no numeric value here")
        return mpmath.mpmathify(complex(number)) if not number.is_real else mpmath.mpf(str(number))


class _NumericDerivative:
    """d^count/d variable^count of operand, evaluated numerically."""

    __slots__ = ("operand", "variable", "count")

    def __init__(self, operand: Any, variable: sp.Symbol, count: int):
        self.operand = operand
        self.variable = variable
        self.count = count
