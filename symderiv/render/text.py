"""Unicode text for a terminal: SymPy's two-dimensional pretty printing, the = signs lined up.

>>> import sympy as sp
>>> from symderiv.core.derivation import Derivation
>>> from symderiv.core.steps import Step
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

from ..core.rule_ids import RULES
from ..locales.laws import LAWS
from .explain import Equalities, Law, Sentence, Tex, Words
from .latex import check_tex
from .names import _printable, cap_output
from .outline import Outline, outline
from .tex import BoundedOrder

__all__ = ["render", "print_outline", "pretty", "inline_text", "formula_text", "sentence_text", "tex_plain"]


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


_SUPERSCRIPTS = str.maketrans("0123456789-+nx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿˣ")


def _group(text: str) -> str:
    return f"({text})" if re.search(r"[\s+−-]", text.strip()) else text.strip()


def _sup(match: re.Match[str]) -> str:
    text = match.group(1).replace(" ", "")
    if all(char in "0123456789-+nx" for char in text):
        return text.translate(_SUPERSCRIPTS)
    return "^" + _group(text)


def tex_plain(tex: str) -> str:
    r"""A rough plain-text reading of simple TeX, for a page's ``<title>`` and a terminal.

    >>> tex_plain(r"\frac{1}{1 + e^{- x}}"), tex_plain(r"\sigma^{2}\left(x\right)")
    ('1/(1 + e⁻ˣ)', 'σ²(x)')
    """
    tex = re.sub(r"\\(?:left|right)(?![A-Za-z])", "", tex)
    tex = re.sub(r"\\(?:mathrm|operatorname|text)\{([^{}]*)\}", r"\1", tex)
    for _ in range(20):
        previous = tex
        tex = re.sub(r"\^\{([^{}]*)\}", _sup, tex)
        tex = re.sub(r"_\{([^{}]*)\}", r"_\1", tex)
        tex = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", lambda m: f"{_group(m.group(1))}/{_group(m.group(2))}", tex)
        if tex == previous:
            break
    names = {"sigma": "σ", "partial": "∂", "cdot": "·", "quad": " ", "log": "log ", "tanh": "tanh "}
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: names.get(m.group(1), m.group(1)), tex)
    tex = re.sub(r"\\[,;:!]", " ", tex).replace("{", "").replace("}", "").replace("-", "−")
    return re.sub(r"\s+", " ", tex).strip()


def formula_text(value: Any) -> str:
    """One formula of a sentence as one line of Unicode text (a law, TeX, equalities, a list).

    >>> formula_text(Equalities(((sp.Symbol("u"), 1 + sp.exp(-sp.Symbol("x"))),)))
    'u = 1 + exp(-x)'
    """
    if isinstance(value, Law):
        law = LAWS[value.rule]
        return RULES[value.rule].law if "begin" in law else tex_plain(law)
    if isinstance(value, Tex):
        return tex_plain(check_tex(value.source))
    if isinstance(value, Equalities):
        return ", ".join(f"{inline_text(k)} = {inline_text(v)}" for k, v in value.pairs)
    if isinstance(value, tuple):
        return ", ".join(inline_text(item) for item in value)
    return inline_text(value)


def sentence_text(sentence: Sentence) -> str:
    """A sentence as one line of Unicode text."""
    return "".join(
        _printable(piece.text) if isinstance(piece, Words) else formula_text(piece.value)
        for piece in sentence
    )


def print_outline(document: Outline) -> str:
    """The document for a terminal: the title, the chain of equalities with the = signs lined
    up, then each step's number, rule and justification. A terminal shows no introduction,
    figures, statement or result line: the chain ends in the result."""
    lines = document.lines
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
        if line.proof_text:
            note += f" [{line.proof_text}]"
        notes.append(note)
    chain = "\n".join(block.rstrip() for block in "\n".join(blocks).splitlines())
    return cap_output(f"{sentence_text(document.title)}\n\n{chain}\n\n" + "\n".join(notes), "text")


def render(derivation: Any, *, lang: str = "en") -> str:
    """The derivation for a terminal: the chain of equalities, then each step's justification."""
    return print_outline(outline(derivation, lang))
