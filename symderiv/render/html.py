"""HTML: one self-contained page per derivation, with MathML the browser lays out itself.

No script and nothing fetched from the network. The page reads in the order every format keeps
(:mod:`.outline`): title, introduction and figures, the statement; the result in a box, in the
derivation's names and then in the original variables, with the names it uses; then the chain
of equalities, each line with its number, rule and justification in words, and its
sub-derivations below it.

The layout:

- **The chain** is an ordered list laid out as one CSS grid (left side, =, right side, number),
  each step a subgrid, so the = signs of all lines share one column. A browser without subgrid
  lines up each step on its own.
- **Nothing makes the page wider than the window.** Every formula sits in a box of its own that
  scrolls sideways when the formula is longer than the column (``overflow-x: auto``); a long
  formula inside a sentence scrolls in an inline box of its own. The grid's right-side column
  may shrink to nothing (``minmax(0, 1fr)``).
- **Sub-derivations** are ``<details>``, closed on screen, so the main chain reads at a
  textbook's level; the ``<summary>`` says what is derived and what it gives. Printed, every one
  is open (the print stylesheet shows ``details::details-content``; a browser that does not know
  that pseudo-element prints them as they are on screen).
- **Print and dark mode**: a print stylesheet (black on white, no navigation, no scroll boxes, a
  step not split over two pages) and dark colours under ``prefers-color-scheme: dark``.
- **The focus**: the part a step rewrote carries ``class="focus"``, drawn as a tint with an
  underline, which survives grayscale printing.
- **Words for the maths**: each ``<math>`` carries ``alttext``, the formula in plain Unicode
  (d/dx σ(x) = σ(x)(1 − σ(x))), and its TeX as an ``application/x-tex`` annotation to copy.
  The page has its ``lang``, and fonts named for its language.

>>> import sympy as sp
>>> from symderiv.core.derivation import Derivation
>>> from symderiv.core.steps import Step
>>> x = sp.Symbol("x")
>>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x, detail={"exponent": 2}),))
>>> page = render(d, lang="ko")
>>> page.startswith('<!DOCTYPE html>\\n<html lang="ko">'), "<script" in page, page.count('<li class="step"')
(True, False, 1)
>>> 'alttext="d/dx x²"' in page, '<annotation encoding="application/x-tex">2 x</annotation>' in page
(True, True)
"""

from __future__ import annotations

import re
from typing import Any, Sequence

import sympy as sp

from ..locales import locale
from .embedded import SVG_ELEMENTS, check_nav, check_svg
from .explain import Equalities, Sentence, Words
from .latex import formula_tex, line_parts, lhs_alone, where_words
from .mathml import math_element, tex_to_element, to_string
from .names import cap_output, html_text
from .outline import Line, Outline, Sub, boxed, outline
from .tex import Notation, tex_lines, tex_width, to_tex
from .text import formula_text, tex_plain

__all__ = ["render", "print_outline", "outline_body", "page", "chain_html", "sentence_html", "sentence_plain", "check_svg",
           "check_nav", "tex_plain", "math_html", "STYLE", "SVG_ELEMENTS", "WIDE"]

