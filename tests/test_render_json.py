"""JSON: a documented schema, expression trees (never srepr), read back into an equal derivation."""

from __future__ import annotations

import json

import pytest
import sympy as sp

import symderiv as sd
from symderiv.errors import LimitError, ParseError
from symderiv.render.json_format import to_tree
from symderiv.render.json_reader import from_tree

from render_cases import power_step, standard


@pytest.mark.parametrize("name", sorted(standard()))
def test_every_standard_derivation_reads_back_equal(name):
    derivation = standard()[name]
    text = derivation.to_json()
    again = sd.Derivation.from_json(text)
    assert again == derivation
    assert again.result == derivation.result
    assert [p.method for p in again.report.proofs] == [p.method for p in derivation.report.proofs]
    assert again.to_json() == text


def test_steps_carry_rule_latex_trees_substitutions_and_proof():
    document = json.loads(standard()["sigmoid-chain"].to_json())
    assert document["format"] == "symderiv.derivation" and document["version"] == 1
    first = document["steps"][0]
    assert first["rule"] == "chain" and first["name"] == "Chain rule"
    assert first["before"] == {"op": "Derivative", "args": [first["before"]["args"][0]],
                               "variables": [[{"symbol": "x"}, 1]]}
    assert first["before_latex"].startswith(r"\frac{\mathrm{d}}{\mathrm{d}x}")
    assert {w["latex"] for w in first["where"]} == {"u = e^{v} + 1", "v = - x"}
    assert first["proof"]["method"] in ("identical", "symbolic", "numeric")


def test_no_srepr_anywhere():
    text = standard()["cross-entropy-z"].to_json()
    assert "Symbol(" not in text and "Integer(" not in text and "Function(" not in text


def test_unevaluated_sums_keep_their_order():
    x = sp.Symbol("x")
    written = sp.Add(1, sp.exp(-x), -1, evaluate=False)
    assert from_tree(to_tree(written)).args == written.args


def test_assumptions_and_exact_numbers_survive():
    x = sp.Symbol("x", positive=True)
    expr = sp.Rational(1, 3) * x + sp.Float("0.1", 40) + sp.pi
    assert from_tree(json.loads(json.dumps(to_tree(expr)))) == expr


@pytest.mark.parametrize("tree", [
    {"op": "eval", "args": []},
    {"op": "__import__", "args": [{"symbol": "os"}]},
    {"const": "__builtins__"},
    {"int": "1e5"},
    {"symbol": 5},
])
def test_nothing_but_the_allowed_operators_is_built(tree):
    with pytest.raises((ParseError, ValueError)):
        from_tree(tree)


def test_too_deep_trees_are_refused():
    tree = {"symbol": "x"}
    for _ in range(500):
        tree = {"op": "exp", "args": [tree]}
    with pytest.raises(LimitError):
        from_tree(tree)


@pytest.mark.parametrize("text", ["not json", "{}", '{"format": "symderiv.derivation", "version": 99}'])
def test_malformed_documents_are_refused_with_our_error(text):
    with pytest.raises(ParseError):
        sd.Derivation.from_json(text)


def test_numbers_in_a_detail_of_mathematics_are_written_as_trees():
    x = sp.Symbol("x")
    derivation = power_step(x)  # detail={"variable": x, "exponent": 2}, 2 a Python int
    step = json.loads(derivation.to_json())["steps"][0]
    assert step["detail"]["exponent"] == {"expr": {"int": "2"}}
    again = sd.Derivation.from_json(derivation.to_json())
    assert again == derivation and again.steps[0].detail["exponent"] == sp.Integer(2)


@pytest.mark.parametrize("value", [
    "x**2",
    {"list": ["x"]},
    {"tuple": [{"expr": {"symbol": "x"}}, "__import__('os')"]},
    {"map": [["u", {"expr": {"symbol": "x"}}]]},
    {"dict": {"u": {"expr": {"symbol": "x"}}}},
    1.5,
    True,
])
def test_text_where_a_detail_holds_mathematics_is_a_parse_error_naming_step_and_key(value):
    document = json.loads(power_step(sp.Symbol("x")).to_json())
    document["steps"][0]["detail"]["exponent"] = value
    with pytest.raises(ParseError, match=r"step 1 \(power\), detail 'exponent'"):
        sd.Derivation.from_json(json.dumps(document))


def test_a_json_integer_in_a_detail_reads_as_a_sympy_integer():
    document = json.loads(power_step(sp.Symbol("x")).to_json())
    document["steps"][0]["detail"]["exponent"] = 2
    assert sd.Derivation.from_json(json.dumps(document)).steps[0].detail["exponent"] == sp.Integer(2)


def test_words_stay_words_in_the_keys_that_hold_words():
    derivation = sd.derive("sin(x)", "x")
    again = sd.Derivation.from_json(derivation.to_json())
    assert [s.detail.get("function") for s in again.steps] == [s.detail.get("function") for s in derivation.steps]
    assert "sin" in [s.detail.get("function") for s in again.steps]


def test_a_step_made_in_memory_with_text_in_its_detail_is_refused_not_parsed():
    x = sp.Symbol("x")
    step = sd.Step("power", sp.Derivative(x**2, x), 2 * x, focus=(sp.Derivative(x**2, x), 2 * x),
                   detail={"variable": x, "exponent": 2, "constants": ("__import__('os').getcwd()",)})
    derivation = sd.Derivation(x**2, x, (step,))
    with pytest.raises(sd.UnsupportedError, match="'constants' holds text"):
        derivation.to_text()
    with pytest.raises(sd.UnsupportedError):
        derivation.to_json()


def test_errors_name_the_limit_that_was_passed():
    from symderiv.render.json_reader import JsonLimits

    text = power_step(sp.Symbol("x")).to_json()
    with pytest.raises(LimitError, match="max_nodes") as caught:
        sd.Derivation.from_json(text, limits=JsonLimits(max_nodes=3))
    assert caught.value.limit == "max_nodes"
    with pytest.raises(LimitError, match="max_bytes"):
        sd.Derivation.from_json(text, limits=JsonLimits(max_bytes=100))
