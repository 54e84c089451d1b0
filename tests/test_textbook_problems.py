"""Derivatives from a calculus textbook's exercises, each answer written out by hand.

Every problem checks three things: the result is the known answer (compared at random points
by SymPy's own evaluation, not by symderiv's checker), the named rule was used, and SymPy's
fallback was not needed.
"""

from __future__ import annotations

import pytest
import sympy as sp

import symderiv as sd
from conftest import same_function

x, y, a, b, w, z = sp.symbols("x y a b w z")
e, pi = sp.E, sp.pi
sigma = sd.sigmoid

# (problem, variable, answer from the textbook, a rule the derivation must use)
PROBLEMS = [
    # constants, identity, sums, constant multiples
    (sp.Integer(7), x, 0, "constant"),
    (x, x, 1, "identity"),
    (3 * x, x, 3, "constant_multiple"),
    (x + 5, x, 1, "sum"),
    (a * x + b, x, a, "constant_multiple"),
    (4 * x**3 - 2 * x + 1, x, 12 * x**2 - 2, "sum"),
    # powers and roots
    (x**5, x, 5 * x**4, "power"),
    (x**-3, x, -3 / x**4, "power"),
    (x ** sp.Rational(3, 2), x, sp.Rational(3, 2) * sp.sqrt(x), "power"),
    (sp.sqrt(x), x, 1 / (2 * sp.sqrt(x)), "sqrt"),
    (sp.cbrt(x), x, 1 / (3 * x ** sp.Rational(2, 3)), "root"),
    (sp.sqrt(1 + x**2), x, x / sp.sqrt(1 + x**2), "chain"),
    ((3 * x + 1) ** 4, x, 12 * (3 * x + 1) ** 3, "chain"),
    ((x**2 + 1) ** -1, x, -2 * x / (x**2 + 1) ** 2, "reciprocal"),
    (1 / x, x, -1 / x**2, "power"),
    # products and quotients
    (x * sp.exp(x), x, (x + 1) * sp.exp(x), "product"),
    (x**2 * sp.sin(x), x, 2 * x * sp.sin(x) + x**2 * sp.cos(x), "product"),
    (x * sp.log(x), x, sp.log(x) + 1, "product"),
    (sp.exp(x) * sp.cos(x), x, sp.exp(x) * (sp.cos(x) - sp.sin(x)), "product"),
    (x * sp.sin(x) * sp.exp(x), x, sp.sin(x) * sp.exp(x) + x * sp.cos(x) * sp.exp(x) + x * sp.sin(x) * sp.exp(x), "product"),
    (x / (1 + x), x, 1 / (1 + x) ** 2, "quotient"),
    ((x**2 - 1) / (x**2 + 1), x, 4 * x / (x**2 + 1) ** 2, "quotient"),
    (sp.sin(x) / x, x, (x * sp.cos(x) - sp.sin(x)) / x**2, "quotient"),
    (sp.exp(x) / (1 + sp.exp(x)), x, sp.exp(x) / (1 + sp.exp(x)) ** 2, "quotient"),
    (sp.log(x) / x, x, (1 - sp.log(x)) / x**2, "quotient"),
    # exponentials and logarithms
    (sp.exp(x), x, sp.exp(x), "exp"),
    (sp.exp(-x), x, -sp.exp(-x), "exp"),
    (sp.exp(x**2), x, 2 * x * sp.exp(x**2), "chain"),
    (2**x, x, 2**x * sp.log(2), "exponential"),
    (10 ** (3 * x), x, 3 * sp.log(10) * 10 ** (3 * x), "exponential"),
    (sp.log(x), x, 1 / x, "log"),
    (sp.log(3 * x), x, 1 / x, "log"),
    (sp.log(x**2 + 1), x, 2 * x / (x**2 + 1), "log"),
    (sp.log(sp.sin(x)), x, sp.cot(x), "log"),
    (sp.log(x, 2), x, 1 / (x * sp.log(2)), "log"),
    (x**x, x, x**x * (sp.log(x) + 1), "log_differentiation"),
    (x ** sp.sin(x), x, x ** sp.sin(x) * (sp.cos(x) * sp.log(x) + sp.sin(x) / x), "log_differentiation"),
    # trigonometric
    (sp.sin(x), x, sp.cos(x), "sin"),
    (sp.cos(x), x, -sp.sin(x), "cos"),
    (sp.tan(x), x, 1 / sp.cos(x) ** 2, "tan"),
    (sp.cot(x), x, -1 / sp.sin(x) ** 2, "cot"),
    (sp.sec(x), x, sp.sec(x) * sp.tan(x), "sec"),
    (sp.csc(x), x, -sp.csc(x) * sp.cot(x), "csc"),
    (sp.sin(3 * x), x, 3 * sp.cos(3 * x), "chain"),
    (sp.cos(x) ** 2, x, -2 * sp.sin(x) * sp.cos(x), "power"),
    (sp.sin(x**2), x, 2 * x * sp.cos(x**2), "sin"),
    # inverse trigonometric
    (sp.asin(x), x, 1 / sp.sqrt(1 - x**2), "asin"),
    (sp.acos(x), x, -1 / sp.sqrt(1 - x**2), "acos"),
    (sp.atan(x), x, 1 / (1 + x**2), "atan"),
    (sp.acot(x), x, -1 / (1 + x**2), "acot"),
    (sp.atan(2 * x), x, 2 / (1 + 4 * x**2), "atan"),
    (sp.asec(x + 2), x, 1 / ((x + 2) ** 2 * sp.sqrt(1 - 1 / (x + 2) ** 2)), "asec"),
    (sp.acsc(x + 2), x, -1 / ((x + 2) ** 2 * sp.sqrt(1 - 1 / (x + 2) ** 2)), "acsc"),
    # hyperbolic and inverse hyperbolic
    (sp.sinh(x), x, sp.cosh(x), "sinh"),
    (sp.cosh(x), x, sp.sinh(x), "cosh"),
    (sp.tanh(x), x, 1 - sp.tanh(x) ** 2, "tanh"),
    (sp.coth(x), x, 1 - sp.coth(x) ** 2, "coth"),
    (sp.sech(x), x, -sp.sech(x) * sp.tanh(x), "sech"),
    (sp.csch(x), x, -sp.csch(x) * sp.coth(x), "csch"),
    (sp.asinh(x), x, 1 / sp.sqrt(x**2 + 1), "asinh"),
    # SymPy's own derivative, 1/(√(x+1)·√(x+3)): for x + 2 < −1 the principal branch is not 1/√((x+2)² − 1)
    (sp.acosh(x + 2), x, 1 / (sp.sqrt(x + 1) * sp.sqrt(x + 3)), "acosh"),
    # away from 0 the sign is flat: d/dx sign(x)·x² = 2x·sign(x) = 2|x|
    (sp.sign(x) * x**2, x, 2 * sp.Abs(x), "sign"),
    # between the jumps floor and ceiling are flat: d/dx x·⌊x⌋ = ⌊x⌋, d/dx ⌈x²⌉ + x = 1
    (x * sp.floor(x), x, sp.floor(x), "floor"),
    (sp.ceiling(x**2) + x, x, sp.Integer(1), "ceiling"),
    (sp.atanh(x / 2), x, 2 / (4 - x**2), "atanh"),
    (sp.acoth(x + 2), x, 1 / (1 - (x + 2) ** 2), "acoth"),
    (sp.tanh(2 * x), x, 2 * (1 - sp.tanh(2 * x) ** 2), "tanh"),
    # absolute value, steps, pieces
    (sp.Abs(x), x, sp.sign(x), "abs"),
    (sp.Abs(x**2 - 4), x, 2 * x * sp.sign(x**2 - 4), "abs"),
    (sp.Heaviside(x - 5), x, 0, "heaviside"),
    (sp.Piecewise((x**2, x > 1), (2 * x, True)), x, sp.Piecewise((2 * x, x > 1), (2, True)), "piecewise"),
    (sp.Max(0, x), x, sp.Heaviside(x), "max"),
    (sp.Min(x, x**2), x, sp.Piecewise((1, x < x**2), (2 * x, True)), "min"),
    # machine learning
    (sigma(x), x, sigma(x) * (1 - sigma(x)), "sigmoid"),
    (sigma(2 * x + 1), x, 2 * sigma(2 * x + 1) * (1 - sigma(2 * x + 1)), "sigmoid"),
    (1 / (1 + sp.exp(-x)), x, sp.exp(-x) / (1 + sp.exp(-x)) ** 2, "reciprocal"),
    (sigma(x) ** 2, x, 2 * sigma(x) ** 2 * (1 - sigma(x)), "sigmoid"),
    (sd.softplus(x), x, sigma(x), "softplus"),
    (sp.log(1 + sp.exp(x)), x, sp.exp(x) / (1 + sp.exp(x)), "log"),
    (sd.relu(x), x, sp.Heaviside(x, 0), "relu"),
    (sd.relu(3 * x - 1), x, 3 * sp.Heaviside(3 * x - 1, 0), "relu"),
    (sd.logistic_loss(z, y), z, sigma(z) - y, "log"),
    (sd.logistic_loss(w * x + b, y), w, x * (sigma(w * x + b) - y), "chain"),
    (sd.logistic_loss(w * x + b, y), b, sigma(w * x + b) - y, "chain"),
    ((sigma(w * x + b) - y) ** 2 / 2, w, (sigma(w * x + b) - y) * sigma(w * x + b) * (1 - sigma(w * x + b)) * x, "power"),
    # partial derivatives: the other symbols are constants
    (x**2 * y**3, y, 3 * x**2 * y**2, "constant_multiple"),
    (sp.exp(a * x) * sp.sin(b * x), a, x * sp.exp(a * x) * sp.sin(b * x), "constant_multiple"),
    (x * y + sp.log(y), x, y, "constant"),
]


