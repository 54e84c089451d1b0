"""Unicode text for a terminal: SymPy's two-dimensional pretty printing, the = signs lined up.

>>> import sympy as sp
>>> from symderiv.core.steps import Derivation, Step
>>> x = sp.Symbol("x")
>>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x, detail={"exponent": 2}),))
>>> print(render(d))
The derivative of x²
<BLANKLINE>
d ⎛ 2⎞
──⎝x ⎠ = 2⋅x   (1)
dx
<BLANKLINE>
(1) Power rule: Power rule d/du uⁿ = n uⁿ⁻¹: the exponent 2 comes down in front, and the exponent drops by one.
"""

from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.pretty.stringpict import prettyForm, stringPict
from sympy.printing.str import StrPrinter

from ..locales.laws import LAWS
from ..core.rule_ids import RULES
from .explain import Equalities, Law, Sentence, Tex, Words, layout, proof_words
from .explain import title as title_sentence
from .names import _printable, cap_output, check_renderable
from .tex import BoundedOrder

__all__ = ["render", "pretty", "inline_text", "sentence_text"]


class _Printer(BoundedOrder, PrettyPrinter):
    def _print_Heaviside(self, expr: sp.Heaviside) -> prettyForm:
        return self._print_Function(sp.Function("H")(expr.args[0]))


class _LinearPrinter(BoundedOrder, StrPrinter):
    """SymPy's one-line printer, with the sum order bounded as in every other format."""


_INDEXED = re.compile(r"^([A-Za-z]+)(?:\^\{\((\d+)\)\})?(?:_\{(\d+(?:,\d+)*)\})?$")
_SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")


def _display_name(name: str) -> str | None:
    """``theta^{(2)}_{12}`` as θ⁽²⁾₁₂, ``x_{1}`` as x₁; None for any other name.

    >>> _display_name("theta^{(2)}_{12}"), _display_name("x_{1}"), _display_name("x")
    ('θ⁽²⁾₁₂', 'x₁', None)
    """
    match = _INDEXED.match(name)
    if match is None or (match.group(2) is None and match.group(3) is None):
        return None
    base, layer, index = match.groups()
    text = pretty_symbol(base)
    if layer is not None:
        text += f"({layer})".translate(_SUPERSCRIPT)
    if index is not None:
        text += index.translate(_SUBSCRIPT)
    return text


def _displayed(expr: sp.Basic) -> sp.Basic:
    """``expr`` with layer- and index-named symbols renamed for a terminal (θ⁽²⁾₁₂)."""
    renamed = {}
    for symbol in expr.free_symbols:
        name = _display_name(symbol.name)
        if name is not None:
            renamed[symbol] = sp.Symbol(name)
    return expr.xreplace(renamed) if renamed else expr


def _form(expr: sp.Basic) -> prettyForm:
    return _Printer({"use_unicode": True, "wrap_line": False})._print(_displayed(expr))


def pretty(expr: sp.Basic) -> str:
    """``expr`` drawn in Unicode, over several lines where it has fractions.

    >>> print(pretty(sp.Heaviside(sp.Symbol("x"), 0)))
    H(x)
    """
    return _form(expr).render(wrap_line=False)


def inline_text(expr: sp.Basic) -> str:
    """``expr`` on one line: SymPy's pretty form when it is one line, else a linear form.

    >>> x = sp.Symbol("x")
    >>> inline_text(x**2), inline_text(1 / (1 + sp.exp(-x)))
    ('x²', '1/(1 + exp(-x))')
    """
    drawn = pretty(expr)
    if "\n" not in drawn:
        return drawn
    linear = _LinearPrinter().doprint(_displayed(expr)).replace("**", "^").replace("sigmoid", "σ").replace("*", "·")
    return re.sub(r"\^(\d+)\b", lambda m: m.group(1).translate(_SUPERSCRIPT_DIGITS), linear)


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _formula_text(value: Any) -> str:
    if isinstance(value, Law):
        from .html import tex_plain

        law = LAWS[value.rule]
        return RULES[value.rule].law if "begin" in law else tex_plain(law)
    if isinstance(value, Tex):
        from .html import tex_plain
        from .latex import check_tex

        return tex_plain(check_tex(value.source))
    if isinstance(value, Equalities):
        return ", ".join(f"{inline_text(k)} = {inline_text(v)}" for k, v in value.pairs)
    if isinstance(value, tuple):
        return ", ".join(inline_text(item) for item in value)
    return inline_text(value)


def sentence_text(sentence: Sentence) -> str:
    """A sentence as one line of Unicode text."""
    return "".join(
        _printable(piece.text) if isinstance(piece, Words) else _formula_text(piece.value)
        for piece in sentence
    )


def render(derivation: Any, *, lang: str = "en") -> str:
    """The derivation for a terminal: the chain of equalities, then each step's justification."""
    check_renderable(derivation, lang)
    lines = layout(derivation, lang)
    lhs = _form(lines[0].lhs)
    blank = stringPict(" " * lhs.width())
    blocks = []
    for line in lines:
        left = lhs if line.lhs is not None else blank
        row = stringPict.next(left, stringPict(" = "), _form(line.rhs), stringPict(f"   ({line.number})"))
        blocks.append(stringPict(*row).render(wrap_line=False))
    notes = []
    for line in lines:
        note = f"({line.number}) {line.rule_name}: {sentence_text(line.why)}"
        proof = proof_words(line.proof, lang)
        if proof:
            note += f" [{proof}]"
        notes.append(note)
    heading = sentence_text(title_sentence(derivation, lang))
    chain = "\n".join(block.rstrip() for block in "\n".join(blocks).splitlines())
    return cap_output(f"{heading}\n\n{chain}\n\n" + "\n".join(notes), "text")
