"""What both parsers share while they read: tokens, a cursor over them, and the checks on numbers.

:mod:`symderiv.parse.text` and :mod:`symderiv.parse.latex` cut their input into :class:`Token`
values of their own kinds and read them with a :class:`Cursor`, which counts the nodes made and
the depth reached against :class:`~symderiv.parse.limits.Limits`. A number literal is checked by
:func:`check_number` the moment it is cut, so ``1e1000000`` or a thousand-digit number is
refused before anything is built from it.

>>> from symderiv.parse.limits import DEFAULT_LIMITS
>>> tokens = [Token("number", "2", 0, 1, False), Token("end", "", 1, 1, False)]
>>> cursor = Cursor("2", tokens, DEFAULT_LIMITS)
>>> cursor.at("2", kind="number"), cursor.advance().value, cursor.peek().kind
(True, '2', 'end')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from ..errors import LimitError, ParseError
from .limits import Limits
from .tree import Node

__all__ = ["Cursor", "Token", "check_length", "check_number", "is_space"]


class Token(NamedTuple):
    """One piece of the input: a number, a name, an operator, ... and where it stands.

    ``kind`` and ``value`` are the parser's own: the text parser makes "number", "name", "op",
    "sup" (a superscript exponent) and "end"; the LaTeX parser "cmd" (``\\frac`` is "frac"),
    "letter", "number", "op", "end" and "bad" (a character refused where the parser reaches it;
    the value says why). ``spaced`` says whether whitespace came right before it.

    >>> Token("name", "x", 4, 5, True).source("2 + x")
    'x'
    >>> Token("end", "", 5, 5, False).source("2 + x")
    'the end'
    """

    kind: str
    value: str
    position: int
    end: int
    spaced: bool

    def source(self, text: str) -> str:
        """The token as written in ``text``, or "the end" for the end of the input."""
        return text[self.position : self.end] or "the end"


def is_space(ch: str) -> bool:
    """Whether ``ch`` is whitespace between tokens: space, tab, newline, or a Unicode space.

    >>> is_space("\\u00a0"), is_space("\\u200b")
    (True, False)
    """
    return ch in " \t\r\n" or unicodedata.category(ch) == "Zs"


def check_length(text: str, limits: Limits) -> None:
    """Refuse input longer than ``limits.max_length`` characters, before reading any of it.

    >>> check_length("x + 1", Limits(max_length=3))
    Traceback (most recent call last):
    ...
    symderiv.errors.LimitError: the formula has 5 characters; the limit is 3 at position 3
      x + 1
         ^
    """
    if len(text) > limits.max_length:
        raise LimitError(
            f"the formula has {len(text)} characters; the limit is {limits.max_length}",
            text=text,
            position=limits.max_length,
            limit="length",
        )


def check_number(literal: str, text: str, position: int, limits: Limits) -> None:
    """Refuse a number literal with too many digits, too large an exponent, or leading zeros.

    ``literal`` is digits with an optional fraction and an optional exponent (``1.5e-3``), as
    written at ``position`` in ``text``. Both parsers call this on every number they cut.

    >>> from symderiv.parse.limits import DEFAULT_LIMITS
    >>> check_number("1e1000000", "1e1000000", 0, DEFAULT_LIMITS)
    Traceback (most recent call last):
    ...
    symderiv.errors.LimitError: the exponent of 1e1000000 is too large: numbers are limited to 1000 digits at position 0
      1e1000000
      ^
    >>> check_number("00", "00", 0, DEFAULT_LIMITS)
    Traceback (most recent call last):
    ...
    symderiv.errors.ParseError: leading zeros are not allowed in a number: write 0 at position 0
      00
      ^
    """
    mantissa, _, exponent = literal.lower().partition("e")
    digits = mantissa.replace(".", "").lstrip("0")
    if len(digits) > limits.max_digits:
        raise LimitError(
            f"the number has {len(digits)} digits; numbers are limited to {limits.max_digits} digits",
            text=text,
            position=position,
            limit="digits",
        )
    if exponent and (len(exponent.lstrip("+-")) > 6 or abs(int(exponent)) > limits.max_digits):
        raise LimitError(
            f"the exponent of {literal[:20]} is too large: numbers are limited to "
            f"{limits.max_digits} digits",
            text=text,
            position=position,
            limit="digits",
        )
    if re.fullmatch(r"0[0-9]+", literal):
        raise ParseError(
            f"leading zeros are not allowed in a number: write {literal.lstrip('0') or '0'}",
            text=text,
            position=position,
        )


class Cursor:
    """What both parsers keep while they read: the tokens, where they are, and the limits.

    ``made`` counts the nodes built and ``nested`` the depth reached; each raises
    :class:`~symderiv.LimitError` at the place in the text where its limit is passed. Reading
    past the last token keeps answering the last one (the "end" token).
    """

    def __init__(self, text: str, tokens: list[Token], limits: Limits):
        self.text = text
        self.tokens = tokens
        self.limits = limits
        self.index = 0
        self.depth = 0
        self.nodes = 0

    def peek(self, ahead: int = 0) -> Token:
        """The token ``ahead`` places after the current one, without moving."""
        return self.tokens[min(self.index + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        """The current token; the cursor moves past it."""
        token = self.tokens[self.index]
        self.index = min(self.index + 1, len(self.tokens) - 1)
        return token

    def at(self, *values: str, kind: str = "op") -> bool:
        """Whether the current token is of ``kind`` with one of ``values``."""
        token = self.peek()
        return token.kind == kind and token.value in values

    def error(self, message: str, position: int) -> ParseError:
        """A ParseError about the input, pointing at ``position``."""
        return ParseError(message, text=self.text, position=position)

    def made(self, node: Node) -> Node:
        """Count ``node`` against ``max_nodes`` and give it back."""
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise LimitError(
                f"the formula has more than {self.limits.max_nodes} numbers, names and operations",
                text=self.text,
                position=node.position,
                limit="nodes",
            )
        return node

    @contextmanager
    def nested(self, position: int) -> Iterator[None]:
        """One level deeper for the duration of the block, refused past ``max_depth``."""
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise LimitError(
                f"the formula nests more than {self.limits.max_depth} levels deep",
                text=self.text,
                position=position,
                limit="depth",
            )
        try:
            yield
        finally:
            self.depth -= 1
