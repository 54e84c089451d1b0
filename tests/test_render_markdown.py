"""Markdown: $$ blocks that GitHub and MyST render, justifications as a numbered list, the
sub-derivations indented under the step they justify (CommonMark: a list item's content starts
at the column after its marker, so ``2. `` indents by 3 and ``- `` by 2)."""

from __future__ import annotations

import re

import pytest

from symderiv.locales import LANGUAGES, word

from render_cases import standard
from test_render_outline import focused, nested


def _blocks(text: str) -> list[tuple[int, str]]:
    """Every $$ block: its indentation and its content, indentation taken off."""
    found = []
    for match in re.finditer(r"^( *)\$\$\n(.*?)\n\1\$\$$", text, flags=re.S | re.M):
        pad = match.group(1)
        found.append((len(pad), "\n".join(line[len(pad):] for line in match.group(2).split("\n"))))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_display_math_is_in_balanced_dollar_blocks(lang):
    text = standard()["sigmoid-quotient"].to_markdown(lang=lang)
    top = [content for pad, content in _blocks(text) if pad == 0]
    assert top[0].startswith("\\boxed{\\begin{aligned}") and top[0].endswith("\\end{aligned}}")
    assert top[-1].startswith("\\begin{aligned}") and top[-1].endswith("\\end{aligned}")
    assert text.count("$$") == 2 * len(_blocks(text))
    outside = re.sub(r"^( *)\$\$\n.*?\n\1\$\$$", "", text, flags=re.S | re.M)
    unescaped = re.findall(r"(?<!\\)\$", outside)
    assert len(unescaped) % 2 == 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_result_comes_first_then_the_names_then_the_chain(lang):
    text = nested().to_markdown(lang=lang)
    headings = [line for line in text.split("\n") if line.startswith("## ")]
    assert headings == [f"## {word(key, lang)}" for key in ("result", "steps", "notes")]
    where = word("where", lang).split("{")[0].strip()
    result, steps = text.index(headings[0]), text.index(headings[1])
    assert result < text.index(f"\n{where}\n") < steps
    names = [content for pad, content in _blocks(text) if pad == 0][1]
    rows = names.split("\n")[1:-1]
    assert [row.split("&=")[0].strip() for row in rows] == ["u", "v"]  # u = sin x², then v = x²


def test_inline_math_has_no_space_inside_the_dollars():
    text = standard()["sigmoid-chain"].to_markdown()
    for formula in re.findall(r"(?<![\\$])\$([^$\n]+)\$(?!\$)", text):
        assert formula == formula.strip(), formula


def test_one_numbered_item_per_step():
    derivation = standard()["cross-entropy-z"]
    text = derivation.to_markdown(lang="ja")
    items = re.findall(r"^(\d+)\. \*\*", text, flags=re.M)
    assert items == [str(n) for n in range(1, len(derivation.steps) + 1)]


def test_sub_derivations_are_indented_under_the_step_they_justify():
    text = nested().to_markdown()
    lines = text.split("\n")
    start = lines.index(next(line for line in lines if line.startswith("2. **")))
    end = lines.index(next(line for line in lines if line.startswith("3. **")))
    inside = [line for line in lines[start + 1:end] if line]
    assert inside and all(line.startswith("   ") for line in inside)  # the content of item 2
    by_label = {re.search(r"\\text\{\((\w+(?:\.\w+)*)\)", content).group(1): pad
                for pad, content in _blocks(text) if pad}
    # 2a and 2b under "2. " (3 spaces); 2b.2a and 2b.2b under "- " inside 2b (3 + 2).
    assert by_label == {"2a.1": 3, "2b.1": 3, "2b.2a.1": 5, "2b.2b.1": 5}
    labels = re.findall(r"^ *- \*\*\(([\w.]+)\)", text, flags=re.M)
    assert labels == ["2a.1", "2b.1", "2b.2", "2b.2a.1", "2b.2b.1", "2b.3"]


def test_no_raw_html_even_for_sub_derivations():
    assert not re.search(r"<[A-Za-z!/?]", nested().to_markdown(lang="zh"))


def test_the_focus_is_underlined_in_tex_that_github_knows():
    text = focused().to_markdown()
    assert "\\underline{2 x}" in text and "\\underline{e^{x}}" in text
    assert "\\symfocus" not in text
