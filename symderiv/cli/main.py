"""The ``symderiv`` command (also ``python -m symderiv``).

    symderiv derive "1/(1+exp(-x))" --wrt x [--strategy quotient] [--format text] [--lang ja]
    symderiv build --out output

Each subcommand lives beside what it serves: a module offers ``add_command(subparsers)``
which registers its parser and sets ``handler``; :data:`COMMANDS` lists those modules. A
formula the user typed is read by :func:`symderiv.parse`, never evaluated; so is a ``--wrt``
name.

Every command runs under a budget, by default and whatever it does: its work, its rendering
and the files it writes run in a worker process (:func:`symderiv.limits.run_with_budget`) with
a wall clock (``--timeout SECONDS``) and a memory cap (``--memory MB``); the defaults are in
:data:`BUDGETS`. What the command prints is collected in the worker and printed by the caller,
at most ``--max-output`` characters (default
:attr:`~symderiv.limits.WorkLimits.max_output_chars`, 5,000,000). The worker dies with the
command: killed, interrupted or timed out, nothing is left running.

Exit status: 0 done; 1 a ``check`` found the formula wrong; 2 bad input or a limit passed, with
one line of message on stderr (and, for a formula, the input with a caret under the problem),
never a traceback; 3 a step failed its proof (a bug in symderiv); 130 interrupted (Ctrl-C);
143 terminated (SIGTERM). Set ``SYMDERIV_DEBUG=1`` to see the traceback of an internal error.

Characters the output's encoding cannot show (Japanese under ``PYTHONIOENCODING=ascii``, say)
are written as ``\\uXXXX`` escapes rather than failing; set ``PYTHONIOENCODING=utf-8`` to see
them as they are.
"""

from __future__ import annotations

import argparse
import importlib
import io
import math
import os
import signal
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ..errors import LimitError, ParseError, StepCheckError, SymderivError

__all__ = ["BUDGETS", "COMMANDS", "main", "megabytes", "seconds"]

#: Modules that each add one subcommand with ``add_command(subparsers)``, in help order.
COMMANDS: tuple[str, ...] = (
    "symderiv.cli.main",
    "symderiv.cli.graph",
    "symderiv.cli.check",
    "symderiv.models.network",
)

#: Each command's default budget: (seconds of wall clock, megabytes of memory). A command not
#: listed gets :data:`DEFAULT_BUDGET`.
BUDGETS: dict[str, tuple[float, int]] = {
    "derive": (20.0, 1024),
    "graph": (30.0, 1024),
    "check": (30.0, 1024),
    "network": (60.0, 1024),
    "build": (3600.0, 4096),
}
DEFAULT_BUDGET: tuple[float, int] = (60.0, 1024)

#: The largest budget a command line may ask for: a day, 64 GB.
MAX_SECONDS = 86_400.0
MAX_MEGABYTES = 65_536

FORMATS = ("text", "latex", "mathml", "html", "markdown", "json")
LANGUAGES = ("en", "ja", "zh", "ko")


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """The commands of this module: ``derive`` and ``build``."""
    from ..calculus.engine import STRATEGIES

    derive = subparsers.add_parser(
        "derive",
        help="differentiate a formula step by step",
        description="Differentiate a formula step by step; every step is proven before it is shown.",
    )
    derive.add_argument("expression", help='the formula, e.g. "1/(1+exp(-x))" or "sigmoid(x)"')
    derive.add_argument("--wrt", default=None, help="the variable (default: the only one)")
    derive.add_argument("--strategy", default="textbook", choices=tuple(STRATEGIES))
    derive.add_argument("--format", default="text", choices=FORMATS)
    derive.add_argument("--lang", default="en", choices=LANGUAGES)
    derive.set_defaults(handler=_derive)

    build = subparsers.add_parser(
        "build",
        help="write the standard derivation documents",
        description="Write the standard derivation documents (HTML, LaTeX, Markdown, notebooks).",
    )
    build.add_argument("--out", type=Path, default=Path("output"), help="the folder (default: output)")
    build.add_argument("--quiet", action="store_true", help="do not show progress")
    build.set_defaults(handler=_build)


def seconds(text: str) -> float:
    """A ``--timeout`` value: a finite number of seconds above 0 and at most a day.

    >>> seconds("2.5")
    2.5
    >>> seconds("inf")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: takes seconds, a number above 0 and at most 86400, got 'inf'
    """
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value <= MAX_SECONDS:  # also refuses nan
        raise argparse.ArgumentTypeError(
            f"takes seconds, a number above 0 and at most {MAX_SECONDS:g}, got {text!r}"
        )
    return value


def megabytes(text: str) -> int:
    """A ``--memory`` value: a whole number of megabytes, 64 to 65536.

    >>> megabytes("512")
    512
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 64 <= value <= MAX_MEGABYTES:
        raise argparse.ArgumentTypeError(f"takes megabytes, a whole number from 64 to {MAX_MEGABYTES}, got {text!r}")
    return value


def characters(text: str) -> int:
    """A ``--max-output`` value: a whole number of characters, at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"takes a whole number of characters, at least 1, got {text!r}")
    return value


def _derive(args: argparse.Namespace) -> int:
    from ..calculus import engine
    from ..parse.text import parse

    expression = parse(args.expression)
    if args.wrt is not None:
        wrt: Any = _wrt(args.wrt)
    else:
        symbols = sorted(expression.free_symbols, key=lambda s: s.name)
        if len(symbols) != 1:
            names = ", ".join(s.name for s in symbols) or "none"
            raise SymderivError(f"say which variable to differentiate by with --wrt (variables: {names})")
        wrt = symbols[0]
    # The derivation gets most of the budget (past half of it, it keeps its steps and skips the
    # rewriting); the rest is for rendering, which runs here, inside the command's worker.
    derivation = engine.derive(expression, wrt, strategy=args.strategy, timeout=0.8 * args.timeout)
    if args.format == "json":
        print(derivation.to_json())
        return 0
    render: Callable[..., str] = {
        "text": derivation.to_text,
        "latex": derivation.to_latex,
        "mathml": derivation.to_mathml,
        "html": derivation.to_html,
        "markdown": derivation.to_markdown,
    }[args.format]
    print(render(lang=args.lang))
    return 0


