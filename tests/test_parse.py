"""sd.parse: text formulas read into SymPy expressions, each rule of the language one test."""

from __future__ import annotations

import pytest
import sympy as sp
from formula_corpus import BOTH, TEXT_ONLY

import symderiv as sd

from symderiv.errors import LimitError, ParseError
from symderiv.core.functions import relu, sigmoid, softplus
from symderiv.models.losses import binary_cross_entropy
from symderiv.parse.limits import Limits
from symderiv.parse.text import TEXT_FUNCTIONS, parse
from symderiv.parse.tree import FUNCTIONS

x, y, z, w, b, a = sp.symbols("x y z w b a")


# --- round trips --------------------------------------------------------------------------------


@pytest.mark.parametrize("expr", BOTH + TEXT_ONLY, ids=str)
def test_parse_reads_back_what_sympy_prints(expr):
    assert parse(str(expr)) == expr


def test_the_round_trip_corpus_holds_more_than_a_hundred_distinct_expressions():
    assert len(set(BOTH + TEXT_ONLY)) >= 100


# --- Python-style math, with Python's precedence ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/(1 + exp(-x))", 1 / (1 + sp.exp(-x))),
        ("-x**2", -(x**2)),
        ("2**3**2", sp.Integer(512)),
        ("a/b*z", (a / b) * z),
        ("a/b/z", a / (b * z)),
        ("2*(x + 1)*y", 2 * (x + 1) * y),
        ("y*2*(x + 1)", y * 2 * (x + 1)),
        ("x - y - z", x - y - z),
        ("x**-1", 1 / x),
        ("+x", x),
        ("--x", x),
        ("(((x)))", x),
    ],
)
def test_python_syntax_gives_the_expression_python_would_build(text, expected):
    assert parse(text) == expected


def test_integers_are_exact_so_one_half_is_a_rational():
    assert parse("1/2") == sp.Rational(1, 2)


def test_decimals_are_sympy_floats():
    assert parse("0.25*x") == sp.Float("0.25") * x
    assert parse("1e-3") == sp.Float("0.001")
    assert parse(".5") == sp.Float("0.5")


def test_the_logistic_cross_entropy_as_typed_in_notes():
    assert parse("-(y*log(a) + (1 - y)*log(1 - a))") == binary_cross_entropy(a, y)


# --- what people paste from notes ---------------------------------------------------------------------


def test_caret_is_a_power():
    assert parse("x^2 + 2^x") == x**2 + 2**x


def test_caret_is_right_associative_like_double_star():
    assert parse("2^3^2") == parse("2**3**2") == 512


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2x", 2 * x),
        ("2x^2", 2 * x**2),
        ("-2x", -2 * x),
        ("3(x + 1)", 3 * (x + 1)),
        ("2σ(z)", 2 * sigmoid(z)),
        ("2pi", 2 * sp.pi),
        ("1.5x", sp.Float("1.5") * x),
        ("2x/3", 2 * x / 3),
    ],
)
def test_a_number_directly_before_a_name_or_bracket_multiplies_it(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x·y", x * y),
        ("x⋅y", x * y),
        ("x×y", x * y),
        ("x − y", x - y),
        ("x ÷ y", x / y),
        ("σ(x)", sigmoid(x)),
        ("x\u00a0+\u2009y", x + y),
    ],
)
def test_unicode_operators_and_spaces(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("x²", x**2), ("x³ + x", x**3 + x), ("x⁻¹", 1 / x), ("x¹²", x**12), ("(x + 1)²", (x + 1) ** 2)],
)
def test_superscript_digits_are_powers(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("θ", "theta"),
        ("α", "alpha"),
        ("λ", "lambda"),
        ("Θ", "Theta"),
        ("theta", "theta"),
        ("theta_12", "theta_12"),
        ("a2", "a2"),
        ("W_ij", "W_ij"),
        ("x₁", "x_1"),
        ("θ₁₂", "theta_12"),
        ("θ_1", "theta_1"),
        ("sigma", "sigma"),
    ],
)
def test_names_greek_letters_and_subscripts_become_symbols(text, name):
    assert parse(text) == sp.Symbol(name)


@pytest.mark.parametrize(("text", "value"), [("e", sp.E), ("E", sp.E), ("pi", sp.pi), ("π", sp.pi), ("I", sp.I)])
def test_constants_as_sympy_prints_them(text, value):
    assert parse(text) == value


def test_e_to_a_power_is_the_exponential():
    assert parse("e^x") == sp.exp(x)


# --- functions ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("spelling", sorted(TEXT_FUNCTIONS))
def test_every_whitelisted_spelling_calls_its_function(spelling):
    info = FUNCTIONS[TEXT_FUNCTIONS[spelling]]
    args = ", ".join(["x", "y", "z"][: info.min_args])
    expected = info.build(*[x, y, z][: info.min_args])
    assert parse(f"{spelling}({args})") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("sigmoid(x)", sigmoid(x)),
        ("softplus(x)", softplus(x)),
        ("relu(x)", relu(x)),
        ("ReLU(w*x + b)", relu(w * x + b)),
        ("ln(x)", sp.log(x)),
        ("log(x, 2)", sp.log(x) / sp.log(2)),
        ("abs(x)", sp.Abs(x)),
        ("arcsin(x)", sp.asin(x)),
        ("max(0, x)", sp.Max(0, x)),
        ("Heaviside(x, 0)", sp.Heaviside(x, 0)),
        ("factorial(5)", sp.Integer(120)),
    ],
)
def test_function_calls(text, expected):
    assert parse(text) == expected


