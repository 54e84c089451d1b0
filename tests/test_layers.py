"""Seed 003's layers: forward values, backward passes against finite differences, seed 004's numbers."""

from __future__ import annotations

import warnings

import mpmath
import pytest
import sympy as sp

import symderiv as sd
from symderiv.models.layers import AddLayer, MulLayer, Relu, Sigmoid, local_gradients

np = pytest.importorskip("numpy")

RNG = np.random.default_rng(20240501)


def numerical_gradient(loss, array, eps=1e-6):
    """Central differences of the scalar ``loss()`` in each entry of ``array`` (changed in place)."""
    gradient = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        kept = array[index]
        array[index] = kept + eps
        above = loss()
        array[index] = kept - eps
        below = loss()
        array[index] = kept
        gradient[index] = (above - below) / (2 * eps)
    return gradient


def test_seed_004_sigmoid_layer_on_1_minus2_3_minus4():
    # Seed 004 prints array([0.73105858, 0.11920292, 0.95257413, 0.01798621]).
    out = Sigmoid().forward(np.array([1, -2, 3, -4]))
    assert out == pytest.approx([0.73105858, 0.11920292, 0.95257413, 0.01798621], abs=5e-9)


def test_sigmoid_backward_is_dout_times_y_times_one_minus_y():
    layer = Sigmoid()
    x = np.array([1.0, -2.0, 3.0, -4.0])
    layer.forward(x)
    dout = np.array([1.0, 2.0, -0.5, 3.0])
    expected = [float(d * mpmath.exp(-t) / (1 + mpmath.exp(-t)) ** 2) for d, t in zip(dout, x)]
    assert layer.backward(dout) == pytest.approx(expected, rel=1e-14)


@pytest.mark.parametrize("layer_class", [MulLayer, AddLayer])
def test_two_input_layers_backward_matches_finite_differences(layer_class):
    x, y = RNG.normal(size=(2, 3)), RNG.normal(size=(2, 3))
    dout = RNG.normal(size=(2, 3))
    layer = layer_class()
    layer.forward(x, y)
    dx, dy = layer.backward(dout)

    def loss():
        return float(np.sum(dout * layer_class().forward(x, y)))

    assert dx == pytest.approx(numerical_gradient(loss, x), abs=1e-7)
    assert dy == pytest.approx(numerical_gradient(loss, y), abs=1e-7)


@pytest.mark.parametrize("layer_class", [Relu, Sigmoid])
def test_one_input_layers_backward_matches_finite_differences(layer_class):
    x = RNG.normal(size=(4, 5)) * 3
    x[np.abs(x) < 0.01] = 0.5  # keep away from ReLU's corner, where no derivative exists
    dout = RNG.normal(size=(4, 5))
    layer = layer_class()
    layer.forward(x)
    dx = layer.backward(dout)

    def loss():
        return float(np.sum(dout * layer_class().forward(x)))

    assert dx == pytest.approx(numerical_gradient(loss, x), abs=1e-7)


def test_the_buy_apples_example_by_hand():
    # 2 apples at 100 with 10 % tax: price 220; d price / d apple = 2·1.1, / d count = 100·1.1,
    # / d tax = 200.
    apples, tax = MulLayer(), MulLayer()
    price = tax.forward(apples.forward(100.0, 2.0), 1.1)
    assert price == pytest.approx(220.0)
    dsubtotal, dtax = tax.backward(1.0)
    dapple, dcount = apples.backward(dsubtotal)
    assert (dapple, dcount, dtax) == pytest.approx((2.2, 110.0, 200.0))


def test_relu_passes_nothing_back_where_x_is_zero_or_below():
    layer = Relu()
    assert list(layer.forward(np.array([-1.0, 0.0, 2.0]))) == [0.0, 0.0, 2.0]
    assert list(layer.mask) == [True, True, False]
    assert list(layer.backward(np.array([5.0, 5.0, 5.0]))) == [0.0, 0.0, 5.0]


def test_no_layer_changes_the_arrays_it_is_given():
    x = np.array([-1.0, 0.0, 2.0])
    dout = np.array([5.0, 5.0, 5.0])
    layer = Relu()
    layer.forward(x)
    layer.backward(dout)
    assert list(x) == [-1.0, 0.0, 2.0] and list(dout) == [5.0, 5.0, 5.0]


def test_sigmoid_layer_is_finite_and_silent_at_plus_minus_1000():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer = Sigmoid()
        out = layer.forward(np.array([-1000.0, 1000.0]))
        dx = layer.backward(np.ones(2))
    assert list(out) == [0.0, 1.0] and list(dx) == [0.0, 0.0]


def test_the_local_derivatives_are_the_textbook_ones():
    x, y = sp.symbols("x y")
    assert [g.formula for g in local_gradients("MulLayer")] == [y, x]
    assert [g.formula for g in local_gradients("AddLayer")] == [1, 1]
    assert local_gradients("Relu")[0].formula == sp.Heaviside(x, 0)
    # Seed 003: ∂y/∂x = (1 − y)·y.
    assert local_gradients("Sigmoid")[0].formula == (1 - y) * y


def test_the_local_derivatives_come_from_proven_derivations():
    for layer in ("MulLayer", "AddLayer", "Relu", "Sigmoid"):
        for gradient in local_gradients(layer):
            assert gradient.derivation.report is not None
            assert gradient.derivation.steps[0].before == sp.Derivative(gradient.derivation.expr, gradient.wrt)


def test_layers_chained_give_the_gradient_of_sigmoid_of_w_x_plus_b():
    # z = w·x + b, a = σ(z): ∂a/∂w = x·σ(z)(1 − σ(z)), computed here with mpmath.
    w, x, b = 0.7, np.array([1.5, -2.0]), -0.3
    multiply, add, sigmoid = MulLayer(), AddLayer(), Sigmoid()
    sigmoid.forward(add.forward(multiply.forward(w, x), b))
    dwx, _ = add.backward(sigmoid.backward(np.ones(2)))
    dw, _ = multiply.backward(dwx)
    expected = []
    for xi in x:
        z = mpmath.mpf(w) * mpmath.mpf(float(xi)) + mpmath.mpf(b)
        s = 1 / (1 + mpmath.exp(-z))
        expected.append(float(xi * s * (1 - s)))
    assert dw == pytest.approx(expected, rel=1e-13)


def test_an_unknown_layer_is_refused():
    with pytest.raises(sd.SymderivError, match="no layer called 'Tanh'"):
        local_gradients("Tanh")
