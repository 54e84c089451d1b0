r"""The grammar of a LaTeX formula: sums, products by juxtaposition, factors and commands.

:class:`LatexParser` reads the tokens of :func:`~symderiv.parse.latex_tokens.tokenize` into the
tree of :mod:`symderiv.parse.tree`; letters with their scripts are read by
:class:`~symderiv.parse.latex_symbols.SymbolReader`, brackets by
:class:`~symderiv.parse.latex_groups.LatexCursor`. Juxtaposition is a product (``2x``,
``x \left(x+1\right)``) except where LaTeX leaves the reading open (``f(x)``, ``\sigma x``,
``\sin x y``, ``x2``): those are refused, each with the spellings to choose from.

>>> from symderiv.parse.latex import parse_latex
>>> parse_latex(r"2x \cdot \frac{1}{y} + \sin^{2} x + \sqrt[3]{z}")
2*x/y + z**(1/3) + sin(x)**2
"""

from __future__ import annotations

from .latex_symbols import SymbolReader
from .latex_vocabulary import (
    FRACTIONS,
    GREEK_COMMANDS,
    LATEX_FUNCTIONS,
    LETTER_CONSTANTS,
    MULTIPLY,
    BRACKET_FUNCTIONS,
    NAME_WORDS,
    OPERATOR_NAMES,
    POWERABLE,
    REFUSED_COMMANDS,
)
from .limits import Limits
from .tokens import Token
from .tree import FUNCTIONS, Call, Constant, Name, Negative, Node, Number, Power, Product, Sum

__all__ = ["LatexParser"]

# ---------------------------------------------------------------------------------------------
# Grammar, loosest binding first:
#
#   expression := term (("+" | "-") term)*
#   term       := unary (("*" | \cdot | \times | "/" | \div) unary)*
#   unary      := ("+" | "-") unary | product
#   product    := factor factor*                 -- juxtaposition, with the refusals above
#   factor     := (symbol | number | group | fraction | root | function | abs) postfix
#   postfix    := ("^" script | "!")*
#   symbol     := (letter | Greek) ("_" script | "^" script)*   -- at most one of each


class LatexParser(SymbolReader):
    """Reads LaTeX tokens by the grammar above into a tree; refuses at the first problem."""

    def __init__(self, text: str, tokens: list[Token], limits: Limits):
        super().__init__(text, tokens, limits)
        self.last_factor_start = 0
        self.last_bare: tuple[str, str] = ("", "")  # a function without brackets, its argument

    # -- grammar

    def parse(self) -> Node:
        """The tree of the whole formula; refuses anything left after it."""
        node = self.expression()
        token = self.peek()
        if token.kind != "end":
            raise self.unexpected(token)
        return node

    def expression(self) -> Node:
        """``term (+|- term)*``, one level deeper."""
        start = self.peek()
        with self.nested(start.position):
            terms = [self.term()]
            while self.at("+", "-"):
                sign = self.advance()
                term = self.term()
                terms.append(self.made(Negative(term, sign.position)) if sign.value == "-" else term)
            return terms[0] if len(terms) == 1 else self.made(Sum(tuple(terms), start.position))

    def term(self) -> Node:
        """``unary ((*|/|\\cdot|\\times|\\div) unary)*``; refuses ``/`` before a product written side by side."""
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
        """``(+|-) unary | product``; and whether the product was a juxtaposition."""
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
        """Factors written side by side (``2x``); and whether there were more than one."""
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

    def starts_factor(self, token: Token) -> bool:
        """Whether ``token`` can start a factor juxtaposed to the one before."""
        if token.kind in ("letter", "number"):
            return True
        if token.kind == "cmd":
            closings = {closing for closing, _ in BRACKET_FUNCTIONS.values()}
            return token.value not in MULTIPLY and token.value != "right" and token.value not in closings
        if token.kind == "op":
            return token.value in ("(", "[", "{") or (token.value == "|" and self.bars == 0)
        return False

    def check_juxtaposition(self, previous: str, token: Token) -> None:
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

    def is_function(self, token: Token) -> bool:
        """Whether the command ``token`` names a function."""
        return token.value in LATEX_FUNCTIONS or token.value in ("operatorname", "sigma")

    # -- factors

    def factor(self) -> tuple[Node, str]:
        """One factor with its postfix ``^`` and ``!``; its kind tells what may follow it."""
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
                if raised or kind not in POWERABLE:
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

    # -- commands

    def command(self, token: Token) -> tuple[Node, str]:
        """The factor a command starts: a fraction, a root, a function, a bracket, a word."""
        name = token.value
        if name == "left":
            return self.left_group(), "group"
        if name in BRACKET_FUNCTIONS:  # \lvert x \rvert, \lfloor x \rfloor, \lceil x \rceil
            closing, function = BRACKET_FUNCTIONS[name]
            self.advance()
            with self.bracketed():
                node = self.expression()
            self.expect(closing, token, kind="cmd")
            return self.made(Call(function, (node,), token.position)), "group"
        if name in FRACTIONS:
            return self.fraction(token), "group"
        if name == "sqrt":
            return self.root(token), "group"
        if name in LATEX_FUNCTIONS:
            self.advance()
            return self.function(token, LATEX_FUNCTIONS[name])
        if name in NAME_WORDS:
            return self.name_word(token)
        if name in REFUSED_COMMANDS:
            raise self.error(REFUSED_COMMANDS[name], token.position)
        if name in MULTIPLY:
            raise self.error(f"\\{name} needs a factor on each side", token.position)
        if len(name) == 1 and not name.isalpha():
            raise self.error(f"\\{name} is not allowed in a formula", token.position)
        raise self.error(f"unknown LaTeX command \\{name}", token.position)

    def fraction(self, token: Token) -> Node:
        """``\\frac{a}{b}`` (``\\frac12`` too); refuses the derivative ``\\frac{d}{dx}``."""
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

    def root(self, token: Token) -> Node:
        """``\\sqrt{x}`` or ``\\sqrt[n]{x}``."""
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

    def function(self, token: Token, function: str) -> tuple[Node, str]:
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

    def bare_argument(self, function: Token) -> Node:
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
            if name in LETTER_CONSTANTS:
                node = self.made(Constant(LETTER_CONSTANTS[name], token.position))
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

    def name_word(self, token: Token) -> tuple[Node, str]:
        r"""``\mathrm{e}``, ``\operatorname{softplus}``, ``\mathrm{lr}``."""
        self.advance()
        opening = self.expect("{", token)
        letters: list[Token] = []
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
