"""Results in the form people write (issue 14 item 4): each form written here by hand, from the
textbook identity it rests on, compared with ``==``; each result also checked against SymPy's
own ``diff`` at random points, and every step proven by symderiv.
"""

from __future__ import annotations

import pytest
import sympy as sp

import symderiv as sd
from conftest import same_function

x, y, a, k = sp.symbols("x y a k")
z1, z2, z3 = sp.symbols("z1 z2 z3")
sigma = sd.sigmoid


def derived(expr: sp.Expr, variable: sp.Symbol) -> sd.Derivation:
    """The derivation, after checking its result against sp.diff and that every step is proven."""
    d = sd.derive(expr, variable)
    symbols = sorted(expr.free_symbols | {variable}, key=lambda s: s.name)
    assert same_function(d.result, sp.diff(expr, variable), symbols)
    assert d.report is not None and len(d.report.proofs) == len(d.steps)
    return d


# --- one trigonometric family ----------------------------------------------------------------

@pytest.mark.parametrize("expr", [sp.sec(x) ** 2 - sp.tan(x) ** 2, sp.csc(x) ** 2 - sp.cot(x) ** 2])
def test_sec_squared_minus_tan_squared_is_constant_so_its_derivative_is_zero(expr):
    # 1 + tan² = sec², 1 + cot² = csc²: the difference is 1
    d = derived(expr, x)
    assert d.result == 0
    assert d.rules[-1] == "trig_identities"


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        # (cos/(1 + sin))′ = (−sin(1 + sin) − cos²)/(1 + sin)² = −(1 + sin)/(1 + sin)²
        (sp.cos(x) / (1 + sp.sin(x)), -1 / (1 + sp.sin(x))),
        # (sin/(1 + cos))′ = (cos(1 + cos) + sin²)/(1 + cos)² = 1/(1 + cos)
        (sp.sin(x) / (1 + sp.cos(x)), 1 / (1 + sp.cos(x))),
        # (cosh/(1 + sinh))′ = (sinh(1 + sinh) − cosh²)/(1 + sinh)² = (sinh − 1)/(1 + sinh)²
        (sp.cosh(x) / (1 + sp.sinh(x)), (sp.sinh(x) - 1) / (1 + sp.sinh(x)) ** 2),
        # (cos·tan)′ = (sin)′ = cos; d/dx log(sec + tan) = sec, written 1/cos as the tan rule writes
        (sp.cos(x) * sp.tan(x), sp.cos(x)),
        (sp.log(sp.sec(x) + sp.tan(x)), 1 / sp.cos(x)),
    ],
)
def test_a_quotient_is_cancelled_with_sin_squared_plus_cos_squared(expr, expected):
    assert derived(expr, x).result == expected


def test_log_cosh_is_tanh():
    assert derived(sp.log(sp.cosh(x)), x).result == sp.tanh(x)


def test_the_rules_own_forms_stand_no_function_is_brought_in():
    # tanh′ = 1 − tanh² stays written with tanh, not as 1/cosh²
    assert derived(sp.tanh(x) ** 2, x).result == 2 * sp.tanh(x) * (1 - sp.tanh(x) ** 2)


# --- zero, the cross-entropy, σ″ ---------------------------------------------------------------

def test_sigma_of_x_plus_sigma_of_minus_x_is_one_so_its_derivative_is_zero():
    assert derived(sigma(x) + sigma(-x), x).result == 0


def test_binary_cross_entropy_gradient_reads_a_minus_y_over_a_one_minus_a():
    bce = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    # −y/a + (1 − y)/(1 − a) = (a − y)/(a(1 − a))
    assert derived(bce, a).result == (a - y) / (a * (1 - a))


def test_the_tie_break_moves_signs_only_to_take_a_minus_out_of_view():
    # ((x − 1) − (x + 1))/(x − 1)² = −2/(x − 1)²: nothing to gain from writing (1 − x)²
    assert derived((x + 1) / (x - 1), x).result == -2 / (x - 1) ** 2
    # (1/(x² − x))′ = −(2x − 1)/(x² − x)², written with the minus taken into the sum
    assert derived(1 / (x**2 - x), x).result == (1 - 2 * x) / (x**2 - x) ** 2


