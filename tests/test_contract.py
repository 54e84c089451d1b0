"""The public contract of DESIGN.md, section 3, checked the way an outside test would read it."""

from __future__ import annotations

import pytest
import sympy as sp

import symderiv as sd
from conftest import same_function

x, y, z, w, b = sp.symbols("x y z w b")
sigma = sd.sigmoid

CORPUS = [
    (sigma(x), x),
    (1 / (1 + sp.exp(-x)), x),
    (sp.exp(x) / (1 + sp.exp(x)), x),
    (sd.logistic_loss(z, y), z),
    (sd.logistic_loss(w * x + b, y), w),
    (sigma(x) ** 2, x),
    (sp.sin(x) ** 2 * sp.exp(3 * x), x),
    (sp.log(1 + sp.exp(x)), x),
    (x**x, x),
    (sp.tanh(x), x),
    (sp.sqrt(1 + sigma(2 * x)), x),
]


def substituted(expr: sp.Expr, where: dict) -> sp.Expr:
    """Substitute ``where`` repeatedly, until none of its symbols is left (as the contract says)."""
    for _ in range(len(where) + 1):
        if not expr.free_symbols & set(where):
            return expr
        expr = expr.subs(where)
    raise AssertionError(f"substitutions never resolve: {where}")


@pytest.mark.parametrize("strategy", sorted(sd.STRATEGIES))
@pytest.mark.parametrize(("expr", "wrt"), CORPUS, ids=[str(e) for e, _ in CORPUS])
def test_steps_form_one_chain_of_proven_equalities(expr, wrt, strategy):
    d = sd.derive(expr, wrt, strategy=strategy)
    assert d.steps[0].before == sp.Derivative(expr, wrt)
    for previous, following in zip(d.steps, d.steps[1:]):
        assert previous.after == following.before
    assert d.steps[-1].after == d.result
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    for step in d.steps:
        assert isinstance(step.rule, str) and step.rule in sd.RULES
        assert isinstance(step.where, dict)
        before = substituted(step.before.doit(), step.where).doit()
        after = substituted(step.after.doit(), step.where).doit()
        assert same_function(before, after, symbols), step.rule


@pytest.mark.parametrize("strategy", sorted(sd.STRATEGIES))
@pytest.mark.parametrize(
    "expr", [sigma(x), 1 / (1 + sp.exp(-x)), sp.exp(x) / (1 + sp.exp(x))], ids=str
)
def test_sigmoid_derivative_is_exactly_sigma_times_one_minus_sigma(expr, strategy):
    assert sd.derive(expr, x, strategy=strategy).result == sigma(x) * (1 - sigma(x))


def test_sigmoid_of_an_affine_argument_keeps_its_argument():
    expr = 1 / (1 + sp.exp(-(3 * x - 2)))
    assert sd.derive(expr, x).result == 3 * sigma(3 * x - 2) * (1 - sigma(3 * x - 2))


def test_cross_entropy_in_the_logit_is_sigma_minus_y():
    loss = -(y * sp.log(sigma(z)) + (1 - y) * sp.log(1 - sigma(z)))
    assert sd.derive(loss, z).result == sigma(z) - y


def test_cross_entropy_through_an_affine_logit_is_x_times_sigma_minus_y():
    loss = -(y * sp.log(sigma(w * x + b)) + (1 - y) * sp.log(1 - sigma(w * x + b)))
    assert sd.derive(loss, w).result == x * (sigma(w * x + b) - y)
    assert sd.derive(loss, b).result == sigma(w * x + b) - y


def test_cross_entropy_with_sigma_written_out_is_written_with_sigma():
    a = 1 / (1 + sp.exp(-z))
    loss = -(y * sp.log(a) + (1 - y) * sp.log(1 - a))
    assert sd.derive(loss, z).result == sigma(z) - y


def _every_step(derivation):
    """The steps of a derivation and of all its sub-derivations, depth first."""
    for step in derivation.steps:
        yield step
        for sub in step.substeps:
            yield from _every_step(sub)


@pytest.mark.parametrize("detail", ["textbook", "full"])
def test_the_chain_rule_names_each_level_freshly(detail):
    d = sd.derive(sp.exp(sp.sin(x**2)), x, detail=detail)
    introduced = [name for step in _every_step(d) for name in step.detail.get("introduces", {})]
    assert len(introduced) == len(set(introduced)) == 2


def test_substitution_names_never_clash_with_the_expression():
    u, v = sp.symbols("u v")
    d = sd.derive(sp.exp(u * v * x**2), x)
    introduced = {name for step in _every_step(d) for name in step.detail.get("introduces", {})}
    assert introduced and not introduced & {u, v, x}


def test_wrt_may_be_given_by_name_and_expr_as_text():
    assert sd.derive("1/(1+exp(-x))", "x").result == sigma(x) * (1 - sigma(x))


def test_a_symbol_with_assumptions_is_found_by_name():
    xp = sp.Symbol("x", positive=True)
    assert sd.derive(sp.log(xp), "x").result == 1 / xp


def test_unknown_strategy_is_refused_with_the_choices():
    with pytest.raises(ValueError, match="textbook"):
        sd.derive(x, x, strategy="magic")


def test_a_matrix_is_refused_clearly():
    with pytest.raises(sd.UnsupportedError, match="scalar"):
        sd.derive(sp.Matrix([x]), x)


def test_a_derivative_inside_the_input_is_refused():
    with pytest.raises(sd.UnsupportedError, match="doit"):
        sd.derive(sp.Derivative(x**2, x), x)


def test_an_undefined_function_is_refused_because_it_could_not_be_proven():
    f = sp.Function("f")
    with pytest.raises(sd.UnsupportedError, match="undefined function"):
        sd.derive(f(x) ** 2, x)


def test_a_function_sympy_cannot_differentiate_is_refused_not_looped():
    with pytest.raises(sd.UnsupportedError, match="cannot differentiate"):
        sd.derive(sp.frac(x) + x, x)  # the fractional part: no rule, and SymPy leaves it unevaluated
