"""The work of one request, done in a worker under the budget: read, derive, prove, render.

Each function here runs in a worker process of :class:`~symderiv.web.pool.WorkerPool` and
returns text (HTML, JSON, SVG) or a small dataclass of it; errors travel back as they are
(:class:`~symderiv.ParseError` with its position, :class:`~symderiv.LimitError`). The formula, the
answer and the variable are read by the safe parsers only (:func:`symderiv.parse`,
:func:`symderiv.parse_latex`, :func:`symderiv.calculus.engine.variable_name`); every derivation is
made by :func:`symderiv.derive`, which proves every step before it is returned. ``max_chars``
bounds what a response may hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from ..calculus import engine
from ..cli.options import only_variable
from ..errors import LimitError, ParseError
from ..locales import rule_name
from ..models.graph import graph
from ..parse.latex import parse_latex
from ..parse.text import parse
from ..render import html
from ..render.embedded import check_svg
from ..render.outline import outline
from ..testing.assertions import FormulaMismatchError, assert_derivative
from ..testing.messages import number, values
from . import pages
from .query import Query

__all__ = ["Shown", "check_json", "check_page", "derive_json", "derive_page", "download", "graph_svg", "warm_up"]

#: The share of the budget the derivation may take before it keeps its steps and skips the
#: rewriting toward the target forms; the rest is for rendering.
DERIVE_SHARE = 0.8

#: Where the number of the step an answer departs at goes, to become a link to that step.
_STEP = "@@step@@"


@dataclass(frozen=True)
class Shown:
    """What a page shows of a derivation: its title (plain text and HTML) and its body in HTML;
    ``verdict`` is ``"right"``, ``"wrong"`` or empty, and ``verdict_html`` its box."""

    title: str
    title_html: str
    body: str
    verdict: str = ""
    verdict_html: str = ""


def warm_up() -> None:
    """Derive, check and render one formula in this process, so that the workers forked from it
    start with SymPy's caches filled and every renderer imported (a pool worker, at its start)."""
    query = Query(expr="-log(1 + exp(-x))/x", answer="1/x")
    check_page(query, 30.0, 10_000_000)
    derive_page(Query(expr="sin(x)**2", detail="full", lang="ko"), 30.0, 10_000_000)


def _read(text: str, notation: str, what: str) -> sp.Expr:
    """``text`` read by the safe parser of ``notation``; an error that says what was read."""
    try:
        return parse_latex(text) if notation == "latex" else parse(text)
    except ParseError as error:
        raise ParseError(f"{what}: {error.message}", text=error.text, position=error.position) from None
    except LimitError as error:
        raise LimitError(f"{what}: {error.message}", text=error.text, position=error.position,
                         limit=error.limit) from None


def _variable(query: Query, expr: sp.Expr) -> str:
    if query.wrt:
        try:
            return engine.variable_name(query.wrt)
        except ParseError as error:
            raise ParseError(f"the variable: {error.message}", text=error.text, position=error.position) from None
    return only_variable(expr, "say which variable to differentiate by (the formula's variables: {names})")


def _derive(query: Query, expr: sp.Expr, variable: str, *, timeout: float, detail: str | None = None) -> Any:
    """The derivation, in :data:`DERIVE_SHARE` of the request's budget ``timeout``."""
    try:
        return engine.derive(expr, variable, strategy=query.strategy, detail=detail or query.detail,
                             timeout=DERIVE_SHARE * timeout)
    except LimitError as error:
        if error.limit != "time":
            raise
        raise LimitError(f"the derivation took longer than the time budget of {timeout:g} s a request has, "
                         "and was stopped", limit="time") from None


def _capped(text: str, max_chars: int, what: str) -> str:
    if len(text) > max_chars:
        raise LimitError(f"the {what} has {len(text):,} characters, more than the {max_chars:,} a response may hold",
                         limit="max_output_chars")
    return text


def _shown(derivation: Any, lang: str, max_chars: int, **verdict: str) -> Shown:
    document = outline(derivation, lang)
    body = _capped(html.outline_body(document), max_chars, "derivation")
    return Shown(title=html.sentence_plain(document.title, lang),
                 title_html=html.sentence_html(document.title, lang), body=body, **verdict)


