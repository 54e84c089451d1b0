"""Text: Unicode for terminals, the = signs lined up, every line within the terminal's width."""

from __future__ import annotations

import unicodedata

import pytest
import sympy as sp

from symderiv.core.derivation import Derivation
from symderiv.core.steps import Step
from symderiv.locales import LANGUAGES
from symderiv.render.text import formula_rows, render
from symderiv.render.unicode import display_width, wrap

from render_cases import standard

x, y, u = sp.symbols("x y u")


def columns(line: str) -> int:
    """A terminal's count, independent of the code under test: wide and full-width characters
    take two columns, combining ones none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


def chain_of(text: str) -> str:
    """The lines of the chain: between the steps heading and the justifications."""
    return text.split("Step by step\n\n", 1)[1].split("\n\nJustifications", 1)[0]


def test_equals_signs_share_a_column():
    chain = chain_of(standard()["sigmoid-quotient"].to_text())
    main = [line for line in chain.splitlines() if " = " in line and not line.startswith(" " * 4 + "(")]
    top_level = [line for line in main if line.rstrip().endswith(tuple(f"({n})" for n in range(1, 10)))]
    assert len(top_level) >= 3
    assert len({line.index(" = ") for line in top_level}) == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_step_is_explained_in_the_language(lang):
    derivation = standard()["tanh"]
    text = derivation.to_text(lang=lang)
    assert "(1)" in text
    assert {"en": "Derivative of the hyperbolic tangent", "ja": "tanh の微分", "zh": "tanh 的导数",
            "ko": "tanh의 미분"}[lang] in text


def test_no_control_characters_reach_the_terminal():
    text = standard()["relu"].to_text()
    assert not any(ord(c) < 32 and c not in "\n" for c in text)
    assert "H(x)" in text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_line_of_a_standard_document_is_wider_than_100_columns(lang):
    for name, derivation in standard().items():
        widest = max(columns(line) for line in derivation.to_text(lang=lang).splitlines())
        assert widest <= 100, (name, lang, widest)


@pytest.mark.parametrize("width", [60, 80])
def test_a_narrower_terminal_gets_narrower_lines(width):
    for name in ("cross-entropy-w", "network-hidden-weight", "sigmoid-quotient"):
        text = standard()[name].to_text(lang="ja", width=width)
        assert max(columns(line) for line in text.splitlines()) <= width, name


def test_cjk_characters_count_two_columns():
    assert display_width("σ′(x)") == 5
    assert display_width("導関数") == 6
    assert display_width("미분") == 4


def test_explanations_wrap_at_spaces_and_between_cjk_characters():
    sentence = "The derivative of a sum is the sum of the derivatives: differentiate term by term."
    lines = wrap(sentence, 30)
    assert " ".join(lines) == sentence and all(len(line) <= 30 for line in lines)
    japanese = "和の微分は微分の和である。項ごとに微分する。"
    lines = wrap(japanese, 10)
    assert "".join(lines) == japanese
    assert all(columns(line) <= 10 for line in lines)
    assert not any(line.startswith("。") for line in lines)
    korean = "합의 미분은 미분의 합이다"
    assert wrap(korean, 13) == ["합의 미분은", "미분의 합이다"]  # 11 and 13 columns


def test_a_wide_sum_breaks_before_a_top_level_plus():
    terms = [sp.Symbol(f"a{i}") * sp.exp(sp.Symbol(f"b{i}")) for i in range(12)]
    rows = formula_rows(sp.Add(*terms), 40)
    assert all(columns(row) <= 40 for row in rows)
    assert sum(row.lstrip().startswith("+ ") for row in rows) >= 2


def test_the_replacement_is_marked_under_its_own_columns():
    # sin(x) + d/dx x² with its derivative replaced by 2x: the caret line is under "2⋅x" only.
    before = sp.sin(x) + sp.Derivative(x**2, x)
    after = sp.sin(x) + 2 * x
    rows = formula_rows(after, marks={"~": 2 * x})
    drawn, carets = rows[0], rows[1]
    start = drawn.index("2⋅x")
    assert carets.strip() == "~~~" and carets.index("~") == start
    assert before.xreplace({sp.Derivative(x**2, x): 2 * x}) == after


def sub_chain() -> Derivation:
    """d/dx (x² + sin x) by the sum rule, its two derivatives each derived below the line."""
    square = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2 * x,
                                       focus=(sp.Derivative(x**2, x), 2 * x), detail={"exponent": 2}),))
    sine = Derivation(sp.sin(x), x, (Step("sin", sp.Derivative(sp.sin(x), x), sp.cos(x),
                                          focus=(sp.Derivative(sp.sin(x), x), sp.cos(x))),))
    whole = sp.Derivative(x**2 + sp.sin(x), x)
    split = sp.Derivative(x**2, x) + sp.Derivative(sp.sin(x), x)
    return Derivation(x**2 + sp.sin(x), x, (
        Step("sum", whole, split, focus=(whole, split)),
        Step("derivatives", split, 2 * x + sp.cos(x), substeps=(square, sine)),
    ))


def test_sub_derivations_are_indented_below_their_line():
    text = render(sub_chain())
    chain = chain_of(text).splitlines()
    line_two = next(i for i, line in enumerate(chain) if line.rstrip().endswith("(2)"))
    subs = [line for line in chain[line_two + 1:] if line.strip()]
    assert subs and all(line.startswith("    ") for line in subs)
    assert any("(2a.1)" in line for line in subs) and any("(2b.1)" in line for line in subs)


def test_the_result_comes_before_the_chain():
    text = render(sub_chain())
    assert text.index("Result") < text.index("Step by step") < text.index("Justifications")
    result = text.split("Result\n\n", 1)[1].split("\n\n", 1)[0]
    assert "2⋅x + cos(x)" in result


PRODUCTS = [
    (2, x), (x, y), (-1, x, y), (sp.S.One, x), (x, 2), (sp.Rational(2, 3), x), (x, 1 / y), (x, y**-2),
    (sp.Rational(1, 2), x, sp.exp(-x)), (-1, 1 / (x + 1)), (x + 1, x - 1), (sp.sqrt(x), 1 / sp.sqrt(y)),
    (sp.Derivative(x**2, x), sp.Derivative(u, x)), (sp.sin(x), sp.cos(x)**-1),
]


@pytest.mark.parametrize("factors", PRODUCTS, ids=str)
def test_a_product_is_drawn_as_sympys_own_printer_draws_it(factors):
    from sympy.physics.units import meter, second
    from sympy.printing.pretty.pretty import PrettyPrinter

    from symderiv.render.pretty_product import pretty_product

    for extra in ((), (meter, second**-1)):  # with sympy.physics loaded, quantities go last as in SymPy
        product = sp.Mul(*extra, *factors, evaluate=False)
        printer = PrettyPrinter({"use_unicode": True, "order": "none"})
        ours, sympys = pretty_product(printer, product.args), printer._print_Mul(product)
        assert ours.render(wrap_line=False) == sympys.render(wrap_line=False)
