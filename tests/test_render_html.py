"""HTML: self-contained pages, MathML laid out by the browser, numbered justified steps.

The pages are read back with the standard library's ``html.parser`` into a small tree, so that
each test asserts the structure a reader (or a screen reader) meets, not the text of the markup.
How the pages lay out is measured in a real browser in ``tests/test_browser.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from symderiv.locales import LANGUAGES, rule_name, word

from render_cases import standard
from test_render_outline import focused, long_formula, nested, sine_of_square

_VOID = {"meta", "br", "hr", "img", "link", "input"}


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list["Node"] = field(default_factory=list)
    text: str = ""

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def all(self, tag: str | None = None, cls: str | None = None) -> list["Node"]:
        """Every element below this one, in document order, with that tag and class."""
        found = []
        for child in self.children:
            if (tag is None or child.tag == tag) and (cls is None or cls in child.classes):
                found.append(child)
            found.extend(child.all(tag, cls))
        return found

    def kids(self, tag: str | None = None, cls: str | None = None) -> list["Node"]:
        return [c for c in self.children if (tag is None or c.tag == tag) and (cls is None or cls in c.classes)]

    def words(self) -> str:
        """The text a reader sees: everything but the TeX annotations."""
        return self.text + "".join(c.words() for c in self.children if c.tag != "annotation")


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.open[-1].children.append(node)
        if tag not in _VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag):
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data):
        self.open[-1].text += data


def parse(page: str) -> Node:
    tree = _Tree()
    tree.feed(page)
    tree.close()
    assert [node.tag for node in tree.open] == ["#document"], "an element was left open"
    return tree.root


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_are_self_contained(lang):
    page = standard()["sigmoid-chain"].to_html(lang=lang)
    names = {node.tag for node in parse(page).all()}
    assert not names & {"script", "link", "img", "iframe", "object"}
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)
    assert not re.search(r"url\(", page), "the stylesheet fetches nothing"
    assert f'<html lang="{lang}">' in page
    assert 'font-family: "STIX Two Math", "Latin Modern Math", math' in page


def test_the_result_comes_first_in_a_box_then_the_definitions_then_the_chain():
    main = parse(nested().to_html()).all("main")[0]
    order = [n for n in main.all() if n.tag in ("section", "ol") or n.classes & {"box", "definitions", "statement"}]
    kinds = [next(iter(n.classes & {"statement", "result", "box", "definitions", "chain"}), n.tag) for n in order]
    assert kinds[:5] == ["statement", "result", "box", "definitions", "chain"]
    box = main.all(cls="box")[0]
    alts = [m.attrs["alttext"] for m in box.all("math")]
    # d/dx e^(sin x²) = 2x·cos(x²)·e^u in the names, then in x alone: both in the box, named first.
    rhs = [a for a in alts if a != "=" and "d/dx" not in a]
    assert len(rhs) == 2 and "u" in rhs[0] and "u" not in rhs[1] and "sin" in rhs[1]
    definitions = main.all(cls="definitions")[0]
    assert [m.attrs["alttext"] for m in definitions.all("math")] == ["u", "=", "sin(x²)", "v", "=", "x²"]


def test_steps_are_numbered_with_rule_and_justification():
    derivation = standard()["sigmoid-quotient"]
    chain = parse(derivation.to_html()).all("main")[0].kids("ol")[0]
    steps = chain.kids("li", "step")
    assert [s.attrs["id"] for s in steps] == [f"step-{n}" for n in range(1, len(derivation.steps) + 1)]
    assert [s.kids(cls="no")[0].text for s in steps] == [f"({n})" for n in range(1, len(derivation.steps) + 1)]
    rules = [s.kids("p", "why")[0].all(cls="rule")[0].text for s in steps]
    assert rules == [rule_name(step.rule, "en") + "." for step in derivation.steps]


def test_each_line_has_one_equals_sign_in_a_column_of_its_own():
    derivation = standard()["tanh"]
    steps = parse(derivation.to_html()).all("ol", "chain")[0].kids("li", "step")
    assert [len(s.kids("span", "rel")) for s in steps] == [1] * len(derivation.steps)
    assert all(s.kids("span", "rel")[0].all("math")[0].attrs["alttext"] == "=" for s in steps)


def test_substitutions_are_shown_where_introduced():
    step = parse(sine_of_square().to_html(lang="zh")).all("li", "step")[0]
    why = step.kids("p", "why")[0]
    assert "u = x²" in [m.attrs["alttext"] for m in why.all("math")]


def test_sub_derivations_are_closed_details_that_say_what_they_derive():
    derivation = nested()
    chain = parse(derivation.to_html(lang="ja")).all("ol", "chain")[0]
    steps = chain.kids("li", "step")
    assert [len(s.kids("details")) for s in steps] == [len(step.substeps) for step in derivation.steps]
    first, second = steps[1].kids("details")
    assert "open" not in first.attrs and "open" not in second.attrs  # open on screen only when asked
    # The summary: the statement in words ("… を u で微分する。") and the sub-derivation's result.
    summary = first.kids("summary")[0]
    verb = word("statement", "ja").split("}")[-1].strip("。")  # "で微分する"
    assert verb in summary.words()
    assert any(re.sub(r"[ ()]", "", m.attrs["alttext"]) == "d/due^u=e^u" for m in summary.all("math"))
    # The second sub-derivation (sin x²) has two of its own, one level down.
    inner = second.kids("ol", "chain")[0].kids("li", "step")
    assert [len(s.kids("details")) for s in inner] == [0, 2, 0]


def test_every_line_of_every_sub_derivation_is_numbered_by_its_label():
    page = parse(nested().to_html())
    ids = [s.attrs["id"] for s in page.all("li", "step")]
    assert ids == ["step-1", "step-2", "step-2a.1", "step-2b.1", "step-2b.2", "step-2b.2a.1", "step-2b.2b.1",
                   "step-2b.3", "step-3"]
    assert len(ids) == len(set(ids))


def test_every_formula_has_words_for_the_maths_and_its_tex_to_copy():
    page = parse(nested().to_html(lang="ko"))
    maths = page.all("math")
    assert len(maths) > 30
    for math in maths:
        alt = math.attrs.get("alttext", "")
        assert alt.strip() and "\\" not in alt and "{" not in alt, alt
        semantics = math.kids("semantics")
        assert len(semantics) == 1
        annotations = semantics[0].kids("annotation")
        assert [a.attrs["encoding"] for a in annotations] == ["application/x-tex"] and annotations[0].text.strip()


def test_alt_text_reads_the_formula():
    page = parse(sine_of_square().to_html())
    alts = [m.attrs["alttext"] for m in page.all("li", "step")[0].all("math")]
    assert alts[0] == "d/dx sin(x²)"


def test_the_stylesheet_scrolls_long_formulas_in_their_own_boxes_prints_and_has_dark_colours():
    style = parse(standard()["relu"].to_html()).all("style")[0].text
    scroll = re.search(r"([^{}]*)\{\s*overflow-x: auto;", style)
    assert scroll and ".chain .rhs" in scroll.group(1) and ".formula" in scroll.group(1)
    assert "minmax(0, 1fr)" in style
    assert re.search(r"@media print \{.*details::details-content \{ content-visibility: visible;", style, re.S)
    assert re.search(r"@media \(prefers-color-scheme: dark\) \{\s*:root \{ --bg: #1", style)
    focus = re.search(r"\.focus \{([^}]*)\}", style).group(1)
    assert "background" in focus and "border-bottom" in focus  # a tint, and a line for grayscale


def test_a_wide_formula_in_a_sentence_sits_in_a_box_of_its_own():
    page = parse(long_formula().to_html())
    statement = page.all("p", "statement")[0]
    assert [len(s.all("math")) for s in statement.kids("span", "wide")] == [1]


def test_the_part_each_step_made_is_marked_as_the_focus():
    """x² → 2x, then eˣ → eˣ (focused()): each line's new part is a <mrow class="focus">."""
    steps = parse(focused().to_html()).all("li", "step")
    marked = []
    for step in steps:
        rhs = step.kids("span", "rhs")[0]
        marked.append([m.words().replace("\u2062", "") for m in rhs.all("mrow", "focus")])
    assert marked == [[], ["2x"], ["ex"]]
    assert "\\symfocus{2 x}" in steps[1].kids("span", "rhs")[0].all("annotation")[0].text
    assert steps[1].kids("span", "rhs")[0].all("math")[0].attrs["alttext"] == "2 x + d/dx eˣ"
