r"""Cut a LaTeX formula into tokens: commands (``\frac`` is "frac"), letters, numbers, operators.

Spacing (``\,`` ``\quad`` ``~``) and bracket sizes (``\bigl``) are dropped, remembered only as
space before the next token; one pair of math delimiters around the whole formula (``$ $``,
``\( \)``, ...) is removed; ``1.5 \cdot 10^{-20}``, SymPy's LaTeX for a Float, becomes the one
number ``1.5e-20``. A character refused outright raises here; the other refused characters
become "bad" tokens, refused where the parser reaches them.

>>> from symderiv.parse.limits import DEFAULT_LIMITS
>>> [(t.kind, t.value) for t in tokenize(r"\frac{x}{2}\,\sigma", DEFAULT_LIMITS)]
[('cmd', 'frac'), ('op', '{'), ('letter', 'x'), ('op', '}'), ('op', '{'), ('number', '2'), ('op', '}'), ('cmd', 'sigma'), ('end', '')]
"""

from __future__ import annotations

import re
import unicodedata

from ..errors import ParseError
from .latex_vocabulary import (
    BARE_WORDS,
    NAME_WORDS,
    REFUSED_CHARACTERS,
    SIZES,
    SPACING,
    UNICODE_OPERATORS,
)
from .limits import Limits
from .tokens import Token, check_number, is_space
from .tree import GREEK_LETTERS

__all__ = ["refuse_bare_words", "tokenize"]

_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_COMMAND = re.compile(r"[A-Za-z]+")
_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))
_OPERATORS = "+-*/^_()[]{}|!,"


def tokenize(text: str, limits: Limits) -> list[Token]:
    """The tokens of ``text``, the last one "end"; numbers checked against ``limits`` as they are cut."""
    start, stop = _strip_delimiters(text)
    tokens: list[Token] = []
    i, spaced = start, False
    while i < stop:
        if text[i] == "~" or is_space(text[i]):
            i, spaced = i + 1, True
            continue
        token = _read_token(text, i, stop, spaced, limits)
        i = token.end
        if token.kind == "space":  # a spacing command or a bracket size
            spaced = True
            continue
        tokens.append(token)
        spaced = False
    tokens.append(Token("end", "", stop, stop, spaced))
    if len(tokens) == 1:
        raise ParseError("the formula is empty", text=text, position=0)
    return _merge_scientific(tokens, text, limits)


def _read_token(text: str, i: int, stop: int, spaced: bool, limits: Limits) -> Token:
    """The token starting at ``text[i]`` (not whitespace); kind "space" for ``\\,`` and the like."""
    ch = text[i]
    if ch == "\\":
        return _command(text, i, stop, spaced)
    if ch.isascii() and ch.isdigit() or (ch == "." and i + 1 < stop and text[i + 1].isdigit()):
        number = _NUMBER.match(text, i, stop)
        assert number is not None
        check_number(number.group(), text, i, limits)
        return Token("number", number.group(), i, number.end(), spaced)
    if ch.isascii() and ch.isalpha():
        return Token("letter", ch, i, i + 1, spaced)
    if ch in GREEK_LETTERS:
        return Token("cmd", GREEK_LETTERS[ch], i, i + 1, spaced)
    if ch in UNICODE_OPERATORS:
        kind, value = UNICODE_OPERATORS[ch]
        return Token(kind, value, i, i + 1, spaced)
    if ch in _OPERATORS:
        return Token("op", ch, i, i + 1, spaced)
    if ch in REFUSED_CHARACTERS and ch != "%":  # refused where the parser reaches it
        return Token("bad", REFUSED_CHARACTERS[ch], i, i + 1, spaced)
    raise ParseError(_describe_refused(ch), text=text, position=i)


def _command(text: str, i: int, stop: int, spaced: bool) -> Token:
    """The command whose backslash is at ``text[i]``: a word of letters or one other character."""
    if i + 1 >= stop:
        raise ParseError("a lone backslash at the end", text=text, position=i)
    word = _COMMAND.match(text, i + 1, stop)
    end = word.end() if word else i + 2
    name = text[i + 1 : end]
    if len(name) > 32:
        raise ParseError(f"unknown LaTeX command \\{name[:32]}...", text=text, position=i)
    if name in SPACING or name in SIZES:
        return Token("space", name, i, end, spaced)
    if name == "vert":
        return Token("op", "|", i, end, spaced)
    return Token("cmd", name, i, end, spaced)


