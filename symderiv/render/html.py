"""HTML: one self-contained page per derivation, with MathML the browser lays out itself.

No script and nothing fetched from the network: a small stylesheet names the math fonts
(``"STIX Two Math", "Latin Modern Math", math``), the chain of equalities is a table whose second
column holds the = signs, so they line up, and under each line its step number, rule and
justification in words, with the substitutions shown where they are introduced.

>>> import sympy as sp
>>> from symderiv.core.derivation import Derivation
>>> from symderiv.core.steps import Step
>>> x = sp.Symbol("x")
>>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x, detail={"exponent": 2}),))
>>> page = render(d, lang="ko")
>>> page.startswith('<!DOCTYPE html>\\n<html lang="ko">'), "<script" in page, page.count("<math")
(True, False, 9)
"""

from __future__ import annotations

from typing import Any, Sequence

import sympy as sp

from ..locales import locale
from .embedded import SVG_ELEMENTS, check_nav, check_svg
from .explain import Equalities, Sentence, Words
from .outline import Line
from .latex import formula_tex, lhs_alone, line_parts
from .mathml import tex_to_mathml
from .names import cap_output, html_text
from .outline import Outline, outline
from .tex import to_tex
from .text import formula_text, tex_plain

__all__ = ["render", "print_outline", "page", "chain_table", "sentence_html", "sentence_plain", "check_svg",
           "check_nav", "tex_plain", "STYLE", "SVG_ELEMENTS"]

#: The page's stylesheet; ``%(cjk)s`` is the CJK font of the page's language (its
#: :class:`~symderiv.locales.Locale`'s ``page_font``).
STYLE = """
body { margin: 0; background: #fdfcf9; color: #1d1d1b;
  font: 17px/1.65 "STIX Two Text", "Latin Modern Roman", "LM Roman 10", "Noto Serif", %(cjk)s, serif; }
math { font-family: "STIX Two Math", "Latin Modern Math", math; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.55rem; font-weight: 600; line-height: 1.35; margin: 1rem 0 .6rem;
  padding-bottom: .4rem; border-bottom: 1px solid #bbb; }
h2 { font-size: 1.15rem; font-weight: 600; margin: 1.8rem 0 .4rem; }
nav { font-size: .9rem; color: #555; }
nav a { color: #1f4e8c; margin-right: .9rem; text-decoration: none; }
nav a[aria-current] { color: #1d1d1b; font-weight: 600; }
figure { margin: 1.2rem 0; }
figure svg { max-width: 100%%; height: auto; }
figcaption { font-size: .92rem; color: #444; }
.scroll { overflow-x: auto; }
table.chain { border-collapse: collapse; margin: .6rem 0 1rem; }
table.chain td { padding: .1rem .25rem; vertical-align: middle; }
td.lhs { text-align: right; }
td.rel { text-align: center; }
td.rhs { text-align: left; }
td.cont { padding-left: 1.2rem; }
td.no { text-align: right; color: #666; padding-left: 1.5rem; white-space: nowrap; font-size: .9rem; }
tr.why td { padding-bottom: .9rem; }
tr.why p { margin: .1rem 0 0; max-width: 44rem; font-size: .93rem; color: #333; }
.rule { font-weight: 600; color: #1d1d1b; }
.proof { color: #3b6e45; font-size: .85rem; white-space: nowrap; }
.result { border-left: 3px solid #a33; padding: .2rem 0 .2rem 1rem; margin: .5rem 0; }
footer { margin-top: 2rem; font-size: .85rem; color: #666; }
"""


def _math(tex: str, *, display: bool = False) -> str:
    return tex_to_mathml(tex, display="block" if display else "inline", displaystyle=not display)


def sentence_html(sentence: Sentence, lang: str = "en") -> str:
    """A sentence as HTML: escaped words, and inline ``<math>`` for its formulas."""
    out = []
    for piece in sentence:
        if isinstance(piece, Words):
            out.append(html_text(piece.text))
        else:
            out.append(tex_to_mathml(formula_tex(piece.value, lang)))
    return "".join(out)


def sentence_plain(sentence: Sentence, lang: str = "en") -> str:
    """A sentence as plain text (formulas read roughly), for titles."""
    out = []
    for piece in sentence:
        if isinstance(piece, Words):
            out.append(piece.text)
        elif isinstance(piece.value, (sp.Basic, Equalities)):
            out.append(formula_text(piece.value))
        else:
            out.append(tex_plain(formula_tex(piece.value, lang)))
    return "".join(out)


