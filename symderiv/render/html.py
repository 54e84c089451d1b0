"""HTML: one self-contained page per derivation, with MathML the browser lays out itself.

No script and nothing fetched from the network: a small stylesheet names the math fonts
(``"STIX Two Math", "Latin Modern Math", math``), the chain of equalities is a table whose second
column holds the = signs, so they line up, and under each line its step number, rule and
justification in words, with the substitutions shown where they are introduced.

>>> import sympy as sp
>>> from symderiv.core.steps import Derivation, Step
>>> x = sp.Symbol("x")
>>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x, detail={"exponent": 2}),))
>>> page = render(d, lang="ko")
>>> page.startswith('<!DOCTYPE html>\\n<html lang="ko">'), "<script" in page, page.count("<math")
(True, False, 9)
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from typing import Any, Sequence

import sympy as sp

from ..locales import word
from .explain import Equalities, Sentence, Words, layout, proof_words, prose
from .explain import statement as statement_sentence
from .explain import title as title_sentence
from .latex import formula_tex, lhs_alone, line_parts
from .mathml import tex_to_mathml
from .names import RenderError, cap_output, check_renderable, html_text
from .tex import to_tex

__all__ = ["render", "page", "sentence_html", "sentence_plain", "check_svg", "check_nav", "STYLE"]

_CJK_FONT = {"en": "Noto Serif CJK JP", "ja": "Noto Serif CJK JP", "zh": "Noto Serif CJK SC",
             "ko": "Noto Serif CJK KR"}

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


#: The SVG elements a figure may hold: shapes, text and their grouping, as matplotlib and
#: Graphviz draw them. No script, link, image, foreign object or animation.
SVG_ELEMENTS = frozenset(
    "svg g path defs use clipPath rect circle ellipse line polyline polygon text tspan title desc "
    "style metadata linearGradient radialGradient stop mask pattern symbol marker".split()
)
_SVG = "{http://www.w3.org/2000/svg}"
_METADATA = ("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}", "{http://creativecommons.org/ns#}",
             "{http://purl.org/dc/elements/1.1/}")
_UNSAFE_VALUE = re.compile(r"javascript:|vbscript:|data:|expression\s*\(|@import|url\s*\(\s*['\"]?(?!#)|[<&\\]",
                           re.IGNORECASE)


def check_svg(svg: str) -> str:
    """Return SVG markup for a figure if it is drawing only; refuse it with
    :class:`~symderiv.render.names.RenderError` if it could act (scripts, event handlers,
    links, outside resources) or be read differently by an HTML parser (DOCTYPE, CDATA).

    >>> check_svg('<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>')
    '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    >>> check_svg('<svg xmlns="http://www.w3.org/2000/svg"><rect onclick="alert(1)"/></svg>')
    Traceback (most recent call last):
    ...
    symderiv.render.names.RenderError: the figure's SVG has an event handler (onclick on rect), which a document may not carry
    """
    def refuse(reason: str) -> RenderError:
        return RenderError(f"the figure's SVG has {reason}, which a document may not carry")

    if not isinstance(svg, str) or not svg.lstrip().startswith("<svg"):
        raise RenderError("a figure is SVG markup that starts with <svg")
    for construct in ("<!DOCTYPE", "<!ENTITY", "<![CDATA[", "<?"):
        if construct.lower() in svg.lower():
            raise refuse(f"a {construct} section")
    for comment in re.findall(r"<!--(.*?)-->", svg, re.DOTALL):
        if comment.startswith((">", "->")) or "--" in comment or "<" in comment:
            raise refuse("a comment an HTML parser would read differently")
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as error:
        raise RenderError(f"the figure's SVG is not well-formed XML: {error}") from None
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        local = tag.removeprefix(_SVG)
        if not (local in SVG_ELEMENTS and tag.startswith(_SVG)) and not tag.startswith(_METADATA):
            raise refuse(f"a <{tag.rsplit('}', 1)[-1]}> element")
        for name, value in element.attrib.items():
            attribute = name.rsplit("}", 1)[-1]
            if attribute.lower().startswith("on"):
                raise refuse(f"an event handler ({attribute} on {local})")
            if attribute.lower() == "href" and not value.startswith("#"):
                raise refuse(f"a link to {value!r}")
            if _UNSAFE_VALUE.search(value):
                raise refuse(f"an attribute {attribute}={value!r}")
        if local == "style" and _UNSAFE_VALUE.search(element.text or ""):
            raise refuse("a stylesheet that fetches or runs something")
    return svg


_NAV_ATTRIBUTES = frozenset({"href", "hreflang", "aria-current"})
_NAV_HREF = re.compile(r"^(?:https?://)?[A-Za-z0-9._~/%#-]+$")


class _NavChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problem: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            self.problem = self.problem or f"a <{tag}> element"
        for name, value in attrs:
            if name not in _NAV_ATTRIBUTES:
                self.problem = self.problem or f"the attribute {name}"
            elif name == "href" and (value is None or not _NAV_HREF.match(value) or value.startswith("//")):
                self.problem = self.problem or f"the link {value!r}"

    def handle_endtag(self, tag: str) -> None:
        if tag != "a":
            self.problem = self.problem or f"a </{tag}> element"

    def handle_comment(self, data: str) -> None:
        self.problem = self.problem or "a comment"

    def handle_decl(self, decl: str) -> None:
        self.problem = self.problem or "a declaration"

    def handle_pi(self, data: str) -> None:
        self.problem = self.problem or "a processing instruction"

    def unknown_decl(self, data: str) -> None:
        self.problem = self.problem or "a declaration"


def check_nav(nav: str) -> str:
    """Return a navigation bar's HTML if it is links only (``<a href hreflang aria-current>``
    to relative paths or http(s) addresses); refuse anything else with ``RenderError``.

    >>> check_nav('<a href="../ja/x.html" hreflang="ja">日本語</a>')
    '<a href="../ja/x.html" hreflang="ja">日本語</a>'
    """
    checker = _NavChecker()
    checker.feed(nav)
    checker.close()
    if checker.problem is None and re.search(r"<(?!/?a[\s>])", nav):
        checker.problem = "markup other than links"
    if checker.problem is not None:
        raise RenderError(f"the navigation bar may hold links only, not {checker.problem}")
    return nav


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


_SUPERSCRIPTS = str.maketrans("0123456789-+nx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿˣ")


def _group(text: str) -> str:
    return f"({text})" if re.search(r"[\s+−-]", text.strip()) else text.strip()


def _sup(match: re.Match[str]) -> str:
    text = match.group(1).replace(" ", "")
    if all(char in "0123456789-+nx" for char in text):
        return text.translate(_SUPERSCRIPTS)
    return "^" + _group(text)


def tex_plain(tex: str) -> str:
    r"""A rough plain-text reading of simple TeX, for a page's ``<title>``.

    >>> tex_plain(r"\frac{1}{1 + e^{- x}}"), tex_plain(r"\sigma^{2}\left(x\right)")
    ('1/(1 + e⁻ˣ)', 'σ²(x)')
    """
    tex = re.sub(r"\\(?:left|right)(?![A-Za-z])", "", tex)
    tex = re.sub(r"\\(?:mathrm|operatorname|text)\{([^{}]*)\}", r"\1", tex)
    for _ in range(20):
        previous = tex
        tex = re.sub(r"\^\{([^{}]*)\}", _sup, tex)
        tex = re.sub(r"_\{([^{}]*)\}", r"_\1", tex)
        tex = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", lambda m: f"{_group(m.group(1))}/{_group(m.group(2))}", tex)
        if tex == previous:
            break
    names = {"sigma": "σ", "partial": "∂", "cdot": "·", "quad": " ", "log": "log ", "tanh": "tanh "}
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: names.get(m.group(1), m.group(1)), tex)
    tex = re.sub(r"\\[,;:!]", " ", tex).replace("{", "").replace("}", "").replace("-", "−")
    return re.sub(r"\s+", " ", tex).strip()


def sentence_plain(sentence: Sentence, lang: str = "en") -> str:
    """A sentence as plain text (formulas read roughly), for titles."""
    out = []
    for piece in sentence:
        if isinstance(piece, Words):
            out.append(piece.text)
        elif isinstance(piece.value, (sp.Basic, Equalities)):
            from .text import _formula_text

            out.append(_formula_text(piece.value))
        else:
            out.append(tex_plain(formula_tex(piece.value, lang)))
    return "".join(out)


def page(*, lang: str, title: Sentence, body: str, nav: str = "") -> str:
    """A whole HTML page around ``body``: the head, the stylesheet and the ``<h1>``."""
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="symderiv">\n'
        f"<title>{html_text(sentence_plain(title, lang))}</title>\n"
        f"<style>{STYLE % {'cjk': repr(_CJK_FONT[lang]).replace(chr(39), chr(34))}}</style>\n"
        "</head>\n<body>\n<main>\n"
        + (f"<nav>{check_nav(nav)}</nav>\n" if nav else "")
        + f"<h1>{sentence_html(title, lang)}</h1>\n"
        + body
        + "</main>\n</body>\n</html>\n"
    )



def chain_table(derivation: Any, lang: str = "en") -> str:
    """The chain of equalities as an HTML table: left side, =, right side, step number; and
    under each line the rule, its justification and how the step was proven."""
    rows = []
    for line in layout(derivation, lang):
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
        proof = proof_words(line.proof, lang)
        proof_html = f' <span class="proof">✓ {html_text(proof)}</span>' if proof else ""
        body.append(
            '<tr class="why"><td></td><td></td><td colspan="2"><p>'
            f'<span class="rule">{html_text(line.rule_name)}.</span> '
            f"{sentence_html(line.why, lang)}{proof_html}</p></td></tr>"
        )
        body.append("</tbody>")
        rows.append("\n".join(body))
    return '<div class="scroll">\n<table class="chain">\n' + "\n".join(rows) + "\n</table>\n</div>\n"


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
    check_renderable(derivation, lang)
    heading = prose(title) if title else title_sentence(derivation, lang)
    body = []
    if intro:
        body.append(f'<p class="intro">{sentence_html(prose(intro, field="introduction"), lang)}</p>\n')
    for svg, caption in figures:
        words = sentence_html(prose(caption, field="caption"), lang)
        body.append(f"<figure>\n{check_svg(svg)}\n<figcaption>{words}</figcaption>\n</figure>\n")
    body.append(f'<p class="statement">{sentence_html(statement_sentence(derivation, lang), lang)}</p>\n')
    body.append(f"<h2>{html_text(word('steps', lang))}</h2>\n")
    body.append(chain_table(derivation, lang))
    body.append(f"<h2>{html_text(word('result', lang))}</h2>\n")
    equation = sp.Eq(sp.Derivative(derivation.expr, derivation.wrt), derivation.result, evaluate=False)
    body.append(f'<div class="result">{_math(to_tex(equation, lang), display=True)}</div>\n')
    if derivation.report is not None:
        body.append(f"<footer>{html_text(word('proven', lang))}</footer>\n")
    return cap_output(page(lang=lang, title=heading, body="".join(body), nav=nav), "HTML")
