"""HTML: self-contained pages, MathML laid out by the browser, numbered justified steps."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from symderiv.locales import LANGUAGES

from render_cases import standard


class _Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_pages_are_self_contained(lang):
    page = standard()["sigmoid-chain"].to_html(lang=lang)
    parser = _Collect()
    parser.feed(page)
    names = [tag for tag, _ in parser.tags]
    assert "script" not in names and "link" not in names and "img" not in names
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page)
    assert f'<html lang="{lang}">' in page
    assert 'font-family: "STIX Two Math", "Latin Modern Math", math' in page


def test_steps_are_numbered_with_rule_and_justification():
    derivation = standard()["sigmoid-quotient"]
    page = derivation.to_html()
    for number in range(1, len(derivation.steps) + 1):
        assert f'id="step-{number}"' in page and f'<td class="no">({number})</td>' in page
    assert '<span class="rule">Quotient rule.</span>' in page
    assert "Add and subtract" in page


def test_the_equals_signs_have_a_column_of_their_own():
    derivation = standard()["tanh"]
    page = derivation.to_html()
    assert page.count('<td class="rel">') == len(derivation.steps)


def test_substitutions_are_shown_where_introduced():
    page = standard()["sigmoid-reciprocal"].to_html(lang="zh")
    first_step = page.split('id="step-1"')[1].split("</tbody>")[0]
    assert "令" in first_step and "<mi>t</mi>" in first_step


def test_every_math_element_carries_its_tex():
    page = standard()["softplus"].to_html(lang="ko")
    assert page.count("<math") == page.count('<annotation encoding="application/x-tex">')
