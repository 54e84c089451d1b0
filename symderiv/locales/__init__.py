"""The languages: each rule's name and justification, the documents' words, and every other fact
about a language, in English, Japanese, Chinese and Korean.

One module per language (:mod:`.en`, :mod:`.ja`, :mod:`.zh`, :mod:`.ko`) holds ``RULES``, a
rule id → (name, template) table with an entry for every id in :data:`symderiv.RULES`,
``WORDS``, the other words of the documents, and ends with ``LOCALE``, a
:class:`~symderiv.locales.locale.Locale` that adds what else the renderers need to know (the
space between sentences, the word for "otherwise", the CJK fonts). Templates are plain text with
mathematics named in braces; :data:`FIELDS` lists the names a template may use. The engine holds
no words: it records the facts (``step.detail``) and these catalogs say them.

:data:`LOCALES` is the one list of languages; :data:`LANGUAGES` (their codes, in the order
documents list them) is derived from it, and every other module imports it from here.

To add a language (French, say):

1. copy :mod:`.en` to ``locales/fr.py`` and translate ``NAME``, ``RULES`` and ``WORDS``, keeping
   every template's fields; set ``LOCALE``'s ``code="fr"``, its ``sentence_gap`` and
   ``otherwise``, and ``tex_fonts``/``page_font`` if its script needs fonts of its own;
2. import it beside the others and add it to ``_CATALOGS`` below, the registry (its place there
   is its place in the documents); :data:`LOCALES` and :data:`LANGUAGES` follow;
3. run ``tests/test_locales.py`` (every rule named and justified, the same fields as English,
   nothing copied untranslated) and rebuild ``output/``, which gains the language's documents.

>>> rule_name("chain", "ja")
'合成関数の微分（連鎖律）'
>>> word("title", "ko")
'{expr}의 미분'
>>> locale("zh").sentence_gap, locale("ko").otherwise
('', '그 외')
>>> template_fields("Quotient rule {law}, with numerator {numerator}.")
('law', 'numerator')
>>> rule_name("chain", "fr")
Traceback (most recent call last):
...
ValueError: unknown language 'fr'; choose one of: en, ja, zh, ko
"""

from __future__ import annotations

import string
from types import ModuleType

from . import en, ja, ko, zh
from .locale import Locale

__all__ = ["LANGUAGES", "LOCALES", "Locale", "FIELDS", "locale", "catalog", "rule_name", "rule_template",
           "word", "template_fields", "language_name"]

#: The registry: one catalog module per language, in the order documents list them.
_CATALOGS: tuple[ModuleType, ...] = (en, ja, zh, ko)

#: Each language's :class:`Locale`, by code, in the registry's order.
LOCALES: dict[str, Locale] = {module.LOCALE.code: module.LOCALE for module in _CATALOGS}

#: The language codes, in the order documents list them. Import it from here; never write it out.
LANGUAGES: tuple[str, ...] = tuple(LOCALES)

#: What a rule template's fields hold. Each is mathematics, rendered in the reader's format.
FIELDS: dict[str, str] = {
    "law": "the rule's law as a formula, in the step's own letters (symderiv.locales.laws.instantiate)",
    "f": "the function being differentiated in this step",
    "variable": "the variable of this step's derivative",
    "wrt": "the variable of the whole derivation",
    "part": "the part of the expression the rule rewrote",
    "result": "what that part became",
    "constant": "the constant factor taken out (constant_multiple)",
    "constants": "the symbols held constant",
    "factors": "the factors of a product",
    "numerator": "the numerator (quotient)",
    "denominator": "the denominator (quotient, reciprocal)",
    "base": "the base of a power",
    "exponent": "the exponent of a power",
    "outer": "the outer function, written in its new variable (chain)",
    "inner": "the inner function (chain)",
    "introduces": "the substitutions this step makes, u = ...",
    "name": "the (first) name this step introduces, the u of u = g(x) (chain)",
    "values": "the substitutions put back (substitute)",
    "term": "the term added and subtracted (add_subtract)",
    "factor": "the factor numerator and denominator are multiplied by (scale_fraction)",
    "argument": "the argument of the sigmoid being recognized",
    "sigmoid": "the sigmoid being recognized, σ(argument)",
    # Words' fields (documents):
    "expr": "the function differentiated",
    "others": "the other variables, held constant",
    "equation": "the whole result, d/dx f = ...",
    "substitutions": "the substitutions in scope",
    "n": "a step number",
    "points": "how many random points checked a step",
    "digits": "at how many digits",
}


def locale(lang: str) -> Locale:
    """The :class:`Locale` of ``lang``, one of :data:`LANGUAGES`.

    >>> locale("ja").name
    '日本語'
    """
    try:
        return LOCALES[lang]
    except (KeyError, TypeError):
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}") from None


def catalog(lang: str) -> ModuleType:
    """The catalog module of ``lang`` (its ``RULES`` and ``WORDS``), one of :data:`LANGUAGES`."""
    code = locale(lang).code
    return next(module for module in _CATALOGS if module.LOCALE.code == code)


def language_name(lang: str) -> str:
    """The language's own name for itself: ``English``, ``日本語``, ``中文``, ``한국어``."""
    return locale(lang).name


def rule_name(rule: str, lang: str = "en") -> str:
    """The rule's name, as a textbook in ``lang`` heads it."""
    return locale(lang).rule_name(rule)


def rule_template(rule: str, lang: str = "en") -> str:
    """The rule's justification, a template with the fields of :data:`FIELDS`."""
    return locale(lang).rule_template(rule)


def word(key: str, lang: str = "en") -> str:
    """One of the documents' words (``title``, ``result``, ...); a template where it has fields."""
    return locale(lang).word(key)


def template_fields(template: str) -> tuple[str, ...]:
    """The field names a template uses, in order."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


# The fields of the computational graph's backward pass (symderiv.models.graph, rule backward_node).
FIELDS.update({
    "node": "the node the backward pass goes through, n = f(u₁, …), as an equation",
    "gradient": "the gradient of the output that reached that node",
    "local": "the node's local gradients ∂n/∂uᵢ, one equation per input",
})
