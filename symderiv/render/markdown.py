r"""Markdown: the chain of equalities in a ``$$`` block, the justifications as a numbered list.

GitHub and MyST (``dollarmath``) both render ``$$ ... $$`` blocks and ``$...$`` inline math; the
block uses ``aligned``, which both support, so the = signs line up.

>>> import sympy as sp
>>> from symderiv.core.steps import Derivation, Step
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
from .explain import Sentence, Words, layout, proof_words, prose
from .explain import statement as statement_sentence
from .explain import title as title_sentence
from .latex import formula_tex, rows
from .names import RenderError, _printable, cap_output, check_renderable
from .tex import to_tex

__all__ = ["render", "sentence_markdown", "escape"]

_SPECIAL = re.compile(r"([\\`*_\[\]|#$~!])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escape(words: str) -> str:
    r"""Escape words so that Markdown shows them as they are: its punctuation with a backslash,
    ``<``, ``>`` and ``&`` as entities (so no HTML tag can form), control characters dropped.

    >>> escape("a*b_c [d] $5")
    'a\\*b\\_c \\[d\\] \\$5'
    >>> escape("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    words = re.sub("[&<>]", lambda m: _ENTITIES[m.group(0)], _printable(words))
    return _SPECIAL.sub(r"\\\1", words)


#: A figure's path: a relative path or an http(s) address, in characters a link keeps as they are.
_PATH = re.compile(r"^(?:https?://)?[A-Za-z0-9._~/%-]+(?:\?[A-Za-z0-9._~%=&-]*)?$")


def _figure_path(path: str) -> str:
    if not isinstance(path, str) or not _PATH.match(path) or path.startswith("//"):
        raise RenderError(
            f"the figure path {path!r} is not a relative path or an http(s) address "
            "of letters, digits and . _ ~ / % -"
        )
    return path


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
    title: str | Sentence | None = None,
    intro: str | Sentence | None = None,
    figures: Sequence[tuple[str, str | Sentence]] = (),
    heading_level: int = 1,
) -> str:
    """The derivation as Markdown. ``title``, ``intro`` and captions are text with ``$...$``
    formulas, read by :func:`~symderiv.render.explain.prose`; ``figures`` are (image path,
    caption) pairs, the path relative or an http(s) address."""
    check_renderable(derivation, lang)
    if heading_level not in range(1, 6):
        raise RenderError(f"heading_level must be 1 to 5, not {heading_level!r}")
    h = "#" * heading_level
    heading = prose(title) if title else title_sentence(derivation, lang)
    parts = [f"{h} {sentence_markdown(heading, lang)}"]
    if intro:
        parts.append(sentence_markdown(prose(intro, field="introduction"), lang))
    for path, caption in figures:
        words = prose(caption, field="caption")
        alt = " ".join(escape(piece.text) for piece in words if isinstance(piece, Words)).strip()
        parts.append(f"![{' '.join(alt.split())}]({_figure_path(path)})\n\n{sentence_markdown(words, lang)}")
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
    return cap_output("\n\n".join(parts) + "\n", "Markdown")
