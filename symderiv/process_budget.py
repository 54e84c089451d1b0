"""A budget in this process, for a program that is a process of its own (the ``symderiv`` command).

:func:`symderiv.limits.run_with_budget` runs work in a worker process, which a library call
needs: its caller may be anything. The ``symderiv`` command is its own process, and forking a
worker there only costs time (the fork, the result pickled back, a second fork for the target
forms). :func:`budget_here` sets the same limits on this process instead: a wall clock (an
interval timer), a memory cap (``RLIMIT_AS``) and, as a last resort, a processor-time cap
(``RLIMIT_CPU``), with the same :class:`~symderiv.LimitError` messages. :func:`run_within` is
the one call for code that may run either way: a nested budget here when the caller runs under
:func:`budget_here`, a worker otherwise.
"""

from __future__ import annotations

import contextlib
import math
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import LimitError
from .limits import address_space_bytes, check_timeout, lower_limit, memory_error, resource, run_with_budget

__all__ = ["budget_here", "can_budget_here", "run_within"]

T = TypeVar("T")


class _Overrun(BaseException):
    """Raised by the wall-clock timer of :func:`budget_here`. A BaseException, as
    KeyboardInterrupt is, so that no ``except Exception`` in the work swallows it; the budget
    it belongs to turns it into a :class:`~symderiv.LimitError`."""

    def __init__(self, budget: "_Budget"):
        super().__init__("time budget")
        self.budget = budget


@dataclass(eq=False)
class _Budget:
    deadline: float
    timeout: float


_open_budgets: list[_Budget] = []  # budget_here's open in the main thread, outermost first


def can_budget_here() -> bool:
    """True where :func:`budget_here` works: a POSIX interval timer, in the main thread."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def budget_here(timeout: float, memory_mb: int | None = None) -> Iterator[None]:
    """Run the body in this process within ``timeout`` seconds of wall clock and (outermost
    only) ``memory_mb`` megabytes beyond what the process holds now; past either, LimitError
    with the messages of :func:`run_with_budget`.

    For a program that is a process of its own, such as the ``symderiv`` command: no worker is
    forked and nothing is pickled. The wall clock is an interval timer (SIGALRM) whose handler
    raises between two Python operations; the memory cap lowers ``RLIMIT_AS``; a processor-time
    cap (``RLIMIT_CPU``, a few seconds past the wall clock) ends the process should a single
    C-level operation never return. Every limit is put back afterwards. Budgets nest: an
    inner one (:func:`run_within`) ends at its own deadline or the outer one, whichever comes
    first, and an outer deadline is never caught by an inner budget. Main thread only
    (:func:`can_budget_here`).

    >>> import time
    >>> with budget_here(0.2):
    ...     time.sleep(5)
    Traceback (most recent call last):
    ...
    symderiv.errors.LimitError: the work took longer than its time budget of 0.2 s and was stopped
    """
    check_timeout(timeout)
    if not can_budget_here():
        raise RuntimeError("budget_here needs a POSIX interval timer and the main thread")
    budget = _Budget(time.monotonic() + timeout, timeout)
    outermost = not _open_budgets
    saved: list[tuple[int, tuple[int, int]]] = []
    previous = None
    if outermost:
        saved = _cap_here(timeout, memory_mb)
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    _open_budgets.append(budget)
    _arm()
    try:
        yield
    except _Overrun as overrun:
        if overrun.budget is not budget:
            raise
        raise LimitError(
            f"the work took longer than its time budget of {timeout:g} s and was stopped", limit="time"
        ) from None
    except MemoryError:
        raise memory_error(memory_mb) from None
    finally:
        _open_budgets.remove(budget)
        if outermost:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            for which, limit in saved:
                with contextlib.suppress(ValueError, OSError):
                    resource.setrlimit(which, limit)
        else:
            _arm()


def run_within(func: Callable[..., T], /, *args: Any, timeout: float = 10.0, memory_mb: int | None = 1024,
               **kwargs: Any) -> T:
    """``func(*args, **kwargs)`` under a budget: in this process, as a nested
    :func:`budget_here`, when the caller already runs under one (the ``symderiv`` command);
    else in a worker (:func:`run_with_budget`). Past the budget, LimitError either way.

    >>> run_within(sum, [1, 2, 3], timeout=30)
    6
    """
    if _open_budgets and can_budget_here():
        with budget_here(timeout, memory_mb):
            return func(*args, **kwargs)
    return run_with_budget(func, *args, timeout=timeout, memory_mb=memory_mb, **kwargs)


def _arm() -> None:
    """Set the timer for the earliest open deadline."""
    if not _open_budgets:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    soonest = min(budget.deadline for budget in _open_budgets)
    signal.setitimer(signal.ITIMER_REAL, max(soonest - time.monotonic(), 0.001))


def _on_alarm(signum: int, frame: Any) -> None:
    """Raise for the outermost budget whose deadline has passed (the whole work stops there)."""
    now = time.monotonic()
    due = [budget for budget in _open_budgets if budget.deadline <= now + 0.001]
    if not due:
        _arm()
        return
    raise _Overrun(due[0])


def _cap_here(timeout: float, memory_mb: int | None) -> list[tuple[int, tuple[int, int]]]:
    """Lower this process's soft limits of memory and processor time; the limits before."""
    if resource is None:  # pragma: no cover - Windows
        return []
    saved = []
    if memory_mb is not None and hasattr(resource, "RLIMIT_AS"):
        saved.append((resource.RLIMIT_AS, resource.getrlimit(resource.RLIMIT_AS)))
        lower_limit(resource.RLIMIT_AS, address_space_bytes() + memory_mb * 1024 * 1024)
    if hasattr(resource, "RLIMIT_CPU"):
        saved.append((resource.RLIMIT_CPU, resource.getrlimit(resource.RLIMIT_CPU)))
        used = resource.getrusage(resource.RUSAGE_SELF)
        lower_limit(resource.RLIMIT_CPU, math.ceil(used.ru_utime + used.ru_stime + timeout) + 5)
    return saved
