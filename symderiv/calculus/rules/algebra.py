"""The rules for constants, sums, products and fractions.

How a fraction ``1/g`` is taken depends on the strategy: :class:`Quotient` and
:class:`Reciprocal` read its fields (:class:`~symderiv.core.strategies.Strategy`).

>>> import sympy as sp
>>> from .base import Context
>>> x = sp.Symbol("x")
>>> Quotient().apply(sp.Derivative(x / (1 + x), x), Context(wrt=x)).detail
{'numerator': x, 'denominator': x + 1}
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .base import Application, Context, Rule

__all__ = [
    "Constant",
    "ConstantMultiple",
    "Identity",
    "Product",
    "Quotient",
    "Reciprocal",
    "Sum",
    "is_one_over_g",
]


@dataclass(frozen=True)
class Constant(Rule):
    """d/dx c = 0"""

    id: str = "constant"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return node.variables[0] not in node.expr.free_symbols

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        return Application("constant", sp.S.Zero, detail={"constants": _constants(node.expr, node.variables[0])})


@dataclass(frozen=True)
class Identity(Rule):
    """d/dx x = 1"""

    id: str = "identity"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return bool(node.expr == node.variables[0])

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        return Application("identity", sp.S.One)


@dataclass(frozen=True)
class Sum(Rule):
    """d/dx (u + v) = u′ + v′"""

    id: str = "sum"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return bool(node.expr.is_Add)

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        terms = [sp.Derivative(term, node.variables[0]) for term in node.expr.args]
        return Application("sum", sp.Add(*terms, evaluate=False))


@dataclass(frozen=True)
class ConstantMultiple(Rule):
    """d/dx (c·u) = c·u′"""

    id: str = "constant_multiple"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return bool(node.expr.is_Mul) and node.expr.as_independent(node.variables[0], as_Add=False)[0] != 1

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        variable = node.variables[0]
        constant, dependent = node.expr.as_independent(variable, as_Add=False)
        result = sp.Mul(constant, sp.Derivative(dependent, variable), evaluate=False)
        return Application(
            "constant_multiple",
            result,
            detail={"constant": constant, "constants": _constants(constant, variable)},
        )


@dataclass(frozen=True)
class Quotient(Rule):
    """d/dx (u/v) = (u′·v − u·v′)/v²"""

    id: str = "quotient"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        parts = _fraction(node.expr, node.variables[0])
        if parts is not None:
            numerator, denominator = parts
            return bool(denominator) and (bool(numerator) or context.strategy.fractions_by_quotient)
        return is_one_over_g(node.expr) and context.strategy.fractions_by_quotient

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        f, variable = node.expr, node.variables[0]
        parts = _fraction(f, variable)
        if parts is None:  # 1/g
            return _quotient(sp.S.One, f.base, variable)
        numerator, denominator = parts
        if not numerator:  # 1/(g·h)
            return _quotient(sp.S.One, 1 / f, variable)
        return _quotient(sp.Mul(*numerator), 1 / sp.Mul(*denominator), variable)


@dataclass(frozen=True)
class Reciprocal(Rule):
    """d/dx (1/u) = −u′/u²"""

    id: str = "reciprocal"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        f, variable, strategy = node.expr, node.variables[0], context.strategy
        if strategy.fractions_by_quotient:
            return False
        parts = _fraction(f, variable)
        if parts is not None:
            numerator, denominator = parts
            return bool(denominator) and not numerator
        if not is_one_over_g(f):
            return False
        if f.base == variable:
            return strategy.reciprocal_rule_for_one_over_x
        return strategy.reciprocal_rule_for_one_over_g

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        f, variable = node.expr, node.variables[0]
        denominator = f.base if f.is_Pow else 1 / f
        if denominator == variable:
            result = -1 / variable**2
        else:
            result = sp.Mul(
                -1, sp.Derivative(denominator, variable), sp.Pow(denominator, -2), evaluate=False
            )
        return Application("reciprocal", result, detail={"denominator": denominator})


@dataclass(frozen=True)
class Product(Rule):
    """d/dx (u·v) = u′·v + u·v′"""

    id: str = "product"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        parts = _fraction(node.expr, node.variables[0])
        return parts is not None and not parts[1]

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        variable = node.variables[0]
        factors = sp.Mul.make_args(node.expr)
        terms = []
        for index in range(len(factors)):
            parts = [sp.Derivative(g, variable) if i == index else g for i, g in enumerate(factors)]
            terms.append(sp.Mul(*parts, evaluate=False))
        return Application("product", sp.Add(*terms, evaluate=False), detail={"factors": factors})


def _constants(expr: sp.Expr, variable: sp.Symbol) -> tuple[sp.Symbol, ...]:
    """Symbols held constant, named in the step so that a partial derivative says so."""
    return tuple(sorted((s for s in expr.free_symbols if s != variable), key=lambda s: s.name))


def _fraction(f: sp.Expr, variable: sp.Symbol) -> tuple[list[sp.Expr], list[sp.Expr]] | None:
    """A product with no constant factor as its numerator's and denominator's factors, else None."""
    if not f.is_Mul or f.as_independent(variable, as_Add=False)[0] != 1:
        return None
    factors = sp.Mul.make_args(f)
    denominator = [g for g in factors if g.is_Pow and g.exp.is_number and g.exp.is_negative]
    return [g for g in factors if g not in denominator], denominator


def is_one_over_g(f: sp.Expr) -> bool:
    """``f`` is ``g⁻¹`` (and so ``g`` holds the variable)."""
    return bool(f.is_Pow) and f.exp == -1


def _quotient(numerator: sp.Expr, denominator: sp.Expr, variable: sp.Symbol) -> Application:
    top = sp.Add(
        sp.Mul(sp.Derivative(numerator, variable), denominator, evaluate=False),
        -sp.Mul(numerator, sp.Derivative(denominator, variable), evaluate=False),
        evaluate=False,
    )
    result = sp.Mul(top, sp.Pow(denominator, -2), evaluate=False)
    return Application(
        "quotient", result, detail={"numerator": numerator, "denominator": denominator}
    )
