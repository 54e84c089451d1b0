r"""Presentation MathML through latex2mathml, with its gaps closed rather than passed on.

latex2mathml (3.81) has gaps that this module works around:

- ``aligned`` and friends are not supported (a literal ``&`` and invalid XML): the chain of
  equalities is built here as an ``<mtable>`` whose cells are converted one at a time;
- unknown commands pass through silently as ``<mi>\eqref</mi>``: they are refused with
  :class:`~symderiv.render.names.RenderError`;
- ``\mathrm{d}`` loses ``mathvariant="normal"``, ``&`` and ``<`` inside ``\text{}`` break the
  XML, and ``\operatorname`` gets operator spacing: these three are taken out before the
  conversion and written here as ``<mi mathvariant="normal">``, ``<mtext>`` and ``<mi>``;
- a unary minus is left loose in its row: it is grouped here with its operand,
  ``<mrow><mo>−</mo><mi>x</mi></mrow>``, and a prime is made an operator in its superscript,
  ``<msup><mi>σ</mi><mo>′</mo></msup>``.

The focus of a step, which :mod:`.tex` prints as ``\symfocus{...}`` (a command latex2mathml does
not know), becomes ``<mrow class="focus">`` around its content: the only ``class`` this module
writes, and never one a formula asks for.

Every formula is wrapped in ``<semantics>`` with its TeX as an annotation, so it can be copied.

>>> print(tex_to_mathml(r"\frac{\mathrm{d}}{\mathrm{d}x} e^{x}"))  # doctest: +NORMALIZE_WHITESPACE
<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><semantics><mrow><mfrac><mrow><mi
mathvariant="normal">d</mi></mrow><mrow><mi mathvariant="normal">d</mi><mi>x</mi></mrow></mfrac><msup><mi>e</mi><mrow><mi>x</mi></mrow></msup></mrow><annotation
encoding="application/x-tex">\frac{\mathrm{d}}{\mathrm{d}x} e^{x}</annotation></semantics></math>
>>> tex_to_mathml(r"\eqref{x}")
Traceback (most recent call last):
...
symderiv.render.names.RenderError: latex2mathml does not know the TeX command \eqref (in '\\eqref{x}')
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from latex2mathml.converter import convert

from .explain import Sentence, Words
from .outline import Line
from .latex import chain_rows, formula_tex, lhs_alone, line_note, line_parts
from .names import RenderError, _printable, cap_output, tex_text_unescape
from .outline import outline

__all__ = ["NS", "MATHML_ELEMENTS", "MATHML_ATTRIBUTES", "tex_to_mathml", "tex_to_element", "math_element", "sentence_element", "to_string",
           "render"]

NS = "http://www.w3.org/1998/Math/MathML"
_PLACEHOLDER_BASE = 0xE000

#: The MathML a formula may become: layout only. latex2mathml turns ``\\href``, ``\\style``,
#: ``\\class`` and ``\\cssId`` into attributes and ``\\toggle`` into ``<maction>``; none of
#: them is on these lists, so such a formula is refused, never written.
MATHML_ELEMENTS = frozenset(
    "math semantics annotation mrow mi mn mo mtext mspace ms mfrac msqrt mroot msub msup msubsup "
    "munder mover munderover mtable mtr mtd mstyle mpadded mphantom menclose merror".split()
)
MATHML_ATTRIBUTES = frozenset(
    "mathvariant stretchy fence form lspace rspace separator columnalign rowalign displaystyle "
    "scriptlevel linethickness accent accentunder movablelimits symmetric largeop width height depth "
    "minsize maxsize columnspacing rowspacing columnlines rowlines frame notation bevelled "
    "numalign denomalign align".split()
)
_SPECIAL = re.compile(r"\\(mathrm|operatorname|text)\{([^{}]*)\}")


def _protect(tex: str) -> tuple[str, dict[str, ET.Element]]:
    """Replace ``\\mathrm{..}``, ``\\operatorname{..}`` and ``\\text{..}`` by private-use
    characters, and build the elements they stand for."""
    elements: dict[str, ET.Element] = {}

    def swap(match: re.Match[str]) -> str:
        kind, content = match.group(1), match.group(2)
        char = chr(_PLACEHOLDER_BASE + len(elements))
        if kind == "text":
            element = ET.Element("mtext")
            element.text = tex_text_unescape(content).replace(" ", "\u00a0")
        else:
            if "\\" in content:
                raise RenderError(f"cannot convert \\{kind}{{{content}}}")
            element = ET.Element("mi")
            element.text = content
            if len(content) == 1:
                element.set("mathvariant", "normal")
        elements[char] = element
        return char

    return _SPECIAL.sub(swap, tex), elements


def _strip_namespace(element: ET.Element) -> ET.Element:
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.startswith("{"):
            node.tag = node.tag.split("}", 1)[1]
    return element


def tex_to_element(tex: str) -> ET.Element:
    """TeX math as one ``<mrow>`` element (no ``<math>`` around it), checked and repaired."""
    protected, elements = _protect(tex)
    if any(0xE000 <= ord(c) <= 0xF8FF for c in tex):
        raise RenderError("TeX with private-use characters cannot be converted")
    root = _strip_namespace(ET.fromstring(convert(protected)))
    body = ET.Element("mrow")
    body.extend(list(root))
    focus = _focus_rows(body)
    for parent in body.iter():
        for index, child in enumerate(list(parent)):
            text = child.text or ""
            if text in elements and len(child) == 0:
                parent[index] = elements[text]
            elif "\\" in text:
                command = re.match(r"\\[A-Za-z]+|\\.", text)
                name = command.group(0) if command else text
                raise RenderError(f"latex2mathml does not know the TeX command {name} (in {tex!r})")
            elif any(0xE000 <= ord(c) <= 0xF8FF for c in text):
                raise RenderError(f"could not convert {tex!r}")
    _check_layout_only(body, tex)
    for row in focus:
        row.set("class", "focus")
    _tidy_fences(body)
    _tidy_primes(body)
    _group_unary_minus(body)
    _space_function_names(body)
    if len(body) == 1 and body[0].tag == "mrow":
        return body[0]
    return body


def _check_layout_only(root: ET.Element, tex: str) -> None:
    """Refuse MathML that is more than layout: links, styles, classes, ids, actions. (The
    ``class="focus"`` of :func:`_focus_rows` is set after this check.)"""
    for node in root.iter():
        if node.tag not in MATHML_ELEMENTS:
            raise RenderError(f"the TeX {tex!r} would become a <{node.tag}> element, which symderiv does not write")
        for name in node.attrib:
            if name not in MATHML_ATTRIBUTES:
                raise RenderError(f"the TeX {tex!r} would give <{node.tag}> the attribute {name}, which symderiv does not write")


_FENCES = set("()[]{}|\u2016")
_TALL = {"mfrac", "mtable", "msqrt", "mroot", "munderover", "munder", "mover"}
_PRIMES = {"\u2032", "\u2033", "\u2034"}
_FUNCTION_NAMES = {"log", "ln", "exp", "sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh",
                   "coth", "sech", "csch", "arcsin", "arccos", "arctan", "sign", "max", "min"}


def _tidy_primes(root: ET.Element) -> None:
    """Write σ′ as ``<msup><mi>σ</mi><mo>′</mo></msup>``: the prime an operator in the
    superscript (latex2mathml makes it an identifier)."""
    for node in root.iter("msup"):
        if len(node) == 2 and node[1].tag == "mi" and (node[1].text or "") in _PRIMES and len(node[1]) == 0:
            node[1].tag = "mo"


_FOCUS_COMMAND = "\\symfocus"


def _focus_rows(root: ET.Element) -> list[ET.Element]:
    """Replace every ``<mi>\\symfocus</mi>`` and the group after it by one ``<mrow>`` with the
    group's content; return those rows (they get ``class="focus"`` once the layout is checked)."""
    rows = []
    for parent in list(root.iter()):
        index = 0
        while index < len(parent):
            child = parent[index]
            if child.tag == "mi" and child.text == _FOCUS_COMMAND and index + 1 < len(parent) and parent[index + 1].tag == "mrow":
                group = parent[index + 1]
                parent.remove(child)
                rows.append(group)
            index += 1
    return rows


