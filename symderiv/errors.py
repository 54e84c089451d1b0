"""symderiv's own exceptions, each with a message a student can act on.

>>> issubclass(ParseError, ValueError), issubclass(LimitError, SymderivError)
(True, True)
"""

from __future__ import annotations

__all__ = [
    "SymderivError",
    "ParseError",
    "LimitError",
    "StepCheckError",
    "UnsupportedError",
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
        if self.text is None or self.position is None:
            return self.message
        line = self.text.replace("\n", " ").replace("\t", " ")
        caret = " " * min(self.position, len(line)) + "^"
        return f"{self.message} at position {self.position}\n  {line}\n  {caret}"


class LimitError(SymderivError):
    """Input or work exceeded a limit (size, depth, time or memory); nothing was produced."""


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