def derive_page(query: Query, timeout: float, max_chars: int) -> Shown:
    """The derivation ``query`` asks for, proven, as the page shows it."""
    expr = _read(query.expr, query.notation, "the formula")
    derivation = _derive(query, expr, _variable(query, expr), timeout=timeout)
    return _shown(derivation, query.lang, max_chars)


def derive_json(query: Query, timeout: float, max_chars: int) -> str:
    """The derivation as JSON (:meth:`~symderiv.Derivation.to_json`), words in ``query.lang``."""
    expr = _read(query.expr, query.notation, "the formula")
    derivation = _derive(query, expr, _variable(query, expr), timeout=timeout)
    return _capped(derivation.to_json(lang=query.lang, indent=1), max_chars, "JSON")


def download(query: Query, name: str, timeout: float, max_chars: int) -> str:
    """The derivation as a file in the format ``name`` (:data:`~symderiv.web.pages.DOWNLOADS`)."""
    expr = _read(query.expr, query.notation, "the formula")
    derivation = _derive(query, expr, _variable(query, expr), timeout=timeout)
    if name == "latex":
        text = derivation.to_latex(lang=query.lang, standalone=True)
    elif name == "json":
        text = derivation.to_json(lang=query.lang, indent=1)
    else:
        text = getattr(derivation, f"to_{name}")(lang=query.lang)
    return _capped(text, max_chars, name)


def graph_svg(query: Query, max_chars: int) -> str:
    """The formula's computational graph as SVG (drawing only: :func:`~symderiv.render.embedded.check_svg`)."""
    expr = _read(query.expr, query.notation, "the formula")
    return _capped(check_svg(graph(expr).to_svg()), max_chars, "graph")


def check_page(query: Query, timeout: float, max_chars: int) -> Shown:
    """The verdict on ``query.answer`` as the derivative of the formula, and the derivation
    every fine step of which the verdict refers to (``detail="full"``)."""
    lang = query.lang
    expr = _read(query.expr, query.notation, "the formula")
    answer = _read(query.answer, query.notation, "your answer")
    variable = _variable(query, expr)
    symbol = sp.Symbol(variable)
    try:
        agreement = assert_derivative(expr, variable, answer)
    except FormulaMismatchError as mismatch:
        derivation = _derive(query, expr, variable, timeout=timeout, detail="full")
        box = [pages.sentence("wrong", lang, answer=answer, expr=expr, wrt=symbol)]
        if mismatch.true is not None:
            box.append(pages.sentence("true", lang, result=mismatch.true))
        example = mismatch.counterexample
        if example is not None and example.point:
            yours, true = values(example.yours, example.true)
            point = ", ".join(f"{name} = {number(coordinate)}" for name, coordinate in example.point.items())
            box.append(pages.sentence("counterexample", lang, point=point, yours=yours, true=true))
        departure = mismatch.departure
        if departure is not None:
            index = departure.index + 1
            words = pages.sentence("departs", lang, step=_STEP, rule=rule_name(departure.rule, lang),
                                   node=departure.node, correct=departure.correct, yours=departure.yours)
            box.append(words.replace(_STEP, f'<a href="#step-{index}">{index}</a>', 1))
        else:
            box.append(pages.sentence("no_departure", lang))
        verdict_html = _verdict_box("wrong", box)
        return _shown(derivation, lang, max_chars, verdict="wrong", verdict_html=verdict_html)
    derivation = _derive(query, expr, variable, timeout=timeout)
    box = [pages.sentence("right", lang, answer=answer, expr=expr, wrt=symbol),
           pages.sentence(f"method_{agreement.method}", lang, points=str(agreement.points))]
    return _shown(derivation, lang, max_chars, verdict="right", verdict_html=_verdict_box("right", box))


def _verdict_box(verdict: str, paragraphs: list[str]) -> str:
    inner = "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)
    return f'<section class="verdict {verdict}" role="status" data-verdict="{verdict}">\n{inner}\n</section>\n'


def check_json(answer: dict[str, str]) -> dict[str, Any]:
    """The verdict on one answer, as ``symderiv check --answers`` writes it
    (:func:`symderiv.cli.answers.check_answer`)."""
    from ..cli.answers import check_answer

    return check_answer(answer)
