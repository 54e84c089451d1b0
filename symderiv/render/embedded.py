"""Markup a caller puts into a document as it is: checked, since it cannot be escaped.

Words and formulas are escaped by each format; three things are not, because they are markup or
addresses by nature: a figure's SVG (HTML), an image path (Markdown) and a navigation bar's links
(HTML). Each is accepted only in a shape that cannot act (no script, no event handler, no link
out of the page but plain ones) and refused with :class:`~symderiv.render.names.RenderError`
otherwise.

>>> check_figure_path("../plots/sigmoid.svg")
'../plots/sigmoid.svg'
>>> check_nav('<a href="../ja/x.html" hreflang="ja">日本語</a>')
'<a href="../ja/x.html" hreflang="ja">日本語</a>'
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from .names import RenderError

__all__ = ["SVG_ELEMENTS", "check_svg", "check_nav", "check_figure_path"]

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


def _refuse(reason: str) -> RenderError:
    return RenderError(f"the figure's SVG has {reason}, which a document may not carry")


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
    if not isinstance(svg, str) or not svg.lstrip().startswith("<svg"):
        raise RenderError("a figure is SVG markup that starts with <svg")
    _check_sections(svg)
    try:
        root = ET.fromstring(svg)
    except ET.ParseError as error:
        raise RenderError(f"the figure's SVG is not well-formed XML: {error}") from None
    for element in root.iter():
        _check_element(element)
    return svg


def _check_sections(svg: str) -> None:
    """Refuse what an HTML parser reads differently from an XML one: declarations, CDATA,
    processing instructions, and comments that end early or hold markup."""
    for construct in ("<!DOCTYPE", "<!ENTITY", "<![CDATA[", "<?"):
        if construct.lower() in svg.lower():
            raise _refuse(f"a {construct} section")
    for comment in re.findall(r"<!--(.*?)-->", svg, re.DOTALL):
        if comment.startswith((">", "->")) or "--" in comment or "<" in comment:
            raise _refuse("a comment an HTML parser would read differently")


def _check_element(element: ET.Element) -> None:
    """Refuse an element that is not drawing, or an attribute that acts, links or fetches."""
    tag = element.tag if isinstance(element.tag, str) else ""
    local = tag.removeprefix(_SVG)
    if not (local in SVG_ELEMENTS and tag.startswith(_SVG)) and not tag.startswith(_METADATA):
        raise _refuse(f"a <{tag.rsplit('}', 1)[-1]}> element")
    for name, value in element.attrib.items():
        attribute = name.rsplit("}", 1)[-1]
        if attribute.lower().startswith("on"):
            raise _refuse(f"an event handler ({attribute} on {local})")
        if attribute.lower() == "href" and not value.startswith("#"):
            raise _refuse(f"a link to {value!r}")
        if _UNSAFE_VALUE.search(value):
            raise _refuse(f"an attribute {attribute}={value!r}")
    if local == "style" and _UNSAFE_VALUE.search(element.text or ""):
        raise _refuse("a stylesheet that fetches or runs something")


_NAV_ATTRIBUTES = frozenset({"href", "hreflang", "lang", "aria-current"})
#: A language tag in a link's ``hreflang`` or ``lang``: ``ja``, ``zh-Hans``.
_LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z]{2,4})?$")
_NAV_HREF = re.compile(r"^(?:https?://)?[A-Za-z0-9._~/%#-]+$")


class _NavChecker(HTMLParser):
    """Reads a navigation bar and keeps the first thing in it that is not a plain link."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problem: str | None = None

    def _note(self, problem: str) -> None:
        self.problem = self.problem or problem

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "a":
            self._note(f"a <{tag}> element")
        for name, value in attrs:
            if name not in _NAV_ATTRIBUTES:
                self._note(f"the attribute {name}")
            elif name == "href" and (value is None or not _NAV_HREF.match(value) or value.startswith("//")):
                self._note(f"the link {value!r}")
            elif name in ("lang", "hreflang") and (value is None or not _LANGUAGE_TAG.match(value)):
                self._note(f"the language {value!r}")

    def handle_endtag(self, tag: str) -> None:
        if tag != "a":
            self._note(f"a </{tag}> element")

    def handle_comment(self, data: str) -> None:
        self._note("a comment")

    def handle_decl(self, decl: str) -> None:
        self._note("a declaration")

    def handle_pi(self, data: str) -> None:
        self._note("a processing instruction")

    def unknown_decl(self, data: str) -> None:
        self._note("a declaration")


def check_nav(nav: str) -> str:
    """Return a navigation bar's HTML if it is links only (``<a href hreflang lang aria-current>``
    to relative paths or http(s) addresses); refuse anything else with ``RenderError``.

    >>> check_nav('<a href="javascript:alert(1)">x</a>')
    Traceback (most recent call last):
    ...
    symderiv.render.names.RenderError: the navigation bar may hold links only, not the link 'javascript:alert(1)'
    """
    checker = _NavChecker()
    checker.feed(nav)
    checker.close()
    if checker.problem is None and re.search(r"<(?!/?a[\s>])", nav):
        checker.problem = "markup other than links"
    if checker.problem is not None:
        raise RenderError(f"the navigation bar may hold links only, not {checker.problem}")
    return nav


#: A figure's path: a relative path or an http(s) address, in characters a link keeps as they are.
_PATH = re.compile(r"^(?:https?://)?[A-Za-z0-9._~/%-]+(?:\?[A-Za-z0-9._~%=&-]*)?$")


def check_figure_path(path: str) -> str:
    """Return an image path for a Markdown figure if it is a relative path or an http(s)
    address of letters, digits and ``. _ ~ / % -``; refuse anything else with ``RenderError``.

    >>> check_figure_path("javascript:alert(1)")
    Traceback (most recent call last):
    ...
    symderiv.render.names.RenderError: the figure path 'javascript:alert(1)' is not a relative path or an http(s) address of letters, digits and . _ ~ / % -
    """
    if not isinstance(path, str) or not _PATH.match(path) or path.startswith("//"):
        raise RenderError(
            f"the figure path {path!r} is not a relative path or an http(s) address "
            "of letters, digits and . _ ~ / % -"
        )
    return path
