"""The functions of a textbook's table, the pieces (Piecewise, max, min), and SymPy for the rest.

A function of one argument needs only a line in :data:`FUNCTIONS`: its rule id and d/du F(u).

>>> import sympy as sp
>>> from .base import Context
>>> x = sp.Symbol("x")
>>> FUNCTION_RULES[sp.tan][1](x)
cos(x)**(-2)
>>> SYMPY.apply(sp.Derivative(sp.gamma(x), x), Context(wrt=x)).result
gamma(x)*polygamma(0, x)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ...core.functions import relu, sigmoid, softplus
from .base import Application, Context, Rule

__all__ = [
    "FUNCTIONS",
    "FUNCTION_BY_TYPE",
    "FUNCTION_RULES",
    "HEAVISIDE",
    "SYMPY",
    "Extremum",
    "FunctionRule",
    "Piecewise",
    "Sympy",
]

# --- Functions of one argument, as a textbook's table writes them ------------------------------


@dataclass(frozen=True)
class FunctionRule(Rule):
    """d/du F(u) = F′(u), for one function F of a textbook's table (``id`` names F's law)."""

    id: str
    function: type[sp.Function]
    derivative: Callable[[sp.Expr], sp.Expr]
    #: F takes parameters after its argument, held constant: Heaviside(u, H(0)).
    parameters: bool = False

    def takes(self, f: sp.Expr) -> bool:
        """``f`` is F applied to its argument (and parameters, when F has them)."""
        return type(f) is self.function and (self.parameters or len(f.args) == 1)

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return self.takes(node.expr) and node.expr.args[0] == node.variables[0]

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        return Application(
            self.id, self.derivative(node.variables[0]), detail={"function": self.function.__name__}
        )


def _tan(u: sp.Expr) -> sp.Expr:
    return 1 / sp.cos(u) ** 2


def _cot(u: sp.Expr) -> sp.Expr:
    return -1 / sp.sin(u) ** 2


def _flat(between_jumps: sp.Basic) -> sp.Expr:
    """0 where ``between_jumps`` holds, and nothing elsewhere: ⌊u⌋ and ⌈u⌉ are flat between the
    whole numbers and jump at each, sign(u) is flat on each side of 0, and where they jump they
    have no derivative (a Piecewise without an
    "otherwise" is undefined there, and a proof never takes a point on its boundary)."""
    return sp.Piecewise((sp.Integer(0), between_jumps))


#: The functions of one argument, each with d/du F(u).
FUNCTIONS: tuple[FunctionRule, ...] = (
    FunctionRule("exp", sp.exp, lambda u: sp.exp(u)),
    FunctionRule("log", sp.log, lambda u: 1 / u),
    FunctionRule("sin", sp.sin, lambda u: sp.cos(u)),
    FunctionRule("cos", sp.cos, lambda u: -sp.sin(u)),
    FunctionRule("tan", sp.tan, _tan),
    FunctionRule("cot", sp.cot, _cot),
    FunctionRule("sec", sp.sec, lambda u: sp.sec(u) * sp.tan(u)),
    FunctionRule("csc", sp.csc, lambda u: -sp.csc(u) * sp.cot(u)),
    FunctionRule("asin", sp.asin, lambda u: 1 / sp.sqrt(1 - u**2)),
    FunctionRule("acos", sp.acos, lambda u: -1 / sp.sqrt(1 - u**2)),
    FunctionRule("atan", sp.atan, lambda u: 1 / (1 + u**2)),
    FunctionRule("acot", sp.acot, lambda u: -1 / (1 + u**2)),
    FunctionRule("asec", sp.asec, lambda u: 1 / (u**2 * sp.sqrt(1 - 1 / u**2))),
    FunctionRule("acsc", sp.acsc, lambda u: -1 / (u**2 * sp.sqrt(1 - 1 / u**2))),
    FunctionRule("sinh", sp.sinh, lambda u: sp.cosh(u)),
    FunctionRule("cosh", sp.cosh, lambda u: sp.sinh(u)),
    FunctionRule("tanh", sp.tanh, lambda u: 1 - sp.tanh(u) ** 2),
    FunctionRule("coth", sp.coth, lambda u: 1 - sp.coth(u) ** 2),
    FunctionRule("sech", sp.sech, lambda u: -sp.sech(u) * sp.tanh(u)),
    FunctionRule("csch", sp.csch, lambda u: -sp.csch(u) * sp.coth(u)),
    FunctionRule("asinh", sp.asinh, lambda u: 1 / sp.sqrt(u**2 + 1)),
    FunctionRule("acosh", sp.acosh, lambda u: 1 / (sp.sqrt(u - 1) * sp.sqrt(u + 1))),
    FunctionRule("atanh", sp.atanh, lambda u: 1 / (1 - u**2)),
    FunctionRule("acoth", sp.acoth, lambda u: 1 / (1 - u**2)),
    FunctionRule("abs", sp.Abs, lambda u: sp.sign(u)),
    FunctionRule("sign", sp.sign, lambda u: _flat(sp.Ne(u, 0))),
    FunctionRule("floor", sp.floor, lambda u: _flat(sp.floor(u) < u)),
    FunctionRule("ceiling", sp.ceiling, lambda u: _flat(u < sp.ceiling(u))),
    FunctionRule("sigmoid", sigmoid, lambda u: sigmoid(u) * (1 - sigmoid(u))),
    FunctionRule("softplus", softplus, lambda u: sigmoid(u)),
    FunctionRule("relu", relu, lambda u: sp.Heaviside(u, 0)),
)

#: H(u) and its value at 0, H(u, H₀): d/du H(u) = δ(u).
HEAVISIDE = FunctionRule("heaviside", sp.Heaviside, sp.DiracDelta, parameters=True)

#: Function → rule id and d/du F(u), for the functions of one argument (read by models.graph).
FUNCTION_RULES: dict[type, tuple[str, Callable[[sp.Expr], sp.Expr]]] = {
    rule.function: (rule.id, rule.derivative) for rule in FUNCTIONS
}

FUNCTION_BY_TYPE: dict[type, FunctionRule] = {rule.function: rule for rule in (*FUNCTIONS, HEAVISIDE)}


# --- Pieces ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Piecewise(Rule):
    """d/dx {fᵢ if cᵢ} = {fᵢ′ if cᵢ}, away from the boundaries"""

    id: str = "piecewise"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return isinstance(node.expr, sp.Piecewise)

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        variable = node.variables[0]
        pieces = [(sp.Derivative(piece, variable), condition) for piece, condition in node.expr.args]
        return Application("piecewise", sp.Piecewise(*pieces, evaluate=False))


@dataclass(frozen=True)
class Extremum(Rule):
    """d/dx max(u, v) = u′ where u > v, v′ where v > u; and min alike, with <"""

    id: str
    function: type[sp.Max] | type[sp.Min]

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return isinstance(node.expr, self.function) and len(node.expr.args) == 2

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        variable = node.variables[0]
        first, second = node.expr.args
        wins = first > second if self.function is sp.Max else first < second
        result = sp.Piecewise(
            (sp.Derivative(first, variable), wins), (sp.Derivative(second, variable), True), evaluate=False
        )
        return Application(self.id, result)


# --- Anything else -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Sympy(Rule):
    """a derivative no named rule covers, taken by SymPy"""

    id: str = "sympy"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return True

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        """No named rule covers ``node``: SymPy differentiates it, and the check proves it."""
        return Application("sympy", node.doit(), detail={"function": type(node.expr).__name__})


SYMPY = Sympy()
