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
from symderiv.render.outline import Outline, outline

from render_cases import power_step, standard

RENDER = pathlib.Path(__file__).resolve().parents[1] / "symderiv" / "render"


def test_the_outline_holds_every_part_of_the_document_in_reading_order():
    derivation = standard()["sigmoid-chain"]
    document = outline(derivation, "en", intro="Why $\\sigma(x)$ is smooth.")
    assert [field.name for field in dataclasses.fields(Outline)] == [
        "lang", "title", "intro", "figures", "statement", "result_heading", "result", "named_result",
        "definitions", "steps_heading", "lines", "notes_heading", "proof_line",
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
