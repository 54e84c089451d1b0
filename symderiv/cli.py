"""The ``symderiv`` command (also ``python -m symderiv``).

    symderiv derive "1/(1+exp(-x))" --wrt x [--strategy quotient] [--format text] [--lang ja]
    symderiv build --out output

Each subcommand lives beside what it serves: a module offers ``add_command(subparsers)``
which registers its parser and sets ``handler``; :data:`COMMANDS` lists those modules. A
formula the user typed is read by :func:`symderiv.parse`, never evaluated. Bad input prints a
message (with a caret under the problem) and exits with status 2, without a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Callable, Sequence

from .errors import ParseError, StepCheckError, SymderivError

__all__ = ["main", "COMMANDS"]

#: Modules that each add one subcommand with ``add_command(subparsers)``, in help order.
COMMANDS: tuple[str, ...] = (
    "symderiv.cli",
    "symderiv.cli_graph",
    "symderiv.cli_check",
    "symderiv.network",
)

FORMATS = ("text", "latex", "mathml", "html", "markdown", "json")
LANGUAGES = ("en", "ja", "zh", "ko")


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """The commands of this module: ``derive`` and ``build``."""
    derive = subparsers.add_parser(
        "derive",
        help="differentiate a formula step by step",
        description="Differentiate a formula step by step; every step is proven before it is shown.",
    )
    derive.add_argument("expression", help='the formula, e.g. "1/(1+exp(-x))" or "sigmoid(x)"')
    derive.add_argument("--wrt", default=None, help="the variable (default: the only one)")
    derive.add_argument("--strategy", default="textbook", help="textbook, quotient, chain or reciprocal")
    derive.add_argument("--format", default="text", choices=FORMATS)
    derive.add_argument("--lang", default="en", choices=LANGUAGES)
    derive.add_argument(
        "--timeout", type=float, default=20.0, help="seconds the whole derivation may take (default 20)"
    )
    derive.set_defaults(handler=_derive)

    build = subparsers.add_parser(
        "build",
        help="write the standard derivation documents",
        description="Write the standard derivation documents (HTML, LaTeX, Markdown, notebooks).",
    )
    build.add_argument("--out", type=Path, default=Path("output"), help="the folder (default: output)")
    build.add_argument("--quiet", action="store_true", help="do not show progress")
    build.set_defaults(handler=_build)


def _derive(args: argparse.Namespace) -> int:
    from . import engine
    from .parse import parse

    expression = parse(args.expression)
    wrt = args.wrt
    if wrt is None:
        symbols = sorted(expression.free_symbols, key=lambda s: s.name)
        if len(symbols) != 1:
            names = ", ".join(s.name for s in symbols) or "none"
            raise SymderivError(f"say which variable to differentiate by with --wrt (variables: {names})")
        wrt = symbols[0]
    if args.strategy not in engine.STRATEGIES:
        raise SymderivError(
            f"unknown strategy {args.strategy!r}; choose one of: {', '.join(engine.STRATEGIES)}"
        )
    derivation = engine.derive(expression, wrt, strategy=args.strategy, timeout=args.timeout)
    render: Callable[..., str] = {
        "text": derivation.to_text,
        "latex": derivation.to_latex,
        "mathml": derivation.to_mathml,
        "html": derivation.to_html,
        "markdown": derivation.to_markdown,
    }.get(args.format, derivation.to_text)
    if args.format == "json":
        print(derivation.to_json())
    else:
        print(render(lang=args.lang))
    return 0


def _build(args: argparse.Namespace) -> int:
    from .documents import build

    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    written = build(args.out, progress=progress)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="symderiv",
        description="Step-by-step derivations of the formulas of machine learning, every step proven.",
    )
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        importlib.import_module(module).add_command(subparsers)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 done, 1 a check failed, 2 bad input)."""
    args = parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except BrokenPipeError:  # the reader (| head) closed the pipe: stop quietly
        sys.stdout = open(os.devnull, "w")
        return 0
    except ParseError as error:
        print(f"symderiv: cannot read the formula: {error}", file=sys.stderr)
        return 2
    except StepCheckError as error:
        print(f"symderiv: internal error, a step failed its proof (please report): {error}", file=sys.stderr)
        return 3
    except SymderivError as error:
        print(f"symderiv: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