def _wrt(text: str) -> str:
    """The ``--wrt`` name, read as a name (never evaluated); a ParseError that says --wrt."""
    from ..calculus.engine import variable_name

    try:
        return variable_name(text)
    except ParseError as error:
        raise ParseError(f"--wrt takes one variable's name: {error.message}", text=text,
                         position=error.position) from None


def _build(args: argparse.Namespace) -> int:
    from ..documents import build

    if args.out.exists() and not args.out.is_dir():
        raise SymderivError(f"--out {args.out} is a file; give a folder (it is made if missing)")
    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    written = build(args.out, progress=progress)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: ``symderiv derive: error: ...``, status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    """The command line's parser: every command of :data:`COMMANDS`, each with its budget options."""
    top = _Parser(
        prog="symderiv",
        description="Step-by-step derivations of the formulas of machine learning, every step proven.",
    )
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        importlib.import_module(module).add_command(subparsers)
    for name, command in subparsers.choices.items():
        _add_budget_options(command, *BUDGETS.get(name, DEFAULT_BUDGET))
    return top


def _add_budget_options(command: argparse.ArgumentParser, timeout: float, memory_mb: int) -> None:
    from ..limits import DEFAULT_WORK_LIMITS

    budget = command.add_argument_group("budget")
    budget.add_argument("--timeout", type=seconds, default=timeout, metavar="SECONDS",
                        help=f"seconds the whole command may take (default {timeout:g})")
    budget.add_argument("--memory", type=megabytes, default=memory_mb, metavar="MB",
                        help=f"megabytes of memory the command may use (default {memory_mb})")
    budget.add_argument("--max-output", type=characters, default=DEFAULT_WORK_LIMITS.max_output_chars,
                        metavar="CHARS", help="characters the command may print "
                        f"(default {DEFAULT_WORK_LIMITS.max_output_chars:,})")


class _CappedOutput(io.StringIO):
    """Standard output inside the worker: collected, and a LimitError past ``limit`` characters."""

    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit
        self.count = 0

    def write(self, text: str) -> int:
        self.count += len(text)
        if self.count > self.limit:
            raise LimitError(
                f"the output passed {self.limit:,} characters, the limit max_output_chars "
                "(raise it with --max-output CHARS)",
                limit="max_output_chars",
            )
        return super().write(text)


def _run_handler(args: argparse.Namespace) -> tuple[int, str, BaseException | None]:
    """In the worker: run the command, collecting what it prints; (status, output, error).

    An error comes back beside the output printed before it, so that a table printed before a
    file could not be written still shows.
    """
    captured = _CappedOutput(args.max_output)
    saved = sys.stdout
    sys.stdout = captured
    try:
        status, error = int(args.handler(args)), None
    except (SymderivError, OSError, UnicodeError) as problem:
        status, error = 2, problem
    except RecursionError:
        status, error = 2, LimitError("the formula nests too deeply to work with", limit="depth")
    finally:
        sys.stdout = saved
    text = captured.getvalue()
    if isinstance(error, LimitError) and error.limit == "max_output_chars":
        text = ""
    return status, text, error


def _run(args: argparse.Namespace) -> int:
    from ..limits import run_with_budget

    status, text, error = run_with_budget(
        _run_handler, args, timeout=args.timeout, memory_mb=args.memory
    )
    if text:
        sys.stdout.write(text)
        sys.stdout.flush()
    if error is not None:
        raise error
    return status


def _terminated(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def _tolerant_streams() -> None:
    """Write what the encoding cannot show as ``\\uXXXX`` instead of failing on it."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError, io.UnsupportedOperation):
                pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 done, 1 a check failed, 2 bad input,
    3 a step failed its proof, 130 interrupted). A usage error raises SystemExit(2), as argparse does."""
    _tolerant_streams()
    try:
        previous = signal.signal(signal.SIGTERM, _terminated)
    except ValueError:  # not the main thread: leave SIGTERM alone
        previous = None
    try:
        return _main(argv)
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _main(argv: Sequence[str] | None) -> int:
    args = parser().parse_args(argv)
    try:
        return _run(args)
    except BrokenPipeError:  # the reader (| head) closed the pipe: stop quietly
        sys.stdout = open(os.devnull, "w")
        return 0
    except ParseError as error:
        _say(f"cannot read the formula: {error}" if not error.message.startswith("--") else str(error))
        return 2
    except StepCheckError as error:
        _say(f"internal error, a step failed its proof (please report): {error}")
        return 3
    except SymderivError as error:
        _say(str(error))
        return 2
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        _say(f"{error.strerror or error}{where}")
        return 2
    except UnicodeError as error:
        _say(f"cannot encode the output: {error}; set PYTHONIOENCODING=utf-8")
        return 2
    except Exception as error:  # a bug: one line, the traceback on request
        if os.environ.get("SYMDERIV_DEBUG"):
            raise
        _say(f"internal error (please report; SYMDERIV_DEBUG=1 shows the traceback): "
             f"{type(error).__name__}: {error}".splitlines()[0])
        return 1


def _say(message: str) -> None:
    try:
        print(f"symderiv: {message}", file=sys.stderr)
    except (OSError, ValueError):  # stderr closed
        pass


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
