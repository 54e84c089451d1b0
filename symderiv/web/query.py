"""What a request asks for: the form's fields, read and checked before any work is done.

A query string (``/derive?expr=1/(1%2Bexp(-x))&wrt=x&lang=ja``) becomes a :class:`Query`. Every
field is text with a length limit; the choices (strategy, detail, language, notation) must be
one of their values. Nothing here reads a formula: that is the worker's job, with
:func:`symderiv.parse` or :func:`symderiv.parse_latex`, under the budget. A field that is wrong
raises :class:`QueryError`, naming the field.

>>> q = read_query({"expr": "sigmoid(x)", "lang": "ja"})
>>> q.expr, q.wrt, q.lang, q.strategy, q.detail, q.notation
('sigmoid(x)', '', 'ja', 'textbook', 'textbook', 'text')
>>> q.link("/derive", lang="zh"), q.link("/derive", lang="en")  # defaults are left out
('/derive?expr=sigmoid%28x%29&lang=zh', '/derive?expr=sigmoid%28x%29')
>>> read_query({"expr": "x", "detail": "most"})
Traceback (most recent call last):
...
symderiv.web.query.QueryError: detail must be one of: textbook, full (got 'most')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from urllib.parse import urlencode

from ..core.strategies import DETAILS, STRATEGIES
from ..errors import SymderivError
from ..locales import LANGUAGES

__all__ = ["MAX_FIELD_CHARS", "NOTATIONS", "Query", "QueryError", "form_query", "read_query"]

#: The longest formula, answer or variable name a request may carry, in characters. (The
#: parsers' own limits, :class:`symderiv.parse.limits.Limits`, apply after this one.)
MAX_FIELD_CHARS = 4_000

#: How the formula and the answer are written: plain text (``1/(1+exp(-x))``) or LaTeX.
NOTATIONS: tuple[str, ...] = ("text", "latex")

_CHOICES: dict[str, tuple[str, ...]] = {
    "strategy": tuple(STRATEGIES),
    "detail": tuple(DETAILS),
    "lang": LANGUAGES,
    "notation": NOTATIONS,
}


class QueryError(SymderivError):
    """A field of the request is missing, too long or not one of its choices."""

    def __init__(self, message: str, *, field: str):
        self.field = field
        super().__init__(message)


@dataclass(frozen=True)
class Query:
    """The form's fields: the formula and how it is written, the variable (empty: the formula's
    only one), the route, the level of detail, the page's language, and an answer to check."""

    expr: str = ""
    wrt: str = ""
    strategy: str = "textbook"
    detail: str = "textbook"
    lang: str = "en"
    notation: str = "text"
    answer: str = ""

    def link(self, path: str, **changes: str) -> str:
        """A permalink to ``path`` with these fields (and ``changes``), defaults left out."""
        query = replace(self, **changes)
        default = Query()
        pairs = [(f.name, getattr(query, f.name)) for f in fields(Query)
                 if getattr(query, f.name) != getattr(default, f.name)]
        return f"{path}?{urlencode(pairs)}" if pairs else path


def read_query(params: Mapping[str, str], *, need_expr: bool = True) -> Query:
    """The :class:`Query` of a request's parameters; a :class:`QueryError` for a bad field.

    Unknown parameters are ignored (a browser's form may add its button's name). ``need_expr``:
    refuse a query without a formula.
    """
    values: dict[str, str] = {}
    for f in fields(Query):
        value = params.get(f.name)
        if value is None or value == "":
            continue
        if len(value) > MAX_FIELD_CHARS:
            raise QueryError(f"{f.name} is {len(value):,} characters long; the limit is {MAX_FIELD_CHARS:,}",
                             field=f.name)
        choices = _CHOICES.get(f.name)
        if choices is not None and value not in choices:
            raise QueryError(f"{f.name} must be one of: {', '.join(choices)} (got {value[:40]!r})", field=f.name)
        values[f.name] = value.strip() if f.name in ("expr", "wrt", "answer") else value
    query = Query(**values)
    if need_expr and not query.expr:
        raise QueryError("expr is empty: give the formula to differentiate, e.g. ?expr=sigmoid(x)", field="expr")
    return query


def form_query(params: Mapping[str, str]) -> Query:
    """What the form shows again after a bad request: every field that can be kept (too long
    ones cut to :data:`MAX_FIELD_CHARS`, choices that are not one left at their default).

    >>> form_query({"expr": "sin(x", "lang": "fr", "detail": "full"})
    Query(expr='sin(x', wrt='', strategy='textbook', detail='full', lang='en', notation='text', answer='')
    """
    values: dict[str, str] = {}
    for f in fields(Query):
        value = params.get(f.name)
        if not value:
            continue
        choices = _CHOICES.get(f.name)
        if choices is None:
            values[f.name] = value[:MAX_FIELD_CHARS]
        elif value in choices:
            values[f.name] = value
    return Query(**values)
