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
>>> [(line.number, line.label, line.rule_name, line.subs) for line in document.lines]
[(1, '1', 'Power rule', ())]
>>> document.result, document.notes_heading, document.proof_line
(Eq(Derivative(x**2, x), 2*x), 'Justifications', '')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import sympy as sp

from ..core.steps import Step
from ..locales import rule_name, word
from .explain import Sentence, introduced, justification, plain, prose, statement
from .explain import title as title_sentence
from .names import check_renderable
from .term_order import chain_orders
from .tex import Notation, focus_marks, notation
from .tex import notation as notation_of

__all__ = ["Figure", "Line", "Outline", "Sub", "boxed", "definitions", "layout", "outline", "plain", "proof_words",
           "sub_label"]


@dataclass(frozen=True)
class Figure:
    """A picture and its caption. The picture is what the format shows as it is given (SVG
    markup in HTML, an image path in Markdown); each format checks it before printing it."""

    picture: str
    caption: Sentence


@dataclass(frozen=True)
class Outline:
    """A derivation's document, format-neutral: every part a format prints, in reading order.

    The fields are in reading order: the result comes first, in a box, then the names it uses
    and the chain that derives it. ``intro`` is empty when there is none; ``lines`` are the chain of equalities
    (:class:`Line`: number, sides, rule name, justification ``why``, substitutions introduced,
    ``proof_text``, sub-derivations); ``result`` is the whole derivative as one unevaluated
    equation, d/dx f = f', in the original variables; ``named_result`` the same in the
    derivation's names (d/dw L = (a − y)·x) when the chain reaches one before the names are put
    back, else None; ``definitions`` every name used, ``(z, w·x + b)``, each once, in the order
    the names were made; ``proof_line`` is empty when the derivation was not proven;
    ``notation`` is how every derivative of the document is written, ``"partial"`` (∂) or
    ``"upright"`` (d) (:func:`~symderiv.render.tex.notation`), sub-derivations included.
    """

    lang: str
    title: Sentence
    intro: Sentence
    figures: tuple[Figure, ...]
    statement: Sentence
    result_heading: str
    result: sp.Basic
    named_result: sp.Basic | None
    definitions: tuple[tuple[sp.Symbol, sp.Expr], ...]
    steps_heading: str
    lines: tuple[Line, ...]
    notes_heading: str
    proof_line: str
    notation: Notation = "upright"


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
        result=sp.Eq(derivation.start, derivation.result, evaluate=False),
        proof_line=word("proven", lang) if derivation.report is not None else "",
        definitions=definitions(derivation),
        named_result=_named_result(derivation),
        notation=notation(derivation),
    )


def definitions(derivation: Any) -> tuple[tuple[sp.Symbol, sp.Expr], ...]:
    """Every name the derivation and its sub-derivations use, with its value, each once, in the
    order the names were made (``z = w·x + b`` before ``a = σ(z)``); not a name whose value is
    in a variable of a sub-derivation's own (a = σ(u) for the slope f′(u) of an entrywise
    function), which its sub-derivation defines where it is made."""
    found: dict[sp.Symbol, sp.Expr] = {}

    def visit(chain: Any) -> None:
        for step in chain.steps:
            for name, value in step.where.items():
                found.setdefault(name, value)
            for sub in getattr(step, "substeps", ()):
                visit(sub)

    visit(derivation)
    known = set(derivation.expr.free_symbols) | set(getattr(derivation, "variables", ()) or ())
    shown: set[sp.Symbol] = set()
    while True:  # a name may be defined by one made later (a = σ(z) with z = w·x + b)
        more = {name for name, value in found.items() if name not in shown and value.free_symbols <= known | shown}
        if not more:
            return tuple((name, value) for name, value in found.items() if name in shown)
        shown |= more


def boxed(document: Outline) -> tuple[sp.Expr, tuple[sp.Expr, ...]]:
    """What the result box shows: the derivative asked for, and the right sides it equals, in
    reading order: the result in the derivation's names first (when there is one and it differs),
    then in the original variables. Every format prints the box from this.

    >>> import sympy as sp
    >>> from symderiv.core.derivation import Derivation
    >>> from symderiv.core.steps import Step
    >>> x = sp.Symbol("x")
    >>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x),))
    >>> boxed(outline(d))
    (Derivative(x**2, x), (2*x,))
    """
    lhs, result = document.result.args
    named = document.named_result
    if named is None or named.args[1] == result:
        return lhs, (result,)
    return lhs, (named.args[1], result)


def sub_label(label: str, index: int) -> str:
    """The label of the ``index``-th (from 0) sub-derivation of the line labelled ``label``:
    a letter after it, so that its lines, ``2a.1``, ``2a.2``, never read as lines of the main chain.

    >>> sub_label("2", 0), sub_label("2", 1), sub_label("2a.3", 0), sub_label("4", 26)
    ('2a', '2b', '2a.3a', '4.27')
    """
    return f"{label}{chr(ord('a') + index)}" if index < 26 else f"{label}.{index + 1}"