@pytest.mark.parametrize(
    ("problem", "variable", "answer", "rule"),
    PROBLEMS,
    ids=[f"d/d{v} {p}" for p, v, _, _ in PROBLEMS],
)
def test_textbook_problem(problem, variable, answer, rule):
    derivation = sd.derive(problem, variable)
    symbols = sorted(problem.free_symbols | {variable}, key=lambda s: s.name)
    assert same_function(derivation.result, sp.sympify(answer), symbols)
    assert rule in derivation.all_rules
    assert derivation.fallback_count == 0


def test_there_are_at_least_sixty_problems():
    assert len(PROBLEMS) >= 60


def test_every_differentiation_rule_is_exercised_by_a_problem():
    used = set()
    for problem, variable, _, _ in PROBLEMS:
        used.update(sd.derive(problem, variable).all_rules)
    differentiation = {i for i, info in sd.RULES.items() if info.kind == "differentiation"}
    assert differentiation - used == {"sympy"}


def test_the_fallback_is_used_only_where_no_rule_exists():
    derivation = sd.derive(sp.gamma(x) + sp.erf(x), x)
    assert derivation.fallback_count == 2
    assert same_function(derivation.result, sp.gamma(x) * sp.polygamma(0, x) + 2 * sp.exp(-x**2) / sp.sqrt(sp.pi), [x])


def test_partial_derivative_steps_name_the_constants():
    derivation = sd.derive(x**2 * y**3, y)
    multiple = next(step for step in derivation.steps if step.rule == "constant_multiple")
    assert multiple.detail["constants"] == (x,)
