"""The rules for powers of the variable and of a constant: uⁿ, √u, u^(1/n), aᵘ and uᵛ.

>>> import sympy as sp
>>> from .base import Context
>>> x = sp.Symbol("x")
>>> Power().apply(sp.Derivative(x**3, x), Context(wrt=x)).result
3*x**2
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .base import Application, Context, Rule

__all__ = ["Exponential", "LogDifferentiation", "Power", "Root", "Sqrt"]


@dataclass(frozen=True)
class LogDifferentiation(Rule):
    """d/dx uᵛ = uᵛ·(v′·ln u + v·u′/u)"""

    id: str = "log_differentiation"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        f, variable = node.expr, node.variables[0]
        return bool(f.is_Pow) and variable in f.base.free_symbols and variable in f.exp.free_symbols

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        base, exponent, variable = node.expr.base, node.expr.exp, node.variables[0]
        inner = sp.Add(
            sp.Mul(sp.Derivative(exponent, variable), sp.log(base), evaluate=False),
            sp.Mul(exponent, sp.Derivative(base, variable), sp.Pow(base, -1), evaluate=False),
            evaluate=False,
        )
        return Application(
            "log_differentiation",
            sp.Mul(sp.Pow(base, exponent), inner, evaluate=False),
            detail={"base": base, "exponent": exponent},
        )


@dataclass(frozen=True)
class Exponential(Rule):
    """d/du aᵘ = aᵘ·ln a"""

    id: str = "exponential"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        f, variable = node.expr, node.variables[0]
        return bool(f.is_Pow) and f.exp == variable and variable not in f.base.free_symbols

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        f = node.expr
        # log of a rounded base stays unevaluated: SymPy would round it to the base's 15 digits,
        # and the proof, at 30, would find the two sides apart (d/dx 2.5ˣ)
        log = sp.log(f.base, evaluate=not f.base.has(sp.Float))
        return Application("exponential", f * log, detail={"base": f.base})


@dataclass(frozen=True)
class Sqrt(Rule):
    """d/du √u = 1/(2√u)"""

    id: str = "sqrt"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return _power_of_variable(node) and node.expr.exp == sp.S.Half

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        return _power(self.id, node)


@dataclass(frozen=True)
class Root(Rule):
    """d/du u^(1/n) = u^(1/n)/(n·u)"""

    id: str = "root"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        if not _power_of_variable(node):
            return False
        exponent = node.expr.exp
        return bool(exponent.is_Rational and exponent.p == 1 and exponent.q > 2)

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        return _power(self.id, node)


@dataclass(frozen=True)
class Power(Rule):
    """d/du uⁿ = n·uⁿ⁻¹"""

    id: str = "power"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return _power_of_variable(node)

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        return _power(self.id, node)


def _power_of_variable(node: sp.Derivative) -> bool:
    """``node`` is ``d/dx xⁿ`` with a constant ``n``."""
    f, variable = node.expr, node.variables[0]
    return bool(f.is_Pow) and f.base == variable and variable not in f.exp.free_symbols


def _power(rule: str, node: sp.Derivative) -> Application:
    exponent, variable = node.expr.exp, node.variables[0]
    return Application(rule, exponent * variable ** (exponent - 1), detail={"exponent": exponent})
