"""A computational graph drawn: as text tables, as Graphviz DOT text, and as an SVG picture.

The graph itself is :mod:`symderiv.models.graph`; this module only draws it, and reads it
through the few attributes a drawing needs (:class:`GraphLike`): its nodes in forward order,
its edges, its output and its symbolic backward pass. An evaluation at a point
(:class:`EvaluationLike`) adds each node's forward value and gradient and each edge's local
gradient. The seeds draw the forward pass in black and the backward pass in red; so do these.

The SVG is laid out by Graphviz's dot in a child process with symderiv's own font
(:mod:`symderiv.render.layout`), so the same graph is the same bytes on every machine.
"""

from __future__ import annotations

import html
import shutil
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import sympy as sp

from ..errors import SymderivError
from .layout import FONTNAME, run_layout
from .unicode import columns, number, unicode

__all__ = ["LAYOUT_ENGINES", "EvaluationLike", "GraphLike", "dot_text", "layout_engine", "svg_from_dot", "table"]

#: The layout engines :func:`svg_from_dot` can use, in the order ``engine="auto"`` tries them.
LAYOUT_ENGINES: dict[str, str] = {
    "pygraphviz": "Graphviz's dot, in-process, from the pygraphviz wheel (Graphviz bundled in it)",
    "dot": "the dot program of an installed Graphviz (Debian: apt-get install graphviz)",
}

_BACKWARD = "#c0392b"  # the seeds draw the backward pass in red
_FONT = FONTNAME  # DejaVu Sans: the font Graphviz measures the labels with (symderiv.render.layout)


class NodeLike(Protocol):
    """What a drawing reads of a node (:class:`symderiv.models.graph.Node`)."""

    @property
    def index(self) -> int: ...
    @property
    def op(self) -> str: ...
    @property
    def name(self) -> sp.Expr: ...
    @property
    def definition(self) -> sp.Expr: ...
    @property
    def label(self) -> str: ...
    @property
    def is_input(self) -> bool: ...


class EdgeLike(Protocol):
    """What a drawing reads of an edge (:class:`symderiv.models.graph.Edge`)."""

    @property
    def source(self) -> NodeLike: ...
    @property
    def target(self) -> NodeLike: ...
    @property
    def local_gradient(self) -> sp.Expr: ...


class GraphLike(Protocol):
    """What a drawing reads of a graph (:class:`symderiv.models.graph.Graph`)."""

    @property
    def nodes(self) -> Sequence[Any]: ...
    @property
    def edges(self) -> Sequence[Any]: ...
    @property
    def output(self) -> Any: ...
    def gradients(self) -> Mapping[Any, sp.Expr]: ...


class EvaluationLike(Protocol):
    """What a drawing reads of an evaluation at a point (:class:`symderiv.models.graph.Evaluation`)."""

    @property
    def values(self) -> Mapping[Any, float]: ...
    @property
    def gradients(self) -> Mapping[Any, float]: ...
    @property
    def local_gradients(self) -> Mapping[Any, float]: ...


# --- Text tables -------------------------------------------------------------------------------

def table(g: GraphLike, r: EvaluationLike | None = None) -> str:
    """The nodes, then the edges, as two text tables; with ``r``, their values at its point too.

    Without ``r`` each node shows its gradient as a formula in the nodes' names; with ``r``, its
    forward value and its gradient as numbers. A constant's gradient is not shown (—), nor are
    the edges leaving a constant.

    >>> import symderiv as sd, sympy as sp
    >>> print(table(sd.graph(sp.exp(-sp.Symbol("x")))))
    node  op     computes  ∂y/∂node
    x     input  x         −y
    u     ×(−1)  −x        y
    y     exp    exp(u)    1
    <BLANKLINE>
    edge   local gradient
    x → u  ∂u/∂x = −1
    u → y  ∂y/∂u = y
    """
    out = unicode(g.output.name)
    rows = [["node", "op", "computes"] + (["value", f"∂{out}/∂node"] if r else [f"∂{out}/∂node"])]
    symbolic = g.gradients() if r is None else {}
    for node in g.nodes:
        op = {"symbol": "input", "constant": "constant"}.get(node.op, node.label)
        row = [unicode(node.name), op, unicode(node.definition)]
        if r is not None:
            row.append(number(r.values[node]))
            row.append("—" if node.op == "constant" else number(r.gradients[node]))
        else:
            row.append("—" if node.op == "constant" else unicode(symbolic[node]))
        rows.append(row)
    edges = [["edge", "local gradient"] + (["value"] if r else [])]
    for edge in g.edges:
        if edge.source.op == "constant":
            continue
        row = [f"{unicode(edge.source.name)} → {unicode(edge.target.name)}",
               f"∂{unicode(edge.target.name)}/∂{unicode(edge.source.name)} = {unicode(edge.local_gradient)}"]
        if r is not None:
            row.append(number(r.local_gradients[edge]))
        edges.append(row)
    return columns(rows) + "\n\n" + columns(edges)


# --- DOT text ----------------------------------------------------------------------------------

