"""Text: Unicode for terminals, the = signs lined up."""

from __future__ import annotations

import pytest

from symderiv.locales import LANGUAGES

from render_cases import standard


def test_equals_signs_share_a_column():
    text = standard()["sigmoid-chain"].to_text()
    chain = text.split("\n\n")[1]
    columns = {line.index(" = ") for line in chain.splitlines() if " = " in line}
    assert len(columns) == 1


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_step_is_explained_in_the_language(lang):
    derivation = standard()["tanh"]
    text = derivation.to_text(lang=lang)
    assert "(1)" in text
    assert {"en": "Derivative of the hyperbolic tangent", "ja": "tanh の微分", "zh": "tanh 的导数",
            "ko": "tanh의 미분"}[lang] in text


def test_no_control_characters_reach_the_terminal():
    text = standard()["relu"].to_text()
    assert not any(ord(c) < 32 and c not in "\n" for c in text)
    assert "H(x)" in text
