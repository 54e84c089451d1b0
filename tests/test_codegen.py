"""Code from derivations: stable over z in [−1000, 1000], checked against mpmath at 50 digits.

The reference values are the textbook formulas evaluated by mpmath with enough working
precision (60 + 0.45·|z| digits) that their 50 leading digits are right even where the
formulas cancel, so they come from outside the code under test. The error measure is the
relative error with a floor at the smallest normal float64, 2.2e-308: below that, float64
itself holds fewer digits.
"""

from __future__ import annotations

import math
import warnings

import mpmath
import pytest
import sympy as sp

import symderiv as sd
from symderiv.codegen import (
    CodegenError,
    LogisticLossOnLogits,
    SigmoidPlus,
    lambdify,
    source,
    stable_form,
)

np = pytest.importorskip("numpy")

z, y = sp.symbols("z y")
sigma = sd.sigmoid
SMALLEST_NORMAL = 2.2250738585072014e-308
MAX_RELATIVE_ERROR = 1e-12

# The grid: every 5 from −1000 to 1000, every 0.25 on [−50, 50], and the places where the
# textbook forms break: |z| = 37 (σ rounds to 1), 40, 709.8 (e^z overflows past it), 745.2
# (e^−z underflows to 0).
Z = np.unique(
    np.concatenate(
        [
            np.linspace(-1000, 1000, 401),
            np.linspace(-50, 50, 401),
            [-745.2, -709.8, -40.0, -37.0, 0.0, 37.0, 40.0, 709.8, 745.2, 1e-300, -1e-300],
        ]
    )
)


def mp_sigma(t):
    return 1 / (1 + mpmath.exp(-t))


# name: (the formula as symderiv writes it, its textbook value in mpmath, the labels y tried)
CASES = {
    "sigmoid": (sigma(z), lambda t, yy: mp_sigma(t), [0]),
    "sigmoid written out": (1 / (1 + sp.exp(-z)), lambda t, yy: mp_sigma(t), [0]),
    "sigmoid derivative": (sigma(z) * (1 - sigma(z)), lambda t, yy: mp_sigma(t) * (1 - mp_sigma(t)), [0]),
    "sigmoid derivative written out": (
        sp.exp(-z) / (1 + sp.exp(-z)) ** 2,
        lambda t, yy: mp_sigma(t) * (1 - mp_sigma(t)),
        [0],
    ),
    "log sigmoid": (sp.log(sigma(z)), lambda t, yy: mpmath.log(mp_sigma(t)), [0]),
    "log one minus sigmoid": (sp.log(1 - sigma(z)), lambda t, yy: mpmath.log(1 - mp_sigma(t)), [0]),
    "cross-entropy": (
        sd.logistic_loss(z, y),
        lambda t, yy: -(yy * mpmath.log(mp_sigma(t)) + (1 - yy) * mpmath.log(1 - mp_sigma(t))),
        [0, 1, 0.25, 0.9],
    ),
    "cross-entropy written out": (
        -(y * sp.log(1 / (1 + sp.exp(-z))) + (1 - y) * sp.log(1 - 1 / (1 + sp.exp(-z)))),
        lambda t, yy: -(yy * mpmath.log(mp_sigma(t)) + (1 - yy) * mpmath.log(1 - mp_sigma(t))),
        [0, 1],
    ),
    # σ(z) − y has a root where σ(z) = y; with y = 0 or 1 it has none, and every digit counts.
    "cross-entropy gradient": (sigma(z) - y, lambda t, yy: mp_sigma(t) - yy, [0, 1]),
}

BACKENDS = ["numpy", "math", "torch"]


def reference(name, yy):
    """The 50-digit values of case ``name`` on the grid, computed once per case and label."""
    key = (name, yy)
    if key not in _REFERENCES:
        exact = CASES[name][1]
        values = []
        for t in Z:
            with mpmath.workdps(60 + int(abs(t) * 0.45)):
                values.append(exact(mpmath.mpf(float(t)), mpmath.mpf(yy)))
        _REFERENCES[key] = values
    return _REFERENCES[key]


_REFERENCES: dict = {}


