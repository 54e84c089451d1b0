"""The web page's HTML: the form, the derivation, the verdict on an answer, and the problems.

Every page is one document rendered on the server, with no script: the form is a GET form, so a
derivation's address is its permalink. The derivation itself is printed by the documents' own
renderer (:func:`symderiv.render.html.outline_body`) and set in the documents' stylesheet; the
page's words come from the locale of its language (the ``web_*`` words of
:mod:`symderiv.locales`). Every value the user sent is escaped (:func:`~symderiv.render.names.html_text`)
before it is written; a formula is shown as MathML only after the safe parser has read it.

:func:`style_hash` gives the hash that the Content-Security-Policy names for the page's one
stylesheet, so that the policy can refuse every other style and every script.
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from collections.abc import Sequence
from typing import Any

from ..core.strategies import DETAILS, STRATEGIES
from ..locales import LANGUAGES, language_name, word
from ..render.explain import Sentence, agree, fill
from ..render.html import document_style, head, sentence_html
from ..render.names import html_text
from .query import NOTATIONS, Query

__all__ = ["DOWNLOADS", "EXAMPLES", "check_form", "examples", "extras", "page", "problem", "said", "sentence",
           "style_hash", "stylesheet"]

#: The downloads a derivation offers: format → (file suffix, media type).
DOWNLOADS: dict[str, tuple[str, str]] = {
    "latex": ("tex", "application/x-tex; charset=utf-8"),
    "markdown": ("md", "text/markdown; charset=utf-8"),
    "notebook": ("ipynb", "application/x-ipynb+json"),
    "json": ("json", "application/json"),
}

#: Formulas the empty page offers as links: (formula, notation, variable).
EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("1/(1+exp(-x))", "text", ""),
    ("-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))", "text", "w"),
    ("\\tanh(x^2)", "latex", ""),
    ("softplus(x)", "text", ""),
)

_WEB_STYLE = """
header.site { display: flex; flex-wrap: wrap; gap: .4rem 1.2rem; align-items: baseline; font-size: .92rem;
  color: var(--muted); border-bottom: 1px solid var(--line); padding-bottom: .5rem; }
header.site a { color: var(--link); text-decoration: none; }
header.site .home { font-weight: 600; font-size: 1.05rem; }
header.site a[aria-current] { color: var(--fg); font-weight: 600; }
form.query, form.check { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: .4rem .8rem;
  align-items: center; margin: 1rem 0; max-width: 44rem; }
form label { font-size: .92rem; color: var(--muted); }
form input[type=text] { font: 1rem/1.4 ui-monospace, "DejaVu Sans Mono", monospace; padding: .25rem .4rem;
  background: var(--bg); color: var(--fg); border: 1px solid var(--line); border-radius: 3px; }
