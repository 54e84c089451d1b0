"""The web app of ``symderiv serve``: a Starlette application, its routes and its guards.

=====================  ==========================================================================
``GET /``              the form, and a few examples
``GET /derive``        the form filled in, and the derivation (its address is its permalink)
``GET /check``         the verdict on ``answer``, and the derivation it refers to
``GET /download``      the derivation as ``format=latex|markdown|notebook|json``, as a file
``GET /graph.svg``     the formula's computational graph
``GET /api/derive``    the derivation's JSON (:meth:`symderiv.Derivation.to_json`)
``POST /api/check``    ``{"formula", "derivative", "variable"}`` → a verdict, as ``symderiv check --answers``
=====================  ==========================================================================

The query fields are those of :class:`~symderiv.web.query.Query`. Every request that does work
sends it to the :class:`~symderiv.web.pool.WorkerPool` (safe parsers, time and memory budget);
when the pool's queue is full the answer is 503 with ``Retry-After``. Bad input is a 400 (a page
with the form, the message and a caret under the problem, or JSON ``{"error", "position"}``),
work past its budget too; the server goes on serving.

:class:`Guard` wraps every request: it refuses a query string past :data:`MAX_QUERY_BYTES`
(414) and a body past :data:`MAX_BODY_BYTES` (413), adds the security headers of
:data:`HEADERS` (Content-Security-Policy: no script, no style but the page's own, nothing from
elsewhere), and logs one line per request. A server on this machine only answers requests
addressed to it by a local name (:data:`LOCAL_HOSTS`), so that no web page elsewhere can reach
it by pointing its own domain at 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import replace
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..errors import LimitError, StepCheckError, SymderivError
from ..locales import LANGUAGES
from . import pages, work
from .pool import Busy, WorkerPool
from .query import MAX_FIELD_CHARS, Query, QueryError, form_query, read_query

__all__ = ["HEADERS", "LOCAL_HOSTS", "MAX_BODY_BYTES", "MAX_QUERY_BYTES", "Guard", "create_app"]

#: The longest query string and request body the server reads.
MAX_QUERY_BYTES = 16_384
MAX_BODY_BYTES = 65_536

LOG = logging.getLogger("symderiv.web")


def _policy() -> str:
    styles = " ".join(sorted({pages.style_hash(lang) for lang in LANGUAGES}))
    return (f"default-src 'none'; style-src {styles}; img-src 'self'; form-action 'self'; "
            "base-uri 'none'; frame-ancestors 'none'")


#: The headers of every response.
HEADERS: dict[str, str] = {
    "Content-Security-Policy": _policy(),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


class Guard:
    """ASGI middleware: size limits on the request, security headers on the response, one log
    line per request (client, method, path and query, status, milliseconds, bytes)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.headers = [(name.lower().encode(), value.encode()) for name, value in HEADERS.items()]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        seen = {"status": 0, "bytes": 0}

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            refusal = _refusal(scope)
            if refusal is not None:
                await refusal(scope, receive, guarded_send)
            else:
                await self.app(scope, receive, guarded_send)
        finally:
            _log(scope, seen["status"], time.perf_counter() - started, seen["bytes"])


def _refusal(scope: Scope) -> Response | None:
    if len(scope.get("query_string", b"")) > MAX_QUERY_BYTES:
        return PlainTextResponse(f"the query string is longer than {MAX_QUERY_BYTES:,} bytes\n", status_code=414)
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            if not value.isdigit() or int(value) > MAX_BODY_BYTES:
                return PlainTextResponse(f"the request body is larger than {MAX_BODY_BYTES:,} bytes\n",
                                         status_code=413)
    return None


def _log(scope: Scope, status: int, seconds: float, size: int) -> None:
    client = scope.get("client") or ("-", 0)
    target = scope.get("path", "")
    query = scope.get("query_string", b"")
    if query:
        target += "?" + query.decode("latin-1")
    if len(target) > 200:
        target = target[:200] + "…"
    target = "".join(ch if ch.isprintable() and ch != '"' else "?" for ch in target)
    LOG.info('%s "%s %s" %d %.0fms %dB', client[0], scope.get("method", "-"), target, status, seconds * 1000, size)


# --- Routes ------------------------------------------------------------------------------------

def _pool(request: Request) -> WorkerPool:
    return request.app.state.pool  # type: ignore[no-any-return]


