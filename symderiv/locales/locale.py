"""What symderiv knows about one language, in one object: :class:`Locale`.

Each language module (:mod:`.en`, :mod:`.ja`, ...) ends with ``LOCALE = Locale(...)``; the
registry in :mod:`symderiv.locales` lists them. Nothing outside ``locales/`` holds a fact about
a language: the renderers ask the locale for its words, its fonts, the space between its
sentences and its word for "otherwise".

>>> english = Locale(code="en", name="English", rules={"sum": ("Sum rule", "Term by term.")},
...                  words={"title": "The derivative of {expr}"}, sentence_gap=" ", otherwise="otherwise")
>>> english.rule_name("sum"), english.word("title"), english.needs_xetex
('Sum rule', 'The derivative of {expr}', False)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

__all__ = ["Locale"]


@dataclass(frozen=True)
class Locale:
    """Every fact about one language that a document needs.

    ``code``
        the language tag (``"ja"``): a document's ``lang``, HTML's ``lang=`` and XeTeX's line
        breaking locale.
    ``name``
        the language's own name for itself (``"日本語"``), for links between translations.
    ``rules``
        rule id → (the rule's name, its justification template); templates name their
        mathematics in braces (see :data:`symderiv.locales.FIELDS`).
    ``words``
        the documents' other words (``title``, ``notes``, ``result``, ...), some of them templates.
    ``sentence_gap``
        what goes between two sentences of a justification: a space in English and Korean,
        nothing in Japanese and Chinese, whose sentences end with a full-width stop.
    ``otherwise``
        the word a piecewise function writes beside its last case.
    ``tex_fonts``
        the fonts a LaTeX document asks XeTeX for, first found first used; empty for a
        language that any TeX engine sets in its default fonts.
    ``page_font``
        the font an HTML page names for CJK characters after its Latin fonts (an English page
        shows the other languages' names in its navigation, so it names one too).
    ``particles``
        for a language whose particles change with the word they follow (Korean 은/는), what
        picks the form: ``particles(words, preceding)`` returns ``words`` with the particle it
        starts with chosen for the preceding piece; ``preceding()`` gives that piece's text
        and whether it is TeX. None where words never change (see :mod:`symderiv.locales.korean`).
    """

    code: str
    name: str
    rules: Mapping[str, tuple[str, str]] = field(repr=False)
    words: Mapping[str, str] = field(repr=False)
    sentence_gap: str
    otherwise: str
    tex_fonts: tuple[str, ...] = ()
    page_font: str = "Noto Serif CJK JP"
    particles: Callable[[str, Callable[[], tuple[str, bool]]], str] | None = field(default=None, repr=False)

    def rule_name(self, rule: str) -> str:
        """The rule's name, as a textbook in this language heads it."""
        return self.rules[rule][0]

    def rule_template(self, rule: str) -> str:
        """The rule's justification: a template with the fields of :data:`symderiv.locales.FIELDS`."""
        return self.rules[rule][1]

    def word(self, key: str) -> str:
        """One of the documents' words; a template where it has fields."""
        return self.words[key]

    @property
    def needs_xetex(self) -> bool:
        """Whether a LaTeX document in this language needs XeTeX (it asks for fonts by name)."""
        return bool(self.tex_fonts)
