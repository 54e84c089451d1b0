"""What the commands' options accept: budget values, a variable's name, the languages.

Each function reads one option's text, as argparse's ``type=`` does, and refuses what the option
cannot take with a message that says what it takes. :data:`LANGUAGES` is
:data:`symderiv.locales.LANGUAGES`, the one list of the languages.
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
from pathlib import Path
from typing import Any

from ..errors import ParseError, SymderivError
from ..locales import LANGUAGES

__all__ = ["LANGUAGES", "MAX_JOBS", "MAX_MEGABYTES", "MAX_SECONDS", "characters", "order", "jobs", "megabytes", "seconds", "only_variable", "output_file", "output_folder", "wrt_name"]

#: The largest budget a command line may ask for: a day, 64 GB.
MAX_SECONDS = 86_400.0
MAX_MEGABYTES = 65_536


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


def output_file(text: str) -> Path:
    """A file to write (``--svg``, ``--dot``, ``--output``): checked before any work starts.

    Its folder must exist and be writable, and the path must not be a folder, so that a bad
    destination is refused at once rather than after the work it would have held.

    >>> output_file("/")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: takes a file to write, but '/' is a folder
    """
    path = Path(text)
    if not text or path.is_dir():
        raise argparse.ArgumentTypeError(f"takes a file to write, but {text!r} is a folder")
    folder = path.parent
    if not folder.is_dir():
        raise argparse.ArgumentTypeError(f"takes a file to write, but the folder of {text!r}, {str(folder)!r}, does not exist")
    existed = path.exists()
    try:  # a real probe: permissions alone do not say whether /proc or a read-only mount takes a file
        with open(path, "a", encoding="utf-8"):
            pass
    except OSError as error:
        raise argparse.ArgumentTypeError(f"takes a file to write, but {text!r} cannot be written: {error.strerror}") from None
    if not existed:
        path.unlink(missing_ok=True)
    return path


def output_folder(text: str) -> Path:
    """A folder to write into (``build --out``), made if missing: checked before any work starts.

    The nearest existing folder on its path must be writable, and the path must not be a file.

    >>> output_folder("/dev/null")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: takes a folder, but '/dev/null' is a file; give a folder (it is made if missing)
    """
    path = Path(text)
    if not text or (path.exists() and not path.is_dir()):
        raise argparse.ArgumentTypeError(f"takes a folder, but {text!r} is a file; give a folder (it is made if missing)")
    existing = path.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise argparse.ArgumentTypeError(f"takes a folder, but {str(existing)!r} on its path is a file")
    try:  # a real probe, as for a file
        os.rmdir(tempfile.mkdtemp(prefix=".symderiv-", dir=existing))
    except OSError as error:
        raise argparse.ArgumentTypeError(f"takes a folder, but {str(existing)!r} cannot be written: {error.strerror}") from None
    return path


def order(text: str) -> int:
    """A ``--order`` value: a whole number from 1 to ``WorkLimits().max_order``.

    >>> order("2")
    2
    >>> order("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: takes the order of the derivative, a whole number from 1 to 8, got '0'
    """
    from ..limits import DEFAULT_WORK_LIMITS

    highest = DEFAULT_WORK_LIMITS.max_order
    text = text.strip()
    value = int(text) if text.isascii() and text.isdigit() and len(text) <= 6 else 0
    if not 1 <= value <= highest:
        raise argparse.ArgumentTypeError(
            f"takes the order of the derivative, a whole number from 1 to {highest}, got {text!r}"
        )
    return value


def characters(text: str) -> int:
    """A ``--max-output`` value: a whole number of characters, at least 1.

    >>> characters("80")
    80
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"takes a whole number of characters, at least 1, got {text!r}")
    return value


def wrt_name(text: str) -> str:
    """The ``--wrt`` name, read as a name (never evaluated); a ParseError that says --wrt.

    >>> wrt_name(" x ")
    'x'
    """
    from ..calculus.engine import variable_name

    try:
        return variable_name(text)
    except ParseError as error:
        raise ParseError(f"--wrt takes one variable's name: {error.message}", text=text,
                         position=error.position) from None


#: The most answers ``symderiv check --answers`` checks at a time.
MAX_JOBS = 64


def jobs(text: str) -> int:
    """``--jobs``: a whole number of worker processes, 1 to :data:`MAX_JOBS`.

    >>> jobs("2")
    2
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_JOBS:
        raise argparse.ArgumentTypeError(f"takes a whole number of processes from 1 to {MAX_JOBS}, got {text!r}")
    return value


def only_variable(expression: Any, message: str) -> str:
    """The name of the one variable of ``expression``; a :class:`SymderivError` with ``message``
    (its ``{names}`` filled with the variables, or "none") when there is not exactly one.

    >>> import sympy as sp
    >>> only_variable(sp.Symbol("x") ** 2, "{names}")
    'x'
    """
    symbols = sorted(getattr(expression, "free_symbols", ()), key=lambda s: s.name)
    if len(symbols) != 1:
        raise SymderivError(message.format(names=", ".join(s.name for s in symbols) or "none"))
    return str(symbols[0].name)
