"""The ``symderiv derive`` command: a formula differentiated step by step, every step proven.

    symderiv derive "1/(1+exp(-x))" --wrt x [--strategy quotient] [--detail full] [--format text] [--lang ja]
    symderiv derive "sin(x)^2" --order 2            d²/dx², each order a sub-derivation of the one before
    symderiv derive "x^2*y^3" --wrt x --wrt y      the mixed partial ∂²/∂y∂x

prints the derivation in one of :data:`FORMATS`, in one of the languages of
:data:`symderiv.locales.LANGUAGES`. The formula and the ``--wrt`` name are read by
:func:`symderiv.parse`, never evaluated.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from typing import Any

from ..errors import SymderivError, UnsupportedError
from ..render import FORMATS as RENDER_FORMATS
from .options import LANGUAGES, only_variable, order, wrt_name

__all__ = ["FORMATS", "add_command"]

#: The formats ``--format`` offers: every output format of :data:`symderiv.render.FORMATS` but the
#: notebook, which is a file to open in Jupyter (``symderiv build`` writes them), not text to read.
FORMATS: tuple[str, ...] = tuple(name for name in RENDER_FORMATS if name != "notebook")


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """Register ``derive``."""
    from ..core.strategies import DETAILS, STRATEGIES

    command = subparsers.add_parser(
        "derive",
        help="differentiate a formula step by step",
        description="Differentiate a formula step by step; every step is proven before it is shown.",
    )
    command.add_argument("expression", help='the formula, e.g. "1/(1+exp(-x))" or "sigmoid(x)"; '
                         "- reads formulas from standard input, one per line (the budget is per formula)")
    command.add_argument("--wrt", default=None, action="append",
                         help="the variable (default: the only one); given again, a mixed partial: "
                              "--wrt x --wrt y is ∂²/∂y∂x, first by x, then by y")
    command.add_argument("--order", default=1, type=order,
                         help="the order of the derivative, 1 to 8: --order 2 is d²/dx² (with one --wrt)")
    command.add_argument("--strategy", default="textbook", choices=tuple(STRATEGIES))
    command.add_argument("--detail", default="textbook", choices=tuple(DETAILS),
                         help="textbook: the main chain, each line's derivatives derived below it; "
                              "full: every fine step in one chain")
    command.add_argument("--format", default="text", choices=FORMATS)
    command.add_argument("--lang", default="en", choices=LANGUAGES)
    command.set_defaults(handler=_derive)


def _derive(args: argparse.Namespace) -> int:
    """One formula, or with ``-`` each formula read from standard input, derived and printed:
    text and the documents one after another, JSON as JSON Lines (one object per line)."""
    formulas = getattr(args, "expressions", None)
    if formulas is None:
        print(_one(args, args.expression, indent=1))
        return 0
    for number, formula in enumerate(formulas, start=1):
        try:
            shown = _one(args, formula, indent=None)
        except SymderivError as error:
            raise type(error)(f"formula {number} ({formula[:40]}): {error}") from None
        if args.format != "json" and number > 1:
            print()
        print(shown)
    return 0


def _one(args: argparse.Namespace, formula: str, *, indent: int | None) -> str:
    from ..calculus import engine
    from ..parse.text import parse

    expression = parse(formula)
    if args.wrt is not None:
        variables: list[Any] = [wrt_name(name) for name in args.wrt]
    else:
        variables = [only_variable(expression, "say which variable to differentiate by with --wrt (variables: {names})")]
    if args.order != 1:
        if len(variables) != 1:
            raise UnsupportedError("--order goes with one --wrt; for a mixed partial give --wrt once per derivative")
        variables = [(variables[0], args.order)]
    # The derivation gets most of the budget (past half of it, it keeps its steps and skips the
    # rewriting); the rest is for rendering, which runs here, inside the command's worker.
    derivation = engine.derive(expression, *variables, strategy=args.strategy, detail=args.detail,
                               timeout=0.8 * args.timeout)
    if args.format == "json":  # JSON holds the steps, not words: it has no language
        return str(derivation.to_json(indent=indent)).rstrip("\n")
    if args.format == "text":  # wrapped to the terminal (COLUMNS, else the tty), 100 columns when piped
        width = shutil.get_terminal_size((100, 24)).columns if sys.stdout.isatty() else 100
        return str(derivation.to_text(lang=args.lang, width=max(width, 40)))
    return str(getattr(derivation, f"to_{args.format}")(lang=args.lang))
