"""Proofs of steps: wrong steps are caught, right ones are reported with how they were proven."""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

import symderiv as sd
from symderiv.proof.check import check_derivation, check_step
from symderiv.core.steps import Step

x, u = sp.symbols("x u")


def test_a_deliberately_wrong_step_is_caught():
    wrong = Step("power", sp.Derivative(x**3, x), 3 * x)
    with pytest.raises(sd.StepCheckError, match="differ"):
        check_step(wrong)


def test_a_wrong_step_inside_a_derivation_is_caught():
    d = sd.derive(1 / (1 + sp.exp(-x)), x, check=False)
    index = d.rules.index("recognize_sigmoid")
    bad = dataclasses.replace(d.steps[index], after=sd.sigmoid(x) * (1 + sd.sigmoid(x)))
    steps = d.steps[:index] + (bad,)
    with pytest.raises(sd.StepCheckError):
        check_derivation(dataclasses.replace(d, steps=steps))


def test_a_wrong_chain_rule_substitution_is_caught():
    wrong = Step(
        "chain",
        sp.Derivative(sp.exp(-x), x),
        sp.Derivative(sp.exp(u), u) * sp.Derivative(x, x),
        where={u: -x},
        focus=(sp.Derivative(sp.exp(-x), x), sp.Derivative(sp.exp(u), u) * sp.Derivative(x, x)),
    )
    with pytest.raises(sd.StepCheckError):
        check_step(wrong)


def test_a_focus_that_does_not_match_the_whole_step_is_caught():
    part = sp.Derivative(x**2, x)
    wrong = Step("power", part + 1, 2 * x + 2, focus=(part, 2 * x))
    with pytest.raises(sd.StepCheckError, match="rewritten part"):
        check_step(wrong)


def test_a_step_false_only_off_the_real_line_of_small_values_is_still_caught():
    # sqrt(x**2) = x holds for x > 0 only; the checker also tries negative points.
    wrong = Step("simplify", sp.sqrt(x**2), x)
    with pytest.raises(sd.StepCheckError):
        check_step(wrong)


def test_a_step_that_cannot_be_evaluated_anywhere_is_refused():
    f = sp.Function("f")
    unknowable = Step("sympy", f(x), f(x) + sp.Integer(0) * x + sp.Symbol("k") - sp.Symbol("k") + f(x) - f(x))
    with pytest.raises(sd.StepCheckError, match="random points|differ|no symbolic"):
        check_step(dataclasses.replace(unknowable, after=2 * f(x)))


def test_every_step_of_a_derivation_has_a_proof_in_its_report():
    d = sd.derive(sd.logistic_loss(x, sp.Symbol("y")), x)
    assert d.report is not None
    assert len(d.report.proofs) == len(d.steps)
    for proof, step in zip(d.report.proofs, d.steps):
        assert proof.rule == step.rule
        assert proof.method in ("identical", "symbolic", "numeric")
        assert proof.points >= 4
        assert proof.max_error < 1e-20


def test_check_can_be_run_again_with_more_points():
    d = sd.derive(sp.sin(x) * sp.exp(x), x)
    report = d.check(points=8)
    assert all(proof.points == 8 for proof in report.proofs)


def test_numeric_proof_does_not_rest_on_sympy_diff():
    # A function SymPy cannot differentiate symbolically still has its steps checked numerically.
    class weird(sp.Function):
        def fdiff(self, argindex=1):
            return sp.cos(self.args[0])  # a wrong derivative, planted in SymPy's own diff

        def _eval_evalf(self, prec):
            return sp.sin(self.args[0])._eval_evalf(prec)

    claimed = Step("sympy", sp.Derivative(weird(x), x), sp.cos(x) + 1)
    with pytest.raises(sd.StepCheckError):
        check_step(claimed)


@pytest.mark.parametrize(
    "expr", [sp.exp(sp.exp(sp.exp(3 * x))), sp.cos(sp.exp(sp.exp(3 * x)))], ids=str
)
def test_steep_functions_are_proven_at_points_where_numbers_mean_something(expr):
    # Found by hypothesis: at x ≈ 2 these reach 10^(10^205); such points are skipped, not trusted.
    d = sd.derive(expr, x)
    assert all(proof.points >= 4 for proof in d.report.proofs)
    assert sp.simplify(d.result - sp.diff(expr, x)) == 0


def test_a_cancellation_to_exactly_zero_is_resolved_with_more_digits_not_called_a_difference():
    # 1 - σ(t) at t ≈ 790 is exactly 0 at 70 digits and 1.6e-343 in truth; found by hypothesis
    x = sp.Symbol("x")
    f = sp.exp(1 / (1 + sp.exp(-sp.sinh(3 * x))))
    d = sd.derive(f, x, strategy="textbook")
    expected = sp.diff(f, x)  # SymPy's own derivative, compared at points by mpmath at 50 digits
    for point in (-0.7, 0.1, 0.4, 1.3):
        got, want = d.result.rewrite(sp.exp).evalf(50, subs={x: point}), expected.evalf(50, subs={x: point})
        assert abs(got - want) <= sp.Float("1e-40", 50) * abs(want)


@pytest.mark.parametrize("text", ["2.5**x", "10.0**x", "0.1*0.96**(x/1000)", "1.5*x**2.5"])
def test_a_rounded_constant_is_proven_to_its_own_precision(text):
    # SymPy computes log(2.5) with the Float's 15 digits; the proof at 30 digits called the
    # exponential rule wrong. Known answer: SymPy's own diff, evaluated at 30 digits.
    d = sd.derive(text, "x")
    x = sp.Symbol("x")
    truth = sp.diff(sd.parse(text), x)
    for point in (sp.Rational(3, 7), sp.Rational(5, 2)):
        got, want = d.result.evalf(30, subs={x: point}), truth.evalf(30, subs={x: point})
        assert abs(got - want) <= 1e-13 * abs(want)


def test_exact_numbers_keep_the_full_precision_of_the_proof():
    from symderiv.proof.check import _tolerance

    x = sp.Symbol("x")
    assert _tolerance(30, sp.Rational(5, 2) ** x) == sp.Rational(1, 10**22)
    assert _tolerance(30, sp.Float(2.5) ** x) == sp.Rational(1, 10**12)


@pytest.mark.parametrize("levels", [4, 5])
def test_a_tower_of_exponentials_is_proven_without_computing_its_astronomical_values(levels):
    # exp(exp(exp(exp(x)))) took 43 s in the proof and one level more exhausted memory in
    # mpmath; points whose values are past e^(10^7) now prove nothing and are skipped.
    x = sp.Symbol("x")
    tower = x
    for _ in range(levels):
        tower = sp.exp(tower)
    d = sd.derive(tower, x, timeout=120, memory_mb=1024)
    assert d.report is not None
    truth = sp.diff(tower, x)
    point = sp.Rational(-3, 2)  # small enough to evaluate: e^e^e^e^(−1.5) ≈ 2.5·10^6 at 4 levels
    got, want = d.result.evalf(30, subs={x: point}), truth.evalf(30, subs={x: point})
    assert abs(got - want) <= sp.Float("1e-20") * abs(want)
