"""``symderiv serve``, started as the README says and driven over HTTP and in a real browser.

One server (2 workers, a queue of 1, a budget of 4 s per request) serves every test of the
module but the last, which starts one of its own. The answers are known from outside the code:
σ' = σ(1 − σ) (DESIGN.md section 3), and a derivative that forgets the chain rule's inner factor
is wrong at the step of that factor.
"""

from __future__ import annotations

import html
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
import sympy as sp

import symderiv as sd
from symderiv.web.pages import EXAMPLES

from chromium import CHROMIUM, Chromium
from processes import alive, descendants

pytest.importorskip("starlette", reason="symderiv serve needs the extra serve")
pytest.importorskip("uvicorn", reason="symderiv serve needs the extra serve")

#: Past this product of sines the derivation runs out of its time budget (see test_cli_answers).
SLOW = "*".join(f"sin({k}*x + 1)" for k in range(1, 39))


class Server:
    """``python -m symderiv serve`` on a free port, its log in a file."""

    def __init__(self, *options: str, budget: str = "4"):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.log = tempfile.NamedTemporaryFile(prefix="symderiv-serve-", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "symderiv", "serve", "--port", str(self.port), "--timeout", budget, *options],
            stdout=self.log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 180
        while "Application startup complete" not in self.text():
            assert self.process.poll() is None, self.text()
            assert time.monotonic() < deadline, f"the server did not start:\n{self.text()}"
            time.sleep(0.2)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def text(self) -> str:
        return pathlib.Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def request(self, path: str, params: dict[str, str] | None = None, *, body: Any = None,
                host: str | None = None, timeout: float = 60) -> tuple[int, dict[str, str], str]:
        """(status, headers, body) of a GET, or of a POST of ``body`` as JSON."""
        url = self.base + path + ("?" + urllib.parse.urlencode(params) if params else "")
        data = None if body is None else body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if data else {}
        if host is not None:
            headers["Host"] = host
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.log.close()
        os.unlink(self.log.name)


@pytest.fixture(scope="module")
def server():
    running = Server("--workers", "2", "--queue", "1")
    try:
        yield running
    finally:
        running.stop()


def test_the_page_the_api_and_hostile_input(server):
    x = sp.Symbol("x")
    status, headers, page = server.request("/derive", {"expr": "1/(1+exp(-x))", "wrt": "x"})
    assert status == 200
    assert "<math" in page and "σ" in page and "<script" not in page
    assert 'value="1/(1+exp(-x))"' in page  # the form holds what was asked: the address is the permalink
    policy = headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src" not in policy
    assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"

    status, _, home = server.request("/", {"lang": "ko"})
    assert status == 200 and '<form class="query" method="get" action="/derive">' in home and 'lang="ko"' in home
    examples = re.findall(r'<li><a href="(/derive\?[^"]+)">', home)
    assert len(examples) == len(EXAMPLES)
    for link in examples:
        status, _, page = server.request(html.unescape(link))
        assert status == 200 and "<math" in page, link

    status, headers, text = server.request("/api/derive", {"expr": "1/(1+exp(-x))"})
    assert status == 200 and headers["content-type"] == "application/json"
    assert sd.Derivation.from_json(text).result == sd.sigmoid(x) * (1 - sd.sigmoid(x))

    status, _, text = server.request("/api/check", body={"formula": "sigmoid(x)**2", "derivative": "2*sigmoid(x)"})
    verdict = json.loads(text)
    assert (status, verdict["verdict"]) == (200, "wrong") and "sigmoid" in verdict["departure"]
    assert "at x = " in verdict["counterexample"]
    status, _, text = server.request("/api/check", body={"formula": "sigmoid(x)**2",
                                                         "derivative": "2*sigmoid(x)**2*(1-sigmoid(x))"})
    assert (status, json.loads(text)["verdict"]) == (200, "right")

    files = {}
    for name in ("latex", "markdown", "notebook", "json"):
        status, headers, files[name] = server.request("/download", {"expr": "x**2", "format": name})
        assert status == 200 and "attachment" in headers["content-disposition"]
    assert "\\documentclass" in files["latex"] and files["latex"].rstrip().endswith("\\end{document}")
    assert files["markdown"].startswith("# ") and "$$" in files["markdown"]
    assert json.loads(files["notebook"])["nbformat"] == 4
    assert sd.Derivation.from_json(files["json"]).result == 2 * x
    status, headers, svg = server.request("/graph.svg", {"expr": "1/(1+exp(-x))"})
    assert status == 200 and headers["content-type"] == "image/svg+xml" and svg.startswith("<svg")

    hostile = [
        ({"expr": "10**10**10"}, "digits"),
        ({"expr": "<script>alert(1)</script>"}, "&lt;script&gt;"),
        ({"expr": "x", "wrt": 'x"><script>alert(1)</script>'}, "the variable"),
        ({"expr": "\\href{javascript:alert(1)}{x}", "notation": "latex"}, "\\href"),
        ({"expr": "__import__('os').system('true')"}, "cannot start with"),
        ({"expr": "x" + "+x" * 2500}, "4,000"),
        ({"expr": SLOW}, "time budget of 4 s"),
    ]
    for params, said in hostile:
        started = time.monotonic()
        status, _, page = server.request("/derive", params)
        assert status == 400 and time.monotonic() - started < 10, params
        assert said in page and "<script" not in page, params
    status, _, page = server.request("/derive", {"expr": "1/(1+exp(-x)"})
    assert status == 400 and "<pre>1/(1+exp(-x)\n  ^</pre>" in page  # the caret under the ( never closed
    assert 'value="1/(1+exp(-x)"' in page  # and the form holds the formula, to be mended
    status, _, page = server.request("/derive", {"expr": "sin(x)", "detail": "most"})
    assert status == 400 and "detail must be one of: textbook, full" in page and 'value="sin(x)"' in page

    status, _, text = server.request("/api/derive", {"expr": "sin(x"})
    assert status == 400 and json.loads(text)["position"] == 3  # the ( never closed
    status, _, _ = server.request("/api/check", body={"formula": "x" * 70_000, "derivative": "1"})
    assert status == 413
    status, _, text = server.request("/api/check", body=["not", "an", "object"])
    assert status == 400 and "JSON object" in json.loads(text)["error"]
    status, _, _ = server.request("/derive", {"expr": "x" * 30_000})
    assert status == 414
    status, _, _ = server.request("/derive", {"expr": "x"}, host="rebound.example")
    assert status == 400  # a page elsewhere whose domain points at 127.0.0.1 gets nothing
    log = server.text()
    assert log.count('"GET /derive?') >= len(hostile) + 2 and '"POST /api/check" 200' in log


