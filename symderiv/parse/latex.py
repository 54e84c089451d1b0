r"""Read a formula written in LaTeX into a SymPy expression; refuse what LaTeX leaves ambiguous.

``sd.parse_latex(tex)`` reads the LaTeX of formulas as people write them in notes and papers,
and everything ``sp.latex`` prints for the expressions symderiv works with, so that
``parse_latex(sp.latex(e)) == e``.

>>> parse_latex(r"\frac{1}{1 + e^{-x}}")
1/(1 + exp(-x))
>>> parse_latex(r"-\left(y \log a + (1 - y) \log(1 - a)\right)")
-y*log(a) - (1 - y)*log(1 - a)
>>> parse_latex(r"\sigma(z) \left(1 - \sigma(z)\right)")
(1 - sigmoid(z))*sigmoid(z)
>>> parse_latex(r"\theta^{(2)}_{12} a^{(2)}_{2}")
a^(2)_2*theta^(2)_12

What it reads:

- numbers ``2``, ``0.5``; letters (each one a variable: ``xy`` is x·y); Greek letters
  ``\alpha`` … ``\Omega`` (``\pi`` is π); ``e`` and ``\mathrm{e}`` are Euler's number and
  ``i`` the imaginary unit, as ``sp.latex`` prints them (``e_{1}``, ``i_{1}`` are variables);
  ``\mathrm{lr}`` is one variable with a longer name;
- subscripts ``x_1``, ``x_{12}``, ``W_{i,j}`` (the symbol ``W_i,j``) and layer indices in
  parentheses ``\theta^{(2)}_{12}`` (the symbol ``theta^(2)_12``), as SymPy prints such names;
- ``+ - * / \cdot \times \div``, juxtaposition ``2x``, ``x \left(x+1\right)``, powers ``x^{2}``
  ``x^2``, ``\frac{a}{b}`` ``\frac12``, ``\sqrt{x}`` ``\sqrt[3]{x}``, ``n!``;
- brackets ``( ) [ ] { }``, ``\left( \right)``, ``\left[ \right]``, ``\bigl( \bigr)`` and
  absolute values ``|x|``, ``\left| x \right|``, ``\lvert x \rvert``;
- functions ``\exp \log \ln \sqrt \sin \cos \tan \cot \sec \csc \arcsin \arccos \arctan \sinh
  \cosh \tanh \coth \max \min \Re \Im``, ``\log_{2}``, powers ``\sin^{2} x``, the sigmoid ``\sigma(x)``
  and ``\operatorname{name}`` for the rest: asin … acsch, sech, csch, sign, softplus, ReLU,
  sigmoid, Heaviside, re, im; arguments in brackets, in braces, or a single letter or number
  (``\log a``, ``\sin 2``);
- spacing (``\,`` ``\;`` ``\quad`` ``~``) is ignored; one pair of ``$ $``, ``$$ $$``, ``\( \)``
  or ``\[ \]`` around the whole formula is removed.

What it refuses, because LaTeX alone cannot say which of two formulas is meant (each refusal
says how to write the intended one):

- ``f(x)``, ``s(z)``: a function f, or f times x? (symderiv has no unnamed functions; for a
  product write ``f \cdot (x)`` or ``f\left(x\right)``, as SymPy prints products);
  ``\theta\left(x\right)`` is also SymPy's Heaviside step, so it is refused too;
- ``\sigma x``: the sigmoid of x, or σ·x?; ``\sin x y``, ``\sin x^2``: how far does the
  argument reach?; ``\sin^{-1}``: arcsin or 1/sin?;
- ``x/2y``; ``x^23`` (TeX reads x²·3); ``x2`` and ``2 3`` (a number after a factor);
- ``a^2_{12}``, ``\theta^1_{10}``: a power of a subscripted name, or a layer index? (write
  ``\theta^{(1)}_{10}`` for the index, ``\theta_{10}^{1}`` for the power);
- ``log(a)``, ``sigmoid(z)``, ``pi`` without a backslash (TeX reads l·o·g·a);
- derivative notation ``\frac{d}{dx}``, ``\partial``, primes ``f'``; transposes ``^T``; sums,
  integrals, limits, environments, text, and every command that is not listed above (TeX
  programming such as ``\def`` or ``\write18`` included: nothing here is ever run).

>>> parse_latex(r"\sigma x")
Traceback (most recent call last):
...
symderiv.errors.ParseError: ambiguous: \sigma followed by a factor: write \sigma(x) for the sigmoid of x, or \sigma \cdot x for a product at position 7
  \sigma x
         ^
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import sympy as sp

from ..errors import LimitError, ParseError
from ..limits import DEFAULT_LIMITS, Limits
from .text import TEXT_FUNCTIONS
from .tree import (
    FUNCTIONS,
    Cursor,
    GREEK_LETTERS,
    Call,
    Constant,
    Name,
    Negative,
    Node,
    Number,
    Power,
    Product,
    Sum,
    check_names,
    to_sympy,
)

__all__ = ["parse_latex", "LATEX_FUNCTIONS"]

LATEX_FUNCTIONS: dict[str, str] = {
    "exp": "exp", "log": "log", "ln": "log",
    **{name: name for name in ("sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth")},
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "max": "Max", "min": "Min",
    "Re": "re", "Im": "im",
}
"""LaTeX function commands (``\\sin``) and the canonical function each calls."""

OPERATOR_NAMES: dict[str, str] = {name: f for name, f in TEXT_FUNCTIONS.items() if name != "sigma"}
"""Names read inside ``\\operatorname{...}`` or ``\\mathrm{...}``: those of :func:`symderiv.parse`."""

GREEK_COMMANDS = frozenset(GREEK_LETTERS.values()) | {
    "varepsilon", "vartheta", "varphi", "varrho", "varsigma", "varpi", "varkappa",
}

_SPACING = frozenset({"quad", "qquad", "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", ",", ";", ":", "!", " "})
_SIZES = frozenset(
    size + side
    for size in ("big", "Big", "bigg", "Bigg")
    for side in ("", "l", "r", "m")
)
_MULTIPLY = frozenset({"cdot", "times", "div"})
_LETTER_CONSTANTS = {"e": "E", "i": "I"}  # as sp.latex prints E and I
_POWERABLE = frozenset({"number", "group", "function", "constant", "word"})
_NAME_WORDS = frozenset({"mathrm", "operatorname", "mathit", "textrm"})
_FRACTIONS = frozenset({"frac", "dfrac", "tfrac"})

_REFUSED_COMMANDS: dict[str, str] = {
    "partial": "derivative notation (\\partial) is not read: give the function itself, symderiv differentiates it",
    "nabla": "gradients (\\nabla) are not supported",
    "sum": "sums (\\sum) are not supported: write the terms out",
    "prod": "products (\\prod) are not supported: write the factors out",
    "int": "integrals are not supported",
    "iint": "integrals are not supported",
    "oint": "integrals are not supported",
    "lim": "limits are not supported",
    "infty": "infinity cannot appear in a formula",
    "top": "transposes are not supported: symderiv works with scalars",
    "intercal": "transposes are not supported: symderiv works with scalars",
    "text": "text is not part of a formula",
    "begin": "environments (\\begin ... \\end) are not supported: give one expression",
    "end": "environments (\\begin ... \\end) are not supported: give one expression",
    "right": "\\right without a matching \\left",
    "rvert": "\\rvert without a matching \\lvert",
    "\\": "line breaks are not allowed: give one expression",
    "{": "braces as delimiters (\\{ \\}) are not supported: use ( ) or [ ]",
    "}": "braces as delimiters (\\{ \\}) are not supported: use ( ) or [ ]",
    "|": "norms (\\|) are not supported",
    **{cmd: "relations are not supported: give an expression, not an equation"
       for cmd in ("le", "ge", "leq", "geq", "neq", "ne", "approx", "equiv", "sim", "to",
                   "rightarrow", "Rightarrow", "mapsto", "in", "lt", "gt")},
    **{cmd: "ellipses are not supported: write the terms out"
       for cmd in ("cdots", "ldots", "dots", "vdots", "ddots")},
    **{cmd: "decorated symbols (\\mathbf, \\hat, ...) are not supported: use a plain name such as w or w_1"
       for cmd in ("mathbf", "boldsymbol", "bm", "vec", "hat", "bar", "tilde", "dot", "ddot",
                   "overline", "underline", "widehat", "mathcal", "mathbb")},
}

_REFUSED_CHARACTERS = {
    "=": "'=' is not allowed: give an expression, not an equation",
    "<": "relations are not supported: give an expression",
    ">": "relations are not supported: give an expression",
    "&": "'&' (alignment) is not allowed: give one expression",
    "%": "'%' starts a LaTeX comment, which would hide the rest of the line: remove it",
    "#": "'#' is not allowed in a formula",
    "$": "'$' can only surround the whole formula",
    '"': "quotes are not allowed in a formula",
    "'": "primes (f') are derivative notation, which is not read: give the function itself",
    ";": "';' is not allowed in a formula",
    ":": "':' is not allowed in a formula",
    ".": "'.' can only appear inside a number",
}

_BARE_WORDS: dict[str, str] = {
    **{name: f"\\{name}" for name in LATEX_FUNCTIONS},
    **{name: f"\\operatorname{{{name}}}" for name in ("asin", "acos", "atan", "sech", "csch", "sign", "softplus", "relu", "ReLU")},
    "sigmoid": "\\sigma", "sqrt": "\\sqrt", "frac": "\\frac", "cdot": "\\cdot", "left": "\\left",
    **{name: f"\\{name}" for name in GREEK_COMMANDS if name.islower() and len(name) >= 2},
}
"""Words that, typed without a backslash, mean a command but read as a product of letters."""

_UNICODE_OPERATORS = {"−": ("op", "-"), "·": ("cmd", "cdot"), "⋅": ("cmd", "cdot"), "×": ("cmd", "times"), "÷": ("cmd", "div")}
_NUMBER = re.compile(r"[0-9]+(?:\.[0-9]+)?|\.[0-9]+")
_COMMAND = re.compile(r"[A-Za-z]+")
_DELIMITERS = (("$$", "$$"), ("$", "$"), ("\\(", "\\)"), ("\\[", "\\]"))


def parse_latex(tex: str, *, limits: Limits | None = None) -> sp.Expr:
    r"""Read the LaTeX formula ``tex`` into a SymPy expression, refusing ambiguous input.

    Raises :class:`~symderiv.ParseError` (a ``ValueError``) for input that is not a formula or
    is ambiguous, :class:`~symderiv.LimitError` for a formula past ``limits``.

    >>> import sympy as sp
    >>> from symderiv.core.functions import sigmoid
    >>> x = sp.Symbol("x")
    >>> e = sigmoid(x)**2 / (1 + sp.exp(-x))
    >>> parse_latex(sp.latex(e)) == e
    True
    >>> parse_latex(r"\frac{d}{dx} \sigma(x)")
    Traceback (most recent call last):
    ...
    symderiv.errors.ParseError: derivative notation d/dx is not read: give the function itself, symderiv differentiates it at position 0
      \frac{d}{dx} \sigma(x)
      ^
    """
    if not isinstance(tex, str):
        raise TypeError(f"parse_latex() reads a str, got {type(tex).__name__}")
    limits = limits or DEFAULT_LIMITS
    if len(tex) > limits.max_length:
        raise LimitError(
            f"the formula has {len(tex)} characters; the limit is {limits.max_length}",
            text=tex,
            position=limits.max_length,
            limit="length",
        )
    tokens = _tokenize(tex, limits)
    _refuse_bare_words(tex, tokens)
    tree = _Parser(tex, tokens, limits).parse()
    check_names(tree, tex, limits)
    return to_sympy(tree, tex, limits)


# ---------------------------------------------------------------------------------------------
# Tokens: commands (``\frac`` → "frac"), single letters, numbers, one-character operators.


class _Token(NamedTuple):
    kind: str  # "cmd", "letter", "number", "op", "end", or "bad" (value: why it is refused)
    value: str
    position: int
    end: int
    spaced: bool

    def source(self, text: str) -> str:
        return text[self.position : self.end] or "the end"


def _tokenize(text: str, limits: Limits) -> list[_Token]:
    start, stop = _strip_delimiters(text)
    tokens: list[_Token] = []
    i, spaced = start, False
    while i < stop:
        ch = text[i]
        if ch in " \t\r\n~" or unicodedata.category(ch) == "Zs":
            i, spaced = i + 1, True
            continue
        if ch == "\\":
            if i + 1 >= stop:
                raise ParseError("a lone backslash at the end", text=text, position=i)
            word = _COMMAND.match(text, i + 1, stop)
            end = word.end() if word else i + 2
            name = text[i + 1 : end]
            if len(name) > 32:
                raise ParseError(f"unknown LaTeX command \\{name[:32]}...", text=text, position=i)
            if name in _SPACING or name in _SIZES:
                i, spaced = end, True
                continue
            if name == "vert":
                tokens.append(_Token("op", "|", i, end, spaced))
            else:
                tokens.append(_Token("cmd", name, i, end, spaced))
            i = end
        elif ch.isascii() and ch.isdigit() or (ch == "." and i + 1 < stop and text[i + 1].isdigit()):
            number = _NUMBER.match(text, i, stop)
            assert number is not None
            _check_number(number.group(), text, i, limits)
            tokens.append(_Token("number", number.group(), i, number.end(), spaced))
            i = number.end()
        elif ch.isascii() and ch.isalpha():
            tokens.append(_Token("letter", ch, i, i + 1, spaced))
            i += 1
        elif ch in GREEK_LETTERS:
            tokens.append(_Token("cmd", GREEK_LETTERS[ch], i, i + 1, spaced))
            i += 1
        elif ch in _UNICODE_OPERATORS:
            kind, value = _UNICODE_OPERATORS[ch]
            tokens.append(_Token(kind, value, i, i + 1, spaced))
            i += 1
        elif ch in "+-*/^_()[]{}|!,":
            tokens.append(_Token("op", ch, i, i + 1, spaced))
            i += 1
        elif ch in _REFUSED_CHARACTERS and ch != "%":  # refused where the parser reaches it
            tokens.append(_Token("bad", _REFUSED_CHARACTERS[ch], i, i + 1, spaced))
            i += 1
        else:
            raise ParseError(_describe_refused(ch), text=text, position=i)
        spaced = False
    tokens.append(_Token("end", "", stop, stop, spaced))
    if len(tokens) == 1:
        raise ParseError("the formula is empty", text=text, position=0)
    return _merge_scientific(tokens, text, limits)


def _merge_scientific(tokens: list[_Token], text: str, limits: Limits) -> list[_Token]:
    r"""Read ``1.5 \cdot 10^{-20}`` (SymPy's LaTeX for a Float) as the one decimal ``1.5e-20``,
    and ``3.0`` as a Float with the precision of ``3``: exactly the Float that was printed."""
    merged: list[_Token] = []
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
                if len(tokens[j].value) > 6 or int(tokens[j].value) > limits.max_digits:
                    raise LimitError(
                        f"the exponent of {literal[:20]} is too large: numbers are limited to "
                        f"{limits.max_digits} digits",
                        text=text,
                        position=token.position,
                        limit="digits",
                    )
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


def _check_number(literal: str, text: str, position: int, limits: Limits) -> None:
    digits = literal.replace(".", "").lstrip("0")
    if len(digits) > limits.max_digits:
        raise LimitError(
            f"the number has {len(digits)} digits; numbers are limited to {limits.max_digits} digits",
            text=text,
            position=position,
            limit="digits",
        )
    if re.fullmatch(r"0[0-9]+", literal):
        raise ParseError(
            f"leading zeros are not allowed in a number: write {literal.lstrip('0')}",
            text=text,
            position=position,
        )


def _describe_refused(ch: str) -> str:
    if ch in _REFUSED_CHARACTERS:
        return _REFUSED_CHARACTERS[ch]
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "unnamed")
    if unicodedata.category(ch)[0] in "CZ":
        return f"invisible or control character {code} ({name}) is not allowed"
    if ch.isascii():
        return f"character {ch!r} is not allowed in a formula"
    return f"character {ch!r} ({code} {name}) is not allowed in a LaTeX formula"


def _refuse_bare_words(text: str, tokens: list[_Token]) -> None:
    """Refuse ``log(a)``, ``sigmoid(z)``, ``pi``: command names typed without their backslash."""
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind == "cmd" and token.value in _NAME_WORDS:
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
        for word, command in sorted(_BARE_WORDS.items(), key=lambda item: -len(item[0])):
            found = letters.find(word) if len(word) >= 3 else (0 if letters == word else -1)
            if found >= 0:
                raise ParseError(
                    f"'{word}' without a backslash reads as the product {' '.join(word)}; "
                    f"write {command}",
                    text=text,
                    position=run[found].position,
                )
        index += len(run)


# ---------------------------------------------------------------------------------------------
# The parser. Grammar, loosest binding first:
#
#   expression := term (("+" | "-") term)*
#   term       := unary (("*" | \cdot | \times | "/" | \div) unary)*
#   unary      := ("+" | "-") unary | product
#   product    := factor factor*                 -- juxtaposition, with the refusals above
#   factor     := (symbol | number | group | fraction | root | function | abs) postfix
#   postfix    := ("^" script | "!")*
#   symbol     := (letter | Greek) ("_" script | "^" script)*   -- at most one of each


class _Parser(Cursor):
    def __init__(self, text: str, tokens: list[_Token], limits: Limits):
        super().__init__(text, tokens, limits)
        self.bars = 0  # how many |...| are open here: inside one, '|' closes
        self.last_factor_start = 0
        self.last_bare: tuple[str, str] = ("", "")  # a function without brackets, its argument

    # -- helpers

    def at(self, *values: str, kind: str = "op") -> bool:
        token = self.peek()
        return token.kind == kind and token.value in values


    @contextmanager
    def bracketed(self, bars: int = 0) -> Iterator[None]:
        """Inside brackets a '|' opens a new |...| again; inside |...| it closes."""
        saved, self.bars = self.bars, bars
        try:
            yield
        finally:
            self.bars = saved

    def expect(self, value: str, opening: _Token, kind: str = "op") -> _Token:
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

    # -- grammar

    def parse(self) -> Node:
        node = self.expression()
        token = self.peek()
        if token.kind != "end":
            raise self.unexpected(token)
        return node

    def expression(self) -> Node:
        start = self.peek()
        with self.nested(start.position):
            terms = [self.term()]
            while self.at("+", "-"):
                sign = self.advance()
                term = self.term()
                terms.append(self.made(Negative(term, sign.position)) if sign.value == "-" else term)
            return terms[0] if len(terms) == 1 else self.made(Sum(tuple(terms), start.position))

    def term(self) -> Node:
        start = self.peek()
        first, _ = self.unary()
        rest: list[tuple[str, Node]] = []
        while self.at("*", "/") or self.at("cdot", "times", "div", kind="cmd"):
            operator = self.advance()
            divide = operator.value in ("/", "div")
            factor, juxtaposed = self.unary()
            if divide and juxtaposed:
                raise self.error(
                    "ambiguous: does '/' divide by the whole product after it? write \\frac{a}{b c} "
                    "for that, or put the product after the division in brackets",
                    operator.position,
                )
            rest.append(("/" if divide else "*", factor))
        return first if not rest else self.made(Product(first, tuple(rest), start.position))

    def unary(self) -> tuple[Node, bool]:
        token = self.peek()
        if self.at("+", "-"):
            self.advance()
            with self.nested(token.position):
                operand, juxtaposed = self.unary()
            if token.value == "+":
                return operand, juxtaposed
            return self.made(Negative(operand, token.position)), juxtaposed
        return self.product()

    def product(self) -> tuple[Node, bool]:
        start = self.peek()
        node, kind = self.factor()
        factors = [node]
        while self.starts_factor(self.peek()):
            self.check_juxtaposition(kind, self.peek())
            node, kind = self.factor()
            factors.append(node)
        if len(factors) == 1:
            return factors[0], False
        rest = tuple(("*", factor) for factor in factors[1:])
        return self.made(Product(factors[0], rest, start.position)), True

    def starts_factor(self, token: _Token) -> bool:
        if token.kind in ("letter", "number"):
            return True
        if token.kind == "cmd":
            return token.value not in _MULTIPLY and token.value not in ("right", "rvert")
        if token.kind == "op":
            return token.value in ("(", "[", "{") or (token.value == "|" and self.bars == 0)
        return False

    def check_juxtaposition(self, previous: str, token: _Token) -> None:
        """Refuse the juxtapositions LaTeX leaves ambiguous; ``previous`` is the factor's kind."""
        if token.kind == "number":
            raise self.error(
                "a number after another factor is ambiguous: write x_{2} for a subscript, "
                "2x or x \\cdot 2 for a product",
                token.position,
            )
        opens = token.kind == "op" and token.value in ("(", "[")
        left = token.kind == "cmd" and token.value == "left"
        if previous in ("symbol", "theta") and opens:
            name = self.text[self.last_factor_start : token.position].strip()
            raise self.error(
                f"ambiguous: '{name}(' reads as a function {name} or as {name} times a bracket; "
                f"symderiv knows no function {name}: for a product write {name} \\cdot (...) or "
                f"{name}\\left(...\\right)",
                token.position,
            )
        if previous == "theta" and left:
            raise self.error(
                "ambiguous: \\theta\\left(...\\right) is how SymPy prints the Heaviside step; "
                "for a product write \\theta \\cdot \\left(...\\right)",
                token.position,
            )
        if previous == "sigma":
            raise self.error(
                "ambiguous: \\sigma followed by a factor: write \\sigma(x) for the sigmoid of x, "
                "or \\sigma \\cdot x for a product",
                token.position,
            )
        if previous == "bare function" and not (token.kind == "cmd" and self.is_function(token)):
            function, argument = self.last_bare
            following = token.source(self.text)
            raise self.error(
                f"ambiguous: does the argument of {function} reach past {argument}? write "
                f"{function}({argument} {following}...) or {function}({argument}) {following}...",
                token.position,
            )

    def is_function(self, token: _Token) -> bool:
        return token.value in LATEX_FUNCTIONS or token.value in ("operatorname", "sigma")

    # -- factors

    def factor(self) -> tuple[Node, str]:
        token = self.peek()
        self.last_factor_start = token.position
        if token.kind == "letter" or (token.kind == "cmd" and token.value in GREEK_COMMANDS):
            node, kind = self.symbol()
        elif token.kind == "number":
            self.advance()
            node, kind = self.made(Number(token.value, token.position)), "number"
        elif token.kind == "op" and token.value in ("(", "[", "{"):
            node, kind = self.group(), "group"
        elif token.kind == "op" and token.value == "|":
            if self.bars:
                raise self.error("nested |...| is ambiguous: use \\left| ... \\right| inside", token.position)
            node, kind = self.bars_abs(), "group"
        elif token.kind == "cmd":
            node, kind = self.command(token)
        elif token.kind == "end":
            raise self.error("the formula ends too early: something is missing here", token.position)
        else:
            raise self.unexpected(token)
        return self.postfix(node, kind)

    def postfix(self, node: Node, kind: str) -> tuple[Node, str]:
        """``^`` (for factors whose scripts were not read already) and ``!``."""
        raised = kind == "powered"
        while True:
            token = self.peek()
            if self.at("^"):
                if raised or kind not in _POWERABLE:
                    raise self.error("double superscript: use braces, as in {x^{2}}^{3}", token.position)
                self.advance()
                node, raised = self.made(Power(node, self.script(token), token.position)), True
            elif self.at("_"):
                raise self.error("a subscript can only follow a letter", token.position)
            elif self.at("!"):
                if raised:
                    raise self.error("ambiguous: is x^{2}! the factorial of x^{2} or of 2? use brackets", token.position)
                self.advance()
                if self.at("!"):
                    raise self.error("double factorials (n!!) are not supported", token.position)
                node = self.made(Call("factorial", (node,), token.position))
            else:
                return node, kind

    def symbol(self) -> tuple[Node, str]:
        """A letter or Greek letter with its subscript and superscript, as a name or a power."""
        base = self.advance()
        sub: str | None = None
        sup: Node | None = None
        index: str | None = None
        order = ""
        sources: dict[str, str] = {}
        while self.at("_", "^"):
            operator = self.advance()
            script_start = self.peek().position
            if operator.value in order:
                which = "subscript" if operator.value == "_" else "superscript"
                raise self.error(f"double {which}: use braces", operator.position)
            order += operator.value
            if operator.value == "_":
                sub = self.subscript(operator)
            elif sub is None and (base.value == "pi" or base.kind == "letter" and base.value in _LETTER_CONSTANTS):
                sup = self.script(operator)  # e and pi are numbers: their superscript is a power
            else:
                index, sup = self.superscript(operator)
            sources[operator.value] = self.text[script_start : self.tokens[self.index - 1].end].strip("{}")
        name = base.value
        if base.kind == "letter" and name in _LETTER_CONSTANTS and sub is None:
            return self.constant(_LETTER_CONSTANTS[name], base, sup)
        if name == "pi" and sub is None:
            return self.constant("pi", base, sup)
        if name == "sigma" and sub is None and index is None and self.at_bracket():
            return self.sigmoid(base, sup)
        if name == "sigma" and sub is not None and self.at_bracket():
            raise self.error("ambiguous: \\sigma with a subscript before a bracket: a sigmoid or a product?", base.position)
        if sup is not None and index is None and order == "^_":
            spelled, up, down = base.source(self.text), sources["^"], sources["_"]
            raise self.error(
                f"ambiguous: is ^{up} a power or a layer index? write {spelled}^{{({up})}}_{{{down}}} "
                f"for a layer index, or {spelled}_{{{down}}}^{{{up}}} for a power",
                base.position,
            )
        if index is not None:
            name += f"^({index})"
        if sub is not None:
            name += "_" + sub
        node: Node = self.made(Name(name, base.position))
        kind = "theta" if base.value == "theta" else "sigma" if base.value == "sigma" else "symbol"
        if sup is not None and index is None:
            node = self.made(Power(node, sup, base.position))
            kind = "sigma" if kind == "sigma" else "powered"
        return node, kind

    def constant(self, name: str, base: _Token, sup: Node | None) -> tuple[Node, str]:
        node: Node = self.made(Constant(name, base.position))
        if sup is not None:
            return self.made(Power(node, sup, base.position)), "powered"
        return node, "constant"

    def sigmoid(self, base: _Token, sup: Node | None) -> tuple[Node, str]:
        args = self.bracket_arguments()
        if len(args) != 1:
            raise self.error(f"\\sigma takes 1 argument, got {len(args)}", base.position)
        node: Node = self.made(Call("sigmoid", tuple(args), base.position))
        if sup is not None:
            node = self.made(Power(node, sup, base.position))
        return node, "function"

    def at_bracket(self) -> bool:
        return self.at("(", "[") or (self.at("left", kind="cmd") and self.peek(1).kind == "op" and self.peek(1).value in ("(", "["))

    def subscript(self, operator: _Token) -> str:
        """A subscript as name text: ``x_1``, ``x_{12}``, ``x_{ij}``, ``x_{\\alpha}``, ``W_{i,j}``."""
        if not self.at("{"):
            token = self.advance()
            if token.kind == "number" and len(token.value) > 1:
                raise self.error(
                    f"ambiguous: TeX reads x_{token.value} as x_{{{token.value[0]}}}{token.value[1:]}; "
                    f"write x_{{{token.value}}}",
                    token.position,
                )
            if token.kind in ("letter", "number") or (token.kind == "cmd" and token.value in GREEK_COMMANDS):
                return token.value
            raise self.error("a subscript holds letters and digits: write x_{1} or x_{ij}", token.position)
        opening = self.advance()
        parts: list[str] = []
        while not self.at("}"):
            token = self.advance()
            if token.kind in ("letter", "number") and "." not in token.value or token.kind == "cmd" and token.value in GREEK_COMMANDS:
                parts.append(token.value)
            elif token.kind == "op" and token.value == "," and parts and parts[-1] != ",":
                parts.append(",")
            elif token.kind == "end":
                raise self.error("'_{' is never closed: add }", opening.position)
            else:
                raise self.error("a subscript may hold letters, digits and commas only", token.position)
        self.advance()
        if not parts or parts[-1] == ",":
            raise self.error("empty or unfinished subscript", opening.position)
        return "".join(parts)

    def superscript(self, operator: _Token) -> tuple[str | None, Node]:
        """A name's superscript: ``(index, power)``: index text for ``^{(2)}``, else None."""
        if self.at("{") and self.at_parenthesized_group():
            inner = self.tokens[self.index + 2 : self.closing_brace() - 1]
            simple = all(
                t.kind in ("letter", "number") and "." not in t.value
                or (t.kind == "cmd" and t.value in GREEK_COMMANDS)
                for t in inner
            )
            if simple and inner:
                self.index = self.closing_brace() + 1
                return "".join(t.value for t in inner), self.made(Number("0", operator.position))
            raise self.error(
                "ambiguous: a parenthesized superscript on a name is a layer index, which may "
                "hold letters and digits only; for a power write the exponent without the "
                "parentheses, as in y^{l+1}",
                operator.position,
            )
        return None, self.script(operator)

    def at_parenthesized_group(self) -> bool:
        """Whether the braced group starting here holds exactly one ``( ... )``."""
        if self.peek(1).kind != "op" or self.peek(1).value != "(":
            return False
        closing = self.closing_brace()
        return closing > 0 and self.tokens[closing - 1].kind == "op" and self.tokens[closing - 1].value == ")" and self.matching(self.index + 1) == closing - 1

    def closing_brace(self) -> int:
        return self.matching(self.index)

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

    def script(self, operator: _Token) -> Node:
        """The argument of ``^`` (or of ``\\frac``, ``\\sqrt``): a braced group or one token."""
        token = self.peek()
        if self.at("{"):
            node = self.group()
        elif token.kind == "number":
            if operator.value == "^" and len(token.value) > 1:
                raise self.error(
                    f"ambiguous: TeX reads x^{token.value} as x^{{{token.value[0]}}}{token.value[1:]}; "
                    f"write x^{{{token.value}}}",
                    token.position,
                )
            node = self.made(Number(self.one_digit(token), token.position))
        elif token.kind == "letter" or (token.kind == "cmd" and token.value in GREEK_COMMANDS):
            self.advance()
            if token.kind == "letter" and token.value in _LETTER_CONSTANTS:
                node = self.made(Constant(_LETTER_CONSTANTS[token.value], token.position))
            elif token.value == "pi":
                node = self.made(Constant("pi", token.position))
            else:
                node = self.made(Name(token.value, token.position))
        elif token.kind == "cmd" and token.value in _REFUSED_COMMANDS:
            raise self.error(_REFUSED_COMMANDS[token.value], token.position)
        elif self.at("-", "+"):
            raise self.error("put a signed exponent in braces: x^{-1}", token.position)
        elif token.kind == "end":
            raise self.error("the formula ends where an argument was expected", token.position)
        else:
            raise self.error("put this argument in braces: x^{...}", token.position)
        if isinstance(node, Name) and node.name == "T" and operator.value == "^":
            raise self.error("transposes (^T) are not supported: symderiv works with scalars", token.position)
        return node

    def one_digit(self, token: _Token) -> str:
        """Take the first digit of a number token, as TeX does for an unbraced argument."""
        if "." in token.value:
            raise self.error("put a decimal number in braces: ^{0.5}", token.position)
        if len(token.value) > 1:
            self.tokens[self.index] = token._replace(value=token.value[1:], position=token.position + 1, spaced=False)
        else:
            self.advance()
        return token.value[0]

    def group(self) -> Node:
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
        opening = self.advance()
        with self.bracketed(bars=1):
            node = self.expression()
        self.expect("|", opening)
        return self.made(Call("Abs", (node,), opening.position))

    def left_group(self) -> Node:
        """``\\left( ... \\right)``, ``\\left[ ... \\right]`` or ``\\left| ... \\right|``."""
        left = self.advance()
        delimiter = self.peek()
        pairs = {"(": ")", "[": "]", "|": "|"}
        if delimiter.kind == "cmd" and delimiter.value == "lvert":
            self.advance()
            with self.bracketed():
                node = self.expression()
            self.expect("right", left, kind="cmd")
            self.expect("rvert", left, kind="cmd")
            return self.made(Call("Abs", (node,), left.position))
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

    def command(self, token: _Token) -> tuple[Node, str]:
        name = token.value
        if name == "left":
            return self.left_group(), "group"
        if name == "lvert":
            self.advance()
            with self.bracketed():
                node = self.expression()
            self.expect("rvert", token, kind="cmd")
            return self.made(Call("Abs", (node,), token.position)), "group"
        if name in _FRACTIONS:
            return self.fraction(token), "group"
        if name == "sqrt":
            return self.root(token), "group"
        if name in LATEX_FUNCTIONS:
            self.advance()
            return self.function(token, LATEX_FUNCTIONS[name])
        if name in _NAME_WORDS:
            return self.name_word(token)
        if name in _REFUSED_COMMANDS:
            raise self.error(_REFUSED_COMMANDS[name], token.position)
        if name in _MULTIPLY:
            raise self.error(f"\\{name} needs a factor on each side", token.position)
        if len(name) == 1 and not name.isalpha():
            raise self.error(f"\\{name} is not allowed in a formula", token.position)
        raise self.error(f"unknown LaTeX command \\{name}", token.position)

    def fraction(self, token: _Token) -> Node:
        self.advance()
        numerator_start = self.peek(1) if self.at("{") else self.peek()
        numerator = self.script(token)
        denominator_start = self.peek(1) if self.at("{") else self.peek()
        differential = numerator_start.kind == "letter" and numerator_start.value == "d"
        if differential and denominator_start.kind == "letter" and denominator_start.value == "d":
            after = self.tokens[self.tokens.index(denominator_start) + 1]
            if after.kind == "letter" or (after.kind == "cmd" and after.value in GREEK_COMMANDS):
                raise self.error(
                    "derivative notation d/dx is not read: give the function itself, symderiv "
                    "differentiates it",
                    token.position,
                )
        denominator = self.script(token)
        return self.made(Product(numerator, (("/", denominator),), token.position))

    def root(self, token: _Token) -> Node:
        self.advance()
        degree: Node | None = None
        if self.at("["):
            opening = self.advance()
            with self.nested(opening.position), self.bracketed():
                degree = self.expression()
            self.expect("]", opening)
        radicand = self.script(token)
        if degree is None:
            return self.made(Call("sqrt", (radicand,), token.position))
        one = self.made(Number("1", token.position))
        exponent = self.made(Product(one, (("/", degree),), token.position))
        return self.made(Power(radicand, exponent, token.position))

    def function(self, token: _Token, function: str) -> tuple[Node, str]:
        """``\\sin x``, ``\\sin(x)``, ``\\sin{x}``, ``\\sin^{2} x``, ``\\log_{2}(x)``."""
        power: Node | None = None
        base: Node | None = None
        while self.at("^", "_"):
            operator = self.advance()
            if operator.value == "^":
                if power is not None:
                    raise self.error("double superscript", operator.position)
                power = self.script(operator)
                if isinstance(power, Negative) and isinstance(power.operand, Number) and power.operand.text == "1":
                    raise self.error(
                        f"ambiguous: {token.source(self.text)}^{{-1}} is the inverse function or "
                        f"1/{token.source(self.text)}: write \\arcsin-style names or \\frac{{1}}{{...}}",
                        operator.position,
                    )
            else:
                if function != "log" or base is not None:
                    raise self.error("only \\log takes a subscript (its base)", operator.position)
                base = self.script(operator)
        if self.at_bracket():
            args, kind = self.bracket_arguments(), "function"
        elif self.at("{"):
            args, kind = [self.group()], "function"
        else:
            start = self.peek().position
            args, kind = [self.bare_argument(token)], "bare function"
            argument = self.text[start : self.tokens[self.index - 1].end]
            self.last_bare = (token.source(self.text), argument)
        if base is not None:
            args.append(base)
        info = FUNCTIONS[function]
        if not info.min_args <= len(args) <= info.max_args:
            raise self.error(f"{token.source(self.text)} takes {info.max_args} argument(s) at most, got {len(args)}", token.position)
        node: Node = self.made(Call(function, tuple(args), token.position))
        if power is not None:
            node = self.made(Power(node, power, token.position))
        return node, kind

    def bare_argument(self, function: _Token) -> Node:
        """An argument without brackets: one letter, Greek letter or number, maybe subscripted."""
        token = self.peek()
        if token.kind == "number":
            self.advance()
            node: Node = self.made(Number(token.value, token.position))
        elif token.kind == "letter" or (token.kind == "cmd" and token.value in GREEK_COMMANDS):
            self.advance()
            name = token.value
            if self.at("_"):
                name += "_" + self.subscript(self.advance())
            if name in _LETTER_CONSTANTS:
                node = self.made(Constant(_LETTER_CONSTANTS[name], token.position))
            elif name == "pi":
                node = self.made(Constant("pi", token.position))
            else:
                node = self.made(Name(name, token.position))
        else:
            spelled = function.source(self.text)
            raise self.error(f"{spelled} needs an argument, as in {spelled}(x)", token.position)
        if self.at("^", "!"):
            raise self.error(
                f"ambiguous: does {function.source(self.text)} apply to the power or is the "
                "power applied to it? write \\sin(x^{2}) or \\sin^{2} x",
                self.peek().position,
            )
        return node

    def name_word(self, token: _Token) -> tuple[Node, str]:
        r"""``\mathrm{e}``, ``\operatorname{softplus}``, ``\mathrm{lr}``."""
        self.advance()
        opening = self.expect("{", token)
        letters: list[_Token] = []
        while self.peek().kind == "letter" or (self.peek().kind == "number" and letters):
            letters.append(self.advance())
        self.expect("}", opening)
        word = "".join(t.value for t in letters)
        if not word:
            raise self.error(f"\\{token.value}{{...}} must hold a name", token.position)
        if word in OPERATOR_NAMES:
            return self.function(token, OPERATOR_NAMES[word])
        if token.value == "operatorname":
            raise self.error(f"unknown function \\operatorname{{{word}}}", token.position)
        if word == "e":
            return self.made(Constant("E", token.position)), "constant"
        if word == "i":
            return self.made(Constant("I", token.position)), "constant"
        if word == "d":
            raise self.error("\\mathrm{d} is a differential: derivative notation is not read", token.position)
        return self.made(Name(word, token.position)), "word"

    def unexpected(self, token: _Token) -> ParseError:
        source = token.source(self.text)
        if token.kind == "bad":
            return self.error(token.value, token.position)
        if token.kind == "op" and token.value in (")", "]", "}"):
            return self.error(f"unmatched {source!r}", token.position)
        if token.kind == "op" and token.value == ",":
            return self.error("',' can only separate the arguments of a function", token.position)
        if token.kind == "op" and token.value == "|":
            return self.error("unmatched '|'", token.position)
        if token.kind == "cmd" and token.value in _REFUSED_COMMANDS:
            return self.error(_REFUSED_COMMANDS[token.value], token.position)
        if token.kind == "op" and token.value in ("^", "_"):
            return self.error(f"{source!r} must follow what it raises or indexes", token.position)
        return self.error(f"unexpected {source!r}", token.position)
