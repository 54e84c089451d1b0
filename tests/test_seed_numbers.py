"""Seed 002's PyTorch numbers, reproduced from symderiv's symbolic results and, when torch is
installed, from torch itself, the way the seed computed them (float32 tensors, autograd).

The numbers are the seed's printed tensors, to the four decimals it printed.
"""

from __future__ import annotations

import pytest
import sympy as sp

import symderiv as sd

x = sp.Symbol("x")
xs = sp.symbols("x1:4")
sigma = sd.sigmoid

# Seed 002, as printed.
SIGMA_1 = 0.7311
SLOPE_1 = 0.1966
SUM_AT_123 = 2.5644
SIGMAS_AT_123 = [0.7311, 0.8808, 0.9526]
GRADIENT_AT_123 = [0.1966, 0.1050, 0.0452]
SQUARE_AT_2 = 0.7758
SQUARE_SLOPE_AT_2 = 0.1850


def four_decimals(value) -> float:
    return round(float(value), 4)


# --- From symderiv's symbolic results ---------------------------------------------------------

def test_sigma_of_1():
    assert four_decimals(sigma(1).evalf(30)) == SIGMA_1


def test_sigma_slope_at_1_from_the_derivation():
    d = sd.derive(sigma(x), x)
    assert d.result == sigma(x) * (1 - sigma(x))
    assert four_decimals(d.result.subs(x, 1).evalf(30)) == SLOPE_1


def test_sum_of_sigmas_and_its_gradient_at_1_2_3():
    y = sum(sigma(xi) for xi in xs)
    point = dict(zip(xs, [1, 2, 3]))
    assert four_decimals(y.subs(point).evalf(30)) == SUM_AT_123
    assert [four_decimals(sigma(v).evalf(30)) for v in (1, 2, 3)] == SIGMAS_AT_123
    gradient = [sd.derive(y, xi).result for xi in xs]
    # Seed 002: ∂y/∂xᵢ = 1·σ′(xᵢ) = σ(xᵢ)(1 − σ(xᵢ)).
    assert gradient == [sigma(xi) * (1 - sigma(xi)) for xi in xs]
    assert [four_decimals(g.subs(point).evalf(30)) for g in gradient] == GRADIENT_AT_123
    sd.assert_gradient(y, list(xs), [sigma(xi) * (1 - sigma(xi)) for xi in xs])


def test_sigma_squared_and_its_slope_at_2():
    d = sd.derive(sigma(x) ** 2, x)
    # Seed 002: y′ = 2σ(x)·σ(x)(1 − σ(x)).
    sd.assert_derivative(sigma(x) ** 2, x, 2 * sigma(x) * (sigma(x) * (1 - sigma(x))))
    assert four_decimals((sigma(x) ** 2).subs(x, 2).evalf(30)) == SQUARE_AT_2
    assert four_decimals(d.result.subs(x, 2).evalf(30)) == SQUARE_SLOPE_AT_2


def test_the_generated_numpy_code_gives_the_same_numbers():
    np = pytest.importorskip("numpy")
    slope = sd.derive(sigma(x), x).to_function()
    assert [four_decimals(v) for v in slope(np.array([1.0, 2.0, 3.0]))] == GRADIENT_AT_123
    square_slope = sd.derive(sigma(x) ** 2, x).to_function(backend="math")
    assert four_decimals(square_slope(2.0)) == SQUARE_SLOPE_AT_2


# --- From torch, as the seed ran it -------------------------------------------------------------

@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def test_torch_sigma_of_1_and_its_gradient(torch):
    t = torch.tensor(1.0, requires_grad=True)
    y = t.sigmoid()
    y.backward()
    assert four_decimals(y.item()) == SIGMA_1
    assert four_decimals(t.grad.item()) == SLOPE_1
    symbolic = float(sd.derive(sigma(x), x).result.subs(x, 1).evalf(30))
    assert t.grad.item() == pytest.approx(symbolic, abs=1e-7)  # float32


def test_torch_gradient_of_the_sum_at_1_2_3(torch):
    t = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = t.sigmoid().sum()
    y.backward()
    assert four_decimals(y.item()) == SUM_AT_123
    assert [four_decimals(v) for v in t.grad.tolist()] == GRADIENT_AT_123
    y_symbolic = sum(sigma(xi) for xi in xs)
    point = dict(zip(xs, [1, 2, 3]))
    symbolic = [float(sd.derive(y_symbolic, xi).result.subs(point).evalf(30)) for xi in xs]
    assert t.grad.tolist() == pytest.approx(symbolic, abs=1e-7)


def test_torch_slope_of_sigma_squared_at_2(torch):
    t = torch.tensor(2.0, requires_grad=True)
    y = t.sigmoid() * t.sigmoid()
    y.backward()
    assert four_decimals(y.item()) == SQUARE_AT_2
    assert four_decimals(t.grad.item()) == SQUARE_SLOPE_AT_2
    symbolic = float(sd.derive(sigma(x) ** 2, x).result.subs(x, 2).evalf(30))
    assert t.grad.item() == pytest.approx(symbolic, abs=1e-7)


def test_torch_in_float64_agrees_with_symderiv_to_rounding(torch):
    # numeric_check runs torch.autograd through symderiv's generated torch code, in float64.
    report = sd.numeric_check(sigma(x) ** 2, x, 2 * sigma(x) ** 2 * (1 - sigma(x)), at=[1, 2, 3], against=["torch"])
    assert report.max_error["torch"] < 1e-15
    assert four_decimals(report.points[1].autograd) == SQUARE_SLOPE_AT_2