#: The page's stylesheet; ``%(cjk)s`` is the CJK font of the page's language (its
#: :class:`~symderiv.locales.Locale`'s ``page_font``).
STYLE = """
:root { color-scheme: light dark; --bg: #fdfcf9; --fg: #1d1d1b; --muted: #555; --faint: #666; --line: #bbb;
  --link: #1f4e8c; --proof: #3b6e45; --accent: #a33; --box: #fff8ef;
  --focus: rgba(250, 204, 21, .32); --focus-line: #8a5a00; }
body { margin: 0; background: var(--bg); color: var(--fg); overflow-wrap: break-word;
  font: 17px/1.65 "STIX Two Text", "Latin Modern Roman", "LM Roman 10", "Noto Serif", %(cjk)s, serif; }
math { font-family: "STIX Two Math", "Latin Modern Math", math; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem 2rem 3rem; }
h1 { font-size: 1.55rem; font-weight: 600; line-height: 1.35; margin: 1rem 0 .6rem;
  padding-bottom: .4rem; border-bottom: 1px solid var(--line); }
h2 { font-size: 1.15rem; font-weight: 600; margin: 1.8rem 0 .4rem; }
nav { font-size: .9rem; color: var(--muted); }
nav a { color: var(--link); margin-right: .9rem; text-decoration: none; }
nav a[aria-current] { color: var(--fg); font-weight: 600; }
figure { margin: 1.2rem 0; }
figure svg { max-width: 100%%; height: auto; }
figcaption { font-size: .92rem; color: var(--muted); }
.scroll, .formula, .wide, .eqs > .lhs, .eqs > .rhs, .chain .lhs, .chain .rhs {
  overflow-x: auto; overflow-y: hidden; }
.wide { display: inline-block; max-width: 100%%; vertical-align: middle; }
.eqs, ol.chain { display: grid; grid-template-columns: max-content max-content minmax(0, 1fr) max-content;
  column-gap: .3rem; align-items: center; margin: .6rem 0 1rem; padding: 0; }
ol.chain { list-style: none; }
ol.chain > li.step { display: grid; grid-column: 1 / -1;
  grid-template-columns: max-content max-content minmax(0, 1fr) max-content;
  grid-template-columns: subgrid; align-items: center; }
.lhs { grid-column: 1; text-align: right; padding: .15em 0; }
.lhs.alone { grid-column: 1 / 4; text-align: left; }
.rel { grid-column: 2; text-align: center; }
.rhs { grid-column: 3; text-align: left; padding: .15em 0; }
.rhs.cont { padding-left: 1.2rem; }
.no { grid-column: 4; text-align: right; color: var(--faint); padding-left: 1.2rem; white-space: nowrap;
  font-size: .9rem; }
.why { grid-column: 3 / 5; margin: .1rem 0 .8rem; max-width: 44rem; font-size: .93rem; color: var(--muted); }
.rule { font-weight: 600; color: var(--fg); }
.proof { color: var(--proof); font-size: .85rem; }
details.sub { grid-column: 3 / 5; margin: -.4rem 0 .9rem; padding-left: .8rem; border-left: 2px solid var(--line);
  font-size: .97rem; }
details.sub > summary { cursor: pointer; color: var(--muted); }
details.sub > summary .wide, details.sub > summary math { color: var(--fg); }
details.sub[open] > summary { margin-bottom: .3rem; }
details.sub > ol.chain { margin: .2rem 0 .3rem; }
.result .box { border: 1.5px solid var(--accent); background: var(--box); padding: .2rem 1rem; margin: .6rem 0;
  border-radius: 3px; width: fit-content; max-width: 100%%; box-sizing: border-box; }
.definitions { margin-left: 1.5rem; }
.result .box .eqs { margin: .2rem 0; }
.where { margin: .6rem 0 0; }
.focus { background: var(--focus); border-bottom: .09em solid var(--focus-line); border-radius: .1em; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--faint); }
@media (max-width: 40rem) {
  main { padding: 1rem .8rem 2rem; }
  details.sub { grid-column: 1 / -1; padding-left: .5rem; }
  .no { padding-left: .3rem; font-size: .75rem; }
}
@media (prefers-color-scheme: dark) {
  :root { --bg: #1b1b1d; --fg: #e7e5e0; --muted: #b4b1aa; --faint: #9c998f; --line: #55534e;
    --link: #8fb5ff; --proof: #8cc79a; --accent: #e08a8a; --box: #26221f;
    --focus: rgba(250, 204, 21, .22); --focus-line: #e5c15c; }
  figure svg { background: #fdfcf9; border-radius: 4px; }
}
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #222; --faint: #444; --line: #888; --link: #000; --proof: #222;
    --accent: #000; --box: #fff; --focus: rgba(250, 204, 21, .35); --focus-line: #000; }
  body { font-size: 10.5pt; line-height: 1.45; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  .scroll, .formula, .wide, .eqs > .lhs, .eqs > .rhs, .chain .lhs, .chain .rhs { overflow: visible; }
  details::details-content { content-visibility: visible; display: block; }
  details.sub > summary { list-style: none; }
  details.sub > summary::-webkit-details-marker { display: none; }
  li.step, .result .box { break-inside: avoid; }
  .focus { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

#: A formula wider than this (in :func:`~symderiv.render.tex.tex_width`'s rough characters)
#: sits in a scroll box of its own inside a sentence.
WIDE = 40

_MARK = re.compile(r"\\symfocus(?![A-Za-z])")


def _alt(tex: str) -> str:
    """The formula in plain Unicode, for ``alttext``: the words a screen reader says."""
    plain = tex_plain(_MARK.sub("", tex))
    return re.sub(r"\s+(?=[)\]])|(?<=[(\[])\s+", "", plain)


def math_html(tex: str, *, display: bool = False, alt: str | None = None) -> str:
    """TeX as one ``<math>``: MathML for the browser, ``alttext`` in plain Unicode (``alt``, or
    read from the TeX) and the TeX itself as an ``application/x-tex`` annotation."""
    element = math_element(tex_to_element(tex), tex, display="block" if display else "inline",
                           displaystyle=not display)
    element.set("alttext", alt if alt is not None else _alt(tex))
    return to_string(element)


def _inline(tex: str, alt: str | None = None) -> str:
    """An inline formula; a wide one in a box of its own that scrolls sideways."""
    math = math_html(tex, alt=alt)
    return f'<span class="wide">{math}</span>' if tex_width(tex) > WIDE else math


def sentence_html(sentence: Sentence, lang: str = "en") -> str:
    """A sentence as HTML: escaped words, and inline ``<math>`` for its formulas."""
    out = []
    for piece in sentence:
        if isinstance(piece, Words):
            out.append(html_text(piece.text))
        else:
            out.append(_inline(formula_tex(piece.value, lang), formula_text(piece.value)))
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


def document_style(lang: str) -> str:
    """The documents' stylesheet, with the page font of ``lang`` for CJK text."""
    return STYLE % {"cjk": repr(locale(lang).page_font).replace(chr(39), chr(34))}


