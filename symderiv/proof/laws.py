"""Exact proofs that cost what the step costs: one level of differentiation, and the chain rule
through named layers.

A rule's step rewrites ``d/dx f`` with the law of ``f``'s outermost operation and leaves the
derivatives of ``f``'s arguments in place: d/dx sin(x²) = cos(x²)·d/dx(x²). Differentiating both
sides completely, as :func:`symderiv.proof.equivalence.exact_verdict` does, differentiates all
of ``f`` at every step, so a derivation costs the depth of ``f`` times its size.
:func:`one_level_verdict` differentiates ``f``'s outermost operation only, with SymPy's own
derivative of it (``fdiff``, the power and product laws), and keeps the derivatives of the
arguments as they are: if the step's side equals that, exactly or once the difference is
cancelled with each derivative taken as a variable of its own, the step holds.

:func:`chain_verdict` proves the first line of a derivation through named layers, ∂L/∂w =
∂L/∂a · ∂a/∂z · ∂z/∂w with a = σ(z), z = w·x + b, by the chain rule itself: the layers put back
into each other give the function, and each layer depends on the variable only through the
next name. No derivative is taken.

Both return None when they do not apply or cannot tell; the caller then proves the step the
usual way. Neither weakens a proof: each is an exact argument, and the line is still checked
in numbers.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> inner = sp.Derivative(x**2, x)
>>> one_level_verdict(sp.Derivative(sp.sin(x**2), x), sp.cos(x**2) * inner, {})
'identical'
>>> one_level_verdict(sp.Derivative(sp.sin(x**2), x), sp.sin(x**2) * inner, {}) is None
True
"""

from __future__ import annotations

from typing import Literal, Mapping

import sympy as sp

from ..core.steps import resolve_where, symbols_of
from .radicals import numerator_vanishes

__all__ = ["chain_verdict", "one_level", "one_level_verdict"]

Verdict = Literal["identical", "symbolic"]

#: Sides larger than this (in ``count_ops``) are not cancelled here.
CANCEL_SIZE_LIMIT = 400


def one_level(derivative: sp.Derivative) -> sp.Expr | None:
    """``derivative`` with the law of its operand's outermost operation applied once, the
    derivatives of the operand's arguments left unevaluated; None for a derivative of higher
    order, in several variables, or of an operation without a law here.

    >>> x = sp.Symbol("x")
    >>> one_level(sp.Derivative(x * sp.exp(x), x))
    x*Derivative(exp(x), x) + exp(x)
    """
    if len(derivative.variable_count) != 1 or derivative.variable_count[0][1] != 1:
        return None
    f, x = derivative.expr, derivative.variable_count[0][0]
    if f == x:
        return sp.S.One
    if x not in f.free_symbols:
        return sp.S.Zero
    if f.is_Add:
        return sp.Add(*(_d(term, x) for term in f.args))
    if f.is_Mul:
        return sp.Add(*(sp.Mul(*f.args[:i], _d(factor, x), *f.args[i + 1:]) for i, factor in enumerate(f.args)))
    if f.is_Pow:
        base, exponent = f.args
        if x not in exponent.free_symbols:
            return exponent * base ** (exponent - 1) * _d(base, x)
        if x not in base.free_symbols:
            return f * sp.log(base) * _d(exponent, x)
        return f * (_d(exponent, x) * sp.log(base) + exponent * _d(base, x) / base)
    if isinstance(f, sp.Function) and f.args:
        try:
            return sp.Add(*(f.fdiff(i + 1) * _d(arg, x) for i, arg in enumerate(f.args) if x in arg.free_symbols))
        except Exception:  # no derivative known for an argument (ArgumentIndexError, ...)
            return None
    return None


