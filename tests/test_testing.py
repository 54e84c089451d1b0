"""assert_derivative and friends: right formulas in any shape pass, wrong ones explain themselves.

Known answers are textbook formulas (the seeds' σ′ = σ(1 − σ), ∂J/∂θ = (a − y)·x), differences
worked out by hand, and values computed here with mpmath, never by the code under test.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

import symderiv as sd
from symderiv.calculus import engine
from symderiv.errors import ParseError, UnsupportedError
from symderiv.testing.assertions import (
    CheckArgumentError,
    FormulaMismatchError,
    assert_derivative,
    assert_equivalent,
    assert_gradient,
    numeric_check,
)
from symderiv.testing.departure import find_departure

x, y, z, w, b = sp.symbols("x y z w b")
sigma = sd.sigmoid


def mp_sigma(t):
    return 1 / (1 + mpmath.exp(-mpmath.mpf(t)))


# --- Right formulas pass, whatever their shape ---------------------------------------------

@pytest.mark.parametrize(
    "expected",
    [
        sigma(x) * (1 - sigma(x)),
        sp.exp(-x) / (1 + sp.exp(-x)) ** 2,
        sp.exp(x) / (1 + sp.exp(x)) ** 2,
        1 / (4 * sp.cosh(x / 2) ** 2),  # SymPy's simplify gives this one
        "sigmoid(x)*(1 - sigmoid(x))",
        "σ(x)·(1 − σ(x))",
    ],
    ids=str,
)
def test_every_shape_of_the_sigmoid_derivative_passes(expected):
    assert_derivative(sigma(x), x, expected)
    assert_derivative(1 / (1 + sp.exp(-x)), x, expected)


def test_the_cross_entropy_gradient_is_sigmoid_minus_y():
    assert_derivative(sd.logistic_loss(z, y), z, sigma(z) - y)


def test_with_a_linear_logit_the_weight_gradient_is_x_times_sigmoid_minus_y():
    # Seed 001: ∂J/∂θ = (a − y)·x with a = σ(θx + b).
    assert_derivative(sd.logistic_loss(w * x + b, y), w, x * (sigma(w * x + b) - y))


def test_text_symbols_are_matched_by_name_to_the_expressions_symbols():
    real_x = sp.Symbol("x", real=True)
    assert_derivative(sigma(real_x) ** 2, "x", "2*sigmoid(x)**2*(1 - sigmoid(x))")
    assert_derivative(sigma(real_x) ** 2, sp.Symbol("x"), 2 * sigma(real_x) ** 2 * (1 - sigma(real_x)))


def test_a_derivation_counts_as_its_result():
    assert_derivative(sigma(x), x, sd.derive(1 / (1 + sp.exp(-x)), x))


def test_a_right_formula_that_sympy_cannot_cancel_passes_on_numbers():
    # sin 2x = 2 sin x cos x is no relation between the atoms sin 2x, sin x, cos x
    assert assert_equivalent(sp.sin(2 * x), 2 * sp.sin(x) * sp.cos(x)).method == "numeric"


def test_the_pythagorean_identities_are_proven_exactly():
    assert assert_equivalent(sp.sin(x) ** 2, 1 - sp.cos(x) ** 2).method == "symbolic"
    assert assert_equivalent(sp.tan(x) ** 2 + 1, 1 / sp.cos(x) ** 2).method == "symbolic"
    assert assert_equivalent(sp.cosh(x) ** 2, 1 + sp.sinh(x) ** 2).method == "symbolic"
    with pytest.raises(AssertionError):
        assert_equivalent(sp.sin(x) ** 2, 1 + sp.cos(x) ** 2)


def test_log_is_compared_where_it_is_real():
    agreement = assert_derivative(sp.log(x), x, 1 / x)
    assert agreement.method in ("identical", "symbolic")
    assert assert_derivative(sp.log(x) * sp.sin(x), x, sp.sin(x) / x + sp.log(x) * sp.cos(x))


def test_passing_needs_no_step_by_step_derivation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("derive() should only run to explain a failure")

    monkeypatch.setattr(engine, "derive", refuse)
    assert_derivative(sigma(x) ** 2, x, 2 * sigma(x) ** 2 * (1 - sigma(x)))


def test_a_float_exactly_equal_to_a_fraction_passes():
    assert_equivalent(0.5 * x, x / 2)


def test_a_rounded_number_fails_unless_a_tolerance_allows_it():
    with pytest.raises(FormulaMismatchError):
        assert_equivalent(sigma(1), 0.7311)
    assert assert_equivalent(sigma(1), 0.7311, rtol=1e-4).method == "numeric"


# --- Wrong formulas explain themselves -------------------------------------------------------

def test_the_error_is_an_assertion_error_and_a_symderiv_error():
    with pytest.raises(AssertionError) as caught:
        assert_derivative(sigma(x), x, sigma(x) * (1 + sigma(x)))
    assert isinstance(caught.value, sd.SymderivError)
    assert isinstance(caught.value, sd.FormulaMismatchError)


def test_the_message_gives_both_formulas_and_their_difference():
    with pytest.raises(FormulaMismatchError) as caught:
        assert_derivative(sigma(x), x, sigma(x) * (1 + sigma(x)))
    error = caught.value
    message = str(error)
    assert "yours:           (sigmoid(x) + 1)*sigmoid(x)" in message
    assert "true derivative: (1 - sigmoid(x))*sigmoid(x)" in message
    # σ(1 + σ) − σ(1 − σ) = 2σ², by hand.
    assert error.difference == 2 * sigma(x) ** 2
    assert "yours − true:    2*sigmoid(x)**2" in message


def test_the_counterexample_holds_both_values_at_its_point():
    with pytest.raises(FormulaMismatchError) as caught:
        assert_derivative(sigma(x), x, sigma(x) * (1 + sigma(x)))
    example = caught.value.counterexample
    (point,) = example.point.values()
    with mpmath.workdps(40):
        s = mp_sigma(point)
        assert abs(example.yours - s * (1 + s)) < 1e-25
        assert abs(example.true - s * (1 - s)) < 1e-25
    assert f"at x = {sp.nsimplify(float(point))}" in str(caught.value)


def test_the_counterexample_is_a_simple_point_when_one_shows_the_difference():
    with pytest.raises(FormulaMismatchError) as caught:
        assert_equivalent((x + 1) ** 2, x**2 + 1)
    assert "counterexample: at x = 1, left = 4.0, right = 2.0" in str(caught.value)
    assert caught.value.difference == 2 * x


def test_a_forgotten_chain_rule_factor_is_found_at_its_step():
    with pytest.raises(FormulaMismatchError) as caught:
        assert_derivative(sigma(x) ** 2, x, 2 * sigma(x))
    departure = caught.value.departure
    assert departure.rule == "sigmoid"
    assert departure.node == sp.Derivative(sigma(x), x)
    assert departure.yours == 1
    assert "taken as 1 (a factor of the chain rule left out)" in str(caught.value)


def test_a_misremembered_rule_is_shown_as_what_the_formula_implies():
    with pytest.raises(FormulaMismatchError) as caught:
        assert_derivative(sigma(x) ** 2, x, 2 * sigma(x) ** 2 * (1 + sigma(x)))
    departure = caught.value.departure
    assert departure.rule == "sigmoid"
    assert sp.expand(departure.yours - sigma(x) * (1 + sigma(x))) == 0
    assert "your formula fits d/dx sigmoid(x) = (sigmoid(x) + 1)*sigmoid(x) there" in str(caught.value)


def test_a_lost_sign_is_found():
    with pytest.raises(FormulaMismatchError) as caught:
        assert_derivative(sp.cos(x), x, sp.sin(x))
    assert caught.value.departure.rule == "cos"
    assert "opposite sign" in str(caught.value)


def test_a_product_rule_term_left_out_is_found():
    with pytest.raises(FormulaMismatchError) as caught:
        assert_derivative(x**2 * sp.sin(x), x, 2 * x * sp.sin(x))
    departure = caught.value.departure
    assert departure.node == sp.Derivative(sp.sin(x), x)
    assert departure.yours == 0


def test_the_inner_derivative_forgotten_in_every_term_of_a_loss_is_found():
    # The classic slip: ∂J/∂w written σ(wx + b) − y, without the factor x.
    with pytest.raises(FormulaMismatchError) as caught:
        assert_derivative(sd.logistic_loss(w * x + b, y), w, sigma(w * x + b) - y)
    departure = caught.value.departure
    assert departure.node == sp.Derivative(w * x + b, w)
    assert "wherever it comes up" in departure.slip


def test_the_departure_names_a_step_of_the_derivation_that_evaluates_that_derivative():
    d = sd.derive(sigma(x) ** 2, x, detail="full")
    departure = find_departure(d, 2 * sigma(x))
    assert d.steps[departure.index].focus[0] == departure.node
    assert d.steps[departure.index].rule == departure.rule


def test_a_formula_no_single_slip_explains_has_no_departure():
    assert find_departure(sd.derive(x**2 * sp.sin(x), x, detail="full"), sp.exp(x) + x) is None


def test_the_message_says_how_to_see_every_step():
    with pytest.raises(FormulaMismatchError, match=r"see every step:  sd\.derive\(sigmoid\(x\)\*\*2, x, detail=\"full\"\)"):
        assert_derivative(sigma(x) ** 2, x, 2 * sigma(x))


def test_a_comparison_without_real_values_fails_and_says_why():
    with pytest.raises(FormulaMismatchError, match="real values at only 0") as caught:
        assert_equivalent(sp.log(-1 - x**2), sp.log(1 + x**2) + sp.I * sp.pi)
    assert caught.value.counterexample is None and caught.value.reason


# --- Gradients ---------------------------------------------------------------------------

def test_a_right_gradient_passes_component_by_component():
    a = sigma(w * x + b)
    results = assert_gradient(sd.logistic_loss(w * x + b, y), [w, b], [x * (a - y), a - y])
    assert len(results) == 2


def test_a_wrong_gradient_lists_only_the_wrong_components():
    a = sigma(w * x + b)
    with pytest.raises(FormulaMismatchError) as caught:
        assert_gradient(sd.logistic_loss(w * x + b, y), ["w", "b", "x"], [x * (a - y), x * (a - y), w * (a - y)])
    message = str(caught.value)
    assert message.startswith("1 of 3 components of the gradient")
    assert "∂/∂b:" in message and "∂/∂w:" not in message and "∂/∂x:" not in message


def test_a_gradient_needs_one_formula_per_variable():
    with pytest.raises(CheckArgumentError, match="2 variables but 1 partial derivatives"):
        assert_gradient(x * y, [x, y], [y])


# --- Numeric cross-checks --------------------------------------------------------------

def test_numeric_check_reproduces_seed_002_gradients_by_finite_differences():
    report = numeric_check(sigma(x), x, sigma(x) * (1 - sigma(x)), at=[1, 2, 3], against=["finite_difference", "mpmath"])
    assert [round(p.finite_difference, 4) for p in report.points] == [0.1966, 0.1050, 0.0452]
    assert report.max_error["mpmath"] < 1e-20


def test_numeric_check_tolerances_are_those_of_gradcheck_for_finite_differences():
    # Off by 1e-4 relative: inside rtol 1e-3 of central differences, far outside mpmath's.
    slightly_off = sigma(x) * (1 - sigma(x)) * (1 + sp.Rational(1, 10**4))
    numeric_check(sigma(x), x, slightly_off, against=["finite_difference"])
    with pytest.raises(FormulaMismatchError, match="mpmath.diff at 30 digits"):
        numeric_check(sigma(x), x, slightly_off, against=["mpmath"])


def test_numeric_check_fails_a_wrong_formula_with_the_numbers():
    with pytest.raises(FormulaMismatchError) as caught:
        numeric_check(x**3, x, 3 * x, at=2, against=["finite_difference"])
    assert "at x = 2, yours = 6.0, numerical = 12.00000000" in str(caught.value)


def test_numeric_check_takes_points_of_several_variables_as_dicts():
    report = numeric_check(sd.logistic_loss(z, y), z, sigma(z) - y, at=[{"z": 0.5, "y": 1}, {z: -3, y: 0}], against=["mpmath"])
    assert len(report.points) == 2


def test_numeric_check_compares_with_torch_autograd_when_torch_is_installed():
    pytest.importorskip("torch")
    report = numeric_check(sd.logistic_loss(z, y), z, sigma(z) - y, at=[{"z": 2.0, "y": 1.0}], against=["torch"])
    # σ(2) − 1, by mpmath.
    assert report.points[0].autograd == pytest.approx(float(mp_sigma(2) - 1), rel=1e-12)


def test_numeric_check_skips_points_without_a_real_value():
    report = numeric_check(sp.log(x), x, 1 / x, at=[-1.0, 2.0], against=["finite_difference", "mpmath"])
    assert [p.point for p in report.points] == [{x: 2.0}]
    assert any("skipped at x = -1" in note for note in report.notes)


# --- Bad input ---------------------------------------------------------------------------

def test_text_that_is_not_a_formula_is_a_parse_error():
    with pytest.raises(ParseError):
        assert_derivative("sigmoid(x", "x", "1")


def test_a_variable_must_be_a_name():
    with pytest.raises(CheckArgumentError, match="must be a name"):
        assert_derivative("x**2", "x + 1", "2*x")


def test_objects_that_are_not_formulas_are_refused():
    with pytest.raises(UnsupportedError, match="got list"):
        assert_equivalent([x], x)


def test_an_unknown_numeric_method_is_refused():
    with pytest.raises(CheckArgumentError, match="unknown method"):
        numeric_check(x**2, x, 2 * x, against=["jax"])
