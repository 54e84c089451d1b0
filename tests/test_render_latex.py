"""LaTeX: align* blocks with justifications, and standalone documents that compile."""

from __future__ import annotations

import shutil
import subprocess

import pytest
import sympy as sp

from symderiv.locales import LANGUAGES
from symderiv.render.tex import to_tex

from render_cases import power_step, standard, x


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
    block = standard()["sigmoid-chain"].to_latex()
    first = block.splitlines()[1]
    assert r"u = e^{v} + 1" in first and r"v = - x" in first


def test_textbook_forms_print_as_textbooks_write_them():
    from symderiv import sigmoid

    y, z = sp.symbols("y z")
    assert to_tex(sigmoid(x) * (1 - sigmoid(x))) == r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)"
    assert to_tex(sigmoid(z) - y) == r"\sigma\left(z\right) - y"
    assert to_tex(sp.Derivative(x * y, x)) == r"\frac{\partial}{\partial x}\left(x y\right)"


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


@pytest.mark.skipif(shutil.which("xelatex") is None, reason="xelatex is not installed (.ci/system-deps.sh installs texlive-xetex)")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_standalone_documents_compile_with_xelatex(tmp_path, lang):
    for name in ("sigmoid-chain", "cross-entropy-w", "relu"):
        log = _compile(tmp_path, f"{name}-{lang}", standard()[name].to_latex(lang=lang, standalone=True), "xelatex")
        assert "Missing character" not in log, f"{name}/{lang}: a glyph is missing from the fonts"


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed (.ci/system-deps.sh installs texlive)")
def test_english_documents_compile_with_pdflatex(tmp_path):
    _compile(tmp_path, "quotient", standard()["sigmoid-quotient"].to_latex(standalone=True), "pdflatex")


def test_layer_indexed_names_print_as_greek_with_their_scripts():
    from symderiv.render.tex import to_tex

    theta = sp.Symbol("theta^{(2)}_{12}")
    assert to_tex(theta) == r"\theta^{(2)}_{12}"
    assert to_tex(theta**2) == r"\left(\theta^{(2)}_{12}\right)^{2}"