def page(*, lang: str, title: Sentence, body: str, nav: str = "") -> str:
    """A whole HTML page around ``body``: the head, the stylesheet and the ``<h1>``."""
    cjk = repr(locale(lang).page_font).replace(chr(39), chr(34))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="symderiv">\n'
        f"<title>{html_text(sentence_plain(title, lang))}</title>\n"
        f"<style>{STYLE % {'cjk': cjk}}</style>\n"
        "</head>\n<body>\n<main>\n"
        + (f"<nav>{check_nav(nav)}</nav>\n" if nav else "")
        + f"<h1>{sentence_html(title, lang)}</h1>\n"
        + body
        + "</main>\n</body>\n</html>\n"
    )


def _step_rows(line: Line, lang: str) -> str:
    """One step of the chain: its equality (the left side on a row of its own when wide, a
    long right side over several rows), then its rule, justification and proof."""
    lhs, parts = line_parts(line, lang)
    body = [f'<tbody class="step" id="step-{line.number}">']
    if lhs and lhs_alone(lhs):
        body.append(f'<tr class="eq"><td class="lhs" colspan="3" style="text-align:left">'
                    f"{_math(lhs)}</td><td></td></tr>")
        lhs = ""
    for index, part in enumerate(parts):
        left = _math(lhs) if (lhs and index == 0) else ""
        if index == 0:
            body.append(
                f'<tr class="eq"><td class="lhs">{left}</td><td class="rel">{_math("=")}</td>'
                f'<td class="rhs">{_math(part)}</td><td class="no">({line.number})</td></tr>'
            )
        else:
            body.append(f'<tr class="eq cont"><td></td><td></td><td class="rhs cont">{_math(part)}</td>'
                        "<td></td></tr>")
    proof_html = f' <span class="proof">✓ {html_text(line.proof_text)}</span>' if line.proof_text else ""
    body.append(
        '<tr class="why"><td></td><td></td><td colspan="2"><p>'
        f'<span class="rule">{html_text(line.rule_name)}.</span> '
        f"{sentence_html(line.why, lang)}{proof_html}</p></td></tr>"
    )
    body.append("</tbody>")
    return "\n".join(body)


def chain_table(lines: Sequence[Line], lang: str = "en") -> str:
    """The chain of equalities as an HTML table: left side, =, right side, step number; and
    under each line the rule, its justification and how the step was proven."""
    rows = [_step_rows(line, lang) for line in lines]
    return '<div class="scroll">\n<table class="chain">\n' + "\n".join(rows) + "\n</table>\n</div>\n"


def print_outline(document: Outline, *, nav: str = "") -> str:
    """The document as one HTML page: introduction, figures (their SVG checked by
    :func:`check_svg`), statement, the chain as a table, the result and the proof line."""
    lang = document.lang
    body = []
    if document.intro:
        body.append(f'<p class="intro">{sentence_html(document.intro, lang)}</p>\n')
    for figure in document.figures:
        words = sentence_html(figure.caption, lang)
        body.append(f"<figure>\n{check_svg(figure.picture)}\n<figcaption>{words}</figcaption>\n</figure>\n")
    body.append(f'<p class="statement">{sentence_html(document.statement, lang)}</p>\n')
    body.append(f"<h2>{html_text(document.steps_heading)}</h2>\n")
    body.append(chain_table(document.lines, lang))
    body.append(f"<h2>{html_text(document.result_heading)}</h2>\n")
    body.append(f'<div class="result">{_math(to_tex(document.result, lang), display=True)}</div>\n')
    if document.proof_line:
        body.append(f"<footer>{html_text(document.proof_line)}</footer>\n")
    return cap_output(page(lang=lang, title=document.title, body="".join(body), nav=nav), "HTML")


def render(
    derivation: Any,
    *,
    lang: str = "en",
    title: str | Sentence | None = None,
    intro: str | Sentence | None = None,
    figures: Sequence[tuple[str, str | Sentence]] = (),
    nav: str = "",
) -> str:
    """The derivation as one self-contained HTML page.

    ``title`` and ``intro`` are text with ``$...$`` formulas, read by
    :func:`~symderiv.render.explain.prose` (words escaped, formulas through the safe LaTeX
    parser); ``figures`` are (SVG markup, caption) pairs shown after the introduction, the SVG
    checked by :func:`check_svg`; ``nav`` is links for a navigation bar (:func:`check_nav`).
    """
    return print_outline(outline(derivation, lang, title=title, intro=intro, figures=figures), nav=nav)
