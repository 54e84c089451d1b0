"""Unicode text for a terminal: SymPy's two-dimensional pretty printing, the = signs lined up.

>>> import sympy as sp
>>> from symderiv.steps import Derivation, Step
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
from sympy.printing.pretty.stringpict import prettyForm, stringPict

from ..locales import LANGUAGES
from ..locales.laws import LAWS
from ..rule_ids import RULES
from .explain import Equalities, Law, Sentence, Tex, Words, layout, proof_words
from .explain import title as title_sentence
from .names import _printable, check_names

__all__ = ["render", "pretty", "inline_text", "sentence_text"]


class _Printer(PrettyPrinter):
    def _print_Heaviside(self, expr: sp.Heaviside) -> prettyForm:
        return self._print_Function(sp.Function("H")(expr.args[0]))


def _form(expr: sp.Basic) -> prettyForm:
    return _Printer({"use_unicode": True, "wrap_line": False})._print(expr)


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
    linear = sp.sstr(expr).replace("**", "^").replace("sigmoid", "σ").replace("*", "·")
    return re.sub(r"\^(\d+)\b", lambda m: m.group(1).translate(_SUPERSCRIPT_DIGITS), linear)


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _formula_text(value: Any) -> str:
    if isinstance(value, Law):
        from .html import tex_plain

        law = LAWS[value.rule]
        return RULES[value.rule].law if "begin" in law else tex_plain(law)
    if isinstance(value, Tex):
        from .html import tex_plain

        return tex_plain(value.source)
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
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    exprs = [derivation.expr, derivation.wrt]
    for step in derivation.steps:
        exprs += [step.before, step.after, *step.where, *step.where.values()]
    check_names(exprs)
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
    return f"{heading}\n\n{chain}\n\n" + "\n".join(notes)
