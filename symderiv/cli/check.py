"""The ``symderiv check`` command: is a formula right? The same answer as the test assertions.

    symderiv check "sigmoid(x)*(1-sigmoid(x))" --derivative-of "sigmoid(x)" --wrt x
    symderiv check "exp(x)/(1+exp(x))" --equals "sigmoid(x)"

Exit status 0: right, with one line saying how that was shown. 1: wrong, with the explanation
of :class:`~symderiv.testing.assertions.FormulaMismatchError` (both formulas, their difference, a
counterexample, the step where it departs). 2: the input could not be read.
"""

from __future__ import annotations

import argparse

from ..errors import SymderivError
from .options import wrt_name

__all__ = ["add_command"]

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
    command.add_argument("formula", help='the formula to check, e.g. "sigmoid(x)*(1-sigmoid(x))"')
    target = command.add_mutually_exclusive_group(required=True)
    target.add_argument("--derivative-of", metavar="F", help="the formula should be the derivative of F")
    target.add_argument("--equals", metavar="G", help="the formula should be the same function as G")
    command.add_argument("--wrt", default=None, help="the variable (default: the only one of F)")
    command.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from ..parse.text import parse
    from ..testing.assertions import FormulaMismatchError, assert_derivative, assert_equivalent

    formula = parse(args.formula)
    try:
        if args.derivative_of is not None:
            function = parse(args.derivative_of)
            wrt = wrt_name(args.wrt) if args.wrt is not None else _only_variable(function)
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


def _only_variable(function: object) -> str:
    symbols = sorted(getattr(function, "free_symbols", ()), key=lambda s: s.name)
    if len(symbols) != 1:
        names = ", ".join(s.name for s in symbols) or "none"
        raise SymderivError(f"say which variable to differentiate by with --wrt (variables: {names})")
    return symbols[0].name
