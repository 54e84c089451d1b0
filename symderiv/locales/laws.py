r"""Each rule's law as TeX: the formula a textbook prints beside the rule's name, in general
(:data:`LAWS`) and in the letters of one step (:func:`instantiate`).

Laws are mathematics, the same in every language, so they are written once, beside each rule id
in :data:`symderiv.core.rule_ids.RULES` (``tex``; ``law`` holds the same law in Unicode, for
terminals). This table reads them from there; the words around them live in the catalogs
(:mod:`symderiv.locales.en` and the others).

>>> LAWS["product"]
"\\left(u v\\right)' = u' v + u v'"
>>> from symderiv.core.rule_ids import RULES
>>> set(LAWS) == set(RULES)
True

A step's justification prints the law in the step's own letters, never in letters that mean
something else in that step. :data:`ROLES` says what each letter of a general law stands for:

- ``variable``: the variable of the derivative the step rewrites (the x of d/dx);
- ``name``: a name the step introduces (the u of u = g(x)), outermost first;
- ``argument``: the argument of the sigmoid a form step recognizes, when it is a single symbol;
- ``function``, ``constant``, ``exponent``, ``symbol``: a bound letter of the law itself. Each
  becomes the first letter of its pool in :data:`POOLS` that the step does not use.

A law with primes, (u v)′ = u′ v + u v′, is written with the step's variable,
d/dw (f g) = (df/dw) g + f (dg/dw), and a derivative with respect to a variable of several
(``partial``) with ∂:

>>> instantiate("log", Letters(variable="a"))
'\\frac{\\mathrm{d}}{\\mathrm{d}a} \\log a = \\frac{1}{a}'
>>> instantiate("chain", Letters(variable="w", names=("v",), taken=frozenset("bvwx"), partial=True))
'\\frac{\\partial f}{\\partial w} = \\frac{\\mathrm{d}f}{\\mathrm{d}v} \\frac{\\partial v}{\\partial w}'
>>> instantiate("product", Letters(variable="x", taken=frozenset("fx")))
'\\frac{\\mathrm{d}}{\\mathrm{d}x}\\left(g h\\right) = \\frac{\\mathrm{d}g}{\\mathrm{d}x} h + g \\frac{\\mathrm{d}h}{\\mathrm{d}x}'

A law that needs a letter the step does not give (no derivative in focus, no name introduced)
cannot be instantiated: :func:`instantiate` returns None, and the general law is printed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..core.rule_ids import RULES

__all__ = ["LAWS", "ROLES", "POOLS", "BOUND_LETTERS", "MATRIX_LETTERS", "NOTATION_LETTERS", "Letters", "instantiate"]

#: Rule id → its law in TeX.
LAWS: dict[str, str] = {rule_id: info.tex for rule_id, info in RULES.items()}

_V, _N, _A = "variable", "name", "argument"
_F, _C, _K, _S = "function", "constant", "exponent", "symbol"

#: Role → the bound letters it may take, first free first (never d, e or i: the differential,
#: Euler's number and an index).
POOLS: dict[str, tuple[str, ...]] = {
    _F: ("f", "g", "h", "p", "q", "r", "s"),
    _C: ("c", "k", "a", "b", "C", "K"),
    _K: ("n", "m", "k", "N"),
    _S: ("a", "b", "c", "k", "p", "q", "r", "s", "t"),
    _A: ("u", "t", "s", "r"),
}

#: The letters of the network laws (symderiv.models.network), which are written in the notation
#: of the network documents themselves: θ, a, z, δ, E, g, the layer l, L and indices i, j, k.
NOTATION_LETTERS: frozenset[str] = frozenset(
    {"theta", "Theta", "delta", "lambda", "a", "z", "E", "g", "l", "L", "i", "j", "k", "m", "y", "T"}
)

#: The letters of the matrix laws (symderiv.calculus.matrix), printed bold as they are: the
#: variable W, matrices U, V, A, B, C, the gradient G, softmax's z and s, a target y, an index j.
MATRIX_LETTERS: frozenset[str] = frozenset({"W", "U", "V", "A", "B", "C", "G", "z", "s", "y", "j"})

#: Every letter an instantiated law may print that is not one of the step's own: the pools, the
#: network notation, the matrix laws' letters, and the letters of the general laws that are
#: printed as they are.
BOUND_LETTERS: frozenset[str] = frozenset(
    {letter for pool in POOLS.values() for letter in pool} | NOTATION_LETTERS | MATRIX_LETTERS | {"n", "u", "x"}
)

_FUNCTION_TABLE = (
    "exp", "log", "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "acot", "asec",
    "acsc", "sinh", "cosh", "tanh", "coth", "sech", "csch", "asinh", "acosh", "atanh", "acoth", "abs",
    "sigmoid", "softplus", "relu", "heaviside", "sign", "sqrt",
    "floor", "ceiling",
)

#: Rule id → what each letter of its general law (:data:`LAWS`) stands for. A rule missing here
#: (the network laws) is printed in its general form.
ROLES: dict[str, dict[str, str]] = {
    **{rule: {"u": _V} for rule in _FUNCTION_TABLE},
    "constant": {"x": _V, "c": _C},
    "identity": {"x": _V},
    "sum": {"u": _F, "v": _F},
    "constant_multiple": {"c": _C, "u": _F},
    "product": {"u": _F, "v": _F},
    "quotient": {"u": _F, "v": _F},
    "reciprocal": {"u": _F},
    "power": {"u": _V, "n": _K},
    "root": {"u": _V, "n": _K},
    "exponential": {"u": _V, "a": _C},
    "log_differentiation": {"u": _F, "v": _F},
    "piecewise": {"x": _V, "f": _F, "c": _C},
    "max": {"u": _F, "v": _F},
    "min": {"u": _F, "v": _F},
    "chain": {"x": _V, "u": _N, "f": _F},
    "sympy": {"x": _V, "f": _F},
    "derivatives": {"x": _V, "f": _F},
    "higher_order": {"x": _V, "f": _F, "n": _K},
    "backward_node": {"x": _V, "n": _F, "u": _F, "g": _F},
    "substitute": {"f": _F, "g": _F, "u": _N, "x": _V},
    "simplify": {"a": _S, "b": _S, "x": _S},
    "expand": {"a": _S, "b": _S, "c": _S},
    "factor": {"a": _S, "b": _S, "c": _S},
    "scale_fraction": {"a": _S, "b": _S, "k": _S},
    "add_subtract": {"a": _S, "b": _S},
    "split_fraction": {"a": _S, "b": _S},
    "recognize_sigmoid": {"u": _A},
    "sigmoid_complement": {"u": _A},
    "trig_identities": {"u": _S},
}

#: The laws written with primes, which an instantiated law writes with the step's variable.
_PRIMED = frozenset({"sum", "constant_multiple", "product", "quotient", "reciprocal", "log_differentiation",
                     "piecewise", "max", "min"})

#: Roles whose letter comes from the step; the others are bound letters of the law.
_GIVEN = (_V, _N, _A)

_LETTER = re.compile(r"(?<![\\A-Za-z])[A-Za-z](?![A-Za-z])")


@dataclass(frozen=True)
class Letters:
    """The letters one step gives its law, each as TeX.

    ``variable`` is the variable of the derivative the step rewrites; ``names`` the names it
    introduces, outermost first; ``argument`` the sigmoid's argument a form step recognizes (a
    symbol); ``taken`` every letter the step uses, which no bound letter of the law may be;
    ``partial`` whether a derivative with respect to ``variable`` is written with ∂.
    """

    variable: str | None = None
    names: tuple[str, ...] = ()
    argument: str | None = None
    taken: frozenset[str] = frozenset()
    partial: bool = False


def instantiate(rule: str, letters: Letters) -> str | None:
    r"""The law of ``rule`` in TeX, written in ``letters``; None when the step lacks a letter it needs.

    >>> instantiate("sigmoid", Letters(variable="z"))
    '\\frac{\\mathrm{d}}{\\mathrm{d}z} \\sigma\\left(z\\right) = \\sigma\\left(z\\right) \\left(1 - \\sigma\\left(z\\right)\\right)'
    >>> instantiate("split_fraction", Letters(taken=frozenset("abx")))
    '\\frac{c - k}{c^{2}} = \\frac{1}{c} \\left(1 - \\frac{k}{c}\\right)'
    >>> instantiate("log", Letters()) is None
    True
    """
    roles = ROLES.get(rule)
    if roles is None:
        return None
    mapping = _assign(roles, letters)
    if mapping is None:
        return None
    if rule == "chain":
        tex = _chain(mapping["f"], letters.names, mapping["x"])
    else:
        tex = _substitute(LAWS[rule], mapping)
    if rule in _PRIMED:
        if letters.variable is None:
            return None
        tex = _leibniz(tex, letters.variable)
    if letters.partial and letters.variable is not None:
        tex = _partial(tex, letters.variable)
    return tex


def _assign(roles: dict[str, str], letters: Letters) -> dict[str, str] | None:
    """Each letter of the general law → its TeX in this step; None when a given one is missing."""
    given = {_V: letters.variable, _N: letters.names[0] if letters.names else None, _A: letters.argument}
    taken = set(letters.taken)
    mapping: dict[str, str] = {}
    for letter, role in roles.items():
        if role in _GIVEN:
            value = given[role]
            if value is None and role != _A:
                return None
            if value is not None:
                mapping[letter] = value
                continue
        fresh = _fresh(letter, role, taken)
        if fresh is None:
            return None
        mapping[letter] = fresh
        taken.add(fresh)
    return mapping


def _fresh(letter: str, role: str, taken: set[str]) -> str | None:
    """The first letter of the role's pool that the step does not use (the law's own first,
    except for functions, which are always f, g, h, ...)."""
    pool = POOLS[role] if role == _F else (letter, *POOLS[role])
    return next((candidate for candidate in pool if candidate not in taken), None)


def _substitute(tex: str, mapping: dict[str, str]) -> str:
    """``tex`` with each single-letter token replaced at once (so u → f and f → g never collide)."""

    def replace(match: re.Match[str]) -> str:
        letter = match.group(0)
        value = mapping.get(letter, letter)
        following = tex[match.end():match.end() + 1]
        if value != letter and following in ("^", "_") and re.search(r"[\^_]", value):
            return "{%s}" % value
        if value.startswith("\\") and following.isalpha():
            return value + " "
        return value

    return _LETTER.sub(replace, tex)


def _chain(function: str, names: tuple[str, ...], variable: str) -> str:
    """df/dx = df/du · du/dv · … · dw/dx, through every name the step introduces."""
    path = (function, *names, variable)
    factors = " ".join(_d(top, bottom) for top, bottom in zip(path, path[1:]))
    return "%s = %s" % (_d(function, variable), factors)


def _d(top: str, bottom: str) -> str:
    return r"\frac{\mathrm{d}%s}{\mathrm{d}%s}" % (top, bottom)


_PRIMED_GROUP = re.compile(r"\\left\((.*?)\\right\)'")
_PRIMED_LETTER = re.compile(r"(?<![\\A-Za-z])([A-Za-z](?:_\{[^{}]*\})?)'")


def _leibniz(tex: str, variable: str) -> str:
    """Primes as derivatives with respect to ``variable``: (f g)′ → d/dx (f g), f′ → df/dx."""
    tex = _PRIMED_GROUP.sub(lambda m: r"\frac{\mathrm{d}}{\mathrm{d}%s}\left(%s\right)" % (variable, m.group(1)), tex)
    return _PRIMED_LETTER.sub(lambda m: _d(m.group(1), variable), tex)


def _partial(tex: str, variable: str) -> str:
    """Every d/d``variable`` (and dⁿ/d``variable``ⁿ) as ∂/∂``variable``; derivatives with
    respect to names keep d."""
    pattern = re.compile(
        r"\\frac\{\\mathrm\{d\}(\^\{[^{}]*\})?((?:[^{}]|\{[^{}]*\})*)\}\{\\mathrm\{d\}%s(\^\{[^{}]*\})?\}"
        % re.escape(variable)
    )

    def replace(match: re.Match[str]) -> str:
        power, top, below = match.group(1) or "", match.group(2).strip(), match.group(3) or ""
        return r"\frac{\partial%s%s}{\partial %s%s}" % (power, " " + top if top else "", variable, below)

    return pattern.sub(replace, tex)