def dot_text(g: GraphLike, r: EvaluationLike | None = None) -> str:
    """The graph in Graphviz's DOT language, left to right: ops, definitions, gradients in red.

    Each node shows its op, its name and definition and its gradient; each edge its local
    gradient. With ``r`` the numbers at its point are shown too, to 4 digits.

    >>> import symderiv as sd, sympy as sp
    >>> text = dot_text(sd.graph(sp.log(sp.Symbol("x"))))
    >>> text.splitlines()[0], "n0 -> n1" in text
    ('digraph "computational graph" {', True)
    """
    lines = [
        'digraph "computational graph" {',
        f'  graph [rankdir=LR, nodesep=0.35, ranksep=0.7, fontname="{_FONT}"];',
        f'  node [fontname="{_FONT}", fontsize=12, shape=box, style=rounded, margin="0.12,0.06"];',
        f'  edge [fontname="{_FONT}", fontsize=11, arrowsize=0.7];',
    ]
    symbolic = g.gradients()
    out = unicode(g.output.name)
    for node in g.nodes:
        parts = _node_lines(node, r)
        if node.op != "constant":
            gradient = f"∂{out}/∂{unicode(node.name)} = {unicode(symbolic[node])}"
            if r is not None and not symbolic[node].is_number:
                gradient += f" = {number(r.gradients[node], 4)}"
            parts.append(f'<font color="{_BACKWARD}">{_html(gradient)}</font>')
        shape = ', shape=plaintext' if node.is_input else ''
        lines.append(f"  n{node.index} [label=<{'<br/>'.join(parts)}>{shape}];")
    for edge in g.edges:
        lines.append(f"  n{edge.source.index} -> n{edge.target.index}{_edge_label(edge, r)};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _node_lines(node: NodeLike, r: EvaluationLike | None) -> list[str]:
    """The forward lines of a node's label: its name (and value), or its op and definition."""
    name = _html(unicode(node.name))
    if node.op == "constant":
        return [f"<b>{name}</b>"]
    if node.op == "symbol":
        return [f"<b>{name}</b>" + (f" = {_html(number(r.values[node], 4))}" if r else "")]
    forward = f"{unicode(node.name)} = {unicode(node.definition)}"
    if r is not None:
        forward += f" = {number(r.values[node], 4)}"
    return [f"<b>{_html(node.label)}</b>", _html(forward)]


def _edge_label(edge: EdgeLike, r: EvaluationLike | None) -> str:
    """An edge's attribute list with its local gradient in red; none for an edge from a constant."""
    if edge.source.op == "constant":
        return ""
    text = unicode(edge.local_gradient)
    if r is not None and not edge.local_gradient.is_number:
        text += f" = {number(r.local_gradients[edge], 4)}"
    return f' [label=<<font color="{_BACKWARD}">{_html(text)}</font>>]'


def _html(text: str) -> str:
    return html.escape(text, quote=True)


# --- SVG: Graphviz lays the DOT text out ----------------------------------------------------------

def layout_engine(engine: str = "auto") -> str:
    """The layout engine ``engine`` names, or for ``"auto"`` the first available one.

    ``"pygraphviz"`` is Graphviz itself, bundled in the pygraphviz wheel (a dependency of
    symderiv, so a fresh machine without system packages has it); ``"dot"`` is the program of an
    installed Graphviz, used when pygraphviz cannot be imported. Raises :class:`SymderivError`
    when none is available.

    >>> layout_engine("auto") in LAYOUT_ENGINES
    True
    """
    if engine not in ("auto", *LAYOUT_ENGINES):
        raise ValueError(f"unknown layout engine {engine!r}; choose auto, {', '.join(LAYOUT_ENGINES)}")
    candidates = list(LAYOUT_ENGINES) if engine == "auto" else [engine]
    for candidate in candidates:
        if candidate == "pygraphviz" and _has_pygraphviz():
            return candidate
        if candidate == "dot" and shutil.which("dot"):
            return candidate
    raise SymderivError(
        "no Graphviz to lay out the picture: pip install 'symderiv[graph]' "
        "(or install Graphviz: apt-get install graphviz)"
    )


def _has_pygraphviz() -> bool:
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        return False
    return True


def svg_from_dot(dot: str, *, engine: str = "auto") -> str:
    """Lay out DOT text with Graphviz's dot and return the ``<svg>`` element, without its prologue.

    Graphviz runs in a child process that sees only symderiv's own font, DejaVu Sans (see
    :mod:`symderiv.render.layout`), so a picture is the same bytes on every machine with the same
    Graphviz, whatever fonts the machine has, and its labels fit their boxes. The XML declaration,
    doctype and Graphviz's version comment are dropped, so that the SVG can be embedded in HTML as
    it is and does not change with the Graphviz version that drew it. Raises
    :class:`SymderivError` when Graphviz fails and :class:`LimitError` when it runs too long.

    >>> svg_from_dot('digraph { a -> b }').startswith("<svg")
    True
    """
    svg = run_layout(dot, layout_engine(engine))
    if "<svg" not in svg:
        raise SymderivError("Graphviz could not draw the graph: it returned no <svg> element")
    return svg[svg.index("<svg"):]
