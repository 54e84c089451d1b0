"""Markdown: $$ blocks that GitHub and MyST render, justifications as a numbered list."""

from __future__ import annotations

import re

import pytest

from symderiv.locales import LANGUAGES

from render_cases import standard


@pytest.mark.parametrize("lang", LANGUAGES)
def test_display_math_is_in_balanced_dollar_blocks(lang):
    text = standard()["sigmoid-quotient"].to_markdown(lang=lang)
    blocks = re.findall(r"^\$\$\n(.*?)\n\$\$$", text, flags=re.S | re.M)
    assert len(blocks) == 2
    assert blocks[0].startswith("\\begin{aligned}") and blocks[0].endswith("\\end{aligned}")
    outside = re.sub(r"^\$\$\n.*?\n\$\$$", "", text, flags=re.S | re.M)
    unescaped = re.findall(r"(?<!\\)\$", outside)
    assert len(unescaped) % 2 == 0


def test_inline_math_has_no_space_inside_the_dollars():
    text = standard()["sigmoid-chain"].to_markdown()
    for formula in re.findall(r"(?<![\\$])\$([^$\n]+)\$(?!\$)", text):
        assert formula == formula.strip(), formula


def test_one_numbered_item_per_step():
    derivation = standard()["cross-entropy-z"]
    text = derivation.to_markdown(lang="ja")
    items = re.findall(r"^(\d+)\. \*\*", text, flags=re.M)
    assert items == [str(n) for n in range(1, len(derivation.steps) + 1)]