def _named_result(derivation: Any) -> sp.Basic | None:
    """d/dx f = the last line still written in names, when a later ``substitute`` step puts
    the names back; None when the chain never uses names at its end."""
    steps = derivation.steps
    for index in range(len(steps) - 1, 0, -1):
        if steps[index].rule == "substitute":
            named = steps[index].before
            if named.has(sp.Derivative):
                return None
            return sp.Eq(derivation.start, named, evaluate=False)
    return None


@dataclass(frozen=True)
class Sub:
    """A sub-derivation as every format lays it out: what is differentiated (``statement``),
    its lines, its result d/dv g = g' (``result``), and its ``label`` (``2a``: the first
    sub-derivation of line 2, see :func:`sub_label`), which its lines' labels start with."""

    statement: Sentence
    lines: tuple["Line", ...]
    result: sp.Basic
    label: str = ""


@dataclass(frozen=True)
class Line:
    """One line of the chain of equalities, as every format lays it out.

    ``lhs`` is set on the first line only (the derivative asked for); ``rhs`` is what step
    ``number`` made; ``why`` is the step's justification and ``introduces`` the substitutions
    it makes, shown where they are made; ``proof`` is how the step was proven (or None), and
    ``proof_text`` the same in words (empty when it was not proven); ``subs`` the step's
    sub-derivations (:class:`Sub`), laid out below the line; ``label`` the line's number as
    printed: ``3`` in the main chain, ``2a.3`` for line 3 of sub-derivation ``2a``.

    How the sides print, so that every format prints them alike: ``order`` (and ``lhs_order``)
    the term order of the right (and left) side, which keeps untouched terms where the line
    before had them (:func:`~symderiv.render.term_order.chain_orders`); ``mark`` the part of the
    right side the step made, ``lhs_mark`` the part of the left side the first step rewrites
    (:func:`~symderiv.render.tex.focus_marks`), None where it would be the whole side.
    """

    number: int
    lhs: sp.Expr | None
    rhs: sp.Expr
    step: Step
    rule_name: str
    introduces: dict[sp.Symbol, sp.Expr]
    why: Sentence
    proof: Any
    proof_text: str = ""
    subs: tuple[Sub, ...] = ()
    label: str = ""
    order: Any = None
    lhs_order: Any = None
    mark: sp.Basic | None = None
    lhs_mark: sp.Basic | None = None


def layout(derivation: Any, lang: str, *, label: str = "", report: Any = None,
           notation: Notation | None = None) -> tuple[Line, ...]:
    """The lines of ``derivation`` in ``lang``: one per step, numbered from 1, each with its
    sub-derivations laid out in turn. ``label`` is the sub-derivation's label (empty for the
    main chain): its lines are labelled ``2a.1``, ``2a.2``, ... ``report`` is the chain's
    proof when it is not its own ``report``: a sub-derivation's is in its parent's report
    (``CheckReport.subs``). ``notation`` (∂ or d) is the main chain's, kept in every
    sub-derivation's justifications so that their laws read as the lines do."""
    notation = notation or notation_of(derivation)
    report = report if report is not None else getattr(derivation, "report", None)
    proofs = tuple(report.proofs) if report is not None else None
    orders = chain_orders(derivation)
    lines = []
    previous: Step | None = None
    for index, step in enumerate(derivation.steps):
        part, replacement = focus_marks(step)
        proof = proofs[index] if proofs is not None and index < len(proofs) else None
        own = f"{label}.{index + 1}" if label else str(index + 1)
        reports = _sub_reports(report, index)
        subs = tuple(
            _sub(chain, lang, sub_label(own, k), reports[k] if k < len(reports) else None, notation)
            for k, chain in enumerate(getattr(step, "substeps", ()))
        )
        lines.append(
            Line(
                number=index + 1,
                lhs=step.before if index == 0 else None,
                rhs=step.after,
                step=step,
                rule_name=rule_name(step.rule, lang),
                introduces=introduced(step, previous),
                why=justification(step, lang, wrt=derivation.wrt, previous=previous, notation=notation),
                proof=proof,
                proof_text=proof_words(proof, lang),
                subs=subs,
                label=own,
                order=orders[index + 1],
                lhs_order=orders[0] if index == 0 else None,
                mark=replacement if replacement != step.after else None,
                lhs_mark=part if index == 0 and part != step.before else None,
            )
        )
        previous = step
    return tuple(lines)


def _sub_reports(report: Any, index: int) -> tuple[Any, ...]:
    """The proofs of step ``index``'s sub-derivations in ``report``, or none."""
    subs = getattr(report, "subs", ()) or ()
    return tuple(subs[index]) if index < len(subs) else ()


def _sub(chain: Any, lang: str, label: str, report: Any, notation: Notation) -> Sub:
    return Sub(
        statement=statement(chain, lang),
        lines=layout(chain, lang, label=label, report=report, notation=notation),
        result=sp.Eq(chain.start, chain.result, evaluate=False),
        label=label,
    )


def proof_words(proof: Any, lang: str) -> str:
    """How a step was proven, in words: identical or symbolic, and at so many points, or numeric only."""
    method = getattr(proof, "method", None)
    if method in ("identical", "symbolic", "numeric"):
        return word(f"proof_{method}", lang).format(points=proof.points, digits=proof.digits)
    return ""

