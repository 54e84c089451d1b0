"""The server's workers: a process pool of bounded size, each job under a time and memory budget.

:class:`WorkerPool` keeps ``workers`` processes (started with ``spawn``, so no thread of the
server is copied into them) and lets at most ``queue`` more jobs wait for one. A job past that
is refused at once with :class:`Busy`, which the app answers with 503 and ``Retry-After``.

Each job runs in a worker of its pool worker (:func:`symderiv.limits.run_with_budget`: a fork of
the pool worker, which has SymPy and symderiv imported already), with a wall clock and a memory
cap; past either, the job's worker is killed (SIGKILL) and the job raises
:class:`~symderiv.LimitError`. The pool worker itself only waits, so it survives its jobs.

No worker outlives the server: :meth:`WorkerPool.close` kills the pool workers (each job's
worker dies with its parent), and every pool worker asks the kernel to kill it when the server
process ends, even by SIGKILL (:func:`symderiv.limits.tie_to_parent`). A pool worker that dies
(killed from outside) breaks the pool; the pool is started again and the jobs that were in it
are answered as :class:`Busy`.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from ..errors import SymderivError

__all__ = ["Busy", "WorkerPool"]

T = TypeVar("T")


class Busy(SymderivError):
    """Every worker is busy and the queue is full; ``retry_after`` is seconds to wait."""

    def __init__(self, message: str, *, retry_after: int):
        self.retry_after = retry_after
        super().__init__(message)


def _start_worker(parent: int) -> None:
    """In each pool worker, first: die with the server; then import and warm up the work once."""
    from ..limits import tie_to_parent

    tie_to_parent(parent)
    from . import work

    try:
        work.warm_up()  # each job's worker is a fork of this one: it starts warm
    except Exception:  # noqa: BLE001 - a speed-up only: a worker that failed it still serves
        pass


def _budgeted(func: Callable[..., T], args: tuple[Any, ...], timeout: float, memory_mb: int) -> T:
    """In a pool worker: ``func(*args)`` in a worker of its own, under the budget."""
    from ..limits import run_with_budget

    return run_with_budget(func, *args, timeout=timeout, memory_mb=memory_mb)


class WorkerPool:
    """``workers`` processes and at most ``queue`` jobs waiting; each job under ``timeout``
    seconds and ``memory_mb`` megabytes.

    Use it from one event loop: ``await pool.run(func, *args)`` returns ``func(*args)`` computed
    in a worker, or raises what it raised, :class:`~symderiv.LimitError` past the budget, or
    :class:`Busy` when the queue is full. ``func`` and its arguments must be picklable
    (module-level functions).
    """

    def __init__(self, *, workers: int = 2, queue: int = 16, timeout: float = 5.0, memory_mb: int = 512):
        if workers < 1 or queue < 0:
            raise ValueError(f"a pool needs at least one worker and a queue of 0 or more, got {workers}, {queue}")
        self.workers = workers
        self.queue = queue
        self.timeout = timeout
        self.memory_mb = memory_mb
        self._executor: ProcessPoolExecutor | None = None
        self._warming: list[Future[int]] = []
        self._jobs = 0

    @property
    def jobs(self) -> int:
        """The jobs running or waiting now."""
        return self._jobs

    def start(self) -> None:
        """Start the pool workers (each imports symderiv once; about a second, in parallel)."""
        if self._executor is None:
            self._executor = self._new_executor()
            # start them all now rather than at the first requests
            self._warming = [self._executor.submit(os.getpid) for _ in range(self.workers)]

    async def ready(self) -> None:
        """Wait until the workers started by :meth:`start` have imported symderiv."""
        for future in self._warming:
            await asyncio.wrap_future(future)
        self._warming = []

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_start_worker, initargs=(os.getpid(),))

    async def run(self, func: Callable[..., T], *args: Any) -> T:
        """``func(*args)`` in a worker, under the budget; :class:`Busy` when the queue is full."""
        if self._jobs >= self.workers + self.queue:
            raise Busy(f"all {self.workers} workers are busy and {self.queue} requests are waiting",
                       retry_after=max(1, round(self.timeout)))
        self.start()
        executor = self._executor
        assert executor is not None
        self._jobs += 1
        try:
            future = executor.submit(_budgeted, func, args, self.timeout, self.memory_mb)
            return await asyncio.wrap_future(future)
        except BrokenProcessPool:
            self._restart(executor)
            raise Busy("a worker of the server stopped; the pool was started again", retry_after=1) from None
        finally:
            self._jobs -= 1

    def _restart(self, broken: ProcessPoolExecutor) -> None:
        if self._executor is broken:
            self._executor = None
            _kill(broken)
            self.start()

    def close(self) -> None:
        """Stop every worker now: jobs still running are killed, jobs waiting are cancelled."""
        executor, self._executor = self._executor, None
        if executor is not None:
            _kill(executor)


def _kill(executor: ProcessPoolExecutor) -> None:
    """Shut ``executor`` down without waiting for its jobs: kill its processes and reap them."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.kill()
    for process in processes:
        process.join(5)
