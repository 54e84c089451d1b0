r"""Markdown: the chain of equalities in a ``$$`` block, the justifications as a numbered list.

GitHub and MyST (``dollarmath``) both render ``$$ ... $$`` blocks and ``$...$`` inline math; the
block uses ``aligned``, which both support, so the = signs line up.

>>> import sympy as sp
>>> from symderiv.core.derivation import Derivation
>>> from symderiv.core.steps import Step
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

from .embedded import check_figure_path
from .explain import Sentence, Words
from .latex import chain_rows, formula_tex
from .names import RenderError, _printable, cap_output
from .outline import Outline, outline
from .tex import to_tex

__all__ = ["render", "print_outline", "blocks", "sentence_markdown", "escape"]

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


def sentence_markdown(sentence: Sentence, lang: str = "en") -> str:
    """A sentence as Markdown: escaped words and ``$...$`` formulas."""
    return "".join(
        escape(piece.text) if isinstance(piece, Words) else "$%s$" % formula_tex(piece.value, lang)
        for piece in sentence
    )


def blocks(document: Outline, *, heading_level: int = 1) -> tuple[list[str], str, list[str]]:
    """The document as Markdown blocks: those before the chain of equalities (title,
    introduction, figures, statement), the chain's ``$$`` block, and those after it (the
    justifications as a numbered list, the result, the proof line). A notebook puts each
    part in a cell of its own; :func:`print_outline` joins them with blank lines."""
    lang = document.lang
    h = "#" * heading_level
    head = [f"{h} {sentence_markdown(document.title, lang)}"]
    if document.intro:
        head.append(sentence_markdown(document.intro, lang))
    for figure in document.figures:
        alt = " ".join(escape(piece.text) for piece in figure.caption if isinstance(piece, Words)).strip()
        head.append(f"![{' '.join(alt.split())}]({check_figure_path(figure.picture)})\n\n"
                    f"{sentence_markdown(figure.caption, lang)}")
    head.append(sentence_markdown(document.statement, lang))
    chain = "$$\n\\begin{aligned}\n" + " \\\\\n".join(chain_rows(document.lines, lang)) + "\n\\end{aligned}\n$$"
    items = []
    for line in document.lines:
        item = f"{line.number}. **{escape(line.rule_name)}.** {sentence_markdown(line.why, lang)}"
        if line.proof_text:
            item += f" *({escape(line.proof_text)})*"
        items.append(item)
    tail = [f"{h}# {escape(document.notes_heading)}\n\n" + "\n".join(items),
            f"{h}# {escape(document.result_heading)}\n\n$$\n{to_tex(document.result, lang)}\n$$"]
    if document.proof_line:
        tail.append(escape(document.proof_line))
    return head, chain, tail


def print_outline(document: Outline, *, heading_level: int = 1) -> str:
    """The document as Markdown: its :func:`blocks`, one after the other."""
    head, chain, tail = blocks(document, heading_level=heading_level)
    return cap_output("\n\n".join([*head, chain, *tail]) + "\n", "Markdown")


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
    if heading_level not in range(1, 6):
        raise RenderError(f"heading_level must be 1 to 5, not {heading_level!r}")
    document = outline(derivation, lang, title=title, intro=intro, figures=figures)
    return print_outline(document, heading_level=heading_level)
