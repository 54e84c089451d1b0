"""Right answers at every scale, and no text evaluated by the test assertions.

Two formulas are the same function only when SymPy proves their difference 0 or their values
agree *relative to their magnitude*. A difference SymPy proves nonzero, however small (10⁻²⁵,
10⁻⁴⁰), is a difference; 0 against a function whose values are tiny is a difference; huge
values are compared relative to their size. Known answers here are plain arithmetic: x and
x + 10⁻²⁵ differ by 10⁻²⁵ everywhere; sin²x + cos²x = 1 (Pythagoras).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

import symderiv as sd
from symderiv.proof.check import check_step
from symderiv.testing.plugin import _explain
from symderiv.core.steps import Step
from symderiv.testing.compare import Counterexample, compare as _compare

x, y = sp.symbols("x y")
TEN = sp.Integer(10)


def _different(a, b) -> sd.FormulaMismatchError:
    with pytest.raises(sd.FormulaMismatchError) as caught:
        sd.assert_equivalent(a, b)
    return caught.value


# --- Tiny constants and tiny functions are differences ------------------------------------------

@pytest.mark.parametrize(
    "a, b",
    [
        (x, x + sp.Rational(1, 10**25)),
        (x, x - TEN**-30),
        (sp.E, sp.E + TEN**-40),
        (sp.pi * x, sp.pi * x + TEN**-60),
        (sp.sin(x), sp.sin(x) + sp.Rational(1, 10**100)),
        (sp.S.Zero, TEN**-40),
    ],
    ids=["x+1e-25", "x-1e-30", "e+1e-40", "pi*x+1e-60", "sin+1e-100", "0 vs 1e-40"],
)
def test_a_nonzero_constant_difference_however_small_is_a_difference(a, b):
    error = _different(a, b)
    assert error.counterexample is not None
    shown = error.counterexample.describe()
    # the values are printed with enough digits to read differently
    yours = shown.split("yours = ")[1].split(",")[0]
    true = shown.split("true = ")[1]
    assert yours != true


def test_x_and_x_plus_ten_to_minus_25_differ_by_exactly_that():
    error = _different(x, x + sp.Rational(1, 10**25))
    assert error.difference == -sp.Rational(1, 10**25)


@pytest.mark.parametrize(
    "tiny",
    [x / TEN**30, sp.exp(x) * TEN**-40, sp.sin(x) ** 2 / TEN**50, x * 1e-40, "x/10^30"],
    ids=["x/1e30", "exp*1e-40", "sin^2/1e50", "float 1e-40*x", "text x/10^30"],
)
def test_zero_against_a_tiny_function_is_a_difference(tiny):
    error = _different(0, tiny)
    assert error.counterexample is not None
    assert error.counterexample.yours == 0 and error.counterexample.true != 0


def test_e_against_e_plus_a_rounded_ten_to_minus_40_is_a_difference():
    # 1e-40 is a Float, but no rounding of it can make 1e-40 out of nothing
    _different(sp.E, sp.E + 1e-40)


def test_rounding_of_floats_is_not_a_difference():
    assert sd.assert_equivalent(0.333333333333333 * x, x / 3).method == "numeric"
    assert sd.assert_equivalent(sp.Float(0.1) + sp.Float(0.2), sp.Float(0.3)).method == "numeric"


def test_the_pytest_plugin_says_e_and_e_plus_ten_to_minus_40_differ():
    outcome = _compare(sp.E, sp.E + TEN**-40, rtol=None, points=4, digits=20, seed=0)
    assert isinstance(outcome, Counterexample)
    lines = _explain(sp.E, sp.E + TEN**-40)
    assert any("different functions" in line for line in lines)
    assert not any("same function" in line for line in lines)


def test_the_derivative_of_a_product_of_200_sines_is_not_zero():
    product = sp.Mul(*(sp.sin(k * x) for k in range(1, 201)))
    outcome = _compare(sp.S.Zero, sp.diff(product, x), rtol=None, points=6, digits=30, seed=0)
    assert isinstance(outcome, Counterexample)
    assert outcome.yours == 0 and 0 < abs(outcome.true) < 1e-40


def test_a_derivative_off_by_ten_to_minus_30_is_wrong():
    with pytest.raises(sd.FormulaMismatchError):
        sd.assert_derivative(x**2, x, 2 * x + TEN**-30)


def test_numeric_check_compares_tiny_derivatives_relative_to_their_size():
    with pytest.raises(sd.FormulaMismatchError, match="mpmath.diff"):
        sd.numeric_check(x**2 / TEN**30, x, sp.S.Zero, at=[1, 2], against=["mpmath"])
    assert sd.numeric_check(x**2 / TEN**30, x, 2 * x / TEN**30, at=[1, 2], against=["mpmath"])


# --- What is the same stays the same, at every scale --------------------------------------------

@pytest.mark.parametrize(
    "a, b",
    [
        (sp.sin(x) ** 2 + sp.cos(x) ** 2 - 1, 0),  # cancellation noise is not a difference
        (TEN**300 * (sp.sin(x) ** 2 + sp.cos(x) ** 2), TEN**300),
        (sp.sin(x) ** 2 / TEN**40, (1 - sp.cos(x) ** 2) / TEN**40),
        (TEN**-300 * sp.exp(x), sp.exp(x + sp.log(TEN**-300))),
        (sp.exp(200 * x), sp.exp(100 * x) ** 2),
    ],
    ids=["pythagoras-1 vs 0", "1e300", "1e-40", "1e-300", "exp(200x)"],
)
def test_equal_functions_agree_at_any_magnitude(a, b):
    sd.assert_equivalent(a, b)


def test_huge_values_that_differ_relatively_are_a_difference():
    _different(TEN**300 * x, TEN**300 * x + TEN**290 * x)


# --- Proofs of steps use the same comparison -----------------------------------------------------

def test_a_step_off_by_a_tiny_constant_is_not_proven():
    with pytest.raises(sd.StepCheckError, match="differ"):
        check_step(Step("power", sp.Derivative(x**2, x), 2 * x + sp.Rational(1, 10**30)))


def test_a_step_that_drops_a_tiny_derivative_is_not_proven():
    with pytest.raises(sd.StepCheckError, match="differ"):
        check_step(Step("power", sp.Derivative(sp.sin(x) ** 2 / TEN**40, x), sp.S.Zero))


def test_a_right_step_with_tiny_values_is_proven():
    proof = check_step(Step("power", sp.Derivative(x**2 / TEN**40, x), 2 * x / TEN**40))
    assert proof.method in ("identical", "symbolic")


# --- No text reaches sympify or eval -------------------------------------------------------------

PAYLOADS = [
    "__import__('os').system('touch {canary}')",
    "exec(\"open('{canary}', 'w').write('x')\")",
    "eval(\"__import__('pathlib').Path('{canary}').touch()\")",
    "().__class__.__base__.__subclasses__()[0]",
    "Symbol('x').__class__.__init__.__globals__['__builtins__']['open']('{canary}','w')",
    "lambda: open('{canary}', 'w')",
]


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    return tmp_path / "canary"


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("helper", ["equivalent", "derivative", "derivative_expected", "gradient", "numeric_check", "wrt"])
def test_code_in_text_given_to_the_assertions_never_runs(helper, payload, canary):
    text = payload.format(canary=canary)
    calls = {
        "equivalent": lambda: sd.assert_equivalent(text, "x"),
        "derivative": lambda: sd.assert_derivative(text, "x", "1"),
        "derivative_expected": lambda: sd.assert_derivative("x**2", "x", text),
        "gradient": lambda: sd.assert_gradient("x*y", ["x", "y"], [text, "x"]),
        "numeric_check": lambda: sd.numeric_check("x**2", "x", text, against=["mpmath"]),
        "wrt": lambda: sd.assert_derivative("x**2", text, "2*x"),
    }
    with pytest.raises(sd.SymderivError):
        calls[helper]()
    assert not canary.exists()


def test_a_number_whose_text_is_code_is_read_as_a_number(canary):
    class Sneaky(float):
        def __str__(self) -> str:
            return f"__import__('os').system('touch {canary}')"

        __repr__ = __str__

    class SneakyInt(int):
        __str__ = Sneaky.__str__
        __repr__ = Sneaky.__str__

    assert sd.assert_equivalent(Sneaky(1.5), "3/2")
    assert sd.assert_equivalent(SneakyInt(3), "3")
    assert not canary.exists()


# --- The command line: the decision is the same -------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "symderiv", "check", *args], capture_output=True, text=True, timeout=120
    )


def test_the_cli_says_zero_is_not_x_over_ten_to_the_30():
    run = _cli("0", "--equals", "x/10^30")
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.startswith("wrong:") and "are not the same function" in run.stdout
    assert "right = 1.0e-30" in run.stdout


def test_the_cli_says_zero_is_not_the_derivative_of_a_product_of_sines():
    product = "*".join(f"sin({k}*x)" for k in range(1, 41))
    run = _cli("0", "--derivative-of", product, "--wrt", "x")
    assert run.returncode == 1, run.stdout + run.stderr
    assert run.stdout.startswith("wrong:")
