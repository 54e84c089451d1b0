"""Message catalogs: every rule has a name and a justification in every language."""

from __future__ import annotations

import re

import pytest
import sympy as sp

from symderiv.documents import DOCUMENTS, PLOTS
from symderiv.locales import FIELDS, LANGUAGES, LOCALES, catalog, locale, rule_name, template_fields, word
from symderiv.locales.laws import LAWS
from symderiv.render.explain import inline, justification, plain
from symderiv.render.mathml import tex_to_mathml
from symderiv.render.tex import to_tex
from symderiv.core.rule_ids import RULES

from render_cases import standard


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_rule_id_has_a_name_and_a_justification(lang):
    rules = catalog(lang).RULES
    missing = sorted(set(RULES) - set(rules))
    assert not missing, f"{lang} lacks messages for rule ids {missing}"
    assert not sorted(set(rules) - set(RULES)), f"{lang} has messages for unknown rule ids"
    for rule_id, (name, template) in rules.items():
        assert name.strip() and template.strip(), (lang, rule_id)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_templates_use_only_documented_fields(lang):
    for rule_id, (_, template) in catalog(lang).RULES.items():
        unknown = set(template_fields(template)) - set(FIELDS)
        assert not unknown, f"{lang}/{rule_id} uses unknown fields {unknown}"


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_each_language_uses_the_same_fields_as_english(lang):
    for rule_id in RULES:
        assert set(template_fields(catalog(lang).RULES[rule_id][1])) == set(
            template_fields(catalog("en").RULES[rule_id][1])
        ), rule_id
    assert set(catalog(lang).WORDS) == set(catalog("en").WORDS)
    for key, text in catalog("en").WORDS.items():
        if "$" not in text:
            assert set(template_fields(catalog(lang).WORDS[key])) == set(template_fields(text)), key


@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_messages_are_translated_not_copied(lang):
    copied = [r for r in RULES if catalog(lang).RULES[r][1] == catalog("en").RULES[r][1]]
    assert not copied


def test_the_field_uses_each_languages_textbook_terms():
    assert rule_name("chain", "ja") == "合成関数の微分（連鎖律）"
    assert rule_name("chain", "zh") == "链式法则"
    assert rule_name("chain", "ko") == "연쇄 법칙"
    assert rule_name("quotient", "ja") == "商の微分公式"
    assert rule_name("product", "zh") == "乘积法则"
    assert rule_name("quotient", "ko") == "몫의 미분법"


def test_every_rule_has_a_law_that_converts_to_mathml():
    assert set(LAWS) == set(RULES)
    for rule_id, law in LAWS.items():
        assert "<math" in tex_to_mathml(law), rule_id


@pytest.mark.parametrize("lang", LANGUAGES)
def test_document_words_exist_and_their_formulas_convert(lang):
    for document in DOCUMENTS:
        for key in (f"doc_{document.key}", f"doc_{document.key}_intro"):
            for piece in inline(word(key, lang)):
                if hasattr(piece, "value"):
                    tex_to_mathml(piece.value.source)
    for key in PLOTS.values():
        inline(word(key, lang))


def _steps(derivation):
    """Every step with its chain's variable, the sub-derivations' steps included."""
    for step in derivation.steps:
        yield step, derivation.wrt
        for sub in step.substeps:
            yield from _steps(sub)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_standard_steps_use_their_own_message_not_the_fallback(lang):
    for name, derivation in standard().items():
        for step, wrt in _steps(derivation):
            sentence = plain(justification(step, lang, wrt=wrt))
            template = catalog(lang).RULES[step.rule][1]
            first_words = template.split("{")[0].strip()
            assert first_words in sentence or not first_words, (name, step.rule, sentence)


def test_only_korean_chooses_particles_and_only_its_catalog_writes_both_forms():
    assert [code for code in LANGUAGES if locale(code).particles is not None] == ["ko"]
    for code in ("en", "ja", "zh"):
        texts = [template for _, template in catalog(code).RULES.values()] + list(catalog(code).WORDS.values())
        assert not any(marker in text for text in texts for marker in ("은(는)", "을(를)", "이(가)", "(으)로"))


def test_substitutions_are_announced_where_they_are_made():
    chain = standard()["sigmoid-chain"]
    text = plain(justification(chain.steps[0], "en", wrt=chain.wrt))
    assert text.startswith("Let [((u, exp(v) + 1), (v, -x))]") or text.startswith("Let ")
    assert "Let" not in plain(justification(chain.steps[1], "en", wrt=chain.wrt, previous=chain.steps[0]))


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        word("title", "fr")


def test_the_language_list_is_the_locale_registry():
    assert LANGUAGES == tuple(LOCALES) == ("en", "ja", "zh", "ko")
    for code, language in LOCALES.items():
        assert language.code == code and locale(code) is language
        assert language.rules is catalog(code).RULES and language.words is catalog(code).WORDS


def test_each_locale_says_how_its_sentences_are_joined():
    assert (locale("en").sentence_gap, locale("ko").sentence_gap) == (" ", " ")
    assert (locale("ja").sentence_gap, locale("zh").sentence_gap) == ("", "")
    step = standard()["sigmoid-chain"].steps[0]
    assert "。 " not in plain(justification(step, "ja")) and ". " in plain(justification(step, "en"))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_piecewise_function_says_otherwise_in_the_readers_language(lang):
    x = sp.Symbol("x")
    assert locale(lang).otherwise in to_tex(sp.Piecewise((x, x > 0), (0, True)), lang)


@pytest.mark.parametrize("lang", ["ja", "zh", "ko"])
def test_a_cjk_document_asks_for_its_locales_fonts(lang):
    square = standard()["relu"]
    document = square.to_latex(lang=lang, standalone=True)
    assert r"\RequireXeTeX" in document and all(font in document for font in locale(lang).tex_fonts)
    assert locale(lang).page_font in square.to_html(lang=lang)


def test_an_english_document_needs_no_xetex():
    assert not locale("en").needs_xetex
    assert r"\RequireXeTeX" not in standard()["relu"].to_latex(lang="en", standalone=True)


def test_english_words_are_ascii_so_that_pdflatex_sets_them():
    # pdflatex, which English documents may be compiled with, stops at a Greek letter in text
    # ("Unicode character δ (U+03B4) not set up"); mathematics goes in fields or $...$.
    words = [text for rule in catalog("en").RULES.values() for text in rule]
    words += [re.sub(r"\$[^$]*\$", "", text) for text in catalog("en").WORDS.values()]
    assert [text for text in words if not text.isascii()] == []