@pytest.mark.parametrize("body, said", [
    (b'{"formula": ' + b"9" * 5000 + b', "derivative": "1"}', "not an answer"),  # past Python's digits
    (b"[" * 30_000 + b"]" * 30_000, "not an answer"),  # past Python's stack
    (json.dumps({"formula": "\ud800x", "derivative": "1"}).encode(), "lone surrogate"),  # not a character
], ids=["a 5000-digit number", "nested 30000 deep", "a lone surrogate"])
def test_an_api_body_python_cannot_hold_is_a_400_naming_it_not_a_500(server, body, said):
    status, _, text = server.request("/api/check", body=body)
    assert status == 400, text
    assert said in json.loads(text)["error"]


def test_a_full_queue_is_answered_503_with_retry_after(server):
    """2 workers and a queue of 1: of 6 slow requests at once, at most 3 are taken."""
    answers: list[tuple[int, dict[str, str]]] = []

    def ask() -> None:
        status, headers, _ = server.request("/derive", {"expr": SLOW})
        answers.append((status, headers))

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    statuses = sorted(status for status, _ in answers)
    assert len(statuses) == 6 and statuses.count(503) >= 3 and set(statuses) <= {400, 503}
    assert all(headers["retry-after"].isdigit() for status, headers in answers if status == 503)
    status, _, _ = server.request("/derive", {"expr": "x**2"})
    assert status == 200  # and it goes on serving