def head(*, lang: str, title: str, style: str) -> str:
    """The start of a page up to ``<main>``: the head with ``title`` (plain text, escaped here)
    and ``style``; shared by the documents and the pages of ``symderiv serve``."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        '<meta name="generator" content="symderiv">\n'
        f"<title>{html_text(title)}</title>\n"
        f"<style>{style}</style>\n"
        "</head>\n<body>\n<main>\n"
    )


def page(*, lang: str, title: Sentence, body: str, nav: str = "") -> str:
    """A whole HTML page around ``body``: the head, the stylesheet and the ``<h1>``."""
    return (
        head(lang=lang, title=sentence_plain(title, lang), style=document_style(lang))
        + (f"<nav>{check_nav(nav)}</nav>\n" if nav else "")
        + f"<h1>{sentence_html(title, lang)}</h1>\n"
        + body
        + "</main>\n</body>\n</html>\n"
    )


def _equality(lhs: str, parts: Sequence[str], *, number: str = "") -> list[str]:
    """The grid cells of one equality: left side (on a row of its own when wide), =, the right
    side's parts one under the other, and the number beside the first."""
    cells = []
    if lhs and lhs_alone(lhs):
        cells.append(f'<span class="lhs alone">{math_html(lhs)}</span>')
        lhs = ""
    if lhs:
        cells.append(f'<span class="lhs">{math_html(lhs)}</span>')
    for index, part in enumerate(parts):
        if index == 0:
            cells.append(f'<span class="rel">{math_html("=", alt="=")}</span><span class="rhs">{math_html(part)}</span>')
            if number:
                cells.append(f'<span class="no">({html_text(number)})</span>')
        else:
            cells.append(f'<span class="rhs cont">{math_html(part)}</span>')
    return cells


