r"""Markdown: the chain of equalities in a ``$$`` block, the justifications as a numbered list.

GitHub and MyST (``dollarmath``) both render ``$$ ... $$`` blocks and ``$...$`` inline math; the
block uses ``aligned``, which both support, so the = signs line up.

>>> import sympy as sp
>>> from symderiv.steps import Derivation, Step
>>> x = sp.Symbol("x")
>>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x, detail={"exponent": 2}),))
>>> print(render(d).split("$$")[1].strip())
\begin{aligned}
\frac{\mathrm{d}}{\mathrm{d}x} x^{2} &= 2 x && \text{(1) Power rule}
\end{aligned}
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import sympy as sp

from ..locales import word
from .explain import Sentence, Words, inline, layout, proof_words
from .explain import statement as statement_sentence
from .explain import title as title_sentence
from .latex import formula_tex, rows
from .names import check_renderable
from .tex import to_tex

__all__ = ["render", "sentence_markdown", "escape"]

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$~])")


def escape(words: str) -> str:
    r"""Escape words so that Markdown shows them as they are.

    >>> escape("a*b_c [d] $5")
    'a\\*b\\_c \\[d\\] \\$5'
    """
    return _SPECIAL.sub(r"\\\1", words)


def sentence_markdown(sentence: Sentence, lang: str = "en") -> str:
    """A sentence as Markdown: escaped words and ``$...$`` formulas."""
    return "".join(
        escape(piece.text) if isinstance(piece, Words) else "$%s$" % formula_tex(piece.value, lang)
        for piece in sentence
    )


def render(
    derivation: Any,
    *,
    lang: str = "en",
    title: str | None = None,
    intro: str | None = None,
    figures: Sequence[tuple[str, str]] = (),
    heading_level: int = 1,
) -> str:
    """The derivation as Markdown. ``figures`` are (image path, caption) pairs."""
    check_renderable(derivation, lang)
    h = "#" * heading_level
    heading = inline(title) if title else title_sentence(derivation, lang)
    parts = [f"{h} {sentence_markdown(heading, lang)}"]
    if intro:
        parts.append(sentence_markdown(inline(intro), lang))
    for path, caption in figures:
        alt = escape(re.sub(r"\$[^$]*\$", "", caption)).strip()
        parts.append(f"![{alt}]({path})\n\n{sentence_markdown(inline(caption), lang)}")
    parts.append(sentence_markdown(statement_sentence(derivation, lang), lang))
    parts.append("$$\n\\begin{aligned}\n" + " \\\\\n".join(rows(derivation, lang)) + "\n\\end{aligned}\n$$")
    items = []
    for line in layout(derivation, lang):
        item = f"{line.number}. **{escape(line.rule_name)}.** {sentence_markdown(line.why, lang)}"
        proof = proof_words(line.proof, lang)
        if proof:
            item += f" *({escape(proof)})*"
        items.append(item)
    parts.append(f"{h}# {escape(word('notes', lang))}\n\n" + "\n".join(items))
    equation = sp.Eq(sp.Derivative(derivation.expr, derivation.wrt), derivation.result, evaluate=False)
    parts.append(f"{h}# {escape(word('result', lang))}\n\n$$\n{to_tex(equation, lang)}\n$$")
    if derivation.report is not None:
        parts.append(escape(word("proven", lang)))
    return "\n\n".join(parts) + "\n"
