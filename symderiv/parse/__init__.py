"""Reading formulas from people: text (:mod:`.text`) and LaTeX (:mod:`.latex`) into one shared tree (:mod:`.tree`), never evaluated.

Both parsers cut their input into the tokens of :mod:`.tokens` and read them with its cursor,
under the limits of :mod:`.limits`; :mod:`.tree` builds the SymPy expression. The LaTeX parser
is in parts: :mod:`.latex_tokens`, :mod:`.latex_vocabulary`, :mod:`.latex_groups`,
:mod:`.latex_symbols` and :mod:`.latex_parser`. See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from .latex import parse_latex
from .text import parse

__all__ = ["parse", "parse_latex"]
