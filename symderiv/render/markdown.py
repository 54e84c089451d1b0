r"""Markdown: the chain of equalities in a ``$$`` block, the justifications as a numbered list.

GitHub and MyST (``dollarmath``) both render ``$$ ... $$`` blocks and ``$...$`` inline math; the
block uses ``aligned``, which both support, so the = signs line up. The document reads in the
order every format keeps (:mod:`.outline`): title, introduction, figures, statement; the result
in a box (``\boxed``, in the derivation's names, then in the original variables) and the names
it uses; the chain; then the justifications, each step's sub-derivations indented under its
item (what is differentiated, its chain, its own justifications as a list), so that they nest
as deep as the derivation does. Raw HTML is never written (no ``<details>``): every renderer
of Markdown shows the same document.

>>> import sympy as sp
>>> from symderiv.core.derivation import Derivation
>>> from symderiv.core.steps import Step
>>> x = sp.Symbol("x")
>>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x, detail={"exponent": 2}),))
>>> print(render(d).split("$$")[1].strip())  # the result, in a box
\boxed{\begin{aligned}
\frac{\mathrm{d}}{\mathrm{d}x} x^{2} &= 2 x
\end{aligned}}
>>> print(render(d).split("$$")[3].strip())  # the chain
\begin{aligned}
\frac{\mathrm{d}}{\mathrm{d}x} x^{2} &= 2 x && \text{(1) Power rule}
\end{aligned}
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from .embedded import check_figure_path
from .explain import Sentence, Words
from .latex import box_rows, chain_rows, definition_rows, formula_tex, where_words
from .names import RenderError, _printable, cap_output
from .outline import Line, Outline, Sub, outline
from .tex import Notation

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


_MARK = re.compile(r"\\symfocus(?![A-Za-z])")


def _aligned(rows: list[str], *, box: bool = False) -> str:
    """Rows of TeX as a ``$$`` block of ``aligned`` (``\\boxed`` with ``box``). The mark of a
    step's focus, ``\\symfocus``, which GitHub and MyST do not know, becomes an underline."""
    body = "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
    body = _MARK.sub(r"\\underline", body)
    return "$$\n" + (f"\\boxed{{{body}}}" if box else body) + "\n$$"


def _indent(text: str, spaces: int) -> str:
    """``text`` indented by ``spaces``, blank lines left blank: the content of a list item."""
    pad = " " * spaces
    return "\n".join(pad + line if line else "" for line in text.split("\n"))


def _item(line: Line, lang: str, marker: str, notation: Notation) -> str:
    """One justification as a list item (``marker`` is ``1.`` or ``-``), with the step's
    sub-derivations indented under it."""
    label = "" if marker[0].isdigit() else f"({escape(line.label)}) "
    item = f"{marker} **{label}{escape(line.rule_name)}.** {sentence_markdown(line.why, lang)}"
    if line.proof_text:
        item += f" *({escape(line.proof_text)})*"
    parts = [item] + [_indent(_sub(sub, lang, notation), len(marker) + 1) for sub in line.subs]
    return "\n\n".join(parts)


def _items(items: list[str]) -> str:
    """List items one a line; a blank line after an item that holds more than one paragraph."""
    out = items[:1]
    for previous, item in zip(items, items[1:]):
        out.append(("\n\n" if "\n" in previous else "\n") + item)
    return "".join(out)


def _sub(sub: Sub, lang: str, notation: Notation) -> str:
    """A sub-derivation: what is differentiated, its chain, and its justifications, whose own
    sub-derivations are indented one level further."""
    items = _items([_item(line, lang, "-", notation) for line in sub.lines])
    chain = _aligned(chain_rows(sub.lines, lang, notation=notation))
    return "\n\n".join([sentence_markdown(sub.statement, lang), chain, items])


def blocks(document: Outline, *, heading_level: int = 1) -> tuple[list[str], str, list[str]]:
    """The document as Markdown blocks: those before the chain of equalities (title,
    introduction, figures, statement, the result in a box with its names), the chain (its
    heading and its ``$$`` block), and those after it (the justifications as a numbered
    list with the sub-derivations under their steps, the proof line). A notebook puts each
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
    head.append(f"{h}# {escape(document.result_heading)}\n\n{_aligned(box_rows(document), box=True)}")
    if document.definitions:
        before, after = where_words(lang)
        head.append(f"{escape(before)}\n\n{_aligned(definition_rows(document))}" + (f"\n\n{escape(after)}" if after else ""))
    chain = f"{h}# {escape(document.steps_heading)}\n\n" + _aligned(chain_rows(document.lines, lang, notation=document.notation))
    items = _items([_item(line, lang, f"{line.number}.", document.notation) for line in document.lines])
    tail = [f"{h}# {escape(document.notes_heading)}\n\n{items}"]
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