#: The operators after which a minus is a sign, not a subtraction.
_BEFORE_SIGN = {"+", "\u2212", "=", "<", ">", "\u2264", "\u2265", "\u2260", "\u00b1", ",", "\u22c5", "\u00d7"}
#: The operators that end the operand of a sign: −x + 1 groups −x.
_ENDS_TERM = {"+", "\u2212", "=", "<", ">", "\u2264", "\u2265", "\u2260", "\u00b1", ","}


def _group_unary_minus(root: ET.Element) -> None:
    """Group a minus sign with its operand, up to the next + − = in its row: −x + 1 as
    ``<mrow><mrow><mo>−</mo><mi>x</mi></mrow><mo>+</mo><mn>1</mn></mrow>``. A row that is the
    signed term alone, ``<mrow><mo>−</mo><mi>x</mi></mrow>``, is left as it is."""
    for parent in list(root.iter()):
        if parent.tag not in ("mrow", "mtd", "mstyle", "msqrt"):
            continue
        index = 0
        while index < len(parent):
            if _is_sign(parent, index):
                end = index + 1
                while end < len(parent) and not (parent[end].tag == "mo" and (parent[end].text or "") in _ENDS_TERM):
                    end += 1
                if not (parent.tag == "mrow" and index == 0 and end == len(parent)) and end > index + 1:
                    group = ET.Element("mrow")
                    members = list(parent)[index:end]
                    for member in members:
                        parent.remove(member)
                    group.extend(members)
                    parent.insert(index, group)
            index += 1


