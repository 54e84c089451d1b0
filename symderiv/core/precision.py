"""The precision of one call: mpmath contexts lent per thread, never mpmath's global one.

Every number symderiv computes for a proof, a plot or a value of σ is computed in a context of
the call's own, so evaluations in several threads at different precisions do not disturb one
another (the global ``mpmath.mp`` is never changed).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator, TypeAlias

import mpmath

__all__ = ["Context", "working_context", "is_complex_number"]

Context: TypeAlias = mpmath.MPContext

_idle = threading.local()


@contextmanager
def working_context(digits: int) -> Iterator[Context]:
    """An mpmath context at ``digits`` decimal digits, for this thread and this call alone.

    Contexts are reused within a thread (making one costs about a millisecond), never shared
    between threads, and a nested call gets a context of its own.

    >>> with working_context(50) as ctx:
    ...     print(ctx.nstr(ctx.mpf(1) / 3, 45))
    0.333333333333333333333333333333333333333333333
    >>> mpmath.mp.dps  # the global context is left alone
    15
    """
    free: list[Context] = _idle.__dict__.setdefault("free", [])
    ctx = free.pop() if free else mpmath.MPContext()
    ctx.dps = digits
    try:
        yield ctx
    finally:
        free.append(ctx)


def is_complex_number(value: Any) -> bool:
    """True for an mpmath complex number of any context (``isinstance(v, mpmath.mpc)`` sees only the global one)."""
    return hasattr(value, "_mpc_")
