r"""sd.parse_latex: LaTeX formulas read into SymPy expressions; what LaTeX leaves open, refused."""

from __future__ import annotations

import pytest
import sympy as sp
from formula_corpus import BOTH, LATEX_ONLY

from symderiv.errors import ParseError
from symderiv.core.functions import relu, sigmoid, softplus
from symderiv.models.losses import binary_cross_entropy
from symderiv.parse.latex import parse_latex

x, y, z, w, b, a, m = sp.symbols("x y z w b a m")


# --- round trips ------------------------------------------------------------------------------------


@pytest.mark.parametrize("expr", BOTH + LATEX_ONLY, ids=sp.latex)
def test_parse_latex_reads_back_what_sympy_prints(expr):
    assert parse_latex(sp.latex(expr)) == expr


def test_the_round_trip_corpus_holds_more_than_a_hundred_distinct_expressions():
    assert len(set(BOTH + LATEX_ONLY)) >= 100


@pytest.mark.parametrize(
    ("expr", "tex"),
    [
        (sigmoid(x), r"\sigma\left(x\right)"),
        (softplus(x), r"\operatorname{softplus}\left(x\right)"),
        (relu(x), r"\operatorname{ReLU}\left(x\right)"),
        (sigmoid(x) ** 2, r"\sigma^{2}\left(x\right)"),
    ],
)
def test_the_machine_learning_functions_as_symderiv_prints_them(expr, tex):
    assert sp.latex(expr) == tex
    assert parse_latex(tex) == expr


# --- what people write ----------------------------------------------------------------------------------


def test_the_cross_entropy_that_sympys_lark_parser_misreads():
    tex = r"-\left(y\log a + (1-y)\log(1-a)\right)"
    assert parse_latex(tex) == binary_cross_entropy(a, y)


@pytest.mark.parametrize(
    ("tex", "expected"),
    [
        (r"\frac{1}{1+e^{-z}}", 1 / (1 + sp.exp(-z))),
        (r"\frac{e^{x}}{1 + e^{x}}", sp.exp(x) / (1 + sp.exp(x))),
        (r"\mathrm{e}^{x}", sp.exp(x)),
        (r"\exp(-x)", sp.exp(-x)),
        (r"\exp x", sp.exp(x)),
        (r"\ln x + \log(y)", sp.log(x) + sp.log(y)),
        (r"\log_{2} x", sp.log(x, 2)),
        (r"\sqrt{x^2 + 1}", sp.sqrt(x**2 + 1)),
        (r"\sqrt[3]{x}", sp.cbrt(x)),
        (r"\frac12 x", x / 2),
        (r"x \cdot y \times z", x * y * z),
        (r"a \div b", a / b),
        (r"2x", 2 * x),
        (r"xy", x * y),
        (r"x^2", x**2),
        (r"x^{y+1}", x ** (y + 1)),
        (r"{x}^{2}", x**2),
        (r"\left[x + 1\right]^2", (x + 1) ** 2),
        (r"[x + 1](x - 1)", (x + 1) * (x - 1)),
        (r"\bigl(x + 1\bigr)", x + 1),
        (r"x\,y", x * y),
        (r"\sin x \cos y", sp.sin(x) * sp.cos(y)),
        (r"\sin^2 x + \cos^{2}(x)", sp.sin(x) ** 2 + sp.cos(x) ** 2),
        (r"\tanh(w x + b)", sp.tanh(w * x + b)),
        (r"\operatorname{sech}(x)", sp.sech(x)),
        (r"\arctan x", sp.atan(x)),
        (r"\sigma(z)(1 - \sigma(z))", sigmoid(z) * (1 - sigmoid(z))),
        (r"\sigma\left(w x + b\right)", sigmoid(w * x + b)),
        (r"\operatorname{sigmoid}(x)", sigmoid(x)),
        (r"|x| + \left|y\right| + \lvert z \rvert", sp.Abs(x) + sp.Abs(y) + sp.Abs(z)),
        (r"\max(0, x)", sp.Max(0, x)),
        (r"n!", sp.factorial(sp.Symbol("n"))),
        (r"\frac{\lambda}{2m} w^{2}", sp.Symbol("lambda") * w**2 / (2 * m)),
        (r"1.5 \cdot 10^{-3}", sp.Float("1.5e-3")),
        (r"3 \cdot 10^{8}", sp.Integer(300000000)),
        (r"$\sigma(x)$", sigmoid(x)),
        (r"$$x^2$$", x**2),
        (r"\(x + 1\)", x + 1),
        (r"\pi r^2", sp.pi * sp.Symbol("r") ** 2),
        (r"\mathrm{lr} \cdot x", sp.Symbol("lr") * x),
    ],
)
def test_latex_as_people_write_it(tex, expected):
    assert parse_latex(tex) == expected


@pytest.mark.parametrize(
    ("tex", "name"),
    [
        (r"\theta^{(2)}_{12}", "theta^(2)_12"),
        (r"\theta_{12}^{(2)}", "theta^(2)_12"),
        (r"a^{(l)}", "a^(l)"),
        (r"x_1", "x_1"),
        (r"x_{12}", "x_12"),
        (r"x_{ij}", "x_ij"),
        (r"W_{i,j}", "W_i,j"),
        (r"x_{\alpha}", "x_alpha"),
        (r"\alpha", "alpha"),
        (r"\varepsilon", "varepsilon"),
        (r"\Theta", "Theta"),
        (r"e_{1}", "e_1"),
        (r"θ", "theta"),
    ],
)
def test_names_with_subscripts_and_layer_indices_are_one_symbol(tex, name):
    assert parse_latex(tex) == sp.Symbol(name)


