"""Message catalogs: each rule's name and justification, in English, Japanese, Chinese and Korean.

One module per language (:mod:`.en`, :mod:`.ja`, :mod:`.zh`, :mod:`.ko`) holds ``RULES``, a
rule id → (name, template) table with an entry for every id in :data:`symderiv.RULES`, and
``WORDS``, the other words of the documents. Templates are plain text with mathematics named in
braces; :data:`FIELDS` lists the names a template may use. The engine holds no words: it records
the facts (``step.detail``) and these catalogs say them.

>>> rule_name("chain", "ja")
'合成関数の微分（連鎖律）'
>>> word("title", "ko")
'{expr}의 미분'
>>> template_fields("Quotient rule {law}, with numerator {numerator}.")
('law', 'numerator')
>>> rule_name("chain", "fr")
Traceback (most recent call last):
...
ValueError: unknown language 'fr'; choose one of: en, ja, zh, ko
"""

from __future__ import annotations

import string
from importlib import import_module
from types import ModuleType

__all__ = ["LANGUAGES", "FIELDS", "catalog", "rule_name", "rule_template", "word", "template_fields",
           "language_name"]

#: The languages, in the order documents list them.
LANGUAGES: tuple[str, ...] = ("en", "ja", "zh", "ko")

#: What a rule template's fields hold. Each is mathematics, rendered in the reader's format.
FIELDS: dict[str, str] = {
    "law": "the rule's law as a formula (symderiv.locales.laws)",
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


def catalog(lang: str) -> ModuleType:
    """The catalog module of ``lang``, one of :data:`LANGUAGES`."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of: {', '.join(LANGUAGES)}")
    return import_module(f"{__name__}.{lang}")


def language_name(lang: str) -> str:
    """The language's own name for itself: ``English``, ``日本語``, ``中文``, ``한국어``."""
    return str(catalog(lang).NAME)


def rule_name(rule: str, lang: str = "en") -> str:
    """The rule's name, as a textbook in ``lang`` heads it."""
    return str(catalog(lang).RULES[rule][0])


def rule_template(rule: str, lang: str = "en") -> str:
    """The rule's justification, a template with the fields of :data:`FIELDS`."""
    return str(catalog(lang).RULES[rule][1])


def word(key: str, lang: str = "en") -> str:
    """One of the documents' words (``title``, ``result``, ...); a template where it has fields."""
    return str(catalog(lang).WORDS[key])


def template_fields(template: str) -> tuple[str, ...]:
    """The field names a template uses, in order."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name is not None)


# The fields of the computational graph's backward pass (symderiv.models.graph, rule backward_node).
FIELDS.update({
    "node": "the node the backward pass goes through, n = f(u₁, …), as an equation",
    "gradient": "the gradient of the output that reached that node",
    "local": "the node's local gradients ∂n/∂uᵢ, one equation per input",
})
