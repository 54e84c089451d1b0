"""A product in SymPy's two-dimensional pretty form, without loading ``sympy.physics``.

SymPy's ``PrettyPrinter._print_Mul`` begins with ``from sympy.physics.units import Quantity``,
only to put physical quantities after the other factors. That import builds the whole SI
system and costs about 0.2 s of processor time the first time a product is printed, more than
the rest of a ``symderiv derive`` for x². :func:`pretty_product` does what SymPy does (same
forms, same order, numerator over denominator) and looks quantities up only when
``sympy.physics.units`` is already loaded: a product holding a ``Quantity`` can only exist once
it is. ``tests/test_render_text.py`` compares it with SymPy's own printer.

>>> import sympy as sp
>>> from sympy.printing.pretty.pretty import PrettyPrinter
>>> x, y = sp.symbols("x y")
>>> printer = PrettyPrinter({"use_unicode": True, "order": "none"})
>>> pretty_product(printer, list((2 * x / y).args)).picture
['2⋅x', '───', ' y ']
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import sympy as sp
from sympy.printing.pretty.stringpict import prettyForm

__all__ = ["pretty_product"]


def _quantities_last(factors: list[sp.Basic]) -> list[sp.Basic]:
    """The factors with SymPy's physical quantities (and their powers) moved last, as SymPy's
    printer orders them; unchanged when ``sympy.physics.units`` was never loaded."""
    units = sys.modules.get("sympy.physics.units")
    quantity = getattr(units, "Quantity", None)
    if quantity is None:
        return factors
    return sorted(factors, key=lambda f: isinstance(f, quantity) or (isinstance(f, sp.Pow) and isinstance(f.base, quantity)))


def pretty_product(printer: Any, factors: Sequence[sp.Basic]) -> prettyForm:
    """The product of ``factors``, in their order, as SymPy's ``PrettyPrinter`` draws the
    unevaluated ``Mul(*factors)`` with ``order="none"``: written as given when it starts with 1
    or holds a number after its first factor, else numerator over denominator."""
    factors = list(factors)
    if factors[0] is sp.S.One or any(isinstance(f, sp.Number) for f in factors[1:]):
        forms = [printer._print(f) for f in factors]
        negative_one = forms[0] == "-1"  # prettyForm.__mul__ would absorb a leading -1
        if negative_one:
            forms[0] = prettyForm("1", 0, 0)
        form = prettyForm.__mul__(*forms)
        return prettyForm("-" + form.s, form.baseline, form.binding) if negative_one else form
    above: list[sp.Basic] = []
    below: list[sp.Basic] = []
    for item in _quantities_last(factors):
        if item.is_commutative and item.is_Pow and item.exp.is_Rational and item.exp.is_negative:
            below.append(sp.Pow(item.base, -item.exp, evaluate=False) if item.exp != -1 else sp.Pow(item.base, -item.exp))
        elif item.is_Rational and item is not sp.S.Infinity:
            if item.p != 1:
                above.append(sp.Rational(item.p))
            if item.q != 1:
                below.append(sp.Rational(item.q))
        else:
            above.append(item)
    top = [printer._print(a) for a in above]
    if not below:
        return prettyForm.__mul__(*top)
    top = top or [printer._print(sp.S.One)]
    return prettyForm.__mul__(*top) / prettyForm.__mul__(*[printer._print(b) for b in below])
