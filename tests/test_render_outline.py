"""The document outline: built once, format-neutral; every format only prints it."""

from __future__ import annotations

import ast
import dataclasses
import json
import pathlib

import pytest
import sympy as sp

from symderiv.locales import LANGUAGES, rule_name, word
from symderiv.render import html, latex, markdown, mathml, notebook, text
from symderiv.render.explain import Words, plain
from symderiv.render.outline import Outline, boxed, outline

from render_cases import power_step, standard

RENDER = pathlib.Path(__file__).resolve().parents[1] / "symderiv" / "render"


def test_the_outline_holds_every_part_of_the_document_in_reading_order():
    derivation = standard()["sigmoid-chain"]
    document = outline(derivation, "en", intro="Why $\\sigma(x)$ is smooth.")
    assert [field.name for field in dataclasses.fields(Outline)] == [
        "lang", "title", "intro", "figures", "statement", "result_heading", "result", "named_result",
        "definitions", "steps_heading", "lines", "notes_heading", "proof_line", "notation",
    ]
    assert plain(document.title).startswith("The derivative of")
    assert plain(document.intro).startswith("Why ")
    assert [line.number for line in document.lines] == list(range(1, len(derivation.steps) + 1))
    assert [line.rule_name for line in document.lines] == [rule_name(s.rule, "en") for s in derivation.steps]
    assert document.result == sp.Eq(sp.Derivative(derivation.expr, derivation.wrt), derivation.result)
    assert document.proof_line == word("proven", "en")


def test_a_derivation_not_proven_has_no_proof_line_and_no_proof_words():
    document = outline(power_step(sp.Symbol("x")), "en")
    assert document.proof_line == ""
    assert all(line.proof_text == "" for line in document.lines)


def test_proven_steps_carry_how_they_were_proven_in_words():
    document = outline(standard()["tanh"], "ja")
    assert all(line.proof_text for line in document.lines)


@pytest.mark.parametrize("print_outline", [
    lambda d: latex.print_outline(d, standalone=True),
    markdown.print_outline,
    html.print_outline,
    text.print_outline,
], ids=["latex", "markdown", "html", "text"])
def test_each_format_prints_the_title_the_outline_gives_it(print_outline):
    document = dataclasses.replace(outline(power_step(sp.Symbol("x")), "en"), title=(Words("Outline title"),))
    assert "Outline title" in print_outline(document)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_formats_render_through_the_outline_unchanged(lang):
    derivation = standard()["softplus"]
    document = outline(derivation, lang)
    assert derivation.to_html(lang=lang) == html.print_outline(document)
    assert derivation.to_markdown(lang=lang) == markdown.print_outline(document)
    assert derivation.to_latex(lang=lang, standalone=True) == latex.print_outline(document, standalone=True)
    assert derivation.to_text(lang=lang) == text.print_outline(document)


def test_the_notebook_cells_are_the_markdown_blocks():
    derivation = standard()["tanh"]
    head, chain, tail = markdown.blocks(outline(derivation, "zh"))
    cells = {cell["id"]: "".join(cell["source"]) for cell in json.loads(notebook.render(derivation, lang="zh"))["cells"]}
    assert cells["title"] == "\n\n".join(head) + "\n"
    assert cells["steps"] == chain
    assert cells["notes"] == "\n\n".join(tail) + "\n"


def test_mathml_prints_the_outline_chain():
    derivation = standard()["sigmoid-quotient"]
    page = mathml.render(derivation, lang="ko")
    for line in outline(derivation, "ko").lines:
        assert line.rule_name in page


