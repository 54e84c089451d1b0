"""What Jupyter shows: one-line reprs, a derivation as HTML, a graph as SVG, a network's layers."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
import sympy as sp

import symderiv as sd

x, w, b, y = sp.symbols("x w b y")


def test_every_repr_fits_on_one_line():
    loss = -(y * sp.log(sd.sigmoid(w * x + b)) + (1 - y) * sp.log(1 - sd.sigmoid(w * x + b)))
    shown = [repr(sd.derive(loss, w)), repr(sd.graph(loss)), repr(sd.network([2, 2, 1]))]
    for text in shown:
        assert "\n" not in text and len(text) <= 160, text
    assert shown[0].startswith("<Derivation d/dw ") and shown[0].endswith(", proven>")


def test_a_derivation_shows_as_html_holding_its_chain_in_mathml():
    d = sd.derive(1 / (1 + sp.exp(-x)), x)
    bundle = d._repr_mimebundle_()
    assert {"text/html", "text/latex", "text/markdown", "text/plain"} <= bundle.keys()
    tree = ElementTree.fromstring(bundle["text/html"])  # well-formed XML, as a browser parses it
    math = [el for el in tree.iter() if el.tag.endswith("math")]
    assert len(math) == 1
    assert len([el for el in math[0].iter() if el.tag.endswith("mtr")]) >= len(d.steps)


def test_a_graph_shows_as_its_picture():
    g = sd.graph(sd.sigmoid(w * x + b))
    try:
        sd.graph(x + 1).to_svg()
    except sd.SymderivError:
        pytest.skip("no Graphviz: the graph extra is not installed")
    svg = g._repr_svg_()
    root = ElementTree.fromstring(svg)
    assert root.tag.endswith("svg")
    labels = "".join(root.itertext())
    assert "σ" in labels


def test_a_network_shows_its_forward_pass_and_delta_rules():
    net = sd.network([2, 2, 1])
    markdown = net._repr_markdown_()
    assert markdown.startswith("`network([2, 2, 1]")
    from symderiv.render.tex import to_tex

    forward = markdown.split("$$")[1]
    for name in net.bindings:  # each z and a defined once in the forward pass
        assert [line.startswith(f"{to_tex(name)} &=") for line in forward.splitlines()].count(True) == 1
    assert "\\delta^{(3)}" in markdown and "\\delta^{(2)}" in markdown
