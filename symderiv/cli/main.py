"""The ``symderiv`` command (also ``python -m symderiv``): the parser, the budget, clean exits.

    symderiv derive "1/(1+exp(-x))" --wrt x [--strategy quotient] [--format text] [--lang ja]
    symderiv graph "1/(1+exp(-x))" --at x=1 [--svg FILE]
    symderiv check "sigmoid(x)*(1-sigmoid(x))" --derivative-of "sigmoid(x)"
    symderiv build --out output
    symderiv serve [--host 127.0.0.1] [--port 8000]

Each command is one module (:mod:`.derive`, :mod:`.build`, :mod:`.graph`, :mod:`.check`, ...)
offering ``add_command(subparsers)``, which registers its parser and sets ``handler``;
:data:`COMMANDS` lists those modules, so adding a command is one line there. This module only
parses, runs the handler under a budget and turns every error into an exit status. A formula
the user typed is read by :func:`symderiv.parse`, never evaluated; so is a ``--wrt`` name.

Every command runs under a budget, by default and whatever it does: its work, its rendering
and the files it writes run with a wall clock (``--timeout SECONDS``) and a memory cap
(``--memory MB``); the defaults are in :data:`BUDGETS`. The command is a process of its own, so
the budget is set on it (:func:`symderiv.process_budget.budget_here`: an interval timer and
resource limits), and no worker is forked; outside the main thread, or without POSIX timers,
the work runs in a worker process (:func:`symderiv.limits.run_with_budget`). What the command
prints is collected and printed at the end, at most ``--max-output`` characters (default
:attr:`~symderiv.limits.WorkLimits.max_output_chars`, 5,000,000). Killed, interrupted or timed
out, nothing is left running.

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
import os
import signal
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from ..errors import LimitError, ParseError, StepCheckError, SymderivError
from .options import MAX_MEGABYTES, MAX_SECONDS, characters, megabytes, seconds

__all__ = ["BUDGETS", "COMMANDS", "MAX_MEGABYTES", "MAX_SECONDS", "main", "megabytes", "parser", "seconds"]

#: Modules that each add one subcommand with ``add_command(subparsers)``, in help order.
COMMANDS: tuple[str, ...] = (
    "symderiv.cli.derive",
    "symderiv.cli.build",
    "symderiv.cli.graph",
    "symderiv.cli.check",
    "symderiv.cli.network",
    "symderiv.cli.completion",
    "symderiv.cli.serve",
)

#: Each command's default budget: (seconds of wall clock, megabytes of memory). A command not
#: listed gets :data:`DEFAULT_BUDGET`.
BUDGETS: dict[str, tuple[float, int]] = {
    "derive": (20.0, 1024),
    "graph": (30.0, 1024),
    "check": (30.0, 1024),
    "network": (60.0, 1024),
    "build": (3600.0, 4096),
    "serve": (5.0, 512),  # each request's work, not the server's
}
DEFAULT_BUDGET: tuple[float, int] = (60.0, 1024)

#: Commands whose budget is not the whole command's: what it bounds instead, for the help.
BUDGET_OF: dict[str, tuple[str, str]] = {"serve": ("each request's work", "one response may hold")}


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser whose errors are one line: ``symderiv derive: error: ...``, status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser: every command of :data:`COMMANDS`, each with its budget
    options; with ``only`` (a name of :data:`COMMANDS`), that command only, so that a run of
    one command imports nothing the others need.

    >>> args = parser().parse_args(["derive", "x**2", "--format", "latex"])
    >>> args.command, args.format, args.timeout
    ('derive', 'latex', 20.0)
    >>> sorted(parser("derive")._subparsers._group_actions[0].choices)
    ['derive']
    """
    top = _Parser(
        prog="symderiv",
        description="Step-by-step derivations of the formulas of machine learning, every step proven.",
    )
    from .. import __version__

    top.add_argument("--version", action="version", version=f"symderiv {__version__}")
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        if only is None or module.rsplit(".", 1)[1] == only:
            importlib.import_module(module).add_command(subparsers)
    for name, command in subparsers.choices.items():
        _add_budget_options(command, *BUDGETS.get(name, DEFAULT_BUDGET),
                            *BUDGET_OF.get(name, ("the command", "the command may print")))
    return top