def _step(line: Line, lang: str, notation: Notation | None) -> str:
    """One step of a chain: its equality, its rule, justification and proof, its sub-derivations."""
    lhs, parts = line_parts(line, lang, notation=notation)
    label = line.label or str(line.number)
    body = [f'<li class="step" id="step-{html_text(label)}">', *_equality(lhs, parts, number=label)]
    proof_html = f' <span class="proof">✓ {html_text(line.proof_text)}</span>' if line.proof_text else ""
    body.append(f'<p class="why"><span class="rule">{html_text(line.rule_name)}.</span> '
                f"{sentence_html(line.why, lang)}{proof_html}</p>")
    body.extend(_sub(sub, lang, notation) for sub in line.subs)
    body.append("</li>")
    return "\n".join(body)


def _sub(sub: Sub, lang: str, notation: Notation | None) -> str:
    """A sub-derivation as ``<details>``: its summary says what is derived and what it gives."""
    lhs, rhs = sub.result.args
    result_tex = f"{to_tex(lhs, lang, notation=notation)} = {to_tex(rhs, lang, notation=notation)}"
    return (
        f'<details class="sub" id="sub-{html_text(sub.label)}">\n'
        f'<summary>{sentence_html(sub.statement, lang)} {_inline(result_tex)}</summary>\n'
        f"{chain_html(sub.lines, lang, notation=notation)}</details>"
    )


def chain_html(lines: Sequence[Line], lang: str = "en", *, notation: Notation | None = None) -> str:
    """The chain of equalities as an ordered list on one grid: left side, =, right side, number;
    under each line the rule, its justification and how the step was proven, and its
    sub-derivations (:func:`_sub`)."""
    return '<ol class="chain">\n' + "\n".join(_step(line, lang, notation) for line in lines) + "\n</ol>\n"


def _result(document: Outline) -> str:
    """The result in a box (in the derivation's names, then in the original variables), and
    the names it uses, one per line."""
    lang = document.lang
    lhs, sides = boxed(document)
    cells: list[str] = []
    lhs_tex = to_tex(lhs, lang, notation=document.notation)
    for index, side in enumerate(sides):
        cells.extend(_equality(lhs_tex if index == 0 else "", tex_lines(side, lang, notation=document.notation)))
    out = [
        f'<section class="result" aria-labelledby="result">\n<h2 id="result">{html_text(document.result_heading)}</h2>\n',
        '<div class="box"><div class="eqs">\n' + "\n".join(cells) + "\n</div></div>\n",
    ]
    if document.definitions:
        before, after = where_words(lang)
        rows = [cell for name, value in document.definitions
                for cell in _equality(to_tex(name, lang), tex_lines(value, lang))]
        out.append(f'<p class="where">{html_text(before)}</p>\n<div class="eqs definitions">\n'
                   + "\n".join(rows) + "\n</div>\n" + (f"<p>{html_text(after)}</p>\n" if after else ""))
    out.append("</section>\n")
    return "".join(out)


def print_outline(document: Outline, *, nav: str = "") -> str:
    """The document as one HTML page: its title, then :func:`outline_body`."""
    page_html = page(lang=document.lang, title=document.title, body=outline_body(document), nav=nav)
    return cap_output(page_html, "HTML")


def outline_body(document: Outline) -> str:
    """The document without its page and title, to place in a page of one's own (the web page of
    :mod:`symderiv.web`): introduction, figures (their SVG checked by :func:`check_svg`),
    statement, the result in a box with its names, the chain, the proof line."""
    lang = document.lang
    body = []
    if document.intro:
        body.append(f'<p class="intro">{sentence_html(document.intro, lang)}</p>\n')
    for figure in document.figures:
        words = sentence_html(figure.caption, lang)
        body.append(f"<figure>\n{check_svg(figure.picture)}\n<figcaption>{words}</figcaption>\n</figure>\n")
    body.append(f'<p class="statement">{sentence_html(document.statement, lang)}</p>\n')
    body.append(_result(document))
    body.append(f"<h2>{html_text(document.steps_heading)}</h2>\n")
    body.append(chain_html(document.lines, lang, notation=document.notation))
    if document.proof_line:
        body.append(f"<footer>{html_text(document.proof_line)}</footer>\n")
    return "".join(body)


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