def run(backend, expr, yy):
    """The generated function on the whole grid, as float64 values, with warnings as errors.

    Overflow, division by zero and invalid operations raise; underflow to 0 (e^−1000) is
    silent, as it is by NumPy's default, and exact to float64.
    """
    function = lambdify([z, y], expr, backend=backend)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(over="raise", divide="raise", invalid="raise"):
            if backend == "numpy":
                values = function(Z, yy)
            elif backend == "torch":
                torch = pytest.importorskip("torch")
                values = function(torch.tensor(Z, dtype=torch.float64), yy).detach().numpy()
            else:
                values = [function(float(t), float(yy)) for t in Z]
    return np.broadcast_to(np.asarray(values, dtype=np.float64), Z.shape)


def worst_error(values, exact):
    worst, where = 0.0, None
    for t, value, true in zip(Z, values, exact):
        error = abs(mpmath.mpf(float(value)) - true) / max(abs(true), SMALLEST_NORMAL)
        if error > worst:
            worst, where = float(error), t
    return worst, where


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", list(CASES))
def test_generated_code_is_finite_and_accurate_to_1e_12_from_minus_1000_to_1000(name, backend):
    if backend == "torch":
        pytest.importorskip("torch")
    expr, _, labels = CASES[name]
    for yy in labels:
        values = run(backend, expr, yy)
        assert np.all(np.isfinite(values)), f"{name}, y = {yy}: inf or nan at z = {Z[~np.isfinite(values)]}"
        worst, where = worst_error(values, reference(name, yy))
        assert worst <= MAX_RELATIVE_ERROR, f"{name}, y = {yy}: relative error {worst:.2e} at z = {where}"


def test_sympy_lambdify_gives_inf_and_nan_where_ours_does_not():
    # The motivation, measured: SymPy prints the textbook forms as they stand.
    naive = sp.lambdify([z, y], sd.logistic_loss(z, y).rewrite(sp.exp), "numpy")
    with np.errstate(all="ignore"):
        values = naive(np.array([-40.0, 40.0, -1000.0, 1000.0]), 0.0)
    assert not np.all(np.isfinite(values))
    ours = lambdify([z, y], sd.logistic_loss(z, y))(np.array([-40.0, 40.0, -1000.0, 1000.0]), 0.0)
    # −log(1 − σ(z)) = softplus(z): about 0 for z ≪ 0 and z for z ≫ 0.
    assert ours == pytest.approx([4.248354255291589e-18, 40.0, 0.0, 1000.0], rel=1e-12, abs=0)


@pytest.mark.parametrize(
    ("expr", "stable"),
    [
        (sigma(z), sigma(z)),
        (1 / (1 + sp.exp(-z)), sigma(z)),
        (sp.exp(z) / (1 + sp.exp(z)), sigma(z)),
        (1 - sigma(z), sigma(-z)),
        (sigma(z) - 1, -sigma(-z)),
        (sp.exp(-z) / (1 + sp.exp(-z)) ** 2, sigma(z) * sigma(-z)),
        (sp.log(1 + sp.exp(z)), sd.softplus(z)),
        (sp.log(sigma(z)), -sd.softplus(-z)),
        (sp.log(1 - sigma(z)), -sd.softplus(z)),
        (sd.logistic_loss(z, y), LogisticLossOnLogits(z, y)),
        (sigma(z) - y, SigmoidPlus(z, -y)),
    ],
    ids=str,
)
def test_stable_forms_are_the_named_ones(expr, stable):
    assert stable_form(expr) == stable


@pytest.mark.parametrize(
    "expr",
    [sd.logistic_loss(z, y), sigma(z) - y, sp.log(1 - sigma(z)) * y, sp.exp(-z) / (1 + sp.exp(-z)) ** 2],
    ids=str,
)
def test_stable_form_is_the_same_function(expr):
    stable = stable_form(expr)
    for zz, yy in [("3/10", "1/5"), ("-5/2", "7/10"), ("4", "1"), ("-1/10", "0")]:
        zz, yy = sp.Rational(zz), sp.Rational(yy)
        before = sp.N(expr.subs({z: zz, y: yy}), 30)
        after = sp.N(stable.subs({z: zz, y: yy}), 30)
        assert abs(before - after) <= 1e-25 * max(1, abs(before))