form .row { display: flex; flex-wrap: wrap; gap: .6rem 1rem; }
form button { grid-column: 2; justify-self: start; font: inherit; padding: .2rem 1.2rem; cursor: pointer; }
.hint { font-size: .85rem; color: var(--faint); }
.problem { border-left: 4px solid var(--accent); padding: .2rem 1rem; margin: 1rem 0; }
.problem pre { font: .95rem/1.3 ui-monospace, "DejaVu Sans Mono", monospace; overflow-x: auto; }
.verdict { border: 1.5px solid var(--line); padding: .3rem 1rem; margin: 1rem 0; border-radius: 3px; }
.verdict.right { border-color: var(--proof); }
.verdict.wrong { border-color: var(--accent); }
.extras { font-size: .92rem; }
.extras a { color: var(--link); margin-right: .8rem; }
.extras img { max-width: 100%; height: auto; background: #fdfcf9; }
"""


def stylesheet(lang: str) -> str:
    """The page's stylesheet: the documents' own (:data:`symderiv.render.html.STYLE`) and the form's."""
    return document_style(lang) + _WEB_STYLE


def style_hash(lang: str) -> str:
    """The CSP source that allows the stylesheet of a page in ``lang``: ``'sha256-...'``."""
    digest = hashlib.sha256(stylesheet(lang).encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def said(key: str, lang: str, **values: Any) -> Sentence:
    """The locale's word ``web_<key>`` with its fields filled (words stay words, the rest is
    mathematics)."""
    return agree(fill(word(f"web_{key}", lang), values), lang)


def _w(key: str, lang: str) -> str:
    return html_text(word(f"web_{key}", lang))


def page(query: Query, *, title: str, content: str, path: str = "/derive") -> str:
    """A whole page: the header with the language links, the form filled with ``query``, and
    ``content`` (HTML already made safe). ``title`` is plain text; ``path`` is where the
    language links lead (the same request in another language)."""
    lang = query.lang
    languages = " ".join(
        f'<a href="{html_text(query.link(path, lang=code))}" hreflang="{code}" lang="{code}"'
        + (' aria-current="page"' if code == lang else "") + f">{html_text(language_name(code))}</a>"
        for code in LANGUAGES
    )
    return (
        head(lang=lang, title=title, style=stylesheet(lang))
        + f'<header class="site"><a class="home" href="{html_text(Query(lang=lang).link("/"))}">symderiv</a>'
        f'<span>{_w("tagline", lang)}</span><nav aria-label="{_w("language", lang)}">{languages}</nav></header>\n'
        + _form(query)
        + content
        + "</main>\n</body>\n</html>\n"
    )


def _select(name: str, label: str, chosen: str, options: Sequence[tuple[str, str]]) -> str:
    items = "".join(
        f'<option value="{html_text(value)}"' + (" selected" if value == chosen else "") + f">{html_text(text)}</option>"
        for value, text in options
    )
    return f'<label>{label} <select name="{name}" id="{name}">{items}</select></label>'


def _form(query: Query) -> str:
    """The GET form: formula, notation, variable, route, detail and language."""
    lang = query.lang
    notations = [(n, word(f"web_{n}", lang)) for n in NOTATIONS]
    return (
        '<form class="query" method="get" action="/derive">\n'
        f'<label for="expr">{_w("formula", lang)}</label>'
        f'<input type="text" name="expr" id="expr" value="{html_text(query.expr)}" required '
        f'maxlength="4000" autocomplete="off" spellcheck="false">\n'
        f'<label for="wrt">{_w("variable", lang)}</label>'
        f'<span><input type="text" name="wrt" id="wrt" value="{html_text(query.wrt)}" size="8" maxlength="64" '
        f'autocomplete="off" spellcheck="false"> <span class="hint">{_w("variable_hint", lang)}</span></span>\n'
        '<span></span><span class="row">'
        + _select("notation", _w("notation", lang), query.notation, notations)
        + _select("strategy", _w("strategy", lang), query.strategy, [(s, s) for s in STRATEGIES])
        + _select("detail", _w("detail", lang), query.detail, [(d, d) for d in DETAILS])
        + _select("lang", _w("language", lang), lang, [(c, language_name(c)) for c in LANGUAGES])
        + f'</span>\n<button type="submit">{_w("derive", lang)}</button>\n</form>\n'
    )


def check_form(query: Query) -> str:
    """The "check my answer" form: the query's fields carried along, and the answer."""
    lang = query.lang
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{html_text(getattr(query, name))}">'
        for name in ("expr", "wrt", "notation", "strategy", "detail", "lang")
    )
    return (
        f'<section class="check-answer" aria-labelledby="check-heading">\n<h2 id="check-heading">{_w("check", lang)}</h2>\n'
        f'<form class="check" method="get" action="/check">{hidden}\n'
        f'<label for="answer">{_w("answer", lang)}</label>'
        f'<input type="text" name="answer" id="answer" value="{html_text(query.answer)}" required maxlength="4000" '
        'autocomplete="off" spellcheck="false">\n'
        f'<button type="submit">{_w("check_button", lang)}</button>\n</form>\n</section>\n'
    )


def extras(query: Query, *, graph: bool = True) -> str:
    """The permalink, the downloads, the JSON API and the computational graph of ``query``."""
    lang = query.lang
    base = Query(expr=query.expr, wrt=query.wrt, strategy=query.strategy, detail=query.detail,
                 lang=lang, notation=query.notation)
    links = [f'<a href="{html_text(base.link("/derive"))}" rel="bookmark">{_w("permalink", lang)}</a>']
    links += [
        f'<a href="{html_text(_download(base, name))}" '
        f'download>{html_text(name)} (.{suffix})</a>'
        for name, (suffix, _) in DOWNLOADS.items()
    ]
    links.append(f'<a href="{html_text(base.link("/api/derive"))}">{_w("api", lang)}</a>')
    out = [f'<section class="extras" aria-labelledby="extras-heading">\n<h2 id="extras-heading">{_w("downloads", lang)}</h2>\n'
           f'<p>{" ".join(links)}</p>\n']
    if graph:
        svg = html_text(Query(expr=query.expr, notation=query.notation).link("/graph.svg"))
        out.append(f'<details class="graph"><summary>{_w("graph", lang)}</summary>\n'
                   f'<p><a href="{svg}">SVG</a></p><img src="{svg}" alt="{_w("graph", lang)}" loading="lazy">'
                   "</details>\n")
    out.append("</section>\n")
    return "".join(out)


def _download(query: Query, name: str) -> str:
    link = query.link("/download")
    return f"{link}{'&' if '?' in link else '?'}format={name}"


def examples(lang: str) -> str:
    """Links to a few derivations, for the empty page."""
    items = "".join(
        f'<li><a href="{html_text(Query(expr=formula, notation=notation, wrt=wrt, lang=lang).link("/derive"))}">'
        f"<code>{html_text(formula)}</code></a>" + (f" ({html_text(wrt)})" if wrt else "") + "</li>"
        for formula, notation, wrt in EXAMPLES
    )
    return f'<section class="examples"><h2>{_w("examples", lang)}</h2>\n<ul>{items}</ul></section>\n'


def problem(lang: str, heading_key: str, message: str, *, text: str | None = None,
            position: int | None = None) -> str:
    """A problem in a box: the heading (``web_<heading_key>``), the message, and the input
    with a caret under ``position`` when known."""
    out = [f'<section class="problem" role="alert"><h2>{_w(heading_key, lang)}</h2>\n<p>{html_text(message)}</p>\n']
    if text is not None and position is not None:
        shown = "".join(ch if ch.isprintable() else " " for ch in text)
        indent = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in shown[:max(position, 0)])
        out.append(f"<pre>{html_text(shown)}\n{' ' * indent}^</pre>\n")
    out.append("</section>\n")
    return "".join(out)


def sentence(key: str, lang: str, **values: Any) -> str:
    """The locale's ``web_<key>`` with its fields filled, as HTML (formulas as MathML)."""
    return sentence_html(said(key, lang, **values), lang)