def test_a_subscript_then_a_superscript_is_a_power_of_the_subscripted_name():
    assert parse_latex(r"x_{1}^{2}") == sp.Symbol("x_1") ** 2


def test_e_and_mathrm_e_are_eulers_number():
    assert parse_latex("e") == parse_latex(r"\mathrm{e}") == sp.E


def test_i_is_the_imaginary_unit_as_sympy_prints_it_and_subscripted_i_is_a_name():
    assert sp.latex(sp.I) == "i"
    assert parse_latex(r"3 i + i_{1} + x_{i}") == 3 * sp.I + sp.Symbol("i_1") + sp.Symbol("x_i")


def test_a_symbol_before_a_left_bracket_multiplies_as_sympy_prints_products():
    assert parse_latex(r"x \left(x + 1\right)") == x * (x + 1)


# --- refusals -------------------------------------------------------------------------------------------


def refusal(tex: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_latex(tex)
    return caught.value


def test_a_refusal_shows_message_position_and_a_caret_under_the_problem():
    error = refusal(r"x + \foo")
    assert error.position == 4
    assert str(error).splitlines()[1:] == [r"  x + \foo", "      ^"]


@pytest.mark.parametrize(
    ("tex", "fragment"),
    [
        (r"f(x)", "'f(' reads as a function f or as f times a bracket"),
        (r"s(z^3)", "symderiv knows no function s"),
        (r"\theta\left(x\right)", "Heaviside"),
        (r"\sigma x", r"\sigma(x) for the sigmoid of x, or \sigma \cdot x"),
        (r"\sigma_1(x)", "a sigmoid or a product"),
        (r"\sin x y", r"does the argument of \sin reach past x"),
        (r"\sin 2x", r"does the argument of \sin reach past 2"),
        (r"\sin x^2", r"\sin(x^{2}) or \sin^{2} x"),
        (r"\sin^{-1} x", "inverse function or 1/"),
        (r"x/2y", "does '/' divide by the whole product"),
        (r"x^23", "x^{23}"),
        (r"x_12", "x_{12}"),
        (r"x2", "a number after another factor"),
        (r"2 3", "a number after another factor"),
        (r"\theta^1_{10}", r"\theta^{(1)}_{10} for a layer index, or \theta_{10}^{1} for a power"),
        (r"a^2_{12}", "a^{(2)}_{12}"),
        (r"y^{(l+1)}", "layer index"),
        (r"||x||", "nested |...| is ambiguous"),
        (r"x^{2}!", "factorial"),
        (r"n!!", "double factorials"),
    ],
)
def test_what_latex_leaves_ambiguous_is_refused_with_the_unambiguous_spellings(tex, fragment):
    assert fragment in refusal(tex).message


@pytest.mark.parametrize(
    ("tex", "fragment"),
    [
        (r"log(a^3)", r"write \log"),
        (r"y * log(a)", r"write \log"),
        (r"sigmoid(z^2)", r"write \sigma"),
        (r"2pi", r"write \pi"),
        (r"\frac{1}{2} exp(x)", r"write \exp"),
    ],
)
def test_command_names_without_their_backslash_are_refused(tex, fragment):
    assert fragment in refusal(tex).message


@pytest.mark.parametrize(
    ("tex", "fragment"),
    [
        (r"\frac{d}{dx} \sigma(x)", "derivative notation"),
        (r"\frac{d\sigma}{dz}", "derivative notation"),
        (r"\frac{\partial J}{\partial \theta}", "derivative notation"),
        (r"f'(x)", "primes"),
        (r"(\theta^2)^T", "transposes"),
        (r"x^\top", "transposes"),
        (r"\sum_{i=1}^{m} x_i", "sums"),
        (r"\int x", "integrals"),
        (r"\lim_{x} x", "limits"),
        (r"\infty", "infinity"),
        (r"\begin{aligned} x \end{aligned}", "environments"),
        (r"\delta^3 = a^3 - y", "'=' is not allowed"),
        (r"x \\ y", "line breaks"),
        (r"x & y", "alignment"),
        (r"x % comment", "comment"),
        (r"\mathbf{w} x", "decorated symbols"),
        (r"\text{loss}", "text is not part of a formula"),
        (r"\operatorname{foo}(x)", r"unknown function \operatorname{foo}"),
        (r"\foo", r"unknown LaTeX command \foo"),
        (r"\left. x \right|", r"\left. is not supported"),
        (r"\left( x \right]", r"expected ) to close '\left'"),
        (r"\left( x", "never closed"),
        (r"(x", "never closed"),
        (r"x)", "unmatched ')'"),
        (r"", "empty"),
        (r"$$", "empty"),
        (r"x +", "ends too early"),
        (r"\cdot x", r"\cdot needs a factor on each side"),
        (r"\sin\left", r"\sin needs an argument"),
        (r"\sigma\left(", "ends too early"),
    ],
)
def test_notation_symderiv_does_not_read_is_refused_with_a_reason(tex, fragment):
    assert fragment in refusal(tex).message


def test_seed_formulas_with_layer_superscripts_point_to_the_parenthesized_index():
    tex = r"\frac{1}{m}\left[ a^3 - y \right] * a^2_{12}"
    assert "a^{(2)}_{12} for a layer index" in refusal(tex).message


def test_the_same_formula_with_layer_indices_in_parentheses_is_read():
    tex = r"\frac{1}{m}\left[ a^{(3)} - y \right] * a^{(2)}_{12}"
    a3, a2_12 = sp.Symbol("a^(3)"), sp.Symbol("a^(2)_12")
    assert parse_latex(tex) == (a3 - y) * a2_12 / m


def test_text_that_is_not_a_str_is_a_type_error():
    with pytest.raises(TypeError):
        parse_latex(None)  # type: ignore[arg-type]