@pytest.mark.parametrize(
    "first_derivative",
    [sigma(x) * (1 - sigma(x)), sp.exp(-x) / (1 + sp.exp(-x)) ** 2, sp.exp(x) / (1 + sp.exp(x)) ** 2],
    ids=["sigma(1-sigma)", "exp(-x)/(1+exp(-x))^2", "exp(x)/(1+exp(x))^2"],
)
def test_the_second_derivative_of_sigma_has_one_form(first_derivative):
    # σ″ = (σ(1 − σ))′ = σ′(1 − σ) − σσ′ = σ(1 − σ)(1 − 2σ)
    assert derived(first_derivative, x).result == sigma(x) * (1 - sigma(x)) * (1 - 2 * sigma(x))


# --- σ with any scale factor ------------------------------------------------------------------

@pytest.mark.parametrize(
    "expr, expected",
    [
        (1 - sigma(x), -sigma(x) * (1 - sigma(x))),  # d/dx (1 − σ) = −σ′
        (sigma(-x), -sigma(-x) * (1 - sigma(-x))),  # chain rule with g = −x, g′ = −1
        (1 - sigma(2 * x), -2 * sigma(2 * x) * (1 - sigma(2 * x))),
        ((sigma(x) - y) ** 2 / 2, (sigma(x) - y) * sigma(x) * (1 - sigma(x))),  # (a − y)·a(1 − a)
    ],
)
def test_a_negated_sigma_derivative_reads_minus_sigma_one_minus_sigma(expr, expected):
    assert derived(expr, x).result == expected


def test_sigma_is_recognised_with_a_decimal_scale_factor():
    c = sp.Float("0.5")
    expr = sp.Float("1.0") / (sp.Float("1.0") + sp.exp(-c * x))
    assert derived(expr, x).result == c * sigma(c * x) * (1 - sigma(c * x))


def test_the_gelu_approximation_is_written_with_sigma():
    c = sp.Float("1.702")
    # (x σ(cx))′ = σ(cx) + c x σ(cx)(1 − σ(cx)) = σ(cx)(1 + cx(1 − σ(cx))), the SiLU's σ(1 + x(1 − σ)) at c = 1
    d = derived(x / (1 + sp.exp(-c * x)), x)
    assert d.steps[0].rule == "recognize_sigmoid"  # x·σ(cx) first, then the product rule
    assert d.result == sigma(c * x) * (1 + c * x * (1 - sigma(c * x)))
    assert not d.result.has(sp.exp)


@pytest.mark.parametrize("scale", [k, sp.Rational(1, 2), sp.Integer(3)])
def test_sigma_is_recognised_with_a_symbolic_or_rational_scale_factor(scale):
    d = derived(1 / (1 + sp.exp(-scale * x)), x)
    assert d.result == scale * sigma(scale * x) * (1 - sigma(scale * x))


# --- the softmax ------------------------------------------------------------------------------

def test_the_softmax_component_derivative_reads_s_times_one_minus_s():
    total = sp.exp(z1) + sp.exp(z2)
    d = derived(sp.exp(z1) / total, z1)
    s = sp.Symbol("s")
    named = next(step for step in d.steps if step.rule == "softmax_component")
    assert named.after == s * (1 - s)
    assert named.where == {s: sp.exp(z1) / total}
    # the chain ends in the original variables: s(1 − s) with s written out
    assert d.result == sp.exp(z1) / total * (1 - sp.exp(z1) / total)


def test_the_softmax_cross_derivative_reads_minus_s_one_s_two():
    total = sp.exp(z1) + sp.exp(z2) + sp.exp(z3)
    d = derived(sp.exp(z2) / total, z1)
    s1, s2 = sp.symbols("s1 s2")
    named = next(step for step in d.steps if step.rule == "softmax_component")
    assert named.after == -s1 * s2
    assert named.where == {s1: sp.exp(z1) / total, s2: sp.exp(z2) / total}


def test_a_softmax_component_already_named_keeps_its_name():
    total = sp.exp(z1) + sp.exp(z2)
    d = derived(sp.log(sp.exp(z1) / total), z1)
    names = {value: name for name, value in d.where.items()}
    assert len(names) == len(d.where)  # one subexpression, one name
    named = next(step for step in d.steps if step.rule == "softmax_component")
    assert named.after == 1 - names[sp.exp(z1) / total]