def _is_sign(parent: ET.Element, index: int) -> bool:
    """Whether ``parent[index]`` is a minus that is a sign: first in its row, or after an operator."""
    node = parent[index]
    if node.tag != "mo" or node.text != "\u2212" or index + 1 >= len(parent):
        return False
    if index == 0:
        return True
    before = parent[index - 1]
    return before.tag == "mo" and ((before.text or "") in _BEFORE_SIGN or before.get("form") == "prefix")


#: What a function name is set apart from by a thin space: an argument after it, log x; a
#: factor before it, 2 log x.
_ARGUMENT = frozenset({"mi", "mn", "msup", "msub"})
_FACTOR = _ARGUMENT | {"mrow", "mfrac"}


def _is_function_name(node: ET.Element) -> bool:
    """Whether ``node`` is a function's name (log, sin, ...), raised to a power or not."""
    name = node[0] if node.tag == "msup" and len(node) else node
    return name.tag == "mi" and (name.text or "") in _FUNCTION_NAMES


def _space_function_names(root: ET.Element) -> None:
    """Put a thin space between a function name and a bare argument or factor: log x, not logx.
    The children are visited from the last, so that a space put in does not move the next one."""
    for parent in list(root.iter()):
        children = list(parent)
        for index in range(len(children) - 1, -1, -1):
            if not _is_function_name(children[index]):
                continue
            if index + 1 < len(children) and children[index + 1].tag in _ARGUMENT:
                parent.insert(index + 1, ET.Element("mspace", {"width": "0.167em"}))
            if index > 0 and children[index - 1].tag in _FACTOR:
                parent.insert(index, ET.Element("mspace", {"width": "0.167em"}))