MEASURE = """JSON.stringify({
  lang: document.documentElement.lang,
  h1: document.querySelector('h1') && document.querySelector('h1').textContent,
  line: parseFloat(getComputedStyle(document.body).lineHeight),
  fractions: [...document.querySelectorAll('ol.chain > li.step > .lhs mfrac, ol.chain > li.step > .rhs mfrac')].map(f => f.getBoundingClientRect().height),
  maths: document.querySelectorAll('math').length,
  subs: [...document.querySelectorAll('details.sub')].map(d => d.open),
  subShown: (() => { const c = document.querySelector('details.sub > ol.chain');
                     return c ? c.checkVisibility() && c.getBoundingClientRect().height : -1; })(),
  verdict: document.querySelector('section.verdict') && document.querySelector('section.verdict').dataset.verdict,
  departs: [...document.querySelectorAll('section.verdict a[href^="#step-"]')].map(a => a.getAttribute('href')),
  width: document.documentElement.scrollWidth,
})"""


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/system-deps.sh installs it)")
def test_in_a_real_browser_type_derive_open_switch_language_and_check(server):
    profile = tempfile.mkdtemp(prefix="symderiv-chromium-")
    chrome = Chromium(profile)
    try:
        target = chrome.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = chrome.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            chrome.send(f"{domain}.enable", session=session)
        chrome.send("Emulation.setDeviceMetricsOverride",
                    {"width": 1000, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, session=session)

        def run(script: str) -> Any:
            return chrome.send("Runtime.evaluate", {"expression": script, "returnByValue": True},
                               session=session)["result"].get("value")

        def loads(action: str) -> dict[str, Any]:
            """Do ``action`` (a script that navigates), wait for the new page, measure it."""
            chrome.events[:] = [e for e in chrome.events if e.get("method") != "Page.loadEventFired"]
            run(action)
            chrome.wait_for("Page.loadEventFired")
            return json.loads(run(MEASURE))

        def type_into(selector: str, text: str) -> None:
            run(f"document.querySelector({json.dumps(selector)}).focus()")
            chrome.send("Input.insertText", {"text": text}, session=session)

        chrome.send("Page.navigate", {"url": server.base + "/"}, session=session)
        chrome.wait_for("Page.loadEventFired")
        type_into("#expr", "1/(1+exp(-x))")
        page = loads("document.querySelector('form.query button').click()")
        assert run("location.pathname + location.search") == "/derive?expr=1%2F%281%2Bexp%28-x%29%29&wrt=&notation=text&strategy=textbook&detail=textbook&lang=en"
        assert page["lang"] == "en" and "derivative" in page["h1"]
        assert page["maths"] > 10 and page["fractions"] and min(page["fractions"]) > page["line"]  # laid out as fractions
        assert page["subs"] and not any(page["subs"]) and page["subShown"] is False  # sub-derivations closed
        run("document.querySelector('details.sub > summary').click()")
        opened = json.loads(run(MEASURE))
        assert opened["subs"][0] and opened["subShown"] > page["line"]  # open, its steps shown
        assert page["width"] <= 1000

        japanese = loads("document.querySelector('header.site a[hreflang=ja]').click()")
        assert japanese["lang"] == "ja" and "微分" in japanese["h1"] and japanese["fractions"]

        type_into("#answer", "sigmoid(x)*(1+sigmoid(x))")
        checked = loads("document.querySelector('form.check button').click()")
        assert checked["verdict"] == "wrong" and checked["lang"] == "ja"
        step = checked["departs"][0]
        assert run(f"document.querySelector('li.step{step}') !== null")  # the step it departs at is on the page
        assert run("document.querySelector('#detail').value") == "full"  # the chain those steps are numbered in
        errors = [e for e in chrome.events if e.get("method") == "Runtime.exceptionThrown"
                  or (e.get("method") == "Log.entryAdded" and e["params"]["entry"].get("level") == "error")]
        assert errors == []  # nothing refused by the Content-Security-Policy, nothing missing
    finally:
        chrome.close()
        shutil.rmtree(profile, ignore_errors=True)


def _slow_request(server: Server) -> threading.Thread:
    """A request that works to the end of its budget, in a thread; the server may die under it."""
    def ask() -> None:
        try:
            server.request("/derive", {"expr": SLOW})
        except OSError:  # the connection closed with the server
            pass
    thread = threading.Thread(target=ask)
    thread.start()
    return thread


def test_sigterm_stops_the_server_and_every_worker(server):
    """Last with the shared server: stopped while a request is at work, it leaves nothing behind."""
    worker = _slow_request(server)
    time.sleep(1.0)
    family = descendants(server.process.pid)
    assert len(family) >= 3  # two pool workers and the request's own worker
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(30) == 143  # terminated, as every symderiv command says it
    worker.join(30)
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in family) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in family if alive(pid)]


def test_a_killed_server_leaves_no_worker():
    """SIGKILL runs no clean-up: the kernel ends the workers with the server."""
    server = Server("--workers", "1", "--queue", "0")
    try:
        worker = _slow_request(server)
        time.sleep(1.0)
        family = descendants(server.process.pid)
        assert len(family) >= 2
        server.process.kill()
        server.process.wait(10)
        worker.join(30)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in family) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in family if alive(pid)]
    finally:
        server.stop()
