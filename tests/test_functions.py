"""σ, softplus and ReLU as SymPy functions, checked against mpmath and their definitions."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

import symderiv as sd

x = sp.Symbol("x")
r = sp.Symbol("r", real=True)
sigma = sd.sigmoid


def test_sigma_of_zero_is_one_half():
    assert sigma(0) == sp.Rational(1, 2)


def test_sigma_tends_to_zero_and_one():
    assert sp.limit(sigma(x), x, -sp.oo) == 0
    assert sp.limit(sigma(x), x, sp.oo) == 1
    assert sigma(-sp.oo) == 0 and sigma(sp.oo) == 1


def test_sigma_of_one_matches_seed_002_and_mpmath():
    assert f"{float(sigma(1).evalf()):.4f}" == "0.7311"  # seed 002: tensor(0.7311)
    assert str(sp.N(sigma(1), 15)) == "0.731058578630005"
    with mpmath.workdps(60):
        exact = 1 / (1 + mpmath.exp(-1))
        assert abs(mpmath.mpf(str(sigma(1).evalf(50))) - exact) < mpmath.mpf(10) ** -48


def test_sigma_on_seed_004_inputs():
    values = [float(sigma(v).evalf()) for v in (1, -2, 3, -4)]
    assert [round(v, 4) for v in values] == [0.7311, 0.1192, 0.9526, 0.0180]


def test_sigma_derivative_is_sigma_times_one_minus_sigma():
    assert sigma(x).diff(x) == sigma(x) * (1 - sigma(x))


def test_sigma_rewrites_as_exp_and_tanh():
    assert sigma(x).rewrite(sp.exp) == 1 / (1 + sp.exp(-x))
    assert sp.simplify(sigma(x).rewrite(sp.tanh).rewrite(sp.exp) - 1 / (1 + sp.exp(-x))) == 0


def test_sigma_is_real_positive_and_finite_for_real_arguments():
    assert sigma(r).is_real and sigma(r).is_positive and sigma(r).is_finite
    assert sigma(x).is_real is None


def test_sigma_prints_as_sigma_in_latex_and_pretty():
    assert sp.latex(sigma(x)) == r"\sigma\left(x\right)"
    assert sp.pretty(sigma(x), use_unicode=True) == "σ(x)"


def test_softplus_derivative_is_sigma_and_value_matches_log():
    assert sd.softplus(x).diff(x) == sigma(x)
    assert abs(float(sd.softplus(2).evalf()) - float(mpmath.log(1 + mpmath.exp(2)))) < 1e-15


def test_relu_derivative_is_a_step_that_passes_nothing_at_zero():
    assert sd.relu(x).diff(x) == sp.Heaviside(x, 0)
    assert sp.Heaviside(0, 0) == 0
    assert sd.relu(-2) == 0 and sd.relu(3) == 3


def test_binary_cross_entropy_is_the_textbook_formula():
    a, y = sp.symbols("a y")
    assert sd.binary_cross_entropy(a, y) == -(y * sp.log(a) + (1 - y) * sp.log(1 - a))


def test_binary_cross_entropy_reads_text_with_the_safe_parser_only():
    a, y = sp.symbols("a y")
    assert sd.binary_cross_entropy("a", "y") == sd.binary_cross_entropy(a, y)
    with pytest.raises(sd.ParseError):
        sd.binary_cross_entropy("__import__('os').getcwd()", "y")