def _merge_scientific(tokens: list[Token], text: str, limits: Limits) -> list[Token]:
    r"""Read ``1.5 \cdot 10^{-20}`` (SymPy's LaTeX for a Float) as the one decimal ``1.5e-20``,
    and ``3.0`` as a Float with the precision of ``3``: exactly the Float that was printed."""
    merged: list[Token] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        shape = [(t.kind, t.value) for t in tokens[i + 1 : i + 5]]
        if token.kind == "number" and "." in token.value and shape[:4] in (
            [("cmd", "cdot"), ("number", "10"), ("op", "^"), ("op", "{")],
            [("cmd", "times"), ("number", "10"), ("op", "^"), ("op", "{")],
        ):
            j = i + 5
            sign = ""
            if tokens[j].kind == "op" and tokens[j].value in ("+", "-"):
                sign, j = tokens[j].value, j + 1
            if (
                tokens[j].kind == "number"
                and tokens[j].value.isdigit()
                and tokens[j + 1].kind == "op"
                and tokens[j + 1].value == "}"
            ):
                literal = f"{token.value}e{sign}{tokens[j].value}"
                check_number(literal, text, token.position, limits)
                merged.append(token._replace(value=literal, end=tokens[j + 1].end))
                i = j + 2
                continue
        if token.kind == "number" and re.fullmatch(r"[0-9]+\.0", token.value):
            token = token._replace(value=token.value[:-2] + "e0")
        merged.append(token)
        i += 1
    return merged


def _strip_delimiters(text: str) -> tuple[int, int]:
    """The range of ``text`` inside one pair of math delimiters around all of it, if any."""
    start, stop = 0, len(text)
    while start < stop and text[start].isspace():
        start += 1
    while stop > start and text[stop - 1].isspace():
        stop -= 1
    for opening, closing in _DELIMITERS:
        if text.startswith(opening, start) and text.endswith(closing, 0, stop) and stop - start >= len(opening) + len(closing):
            return start + len(opening), stop - len(closing)
    return start, stop


def _describe_refused(ch: str) -> str:
    if ch in REFUSED_CHARACTERS:
        return REFUSED_CHARACTERS[ch]
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "unnamed")
    if unicodedata.category(ch)[0] in "CZ":
        return f"invisible or control character {code} ({name}) is not allowed"
    if ch.isascii():
        return f"character {ch!r} is not allowed in a formula"
    return f"character {ch!r} ({code} {name}) is not allowed in a LaTeX formula"


def refuse_bare_words(text: str, tokens: list[Token]) -> None:
    r"""Refuse ``log(a)``, ``sigmoid(z)``, ``pi``: command names typed without their backslash.

    >>> from symderiv.parse.limits import DEFAULT_LIMITS
    >>> refuse_bare_words("log(a)", tokenize("log(a)", DEFAULT_LIMITS))
    Traceback (most recent call last):
    ...
    symderiv.errors.ParseError: 'log' without a backslash reads as the product l o g; write \log at position 0
      log(a)
      ^
    """
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "cmd" and token.value in NAME_WORDS:
            while index < len(tokens) and not (tokens[index].kind == "op" and tokens[index].value == "}"):
                index += 1
            continue
        if token.kind != "letter":
            index += 1
            continue
        run = [tokens[index]]
        while index + len(run) < len(tokens):
            following = tokens[index + len(run)]
            if following.kind != "letter" or following.position != run[-1].end:
                break
            run.append(following)
        letters = "".join(t.value for t in run)
        for word, command in sorted(BARE_WORDS.items(), key=lambda item: -len(item[0])):
            found = letters.find(word) if len(word) >= 3 else (0 if letters == word else -1)
            if found >= 0:
                raise ParseError(
                    f"'{word}' without a backslash reads as the product {' '.join(word)}; "
                    f"write {command}",
                    text=text,
                    position=run[found].position,
                )
        index += len(run)
