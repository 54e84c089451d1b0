"""The ``symderiv serve`` command: a local web page to derive formulas and check answers.

    symderiv serve [--host 127.0.0.1] [--port 8000] [--workers 2] [--queue 16] [--timeout 5] [--memory 512]

serves the app of :mod:`symderiv.web` with uvicorn until Ctrl-C or SIGTERM. It binds to
127.0.0.1 (this machine only) unless ``--host`` says otherwise. ``--timeout`` and ``--memory``
are the budget of *each request's* work; ``--max-output`` the characters one response may hold.
``--workers`` processes do the work, ``--queue`` more requests may wait for one, and a request
past that is answered 503 with ``Retry-After``. One line per request goes to standard error.
The server's workers end with it.
"""

from __future__ import annotations

import argparse
import logging
import socket
import sys
from collections.abc import Callable

from ..errors import SymderivError

__all__ = ["add_command"]


def _count(low: int, high: int, what: str) -> Callable[[str], int]:
    """An option's type: a whole number from ``low`` to ``high``, or a message that says so."""
    def read(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = low - 1
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"takes {what}, a whole number from {low} to {high}, got {text!r}")
        return value
    return read


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """Register ``serve``."""
    command = subparsers.add_parser(
        "serve",
        help="serve a local web page: type a formula, read its proven derivation, check an answer",
        description=(
            "Serve a local web page: type a formula, read its proven derivation, check an answer. "
            "--timeout and --memory are the budget of each request; needs pip install 'symderiv[serve]'."
        ),
    )
    command.add_argument("--host", default="127.0.0.1",
                         help="the address to listen on (default 127.0.0.1: this machine only)")
    command.add_argument("--port", type=_count(0, 65535, "a port"), default=8000, help="the port (default 8000)")
    command.add_argument("--workers", type=_count(1, 64, "processes"), default=2,
                         help="processes that derive, each request's work in one of them (default 2)")
    command.add_argument("--queue", type=_count(0, 1024, "requests"), default=16,
                         help="requests that may wait for a worker; past them, 503 (default 16)")
    command.set_defaults(handler=_serve, runs_own_budget=lambda args: True)


def _serve(args: argparse.Namespace) -> int:
    """Run the server until it is stopped; each request's work is budgeted by the pool."""
    from ..extras import require

    require("starlette", "symderiv serve")
    uvicorn = require("uvicorn", "symderiv serve")
    from ..web.app import LOCAL_HOSTS, create_app
    from ..web.pool import WorkerPool

    local = args.host in ("127.0.0.1", "localhost", "::1")
    listening = _listening_socket(args.host, args.port)  # a bad address or a taken port: one line, before any work
    if not local:
        print(f"symderiv serve: listening on {args.host}, reachable from other machines", file=sys.stderr)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
    log = logging.getLogger("symderiv.web")
    log.addHandler(handler)
    log.setLevel(logging.INFO)
    log.propagate = False
    pool = WorkerPool(workers=args.workers, queue=args.queue, timeout=args.timeout, memory_mb=args.memory)
    app = create_app(pool, max_chars=args.max_output, allowed_hosts=LOCAL_HOSTS if local else ("*",))
    config = uvicorn.Config(app, host=args.host, port=args.port, access_log=False, log_level="info",
                            timeout_keep_alive=5, limit_concurrency=args.workers + args.queue + 64,
                            server_header=False)
    try:
        uvicorn.Server(config).run(sockets=[listening])
    finally:
        pool.close()
        listening.close()
    return 0


def _listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port``, for uvicorn to serve on; a :class:`SymderivError`
    of one line when the address cannot be resolved or bound (a port already taken, say)."""
    try:
        family, kind, protocol, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        bound = socket.socket(family, kind, protocol)
    except (OSError, UnicodeError, ValueError) as error:
        raise SymderivError(f"cannot serve on {host!r}: {getattr(error, 'strerror', None) or error}") from None
    try:
        bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        bound.bind(address)
    except OSError as error:
        bound.close()
        raise SymderivError(f"cannot serve on {host}:{port}: {error.strerror or error}") from None
    return bound
