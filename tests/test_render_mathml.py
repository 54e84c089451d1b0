"""MathML through latex2mathml: well-formed, annotated, and without its known gaps."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from symderiv.locales import LANGUAGES
from symderiv.render import RenderError
from symderiv.render.mathml import tex_to_mathml

from render_cases import standard

NS = "{http://www.w3.org/1998/Math/MathML}"


def _tokens(root):
    return [node for node in root.iter() if node.tag in (NS + "mi", NS + "mo", NS + "mn", NS + "mtext")]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_standard_derivation_is_one_well_formed_block(lang):
    for name, derivation in standard().items():
        root = ET.fromstring(derivation.to_mathml(lang=lang))
        assert root.tag == NS + "math" and root.get("display") == "block", name
        semantics = root.find(NS + "semantics")
        annotation = semantics.find(NS + "annotation")
        assert annotation.get("encoding") == "application/x-tex"
        assert annotation.text.startswith("\\begin{aligned}")
        table = semantics.find(NS + "mtable")
        assert table is not None and len(table) >= len(derivation.steps)
        assert not any((t.text or "").startswith("\\") for t in _tokens(root)), name
        assert "&" not in "".join(t.text or "" for t in _tokens(root) if t.tag != NS + "mtext")


def test_upright_d_keeps_mathvariant_normal():
    root = ET.fromstring(tex_to_mathml(r"\frac{\mathrm{d}}{\mathrm{d}x} x"))
    ds = [t for t in root.iter(NS + "mi") if t.text == "d"]
    assert len(ds) == 2 and all(t.get("mathvariant") == "normal" for t in ds)


def test_ampersand_and_less_than_in_text_stay_well_formed():
    root = ET.fromstring(tex_to_mathml(r"\text{a \& b < c} + x"))
    assert [t.text for t in root.iter(NS + "mtext")] == ["a\u00a0&\u00a0b\u00a0<\u00a0c"]


def test_operatorname_is_an_identifier_not_an_operator():
    root = ET.fromstring(tex_to_mathml(r"\operatorname{ReLU}\left(x\right)"))
    assert [t.text for t in root.iter(NS + "mi")][:1] == ["ReLU"]
    assert "ReLU" not in [t.text for t in root.iter(NS + "mo")]


@pytest.mark.parametrize("tex", [r"\eqref{x}", r"\unknowncommand x", r"\frac{1}{\foo}"])
def test_unknown_commands_are_refused(tex):
    with pytest.raises(RenderError, match="does not know the TeX command"):
        tex_to_mathml(tex)


def test_aligned_is_never_passed_to_latex2mathml():
    xml = standard()["sigmoid-quotient"].to_mathml()
    root = ET.fromstring(xml)
    assert root.find(f"{NS}semantics/{NS}mtable").get("columnalign") == "right left left"


def test_the_tex_can_be_copied_back_from_every_formula():
    root = ET.fromstring(tex_to_mathml(r"\sigma\left(x\right) < 1"))
    assert root.find(f"{NS}semantics/{NS}annotation").text == r"\sigma\left(x\right) < 1"


def test_a_leading_minus_inside_parentheses_is_a_sign():
    root = ET.fromstring(tex_to_mathml(r"\left(- x\right)"))
    fenced = [row for row in root.iter(NS + "mrow") if len(row) == 3 and row[0].get("form") == "prefix"]
    assert fenced and fenced[0][1].tag == NS + "mrow" and fenced[0][1][0].text == "−"


def _loose_signs(root):
    """Rows where a minus that is a sign (first, or after another operator) is not grouped with
    its operand alone: the sign's row goes on past the next + − =."""
    loose = []
    for row in root.iter():
        children = list(row)
        for index, node in enumerate(children):
            if node.tag != NS + "mo" or node.text != "\u2212":
                continue
            after_operator = index > 0 and children[index - 1].tag == NS + "mo" and children[index - 1].text in "+\u2212="
            if index == 0 or after_operator:
                rest = children[index + 1:]
                if (index > 0 or row.tag != NS + "mrow") or any(
                        n.tag == NS + "mo" and n.text in ("+", "\u2212", "=") for n in rest):
                    loose.append(ET.tostring(row, encoding="unicode")[:120])
    return loose


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_sign_in_the_standard_documents_is_grouped_with_its_operand(lang):
    for name, derivation in standard().items():
        root = ET.fromstring(derivation.to_mathml(lang=lang))
        assert _loose_signs(root) == [], name


def test_no_prime_is_an_identifier():
    root = ET.fromstring(tex_to_mathml(r"\left(u + v\right)' = u' + v'"))
    primes = [node for node in root.iter() if node.text == "′"]
    assert len(primes) == 3 and all(node.tag == NS + "mo" for node in primes)
    assert all(parent.tag == NS + "msup" for parent in root.iter() for child in parent if child in primes)


def test_the_focus_macro_becomes_a_class_and_nothing_else():
    root = ET.fromstring(tex_to_mathml(r"1 + \symfocus{x^{2}}"))
    rows = [node for node in root.iter() if node.get("class")]
    assert [(node.tag, node.get("class")) for node in rows] == [(NS + "mrow", "focus")]
    assert rows[0][0].tag == NS + "msup"
    assert not any((node.text or "").startswith("\\") for node in root.iter())
