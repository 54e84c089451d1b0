r"""A budget for the work done with a formula, and limits on how much work that may be.

The limits on *reading* a formula (:func:`symderiv.parse`, :func:`symderiv.parse_latex`: length,
nesting, digits, ...) are :class:`symderiv.parse.limits.Limits`.

:class:`WorkLimits` bounds the size of what :func:`symderiv.derive`, :func:`symderiv.graph` and
:func:`symderiv.network` take on, checked before the work starts.

**Work after reading** (differentiating, simplifying) can be slow on small but hostile input:
``simplify`` alone can take minutes, and a single big-integer operation cannot be interrupted by
a signal. :func:`run_with_budget` runs such work in a worker process with a wall clock and a
memory cap and raises :class:`~symderiv.LimitError` (``limit="time"`` or ``"memory"``) when the
work passes either::

    from symderiv.limits import run_with_budget
    derivation = run_with_budget(derive, expr, x, timeout=5.0, memory_mb=512)

Keyword arguments other than ``timeout``, ``memory_mb`` and ``start_method`` go to the function.
Exceptions the function raises come back as they are (a ``ParseError`` stays a ``ParseError``).
To fall back when only one stage is too slow, run that stage alone and catch the error::

    try:
        simpler = run_with_budget(sp.simplify, result, timeout=2.0)
    except LimitError as error:   # error.limit == "time": keep the unsimplified steps, say so
        simpler = result

How the worker is started (``start_method``). On Linux the default is ``"fork"``: the worker is a
copy of the caller, so it starts in about 5 ms with SymPy already imported, and the function may
be anything, a lambda or a closure included. Elsewhere (macOS, Windows) the default is
``"spawn"``, as Python's own: a fresh interpreter that imports symderiv (about a second), and
``func``, its arguments and its result must be picklable (module-level functions). Forking a
process that runs other threads is what Python 3.12 warns about; a threaded server may pass
``start_method="spawn"`` or ``"forkserver"``.

How the budget is enforced. The parent waits on a pipe for at most ``timeout`` seconds of wall
clock, then kills the worker (SIGKILL), which stops even a C-level big-integer multiplication.
The worker caps its own address space with ``resource.setrlimit(RLIMIT_AS)`` at what it holds
when it starts plus ``memory_mb``, so an allocation past the cap fails with ``MemoryError`` inside
the worker instead of swapping the machine; it also sets ``RLIMIT_CPU`` a little past the
timeout. (Where ``resource`` or ``RLIMIT_AS`` is not enforced, as on Windows and macOS, only the
wall clock applies.) The result
travels back pickled, each SymPy node rebuilt with ``evaluate=False`` (:func:`_dumps`): SymPy
objects come back exactly as the worker made them, without being evaluated a second time, and
without ``sympy.evaluate(False)``, whose switch is per thread while SymPy's cache is shared.

A worker never outlives its caller. On Linux it asks the kernel to kill it when its parent dies
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``), so even a parent killed with SIGKILL (as
``subprocess.run(..., timeout=4)`` does) takes its worker with it at once; where that is not
available, a thread in the worker watches its parent and ends the worker within half a second of
the parent's end. While
the caller waits in its main thread, SIGTERM stops the worker first and then ends the caller
(``SystemExit``, status 143) instead of killing the caller outright. The worker ignores SIGINT:
Ctrl-C raises ``KeyboardInterrupt`` in the caller, which kills the worker on its way out.

>>> run_with_budget(pow, 2, 10, timeout=30)
1024
>>> import time
>>> run_with_budget(time.sleep, 30, timeout=0.2)
Traceback (most recent call last):
...
symderiv.errors.LimitError: the work took longer than its time budget of 0.2 s and was stopped
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import math
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import LimitError, ParseError

if TYPE_CHECKING:
    import sympy as sp
# SymPy, multiprocessing and the step types are imported where they are used: the command
# line's parser reads WorkLimits (its --max-output default) and must not pay for SymPy there.

try:  # POSIX only
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

__all__ = [
    "DEFAULT_WORK_LIMITS",
    "WorkLimits",
    "MAX_TIMEOUT",
    "can_start_workers",
    "check_timeout",
    "default_start_method",
    "expression_size",
    "run_with_budget",
    "tie_to_parent",
]

T = TypeVar("T")


@dataclass(frozen=True)
class WorkLimits:
    """How much work :func:`symderiv.derive`, :func:`symderiv.graph`, :func:`symderiv.network`
    and the ``symderiv`` command take on. Each is checked before the work starts; past one, a
    :class:`~symderiv.LimitError` whose ``limit`` is the field's name. Pass your own to raise
    them: ``sd.derive(f, x, limits=WorkLimits(max_product_factors=80), timeout=60)``.

    - ``max_expression_nodes``: operations, names and numbers of the expression to differentiate
      or draw (shared subexpressions counted each time they appear).
    - ``max_expression_depth``: how deeply its operations nest.
    - ``max_product_factors``: factors of one product that hold the variable: the product rule
      writes n terms of n factors, so a derivation grows with the square of n.
    - ``max_graph_nodes``: nodes of a computational graph (distinct subexpressions).
    - ``max_layers``, ``max_layer_size``, ``max_weights``, ``max_samples``: a network's number of
      layers, units in one layer, weights θ in all, and samples m.
    - ``max_derive_layers``, ``max_derive_weights``: the largest network whose cost is written out
      and differentiated (:meth:`~symderiv.Network.derive`, :meth:`~symderiv.Network.backprop`):
      the written-out cost grows about threefold per layer. :meth:`~symderiv.Network.gradients`
      works by reverse mode and is bounded by ``max_layers`` and ``max_weights`` only.
    - ``max_backprop_weights``: the weights of a network whose δ rules :meth:`~symderiv.Network.backprop`
      proves entry by entry (about 3 s for ``[2, 2, 1]``, 8 s for ``[4, 4, 2]``).
    - ``max_output_chars``: characters the ``symderiv`` command prints.
    - ``max_order``: the order of a derivative, ``derive(f, (x, n))`` or ``derive(f, x, y, ...)``:
      each order is a derivation of its own, and the expressions grow with each.
    - ``max_matrix_entries``: the entries of a gradient, Jacobian or Hessian, each a derivation.

    >>> WorkLimits().max_product_factors
    40
    >>> WorkLimits(max_layers=40).max_layers
    40
    """

    max_expression_nodes: int = 2_000
    max_expression_depth: int = 100
    max_product_factors: int = 40
    max_graph_nodes: int = 500
    max_layers: int = 32
    max_layer_size: int = 64
    max_weights: int = 2_000
    max_samples: int = 16
    max_derive_layers: int = 8
    max_derive_weights: int = 300
    max_backprop_weights: int = 40
    max_output_chars: int = 5_000_000
    max_order: int = 8
    max_matrix_entries: int = 64

    def check(self, field: str, value: float, what: str) -> None:
        """Raise LimitError naming ``field`` when ``value`` is past it; ``what`` says what was counted.

        >>> WorkLimits().check("max_samples", 20, "the network has 20 samples")
        Traceback (most recent call last):
        ...
        symderiv.errors.LimitError: the network has 20 samples, more than max_samples = 16 allows (raise it with limits=WorkLimits(max_samples=...))
        """
        limit = getattr(self, field)
        if value > limit:
            raise LimitError(
                f"{what}, more than {field} = {limit} allows "
                f"(raise it with limits=WorkLimits({field}=...))",
                limit=field,
            )


DEFAULT_WORK_LIMITS = WorkLimits()


def expression_size(expr: sp.Basic, stop: int | None = None) -> tuple[int, int]:
    """``(nodes, depth)`` of ``expr``'s tree, counting stops soon after ``stop`` nodes.

    Iterative, so a tree deeper than Python's recursion limit is measured without a RecursionError.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> expression_size(sp.sin(x) * sp.exp(x + 1))
    (7, 4)
    """
    from sympy import Basic

    nodes, depth = 0, 0
    stack: list[tuple[sp.Basic, int]] = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        nodes += 1
        depth = max(depth, level)
        if stop is not None and nodes > stop:
            break
        args = getattr(node, "args", ())
        if isinstance(args, tuple):
            stack.extend((arg, level + 1) for arg in args if isinstance(arg, Basic))
    return nodes, depth


# ---------------------------------------------------------------------------------------------
# Running work under a budget.

_STARTUP_SECONDS = 120.0  # for "spawn", which imports symderiv before the clock starts


def default_start_method() -> str:
    """``"fork"`` on Linux, where it is fast and safe for single-threaded callers; else ``"spawn"``."""
    import multiprocessing

    if sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods():
        return "fork"
    return "spawn"


def can_start_workers() -> bool:
    """False inside a daemonic process (a ``multiprocessing.Pool`` worker), which has no children.

    A process that never imported multiprocessing is none (a worker imports it before its work),
    so the answer costs no import there: reading a formula asks it every time."""
    multiprocessing = sys.modules.get("multiprocessing")
    return multiprocessing is None or not multiprocessing.current_process().daemon


#: The longest time budget a call may ask for, in seconds (past it, a clock or a processor-time
#: limit could not be set): about eleven days.
MAX_TIMEOUT = 1_000_000.0


def check_timeout(timeout: Any) -> None:
    """Refuse a ``timeout`` that is not a number of seconds above 0 and at most
    :data:`MAX_TIMEOUT` (inf, nan, a negative number, text, True), before any work.

    >>> check_timeout(1e300)
    Traceback (most recent call last):
    ...
    ValueError: timeout must be a number of seconds above 0 and at most 1,000,000, got 1e+300
    """
    number = isinstance(timeout, (int, float)) and not isinstance(timeout, bool)
    if not (number and 0 < timeout <= MAX_TIMEOUT):
        raise ValueError(f"timeout must be a number of seconds above 0 and at most {MAX_TIMEOUT:,.0f}, got {timeout!r}")


def run_with_budget(
    func: Callable[..., T],
    /,
    *args: Any,
    timeout: float = 10.0,
    memory_mb: int | None = 1024,
    start_method: str | None = None,
    **kwargs: Any,
) -> T:
    """Run ``func(*args, **kwargs)`` in a worker process; its result, or a LimitError past budget.

    ``timeout`` is wall-clock seconds for the work (the worker's start-up is not counted);
    ``memory_mb`` the memory the work may take beyond what the worker starts with (None: no
    cap); ``start_method`` ``"fork"``, ``"spawn"`` or ``"forkserver"`` (default: see the module
    docstring). An exception raised by ``func`` is raised here, with the worker's traceback
    attached as a note. The worker never outlives this call.

    >>> run_with_budget(lambda n: sum(range(n)), 10, timeout=30)
    45
    >>> run_with_budget(bytearray, 2 * 1024**3, memory_mb=64)
    Traceback (most recent call last):
    ...
    symderiv.errors.LimitError: the work needed more memory than its budget of 64 MB and was stopped
    """
    check_timeout(timeout)
    if not can_start_workers():
        raise RuntimeError(
            "run_with_budget cannot start its worker here: this is a daemonic process (a "
            "multiprocessing.Pool worker), which may not have children. Use "
            "concurrent.futures.ProcessPoolExecutor, whose workers may, or work without a budget."
        )
    import multiprocessing

    method = start_method or default_start_method()
    context: Any = multiprocessing.get_context(method)  # typeshed's BaseContext has no Process
    receiver, sender = context.Pipe(duplex=False)
    parent = None if method == "forkserver" else os.getpid()  # forkserver: the server is the parent
    worker = context.Process(
        target=_work,
        args=(sender, func, args, kwargs, timeout, memory_mb, parent),
        name="symderiv-budget",
        daemon=False,
    )
    with _terminate_raises():
        try:
            with _signals_held():  # the worker starts with Ctrl-C and SIGTERM held, then sets its own
                worker.start()
            sender.close()
            message = _wait(receiver, worker, timeout, memory_mb)
        finally:
            _stop(worker)
            receiver.close()
    kind = message[0]
    if kind == "ok":
        return message[1]  # type: ignore[no-any-return]
    if kind == "raise":
        raise message[1]
    raise memory_error(memory_mb)


def _wait(receiver: Any, worker: Any, timeout: float, memory_mb: int | None) -> tuple[Any, ...]:
    """The worker's result message, or a LimitError when it is late or dies."""
    if not receiver.poll(_STARTUP_SECONDS):
        raise LimitError("the worker process did not start", limit="time")
    started = _receive(receiver, worker, memory_mb)
    if started[0] != "started":  # the worker failed before the work began
        return started
    if not receiver.poll(timeout):
        raise LimitError(
            f"the work took longer than its time budget of {timeout:g} s and was stopped",
            limit="time",
        )
    return _receive(receiver, worker, memory_mb)


def _receive(receiver: Any, worker: Any, memory_mb: int | None) -> tuple[Any, ...]:
    try:
        return receiver.recv()  # type: ignore[no-any-return]
    except (EOFError, OSError):
        worker.join(1.0)
        code = worker.exitcode
        if code is not None and code < 0 and -code == getattr(signal, "SIGXCPU", None):
            raise LimitError("the work used more processor time than its budget", limit="time") from None
        raise LimitError(
            f"the worker process stopped unexpectedly (exit code {code}); "
            f"it probably needed more memory than its budget of {memory_mb} MB",
            limit="memory",
        ) from None


def memory_error(memory_mb: int | None) -> LimitError:
    """The LimitError of work that needed more than ``memory_mb`` megabytes."""
    return LimitError(
        f"the work needed more memory than its budget of {memory_mb} MB and was stopped",
        limit="memory",
    )


def _work(
    sender: Any,
    func: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    timeout: float,
    memory_mb: int | None,
    parent: int | None = None,
) -> None:
    """The worker: cap itself, say it started, run, send back ("ok", result) or ("raise", exc)."""
    _die_with_parent(parent)
    _cap_resources(timeout, memory_mb)
    sender.send(("started",))
    message: tuple[Any, ...]
    try:
        message = ("ok", func(*args, **kwargs))
    except MemoryError:
        message = ("memory",)
    except BaseException as exc:  # noqa: BLE001 - everything goes back to the caller
        message = ("raise", _portable(exc))
    try:
        sender.send_bytes(_dumps(message))
    except MemoryError:
        sender.send(("memory",))
    except Exception as exc:  # the result could not be pickled
        problem = RuntimeError(f"the worker's result could not be sent back: {exc}")
        sender.send(("raise", problem))
    sender.close()


class _Pickler(pickle.Pickler):
    """Pickles a SymPy node as "rebuild ``cls(*args)`` with ``evaluate=False``"."""

    def __init__(self, file: io.BytesIO, protocol: int) -> None:
        import sympy

        from .core.steps import rebuilt

        super().__init__(file, protocol=protocol)
        self._basic, self._rebuilt = sympy.Basic, rebuilt

    def reducer_override(self, obj: Any) -> Any:
        basic = self._basic
        if isinstance(obj, basic) and obj.args and not obj.is_Atom and type(obj).__reduce_ex__ is basic.__reduce_ex__:
            return self._rebuilt, (type(obj), obj.args)
        return NotImplemented


def _dumps(message: tuple[Any, ...]) -> bytes:
    """``message`` pickled for the caller: SymPy trees come back as they are (see :class:`_Pickler`)."""
    buffer = io.BytesIO()
    _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump(message)
    return buffer.getvalue()


def _stop(worker: Any) -> None:
    """Kill the worker if it still runs and reap it; Ctrl-C or SIGTERM here cannot leave it behind."""
    try:
        if worker.pid is not None and worker.is_alive():
            worker.kill()
    finally:
        if worker.pid is not None:
            worker.join()


@contextlib.contextmanager
def _terminate_raises() -> Iterator[None]:
    """While waiting in the main thread, make SIGTERM raise SystemExit(143), so that the waiting
    code's ``finally`` kills the worker; a handler the program installed itself is left alone."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    try:
        previous = signal.getsignal(signal.SIGTERM)
    except (ValueError, AttributeError):  # pragma: no cover - no SIGTERM here
        yield
        return
    if previous not in (signal.SIG_DFL, None):
        yield
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold SIGINT and SIGTERM back while the worker is forked; delivered here right after."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, OSError, ValueError):  # pragma: no cover - no signal masks here
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
_PARENT_POLL_SECONDS = 0.25


def _die_with_parent(parent: int | None) -> None:
    """In the worker: end when the parent ends, and leave Ctrl-C and SIGTERM to the parent.

    Linux kills the worker the moment its parent dies (PR_SET_PDEATHSIG); elsewhere, and as a
    second guard, a daemon thread polls the parent's pid and ends the worker when it changes.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # held by the parent while it forked us
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})
    guarded = False
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            guarded = libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) == 0
        except (OSError, AttributeError):  # pragma: no cover - no prctl in this libc
            guarded = False
    expected = os.getppid() if parent is None else parent
    if os.getppid() != expected:  # the parent died before the guard was set
        os._exit(1)
    if not guarded:  # a thread only where the kernel cannot do it: a forking worker stays threadless
        threading.Thread(target=_watch_parent, args=(expected,), name="symderiv-parent-watch", daemon=True).start()