def _add_budget_options(command: argparse.ArgumentParser, timeout: float, memory_mb: int,
                        work: str, output: str) -> None:
    from ..limits import DEFAULT_WORK_LIMITS

    budget = command.add_argument_group("budget")
    budget.add_argument("--timeout", type=seconds, default=timeout, metavar="SECONDS",
                        help=f"seconds {work} may take (default {timeout:g})")
    budget.add_argument("--memory", type=megabytes, default=memory_mb, metavar="MB",
                        help=f"megabytes of memory {work} may use (default {memory_mb})")
    budget.add_argument("--max-output", type=characters, default=DEFAULT_WORK_LIMITS.max_output_chars,
                        metavar="CHARS", help=f"characters {output} "
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
    from ..process_budget import budget_here, can_budget_here

    formulas = len(getattr(args, "expressions", None) or [None])  # with -, the budget is per formula
    if can_budget_here():  # the command is its own process: the budget is set on it, no worker
        with budget_here(args.timeout * formulas, args.memory):
            status, text, error = _run_handler(args)
    else:
        from ..limits import run_with_budget

        status, text, error = run_with_budget(
            _run_handler, args, timeout=args.timeout * formulas, memory_mb=args.memory
        )
    if text:
        if sys.stdout is None:  # started with standard output closed (>&-)
            raise SymderivError("standard output is closed: there is nowhere to print the result")
        sys.stdout.write(text)
        sys.stdout.flush()
    if error is not None:
        raise error
    return status


#: What ``-`` reads from standard input at most: formulas, and characters in all.
MAX_STDIN_FORMULAS = 1000
MAX_STDIN_CHARS = 1_000_000


def read_formulas(stream: Any) -> list[str]:
    """The formulas of ``stream``, one per line (blank lines and ``#`` comments skipped), read in
    the caller before the command's worker starts, within :data:`MAX_STDIN_FORMULAS` formulas
    and :data:`MAX_STDIN_CHARS` characters.

    >>> import io
    >>> read_formulas(io.StringIO("x**2\\n\\n# a comment\\nsin(x)\\n"))
    ['x**2', 'sin(x)']
    """
    if stream is None:  # started with standard input closed (<&-)
        raise SymderivError("- reads formulas from standard input, which is closed")
    text = stream.read(MAX_STDIN_CHARS + 1)
    if len(text) > MAX_STDIN_CHARS:
        raise LimitError(f"standard input holds more than {MAX_STDIN_CHARS:,} characters", limit="max_stdin_chars")
    formulas = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not formulas:
        raise SymderivError("- reads formulas from standard input, one per line, and found none")
    if len(formulas) > MAX_STDIN_FORMULAS:
        raise LimitError(f"standard input holds {len(formulas)} formulas, more than {MAX_STDIN_FORMULAS}",
                         limit="max_stdin_formulas")
    return formulas


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


def _command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` asks for, when its first word is one; "" for ``--version`` alone
    (no command's parser is needed); else None (``--help``, a mistake: the whole parser
    answers those)."""
    first = argv[0] if argv else None
    names = {module.rsplit(".", 1)[1] for module in COMMANDS}
    if list(argv) == ["--version"]:
        return ""
    return first if first in names else None


def _main(argv: Sequence[str] | None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    args = parser(_command_named(words)).parse_args(words)
    try:
        if getattr(args, "expression", None) == "-":
            args.expressions = read_formulas(sys.stdin)
        owns = getattr(args, "runs_own_budget", None)
        if owns is not None and owns(args):  # a command that budgets each item itself (check --answers)
            return int(args.handler(args))
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
    except UnicodeDecodeError as error:
        _say(f"cannot read the input: it is not UTF-8 text ({error.reason} at byte {error.start})")
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
