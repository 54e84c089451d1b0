"""The trigonometric and hyperbolic functions as one family: written in sin and cos to cancel, and
named back (sin/cos is tan) when that is smaller.

- :func:`named_ratios`: sin(u)/cos(u) is written tan(u), cos/sin cot, and the same for sinh, cosh.
- :func:`trig_identities`: tan, cot, sec, csc (and tanh, coth, sech, csch) written in sin and cos,
  like terms cancelled, sin²u + cos²u = 1 (cosh²u − sinh²u = 1) used where it shortens a
  quotient, and the ratios named again: 2 sec²(x) tan(x) − 2 tan(x)/cos²(x) is 0, and
  (−(sin x + 1) sin x − cos²x)/(sin x + 1)² is −1/(sin x + 1). Sine and cosine serve only to
  cancel: a result that brings in a function the expression did not have is not taken, so the
  rules' own forms stand (tanh′ = 1 − tanh², not 1/cosh²).
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

from .rewrite import expands_small, size

__all__ = ["in_sin_cos", "named_ratios", "pythagorean", "trig_identities"]

#: A quotient that has a name of its own: sin/cos is tan, cos/sin is cot, and the same for sinh, cosh.
_RATIOS = ((sp.sin, sp.cos, sp.tan), (sp.sinh, sp.cosh, sp.tanh), (sp.cos, sp.sin, sp.cot), (sp.cosh, sp.sinh, sp.coth))

#: Each function of the family written in sin and cos (sinh and cosh).
_DEFINITIONS: dict[type, Callable[[sp.Expr], sp.Expr]] = {
    sp.tan: lambda u: sp.sin(u) / sp.cos(u),
    sp.cot: lambda u: sp.cos(u) / sp.sin(u),
    sp.sec: lambda u: 1 / sp.cos(u),
    sp.csc: lambda u: 1 / sp.sin(u),
    sp.tanh: lambda u: sp.sinh(u) / sp.cosh(u),
    sp.coth: lambda u: sp.cosh(u) / sp.sinh(u),
    sp.sech: lambda u: 1 / sp.cosh(u),
    sp.csch: lambda u: 1 / sp.sinh(u),
}


def named_ratios(expr: sp.Expr) -> sp.Expr:
    """sin(u)/cos(u) written tan(u), sinh(u)/cosh(u) written tanh(u), in every product.

    >>> x = sp.Symbol("x")
    >>> named_ratios(-sp.sinh(x) / sp.cosh(x)), named_ratios(2 * sp.sin(x) / sp.cos(x))
    (-tanh(x), 2*tan(x))
    """
    def rename(product: sp.Expr) -> sp.Expr:
        factors = list(sp.Mul.make_args(product))
        for top, bottom, name in _RATIOS:
            for factor in list(factors):
                if isinstance(factor, top) and factor in factors and bottom(*factor.args) ** -1 in factors:
                    factors.remove(factor)
                    factors.remove(bottom(*factor.args) ** -1)
                    factors.append(name(*factor.args))
        return sp.Mul(*factors)

    return expr.replace(lambda node: node.is_Mul, rename)


def in_sin_cos(expr: sp.Expr) -> sp.Expr:
    """tan, cot, sec, csc written in sin and cos, their hyperbolic namesakes in sinh and cosh.

    >>> x = sp.Symbol("x")
    >>> in_sin_cos(sp.sec(x)**2 * sp.tan(x))
    sin(x)/cos(x)**3
    """
    found = {node: _DEFINITIONS[type(node)](node.args[0]) for node in expr.atoms(*_DEFINITIONS)}
    return expr.xreplace(found) if found else expr


def pythagorean(expr: sp.Expr) -> sp.Expr:
    """The shortest of ``expr`` with cos²u written 1 − sin²u or sin²u written 1 − cos²u (cosh²u
    written 1 + sinh²u, or sinh²u written cosh²u − 1), each quotient cancelled; ``expr`` when no
    such writing is shorter.

    >>> x = sp.Symbol("x")
    >>> pythagorean((-(sp.sin(x) + 1) * sp.sin(x) - sp.cos(x)**2) / (sp.sin(x) + 1)**2)
    -1/(sin(x) + 1)
    """
    best, best_size = expr, size(expr)
    for (first, second), arguments in _pairs(expr).items():
        one_minus = first is sp.sin
        for u in arguments:
            s, c = first(u), second(u)
            # (sin² → 1 − cos², cos² → 1 − sin²); (sinh² → cosh² − 1, cosh² → 1 + sinh²)
            ways = ((s, (1 - c**2) if one_minus else (c**2 - 1)), (c, (1 - s**2) if one_minus else (1 + s**2)))
            for square_of, value in ways:
                written = _even_powers(expr, square_of, value)
                if written == expr or not expands_small(written):  # (1 − cos²)^k multiplied out
                    continue
                cancelled = sp.cancel(written)
                for candidate in (cancelled, sp.factor(cancelled)):
                    if size(candidate) < best_size:
                        best, best_size = candidate, size(candidate)
    return best


def _pairs(expr: sp.Expr) -> dict[tuple[type, type], list[sp.Expr]]:
    """(sin, cos) and (sinh, cosh), each with the arguments u that both of the pair take in ``expr``."""
    found = {}
    for first, second in ((sp.sin, sp.cos), (sp.sinh, sp.cosh)):
        arguments = {f.args[0] for f in expr.atoms(first)} & {f.args[0] for f in expr.atoms(second)}
        if arguments:
            found[(first, second)] = sorted(arguments, key=sp.default_sort_key)
    return found


def _even_powers(expr: sp.Expr, base: sp.Expr, square: sp.Expr) -> sp.Expr:
    """``expr`` with every base^(2k) written square^k (k an integer, of either sign)."""
    found = {
        node: sp.Pow(square, node.exp / 2, evaluate=False)  # evaluated, 1/(1 − cos²) asks if it is 0
        for node in expr.atoms(sp.Pow)
        if node.base == base and node.exp.is_Integer and node.exp % 2 == 0
    }
    return expr.xreplace(found) if found else expr


def trig_identities(expr: sp.Expr) -> sp.Expr:
    """``expr`` in sin and cos, cancelled, shortened by sin² + cos² = 1, its ratios named.

    >>> x = sp.Symbol("x")
    >>> trig_identities(2 * sp.tan(x) * sp.sec(x)**2 - 2 * sp.tan(x) / sp.cos(x)**2)
    0
    >>> trig_identities(1 / sp.cos(x) - sp.tan(x) * sp.sin(x))
    cos(x)
    """
    if not expr.has(*_FAMILY):
        return expr
    written = in_sin_cos(expr)
    if written == expr and not _pairs(expr):
        return expr  # nothing to write in sin and cos, no sin² + cos² to use
    present = _functions(expr)
    if any(pair & _functions(written) and not pair & present for pair in _BASES):
        return expr  # not written in sin or cos at all: it could only bring them in (see below)
    written = sp.cancel(written)
    result = named_ratios(pythagorean(written))
    if _functions(result) - _functions(expr):
        return expr  # sin and cos only to cancel: tanh′ stays 1 − tanh², not 1/cosh²
    return result


#: The functions the others are written in, pair by pair.
_BASES: tuple[set[type], ...] = ({sp.sin, sp.cos}, {sp.sinh, sp.cosh})

#: The trigonometric and hyperbolic functions this module writes in one another.
_FAMILY: tuple[type, ...] = (sp.sin, sp.cos, sp.sinh, sp.cosh, *_DEFINITIONS)


def _functions(expr: sp.Expr) -> set[type]:
    return {type(node) for node in expr.atoms(*_FAMILY)}
