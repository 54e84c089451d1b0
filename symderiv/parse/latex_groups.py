r"""Read the delimited pieces of a LaTeX formula: brackets, braces, ``|x|`` and ``\left ... \right``.

:class:`LatexCursor` is the LaTeX parser's cursor: it knows where each bracket closes and reads
what a bracket holds by calling :meth:`~LatexCursor.expression`, which the grammar
(:class:`symderiv.parse.latex_parser.LatexParser`) defines. A ``|`` opens an absolute value,
except inside one, where it closes it.

>>> from symderiv.parse.latex import parse_latex
>>> parse_latex(r"\left|x\right| + [y + 1]")
y + Abs(x) + 1
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from ..errors import ParseError
from .latex_vocabulary import BRACKET_FUNCTIONS, REFUSED_COMMANDS
from .limits import Limits
from .tokens import Cursor, Token
from .tree import Call, Node

__all__ = ["LatexCursor"]


class LatexCursor(Cursor):
    """A cursor over LaTeX tokens that reads brackets and what they hold."""

    def __init__(self, text: str, tokens: list[Token], limits: Limits):
        super().__init__(text, tokens, limits)
        self.bars = 0  # how many |...| are open here: inside one, '|' closes

    def expression(self) -> Node:
        """An expression up to the next closing bracket, as the grammar reads it."""
        raise NotImplementedError  # pragma: no cover - LatexParser defines the grammar

    # -- where brackets are and where they close

    @contextmanager
    def bracketed(self, bars: int = 0) -> Iterator[None]:
        """Inside brackets a '|' opens a new |...| again; inside |...| it closes."""
        saved, self.bars = self.bars, bars
        try:
            yield
        finally:
            self.bars = saved

    def expect(self, value: str, opening: Token, kind: str = "op") -> Token:
        """Take the token that closes ``opening``; refuse whatever stands there instead."""
        if self.at(value, kind=kind):
            return self.advance()
        token = self.peek()
        closing = ("\\" if kind == "cmd" else "") + value
        if token.kind == "bad":
            raise self.error(token.value, token.position)
        if token.kind == "end":
            raise self.error(f"'{opening.source(self.text)}' is never closed: add {closing}", opening.position)
        raise self.error(
            f"expected {closing} to close '{opening.source(self.text)}' at position "
            f"{opening.position}, found {token.source(self.text)!r}",
            token.position,
        )

    def unexpected(self, token: Token) -> ParseError:
        """The error for ``token`` where it cannot stand, saying what it is."""
        source = token.source(self.text)
        if token.kind == "bad":
            return self.error(token.value, token.position)
        if token.kind == "op" and token.value in (")", "]", "}"):
            return self.error(f"unmatched {source!r}", token.position)
        if token.kind == "op" and token.value == ",":
            return self.error("',' can only separate the arguments of a function", token.position)
        if token.kind == "op" and token.value == "|":
            return self.error("unmatched '|'", token.position)
        if token.kind == "cmd" and token.value in REFUSED_COMMANDS:
            return self.error(REFUSED_COMMANDS[token.value], token.position)
        if token.kind == "op" and token.value in ("^", "_"):
            return self.error(f"{source!r} must follow what it raises or indexes", token.position)
        return self.error(f"unexpected {source!r}", token.position)

    def at_bracket(self) -> bool:
        """Whether a bracket that may hold a function's arguments opens here: ``(``, ``[``, ``\\left(``."""
        return self.at("(", "[") or (self.at("left", kind="cmd") and self.peek(1).kind == "op" and self.peek(1).value in ("(", "["))

    def matching(self, start: int) -> int:
        """Index of the token closing the bracket at ``start`` (-1 when there is none)."""
        pairs = {"{": "}", "(": ")", "[": "]"}
        opening = self.tokens[start].value
        depth = 0
        for i in range(start, len(self.tokens)):
            token = self.tokens[i]
            if token.kind != "op":
                continue
            if token.value == opening:
                depth += 1
            elif token.value == pairs[opening]:
                depth -= 1
                if depth == 0:
                    return i
        return -1

    def closing_brace(self) -> int:
        """Index of the ``}`` closing the ``{`` at the cursor (-1 when there is none)."""
        return self.matching(self.index)

    # -- reading a bracketed piece

    def group(self) -> Node:
        """``( ... )``, ``[ ... ]`` or ``{ ... }``: the expression inside."""
        opening = self.advance()
        closing = {"(": ")", "[": "]", "{": "}"}[opening.value]
        if self.at(closing):
            raise self.error("empty brackets: put an expression inside", opening.position)
        with self.bracketed():
            node = self.expression()
        if self.at("right", kind="cmd"):
            raise self.error(f"\\right without a matching \\left (this bracket opened with '{opening.value}')", self.peek().position)
        self.expect(closing, opening)
        return node

    def bars_abs(self) -> Node:
        """``| ... |``: the absolute value of the expression inside."""
        opening = self.advance()
        with self.bracketed(bars=1):
            node = self.expression()
        self.expect("|", opening)
        return self.made(Call("Abs", (node,), opening.position))

    def left_group(self) -> Node:
        """``\\left( ... \\right)``, ``\\left[ ... \\right]``, ``\\left| ... \\right|``, or a
        bracket with a function of its own: ``\\left\\lfloor ... \\right\\rfloor`` (and \\lvert, \\lceil)."""
        left = self.advance()
        delimiter = self.peek()
        pairs = {"(": ")", "[": "]", "|": "|"}
        if delimiter.kind == "cmd" and delimiter.value in BRACKET_FUNCTIONS:
            closing, function = BRACKET_FUNCTIONS[delimiter.value]
            self.advance()
            with self.bracketed():
                node = self.expression()
            self.expect("right", left, kind="cmd")
            self.expect(closing, left, kind="cmd")
            return self.made(Call(function, (node,), left.position))
        if delimiter.kind != "op" or delimiter.value not in pairs:
            raise self.error("\\left must be followed by (, [ or | (\\left. is not supported)", delimiter.position)
        self.advance()
        with self.bracketed():
            node = self.expression()
        self.expect("right", left, kind="cmd")
        self.expect(pairs[delimiter.value], left)
        if delimiter.value == "|":
            return self.made(Call("Abs", (node,), left.position))
        return node

    def bracket_arguments(self) -> list[Node]:
        """The arguments of a function in ``( )``, ``[ ]`` or ``\\left( \\right)``, comma separated."""
        opening = self.advance()
        left = opening.kind == "cmd"
        if left:
            opening = self.advance()
        closing = {"(": ")", "[": "]"}[opening.value]
        if self.at(closing) or (left and self.at("right", kind="cmd")):
            raise self.error("a function needs an argument: put it in the brackets", opening.position)
        with self.nested(opening.position), self.bracketed():
            args = [self.expression()]
            while self.at(","):
                self.advance()
                args.append(self.expression())
        if left:
            self.expect("right", opening, kind="cmd")
        self.expect(closing, opening)
        return args
