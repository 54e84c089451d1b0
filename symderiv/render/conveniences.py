"""``d.to_latex()`` and the other ``to_*`` methods of a derivation: conveniences that call the renderers.

:class:`~symderiv.Derivation` is data (:mod:`symderiv.core.derivation`); it inherits these
methods from :class:`DocumentMethods`, whose every method imports its renderer when it is
called. So the data imports no renderer, and no renderer imports the class: each receives the
derivation it prints (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from typing import Any, TypeVar

__all__ = ["DocumentMethods"]

_D = TypeVar("_D", bound="DocumentMethods")


class DocumentMethods:
    """The output formats of a derivation, each a method: ``to_latex()``, ``to_html()``, ..."""

    def to_latex(self, **options: Any) -> str:
        """The steps as LaTeX: an ``align*`` block, or a whole document with ``standalone=True``."""
        from . import latex

        return latex.render(self, **options)

    def to_mathml(self, **options: Any) -> str:
        """The steps as Presentation MathML."""
        from . import mathml

        return mathml.render(self, **options)

    def to_html(self, **options: Any) -> str:
        """The steps as one self-contained HTML page (MathML, no script)."""
        from . import html

        return html.render(self, **options)

    def to_markdown(self, **options: Any) -> str:
        """The steps as Markdown with ``$$`` math blocks."""
        from . import markdown

        return markdown.render(self, **options)

    def to_json(self, **options: Any) -> str:
        """The steps as JSON (expression trees, never ``srepr``); read back with ``from_json``."""
        from . import json_format

        return json_format.render(self, **options)

    @classmethod
    def from_json(cls: type[_D], text: str, *, limits: Any = None) -> _D:
        """Read a derivation written by ``to_json``, without evaluating any text.

        ``limits`` (:class:`symderiv.render.json_reader.JsonLimits`) bounds what is read;
        past one, :class:`symderiv.LimitError`; a malformed document, :class:`symderiv.ParseError`.
        """
        from . import json_reader

        return json_reader.load(text, cls, limits=limits or json_reader.DEFAULT_JSON_LIMITS)

    def to_notebook(self, **options: Any) -> str:
        """The steps as a Jupyter notebook (nbformat 4) that rebuilds and checks the derivation."""
        from . import notebook

        return notebook.render(self, **options)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """How Jupyter shows a derivation: HTML (the chain in MathML, which browsers lay out),
        LaTeX, Markdown and plain text."""
        from . import latex, markdown, mathml, text

        return {
            "text/html": f'<div class="symderiv">{mathml.render(self)}</div>',
            "text/plain": text.render(self),
            "text/latex": "$$\\begin{aligned}\n"
            + " \\\\\n".join(latex.rows(self))
            + "\n\\end{aligned}$$",
            "text/markdown": markdown.render(self),
        }

    def to_text(self, **options: Any) -> str:
        """The steps as Unicode text for a terminal."""
        from . import text

        return text.render(self, **options)


    def __str__(self) -> str:
        from . import text

        return text.render(self)
