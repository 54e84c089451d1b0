"""Reading formulas from people: text (:mod:`.text`) and LaTeX (:mod:`.latex`) into one shared tree (:mod:`.tree`), never evaluated.

See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

from .latex import parse_latex
from .text import parse

__all__ = ["parse", "parse_latex"]
