"""Evaluating expression trees with mpmath, derivatives included, independently of SymPy's ``diff``.

A ``Derivative`` node is evaluated by mpmath's numerical differentiation of its operand, so a
number from here is evidence that does not rest on the symbolic rules being checked. Symbols
bound in ``where`` take the value of their definition at the same point (the meaning of a step's
substitutions: substitute, then differentiate the rest).

The precision lives in an mpmath context of the call's own (``mpmath.MPContext``), never in
mpmath's global ``mp``: evaluations in several threads at different precisions do not disturb
one another. :func:`working_context` lends one to a caller that compares the numbers it gets.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> value = evaluate(sp.Derivative(sp.sin(x), x), {x: 0.5}, digits=20)
>>> abs(value - mpmath.cos(mpmath.mpf("0.5"))) < 1e-15
True
"""

from __future__ import annotations

import threading
from typing import Any, Callable, Mapping

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.utilities.lambdify import MPMATH_TRANSLATIONS

from ..core.precision import Context, is_complex_number, working_context
from ..core.functions import mpmath_relu, mpmath_sigmoid, mpmath_softplus, relu, sigmoid, softplus

__all__ = ["evaluate", "NodeMemo", "NotNumeric", "working_context", "is_complex_number"]

class NotNumeric(ArithmeticError):
    """The expression has no finite numeric value at this point (a pole, a boundary, a symbol left)."""


def _to_global(value: Any) -> Any:
    """The same number, every digit kept, as an instance of mpmath's global types."""
    if hasattr(value, "_mpf_"):
        return mpmath.mp.make_mpf(value._mpf_)
    if hasattr(value, "_mpc_"):
        return mpmath.mp.make_mpc(value._mpc_)
    return value


# --- Functions ---------------------------------------------------------------------------------

def _heaviside(ctx: Context, t: Any, at_zero: Any = None) -> Any:
    if is_complex_number(t):
        raise NotNumeric("Heaviside of a complex number")
    if t == 0:
        if at_zero is None:
            raise NotNumeric("Heaviside(0) is undefined")
        return at_zero
    return ctx.mpf(1) if t > 0 else ctx.mpf(0)


def _sign(ctx: Context, t: Any) -> Any:
    if t == 0:
        return ctx.mpf(0)
    return t / abs(t)


def _dirac(ctx: Context, t: Any) -> Any:
    if t == 0:
        raise NotNumeric("DiracDelta at 0")
    return ctx.mpf(0)


#: A derivative is not taken numerically at a point larger than this.
_LARGEST_POINT = 10**8

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "!=": lambda a, b: a != b,
}

#: SymPy functions and the method of an mpmath context that evaluates them.
_CONTEXT_METHODS: dict[type, str] = {
    sp.exp: "exp", sp.log: "log",
    sp.sin: "sin", sp.cos: "cos", sp.tan: "tan", sp.cot: "cot", sp.sec: "sec", sp.csc: "csc",
    sp.asin: "asin", sp.acos: "acos", sp.atan: "atan", sp.acot: "acot", sp.asec: "asec", sp.acsc: "acsc",
    sp.sinh: "sinh", sp.cosh: "cosh", sp.tanh: "tanh", sp.coth: "coth", sp.sech: "sech", sp.csch: "csch",
    sp.asinh: "asinh", sp.acosh: "acosh", sp.atanh: "atanh", sp.acoth: "acoth",
    sp.erf: "erf", sp.gamma: "gamma",
}

#: e^t is not evaluated past |Re t| = this: e^(10⁸) has 43 million digits, and a tower such as
#: exp(exp(exp(exp(exp(x))))) would exhaust memory inside mpmath. Such a point proves nothing.
LARGEST_EXPONENT = 10**7


def _growing(name: str) -> Callable[..., Any]:
    """exp, sinh or cosh of the context, refusing an argument past :data:`LARGEST_EXPONENT`."""

    def function(ctx: Any, t: Any) -> Any:
        if abs(ctx.re(t)) > LARGEST_EXPONENT:
            raise NotNumeric(f"{name} of a number beyond ±{LARGEST_EXPONENT:.0e} is too large to evaluate")
        return getattr(ctx, name)(t)

    return function


#: Functions evaluated here, given the context and the values of the arguments.
_OWN: dict[type, Callable[..., Any]] = {
    sp.exp: _growing("exp"),
    sp.sinh: _growing("sinh"),
    sp.cosh: _growing("cosh"),
    sp.Abs: lambda ctx, t: abs(t),
    sp.sign: _sign,
    sp.DiracDelta: _dirac,
    sp.Heaviside: _heaviside,
    sigmoid: lambda ctx, t: mpmath_sigmoid(t),  # the helpers compute in their argument's context
    softplus: lambda ctx, t: mpmath_softplus(t),
    relu: lambda ctx, t: mpmath_relu(t),
}

#: SymPy's own ``evalf`` of the functions this module does not know sets mpmath's global
#: precision (``mpmath.workprec``); such evaluations take turns.
_SYMPY_EVALF = threading.Lock()


