"""Expressions whose printed forms the parsers must read back exactly (round-trip corpus).

``BOTH`` round-trips through ``str`` and through ``sp.latex``; ``TEXT_ONLY`` through ``str``
alone (LaTeX prints them ambiguously: ``a2`` and ``a_2`` both as ``a_{2}``, ``xy`` as x·y,
``Heaviside`` as ``\\theta``); ``LATEX_ONLY`` through ``sp.latex`` alone (names with a layer
index, ``theta^(2)_12``, have no text spelling).
"""

from __future__ import annotations

import sympy as sp

from symderiv.core.functions import relu, sigmoid, softplus
from symderiv.models.losses import binary_cross_entropy, logistic_loss

x, y, z, w, b, a, t, m, n = sp.symbols("x y z w b a t m n")
x1, x2, theta0, theta1, theta2, theta12 = sp.symbols("x_1 x_2 theta_0 theta_1 theta_2 theta_12")
alpha, beta, lam, sigma, Theta, W_ij, eps = sp.symbols("alpha beta lambda sigma Theta W_ij epsilon")
half = sp.Rational(1, 2)

BOTH: list[sp.Expr] = [
    # numbers
    sp.Integer(0), sp.Integer(7), sp.Integer(-3), half, sp.Rational(-7, 3),
    sp.Integer(12345678901234567890), sp.Float("0.5"), sp.Float("2.75") * x, sp.Float("1.5e-20"),
    sp.Float("1e20"), sp.E, sp.pi, 2 * sp.pi * x, sp.sqrt(2), sp.sqrt(2) * x, sp.E * x,
    # polynomials and rational functions
    x, -x, x**2, x**3 + 2 * x - 1, (x + 1) ** 2, x * (x + 1), x / 2, 3 * x / 4, -3 * x / 4,
    x - y, x * y, 2 * x * y, x**2 * y**3, (x - y) ** 2 / 2, 1 / x, x**-2, 1 / (x + 1),
    (x + 1) / (x - 1), x / (2 * y), x**y, 2**x, x**x, x ** (2 * y), (x**2 + 1) ** 3,
    # roots
    sp.sqrt(x), 1 / sp.sqrt(x), x ** sp.Rational(1, 3), (x + 1) ** sp.Rational(1, 3),
    x ** sp.Rational(3, 2), x ** sp.Rational(-3, 2), sp.sqrt(x**2 + 1), sp.sqrt(1 - x**2),
    # exp and log
    sp.exp(x), sp.exp(-x), sp.exp(-(x**2)), sp.exp(x * y), sp.exp(2 * x), sp.exp(x) / (1 + sp.exp(x)),
    1 / (1 + sp.exp(-x)), sp.log(x), sp.log(x + 1), sp.log(x) / sp.log(2), sp.log(1 + sp.exp(x)),
    x * sp.log(x), sp.log(sp.log(x)), sp.exp(sp.sin(x)), sp.log(x) ** 2, sp.exp(x) ** 2 + 1,
    # trigonometric and hyperbolic
    sp.sin(x), sp.cos(x) ** 2, sp.sin(x) ** 2 + sp.cos(x) ** 2, sp.tan(x), sp.cot(x), sp.sec(x),
    sp.csc(x), sp.sin(2 * x), sp.sin(x) * sp.cos(y), sp.sin(x) / x, sp.asin(x), sp.acos(x),
    sp.atan(x), sp.acot(x), sp.asec(x), sp.acsc(x), sp.atan(1 / x), sp.sinh(x), sp.cosh(x),
    sp.tanh(x), sp.coth(x), sp.sech(x), sp.csch(x), sp.asinh(x), sp.acosh(x), sp.atanh(x),
    sp.acoth(x), sp.asech(x), sp.acsch(x), sp.tanh(w * x + b), 1 - sp.tanh(x) ** 2,
    # the functions of machine learning
    sigmoid(x), sigmoid(x) * (1 - sigmoid(x)), sigmoid(w * x + b), sigmoid(z) - y,
    x * (sigmoid(w * x + b) - y), logistic_loss(z, y), binary_cross_entropy(a, y),
    sp.log(sigmoid(z)), sp.log(1 - sigmoid(z)), sigmoid(sigmoid(x)), sigmoid(x) ** 2,
    sigmoid(x1 * theta1 + x2 * theta2 + theta0), (a - y) * a * (1 - a), softplus(x),
    softplus(w * x + b), softplus(-x), softplus(x) ** 3, relu(x), relu(w * x + b), relu(x) ** 2,
    relu(sigmoid(x) - a), sp.Abs(x), sp.Abs(x - y), sp.Max(0, x), sp.Min(x, y), sp.sign(x),
    sp.factorial(n), sp.factorial(n + 1), sp.exp(sp.re(x)), sp.im(x),
    # names
    x1, theta12, alpha, beta * x, lam * w**2 / 2, sigma, sigma**2, Theta, W_ij, eps * x1,
    theta1 * x1 + theta2 * x2, -(alpha**2),
]

TEXT_ONLY: list[sp.Expr] = [
    sp.Symbol("a2"), sp.Symbol("lr") * x, sp.Symbol("xy") + x, sp.Heaviside(x, 0), sp.Heaviside(x),
    sp.I * x, sp.Symbol("theta_1_2"), sp.exp(sp.I * x),
]

LATEX_ONLY: list[sp.Expr] = [
    sp.Symbol("theta^(2)_12"), sp.Symbol("a^(2)") ** 2, sp.Symbol("W_i,j") * x,
    sp.Symbol("a^(3)") - y, sp.Symbol("y^(i)_k") * sp.log(sp.Symbol("a^(3)_k")),
]
