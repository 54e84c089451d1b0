"""The ``symderiv graph`` command: a formula as a computational graph, node by node.

    symderiv graph "1/(1+exp(-x))" --at x=1 [--svg FILE] [--dot FILE] [--expand] [--steps]

prints a table of the nodes with their forward values and backward gradients, and of the edges
with their local gradients (symbols only, without ``--at``); ``--svg`` writes the picture.
"""

from __future__ import annotations

import argparse

import sympy as sp

from ..errors import SymderivError
from ..render.graph_picture import LAYOUT_ENGINES
from .options import LANGUAGES, output_file, wrt_name

__all__ = ["add_command", "parse_point"]


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """Register ``graph``."""
    command = subparsers.add_parser(
        "graph",
        help="show a formula as a computational graph, with forward and backward values",
        description=(
            "Show a formula as a computational graph: every node with its forward value and the "
            "gradient the backward pass brings to it, every edge with its local gradient."
        ),
    )
    command.add_argument("expression", help='the formula, e.g. "1/(1+exp(-x))" or "(a+b)*(b+1)"')
    command.add_argument(
        "--at", action="append", default=[], metavar="NAME=VALUE",
        help="a value for each input, e.g. --at x=1 or --at a=2,b=1 (repeatable)",
    )
    command.add_argument("--expand", action="store_true",
                         help="draw σ as its four elementary nodes ×(−1), exp, +1, ÷")
    command.add_argument("--svg", type=output_file, metavar="FILE", help="write the picture as SVG")
    command.add_argument("--dot", type=output_file, metavar="FILE", help="write the picture as Graphviz DOT")
    command.add_argument("--engine", default="auto", choices=("auto", *LAYOUT_ENGINES),
                         help="the Graphviz that lays out the SVG (default: auto)")
    command.add_argument("--steps", action="store_true",
                         help="also print the backward pass as a proven step-by-step derivation")
    command.add_argument("--wrt", default=None, help="the variable for --steps (default: the only one)")
    command.add_argument("--lang", default="en", choices=LANGUAGES, help="the language of --steps")
    command.set_defaults(handler=_graph)


def parse_point(assignments: list[str]) -> dict[str, float]:
    """Read ``["x=1", "a=2,b=pi/4"]`` into ``{"x": 1.0, "a": 2.0, "b": 0.785...}``.

    Each value is read by :func:`symderiv.parse` and must be a real number.

    >>> parse_point(["a=2,b=1", "x=-0.5"])
    {'a': 2.0, 'b': 1.0, 'x': -0.5}
    """
    from ..parse.text import parse

    point: dict[str, float] = {}
    for assignment in assignments:
        for part in assignment.split(","):
            name, equals, text = part.partition("=")
            name = name.strip()
            if not equals or not name.isidentifier():
                raise SymderivError(f"write each value as NAME=VALUE, e.g. x=1; got {part!r}")
            value = parse(text.strip())
            if not value.is_number or not value.is_real:
                raise SymderivError(f"the value of {name} must be a real number, got {text.strip()!r}")
            point[name] = float(value)
    return point


def _graph(args: argparse.Namespace) -> int:
    from ..models.graph import graph
    from ..parse.text import parse
    from ..render.unicode import number, unicode

    g = graph(parse(args.expression), expand=args.expand)
    point = parse_point(args.at)
    unknown = sorted(set(point) - {s.name for s in g.variables})
    if unknown:
        raise SymderivError(f"the formula has no input named {', '.join(unknown)}")
    output = unicode(g.output.name)
    if point:
        evaluation = g.evaluate(point)
        at = ", ".join(f"{name} = {number(value)}" for name, value in point.items())
        print(f"{output} = {unicode(g.expr)} at {at}\n")
        print(evaluation.table())
        gradients = ", ".join(
            f"∂{output}/∂{s} = {number(evaluation.gradient(s))}" for s in g.variables
        )
        print(f"\n{output} = {number(evaluation.value)}" + (f";  {gradients}" if gradients else ""))
    else:
        evaluation = None
        print(f"{output} = {unicode(g.expr)}\n")
        print(g.table())
    if args.dot:
        args.dot.write_text(g.to_dot(evaluation), encoding="utf-8")
        print(f"wrote {args.dot}")
    if args.svg:
        args.svg.write_text(g.to_svg(evaluation, engine=args.engine), encoding="utf-8")
        print(f"wrote {args.svg}")
    if args.steps:
        wrt = sp.Symbol(wrt_name(args.wrt)) if args.wrt is not None else None
        print()
        print(g.derivation(wrt).to_text(lang=args.lang))
    return 0