def _max_chars(request: Request) -> int:
    return request.app.state.max_chars  # type: ignore[no-any-return]


def _html(text: str, status: int = 200, headers: dict[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers=headers)


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def _problem_page(query: Query, error: BaseException, path: str) -> HTMLResponse:
    """The form again, with the problem in a box: 400 for bad input, 503 busy, 500 a bug."""
    status, heading, headers = _status(error)
    if status == 500:  # a bug: its details go to the log, not to the page
        message = type(error).__name__
    else:
        message = getattr(error, "message", None) or str(error).splitlines()[0]
    content = pages.problem(query.lang, heading, message, text=getattr(error, "text", None),
                            position=getattr(error, "position", None))
    return _html(pages.page(query, title=f"symderiv: {message}"[:120], content=content, path=path), status, headers)


def _status(error: BaseException) -> tuple[int, str, dict[str, str] | None]:
    """(status, the heading's word, extra headers) for an error of the work."""
    if isinstance(error, Busy):
        return 503, "busy", {"Retry-After": str(error.retry_after)}
    if isinstance(error, RecursionError):  # a formula nested past what Python's stack holds
        return 400, "limit", None
    if isinstance(error, StepCheckError) or not isinstance(error, SymderivError):
        LOG.error("internal error: %s: %s", type(error).__name__, str(error).splitlines()[0] if str(error) else "")
        return 500, "internal", None
    if isinstance(error, LimitError):
        return 400, "limit", None
    return 400, "error", None


async def _run(request: Request, func: Callable[..., Any], *args: Any) -> Any:
    return await _pool(request).run(func, *args)


async def home(request: Request) -> Response:
    """The form and a few examples; with a formula in the query, its derivation's address."""
    if request.query_params.get("expr"):
        return RedirectResponse(f"/derive?{request.url.query}", status_code=303)
    query = Query(lang=_lang(request))
    return _html(pages.page(query, title="symderiv", content=pages.examples(query.lang), path="/"))


async def derive(request: Request) -> Response:
    """The derivation of the query's formula, with the check form, downloads and graph."""
    return await _derivation_page(request, check=False)


async def check(request: Request) -> Response:
    """The verdict on the query's answer, above the derivation it refers to."""
    return await _derivation_page(request, check=True)


async def _derivation_page(request: Request, *, check: bool) -> Response:
    path = "/check" if check else "/derive"
    query = form_query(request.query_params)
    try:
        query = read_query(request.query_params)
        if check and not query.answer:
            raise QueryError("answer is empty: give your derivative to check", field="answer")
        func = work.check_page if check else work.derive_page
        shown: work.Shown = await _run(request, func, query, _pool(request).timeout, _max_chars(request))
    except Exception as error:  # noqa: BLE001 - every error becomes a page; _status tells bugs apart
        return _problem_page(query, error, path)
    if shown.verdict == "wrong":  # the steps the verdict names are those of the full chain, shown below
        query = replace(query, detail="full")
    content = (shown.verdict_html + f'<article class="derivation">\n<h1>{shown.title_html}</h1>\n{shown.body}</article>\n'
               + pages.check_form(query) + pages.extras(query))
    return _html(pages.page(query, title=shown.title, content=content, path=path))


async def download(request: Request) -> Response:
    """The derivation as a file to save."""
    name = request.query_params.get("format", "")
    try:
        if name not in pages.DOWNLOADS:
            raise QueryError(f"format must be one of: {', '.join(pages.DOWNLOADS)}", field="format")
        query = read_query(request.query_params)
        text = await _run(request, work.download, query, name, _pool(request).timeout, _max_chars(request))
    except Exception as error:  # noqa: BLE001
        return _json_error(error)
    suffix, media = pages.DOWNLOADS[name]
    return Response(text, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="derivation.{suffix}"'})


async def graph_svg(request: Request) -> Response:
    """The formula's computational graph, as an SVG image."""
    try:
        query = read_query(request.query_params)
        svg = await _run(request, work.graph_svg, query, _max_chars(request))
    except Exception as error:  # noqa: BLE001
        return _json_error(error)
    return Response(svg, media_type="image/svg+xml")


async def api_derive(request: Request) -> Response:
    """The derivation's JSON."""
    try:
        query = read_query(request.query_params)
        text = await _run(request, work.derive_json, query, _pool(request).timeout, _max_chars(request))
    except Exception as error:  # noqa: BLE001
        return _json_error(error)
    return Response(text, media_type="application/json")


async def api_check(request: Request) -> Response:
    """A verdict on ``{"formula", "derivative", "variable"}``: right, wrong (with the
    counterexample and the step where it departs) or error."""
    try:
        answer = _answer(await _body(request))
        verdict: dict[str, Any] = await _run(request, work.check_json, answer)
    except Exception as error:  # noqa: BLE001
        return _json_error(error)
    verdict.pop("id", None)
    return JSONResponse(verdict, status_code=400 if verdict.get("verdict") == "error" else 200)


async def _body(request: Request) -> bytes:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise QueryError(f"the request body is larger than {MAX_BODY_BYTES:,} bytes", field="body")
    return body


def _answer(body: bytes) -> dict[str, str]:
    """The answer a POST /api/check sends: a JSON object of text fields."""
    try:
        item = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise QueryError(f"the body is not JSON ({error})", field="body") from None
    except (ValueError, RecursionError) as error:  # a number past Python's digits, nesting past its stack
        raise QueryError(f"the body is not an answer ({str(error).split(';')[0]})", field="body") from None
    if not isinstance(item, dict):
        raise QueryError('the body is a JSON object: {"formula": ..., "derivative": ..., "variable": ...}', field="body")
    answer = {"id": ""}
    for field in ("formula", "derivative", "variable"):
        value = item.get(field, "")
        if not isinstance(value, str):
            raise QueryError(f"{field} must be text", field=field)
        if len(value) > MAX_FIELD_CHARS:
            raise QueryError(f"{field} is longer than {MAX_FIELD_CHARS:,} characters", field=field)
        if not value.isascii() and any("\ud800" <= ch <= "\udfff" for ch in value):  # JSON's \ud800 escape
            raise QueryError(f"{field} holds a lone surrogate, which is not a character", field=field)
        if not value.strip() and field != "variable":
            raise QueryError(f"{field} is empty", field=field)
        answer[field] = value
    return answer


def _json_error(error: BaseException) -> JSONResponse:
    status, _, headers = _status(error)
    message = getattr(error, "message", None) or (str(error).splitlines()[0] if str(error) else type(error).__name__)
    body: dict[str, Any] = {"error": message if status != 500 else "internal error (please report)"}
    for key in ("field", "position", "limit"):
        if getattr(error, key, None) is not None:
            body[key] = getattr(error, key)
    return JSONResponse(body, status_code=status, headers=headers)


async def not_found(request: Request, exc: Exception) -> Response:
    """404 and 405: a page with the form, or JSON under ``/api/``."""
    status = getattr(exc, "status_code", 404)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": "no such address" if status == 404 else "method not allowed"}, status_code=status)
    query = Query(lang=_lang(request))
    content = pages.problem(query.lang, "not_found", request.url.path[:200])
    return _html(pages.page(query, title="symderiv", content=content, path="/"), status)


#: The names a request may give its server in ``Host`` when the server listens on this machine
#: only: any other name is a page elsewhere that rebinds its domain to 127.0.0.1 (400).
LOCAL_HOSTS: tuple[str, ...] = ("127.0.0.1", "localhost", "[::1]")


def create_app(pool: WorkerPool, *, max_chars: int = 5_000_000,
               allowed_hosts: Sequence[str] = LOCAL_HOSTS) -> ASGIApp:
    """The app, serving with ``pool`` (started with the app, closed with it); no response
    carries more than ``max_chars`` characters of derivation; a request whose ``Host`` is not
    one of ``allowed_hosts`` (``"*"``: any) is refused with 400."""

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        pool.start()
        await pool.ready()
        try:
            yield
        finally:
            pool.close()

    routes = [
        Route("/", home, methods=["GET"]),
        Route("/derive", derive, methods=["GET"]),
        Route("/check", check, methods=["GET"]),
        Route("/download", download, methods=["GET"]),
        Route("/graph.svg", graph_svg, methods=["GET"]),
        Route("/api/derive", api_derive, methods=["GET"]),
        Route("/api/check", api_check, methods=["POST"]),
        Route("/favicon.ico", lambda request: Response(status_code=204), methods=["GET"]),  # no icon, no 404
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={404: not_found, 405: not_found},
                    middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts), www_redirect=False)])
    app.state.pool = pool
    app.state.max_chars = max_chars
    return Guard(app)
