"""Exact proofs of differences with radicals (symderiv.proof.radicals), bounded where SymPy's
cancel and expand are not: √(1 + (1 + e⁻ˣ)⁻²) made one step's proof run for minutes."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

import symderiv as sd
from symderiv.core.steps import Step
from symderiv.errors import StepCheckError
from symderiv.proof.check import check_step
from symderiv.proof.radicals import vanishes

x, y = sp.symbols("x y")
U = 1 + (1 + sp.exp(-x)) ** -2

#: Differences that are 0, each with its reason (checked by SymPy's simplify below).
ZERO = [
    sp.sqrt(U) * U ** sp.Rational(-3, 2) - 1 / U,  # √u · u^(−3/2) = 1/u
    sp.sqrt(x**2 + 1) ** 3 - (x**2 + 1) * sp.sqrt(x**2 + 1),
    1 / (sp.sqrt(x) + 1) - (sp.sqrt(x) - 1) / (x - 1),  # rationalised denominator
    sp.cbrt(sp.sin(x)) ** 2 * sp.cbrt(sp.sin(x)) - sp.sin(x),
    # the Pythagorean relations, sin² + cos² = 1 and cosh² − sinh² = 1
    sp.tan(x) ** 2 + 1 - sp.sec(x) ** 2,
    (sp.cos(x) - sp.sin(x) * sp.tan(x)) - sp.cos(2 * x) / sp.cos(x) + (sp.cos(2 * x) - sp.cos(x) ** 2 + sp.sin(x) ** 2) / sp.cos(x),
    (-(sp.sin(x) + 1) * sp.sin(x) - sp.cos(x) ** 2) / (sp.sin(x) + 1) ** 2 + 1 / (sp.sin(x) + 1),
    sp.cot(x**2) ** 2 + 1 - 1 / sp.sin(x**2) ** 2,
    sp.tanh(y) ** 2 + sp.sech(y) ** 2 - 1,
    sp.sqrt(1 - sp.sin(x) ** 2) ** 2 - sp.cos(x) ** 2,
]
#: Differences that are not 0 anywhere near 1.
NONZERO = [
    sp.sqrt(U) - 1,
    sp.sqrt(x**2 + 1) - x - 1,
    1 / (sp.sqrt(x) + 1) - (sp.sqrt(x) + 1) / (x - 1),
    sp.sqrt(x) * sp.sqrt(y) - sp.sqrt(x * y) + 1,
    sp.sin(x) ** 2 - sp.cos(x) ** 2,
    sp.tan(x) ** 2 - 1 - sp.sec(x) ** 2,
    sp.cosh(x) ** 2 + sp.sinh(x) ** 2 - 1,
    sp.sin(x) ** 2 + sp.cos(y) ** 2 - 1,  # two arguments: no relation between them
]


@pytest.mark.parametrize("difference", ZERO, ids=str)
def test_a_difference_that_is_zero_is_proven_zero(difference):
    assert sp.simplify(difference) == 0  # the known answer, from SymPy
    assert vanishes(difference)


@pytest.mark.parametrize("difference", NONZERO, ids=str)
def test_a_difference_that_is_not_zero_is_never_called_zero(difference):
    at = {s: mpmath.mpf("1.37") + i for i, s in enumerate(sorted(difference.free_symbols, key=str))}
    assert abs(sp.N(difference.subs(at), 30)) > 1e-10  # not zero, by the numbers
    assert not vanishes(difference)


def test_the_reciprocal_of_a_nested_radical_is_derived_and_proven():
    # its first step's exact proof ran past 60 s inside SymPy's cancel; now the radicals'
    # relations prove it (a timeout here would raise LimitError)
    f = 1 / (sp.sqrt(U) * (1 + sp.exp(-x)))
    d = sd.derive(f, x, target_form=False, timeout=60)
    assert d.report is not None and len(d.report.proofs) == len(d.steps)
    assert sp.simplify(d.result - sp.diff(f, x)) == 0


def test_a_wrong_step_with_radicals_is_still_refused():
    wrong = Step("power", sp.Derivative(sp.sqrt(U), x), sp.diff(sp.sqrt(U), x) * (1 + sp.Rational(1, 10**20)))
    with pytest.raises(StepCheckError):
        check_step(wrong)