def test_the_cross_entropy_on_logits_is_max_z_0_minus_zy_plus_log1p_exp_minus_abs_z():
    # The closed form of the issue, evaluated with the math module as written there.
    loss = lambdify([z, y], sd.logistic_loss(z, y), backend="math")
    for zz in [-30.0, -3.0, -0.5, 0.0, 0.5, 3.0, 30.0]:
        for yy in [0.0, 0.3, 1.0]:
            textbook = max(zz, 0.0) - zz * yy + math.log1p(math.exp(-abs(zz)))
            assert loss(zz, yy) == pytest.approx(textbook, rel=1e-14, abs=1e-300)


def test_derivation_to_function_runs_the_derived_gradient():
    d = sd.derive(sd.logistic_loss(z, y), z)
    gradient = d.to_function()  # arguments: z, then y
    values = gradient(np.array([-1000.0, -1.0, 0.0, 1.0, 40.0, 1000.0]), 1.0)
    expected = [float(mp_sigma(mpmath.mpf(t)) - 1) for t in (-1000, -1, 0, 1)]
    expected += [-4.248354255291589e-18, -float(mpmath.exp(-1000) / (1 + mpmath.exp(-1000)))]
    assert values == pytest.approx(expected, rel=1e-12, abs=0)


def test_source_names_the_stable_helpers():
    assert "bce_with_logits(z, y)" in source([z, y], sd.logistic_loss(z, y))
    assert "sigmoid_plus(z, -y)" in source([z, y], sd.derive(sd.logistic_loss(z, y), z))


def test_numpy_backend_accepts_integer_arrays_and_keeps_their_shape():
    values = lambdify(z, sigma(z))(np.array([[1, -2], [3, -4]]))
    assert values.shape == (2, 2)
    # Seed 004: σ on [1, −2, 3, −4].
    assert values.ravel() == pytest.approx([0.7311, 0.1192, 0.9526, 0.0180], abs=5e-5)


def test_math_backend_returns_python_floats():
    assert isinstance(lambdify("x", "sigmoid(x)", backend="math")(1.0), float)


def test_torch_autograd_through_generated_loss_gives_sigmoid_minus_y_everywhere():
    torch = pytest.importorskip("torch")
    loss = lambdify([z, y], sd.logistic_loss(z, y), backend="torch")
    points = torch.tensor([-1000.0, -40.0, -1.0, 0.0, 1.0, 40.0, 1000.0], dtype=torch.float64, requires_grad=True)
    for label in (0.0, 1.0):
        (grad,) = torch.autograd.grad(loss(points, label).sum(), points)
        assert torch.all(torch.isfinite(grad))
        for t, g in zip(points.detach().tolist(), grad.tolist()):
            with mpmath.workdps(500):
                exact = mp_sigma(mpmath.mpf(t)) - label
            assert abs(g - exact) <= MAX_RELATIVE_ERROR * max(abs(exact), SMALLEST_NORMAL), (t, label, g)


def test_symbols_missing_from_args_are_refused_before_any_code_is_made():
    with pytest.raises(CodegenError, match="uses y, which is not among the arguments"):
        lambdify([z], sigma(z) - y)


def test_unknown_backend_is_refused():
    with pytest.raises(CodegenError, match="unknown backend 'jax'"):
        lambdify([z], sigma(z), backend="jax")


def test_unevaluated_derivative_is_refused():
    with pytest.raises(CodegenError, match="unevaluated derivative"):
        lambdify([z], sp.Derivative(sigma(z), z))


def test_a_symbol_named_like_a_helper_does_not_shadow_it():
    sigmoid_symbol = sp.Symbol("sigmoid")
    f = lambdify([sigmoid_symbol], sigma(sigmoid_symbol) + sigmoid_symbol, backend="math")
    assert f(1.0) == pytest.approx(1.7310585786300049, rel=1e-15)


@pytest.mark.parametrize("backend", BACKENDS)
def test_elementary_functions_compute_what_sympy_evaluates(backend):
    x = sp.Symbol("x")
    expr = sp.log(x) + sp.sin(x) * sp.exp(x) + sp.sqrt(x) + sp.Abs(x) + sp.pi + sp.Heaviside(x, 0) + sp.tanh(x)
    torch = pytest.importorskip("torch") if backend == "torch" else None
    function = lambdify(x, expr, backend=backend)
    if torch is not None:
        value = float(function(torch.tensor(2.0, dtype=torch.float64)))
    else:
        value = float(function(2.0))
    assert value == pytest.approx(float(sp.N(expr.subs(x, 2), 30)), rel=1e-14)
