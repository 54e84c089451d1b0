"""The ``symderiv check`` command: is a formula right? The same answer as the test assertions.

    symderiv check "sigmoid(x)*(1-sigmoid(x))" --derivative-of "sigmoid(x)" --wrt x
    symderiv check "exp(x)/(1+exp(x))" --equals "sigmoid(x)"
    symderiv check --answers answers.csv --output verdicts.jsonl --jobs 2

With ``--answers`` it grades a whole file, one verdict per answer (:mod:`symderiv.cli.answers`).

Exit status 0: right, with one line saying how that was shown. 1: wrong, with the explanation
of :class:`~symderiv.testing.assertions.FormulaMismatchError` (both formulas, their difference, a
counterexample, the step where it departs). 2: the input could not be read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import SymderivError
from .options import jobs, only_variable, output_file, wrt_name

__all__ = ["add_command"]

#: What to say when the formula has no single variable to differentiate by.
_ASK = "say which variable to differentiate by with --wrt (variables: {names})"

_HOW = {
    "identical": "they are the same expression",
    "symbolic": "their difference cancels to 0",
    "numeric": "they agree at {points} points to 30 digits; SymPy could not cancel the difference",
}


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """Register ``check``."""
    command = subparsers.add_parser(
        "check",
        help="check that a formula is a derivative of another, or equal to another",
        description=(
            "Check a formula: exit 0 when it is right, 1 with an explanation when it is wrong, "
            "2 when the input cannot be read."
        ),
    )
    command.add_argument("formula", nargs="?", help='the formula to check, e.g. "sigmoid(x)*(1-sigmoid(x))"')
    target = command.add_mutually_exclusive_group()
    target.add_argument("--derivative-of", metavar="F", help="the formula should be the derivative of F")
    target.add_argument("--equals", metavar="G", help="the formula should be the same function as G")
    command.add_argument("--wrt", default=None, help="the variable (default: the only one of F)")
    batch = command.add_argument_group("grading a file of answers")
    batch.add_argument("--answers", type=Path, metavar="FILE",
                       help="CSV (header: formula,derivative[,variable][,id]) or JSON Lines of claimed derivatives")
    batch.add_argument("--output", type=output_file, metavar="FILE",
                       help="append one JSON verdict per answer here; answers already in it are skipped")
    batch.add_argument("--jobs", type=jobs, default=1, metavar="N", help="answers checked at a time (default 1)")
    command.set_defaults(handler=_check, runs_own_budget=lambda args: args.answers is not None)


def _check(args: argparse.Namespace) -> int:
    if args.answers is not None:
        return _grade(args)
    if args.formula is None or (args.derivative_of is None and args.equals is None):
        raise SymderivError("check needs a formula and --derivative-of F or --equals G, or --answers FILE")
    if args.output is not None:
        raise SymderivError("--output goes with --answers")
    return _check_one(args)


def _grade(args: argparse.Namespace) -> int:
    """Every answer of the file, each in a worker under the command's --timeout and --memory."""
    from .answers import grade, read_answers

    if args.formula is not None or args.derivative_of is not None or args.equals is not None:
        raise SymderivError("--answers grades a file: give no formula, --derivative-of or --equals with it")
    answers = read_answers(args.answers)
    counts = grade(answers, output=args.output, jobs=args.jobs, timeout=args.timeout,
                   memory_mb=args.memory, progress=_progress if sys.stderr.isatty() else None)
    total = sum(counts.values())
    print(f"{total} answers: {counts['right']} right, {counts['wrong']} wrong, {counts['error']} not checked",
          file=sys.stderr)
    return 1 if counts["wrong"] else 2 if counts["error"] else 0


def _progress(finished: int, todo: int, resumed: int) -> None:
    width = 30
    filled = width * finished // max(todo, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {finished}/{todo}"
                     + (f" (+{resumed} resumed)" if resumed else ""))
    if finished == todo:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _check_one(args: argparse.Namespace) -> int:
    from ..parse.text import parse
    from ..testing.assertions import FormulaMismatchError, assert_derivative, assert_equivalent

    formula = parse(args.formula)
    try:
        if args.derivative_of is not None:
            function = parse(args.derivative_of)
            wrt = wrt_name(args.wrt) if args.wrt is not None else only_variable(function, _ASK)
            agreement = assert_derivative(function, wrt, formula)
            claim = f"{formula} is the derivative of {function} with respect to {wrt}"
        else:
            other = parse(args.equals)
            agreement = assert_equivalent(formula, other)
            claim = f"{formula} and {other} are the same function"
    except FormulaMismatchError as error:
        lines = str(error).splitlines()
        if args.derivative_of is not None:  # point to the command, not to the Python call
            lines = [
                f'  see every step:  symderiv derive "{args.derivative_of}" --wrt {wrt} --detail full'
                if line.startswith("  see every step:") else line
                for line in lines
            ]
        print("wrong: " + "\n".join(lines))
        return 1
    print(f"right: {claim} ({_HOW[agreement.method].format(points=agreement.points)})")
    return 0

