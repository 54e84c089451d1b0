r"""Read a formula typed as text into a SymPy expression, without ever running the text as code.

``sd.parse(text)`` reads Python-style math, the way SymPy prints it, plus what people paste
from notes: ``^`` for powers, ``2x`` (a number times a name), Unicode ``σ`` ``·`` ``×`` ``−``
``÷``, superscript digits ``x²`` ``x⁻¹``, Greek letters ``θ`` (the symbol ``theta``), subscripted
names ``theta_12``, ``a2``, ``x₁`` (``x_1``).

>>> parse("1/(1 + exp(-x))")
1/(1 + exp(-x))
>>> parse("−(y·log(σ(z)) + (1 − y)·log(1 − σ(z)))")
-y*log(sigmoid(z)) - (1 - y)*log(1 - sigmoid(z))
>>> parse("2x² + θ_12^2 + e^x")
theta_12**2 + 2*x**2 + exp(x)

How it works. A tokenizer of our own cuts the text into numbers, names, operators and
brackets; a recursive-descent parser reads them with Python's precedence (``-x**2`` is
``-(x**2)``, ``2**3**2`` is ``2**(3**2)``, ``a/b*c`` is ``(a/b)*c``) into a small tree of plain
data (:mod:`symderiv.parse.tree`), which is then built into SymPy objects under the limits of
:mod:`symderiv.parse.limits`. Nothing of the text reaches ``eval``, ``exec``, ``sympify``,
``parse_expr`` or ``getattr``: a name can only ever become a ``Symbol``, one of the constants
``e``/``E``, ``pi``/``π``, ``I``, or a call of one of the whitelisted functions.

We wrote the grammar ourselves rather than filtering Python's ``ast``: the ``ast`` route needs
the text rewritten first (``^``, ``2x``, ``·``, ``x²`` are not Python), which breaks error
positions, and it starts from CPython's full grammar, whose own parser fails in its own ways on
hostile input (``ast.parse("-" * 100000 + "1")`` raises a bare MemoryError, ``"x" + "**x" *
100000`` too). A grammar of twenty lines accepts only what it names, and reports every refusal at
the right character.

The language:

- numbers: ``12``, ``1.5``, ``.5``, ``1e-3`` (exact integers; decimals are SymPy Floats;
  ``1/2`` is the exact one half);
- names: ASCII letters, digits and single underscores (``x``, ``a2``, ``theta_12``, ``W_ij``),
  or a Greek letter (``θ``, ``θ₁``, ``θ_ij``); ``e`` and ``E`` are Euler's number, ``pi`` and
  ``π`` are π, ``I`` is the imaginary unit, as SymPy prints them;
- operators: ``+ - * / ** ^`` and ``· × ∗ − ÷``; brackets ``( )``; superscript powers ``x²``;
- a number directly followed by a name or a bracket multiplies it: ``2x``, ``3(x+1)``,
  ``2σ(z)``, and binds like one factor: ``2x^2`` is ``2*x**2``, ``x/2y`` is refused as ambiguous;
- functions: exp, log (``log(x, b)`` for base b), ln, sqrt, sin, cos, tan, cot, sec, csc,
  asin/arcsin ..., sinh, cosh, tanh, coth, sech, csch, asinh/arsinh ..., abs/Abs, re, im,
  sign/sgn, floor, ceiling/ceil, Heaviside, sigmoid/sigma/σ, softplus, relu/ReLU, max/Max, min/Min, factorial.

Everything else is refused with a :class:`~symderiv.ParseError` that says what is wrong and
shows where, or a :class:`~symderiv.LimitError` when the formula is too big:

>>> parse("__import__('os').system('ls')")
Traceback (most recent call last):
...
symderiv.errors.ParseError: a name cannot start with '_' at position 0
  __import__('os').system('ls')
  ^
>>> parse("x/2y")
Traceback (most recent call last):
...
symderiv.errors.ParseError: ambiguous: does '/' divide by all of '2y'? write /(2*y) to divide by the product, or /2*y to divide by 2 alone at position 1
  x/2y
   ^
>>> parse("9**9**9")
Traceback (most recent call last):
...
symderiv.errors.LimitError: 9**(387420489) would have about 369693100 digits; numbers are limited to 1000 digits at position 1
  9**9**9
   ^
"""

from __future__ import annotations

import keyword
import re
import unicodedata

import sympy as sp

