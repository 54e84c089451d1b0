"""Reading formulas from people: text (:mod:`.text`) and LaTeX (:mod:`.latex`) into one shared tree (:mod:`.tree`), never evaluated.

Both parsers cut their input into the tokens of :mod:`.tokens` and read them with its cursor,
under the limits of :mod:`.limits`; :mod:`.tree` builds the SymPy expression. The LaTeX parser
is in parts: :mod:`.latex_tokens`, :mod:`.latex_vocabulary`, :mod:`.latex_groups`,
:mod:`.latex_symbols` and :mod:`.latex_parser`. See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .latex import parse_latex
    from .text import parse

__all__ = ["parse", "parse_latex"]


def __getattr__(name: str) -> Any:
    """Each parser on first use: reading text does not load the LaTeX parser."""
    if name == "parse":
        from .text import parse

        return parse
    if name == "parse_latex":
        from .latex import parse_latex

        return parse_latex
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
