"""LaTeX: align* blocks with justifications, and standalone documents that compile.

Whether a document fits its page is TeX's own verdict: each is compiled, and its log read for
``Overfull \\hbox`` (a line wider than the text, by so many points).
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess

import pytest
import sympy as sp

from symderiv.documents import DOCUMENTS
from symderiv.locales import LANGUAGES

from render_cases import power_step, standard, x
from test_render_outline import focused, long_formula, nested, sine_of_square


def test_each_line_has_its_justification_in_text():
    block = standard()["sigmoid-quotient"].to_latex()
    lines = block.splitlines()
    assert lines[0] == r"\begin{align*}" and lines[-1] == r"\end{align*}"
    numbered = [line for line in lines if r"\text{(" in line]
    assert len(numbered) == len(standard()["sigmoid-quotient"].steps)
    assert r"\text{(1) Quotient rule}" in lines[1]


def test_the_first_line_starts_from_the_derivative_asked_for():
    block = power_step(x).to_latex()
    assert r"\frac{\mathrm{d}}{\mathrm{d}x} x^{2} &= 2 x" in block


def test_a_substitution_is_shown_on_the_line_that_introduces_it():
    block = sine_of_square().to_latex()
    first = block.splitlines()[1]
    assert r"\text{(1) " in first and r"u = x^{2}" in first


def test_the_document_reads_result_names_chain_then_justifications():
    document = nested().to_latex(standalone=True)
    body = document.split("\\begin{document}")[1]
    box = body.index("\\boxed{")
    names = body.index("u &= ")
    chain = body.index("\\tag*{(1) ")
    notes = body.index("\\item[(1)]")
    assert box < names < chain < notes
    assert body.count("\\boxed{") == 1


def test_cjk_documents_ask_for_xelatex_and_a_cjk_font():
    document = standard()["relu"].to_latex(lang="ja", standalone=True)
    assert r"\RequireXeTeX" in document and "Noto Serif CJK JP" in document
    assert "ReLU の微分" in document


def _compile(tmp_path, name, text, engine):
    (tmp_path / f"{name}.tex").write_text(text, encoding="utf-8")
    result = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"],
        cwd=tmp_path, capture_output=True, text=True, timeout=180,
    )
    log = (tmp_path / f"{name}.log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, log[-3000:]
    assert (tmp_path / f"{name}.pdf").stat().st_size > 1000
    return log


def _overfull(log: str) -> list[float]:
    """How far each overfull line sticks out into the margin, in points, as TeX reports it."""
    return [float(points) for points in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]


_XELATEX = pytest.mark.skipif(shutil.which("xelatex") is None,
                              reason="xelatex is not installed (.ci/system-deps.sh installs texlive-xetex)")


@_XELATEX
@pytest.mark.parametrize("lang", LANGUAGES)
def test_standalone_documents_compile_with_xelatex(tmp_path, lang):
    for name in ("sigmoid-chain", "cross-entropy-w", "relu"):
        log = _compile(tmp_path, f"{name}-{lang}", standard()[name].to_latex(lang=lang, standalone=True), "xelatex")
        assert "Missing character" not in log, f"{name}/{lang}: a glyph is missing from the fonts"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The standard documents as symderiv.documents.build writes them (titles from the catalogs)."""
    from symderiv.documents import build

    out = tmp_path_factory.mktemp("built")
    build(out)
    return out


@_XELATEX
@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_line_of_a_standard_document_runs_into_the_margin(built, tmp_path, lang):
    """No Overfull \\hbox in any standard document: a long formula is broken, a long left side
    gets a row of its own, a rule's name moves below a line that leaves it no room, a long
    formula in a paragraph is set apart."""
    wide = {}
    for document in DOCUMENTS:
        text = (built / lang / f"{document.name}.tex").read_text(encoding="utf-8")
        over = _overfull(_compile(tmp_path, f"{document.name}-{lang}", text, "xelatex"))
        if over:
            wide[document.name] = over
    assert not wide, f"overfull lines (pt too wide): {wide}"


