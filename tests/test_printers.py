"""The expression printers every format shares: stable term order, bracketed operands, ∂ or d
throughout, the focus marked, and the MathML details.

Known answers are written by hand for small expressions (how a textbook prints them), the MathML
structure is read with xml.etree, and the term order is checked as a property over every chain
of the standard documents: terms a step did not touch keep their relative order."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest
import sympy as sp

from symderiv.core.functions import sigmoid
from symderiv.core.steps import Step
from symderiv.render.mathml import tex_to_mathml
from symderiv.render.term_order import chain_orders
from symderiv.render.tex import TexPrinter, focus_marks, notation, tex_lines, to_tex
from symderiv.render.text import formula_rows, pretty

from render_cases import standard

NS = "{http://www.w3.org/1998/Math/MathML}"
a, b, c, d, w, x, y, z = sp.symbols("a b c d w x y z")
D = r"\frac{\mathrm{d}}{\mathrm{d}x}"


def mathml(tex: str) -> ET.Element:
    return ET.fromstring(tex_to_mathml(tex)).find(f"{NS}semantics")[0]


def chains(derivation):
    """The main chain and every sub-derivation below it, at any depth."""
    yield derivation
    for step in derivation.steps:
        for sub in getattr(step, "substeps", ()):
            yield from chains(sub)


# Stable term order -----------------------------------------------------------------------------
def test_a_rewritten_term_keeps_its_place_in_the_sum():
    # SymPy sorts a + c + d with a first; the term a came from is last on the line before.
    before = c + d + sp.Derivative(a * x, x)
    after = before.xreplace({sp.Derivative(a * x, x): a})
    assert to_tex(after) == "a + c + d"
    assert to_tex(after, previous=before, focus=(sp.Derivative(a * x, x), a)) == "c + d + a"


def test_terms_merged_by_sympy_stand_where_the_focus_was():
    before = y + sp.exp(z) + sp.Derivative(z**2, z)
    after = before.xreplace({sp.Derivative(z**2, z): 2 * z})
    assert to_tex(after, previous=before, focus=(sp.Derivative(z**2, z), 2 * z)) == "y + e^{z} + 2 z"


def test_the_sum_rule_keeps_the_order_of_the_sum():
    inner = 1 + sp.exp(-x)
    before = sp.Derivative(inner, x)
    after = sp.Derivative(1, x) + sp.Derivative(sp.exp(-x), x)
    assert to_tex(after, previous=before, focus=(before, after)) == D + r" 1 + " + D + r" e^{- x}"


def test_a_first_line_is_in_the_order_a_reader_expects():
    assert to_tex(b + w * x) == "w x + b"
    assert to_tex(sigmoid(z) - y) == r"\sigma(z) - y"
    assert to_tex(1 + sp.exp(-x)) == "1 + e^{- x}"


def _printed_sums(expr, printer):
    return {node: printer.terms(node) for node in sp.preorder_traversal(expr) if isinstance(node, sp.Add)}


def test_untouched_terms_keep_their_relative_order_in_every_standard_chain():
    checked = 0
    for name, derivation in standard().items():
        for chain in chains(derivation):
            orders = chain_orders(chain)
            lines = [chain.steps[0].before] + [step.after for step in chain.steps]
            for index, step in enumerate(chain.steps):
                before = _printed_sums(lines[index], TexPrinter(term_order=orders[index]))
                after = _printed_sums(lines[index + 1], TexPrinter(term_order=orders[index + 1]))
                part = step.focus[0] if step.focus is not None else None
                for old, new in itertools.product(before.values(), after.values()):
                    kept = [t for t in old if t in new and (part is None or not t.has(part))]
                    if len(kept) >= 2:
                        checked += 1
                        assert [t for t in new if t in kept] == kept, (name, step.rule, kept, new)
    assert checked > 0


# Bracketed operands --------------------------------------------------------------------------
def test_a_compound_operand_is_bracketed():
    assert to_tex(sp.Derivative(1 / (1 + sp.exp(-x)), x)) == D + r"\left(\frac{1}{1 + e^{- x}}\right)"
    assert to_tex(sp.Derivative(x**2, x)) == D + " x^{2}"


def test_a_derivative_followed_by_a_factor_is_bracketed_and_dotted():
    product = sp.Mul(sp.Derivative(1, x), 1 + sp.exp(-x), evaluate=False)  # as the quotient rule writes it
    assert to_tex(product) == D + r"\left(1\right) \cdot \left(1 + e^{- x}\right)"


def test_a_pulled_out_constant_stands_before_the_operator():
    expr = (y - 1) * sp.Derivative(sp.log(1 - sigmoid(z)), z)
    assert to_tex(expr) == r"\left(y - 1\right) \frac{\mathrm{d}}{\mathrm{d}z} \log\left(1 - \sigma(z)\right)"
    rows = pretty(expr).splitlines()
    assert any(row.startswith("(y - 1)⋅") for row in rows), rows


def test_the_bracket_reaches_mathml():
    root = mathml(to_tex(sp.Derivative(1 / (1 + sp.exp(-x)), x)))
    children = list(root)
    fraction = next(i for i, node in enumerate(children) if node.tag == NS + "mfrac")
    fenced = children[fraction + 1]
    assert fenced.tag == NS + "mrow" and fenced[0].text == "(" and fenced[-1].text == ")"


# MathML details ----------------------------------------------------------------------------------
def test_a_unary_minus_is_its_own_row():
    assert [(node.tag, node.text) for node in mathml(to_tex(-x))] == [(NS + "mo", "\u2212"), (NS + "mi", "x")]
    root = mathml("- x + 1")
    assert [node.tag for node in root] == [NS + "mrow", NS + "mo", NS + "mn"]
    assert [(node.tag, node.text) for node in root[0]] == [(NS + "mo", "\u2212"), (NS + "mi", "x")]
    binary = mathml("1 - x")
    assert [node.tag for node in binary] == [NS + "mn", NS + "mo", NS + "mi"]


def test_the_prime_is_a_superscript():
    root = mathml(r"\sigma'(x)")
    prime = root.find(f"{NS}msup")
    assert prime is not None
    assert [(node.tag, node.text) for node in prime] == [(NS + "mi", "σ"), (NS + "mo", "′")]


@pytest.mark.parametrize("argument, tex", [
    (x, r"\sigma(x)"), (sp.Symbol("x_1"), r"\sigma(x_{1})"), (sp.Integer(2), r"\sigma(2)"),
    (w * x + b, r"\sigma\left(w x + b\right)"),
])
def test_sigma_of_a_simple_argument_has_no_gap(argument, tex):
    assert to_tex(sigmoid(argument)) == tex


def test_sigma_of_x_in_mathml_has_plain_parentheses():
    root = mathml(to_tex(sigmoid(x)))
    assert [node.text for node in root] == ["σ", "(", "x", ")"]
    assert all(node.get("stretchy") != "true" for node in root.iter(NS + "mo"))


# ∂ or d ---------------------------------------------------------------------------------------------
def test_one_notation_per_derivation():
    expected = {"sigmoid-quotient": "upright", "relu": "upright", "tanh": "upright", "softplus": "upright",
                "sigmoid-graph": "upright", "cross-entropy-z": "partial", "cross-entropy-w": "partial",
                "shared-paths": "partial", "network-output-weight": "partial"}
    derivations = standard()
    assert {name: notation(derivations[name]) for name in expected} == expected


def test_every_line_of_a_derivation_uses_its_notation():
    for name, derivation in standard().items():
        style = notation(derivation)
        for chain in chains(derivation):
            for step in chain.steps:
                for side in (step.before, step.after):
                    tex = to_tex(side, notation=style)
                    if isinstance(derivation.wrt, sp.MatrixSymbol):  # d is the differential there, ∂ the derivative
                        assert "\\mathrm{d}}{" not in tex, (name, tex)
                    else:
                        assert not ("\\partial" in tex and "\\mathrm{d}" in tex), (name, tex)
                    if side.has(sp.Derivative):
                        assert ("\\partial" in tex) == (style == "partial"), (name, tex)


# The focus ------------------------------------------------------------------------------------------
def test_the_focus_is_marked_in_tex():
    part = sp.Derivative(x**2, x)
    assert to_tex(sp.sin(x) + part, mark=part) == r"\sin(x) + \symfocus{" + D + " x^{2}}"
    assert to_tex(sp.sin(x) + 2 * x, mark=2 * x) == r"\symfocus{2 x} + \sin(x)"


def test_a_replacement_merged_into_a_sum_is_marked_as_one_run():
    replacement = sp.Derivative(1, x) + sp.Derivative(sp.exp(-x), x)
    after = y + replacement
    tex = to_tex(after, mark=replacement, previous=y + sp.Derivative(1 + sp.exp(-x), x),
                 focus=(sp.Derivative(1 + sp.exp(-x), x), replacement))
    assert tex == r"y + \symfocus{" + D + " 1 + " + D + " e^{- x}}"


def test_the_focus_is_a_class_in_mathml():
    root = mathml(to_tex(sp.sin(x) + sp.Derivative(x**2, x), mark=sp.Derivative(x**2, x)))
    focus = [node for node in root.iter(NS + "mrow") if node.get("class") == "focus"]
    assert len(focus) == 1 and focus[0][0].tag == NS + "mfrac"
    assert "symfocus" not in ET.tostring(root, encoding="unicode").split("<annotation")[0]


def test_a_formula_cannot_ask_for_a_class():
    from symderiv.render import RenderError

    with pytest.raises(RenderError):
        tex_to_mathml(r"\class{focus}{x}")


def test_the_focus_is_underlined_by_carets_in_text():
    rows = formula_rows(sp.sin(x) + sp.Derivative(x**2, x), marks={"^": sp.Derivative(x**2, x)})
    carets = rows[-1]
    assert set(carets.strip()) == {"^"}
    fraction_row = next(row for row in rows if "──" in row)
    assert carets.index("^") == fraction_row.index("─")


def test_an_ambiguous_replacement_is_not_marked():
    part = sp.Derivative(x**2, x)
    step = Step("power", x + part, 3 * x, focus=(part, 2 * x))  # 2x merged with x: nowhere to point
    assert focus_marks(step) == (part, None)
    step = Step("power", sp.exp(x) * part, 2 * x * sp.exp(x), focus=(part, 2 * x))
    assert focus_marks(step) == (part, None)  # 2x is no longer a node of the product


def test_every_derivative_a_standard_step_rewrites_is_marked():
    marked = 0
    for name, derivation in standard().items():
        for chain in chains(derivation):
            for step in chain.steps:
                if step.focus is None or not isinstance(step.focus[0], sp.Derivative):
                    continue
                part, _ = focus_marks(step)
                tex = to_tex(step.before, mark=part)
                assert part is not None and (step.before == part or "\\symfocus{\\frac{" in tex), (name, step.rule, tex)
                marked += 1
    assert marked > 20


def test_long_lines_break_before_a_top_level_sign_and_keep_the_options():
    terms = sp.Add(*[sp.Symbol(f"a_{i}") * sp.exp(sp.Symbol(f"b_{i}")) for i in range(10)])
    lines = tex_lines(terms, width=20, notation="partial")
    assert len(lines) > 1 and all(re.match(r"[+-] ", line) for line in lines[1:])