def _tidy_fences(root: ET.Element) -> None:
    """Set fences flush against what they enclose, and group what they enclose, so that a
    leading minus reads as a sign: (−x), not ( − x )."""
    for parent in list(root.iter()):
        children = list(parent)
        tall = any(node.tag in _TALL for child in children for node in child.iter())
        for child in children:
            if child.tag == "mo" and (child.text or "") in _FENCES:
                child.set("lspace", "0em")
                child.set("rspace", "0em")
                if child.get("stretchy") == "true" and not tall:
                    child.set("stretchy", "false")
        if (
            parent.tag == "mrow"
            and len(children) > 3
            and children[0].get("form") == "prefix"
            and children[-1].get("form") == "postfix"
        ):
            inner = ET.Element("mrow")
            inner.extend(children[1:-1])
            for child in children[1:-1]:
                parent.remove(child)
            parent.insert(1, inner)


def math_element(
    content: ET.Element, tex: str, *, display: str = "inline", displaystyle: bool = False
) -> ET.Element:
    """``<math>`` around ``content``, in ``<semantics>`` with ``tex`` as the annotation."""
    math = ET.Element("math", {"xmlns": NS, "display": display})
    if displaystyle and display == "inline":
        math.set("displaystyle", "true")
    semantics = ET.SubElement(math, "semantics")
    semantics.append(content)
    annotation = ET.SubElement(semantics, "annotation", {"encoding": "application/x-tex"})
    annotation.text = tex
    return math


def to_string(element: ET.Element) -> str:
    """Serialize without namespace prefixes: entities escaped, characters as UTF-8."""
    return ET.tostring(element, encoding="unicode", short_empty_elements=True)


def tex_to_mathml(tex: str, *, display: str = "inline", displaystyle: bool = False) -> str:
    """TeX math as one well-formed ``<math>`` element with the TeX kept as an annotation."""
    return to_string(math_element(tex_to_element(tex), tex, display=display, displaystyle=displaystyle))


def sentence_element(sentence: Sentence, lang: str = "en") -> ET.Element:
    """A sentence as MathML: ``<mtext>`` for the words, converted TeX for the formulas."""
    row = ET.Element("mrow")
    for piece in sentence:
        if isinstance(piece, Words):
            text = ET.SubElement(row, "mtext")
            text.text = _printable(piece.text).replace(" ", "\u00a0")
        else:
            row.append(tex_to_element(formula_tex(piece.value, lang)))
    return row


def _cell(content: ET.Element, align: str) -> ET.Element:
    cell = ET.Element("mtd", {"columnalign": align})
    style = ET.SubElement(cell, "mstyle", {"displaystyle": "true"})
    style.append(content)
    return cell


def _note(line: Line, lang: str) -> ET.Element:
    return tex_to_element(line_note(line, lang))


def render(derivation: Any, *, lang: str = "en") -> str:
    """The chain of equalities as one ``<math display="block">``: an ``<mtable>`` with the
    left sides right-aligned, ``= right side`` left-aligned, and each step's rule beside it."""
    lines = outline(derivation, lang).lines
    table = ET.Element("mtable", {"columnalign": "right left left", "displaystyle": "true"})
    for line in lines:
        lhs, parts = line_parts(line, lang)
        if lhs and lhs_alone(lhs):
            row = ET.SubElement(table, "mtr")
            row.append(_cell(ET.Element("mrow"), "right"))
            row.append(_cell(tex_to_element(lhs), "left"))
            row.append(_cell(ET.Element("mrow"), "left"))
            lhs = ""
        for index, part in enumerate(parts):
            row = ET.SubElement(table, "mtr")
            left = tex_to_element(lhs) if (lhs and index == 0) else ET.Element("mrow")
            row.append(_cell(left, "right"))
            right = tex_to_element(("= " if index == 0 else r"\quad ") + part)
            row.append(_cell(right, "left"))
            row.append(_cell(_note(line, lang) if index == 0 else ET.Element("mrow"), "left"))
    tex = "\\begin{aligned}\n" + " \\\\\n".join(chain_rows(lines, lang)) + "\n\\end{aligned}"
    return cap_output(to_string(math_element(table, tex, display="block")), "MathML")
