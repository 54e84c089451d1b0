r"""Read a letter with its subscript and superscript, and the argument of ``^``: LaTeX's scripts.

A letter (or Greek letter) becomes a name, with a subscript ``x_{12}`` and a layer index in
parentheses ``\theta^{(2)}`` as part of the name, as SymPy prints such names; any other
superscript is a power. ``e``, ``i`` and ``\pi`` are constants, and ``\sigma`` before a bracket
is the sigmoid. Where LaTeX leaves open which was meant (``a^2_{12}``: a power of a_12, or a
layer index?), the reading is refused with both spellings to choose from.

>>> from symderiv.parse.latex import parse_latex
>>> parse_latex(r"\theta^{(2)}_{12} + x_{1}^{2} + e^{2}")
theta^(2)_12 + x_1**2 + exp(2)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .latex_groups import LatexCursor
from .latex_vocabulary import GREEK_COMMANDS, LETTER_CONSTANTS, REFUSED_COMMANDS
from .tokens import Token
from .tree import Call, Constant, Name, Node, Number, Power

__all__ = ["SymbolReader"]


@dataclass
class _Scripts:
    """What follows a letter: ``order`` holds "_" and "^" as they came; ``sources`` their text."""

    sub: str | None = None  # the subscript, as name text
    sup: Node | None = None  # the superscript
    index: str | None = None  # a layer index ^{(2)}, as name text (``sup`` is then a placeholder)
    order: str = ""
    sources: dict[str, str] = field(default_factory=dict)


def _constant(base: Token) -> str | None:
    """The constant a letter stands for when it has no subscript: ``e``, ``i``, ``\\pi``."""
    if base.kind == "letter":
        return LETTER_CONSTANTS.get(base.value)
    return "pi" if base.value == "pi" else None


class SymbolReader(LatexCursor):
    """Reads letters with their scripts, and the arguments of ``^``, ``_``, ``\\frac`` and ``\\sqrt``."""

    def symbol(self) -> tuple[Node, str]:
        """A letter or Greek letter with its subscript and superscript, as a name or a power.

        The kind returned tells the grammar what may follow: "theta" and "sigma" are refused
        before a bracket (a function or a product?), "powered" before another power.
        """
        base = self.advance()
        scripts = self.scripts(base)
        constant = _constant(base) if scripts.sub is None else None
        if constant is not None:
            return self.constant(constant, base, scripts.sup)
        if base.value == "sigma" and self.at_bracket():
            if scripts.sub is not None:
                raise self.error("ambiguous: \\sigma with a subscript before a bracket: a sigmoid or a product?", base.position)
            if scripts.index is None:
                return self.sigmoid(base, scripts.sup)
        if scripts.sup is not None and scripts.index is None and scripts.order == "^_":
            spelled, up, down = base.source(self.text), scripts.sources["^"], scripts.sources["_"]
            raise self.error(
                f"ambiguous: is ^{up} a power or a layer index? write {spelled}^{{({up})}}_{{{down}}} "
                f"for a layer index, or {spelled}_{{{down}}}^{{{up}}} for a power",
                base.position,
            )
        return self.name(base, scripts)

    def scripts(self, base: Token) -> _Scripts:
        """The subscript and superscript after ``base``, at most one of each, in either order."""
        scripts = _Scripts()
        while self.at("_", "^"):
            operator = self.advance()
            script_start = self.peek().position
            if operator.value in scripts.order:
                which = "subscript" if operator.value == "_" else "superscript"
                raise self.error(f"double {which}: use braces", operator.position)
            scripts.order += operator.value
            if operator.value == "_":
                scripts.sub = self.subscript(operator)
            elif scripts.sub is None and _constant(base) is not None:
                scripts.sup = self.script(operator)  # e and pi are numbers: their superscript is a power
            else:
                scripts.index, scripts.sup = self.superscript(operator)
            scripts.sources[operator.value] = self.text[script_start : self.tokens[self.index - 1].end].strip("{}")
        return scripts

    def name(self, base: Token, scripts: _Scripts) -> tuple[Node, str]:
        """The variable ``base`` with its layer index and subscript, raised to its power if any."""
        name = base.value
        if scripts.index is not None:
            name += f"^({scripts.index})"
        if scripts.sub is not None:
            name += "_" + scripts.sub
        node: Node = self.made(Name(name, base.position))
        kind = "theta" if base.value == "theta" else "sigma" if base.value == "sigma" else "symbol"
        if scripts.sup is not None and scripts.index is None:
            node = self.made(Power(node, scripts.sup, base.position))
            kind = "sigma" if kind == "sigma" else "powered"
        return node, kind

    def constant(self, name: str, base: Token, sup: Node | None) -> tuple[Node, str]:
        """The constant ``name`` (``E``, ``I``, ``pi``), raised to ``sup`` if given."""
        node: Node = self.made(Constant(name, base.position))
        if sup is not None:
            return self.made(Power(node, sup, base.position)), "powered"
        return node, "constant"

    def sigmoid(self, base: Token, sup: Node | None) -> tuple[Node, str]:
        """``\\sigma(x)``: the sigmoid of the bracketed argument, raised to ``sup`` if given."""
        args = self.bracket_arguments()
        if len(args) != 1:
            raise self.error(f"\\sigma takes 1 argument, got {len(args)}", base.position)
        node: Node = self.made(Call("sigmoid", tuple(args), base.position))
        if sup is not None:
            node = self.made(Power(node, sup, base.position))
        return node, "function"

    def subscript(self, operator: Token) -> str:
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

    def superscript(self, operator: Token) -> tuple[str | None, Node]:
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

    def script(self, operator: Token) -> Node:
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
            if token.kind == "letter" and token.value in LETTER_CONSTANTS:
                node = self.made(Constant(LETTER_CONSTANTS[token.value], token.position))
            elif token.value == "pi":
                node = self.made(Constant("pi", token.position))
            else:
                node = self.made(Name(token.value, token.position))
        elif token.kind == "cmd" and token.value in REFUSED_COMMANDS:
            raise self.error(REFUSED_COMMANDS[token.value], token.position)
        elif self.at("-", "+"):
            raise self.error("put a signed exponent in braces: x^{-1}", token.position)
        elif token.kind == "end":
            raise self.error("the formula ends where an argument was expected", token.position)
        else:
            raise self.error("put this argument in braces: x^{...}", token.position)
        if isinstance(node, Name) and node.name == "T" and operator.value == "^":
            raise self.error("transposes (^T) are not supported: symderiv works with scalars", token.position)
        return node

    def one_digit(self, token: Token) -> str:
        """Take the first digit of a number token, as TeX does for an unbraced argument."""
        if "." in token.value:
            raise self.error("put a decimal number in braces: ^{0.5}", token.position)
        if len(token.value) > 1:
            self.tokens[self.index] = token._replace(value=token.value[1:], position=token.position + 1, spaced=False)
        else:
            self.advance()
        return token.value[0]