from ..errors import ParseError
from .limits import DEFAULT_LIMITS, Limits
from .tokens import Cursor, Token, check_length, check_number, is_space
from .tree import (
    FUNCTIONS,
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

__all__ = ["parse", "TEXT_FUNCTIONS"]

TEXT_FUNCTIONS: dict[str, str] = {
    "exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt",
    **{name: name for name in (
        "sin", "cos", "tan", "cot", "sec", "csc", "asin", "acos", "atan", "acot", "asec", "acsc",
        "sinh", "cosh", "tanh", "coth", "sech", "csch",
        "asinh", "acosh", "atanh", "acoth", "asech", "acsch",
    )},
    **{"arc" + name: "a" + name for name in ("sin", "cos", "tan", "cot", "sec", "csc")},
    **{prefix + name: "a" + name for prefix in ("ar", "arc")
       for name in ("sinh", "cosh", "tanh", "coth", "sech", "csch")},
    "abs": "Abs", "Abs": "Abs", "re": "re", "im": "im", "sign": "sign", "sgn": "sign",
    "Heaviside": "Heaviside", "floor": "floor", "ceiling": "ceiling", "ceil": "ceiling",
    "sigmoid": "sigmoid", "sigma": "sigmoid", "softplus": "softplus", "relu": "relu",
    "ReLU": "relu", "max": "Max", "Max": "Max", "min": "Min", "Min": "Min",
    "factorial": "factorial",
}
"""Function names as typed (``σ`` is read as ``sigma``) and the canonical function each calls."""

_CONSTANTS = {"e": "E", "E": "E", "pi": "pi", "I": "I"}
_UNSUPPORTED_NAMES = {"oo", "inf", "infinity", "nan", "zoo"}
_OPERATORS = {
    "+": "+", "-": "-", "*": "*", "/": "/", "^": "^", "(": "(", ")": ")", ",": ",", "|": "|", "√": "√",
    "·": "*", "⋅": "*", "×": "*", "∗": "*", "−": "-", "÷": "/", "∕": "/",
}
_SUPERSCRIPTS = {**{c: str(i) for i, c in enumerate("⁰¹²³⁴⁵⁶⁷⁸⁹")}, "⁻": "-", "⁺": "+"}
_SUBSCRIPTS = {c: str(i) for i, c in enumerate("₀₁₂₃₄₅₆₇₈₉")}
_NUMBER = re.compile(r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_NAME_CHARS = re.compile(r"[A-Za-z0-9_" + "".join(GREEK_LETTERS) + r"]+")
_ASCII_LETTER = re.compile(r"[A-Za-z]")
_REFUSED_CHARACTERS = {
    "=": "'=' is not allowed: give an expression, not an equation or an assignment",
    "[": "square brackets are not allowed: use ( ) for grouping",
    "]": "square brackets are not allowed: use ( ) for grouping",
    "{": "braces are not allowed: use ( ) for grouping",
    "}": "braces are not allowed: use ( ) for grouping",
    "\\": "a backslash is not allowed in a text formula (for LaTeX use sd.parse_latex)",
    "'": "quotes are not allowed: a formula holds no strings",
    '"': "quotes are not allowed: a formula holds no strings",
    "!": "write factorial(n) for n!",
    ".": "'.' can only appear inside a number: a formula has no attributes or methods",
    "_": "a name cannot start with '_'",
}


def parse(text: str, *, limits: Limits | None = None) -> sp.Expr:
    """Read ``text`` into a SymPy expression. Never evaluates the text; refuses what it cannot read.

    Raises :class:`~symderiv.ParseError` (a ``ValueError``) for text that is not a formula and
    :class:`~symderiv.LimitError` for a formula past ``limits`` (default
    :data:`~symderiv.parse.limits.DEFAULT_LIMITS`). Text that is valid Python gives the expression
    Python would build from it with SymPy symbols and SymPy integers (``1/2`` is one half), so
    ``parse(str(e)) == e`` wherever SymPy's printing of ``e`` is faithful.

    >>> import sympy as sp
    >>> from symderiv.core.functions import sigmoid
    >>> x = sp.Symbol("x")
    >>> e = sigmoid(x) * (1 - sigmoid(x))
    >>> parse(str(e)) == e
    True
    >>> parse("σ(x)(1 − σ(x))")
    Traceback (most recent call last):
    ...
    symderiv.errors.ParseError: missing operator between ')' and '(' (write * for a product) at position 4
      σ(x)(1 − σ(x))
          ^
    >>> parse("σ(x)·(1 − σ(x))") == sigmoid(x) * (1 - sigmoid(x))
    True
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() reads a str, got {type(text).__name__}")
    limits = limits or DEFAULT_LIMITS
    check_length(text, limits)
    tree = _Parser(text, _tokenize(text, limits), limits).parse()
    check_names(tree, text, limits)
    return to_sympy(tree, text, limits)


# ---------------------------------------------------------------------------------------------
# Tokens.


def _tokenize(text: str, limits: Limits) -> list[Token]:
    tokens: list[Token] = []
    i, spaced = 0, False
    while i < len(text):
        ch = text[i]
        if is_space(ch):
            i, spaced = i + 1, True
            continue
        number = _NUMBER.match(text, i)
        if number:
            check_number(number.group(), text, i, limits)
            tokens.append(Token("number", number.group(), i, number.end(), spaced))
            i = number.end()
            if i < len(text) and text[i] == "_":
                raise ParseError("'_' cannot separate digits here: write 1000, not 1_000", text=text, position=i)
        elif _ASCII_LETTER.match(ch) or ch in GREEK_LETTERS:
            run = _NAME_CHARS.match(text, i)
            assert run is not None
            end = run.end()
            while end < len(text) and text[end] in _SUBSCRIPTS:
                end += 1
            tokens.append(Token("name", _name(text, i, run.end(), end), i, end, spaced))
            i = end
        elif text.startswith("**", i):
            tokens.append(Token("op", "^", i, i + 2, spaced))
            i += 2
        elif ch in _OPERATORS:
            tokens.append(Token("op", _OPERATORS[ch], i, i + 1, spaced))
            i += 1
        elif ch in _SUPERSCRIPTS:
            end = i
            while end < len(text) and text[end] in _SUPERSCRIPTS:
                end += 1
            exponent = "".join(_SUPERSCRIPTS[c] for c in text[i:end])
            if not re.fullmatch(r"[+-]?[0-9]+", exponent):
                raise ParseError("a superscript power must be digits, maybe after ⁻", text=text, position=i)
            tokens.append(Token("sup", exponent, i, end, spaced))
            i = end
        else:
            raise ParseError(_describe_refused(ch), text=text, position=i)
        spaced = False
    tokens.append(Token("end", "", len(text), len(text), spaced))
    return tokens


def _name(text: str, start: int, run_end: int, end: int) -> str:
    """The symbol name for ``text[start:end]``: Greek letters spelled out, subscripts as ``_12``."""
    raw = text[start:run_end]
    for offset, ch in enumerate(raw):
        if ch not in GREEK_LETTERS:
            continue
        neighbours = raw[max(offset - 1, 0) : offset] + raw[offset + 1 : offset + 2]
        if any(n.isalpha() for n in neighbours):
            raise ParseError(
                f"{raw!r} mixes a Greek letter with other letters: write {ch}*x for a product "
                f"or {ch}_x for a subscripted name",
                text=text,
                position=start + offset,
            )
    name = "".join(GREEK_LETTERS.get(ch, ch) for ch in raw)
    if end > run_end:
        if "_" in raw:
            raise ParseError("write either x_12 or x₁₂, not both", text=text, position=run_end)
        name += "_" + "".join(_SUBSCRIPTS[c] for c in text[run_end:end])
    if "__" in name:
        raise ParseError(f"{raw!r}: a name cannot hold '__'", text=text, position=start + raw.index("__"))
    if name.endswith("_"):
        raise ParseError(f"{raw!r}: a name cannot end with '_'", text=text, position=run_end - 1)
    if keyword.iskeyword(raw) and raw != "lambda":
        raise ParseError(f"{raw!r} is a Python keyword, not part of a formula", text=text, position=start)
    return name


def _describe_refused(ch: str) -> str:
    if ch in _REFUSED_CHARACTERS:
        return _REFUSED_CHARACTERS[ch]
    code = f"U+{ord(ch):04X}"
    name = unicodedata.name(ch, "unnamed")
    if unicodedata.category(ch)[0] in "CZ":
        return f"invisible or control character {code} ({name}) is not allowed"
    if ch in _SUBSCRIPTS:
        return "subscript digits must follow a name directly (θ₁₂); for a layer index θ²₁₂ use LaTeX: \\theta^{(2)}_{12}"
    lookalike = unicodedata.normalize("NFKC", ch)
    hint = f"; it looks like {lookalike!r}: type that instead" if lookalike != ch and lookalike.isascii() else ""
    if ch.isascii():
        return f"character {ch!r} is not allowed in a formula"
    return f"character {ch!r} ({code} {name}) is not allowed in a formula{hint}"


# ---------------------------------------------------------------------------------------------
# The parser. Grammar, loosest binding first (Python's precedence):
#
#   expression := term (("+" | "-") term)*
#   term       := unary (("*" | "/") unary)*
#   unary      := ("+" | "-") unary | implicit
#   implicit   := power | NUMBER power        -- "2x", "3(x+1)": no space between them
#   power      := postfix ("^" unary)?        -- right-associative; "**" is "^"
#   postfix    := atom SUPERSCRIPT?           -- "x²"
#   atom       := NUMBER | NAME | NAME "(" expression ("," expression)* ")" | "(" expression ")"


class _Parser(Cursor):
    """Reads the text's tokens by the grammar above into a tree; refuses at the first problem."""


    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise self.error("the formula is empty", 0)
        node = self.expression()
        if self.peek().kind != "end":
            raise self.unexpected(self.peek())
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
        while self.at("*", "/"):
            operator = self.advance()
            factor, implicit = self.unary()
            if operator.value == "/" and implicit:
                number, after = self.split_implicit(factor)
                raise self.error(
                    f"ambiguous: does '/' divide by all of '{number}{after}'? write /({number}*{after}) "
                    f"to divide by the product, or /{number}*{after} to divide by {number} alone",
                    operator.position,
                )
            rest.append((operator.value, factor))
        return first if not rest else self.made(Product(first, tuple(rest), start.position))

    def unary(self) -> tuple[Node, bool]:
        token = self.peek()
        if self.at("+", "-"):
            self.advance()
            with self.nested(token.position):
                operand, implicit = self.unary()
            if token.value == "+":
                return operand, implicit
            return self.made(Negative(operand, token.position)), implicit
        return self.implicit()

    def implicit(self) -> tuple[Node, bool]:
        first = self.peek()
        node = self.power()
        following = self.peek()
        glued = not following.spaced and (
            following.kind == "name" or (following.kind == "op" and following.value == "(")
        )
        if first.kind != "number" or not isinstance(node, Number) or not glued:
            return node, False
        if first.value == "0":
            kind = {"x": "hexadecimal ", "b": "binary ", "o": "octal "}.get(following.value[:1].lower(), "")
            raise self.error(
                f"'0{following.source(self.text)}' looks like a {kind}number; symderiv reads decimal "
                "numbers only (write 0*x if you mean zero times x)",
                first.position,
            )
        second = self.power()
        return self.made(Product(node, (("*", second),), first.position)), True

    def power(self) -> Node:
        base = self.postfix()
        if not self.at("^"):
            return base
        operator = self.advance()
        with self.nested(operator.position):
            exponent, implicit = self.unary()
        if implicit:
            number, rest = self.split_implicit(exponent)
            raise self.error(
                f"ambiguous: is the exponent all of '{number}{rest}'? write ^({number}*{rest}) for "
                f"that power, or ^{number}*{rest} to multiply the power by {rest}",
                operator.position,
            )
        return self.made(Power(base, exponent, operator.position))

    def postfix(self) -> Node:
        node = self.atom()
        token = self.peek()
        if token.kind != "sup":
            return node
        self.advance()
        if self.at("^") or self.peek().kind == "sup":
            raise self.error(
                "ambiguous: a superscript power followed by another power; use brackets",
                self.peek().position,
            )
        exponent: Node = self.made(Number(token.value.lstrip("+-"), token.position))
        if token.value.startswith("-"):
            exponent = self.made(Negative(exponent, token.position))
        return self.made(Power(node, exponent, token.position))

    def atom(self) -> Node:
        token = self.peek()
        if token.kind == "number":
            self.advance()
            return self.made(Number(token.value, token.position))
        if token.kind == "name":
            self.advance()
            if self.at("("):
                return self.call(token)
            return self.made(self.name(token))
        if self.at("("):
            self.advance()
            if self.at(")"):
                raise self.error("empty brackets '()': put an expression inside", token.position)
            node = self.expression()
            self.expect(")", token)
            return node
        if self.at("|"):
            return self.absolute()
        if self.at("√"):
            return self.root()
        raise self.missing_operand(token)

    def absolute(self) -> Node:
        """``|x|``, the absolute value: what lies between two bars."""
        opening = self.advance()
        if self.at("|"):
            raise self.error("empty bars '||': put an expression inside", opening.position)
        with self.nested(opening.position):
            node = self.expression()
        if not self.at("|"):
            token = self.peek()
            if token.kind == "end":
                raise self.error("'|' is never closed: add '|'", opening.position)
            raise self.unexpected(token)
        self.advance()
        return self.made(Call("Abs", (node,), opening.position))

    def root(self) -> Node:
        """``√x`` or ``√(x + 1)``: the square root of the atom that follows. A power right after
        it is ambiguous (√x² is √(x²) to some readers and (√x)² to others) and refused."""
        sign = self.advance()
        with self.nested(sign.position):
            radicand = self.atom()
        if self.at("^") or self.peek().kind == "sup":
            raise self.error("ambiguous: write √(x^2) for the root of a power, or (√x)^2 for a power of the root",
                             self.peek().position)
        return self.made(Call("sqrt", (radicand,), sign.position))

    def name(self, token: Token) -> Node:
        name = token.value
        if name in _CONSTANTS:
            return Constant(_CONSTANTS[name], token.position)
        if name in _UNSUPPORTED_NAMES:
            raise self.error(f"{name!r}: infinity and nan cannot appear in a formula", token.position)
        if name in TEXT_FUNCTIONS and name != "sigma":
            raise self.error(
                f"{token.source(self.text)!r} is a function: write {token.source(self.text)}(x), "
                "with its argument in brackets",
                token.position,
            )
        return Name(name, token.position)

    def call(self, token: Token) -> Node:
        spelled = token.source(self.text)
        function = TEXT_FUNCTIONS.get(token.value)
        if function is None:
            raise self.error(
                f"unknown function {spelled!r}; known functions: {_known_functions()}. "
                f"For a product write {spelled}*(...)",
                token.position,
            )
        opening = self.advance()
        if self.at(")"):
            raise self.error(f"{spelled}() needs an argument", opening.position)
        with self.nested(opening.position):
            args = [self.expression()]
            while self.at(","):
                self.advance()
                args.append(self.expression())
        self.expect(")", opening)
        info = FUNCTIONS[function]
        if not info.min_args <= len(args) <= info.max_args:
            expected = (
                str(info.min_args)
                if info.min_args == info.max_args
                else f"{info.min_args} to {info.max_args}"
            )
            raise self.error(f"{spelled}() takes {expected} argument(s), got {len(args)}", token.position)
        return self.made(Call(function, tuple(args), token.position))

    def expect(self, closing: str, opening: Token) -> None:
        if self.at(closing):
            self.advance()
            return
        token = self.peek()
        if token.kind == "end":
            raise self.error(f"'{opening.source(self.text)}' is never closed: add ')'", opening.position)
        if self.at(","):
            raise self.error("',' can only separate the arguments of a function", token.position)
        raise self.unexpected(token)

    def unexpected(self, token: Token) -> ParseError:
        if token.kind == "op" and token.value == ")":
            return self.error("unmatched ')'", token.position)
        if token.kind == "op" and token.value == ",":
            return self.error("',' can only separate the arguments of a function", token.position)
        previous = self.tokens[self.index - 1].source(self.text) if self.index else ""
        return self.error(
            f"missing operator between {previous!r} and {token.source(self.text)!r} "
            "(write * for a product)",
            token.position,
        )

    def split_implicit(self, node: Node) -> tuple[str, str]:
        """The source of an implicit product ``2y`` as ("2", "y") (under any signs)."""
        while isinstance(node, Negative):
            node = node.operand
        assert isinstance(node, Product) and isinstance(node.first, Number)
        end = self.tokens[self.index - 1].end
        return node.first.text, self.text[node.rest[0][1].position : end]

    def missing_operand(self, token: Token) -> ParseError:
        if token.kind == "end":
            return self.error("the formula ends too early: a number, a name or '(' is missing", token.position)
        if token.kind == "sup":
            return self.error("a superscript power must follow what it raises", token.position)
        return self.error(
            f"expected a number, a name or '(' but found {token.source(self.text)!r}",
            token.position,
        )


def _known_functions() -> str:
    return ", ".join(sorted({name for name in TEXT_FUNCTIONS if name.islower() and not name.startswith("ar")}))
