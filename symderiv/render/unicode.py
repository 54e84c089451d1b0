"""Formulas and numbers on one line of Unicode, as a terminal table or a diagram's label shows them.

:func:`unicode` writes y², −1, σ(x), ReLU(u), H(u) and a·b where SymPy's ``str`` writes
``y**2``, ``-1``, ``sigmoid(x)``, ``relu(u)``, ``Heaviside(u)`` and ``a*b``; :func:`number`
writes a float with a true minus sign; :func:`columns` lines rows of such cells up. The graph's
tables, its DOT labels and the ``symderiv graph`` command all print with these. Text for a
terminal is measured in its columns (:func:`display_width`: a CJK character takes two) and
wrapped to them (:func:`wrap`).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> unicode(-x**2 / 2), number(-0.5)
('−x²/2', '−0.5')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pretty.pretty_symbology import pretty_use_unicode
from sympy.printing.str import StrPrinter

__all__ = ["columns", "number", "unicode", "unicode_symbols", "display_width", "wrap", "WIDTH"]

#: The width of text for a terminal, in columns, unless the caller gives one.
WIDTH = 100

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


class _UnicodePrinter(StrPrinter):
    """One-line formulas for tables and pictures: y², −1, σ(x), ReLU(u), H(u), a·b."""

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if exponent.is_Integer and exponent > 1:
            return self.parenthesize(base, PRECEDENCE["Pow"], strict=True) + str(exponent).translate(_SUPERSCRIPTS)
        return super()._print_Pow(expr, rational)

    def _print_sigmoid(self, expr: sp.Expr) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_relu(self, expr: sp.Expr) -> str:
        return f"ReLU({self._print(expr.args[0])})"

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return f"H({self._print(expr.args[0])})"


def unicode(expr: sp.Expr) -> str:
    """``expr`` on one line as a terminal or a diagram shows it.

    >>> import sympy as sp
    >>> y, x = sp.symbols("y x")
    >>> unicode(-y**2), unicode(sp.exp(-x) * y), unicode(x**sp.Rational(1, 3))
    ('−y²', 'y·exp(−x)', 'x^(1/3)')
    """
    text = _UnicodePrinter().doprint(expr)
    return text.replace("**", "^").replace("*", "·").replace("-", "−")


@contextmanager
def unicode_symbols() -> Iterator[None]:
    """SymPy's pretty printer draws its symbols (ℯ, ⋅, ⎛, θ) in Unicode inside this block.

    Some of its pieces ask a global switch, not the printer's ``use_unicode``: SymPy sets it
    when ``sympy.printing.pretty`` is first imported, and only if ``sys.stdout`` could encode
    them then (inside the command, standard output is collected in a StringIO, which cannot
    say). ``sympy.pretty`` sets it for each call; so does this, and puts it back after.

    >>> from sympy.printing.pretty.pretty_symbology import pretty_symbol, pretty_use_unicode
    >>> saved = pretty_use_unicode(False)
    >>> with unicode_symbols():
    ...     pretty_symbol("theta")
    'θ'
    >>> pretty_symbol("theta"), pretty_use_unicode(saved)
    ('theta', False)
    """
    saved = pretty_use_unicode(True)
    try:
        yield
    finally:
        pretty_use_unicode(saved)


def number(value: float, digits: int = 10) -> str:
    """A value with ``digits`` significant digits and a true minus sign.

    >>> number(-0.19661193324148185), number(0.7310585786300049, 4)
    ('−0.1966119332', '0.7311')
    """
    return f"{value:.{digits}g}".replace("-", "−")


def columns(rows: Sequence[Sequence[str]]) -> str:
    """Rows of cells as text columns, each as wide as its widest cell, two spaces apart.

    >>> print(columns([["node", "op"], ["x", "input"]]))
    node  op
    x     input
    """
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell + " " * (w - display_width(cell)) for cell, w in zip(row, widths)).rstrip() for row in rows
    )


def display_width(text: str) -> int:
    """How many terminal columns ``text`` takes: two for a wide (CJK) character, none for a
    combining one.

    >>> display_width("σ(x)"), display_width("シグモイド"), display_width("e\\u0301")
    (4, 10, 1)
    """
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _breaks_anywhere(char: str) -> bool:
    """Whether a line may break before or after ``char`` without a space: CJK ideographs, kana
    and full-width punctuation. Hangul is written with spaces between words and breaks there."""
    if unicodedata.east_asian_width(char) not in "WF":
        return False
    return not (0xAC00 <= ord(char) <= 0xD7A3 or 0x1100 <= ord(char) <= 0x11FF or 0x3130 <= ord(char) <= 0x318F)


_NO_START = set("、。，．,.!?！？:;：；)]）」』】〕〉》%’”…ー")
_NO_END = set("([（「『【〔〈《‘“")


def _tokens(text: str) -> list[str]:
    """``text`` as the units a line may break between: words, single CJK characters, spaces.
    Closing punctuation sticks to what is before it, opening punctuation to what is after."""
    tokens: list[str] = []
    for match in re.finditer(r"\s+|[^\s]", text):
        piece = match.group(0)
        if piece.isspace():
            tokens.append(" ")
        elif tokens and tokens[-1] != " " and (
            piece in _NO_START or tokens[-1][-1] in _NO_END
            or not (_breaks_anywhere(piece) or _breaks_anywhere(tokens[-1][-1]))
        ):
            tokens[-1] += piece
        else:
            tokens.append(piece)
    return tokens


def wrap(text: str, width: int = WIDTH, *, indent: str = "", hanging: str | None = None) -> list[str]:
    """``text`` as lines of at most ``width`` columns (:func:`display_width`): broken at spaces,
    and between CJK characters, never before a closing mark (、。)); the first line starts with
    ``indent``, the others with ``hanging`` (``indent`` unless given). A word longer than a line
    is cut.

    >>> wrap("the derivative of the sigmoid", 12)
    ['the', 'derivative', 'of the', 'sigmoid']
    >>> wrap("シグモイド関数の導関数。", 8)
    ['シグモイ', 'ド関数の', '導関数。']
    """
    hanging = indent if hanging is None else hanging
    lines: list[str] = []
    current, pending_space = indent, False
    for token in _tokens(text):
        if token == " ":
            pending_space = current.strip() != ""
            continue
        gap = " " if pending_space and not (_breaks_anywhere(token[0]) and _breaks_anywhere(current[-1:] or "a")) else ""
        if display_width(current + gap + token) <= width:
            current += gap + token
        else:
            if current.strip():
                lines.append(current.rstrip())
            current = hanging
            while display_width(current + token) > width and len(token) > 1:
                cut = _fit(token, width - display_width(current))
                lines.append(current + token[:cut])
                token = token[cut:]
            current += token
        pending_space = False
    if current.strip():
        lines.append(current.rstrip())
    return lines or [indent.rstrip()]


def _fit(token: str, room: int) -> int:
    """How many characters of ``token`` fit in ``room`` columns (at least one)."""
    used = 0
    for index, char in enumerate(token):
        used += display_width(char)
        if used > room:
            return max(index, 1)
    return len(token)