@_XELATEX
@pytest.mark.parametrize("lang", LANGUAGES)
def test_sub_derivations_nest_as_indented_lists_and_compile(tmp_path, lang):
    document = nested().to_latex(lang=lang, standalone=True)
    body = document.split("\\begin{document}")[1]
    depth, deepest = 0, 0
    for match in re.finditer(r"\\(begin|end)\{symnotes\}", body):
        depth += 1 if match.group(1) == "begin" else -1
        deepest = max(deepest, depth)
    assert depth == 0 and deepest == 3  # the justifications, 2b in them, and 2b.2's own in 2b
    for label in ("2a.1", "2b.1", "2b.2", "2b.2a.1", "2b.2b.1", "2b.3"):
        assert f"\\item[({label})]" in body and f"\\tag*{{({label}) " in body
    log = _compile(tmp_path, f"nested-{lang}", document, "xelatex")
    assert not _overfull(log)


def _deep(levels: int):
    """d/dx x² = 2x, justified by a sub-derivation of the same, ``levels`` deep."""
    from symderiv.core.derivation import Derivation
    from symderiv.core.steps import Step

    chain = power_step(x)
    for _ in range(levels):
        chain = Derivation(x**2, x, (Step("derivatives", sp.Derivative(x**2, x), 2 * x, substeps=(chain,)),))
    return dataclasses.replace(chain, report=chain.check())


@_XELATEX
def test_sub_derivations_deeper_than_latex_nests_lists_still_compile(tmp_path):
    document = _deep(8).to_latex(standalone=True)
    assert document.count("\\begin{symnotes}") == 1 + 4  # LaTeX nests six lists: four levels indent
    _compile(tmp_path, "deep", document, "xelatex")


@_XELATEX
def test_long_formulas_are_broken_or_set_apart_not_run_into_the_margin(tmp_path):
    log = _compile(tmp_path, "long", long_formula(12).to_latex(standalone=True), "xelatex")
    assert not _overfull(log)


@_XELATEX
def test_the_focus_macro_compiles_in_every_position(tmp_path):
    """``\\symfocus`` (the mark of the part a step rewrote) in text style, in a display, in a
    fraction and in a script: a tinted box with an underline, from xcolor."""
    preamble = standard()["relu"].to_latex(standalone=True).split("\\begin{document}")[0]
    body = r"$\symfocus{x^{2}} + 1$ \[ \frac{\symfocus{2 x}}{\symfocus{\frac{1}{y}}} + e^{\symfocus{u}} \]"
    log = _compile(tmp_path, "focus", preamble + "\\begin{document}\n" + body + "\n\\end{document}\n", "xelatex")
    assert "xcolor.sty" in log


@_XELATEX
def test_the_part_each_step_made_is_marked_and_the_document_defines_the_mark(tmp_path):
    document = focused().to_latex(standalone=True)
    rows = document.split("\\begin{align*}")[1].split("\\end{align*}")[0].split("\\\\\n")
    assert ["\\symfocus{" in row for row in rows] == [False, True, True]
    assert "\\symfocus{2 x}" in rows[1] and "\\symfocus{e^{x}}" in rows[2]
    assert "\\newcommand{\\symfocus}" in document.split("\\begin{document}")[0]
    _compile(tmp_path, "focused", document, "xelatex")


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed (.ci/system-deps.sh installs texlive)")
def test_english_documents_compile_with_pdflatex(tmp_path):
    _compile(tmp_path, "quotient", standard()["sigmoid-quotient"].to_latex(standalone=True), "pdflatex")
    _compile(tmp_path, "nested", nested().to_latex(standalone=True), "pdflatex")
    _compile(tmp_path, "focused", focused().to_latex(standalone=True), "pdflatex")


def test_layer_indexed_names_print_as_greek_with_their_scripts():
    from symderiv.render.tex import to_tex

    theta = sp.Symbol("theta^{(2)}_{12}")
    assert to_tex(theta) == r"\theta^{(2)}_{12}"
    assert to_tex(theta**2) == r"\left(\theta^{(2)}_{12}\right)^{2}"
