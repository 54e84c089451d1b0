"""symderiv's own exceptions, each with a message a student can act on.

>>> issubclass(ParseError, ValueError), issubclass(LimitError, SymderivError)
(True, True)
"""

from __future__ import annotations

import unicodedata

__all__ = [
    "SymderivError",
    "ParseError",
    "LimitError",
    "StepCheckError",
    "UnsupportedError",
    "ShapeError",
]


class SymderivError(Exception):
    """Base class of every error symderiv raises on purpose."""


class ParseError(SymderivError, ValueError):
    """A formula could not be read: the message names the problem and shows where.

    ``position`` is the 0-based index in ``text`` where the problem starts (or None).

    >>> err = ParseError("unknown function 'foo'", text="foo(x)", position=0)
    >>> print(err)
    unknown function 'foo' at position 0
      foo(x)
      ^
    """

    def __init__(self, message: str, *, text: str | None = None, position: int | None = None):
        self.message = message
        self.text = text
        self.position = position
        super().__init__(self._format())

    def _format(self) -> str:
        return _locate(self.message, self.text, self.position)


class LimitError(SymderivError):
    """Input or work exceeded a limit (size, depth, time or memory); nothing was produced.

    ``limit`` names the limit that was hit (``"length"``, ``"depth"``, ``"nodes"``, ``"digits"``,
    ``"number"``, ``"time"``, ``"memory"``, ...), or None. When the limit was hit while reading a
    formula, ``text`` and ``position`` show where, as in :class:`ParseError`.

    >>> print(LimitError("the number has more than 1000 digits", text="2**9999", position=1,
    ...                  limit="number"))
    the number has more than 1000 digits at position 1
      2**9999
       ^
    """

    def __init__(
        self,
        message: str,
        *,
        text: str | None = None,
        position: int | None = None,
        limit: str | None = None,
    ):
        self.message = message
        self.text = text
        self.position = position
        self.limit = limit
        super().__init__(_locate(message, text, position))


def _locate(message: str, text: str | None, position: int | None) -> str:
    """``message at position p``, then the input (a window of it when long) with a caret under p.

    Characters that would not print (NUL, tabs, newlines) are shown as ``?``; the caret is
    indented by display width, so it stays under its character after wide (CJK) characters.
    """
    if text is None or position is None:
        return message
    start, end, window = 0, len(text), 72
    if len(text) > window:
        start = max(0, min(position - window // 2, len(text) - window))
        end = start + window
    shown = "".join(ch if ch.isprintable() else "?" for ch in text[start:end])
    before = "".join(ch if ch.isprintable() else "?" for ch in text[start : min(position, end)])
    indent = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in before)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    caret = " " * (indent + len(prefix)) + "^"
    return f"{message} at position {position}\n  {prefix}{shown}{suffix}\n  {caret}"


class StepCheckError(SymderivError, AssertionError):
    """A step could not be proven. This is a bug in symderiv, never a result to show.

    ``step`` is the offending step (when known) and ``reason`` says what failed.
    """

    def __init__(self, reason: str, step: object | None = None):
        self.reason = reason
        self.step = step
        where = f" in step {step!r}" if step is not None else ""
        super().__init__(f"step could not be proven{where}: {reason}")


class UnsupportedError(SymderivError, TypeError):
    """The input is of a kind symderiv does not differentiate (a matrix, an equation, ...)."""


class ShapeError(SymderivError, ValueError):
    """Matrices whose shapes do not fit together: the message names both shapes and where."""