def evaluate(
    expr: sp.Basic,
    point: Mapping[sp.Symbol, Any],
    *,
    where: Mapping[sp.Symbol, sp.Expr] | None = None,
    digits: int = 30,
    context: Context | None = None,
    memo: NodeMemo | None = None,
) -> Any:
    """The value of ``expr`` at ``point`` as an mpmath number, computed with ``digits`` digits
    (and 10 guard digits).

    With ``context``, the computation runs in that mpmath context (its precision is restored
    afterwards) and the value is one of its numbers. Without, a context of this call's own is
    used, and the value is returned as a number of mpmath's global types carrying every digit
    computed. Raises :class:`NotNumeric` where the expression has no finite value.

    With ``memo`` (a :class:`NodeMemo` of this point and these digits), the value of every
    subexpression is kept, and one computed before is not computed again.
    """
    if context is not None:
        with context.workdps(digits + 10):
            return _evaluate(context, expr, point, where, memo)
    with working_context(digits + 10) as ctx:
        return _to_global(_evaluate(ctx, expr, point, where, memo))


class NodeMemo:
    """The values of subexpressions at one point and precision, shared by the evaluations of
    several lines (the lines of a derivation share most of their subtrees: a step rewrites one
    part). A subexpression that uses no substitution name is kept for every ``where``; one that
    does, only for the same ``where``."""

    def __init__(self) -> None:
        self.values: dict[tuple[sp.Basic, Any], Any] = {}
        self.scopes: dict[int, tuple[Mapping[sp.Symbol, sp.Expr], frozenset[Any]]] = {}

    def scope(self, where: Mapping[sp.Symbol, sp.Expr]) -> frozenset[Any]:
        known = self.scopes.get(id(where))
        if known is None or known[0] is not where:
            known = self.scopes[id(where)] = (where, frozenset(where.items()))
        return known[1]


def _evaluate(ctx: Context, expr: sp.Basic, point: Mapping[sp.Symbol, Any], where: Mapping[sp.Symbol, sp.Expr] | None,
              memo: NodeMemo | None = None) -> Any:
    try:
        evaluator = _Evaluator(ctx, point, where or {}, memo)
        value = evaluator.value(expr, {})
    except (ZeroDivisionError, ValueError, OverflowError, TypeError) as error:
        raise NotNumeric(str(error)) from error
    if not ctx.isfinite(value):
        raise NotNumeric(f"{expr} is not finite here")
    return value


