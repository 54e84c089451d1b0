"""Seed 004's vanishing gradients: σ′ ≤ 1/4, at x = 0, so n sigmoid layers pass back at most (1/4)ⁿ.

The derivation is symderiv's; the checks here are independent: mpmath finds the maximum of
σ′ numerically, and the chain's derivative is evaluated at random points with mpmath.
"""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy as sp

import symderiv as sd
from symderiv.models.vanishing import gradient_bound, gradient_through_layers, layered_sigmoid, sigmoid_slope_bound

x = sp.Symbol("x")
sigma = sd.sigmoid


def mp_slope(t):
    e = mpmath.exp(-t)
    return e / (1 + e) ** 2


def test_the_second_derivative_is_the_textbook_one():
    # σ″ = σ(1 − σ)(1 − 2σ), by differentiating σ(1 − σ) by hand.
    bound = sigmoid_slope_bound()
    assert bound.first.result == sigma(x) * (1 - sigma(x))
    sd.assert_equivalent(bound.second.result, sigma(x) * (1 - sigma(x)) * (1 - 2 * sigma(x)))
    sd.assert_derivative(bound.first.result, x, bound.second.result)


def test_the_slope_is_largest_at_0_where_it_is_one_quarter():
    bound = sigmoid_slope_bound()
    assert bound.at == 0
    assert bound.maximum == sp.Rational(1, 4)
    assert bound.admissible == (sp.Rational(1, 2),)


def test_mpmath_finds_the_same_maximum_numerically():
    with mpmath.workdps(30):
        # σ″ changes sign at its root; findroot from either side lands on 0.
        root = mpmath.findroot(lambda t: mpmath.diff(mp_slope, t), 0.7)
        assert abs(root) < mpmath.mpf(10) ** -20
        assert abs(mp_slope(root) - mpmath.mpf(1) / 4) < mpmath.mpf(10) ** -25
        grid = [mpmath.mpf(k) / 10 for k in range(-500, 501)]
        assert max(mp_slope(t) for t in grid) == mp_slope(0) == mpmath.mpf(1) / 4


def test_the_slope_rises_below_one_half_and_falls_above():
    bound = sigmoid_slope_bound()
    assert bound.rising == sp.Interval.open(0, sp.Rational(1, 2))
    assert bound.falling == sp.Interval.open(sp.Rational(1, 2), 1)
    # Spot checks in x: σ″(−1) > 0 > σ″(1).
    assert float(bound.second.result.subs(x, -1)) > 0 > float(bound.second.result.subs(x, 1))


def test_the_bound_is_a_quarter_to_the_n():
    assert [gradient_bound(n) for n in range(6)] == [1, sp.Rational(1, 4), sp.Rational(1, 16), sp.Rational(1, 64), sp.Rational(1, 256), sp.Rational(1, 1024)]
    assert gradient_bound(10) < 1e-6


def test_the_chain_derivative_is_the_product_of_w_times_slope_per_layer():
    expression, weights, biases = layered_sigmoid(3)
    d = gradient_through_layers(3)
    # By the chain rule written out: ∏ wₖ σ′(zₖ), zₖ = wₖ aₖ₋₁ + bₖ.
    product, activation = sp.Integer(1), x
    for w, b in zip(weights, biases):
        z = w * activation + b
        product *= w * sigma(z) * (1 - sigma(z))
        activation = sigma(z)
    assert activation == expression
    sd.assert_equivalent(d.result, product)


@pytest.mark.parametrize("layers", [1, 2, 3, 4])
def test_the_bound_holds_at_random_points_and_is_reached_when_every_z_is_0(layers):
    expression, weights, biases = layered_sigmoid(layers)
    derivative = gradient_through_layers(layers).result
    rng = random.Random(layers)
    for _ in range(20):
        values = {x: rng.uniform(-3, 3)}
        values.update({w: rng.uniform(-2, 2) for w in weights})
        values.update({b: rng.uniform(-2, 2) for b in biases})
        slope = abs(float(derivative.subs(values)))
        weight_product = 1.0
        for w in weights:
            weight_product *= abs(values[w])
        assert slope <= 0.25**layers * weight_product * (1 + 1e-12)
    # Every zₖ = 0: choose bₖ = −wₖ·aₖ₋₁ with aₖ₋₁ = 1/2 (and x = 0 for the first layer).
    values = {x: 0}
    previous = sp.Integer(0)
    for w, b in zip(weights, biases):
        values[w] = sp.Integer(1)
        values[b] = -previous
        previous = sp.Rational(1, 2)
    assert sp.nsimplify(derivative.subs(values)) == sp.Rational(1, 4) ** layers
