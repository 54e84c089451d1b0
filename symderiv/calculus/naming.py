"""Names for intermediates, the way machine-learning texts write them: z, a and the user's own.

A derivation names a subexpression when it applies the chain rule to it. The names follow the
field: an activation σ(·), tanh(·), ReLU(·) or softplus(·) of something that holds the variable is
``a``; the weighted sum inside an activation is ``z``; anything else takes the next free letter
(u, v, w, …). One subexpression gets one name in a derivation and all its sub-derivations
(:class:`~symderiv.calculus.rules.base.NamePool`). A user may choose names with
``derive(..., names={"z": w*x + b, "h": ...})`` (:func:`user_names`).

:func:`layers` finds the named layers a textbook derives through, ∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w:
the activations the expression depends on the variable only through, and the sums inside them.

>>> import sympy as sp
>>> from symderiv.core.functions import sigmoid
>>> w, x, b, y = sp.symbols("w x b y")
>>> loss = -(y * sp.log(sigmoid(w * x + b)) + (1 - y) * sp.log(1 - sigmoid(w * x + b)))
>>> layers(loss, w, {})
[(a, sigmoid(b + w*x)), (z, b + w*x)]
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import sympy as sp

from ..core.functions import relu, sigmoid, softplus
from ..errors import UnsupportedError

__all__ = ["ACTIVATIONS", "field_name", "is_activation", "layers", "user_names", "VARIABLE_NAME", "written_sigmoid"]

#: The functions whose value ML texts call the activation, a.
ACTIVATIONS: tuple[type, ...] = (sigmoid, sp.tanh, relu, softplus)

#: A variable's name: a letter, then letters, digits and _ (names=, and derive's wrt given as text).
VARIABLE_NAME = re.compile(r"[^\W\d]\w*")

#: The most names a user may choose for one derivation.
MAX_USER_NAMES = 50


def is_activation(node: sp.Expr) -> bool:
    """``node`` is an activation: σ, tanh, ReLU or softplus of something, or σ written out as
    1/(1 + e⁻ᵍ) or eᵍ/(1 + eᵍ) (the cross-entropy of a logistic model is often written so).

    >>> import sympy as sp
    >>> z = sp.Symbol("z")
    >>> is_activation(sigmoid(z)), is_activation(1 / (1 + sp.exp(-z))), is_activation(1 / (2 + sp.exp(-z)))
    (True, True, False)
    """
    return isinstance(node, ACTIVATIONS) or isinstance(written_sigmoid(node), sigmoid)


def written_sigmoid(node: sp.Expr) -> sp.Expr | None:
    """``node`` with σ written for 1/(1 + e⁻ᵍ), or for the factors eᵍ and 1/(1 + eᵍ) of a
    product; None when it holds neither.

    >>> import sympy as sp
    >>> z = sp.Symbol("z")
    >>> written_sigmoid(1 / (1 + sp.exp(-z))), written_sigmoid(-2 * sp.exp(z) / (1 + sp.exp(z)))
    (sigmoid(z), -2*sigmoid(z))
    """
    def logistic_base(factor: sp.Expr) -> sp.Expr | None:  # h of a factor 1/(1 + eʰ)
        if factor.is_Pow and factor.exp == -1 and factor.base.is_Add and len(factor.base.args) == 2:
            one, exponential = factor.base.as_coeff_Add()
            if one == 1 and isinstance(exponential, sp.exp):
                return exponential.args[0]
        return None

    exponent = logistic_base(node)
    if exponent is not None and exponent.could_extract_minus_sign():
        return sigmoid(-exponent)
    if node.is_Mul:
        factors = list(node.args)
        for factor in factors:
            exponent = logistic_base(factor)
            if exponent is not None and sp.exp(exponent) in factors:
                rest = [f for f in factors if f is not factor and f != sp.exp(exponent)]
                return sp.Mul(*rest, sigmoid(exponent))
    return None


def field_name(outer: sp.Expr, inner: sp.Expr) -> str | None:
    """The name ML texts give ``inner`` inside ``outer``: ``a`` for an activation, ``z`` for the
    sum an activation is applied to; None when the field has no name for it.

    >>> import sympy as sp
    >>> x, w = sp.symbols("x w")
    >>> field_name(sp.log(sigmoid(w * x)), sigmoid(w * x)), field_name(sigmoid(w * x + 1), w * x + 1)
    ('a', 'z')
    >>> field_name(sp.sin(x**2), x**2) is None
    True
    """
    if is_activation(inner):
        return "a"
    if isinstance(outer, ACTIVATIONS) and (inner.is_Add or inner.is_Mul):
        return "z"
    return None


def layers(expr: sp.Expr, variable: sp.Symbol, chosen: Mapping[sp.Expr, sp.Symbol]) -> list[tuple[sp.Symbol, sp.Expr]]:
    """The named layers between ``expr`` and ``variable``, outermost first: ``[(a, σ(z)), (z, w·x + b)]``.

    A layer is a subexpression that ``expr`` (or the layer above) depends on the variable only
    through: an activation (named ``a``), the sum inside it (``z``), or a subexpression the user
    named (``chosen``: subexpression → name). The values are the subexpressions themselves, in
    the original variables; an empty list means the expression has no such layer.
    """
    found: list[tuple[sp.Symbol, sp.Expr]] = []
    current = expr
    taken = {s.name for s in expr.free_symbols} | {s.name for s in chosen.values()}
    while True:
        inner = _through(current, variable, chosen)
        if inner is None:
            return found
        name = chosen.get(inner)
        if name is None:
            preferred = "a" if is_activation(inner) else "z"
            name = _free(preferred, taken)
        taken.add(name.name)
        found.append((name, inner))
        current = inner


def _through(current: sp.Expr, variable: sp.Symbol, chosen: Mapping[sp.Expr, sp.Symbol]) -> sp.Expr | None:
    """The largest layer ``current`` depends on ``variable`` only through, or None."""
    candidates = []
    for node in sp.preorder_traversal(current):
        if node is current or node == variable or variable not in node.free_symbols:
            continue
        named = node in chosen
        activation = is_activation(node)
        inside = isinstance(current, ACTIVATIONS) and node == current.args[0] and bool(node.is_Add or node.is_Mul)  # type: ignore[attr-defined]
        if not (named or activation or inside):
            continue
        if variable not in current.xreplace({node: sp.Dummy()}).free_symbols:
            candidates.append(node)
    if not candidates:
        return None
    return max(candidates, key=sp.count_ops)


def _free(preferred: str, taken: set[str]) -> sp.Symbol:
    """``preferred``, or ``preferred`` with the first free index: a, a_1, a_2, …"""
    if preferred not in taken:
        return sp.Symbol(preferred)
    index = 1
    while f"{preferred}_{index}" in taken:
        index += 1
    return sp.Symbol(f"{preferred}_{index}")


def user_names(names: Any, expr: sp.Expr) -> dict[sp.Expr, sp.Symbol]:
    """The user's ``names`` argument, {name: subexpression}, checked and turned around.

    A name is text that reads as one variable (``"z"``, ``"h_1"``) or a Symbol; a value is a SymPy
    expression, never text (nothing is parsed or evaluated here). A name may not be a symbol of
    the expression, and two names may not share a value.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> user_names({"h": x**2 + 1}, sp.sin(x**2 + 1))
    {x**2 + 1: h}
    >>> user_names({"x": x + 1}, x)
    Traceback (most recent call last):
    ...
    symderiv.errors.UnsupportedError: names: 'x' is already a symbol of the expression; choose another name
    """
    if names is None:
        return {}
    if not isinstance(names, Mapping):
        raise UnsupportedError(f"names must map names to subexpressions, e.g. {{'z': w*x + b}}; got {type(names).__name__}")
    if len(names) > MAX_USER_NAMES:
        raise UnsupportedError(f"names: {len(names)} names given, more than the {MAX_USER_NAMES} allowed")
    symbols = {s.name for s in expr.free_symbols}
    turned: dict[sp.Expr, sp.Symbol] = {}
    for key, value in names.items():
        name = key.name if isinstance(key, sp.Symbol) else key
        if not isinstance(name, str) or not VARIABLE_NAME.fullmatch(name) or len(name) > 40:
            raise UnsupportedError(f"names: {str(key)[:40]!r} is not a variable's name (a letter, then letters, digits, _)")
        if name in symbols:
            raise UnsupportedError(f"names: {name!r} is already a symbol of the expression; choose another name")
        if not isinstance(value, sp.Expr) or isinstance(value, sp.Symbol) or value.is_number:
            raise UnsupportedError(
                f"names: the value of {name!r} must be a SymPy expression built from the expression's "
                f"symbols (text is never parsed here), not {type(value).__name__}"
            )
        if not expr.has(value):
            raise UnsupportedError(f"names: {name!r} names {str(value)[:60]}, which is not a subexpression of {str(expr)[:60]}")
        if value in turned:
            raise UnsupportedError(f"names: {name!r} and {turned[value].name!r} name the same subexpression")
        turned[value] = sp.Symbol(name, **_assumptions(value))
    return turned


def _assumptions(value: sp.Expr) -> dict[str, bool]:
    """The name is real when its value is: printers and proofs then treat both alike."""
    return {"real": True} if value.is_real else {}