def tie_to_parent(parent: int) -> None:
    """In a long-lived worker a caller starts itself (the process pool of ``symderiv serve``):
    end when ``parent`` ends, as the workers of :func:`run_with_budget` do, and leave Ctrl-C and
    SIGTERM to the parent. Call it first thing in the worker (a pool's ``initializer``)."""
    _die_with_parent(parent)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)


def _cap_resources(timeout: float, memory_mb: int | None) -> None:
    if resource is None:  # pragma: no cover - Windows
        return
    if memory_mb is not None and hasattr(resource, "RLIMIT_AS"):
        lower_limit(resource.RLIMIT_AS, address_space_bytes() + memory_mb * 1024 * 1024)
    if hasattr(resource, "RLIMIT_CPU"):
        lower_limit(resource.RLIMIT_CPU, math.ceil(timeout) + 5)


def lower_limit(which: int, value: int) -> None:
    """Lower the soft resource limit ``which`` to ``value`` (never above the hard limit, never raising it)."""
    soft, hard = resource.getrlimit(which)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    if soft == resource.RLIM_INFINITY or value < soft:
        try:
            resource.setrlimit(which, (value, hard))
        except (ValueError, OSError):  # pragma: no cover - not permitted here
            pass


def address_space_bytes() -> int:
    """This process's address space now (Linux: /proc/self/statm), 0 when it cannot be read."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _portable(exc: BaseException) -> BaseException:
    """``exc`` if it survives pickling, else a RuntimeError that names it; traceback as a note."""
    if not isinstance(exc, (ParseError, LimitError)):
        lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
        exc.add_note("raised in symderiv's worker process:\n" + "".join(lines).rstrip())
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return RuntimeError(f"{type(exc).__name__} in symderiv's worker process: {exc}")

