"""Derivatives of higher order and mixed partials: sd.derive(f, (x, 2)), sd.derive(f, x, y).

Known answers come from outside symderiv: SymPy's own ``diff``, evaluated at random points by
SymPy's ``evalf`` at 40 digits with σ written as 1/(1 + e⁻ˣ), and the textbook's form of the
sigmoid's second derivative, σ″ = σ(1 − σ)(1 − 2σ).
"""

from __future__ import annotations

import json
import random

import pytest
import sympy as sp

import symderiv as sd
from conftest import chains
from symderiv.core.steps import Step

x, y, z = sp.symbols("x y z")
sigma = sd.sigmoid


def same_function(left, right, symbols, points=4):
    """``left`` and ``right`` (σ written with exp) agree at random points to 30 digits."""
    rng = random.Random(1)
    elementary = {sigma: lambda u: 1 / (1 + sp.exp(-u))}
    left, right = left.replace(sigma, elementary[sigma]), right.replace(sigma, elementary[sigma])
    for _ in range(points):
        point = {s: sp.Rational(rng.randint(-250, 250), 100) for s in symbols}
        a, b = sp.N(left.subs(point), 40), sp.N(right.subs(point), 40)
        assert abs(a - b) <= sp.Float(10) ** -30 * max(1, abs(b)), (point, a, b)


def assert_chain_contract(derivation):
    """Section 3 at every level: the first before is the unevaluated derivative, each after the
    next before, the last after the result, every step proven."""
    for chain in chains(derivation):
        assert chain.steps[0].before == sp.Derivative(chain.expr, *chain.variables)
        for previous, following in zip(chain.steps, chain.steps[1:]):
            assert previous.after == following.before
        assert chain.steps[-1].after == chain.result
        assert chain.report is not None and len(chain.report.proofs) == len(chain.steps)


# --- known answers ----------------------------------------------------------------------------


def test_second_derivative_of_the_sigmoid_is_written_as_a_textbook_does():
    d = sd.derive(1 / (1 + sp.exp(-x)), (x, 2))
    assert d.result == sigma(x) * (1 - sigma(x)) * (1 - 2 * sigma(x))  # σ″ = σ(1 − σ)(1 − 2σ)
    same_function(d.result, sp.diff(1 / (1 + sp.exp(-x)), x, 2), [x])
    assert_chain_contract(d)


def test_second_derivative_of_x_cubed_sin_x_is_sympys():
    f = x**3 * sp.sin(x)
    d = sd.derive(f, (x, 2))
    assert sp.simplify(d.result - sp.diff(f, x, 2)) == 0  # 6x sin x + 6x² cos x − x³ sin x
    assert d.rules == ("higher_order", "derivatives")
    assert d.steps[0].before == sp.Derivative(f, (x, 2))
    assert_chain_contract(d)


def test_mixed_partial_of_x2y3_is_6xy2():
    d = sd.derive(x**2 * y**3, x, y)
    assert d.result == 6 * x * y**2 == sp.diff(x**2 * y**3, x, y)
    assert d.steps[0].before == sp.Derivative(x**2 * y**3, x, y)
    # line 1: ∂/∂y (∂f/∂x), ∂f/∂x = 2xy³ derived below; line 2: the result, derived below
    assert d.steps[0].after == sp.Derivative(2 * x * y**3, y)
    assert [sub.start for sub in d.steps[0].substeps] == [sp.Derivative(x**2 * y**3, x)]
    assert [sub.start for sub in d.steps[1].substeps] == [sp.Derivative(2 * x * y**3, y)]
    assert_chain_contract(d)


def test_x_x_is_the_second_derivative_and_orders_mix():
    f = sp.exp(x * y) * sp.sin(x)
    twice = sd.derive(f, x, x)
    assert twice == sd.derive(f, (x, 2)) and twice.variables == (x, x)
    mixed = sd.derive(f, (x, 2), y)
    assert mixed.variables == (x, x, y) and mixed.order == 3
    assert mixed.rules == ("higher_order", "higher_order", "derivatives")
    same_function(mixed.result, sp.diff(f, x, 2, y), [x, y])
    assert_chain_contract(mixed)


def test_an_order_past_the_expression_ends_in_zero():
    d = sd.derive(x**2 + y, (x, 3))
    assert d.result == 0
    assert_chain_contract(d)


def test_full_detail_nests_one_flat_chain_per_order():
    d = sd.derive(sigma(z), (z, 2), detail="full")
    assert d.result == sigma(z) * (1 - sigma(z)) * (1 - 2 * sigma(z))
    for step in d.steps:
        (sub,) = step.substeps
        assert all(not s.substeps for s in sub.steps)  # each order's chain is flat
    assert_chain_contract(d)


def test_names_are_shared_across_orders():
    d = sd.derive(sp.sin(x**2), (x, 2))
    names = {}
    for chain in chains(d):
        for step in chain.steps:
            for name, value in step.where.items():
                assert names.setdefault(value, name) == name  # one subexpression, one name
    same_function(d.result, sp.diff(sp.sin(x**2), x, 2), [x])


def test_a_wrong_higher_order_step_is_refused():
    f = sp.sin(x)
    wrong = Step("higher_order", sp.Derivative(f, (x, 2)), sp.Derivative(sp.sin(x), x))
    with pytest.raises(sd.StepCheckError):
        sd.Derivation(f, x, (wrong, Step("cos", sp.Derivative(sp.sin(x), x), sp.cos(x))),
                      variables=(x, x)).check()


# --- bad orders ---------------------------------------------------------------------------------


