"""Proofs bounded by the step: a step proves what it rewrote, the line is checked in numbers,
and a wrong step planted in a long line is still caught."""

from __future__ import annotations

import dataclasses

import pytest
import sympy as sp

import symderiv as sd
from symderiv.core.steps import Step
from symderiv.proof.check import check_derivation, check_step
from symderiv.proof.claims import local_claims
from symderiv.proof.laws import chain_verdict, one_level_verdict

x, y, w, b, a, z, u = sp.symbols("x y w b a z u")

#: A long line: the antiderivative of 1/(x⁴ + 1) that SymPy writes, and a few more terms.
LONG = sp.integrate(1 / (x**4 + 1), x) + x**5 * sp.exp(x) * sp.sin(x) + sp.log(x**2 + 3)


def test_the_claim_of_a_step_that_rewrote_one_term_of_a_long_line_is_that_term():
    before = LONG + sp.Derivative(sp.sin(x**2), x)
    after = LONG + 2 * x * sp.cos(x**2)
    assert local_claims(before, after) == ((sp.Derivative(sp.sin(x**2), x), 2 * x * sp.cos(x**2)),)


def test_a_wrong_term_planted_in_a_long_line_is_caught():
    before = LONG + sp.Derivative(sp.sin(x**2), x)
    wrong = LONG + x * sp.cos(x**2)  # the factor 2 lost
    with pytest.raises(sd.StepCheckError, match="differ"):
        check_step(Step("chain", before, wrong))


def test_a_wrong_term_tiny_beside_the_line_is_still_caught():
    # At 30 digits relative to the line, e^(40x)·10^40 hides an error of size 1 in a term;
    # the claim, proven on its own, does not.
    huge = 10**40 * sp.exp(40 * x)
    with pytest.raises(sd.StepCheckError):
        check_step(Step("power", huge + sp.Derivative(x**3, x), huge + 3 * x**2 + 1))


def test_a_step_equal_only_as_a_whole_is_proven_as_a_whole():
    # (a − b)² = (b − a)², though a − b ≠ b − a: the parts found by comparing trees are not
    # equal one by one, and the whole step decides.
    step = Step("simplify", sp.sin(x) * (x - 1) ** 2, sp.sin(x) * (1 - x) ** 2)
    assert check_step(step).method in ("identical", "symbolic")


def test_a_wrong_value_in_a_derivatives_line_is_caught_though_its_sub_derivation_is_right():
    d = sd.derive(LONG, x, check=False)
    index = d.rules.index("derivatives")
    line = d.steps[index]
    node, value = line.parts[0]
    wrong_value = value + x
    parts = ((node, wrong_value), *line.parts[1:])
    bad = dataclasses.replace(line, after=line.before.xreplace(dict(parts)), parts=parts)
    steps = (*d.steps[:index], bad)  # the chain ends at the wrong line
    with pytest.raises(sd.StepCheckError):
        check_derivation(dataclasses.replace(d, steps=steps))


def test_parts_that_do_not_rebuild_the_line_are_refused():
    d1, d2 = sp.Derivative(x**2, x), sp.Derivative(sp.sin(x), x)
    wrong = Step("derivatives", d1 + d2, 2 * x + sp.cos(x) + 1, parts=((d1, 2 * x), (d2, sp.cos(x))))
    with pytest.raises(sd.StepCheckError, match="rewritten part"):
        check_step(wrong)


def test_one_level_of_differentiation_proves_the_rules_and_refuses_a_wrong_one():
    f, g = sp.exp(x), sp.sin(x)
    product = sp.Derivative(f * g, x)
    right = f * sp.Derivative(g, x) + g * sp.Derivative(f, x)
    assert one_level_verdict(product, right, {}) == "identical"
    assert one_level_verdict(product, f * sp.Derivative(g, x) - g * sp.Derivative(f, x), {}) is None
    quotient = sp.Derivative(f / g, x)
    rule = (g * sp.Derivative(f, x) - f * sp.Derivative(g, x)) / g**2
    assert one_level_verdict(quotient, rule, {}) == "symbolic"
    with pytest.raises(sd.StepCheckError, match="differ"):
        check_step(Step("quotient", quotient, (g * sp.Derivative(f, x) + f * sp.Derivative(g, x)) / g**2))


def test_the_chain_rule_through_names_is_proven_only_when_each_layer_holds_x_through_its_name():
    loss = -(y * sp.log(sd.sigmoid(w * x + b)) + (1 - y) * sp.log(1 - sd.sigmoid(w * x + b)))
    outer = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    where = {a: sd.sigmoid(z), z: w * x + b}
    factors = [sp.Derivative(outer, a), sp.Derivative(sd.sigmoid(z), z), sp.Derivative(w * x + b, w)]
    assert chain_verdict(sp.Derivative(loss, w), sp.Mul(*factors, evaluate=False), where) == "identical"
    # The outer layer also holds w directly: the chain rule has another term, no proof here.
    leaky = sp.Derivative(loss + w * a, w)
    factors[0] = sp.Derivative(outer + w * a, a)
    assert chain_verdict(leaky, sp.Mul(*factors, evaluate=False), where) is None
    with pytest.raises(sd.StepCheckError):
        check_step(Step("chain", sp.Derivative(loss + w * sd.sigmoid(w * x + b), w),
                        sp.Mul(*factors, evaluate=False), where=where))


def test_a_derivation_of_a_large_antiderivative_is_proven_step_by_step():
    d = sd.derive(LONG, x)
    assert d.report is not None
    assert all(proof.points >= 4 or proof.method != "numeric" for proof in d.report.proofs)
    assert sp.simplify(d.result - sp.diff(LONG, x)) == 0


def test_a_point_where_a_side_overflows_a_double_is_skipped_before_it_is_evaluated(monkeypatch):
    from symderiv.proof import equivalence
    from symderiv.proof.magnitude import log10_magnitude

    tower = sp.exp(sp.exp(sp.exp(x)))
    assert log10_magnitude(tower, {x: 2.5}) == float("inf")  # e^195000
    assert log10_magnitude(tower, {x: 0.5}) < 3
    evaluated_at = []
    real = equivalence.evaluate

    def spy(expr, point, **options):
        evaluated_at.append(float(point[x]))
        return real(expr, point, **options)

    monkeypatch.setattr(equivalence, "evaluate", spy)
    outcome = equivalence.compare_numerically(
        tower, tower + 0, [{x: 2.5}, {x: 0.5}], needed=1, digits=30,
        tolerance=sp.Rational(1, 10**22), largest=10**30,
    )
    assert outcome.agreed == 1
    assert 2.5 not in evaluated_at


def test_a_wrong_step_on_a_tower_of_exponentials_is_still_caught():
    tower = sp.exp(sp.exp(sp.exp(x)))
    wrong = Step("chain", sp.Derivative(tower, x), tower * sp.exp(sp.exp(x)))  # e^x lost
    with pytest.raises(sd.StepCheckError):
        check_step(wrong)