def _d(expr: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """d/dx of ``expr`` left unevaluated, but 1 and 0 where that is plain."""
    if expr == x:
        return sp.S.One
    if x not in expr.free_symbols:
        return sp.S.Zero
    return sp.Derivative(expr, x)


def one_level_verdict(left: sp.Expr, right: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> Verdict | None:
    """``left``, a derivative, equals ``right`` by one level of differentiation (see the
    module); None when that does not show it."""
    if not isinstance(left, sp.Derivative) or _names_under_derivatives(where, left, right):
        return None
    expanded = one_level(left)
    if expanded is None:
        return None
    met = _met(_plain(resolve_where(expanded, where)), _plain(resolve_where(right, where)))
    if met is None:
        return None
    ours, theirs = met
    if ours == theirs:
        return "identical"
    difference = ours - theirs
    if difference == 0:
        return "identical"
    if sp.count_ops(difference) > CANCEL_SIZE_LIMIT:
        return None
    try:
        return "symbolic" if numerator_vanishes(difference) or sp.cancel(difference) == 0 else None
    except Exception:  # a SymPy failure proves nothing: the usual proof decides
        return None


#: How many more levels a side may be differentiated to meet the derivatives of the other.
EXTRA_LEVELS = 3


def _met(ours: sp.Expr, theirs: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """Both sides with the derivatives that only one of them holds taken one more level, up to
    :data:`EXTRA_LEVELS` times, until they hold the same derivatives: d/dx (f·g⁻¹) meets the
    quotient rule's d/dx g through d/dx g⁻¹, and c·d/dx (f·g) the product f·g's own terms.
    None when they do not meet."""
    for _ in range(EXTRA_LEVELS + 1):
        mine, yours = set(_derivatives(ours)), set(_derivatives(theirs))
        if mine == yours:
            return ours, theirs
        expanded = []
        for side, extra in ((ours, mine - yours), (theirs, yours - mine)):
            values = {}
            for node in extra:
                value = one_level(node)
                if value is None:
                    return None
                values[node] = value
            expanded.append(_plain(side.xreplace(values)) if values else side)
        ours, theirs = expanded
    return None


def _derivatives(expr: sp.Basic) -> list[sp.Derivative]:
    """The derivatives in ``expr``, outermost only."""
    found, pending = [], [expr]
    while pending:
        node = pending.pop()
        if isinstance(node, sp.Derivative):
            found.append(node)
        else:
            pending.extend(node.args)
    return found


def _plain(expr: sp.Expr) -> sp.Expr:
    """``expr`` with the derivatives that need no rule replaced: d/dx x = 1, d/dx c = 0."""
    values = {}
    for node in _derivatives(expr):
        if _first_order(node):
            operand, variable = node.expr, node.variable_count[0][0]
            if operand == variable:
                values[node] = sp.S.One
            elif variable not in operand.free_symbols:
                values[node] = sp.S.Zero
    return expr.xreplace(values) if values else expr


def _names_under_derivatives(where: Mapping[sp.Symbol, sp.Expr], *exprs: sp.Expr) -> bool:
    """A derivative in ``exprs`` holds a substitution name: substituting would change what it
    differentiates (the contract substitutes after differentiating), so this module stays out."""
    if not where:
        return False
    names = set(where)
    derivatives = [node for expr in exprs for node in sp.preorder_traversal(expr) if isinstance(node, sp.Derivative)]
    return bool(symbols_of(derivatives) & names)


def chain_verdict(left: sp.Expr, right: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> Verdict | None:
    """``left`` = ∂f/∂x equals ``right`` = ∂f₀/∂n₁ · ∂f₁/∂n₂ ⋯ ∂fₖ/∂x by the chain rule, where
    ``where`` binds each name nᵢ₊₁ to the layer fᵢ₊₁ differentiated in the next factor: the
    layers put back into each other give ``f``, and each layer but the innermost holds x only
    through its own name. "identical" when so; None otherwise.

    >>> x, a = sp.symbols("x a")
    >>> chain_verdict(sp.Derivative(sp.sin(x**2), x),
    ...               sp.Mul(sp.Derivative(sp.sin(a), a), sp.Derivative(x**2, x), evaluate=False), {a: x**2})
    'identical'
    """
    if not (isinstance(left, sp.Derivative) and right.is_Mul and _first_order(left)):
        return None
    variable = left.variable_count[0][0]
    if not all(isinstance(factor, sp.Derivative) and _first_order(factor) for factor in right.args):
        return None
    layers = {factor.variable_count[0][0]: factor.expr for factor in right.args}
    if len(layers) != len(right.args) or variable not in layers:
        return None
    # From the innermost layer (the one differentiated by x) outwards: the next layer out is
    # the one differentiated by the name that stands for this one.
    chain = [variable]
    while True:
        outer = [name for name in layers if name in where and where[name] == layers[chain[-1]]]
        if len(outer) != 1 or outer[0] in chain:
            break
        chain.append(outer[0])
    if len(chain) != len(layers) or len(chain) < 2:
        return None
    if resolve_where(layers[chain[-1]], where) != resolve_where(left.expr, where):
        return None
    for name in chain[1:]:
        if variable in _reach(symbols_of([layers[name]]) - {name}, where):
            return None  # this layer holds x other than through its name: the chain rule has more terms
    return "identical"


def _first_order(derivative: sp.Derivative) -> bool:
    return len(derivative.variable_count) == 1 and derivative.variable_count[0][1] == 1


def _reach(symbols: set[sp.Symbol], where: Mapping[sp.Symbol, sp.Expr]) -> set[sp.Symbol]:
    """``symbols`` and every symbol their substitutions lead to."""
    found = set(symbols)
    pending = [s for s in symbols if s in where]
    while pending:
        name = pending.pop()
        for s in symbols_of([where[name]]):
            if s not in found:
                found.add(s)
                if s in where:
                    pending.append(s)
    return found
