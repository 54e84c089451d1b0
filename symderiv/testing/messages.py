r"""How formulas, points and values are written in the message of a failed check.

- a difference of two formulas, in the shortest of a few cheap forms (:func:`tidy`), never
  ``simplify``, which can take minutes;
- a derivative as on paper, d/dx sin(x) (:func:`show`);
- a point with its simple coordinates exact, x = 1/2 (:func:`point_text`);
- two values with as many digits as it takes for them to read differently (:func:`values`):
  e and e + 10⁻⁴⁰ are not shown as the same number.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> tidy((x + 1)**2 - x**2 - 1)
2*x
>>> show(sp.Derivative(sp.sin(x), x))
'd/dx sin(x)'
>>> point_text({x: 0.5})
'at x = 1/2'
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mpmath
import sympy as sp
from sympy.printing.str import StrPrinter

from ..core.functions import sigmoid
from ..proof.equivalence import elementary
from .points import SIMPLE_VALUES, exact

__all__ = ["MAX_EXTRA_DIGITS", "TIDY_LIMIT", "number", "point_text", "show", "tidy", "value", "values"]

#: Past this size (SymPy's ``count_ops``) the difference is shown as it is, not simplified.
TIDY_LIMIT = 250
#: Most digits added to show two values apart, or a proven difference as a counterexample
#: (10⁻²⁰⁰⁰ and smaller are reported as the difference itself).
MAX_EXTRA_DIGITS = 2000


# --- Formulas --------------------------------------------------------------------------------

def tidy(expr: sp.Expr) -> sp.Expr:
    """The smallest of a few cheap forms of ``expr`` (factored first on ties), never ``simplify``.

    >>> import sympy as sp
    >>> import symderiv as sd
    >>> x = sp.Symbol("x")
    >>> tidy(sd.sigmoid(x) - sp.exp(x) / (1 + sp.exp(x)))
    0
    """
    if sp.count_ops(expr) > TIDY_LIMIT:
        return expr
    tidiers = [sp.factor, sp.cancel, sp.factor_terms]
    if _safe_to_expand(expr):
        tidiers = [lambda e: sp.factor(sp.expand(e)), *tidiers, sp.expand]
    candidates = []
    for tidier in tidiers:
        try:
            candidates.append(tidier(expr))
        except Exception:  # a tidier that gives up leaves the others
            continue
    candidates.append(expr)
    if expr.has(sigmoid) and expr.has(sp.exp):
        # σ beside e^x: written all in exponentials, the two often cancel to something short.
        written_out = elementary(expr)
        for tidier in (sp.cancel, sp.factor):
            try:
                candidates.append(tidier(written_out))
            except Exception:
                continue
    return min(candidates, key=sp.count_ops)


def _safe_to_expand(expr: sp.Expr) -> bool:
    """No power of a sum above the 6th, so multiplying out stays small."""
    return not any(
        p.base.is_Add and p.exp.is_Integer and abs(p.exp) > 6 for p in expr.atoms(sp.Pow)
    )


class _Printer(StrPrinter):
    """SymPy's ``str``, with a derivative written d/dx(f) or d/dx sin(x), as on paper."""

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        variables = "".join(
            f"d{v}" if n == 1 else f"d{v}^{n}" for v, n in expr.variable_count
        )
        order = sum(int(n) for _, n in expr.variable_count)
        top = "d" if order == 1 else f"d^{order}"
        inner = self._print(expr.expr)
        if isinstance(expr.expr, (sp.Symbol, sp.Function)):
            return f"{top}/{variables} {inner}"
        return f"{top}/{variables}({inner})"


def show(expr: sp.Basic) -> str:
    """``str(expr)``, with derivatives written as on paper: d/dx(x**2), d^2/dx^2 sin(x).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> show(sp.Derivative(x**2, x, 2))
    'd^2/dx^2(x**2)'
    """
    return _Printer().doprint(expr)


# --- Numbers ---------------------------------------------------------------------------------

def number(coordinate: Any) -> str:
    """A point's coordinate: exact when simple (1/2, −1), else 12 significant digits.

    >>> import mpmath
    >>> number(mpmath.mpf(-1)), number(mpmath.pi)
    ('-1', '3.14159265359')
    """
    if isinstance(coordinate, sp.Basic):
        return str(coordinate)
    for simple in SIMPLE_VALUES:
        if coordinate == exact(simple):
            return str(simple)
    return mpmath.nstr(coordinate, 12)


def point_text(point: Mapping[sp.Symbol, Any]) -> str:
    """``at x = 1/2, y = 2``, or ``at every point`` for a formula without variables."""
    return "at " + (", ".join(f"{s} = {number(v)}" for s, v in point.items()) or "every point")


def value(quantity: Any, digits: int = 10) -> str:
    """A value: a float as Python writes it, an mpmath number with ``digits`` significant digits.

    >>> import mpmath
    >>> value(0.1), value(mpmath.mpf(1) / 3)
    ('0.1', '0.3333333333')
    """
    if isinstance(quantity, float):
        return repr(quantity)
    return mpmath.nstr(quantity, digits)


def values(a: Any, b: Any) -> tuple[str, str]:
    """Both values, with 10 digits or as many more as it takes for them to read differently.

    >>> import mpmath
    >>> values(mpmath.mpf(1), 1 + mpmath.mpf(2)**-40)  # 1 + 9.09e-13: equal to 10 digits, not to 20
    ('1.0', '1.0000000000009094947')
    """
    shown = 10
    while value(a, shown) == value(b, shown) and a != b and shown < MAX_EXTRA_DIGITS:
        shown *= 2
    return value(a, shown), value(b, shown)