def _code_strings(path: pathlib.Path) -> list[str]:
    """The string constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)
    }
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


@pytest.mark.parametrize("path", sorted(RENDER.glob("*.py")), ids=lambda p: p.name)
def test_no_renderer_holds_a_fact_about_a_language(path):
    strings = _code_strings(path)
    codes = [s for s in strings if s in LANGUAGES and s != "en"]
    fonts = [s for s in strings if "CJK" in s]
    assert not codes and not fonts, f"{path.name} names {codes or fonts}: that belongs in symderiv/locales"


# --- Derivations with sub-derivations, written by hand and proven -----------------------------

X, U, V, W = sp.symbols("x u v w")


def _by_names(expr, name, inner, outer_rule, inner_chain):
    """d/dx f(g(x)) as a textbook writes it through the name ``name`` = g(x): the chain rule,
    the two derivatives (each a sub-derivation of its own), the name put back."""
    from symderiv.core.derivation import Derivation
    from symderiv.core.steps import Step

    D = sp.Derivative
    outer = expr.subs(inner, name)
    product = sp.Mul(D(outer, name), D(inner, X), evaluate=False)
    outer_chain = Derivation(outer, name, (Step(outer_rule, D(outer, name), sp.diff(outer, name)),))
    values = sp.Mul(sp.diff(outer, name), inner_chain.result, evaluate=False)
    where = {name: inner}
    return (
        Step("chain", D(expr, X), product, where=where, detail={"introduces": where}),
        Step("derivatives", product, values, where=where, substeps=(outer_chain, inner_chain)),
        Step("substitute", values, sp.diff(expr, X), where=where),
    )


def _proven(derivation):
    return dataclasses.replace(derivation, report=derivation.check())


def sine_of_square(name=U):
    """d/dx sin(x²) = 2x·cos(x²), through u = x²: sub-derivations d/du sin u and d/dx x²."""
    from symderiv.core.derivation import Derivation

    return _proven(Derivation(sp.sin(X**2), X, _by_names(sp.sin(X**2), name, X**2, "sin", power_step(X))))


def nested():
    """d/dx e^(sin x²) through u = sin x²; its sub-derivation of sin x² has two of its own (v = x²)."""
    from symderiv.core.derivation import Derivation

    expr = sp.exp(sp.sin(X**2))
    return _proven(Derivation(expr, X, _by_names(expr, U, sp.sin(X**2), "exp", sine_of_square(V))))


def long_formula(terms=24):
    """d/dx e^p for a polynomial p of ``terms`` terms: a left side, a result and a
    sub-derivation far wider than any page, which no break before a + can shorten enough."""
    from symderiv.core.derivation import Derivation
    from symderiv.core.steps import Step

    p = sp.Add(*[X**k / k for k in range(1, terms + 1)])
    inner = Derivation(p, X, (Step("sympy", sp.Derivative(p, X), sp.diff(p, X)),))
    return _proven(Derivation(sp.exp(p), X, _by_names(sp.exp(p), W, p, "exp", inner)))


def test_sub_derivations_are_labelled_by_the_line_they_justify():
    document = outline(nested(), "en")
    assert [line.label for line in document.lines] == ["1", "2", "3"]
    subs = document.lines[1].subs
    assert [sub.label for sub in subs] == ["2a", "2b"]
    assert [line.label for line in subs[1].lines] == ["2b.1", "2b.2", "2b.3"]
    assert [sub.label for sub in subs[1].lines[1].subs] == ["2b.2a", "2b.2b"]
    assert [line.label for line in subs[1].lines[1].subs[1].lines] == ["2b.2b.1"]


def test_every_line_at_every_level_says_how_it_was_proven():
    def lines(chain_lines):
        for line in chain_lines:
            yield line
            for sub in line.subs:
                yield from lines(sub.lines)

    every = list(lines(outline(nested(), "ko").lines))
    assert len(every) == 3 + 1 + 3 + 1 + 1
    assert all(line.proof_text for line in every)


def test_the_box_holds_the_result_in_names_then_in_the_original_variables():
    derivation = nested()
    lhs, sides = boxed(outline(derivation, "en"))
    expected = sp.diff(sp.exp(sp.sin(X**2)), X)  # SymPy's own derivative, not symderiv's
    assert lhs == sp.Derivative(sp.exp(sp.sin(X**2)), X)
    assert len(sides) == 2 and U in sides[0].free_symbols
    assert sp.simplify(sides[0].subs(U, sp.sin(X**2)) - expected) == 0
    assert sp.simplify(sides[1] - expected) == 0 and not sides[1].free_symbols - {X}


def test_without_names_the_box_holds_the_result_once():
    lhs, sides = boxed(outline(standard()["tanh"], "en"))
    assert sides == (standard()["tanh"].result,)


def test_the_definitions_hold_each_name_once_at_every_level():
    assert outline(nested(), "en").definitions == ((U, sp.sin(X**2)), (V, X**2))


def focused():
    """d/dx (x² + eˣ), each step with its focus: the sum rule, then x² → 2x, then eˣ → eˣ."""
    from symderiv.core.derivation import Derivation
    from symderiv.core.steps import Step

    D = sp.Derivative
    split = sp.Add(D(X**2, X), D(sp.exp(X), X), evaluate=False)
    one = sp.Add(2 * X, D(sp.exp(X), X), evaluate=False)
    steps = (
        Step("sum", D(X**2 + sp.exp(X), X), split),
        Step("power", split, one, focus=(D(X**2, X), 2 * X), detail={"exponent": 2, "variable": X}),
        Step("exp", one, 2 * X + sp.exp(X), focus=(D(sp.exp(X), X), sp.exp(X))),
    )
    return _proven(Derivation(X**2 + sp.exp(X), X, steps))


def test_each_line_marks_what_its_step_made_never_a_whole_side():
    lines = outline(focused(), "en").lines
    assert [line.mark for line in lines] == [None, 2 * X, sp.exp(X)]  # the sum rule rewrote it all
    assert lines[0].lhs_mark is None


def test_one_notation_for_the_whole_document():
    assert outline(focused(), "en").notation == "upright"  # x alone: d
    assert outline(standard()["cross-entropy-w"], "en").notation == "partial"  # w, x, b, y: ∂
