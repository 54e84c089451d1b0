"""Formulas and numbers on one line of Unicode, as a terminal table or a diagram's label shows them.

:func:`unicode` writes y², −1, σ(x), ReLU(u), H(u) and a·b where SymPy's ``str`` writes
``y**2``, ``-1``, ``sigmoid(x)``, ``relu(u)``, ``Heaviside(u)`` and ``a*b``; :func:`number`
writes a float with a true minus sign; :func:`columns` lines rows of such cells up. The graph's
tables, its DOT labels and the ``symderiv graph`` command all print with these.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> unicode(-x**2 / 2), number(-0.5)
('−x²/2', '−0.5')
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

__all__ = ["columns", "number", "unicode"]

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


class _UnicodePrinter(StrPrinter):
    """One-line formulas for tables and pictures: y², −1, σ(x), ReLU(u), H(u), a·b."""

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if exponent.is_Integer and exponent > 1:
            return self.parenthesize(base, PRECEDENCE["Pow"], strict=True) + str(exponent).translate(_SUPERSCRIPTS)
        return super()._print_Pow(expr, rational)

    def _print_sigmoid(self, expr: sp.Expr) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_relu(self, expr: sp.Expr) -> str:
        return f"ReLU({self._print(expr.args[0])})"

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return f"H({self._print(expr.args[0])})"


def unicode(expr: sp.Expr) -> str:
    """``expr`` on one line as a terminal or a diagram shows it.

    >>> import sympy as sp
    >>> y, x = sp.symbols("y x")
    >>> unicode(-y**2), unicode(sp.exp(-x) * y), unicode(x**sp.Rational(1, 3))
    ('−y²', 'y·exp(−x)', 'x^(1/3)')
    """
    text = _UnicodePrinter().doprint(expr)
    return text.replace("**", "^").replace("*", "·").replace("-", "−")


def number(value: float, digits: int = 10) -> str:
    """A value with ``digits`` significant digits and a true minus sign.

    >>> number(-0.19661193324148185), number(0.7310585786300049, 4)
    ('−0.1966119332', '0.7311')
    """
    return f"{value:.{digits}g}".replace("-", "−")


def columns(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells as text columns, each as wide as its widest cell, two spaces apart.

    >>> print(columns([["node", "op"], ["x", "input"]]))
    node  op
    x     input
    """
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)