class _Evaluator:
    def __init__(self, ctx: Context, point: Mapping[sp.Symbol, Any], where: Mapping[sp.Symbol, sp.Expr],
                 memo: NodeMemo | None = None):
        self.ctx = ctx
        self.point = {symbol: ctx.convert(value) for symbol, value in point.items()}
        self.where = where
        self.bound: dict[sp.Symbol, Any] = {}
        self.memo = memo
        self.scope = memo.scope(where) if memo is not None else None
        self.names_read = 0  # substitution names looked up so far: tells which values depend on where

    def symbol(self, symbol: sp.Symbol, local: Mapping[sp.Symbol, Any]) -> Any:
        if symbol in local:
            return local[symbol]
        if symbol in self.point:
            return self.point[symbol]
        if symbol in self.where:
            self.names_read += 1
            # A substitution name stands for its definition at the outer point.
            if symbol not in self.bound:
                self.bound[symbol] = self.value(self.where[symbol], {})
            return self.bound[symbol]
        raise NotNumeric(f"no value for the symbol {symbol}")

    def value(self, expr: sp.Basic, local: Mapping[sp.Symbol, Any]) -> Any:
        """The value of ``expr`` at the point, with ``local`` binding the variables of an
        enclosing derivative or Subs; from the memo when it holds it (at the outer point only)."""
        memo = self.memo
        if memo is None or local or not expr.args:
            return self.computed(expr, local)
        known = memo.values.get((expr, None))
        if known is None:
            known = memo.values.get((expr, self.scope))
        if known is not None:
            return self.ctx.make_mpc(known._mpc_) if hasattr(known, "_mpc_") else self.ctx.make_mpf(known._mpf_)
        names_read = self.names_read
        value = self.computed(expr, local)
        if hasattr(value, "_mpf_") or hasattr(value, "_mpc_"):
            memo.values[(expr, None if self.names_read == names_read else self.scope)] = value
        return value

    def computed(self, expr: sp.Basic, local: Mapping[sp.Symbol, Any]) -> Any:
        """The value of ``expr``, computed from its arguments' values."""
        if expr.is_Symbol:
            return self.symbol(expr, local)
        if expr.is_Number or expr.is_NumberSymbol or expr is sp.I:
            return self.number(expr)
        if expr.is_Add or expr.is_Mul or expr.is_Pow:
            return self.arithmetic(expr, local)
        if isinstance(expr, (sp.Derivative, sp.UnevaluatedExpr, sp.Subs, sp.Piecewise, sp.Max, sp.Min)):
            return self.structure(expr, local)
        own = _OWN.get(type(expr)) or _OWN.get(expr.func)  # type: ignore[call-overload]
        if own is not None:
            return own(self.ctx, *(self.value(arg, local) for arg in expr.args))
        method = _CONTEXT_METHODS.get(type(expr)) or _CONTEXT_METHODS.get(expr.func)  # type: ignore[call-overload]
        if method is not None:
            return getattr(self.ctx, method)(*(self.value(arg, local) for arg in expr.args))
        if isinstance(expr, sp.Function):
            return self.fallback(expr, local)
        raise NotNumeric(f"cannot evaluate {type(expr).__name__} numerically")

    def number(self, expr: sp.Basic) -> Any:
        """An exact number exactly (integers, rationals, i); any other at the context's precision."""
        ctx = self.ctx
        if expr.is_Integer:
            return ctx.mpf(int(expr))
        if expr.is_Rational:
            return ctx.mpf(expr.p) / expr.q
        if expr is sp.I:
            return ctx.mpc(0, 1)
        return ctx.convert(expr.evalf(ctx.dps))

    def arithmetic(self, expr: sp.Basic, local: Mapping[sp.Symbol, Any]) -> Any:
        """A sum (summed by ``fsum``), a product, or a power (integer powers by repeated products)."""
        ctx = self.ctx
        if expr.is_Add:
            return ctx.fsum(self.value(arg, local) for arg in expr.args)
        if expr.is_Mul:
            product = ctx.mpf(1)
            for arg in expr.args:
                product *= self.value(arg, local)
            return product
        base = self.value(expr.base, local)
        if expr.exp.is_Integer:
            return base ** int(expr.exp)
        return ctx.power(base, self.value(expr.exp, local))

    def structure(self, expr: sp.Basic, local: Mapping[sp.Symbol, Any]) -> Any:
        """The nodes that are not functions of their arguments' values: a Derivative, a Subs, a
        Piecewise (the first piece whose condition holds), Max and Min of real values."""
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
        values = [self.value(arg, local) for arg in expr.args]
        if any(is_complex_number(v) for v in values):
            raise NotNumeric("Max/Min of complex numbers")
        return max(values) if isinstance(expr, sp.Max) else min(values)

    def derivative(self, expr: sp.Derivative, local: Mapping[sp.Symbol, Any]) -> Any:
        operand = expr.expr
        free = operand.free_symbols
        if any(variable not in free for variable, _ in expr.variable_count):
            return self.ctx.mpf(0)  # constant in one of its variables (names count as variables)
        if operand.is_Symbol and expr.derivative_count == 1:
            return self.ctx.mpf(1)  # d/dx x
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

        return self.ctx.diff(inner, at, node.count)

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
            if is_complex_number(left) or is_complex_number(right):
                raise NotNumeric("a condition compares complex numbers")
            tolerance = self.ctx.mpf(10) ** (-(self.ctx.dps - 15))
            if abs(left - right) <= tolerance * max(1, abs(left), abs(right)):
                raise NotNumeric("the point lies on a boundary of a Piecewise")
            compare = _COMPARISONS.get(condition.rel_op)
            if compare is None:
                raise NotNumeric(f"cannot decide the condition {condition}")
            return compare(left, right)
        raise NotNumeric(f"cannot decide the condition {condition}")

    def fallback(self, expr: sp.Function, local: Mapping[sp.Symbol, Any]) -> Any:
        """Any other function of SymPy's: the mpmath function of the same name, as SymPy's own
        ``evalf`` finds it, in this context; failing that, SymPy's ``evalf`` itself."""
        ctx = self.ctx
        args = [self.value(arg, local) for arg in expr.args]
        name = type(expr).__name__
        if not isinstance(expr, AppliedUndef) and type(expr).__module__.startswith("sympy."):
            method = getattr(ctx, MPMATH_TRANSLATIONS.get(name, name), None)
            if callable(method) and hasattr(mpmath, MPMATH_TRANSLATIONS.get(name, name)):
                value = method(*args)
                if hasattr(value, "_mpf_") or hasattr(value, "_mpc_"):
                    return value
        dps = ctx.dps
        sympy_args = [sp.Expr._from_mpmath(value, ctx.prec) for value in args]
        with _SYMPY_EVALF:
            number = expr.func(*sympy_args).evalf(dps)
        if not number.is_number:
            raise NotNumeric(f"{expr.func} has no numeric value here")
        real, imag = number.as_real_imag()
        if not (real.is_Number and imag.is_Number):
            raise NotNumeric(f"{expr.func} has no numeric value here")
        return ctx.convert(real) if imag.is_zero else ctx.mpc(ctx.convert(real), ctx.convert(imag))


class _NumericDerivative:
    """d^count/d variable^count of operand, evaluated numerically."""

    __slots__ = ("operand", "variable", "count")

    def __init__(self, operand: Any, variable: sp.Symbol, count: int):
        self.operand = operand
        self.variable = variable
        self.count = count
