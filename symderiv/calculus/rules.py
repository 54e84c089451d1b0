"""The differentiation rules: one small function per rule, and one function that picks them.

Each rule takes one unevaluated ``Derivative(f, v)`` node and says what it equals, as an
:class:`Application`: the rule id, the replacement (which may hold new ``Derivative`` nodes
for the engine to work on) and the substitutions it introduces. Rules compute nothing a
reader could not check by hand, and :mod:`symderiv.proof.check` proves every one of them anyway.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> context = Context(wrt=x)
>>> apply(sp.Derivative(sp.sin(x), x), context)
Application(rule='sin', result=cos(x), introduces={}, detail={'function': 'sin'})
>>> chain = apply(sp.Derivative(sp.exp(-x), x), context)
>>> chain.rule, chain.result.args, chain.introduces
('chain', (Derivative(exp(u), u), Derivative(-x, x)), {u: -x})
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import sympy as sp

from ..core.functions import relu, sigmoid, softplus

__all__ = ["Application", "Context", "NamePool", "apply", "FUNCTION_RULES"]

#: The letters a substitution may take, in the order they are handed out.
NAMES = ("u", "v", "w", "t", "p", "q", "r", "s", "g", "h")


class NamePool:
    """Fresh names for substitutions: never one in the expression, never one used before."""

    def __init__(self, taken: Iterable[str] = ()):
        self.taken = set(taken)

    def fresh(self, preferred: str | None = None) -> sp.Symbol:
        candidates = ([preferred] if preferred else []) + list(NAMES)
        for name in candidates:
            if name not in self.taken:
                self.taken.add(name)
                return sp.Symbol(name)
        index = 1
        while f"u_{index}" in self.taken:
            index += 1
        self.taken.add(f"u_{index}")
        return sp.Symbol(f"u_{index}")


@dataclass
class Context:
    """What a rule may know besides its node: the variable, the strategy and the name pool."""

    wrt: sp.Symbol
    strategy: str = "textbook"
    names: NamePool = field(default_factory=NamePool)


@dataclass(frozen=True)
class Application:
    """A rule applied to one node: ``Derivative(f, v) = result``, with the new substitutions."""

    rule: str
    result: sp.Expr
    introduces: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)


def _tan(u: sp.Expr) -> sp.Expr:
    return 1 / sp.cos(u) ** 2


def _cot(u: sp.Expr) -> sp.Expr:
    return -1 / sp.sin(u) ** 2


#: Functions of one argument: rule id and d/du f(u), as a textbook's table writes it.
FUNCTION_RULES: dict[type, tuple[str, Callable[[sp.Expr], sp.Expr]]] = {
    sp.exp: ("exp", lambda u: sp.exp(u)),
    sp.log: ("log", lambda u: 1 / u),
    sp.sin: ("sin", lambda u: sp.cos(u)),
    sp.cos: ("cos", lambda u: -sp.sin(u)),
    sp.tan: ("tan", _tan),
    sp.cot: ("cot", _cot),
    sp.sec: ("sec", lambda u: sp.sec(u) * sp.tan(u)),
    sp.csc: ("csc", lambda u: -sp.csc(u) * sp.cot(u)),
    sp.asin: ("asin", lambda u: 1 / sp.sqrt(1 - u**2)),
    sp.acos: ("acos", lambda u: -1 / sp.sqrt(1 - u**2)),
    sp.atan: ("atan", lambda u: 1 / (1 + u**2)),
    sp.acot: ("acot", lambda u: -1 / (1 + u**2)),
    sp.asec: ("asec", lambda u: 1 / (u**2 * sp.sqrt(1 - 1 / u**2))),
    sp.acsc: ("acsc", lambda u: -1 / (u**2 * sp.sqrt(1 - 1 / u**2))),
    sp.sinh: ("sinh", lambda u: sp.cosh(u)),
    sp.cosh: ("cosh", lambda u: sp.sinh(u)),
    sp.tanh: ("tanh", lambda u: 1 - sp.tanh(u) ** 2),
    sp.coth: ("coth", lambda u: 1 - sp.coth(u) ** 2),
    sp.sech: ("sech", lambda u: -sp.sech(u) * sp.tanh(u)),
    sp.csch: ("csch", lambda u: -sp.csch(u) * sp.coth(u)),
    sp.asinh: ("asinh", lambda u: 1 / sp.sqrt(u**2 + 1)),
    sp.acosh: ("acosh", lambda u: 1 / sp.sqrt(u**2 - 1)),
    sp.atanh: ("atanh", lambda u: 1 / (1 - u**2)),
    sp.acoth: ("acoth", lambda u: 1 / (1 - u**2)),
    sp.Abs: ("abs", lambda u: sp.sign(u)),
    sigmoid: ("sigmoid", lambda u: sigmoid(u) * (1 - sigmoid(u))),
    softplus: ("softplus", lambda u: sigmoid(u)),
    relu: ("relu", lambda u: sp.Heaviside(u, 0)),
}


def apply(node: sp.Derivative, context: Context) -> Application:
    """The rule for ``node`` = ``Derivative(f, v)``, chosen by the shape of ``f`` and the strategy."""
    (variable, count), = node.variable_count
    if count != 1:
        return _sympy(node)
    f = node.expr
    if variable not in f.free_symbols:
        return _constant(f, variable)
    if f == variable:
        return Application("identity", sp.S.One)
    if f.is_Add:
        return _sum(f, variable)
    if f.is_Mul:
        return _mul(f, variable, context)
    if f.is_Pow:
        return _pow(f, variable, context)
    if isinstance(f, sp.Heaviside):
        return _unary(f, f.args[0], variable, context, "heaviside", sp.DiracDelta)
    if isinstance(f, sp.Piecewise):
        return _piecewise(f, variable)
    if isinstance(f, (sp.Max, sp.Min)) and len(f.args) == 2:
        return _max_min(f, variable)
    if type(f) in FUNCTION_RULES and len(f.args) == 1:
        rule, derivative = FUNCTION_RULES[type(f)]
        return _unary(f, f.args[0], variable, context, rule, derivative)
    return _sympy(node)


def _constants(expr: sp.Expr, variable: sp.Symbol) -> tuple[sp.Symbol, ...]:
    """Symbols held constant, named in the step so that a partial derivative says so."""
    return tuple(sorted((s for s in expr.free_symbols if s != variable), key=lambda s: s.name))


def _constant(f: sp.Expr, variable: sp.Symbol) -> Application:
    return Application("constant", sp.S.Zero, detail={"constants": _constants(f, variable)})


def _sum(f: sp.Add, variable: sp.Symbol) -> Application:
    terms = [sp.Derivative(term, variable) for term in f.args]
    return Application("sum", sp.Add(*terms, evaluate=False))


def _split_constant(f: sp.Mul, variable: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    constant, dependent = f.as_independent(variable, as_Add=False)
    return constant, dependent


def _mul(f: sp.Mul, variable: sp.Symbol, context: Context) -> Application:
    constant, dependent = _split_constant(f, variable)
    if constant != 1:
        result = sp.Mul(constant, sp.Derivative(dependent, variable), evaluate=False)
        return Application(
            "constant_multiple",
            result,
            detail={"constant": constant, "constants": _constants(constant, variable)},
        )
    factors = sp.Mul.make_args(f)
    denominator = [g for g in factors if g.is_Pow and g.exp.is_number and g.exp.is_negative]
    numerator = [g for g in factors if g not in denominator]
    if denominator and numerator:
        return _quotient(sp.Mul(*numerator), 1 / sp.Mul(*denominator), variable)
    if denominator and context.strategy == "quotient":
        return _quotient(sp.S.One, 1 / f, variable)
    if denominator:
        return _reciprocal(1 / f, variable)
    return _product(factors, variable)


def _product(factors: tuple[sp.Expr, ...], variable: sp.Symbol) -> Application:
    terms = []
    for index in range(len(factors)):
        parts = [sp.Derivative(g, variable) if i == index else g for i, g in enumerate(factors)]
        terms.append(sp.Mul(*parts, evaluate=False))
    return Application("product", sp.Add(*terms, evaluate=False), detail={"factors": factors})


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


def _reciprocal(denominator: sp.Expr, variable: sp.Symbol) -> Application:
    if denominator == variable:
        result = -1 / variable**2
    else:
        result = sp.Mul(
            -1, sp.Derivative(denominator, variable), sp.Pow(denominator, -2), evaluate=False
        )
    return Application("reciprocal", result, detail={"denominator": denominator})


def _pow(f: sp.Pow, variable: sp.Symbol, context: Context) -> Application:
    base, exponent = f.base, f.exp
    base_varies = variable in base.free_symbols
    exponent_varies = variable in exponent.free_symbols
    if base_varies and exponent_varies:
        return _log_differentiation(base, exponent, variable)
    if exponent_varies:
        if exponent != variable:
            return _chain(f, exponent, lambda u: sp.Pow(base, u), variable, context)
        return Application(
            "exponential", f * sp.log(base), detail={"base": base}
        )
    # The base varies and the exponent is constant.
    if exponent == -1 and context.strategy == "quotient":
        return _quotient(sp.S.One, base, variable)
    if exponent == -1 and context.strategy == "textbook" and base != variable:
        return _reciprocal(base, variable)
    if base != variable:
        preferred = "t" if exponent == -1 and context.strategy == "reciprocal" else None
        return _chain(f, base, lambda u: sp.Pow(u, exponent), variable, context, preferred)
    if exponent == -1 and context.strategy == "reciprocal":
        return _reciprocal(base, variable)
    rule = "power"
    if exponent == sp.S.Half:
        rule = "sqrt"
    elif exponent.is_Rational and exponent.p == 1 and exponent.q > 2:
        rule = "root"
    return Application(rule, exponent * variable ** (exponent - 1), detail={"exponent": exponent})


def _log_differentiation(base: sp.Expr, exponent: sp.Expr, variable: sp.Symbol) -> Application:
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


def _unary(
    f: sp.Expr,
    argument: sp.Expr,
    variable: sp.Symbol,
    context: Context,
    rule: str,
    derivative: Callable[[sp.Expr], sp.Expr],
) -> Application:
    if argument != variable:
        return _chain(f, argument, lambda u: f.func(u, *f.args[1:]), variable, context)
    return Application(rule, derivative(variable), detail={"function": f.func.__name__})


def _chain(
    f: sp.Expr,
    inner: sp.Expr,
    outer: Callable[[sp.Expr], sp.Expr],
    variable: sp.Symbol,
    context: Context,
    preferred: str | None = None,
) -> Application:
    """d/dx f(g(x)) = df/du · dg/dx with u = g(x); with strategy "chain", every layer at once."""
    if context.strategy == "chain":
        return _chain_layers(f, variable, context)
    name = context.names.fresh(preferred)
    result = sp.Mul(sp.Derivative(outer(name), name), sp.Derivative(inner, variable), evaluate=False)
    return Application(
        "chain",
        result,
        introduces={name: inner},
        detail={"introduces": {name: inner}, "outer": outer(name), "inner": inner},
    )


def _peel(expr: sp.Expr, variable: sp.Symbol) -> tuple[Callable[[sp.Expr], sp.Expr], sp.Expr] | None:
    """Split ``expr`` into an outer layer and the one inner expression it is applied to."""
    if expr == variable or variable not in expr.free_symbols:
        return None
    if expr.is_Pow:
        base, exponent = expr.base, expr.exp
        if variable not in exponent.free_symbols and base != variable:
            return (lambda u: sp.Pow(u, exponent)), base
        if variable not in base.free_symbols and exponent != variable:
            return (lambda u: sp.Pow(base, u)), exponent
        return None
    if expr.is_Add or expr.is_Mul:
        constant, dependent = expr.as_independent(variable, as_Add=expr.is_Add)
        if (expr.is_Add and dependent.is_Add) or (expr.is_Mul and dependent.is_Mul):
            return None
        peeled = _peel(dependent, variable)
        if peeled is None:
            return None
        layer, inner = peeled
        combine = sp.Add if expr.is_Add else sp.Mul
        return (lambda u: combine(constant, layer(u))), inner
    if isinstance(expr, sp.Function) and len(expr.args) >= 1:
        argument = expr.args[0]
        if argument == variable or any(variable in a.free_symbols for a in expr.args[1:]):
            return None
        if type(expr) not in FUNCTION_RULES and not isinstance(expr, sp.Heaviside):
            return None
        return (lambda u: expr.func(u, *expr.args[1:])), argument
    return None


def _chain_layers(f: sp.Expr, variable: sp.Symbol, context: Context) -> Application:
    """dF/dx = df/du · du/dv · … · dw/dx, naming every layer of the composition at once."""
    layers: list[tuple[sp.Symbol, sp.Expr]] = []
    introduces: dict[sp.Symbol, sp.Expr] = {}
    current = f
    previous_name: sp.Symbol | None = None
    while (peeled := _peel(current, variable)) is not None:
        layer, inner = peeled
        name = context.names.fresh()
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


def _piecewise(f: sp.Piecewise, variable: sp.Symbol) -> Application:
    pieces = [(sp.Derivative(piece, variable), condition) for piece, condition in f.args]
    return Application("piecewise", sp.Piecewise(*pieces, evaluate=False))


def _max_min(f: sp.Expr, variable: sp.Symbol) -> Application:
    first, second = f.args
    wins = first > second if isinstance(f, sp.Max) else first < second
    result = sp.Piecewise(
        (sp.Derivative(first, variable), wins), (sp.Derivative(second, variable), True), evaluate=False
    )
    return Application("max" if isinstance(f, sp.Max) else "min", result)


def _sympy(node: sp.Derivative) -> Application:
    """No named rule covers ``node``: SymPy differentiates it, and the check proves it."""
    return Application("sympy", node.doit(), detail={"function": type(node.expr).__name__})