def test_sigma_is_the_sigmoid_when_called_and_a_symbol_otherwise():
    assert parse("σ(z)*(1 - σ(z)) + σ") == sigmoid(z) * (1 - sigmoid(z)) + sp.Symbol("sigma")


# --- refusals: each says what and where ------------------------------------------------------------------


def refusal(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse(text)
    return caught.value


def test_a_refusal_shows_message_position_and_a_caret_under_the_problem():
    error = refusal("x + foo(y)")
    assert error.position == 4
    assert error.text == "x + foo(y)"
    assert str(error).splitlines() == [
        f"{error.message} at position 4",
        "  x + foo(y)",
        "      ^",
    ]


def test_parse_errors_are_value_errors():
    assert isinstance(refusal("x +"), ValueError)


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("x +", 3, "ends too early"),
        ("x y", 2, "missing operator between 'x' and 'y'"),
        ("2 x", 2, "missing operator"),
        ("(a)(b)", 3, "missing operator between ')' and '('"),
        ("((x)", 0, "never closed"),
        ("x)", 1, "unmatched ')'"),
        ("()", 0, "empty brackets"),
        ("x, y", 1, "',' can only separate the arguments"),
        ("foo(x)", 0, "unknown function 'foo'"),
        ("f(x)", 0, "For a product write f*(...)"),
        ("sin x", 0, "'sin' is a function: write sin(x)"),
        ("exp", 0, "is a function"),
        ("sin()", 3, "needs an argument"),
        ("log(x, 2, 3)", 0, "takes 1 to 2 argument(s), got 3"),
        ("x = 1", 2, "not an equation"),
        ("[x]", 0, "use ( ) for grouping"),
        ("n!", 1, "factorial(n)"),
        ("x.real", 1, "'.' can only appear inside a number"),
        ("007", 0, "leading zeros"),
        ("1_000", 1, "'_' cannot separate digits"),
        ("oo", 0, "infinity"),
        ("import", 0, "Python keyword"),
        ("x_", 1, "cannot end with '_'"),
        ("x__y", 1, "cannot hold '__'"),
    ],
)
def test_refusals_name_the_problem_at_its_position(text, position, fragment):
    error = refusal(text)
    assert fragment in error.message
    assert error.position == position


def test_a_division_by_a_number_glued_to_a_name_is_ambiguous():
    error = refusal("x/2y")
    assert "/(2*y)" in error.message and "/2*y" in error.message
    assert error.position == 1


def test_an_exponent_glued_to_a_name_is_ambiguous():
    error = refusal("2^2x")
    assert "^(2*x)" in error.message
    assert error.position == 1


def test_zero_glued_to_a_name_looks_like_hexadecimal_and_is_refused():
    assert "hexadecimal" in refusal("0x10").message


def test_two_spellings_that_print_the_same_are_refused():
    error = refusal("a2 + a_2")
    assert "'a2' and 'a_2'" in error.message
    assert error.position == 5


def test_a_greek_letter_glued_to_other_letters_is_refused():
    assert "θ*x" in refusal("θx").message


def test_a_superscript_index_then_subscript_points_to_latex():
    assert "\\theta^{(2)}_{12}" in refusal("θ²₁₂").message


def test_a_superscript_followed_by_another_power_is_ambiguous():
    assert "ambiguous" in refusal("x²^2").message


@pytest.mark.parametrize(("text", "position"), [("1/0", 2), ("log(0)", 0), ("x + 1/(1 - 1)", 7)])
def test_a_division_by_zero_is_refused_at_the_divisor(text, position):
    error = refusal(text)
    assert "undefined" in error.message
    assert error.position == position


def test_an_infinite_value_is_refused():
    assert "infinite" in refusal("atanh(1)").message


def test_sympy_refusing_an_argument_becomes_a_parse_error():
    assert "SymPy cannot build" in refusal("max(I, 1)").message


def test_text_that_is_not_a_str_is_a_type_error():
    with pytest.raises(TypeError):
        parse(b"x + 1")  # type: ignore[arg-type]


def test_limits_can_be_tightened_per_call():
    with pytest.raises(LimitError) as caught:
        parse("x + y + z", limits=Limits(max_nodes=3))
    assert caught.value.limit == "nodes"


@pytest.mark.parametrize(("text", "expected"), [
    ("|x|", sp.Abs(sp.Symbol("x"))),
    ("|x - 1|*2", 2 * sp.Abs(sp.Symbol("x") - 1)),
    ("|a + |b||", sp.Abs(sp.Symbol("a") + sp.Abs(sp.Symbol("b")))),
    ("√x", sp.sqrt(sp.Symbol("x"))),
    ("√(x + 1)/2", sp.sqrt(sp.Symbol("x") + 1) / 2),
])
def test_bars_and_the_root_sign_read_as_a_textbook_writes_them(text, expected):
    assert sd.parse(text) == expected


@pytest.mark.parametrize(("text", "position", "message"), [
    ("|x", 0, "never closed"),
    ("||", 0, "empty bars"),
    ("√x^2", 2, "ambiguous"),
])
def test_bars_and_roots_that_cannot_be_read_say_where(text, position, message):
    with pytest.raises(sd.ParseError, match=message) as caught:
        sd.parse(text)
    assert caught.value.position == position