@pytest.mark.parametrize("order", [0, -1, 1.5, True, "2", sp.Rational(3, 2)])
def test_an_order_that_is_not_a_whole_number_of_at_least_1_is_refused(order):
    with pytest.raises(ValueError, match="whole number of at least 1"):
        sd.derive(x**3, (x, order))


def test_an_order_past_the_limit_is_refused_before_any_work():
    with pytest.raises(sd.LimitError, match="max_order") as error:
        sd.derive(x**3, (x, 10**9))
    assert error.value.limit == "max_order"
    with pytest.raises(sd.LimitError, match="max_order"):
        sd.derive(x**3, *([x] * 9))
    assert sd.derive(x**3, (x, 9), limits=sd.WorkLimits(max_order=9)).result == 0


def test_a_pair_that_is_not_a_variable_and_an_order_is_refused():
    with pytest.raises(ValueError, match="pair"):
        sd.derive(x**3, (x, 2, 3))
    with pytest.raises(sd.UnsupportedError, match="Symbol"):
        sd.derive(x**3, (x + 1, 2))


# --- printing and JSON ------------------------------------------------------------------------------


def test_every_format_writes_the_derivative_of_higher_order():
    mixed = sd.derive(x**2 * y**3, x, y)
    second = sd.derive(sp.sin(x) ** 2, (x, 2))
    assert r"\frac{\partial^{2}}{\partial y \partial x}" in mixed.to_latex()
    assert r"\frac{\mathrm{d}^{2}}{\mathrm{d}x^{2}}" in second.to_latex()
    assert r"\frac{\partial^{2}}{\partial y \partial x}" in mixed.to_markdown()
    assert "∂²/∂y∂x" in mixed.to_text() and "d²/dx²" in second.to_text()
    mathml = second.to_mathml()
    assert "<msup><mi mathvariant=\"normal\">d</mi><mrow><mn>2</mn></mrow></msup>" in mathml
    assert "<msup><mi>x</mi><mrow><mn>2</mn></mrow></msup>" in mathml
    html = mixed.to_html()
    assert "<math" in html and "∂" in html
    for lang in ("ja", "zh", "ko"):
        assert mixed.to_text(lang=lang)


def test_json_round_trip_keeps_the_variables_and_every_sub_derivation():
    d = sd.derive(x**2 * y**3, (x, 2), y)
    back = sd.Derivation.from_json(d.to_json())
    assert back == d and back.variables == (x, x, y)
    assert back.steps[0].substeps == d.steps[0].substeps
    back.check()


def test_json_variables_are_read_as_trees_within_limits():
    document = json.loads(sd.derive(x**2 * y**3, x, y).to_json())
    document["variables"] = [{"symbol": "y"}, {"symbol": "x"}]  # the first must be wrt
    with pytest.raises(sd.ParseError, match="variables"):
        sd.Derivation.from_json(json.dumps(document))
    document["variables"] = ["x", "y"]  # text is never read as a formula
    with pytest.raises(sd.ParseError):
        sd.Derivation.from_json(json.dumps(document))
    document["variables"] = [{"symbol": "x"}] * 5
    with pytest.raises(sd.LimitError, match="max_order"):
        sd.Derivation.from_json(json.dumps(document), limits=sd.JsonLimits(max_order=4))


def test_json_derivative_trees_have_a_bounded_total_order():
    d = sd.derive(x**2 * y**3, x, y)
    with pytest.raises(sd.LimitError, match="max_order"):
        sd.Derivation.from_json(d.to_json(), limits=sd.JsonLimits(max_order=1))


# --- the command ------------------------------------------------------------------------------------


def test_the_command_takes_an_order_and_several_variables(capsys):
    from symderiv.cli.main import main

    assert main(["derive", "sin(x)^2", "--order", "2", "--format", "json"]) == 0
    d = sd.Derivation.from_json(capsys.readouterr().out)
    assert d.variables == (x, x)
    assert sp.simplify(d.result - sp.diff(sp.sin(x) ** 2, x, 2)) == 0
    assert main(["derive", "x^2*y^3", "--wrt", "x", "--wrt", "y", "--format", "json"]) == 0
    assert sd.Derivation.from_json(capsys.readouterr().out).result == 6 * x * y**2


@pytest.mark.parametrize("arguments, says", [
    (["--order", "0"], "whole number from 1 to 8"),
    (["--order", "9"], "whole number from 1 to 8"),
    (["--order", "1.5"], "whole number from 1 to 8"),
    (["--wrt", "x", "--wrt", "y", "--order", "2"], "--order goes with one --wrt"),
])
def test_the_command_refuses_a_bad_order(capsys, arguments, says):
    from symderiv.cli.main import main

    try:
        status = main(["derive", "x^2*y^3", *arguments])
    except SystemExit as exit:  # the parser's own refusal
        status = exit.code
    assert status == 2
    assert says in capsys.readouterr().err


def test_the_notebook_rebuilds_and_rederives_a_mixed_partial():
    from symderiv.render.notebook import rebuild_code

    build, check = rebuild_code(sd.derive(x**2 * y**3, x, y))
    assert "sd.derive(expr, *variables" in check
    namespace: dict = {}
    exec(build, namespace)  # our own generated code, from our own derivation
    exec(check, namespace)
    assert namespace["d"].variables == (x, y)


def test_a_mixed_partial_is_written_with_partials_even_of_a_function_of_one_variable():
    d = sd.derive(x**2, x, y)
    assert d.result == 0
    assert r"\frac{\partial^{2}}{\partial y \partial x}" in d.to_latex()
    assert "∂²/∂y∂x" in d.to_text()
