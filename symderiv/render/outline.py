"""The document every format prints, built once: what a derivation's document says, in which order.

A document is, in this order: a title; an introduction (optional); figures with captions
(optional); the statement of what is differentiated; the chain of equalities, one line per step,
each with its number, rule name, justification and how it was proven; the result; and the proof
line when the derivation was proven. :func:`outline` builds all of it as plain data (sentences
of :mod:`.explain`, SymPy expressions, words in the reader's language) and the formats only print
it: :mod:`.latex`, :mod:`.markdown`, :mod:`.html` and :mod:`.text` decide how it looks, never what
it says. A format leaves out what it has no place for (a terminal shows no introduction).

>>> import sympy as sp
>>> from symderiv.core.derivation import Derivation
>>> from symderiv.core.steps import Step
>>> x = sp.Symbol("x")
>>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x, detail={"exponent": 2}),))
>>> document = outline(d, "en", intro="A parabola, $x^2$.")
>>> plain(document.title), plain(document.intro), plain(document.statement)
('The derivative of [x**2]', 'A parabola, [x**2].', 'We differentiate [x**2] with respect to [x].')
>>> [(line.number, line.rule_name, plain(line.why)) for line in document.lines]
[(1, 'Power rule', 'Power rule [law power]: the exponent [2] comes down in front, and the exponent drops by one.')]
>>> document.result, document.notes_heading, document.proof_line
(Eq(Derivative(x**2, x), 2*x), 'Justifications', '')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy as sp

from ..locales import word
from .explain import Line, Sentence, layout, plain, prose, statement
from .explain import title as title_sentence
from .names import check_renderable

__all__ = ["Figure", "Outline", "outline", "plain"]


@dataclass(frozen=True)
class Figure:
    """A picture and its caption. The picture is what the format shows as it is given (SVG
    markup in HTML, an image path in Markdown); each format checks it before printing it."""

    picture: str
    caption: Sentence


@dataclass(frozen=True)
class Outline:
    """A derivation's document, format-neutral: every part a format prints, in reading order.

    ``intro`` is empty when there is none; ``lines`` are the chain of equalities
    (:class:`~symderiv.render.explain.Line`: number, sides, rule name, justification ``why``,
    substitutions introduced, ``proof_text``); ``result`` is the whole derivative as one
    unevaluated equation, d/dx f = f'; ``proof_line`` is empty when the derivation was not proven.
    """

    lang: str
    title: Sentence
    intro: Sentence
    figures: tuple[Figure, ...]
    statement: Sentence
    steps_heading: str
    lines: tuple[Line, ...]
    notes_heading: str
    result_heading: str
    result: sp.Basic
    proof_line: str


def outline(
    derivation: Any,
    lang: str = "en",
    *,
    title: str | Sentence | None = None,
    intro: str | Sentence | None = None,
    figures: Sequence[tuple[str, str | Sentence]] = (),
) -> Outline:
    """The document of ``derivation`` in ``lang``, after checking that every format can print it.

    ``title``, ``intro`` and each figure's caption are a caller's text with ``$...$`` formulas
    (or sentences), read by :func:`~symderiv.render.explain.prose`: words stay words, formulas
    go through the safe LaTeX parser. Without a ``title`` the document is titled "The derivative
    of f" in ``lang``. ``figures`` are (picture, caption) pairs.
    """
    check_renderable(derivation, lang)
    return Outline(
        lang=lang,
        title=prose(title) if title else title_sentence(derivation, lang),
        intro=prose(intro, field="introduction") if intro else (),
        figures=tuple(Figure(picture, prose(caption, field="caption")) for picture, caption in figures),
        statement=statement(derivation, lang),
        steps_heading=word("steps", lang),
        lines=layout(derivation, lang),
        notes_heading=word("notes", lang),
        result_heading=word("result", lang),
        result=sp.Eq(sp.Derivative(derivation.expr, derivation.wrt), derivation.result, evaluate=False),
        proof_line=word("proven", lang) if derivation.report is not None else "",
    )

