"""Renderers: one module per output format, each with ``render(derivation, *, lang="en", **options)``.

========================  =====================================================
module                    what ``render`` returns
========================  =====================================================
:mod:`.latex`             an ``align*`` block, or a whole document (``standalone=True``)
:mod:`.mathml`            Presentation MathML, one ``<math display="block">``
:mod:`.html`              one self-contained HTML page (MathML, no script)
:mod:`.markdown`          Markdown with ``$$`` blocks (GitHub, MyST)
:mod:`.notebook`          a Jupyter notebook (nbformat 4) that rebuilds and checks the derivation
:mod:`.json_format`       JSON with expression trees; ``load`` reads it back
:mod:`.text`              Unicode text for a terminal
========================  =====================================================

Shared pieces: :mod:`.names` (safe names, escaping), :mod:`.tex` (the expression printer),
:mod:`.explain` (each step's justification in words, from :mod:`symderiv.locales`).
Renderers know no calculus; the engine knows no words.

:class:`~.names.RenderError` and :class:`~.names.UnsafeNameError` are loaded from :mod:`.names`
on first use, so that reading :data:`FORMATS` (``symderiv derive --help``) imports no SymPy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["RenderError", "UnsafeNameError", "FORMATS"]

if TYPE_CHECKING:  # what type checkers see: the same names, imported eagerly
    from .names import RenderError, UnsafeNameError


def __getattr__(name: str) -> Any:
    if name in ("RenderError", "UnsafeNameError"):
        value = getattr(importlib.import_module(f"{__name__}.names"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))

#: Format name → module name, for the command line and the document builder.
FORMATS: dict[str, str] = {
    "text": "text",
    "latex": "latex",
    "mathml": "mathml",
    "html": "html",
    "markdown": "markdown",
    "notebook": "notebook",
    "json": "json_format",
}
