"""The chain rule: a composition f(g(x)) split into layers, each given a fresh name.

One layer per step (u = g(x)), or, when the strategy says so (``compositions_at_once``),
every layer at once (f = u⁻¹, u = 1 + eᵛ, v = −x).

>>> import sympy as sp
>>> from .base import Context
>>> x = sp.Symbol("x")
>>> Chain().apply(sp.Derivative(sp.sin(x**2), x), Context(wrt=x)).introduces
{u: x**2}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..naming import field_name
from .algebra import is_one_over_g
from .base import Application, Context, Rule
from .functions import FUNCTION_BY_TYPE

__all__ = ["Chain", "Layer"]

#: An outer layer of a composition, written in a fresh name: u ↦ f(u).
Layer = Callable[[sp.Expr], sp.Expr]


@dataclass(frozen=True)
class Chain(Rule):
    """d/dx f(g(x)) = f′(u)·g′(x) with u = g(x)"""

    id: str = "chain"

    def matches(self, node: sp.Derivative, context: Context) -> bool:
        return _layer(node.expr, node.variables[0]) is not None

    def apply(self, node: sp.Derivative, context: Context) -> Application:
        f, variable, strategy = node.expr, node.variables[0], context.strategy
        if strategy.compositions_at_once:
            return _chain_layers(f, variable, context)
        layer = _layer(f, variable)
        if layer is None:
            raise ValueError(f"{f} is not a composition")
        outer, inner = layer
        preferred = field_name(f, inner) or (strategy.denominator_name if is_one_over_g(f) else None)
        name = context.names.name_for(inner, preferred)
        result = sp.Mul(sp.Derivative(outer(name), name), sp.Derivative(inner, variable), evaluate=False)
        return Application(
            "chain",
            result,
            introduces={name: inner},
            detail={"introduces": {name: inner}, "outer": outer(name), "inner": inner},
        )


def _layer(f: sp.Expr, variable: sp.Symbol) -> tuple[Layer, sp.Expr] | None:
    """``f`` = outer(inner) with inner not the variable, for the chain rule; None otherwise."""
    if f.is_Pow:
        return _power_layer(f, variable)
    rule = FUNCTION_BY_TYPE.get(type(f))
    if rule is None or not rule.takes(f) or f.args[0] == variable:
        return None
    return _function_layer(f)


def _power_layer(f: sp.Pow, variable: sp.Symbol) -> tuple[Layer, sp.Expr] | None:
    """gⁿ as u ↦ uⁿ of g, or aᵍ as u ↦ aᵘ of g, when only g holds the variable and g ≠ variable."""
    base, exponent = f.base, f.exp
    if variable not in exponent.free_symbols and base != variable:
        return (lambda u: sp.Pow(u, exponent)), base
    if variable not in base.free_symbols and exponent != variable:
        return (lambda u: sp.Pow(base, u)), exponent
    return None


def _function_layer(f: sp.Expr) -> tuple[Layer, sp.Expr]:
    """F(g, …) as u ↦ F(u, …) of g."""
    return (lambda u: f.func(u, *f.args[1:])), f.args[0]


def _peel(expr: sp.Expr, variable: sp.Symbol) -> tuple[Layer, sp.Expr] | None:
    """Split ``expr`` into an outer layer and the one inner expression it is applied to."""
    if expr == variable or variable not in expr.free_symbols:
        return None
    if expr.is_Pow:
        return _power_layer(expr, variable)
    if expr.is_Add or expr.is_Mul:
        return _peel_constant_part(expr, variable)
    if isinstance(expr, sp.Function) and len(expr.args) >= 1:
        return _peel_function(expr, variable)
    return None


def _peel_constant_part(expr: sp.Expr, variable: sp.Symbol) -> tuple[Layer, sp.Expr] | None:
    """c + g or c·g, with a constant c and one g that peels, as u ↦ c + layer(u) (or c·layer(u))."""
    is_sum = bool(expr.is_Add)
    constant, dependent = expr.as_independent(variable, as_Add=is_sum)
    if dependent.is_Add if is_sum else dependent.is_Mul:
        return None
    peeled = _peel(dependent, variable)
    if peeled is None:
        return None
    layer, inner = peeled
    combine = sp.Add if is_sum else sp.Mul
    return (lambda u: combine(constant, layer(u))), inner


def _peel_function(expr: sp.Function, variable: sp.Symbol) -> tuple[Layer, sp.Expr] | None:
    """F(g, …) with a rule for F, g not the variable and its parameters constant, as u ↦ F(u, …)."""
    if expr.args[0] == variable or any(variable in a.free_symbols for a in expr.args[1:]):
        return None
    if type(expr) not in FUNCTION_BY_TYPE:
        return None
    return _function_layer(expr)


def _chain_layers(f: sp.Expr, variable: sp.Symbol, context: Context) -> Application:
    """dF/dx = df/du · du/dv · … · dw/dx, naming every layer of the composition at once."""
    layers: list[tuple[sp.Symbol, sp.Expr]] = []
    introduces: dict[sp.Symbol, sp.Expr] = {}
    current = f
    previous_name: sp.Symbol | None = None
    while (peeled := _peel(current, variable)) is not None:
        layer, inner = peeled
        name = context.names.name_for(inner, field_name(current, inner))
        layers.append((name, layer(name)))
        if previous_name is not None:
            introduces[previous_name] = layer(name)
        previous_name = name
        current = inner
    if previous_name is None:
        raise ValueError(f"{f} is not a composition")
    introduces[previous_name] = current
    # f is the first layer written in the first name; each later layer defines the name before it.
    factors = [sp.Derivative(expression, name) for name, expression in layers]
    factors.append(sp.Derivative(current, variable))
    result = sp.Mul(*factors, evaluate=False)
    return Application(
        "chain",
        result,
        introduces=introduces,
        detail={"introduces": dict(introduces), "outer": layers[0][1], "inner": current},
    )
