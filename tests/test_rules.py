"""The registry of differentiation rules and the strategies, as data.

Each rule object has a stable id registered in ``sd.RULES``, a docstring that states its law, and
is picked by walking ``REGISTRY`` in order; strategies are ``Strategy`` values whose fields the
rules read.
"""

from __future__ import annotations

import pytest
import sympy as sp

import symderiv as sd
from symderiv.calculus.rules import (
    FUNCTION_RULES,
    FUNCTIONS,
    REGISTRY,
    Context,
    Extremum,
    FunctionRule,
    apply,
    pick,
)
from symderiv.core.rule_ids import RULES
from symderiv.core.strategies import ROUTES, STRATEGIES, Strategy, strategy_named
from symderiv.locales.laws import LAWS

x, y = sp.symbols("x y")


def _context(strategy: str = "textbook") -> Context:
    return Context(wrt=x, strategy=strategy_named(strategy))


def test_every_rule_object_has_a_registered_differentiation_id():
    ids = [rule.id for rule in REGISTRY]
    assert len(ids) == len(set(ids))
    assert set(ids) == {rule_id for rule_id, info in RULES.items() if info.kind == "differentiation"}


def test_a_rule_of_its_own_class_states_its_law_in_its_docstring():
    for rule in REGISTRY:
        if isinstance(rule, (FunctionRule, Extremum)):  # one class, many laws: the registry holds each
            continue
        assert type(rule).__doc__.splitlines()[0] == rule.law == RULES[rule.id].law


def test_each_law_is_written_once_and_laws_reads_the_tex_from_the_registry():
    assert LAWS == {rule_id: info.tex for rule_id, info in RULES.items()}
    assert all(LAWS.values())


def test_the_function_table_is_read_from_the_function_rules():
    assert FUNCTION_RULES == {rule.function: (rule.id, rule.derivative) for rule in FUNCTIONS}
    assert FUNCTION_RULES[sp.sin][0] == "sin"
    assert FUNCTION_RULES[sd.sigmoid][1](x) == sd.sigmoid(x) * (1 - sd.sigmoid(x))


def test_sympy_is_the_last_rule_and_takes_anything():
    assert REGISTRY[-1].id == "sympy"
    assert pick(sp.Derivative(sp.gamma(x), x), _context()).id == "sympy"


def test_a_derivative_of_higher_order_goes_to_sympy():
    application = apply(sp.Derivative(x**3, (x, 2)), _context())
    assert (application.rule, application.result) == ("sympy", 6 * x)


@pytest.mark.parametrize(
    ("expr", "rule"),
    [
        (y, "constant"),
        (x, "identity"),
        (x**2 + x, "sum"),
        (3 * x**2, "constant_multiple"),
        (x * sp.exp(x), "product"),
        (x / (1 + x), "quotient"),
        (1 / (1 + sp.exp(-x)), "reciprocal"),
        (x**3, "power"),
        (sp.sqrt(x), "sqrt"),
        (sp.cbrt(x), "root"),
        (2**x, "exponential"),
        (x**x, "log_differentiation"),
        (sp.exp(-x), "chain"),
        (sp.Heaviside(x), "heaviside"),
        (sp.Piecewise((x**2, x > 0), (0, True)), "piecewise"),
        (sp.Max(0, x), "max"),
        (sp.Min(0, x), "min"),
        (sp.atan(x), "atan"),
        (sd.relu(x), "relu"),
    ],
)
def test_the_textbook_route_picks_the_rule_a_textbook_names(expr, rule):
    assert pick(sp.Derivative(expr, x), _context()).id == rule


@pytest.mark.parametrize(
    ("strategy", "expr", "rule"),
    [
        ("textbook", 1 / (1 + x), "reciprocal"),
        ("quotient", 1 / (1 + x), "quotient"),
        ("chain", 1 / (1 + x), "chain"),
        ("reciprocal", 1 / (1 + x), "chain"),
        ("textbook", 1 / x, "power"),
        ("quotient", 1 / x, "quotient"),
        ("chain", 1 / x, "power"),
        ("reciprocal", 1 / x, "reciprocal"),
        ("textbook", 1 / (x * sp.sin(x)), "reciprocal"),
        ("quotient", 1 / (x * sp.sin(x)), "quotient"),
    ],
)
def test_how_one_over_g_is_taken_depends_on_the_strategy(strategy, expr, rule):
    assert pick(sp.Derivative(expr, x), _context(strategy)).id == rule


def test_the_reciprocal_route_names_the_denominator_t():
    application = apply(sp.Derivative(1 / (1 + sp.exp(-x)), x), _context("reciprocal"))
    t = sp.Symbol("t")
    assert application.introduces == {t: 1 + sp.exp(-x)}


def test_the_chain_route_names_every_layer_at_once():
    application = apply(sp.Derivative(sp.sin(sp.exp(-x)), x), _context("chain"))
    u, v = sp.symbols("u v")
    assert application.introduces == {u: sp.exp(v), v: -x}


def test_strategies_are_data_and_the_public_table_describes_them():
    assert list(STRATEGIES) == ["textbook", "quotient", "chain", "reciprocal"]
    assert sd.STRATEGIES == STRATEGIES
    assert all(isinstance(route, Strategy) and route.id == name for name, route in ROUTES.items())
    assert STRATEGIES == {name: route.description for name, route in ROUTES.items()}


def test_an_unknown_strategy_is_refused_in_one_place_naming_the_choices():
    with pytest.raises(ValueError, match="unknown strategy 'magic'; choose one of: textbook, quotient, chain, reciprocal"):
        strategy_named("magic")
