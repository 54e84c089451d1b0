"""Load test: ``symderiv serve`` under 200 requests, 16 at a time, 20% of them hostile.

Starts the server as the README says (default budget: 5 s and 512 MB per request, 2 workers,
a queue of 16), then sends ``--count`` requests from ``--clients`` threads. Four in five are
ordinary (derivation pages, the JSON API, checks of an answer, in the four languages); one in
five is hostile: number bombs, nesting and length bombs, work past the time budget, markup and
code injections, a LaTeX link, a bad variable. It reports:

- whether every request was answered (a status, no connection error, nothing left hanging) and
  the statuses, each kind of request apart;
- latency p50 and p95 of the ordinary and of the hostile requests;
- the memory of the server and all its processes (RSS summed over the tree, sampled every
  0.2 s): at the start, the most, and at the end;
- after SIGTERM, whether any of the server's processes is still alive;

and exits 1 when a request went unanswered, a process was left, or the memory passed what the
server and its two workers start with plus the two jobs' budgets (2 × 512 MB).

    python benchmarks/bench_serve.py [--count 200] [--clients 16]
"""

from __future__ import annotations

import argparse
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from processes import alive, descendants  # noqa: E402

ORDINARY = [
    ("/derive", {"expr": "1/(1+exp(-x))"}),
    ("/derive", {"expr": "-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))", "wrt": "w", "lang": "ja"}),
    ("/derive", {"expr": "\\tanh(x^2)", "notation": "latex", "lang": "zh"}),
    ("/derive", {"expr": "sin(x)**2", "detail": "full", "lang": "ko"}),
    ("/api/derive", {"expr": "softplus(x)"}),
    ("/check", {"expr": "sigmoid(x)**2", "answer": "2*sigmoid(x)"}),
    ("/derive", {"expr": "exp(x)/(1+exp(x))", "strategy": "quotient"}),
    ("/api/derive", {"expr": "log(1+x**2)"}),
]

HOSTILE = [
    ("/derive", {"expr": "10**10**10"}),
    ("/derive", {"expr": "9**9**9**9"}),
    ("/derive", {"expr": "(" * 200 + "x" + ")" * 200}),
    ("/derive", {"expr": "x" + "+x" * 3000}),
    ("/derive", {"expr": "*".join(f"sin({k}*x + 1)" for k in range(1, 39))}),  # past the time budget
    ("/derive", {"expr": "<script>alert(1)</script>"}),
    ("/derive", {"expr": "__import__('os').system('id')"}),
    ("/derive", {"expr": "\\href{javascript:alert(1)}{x}", "notation": "latex"}),
    ("/derive", {"expr": "x", "wrt": "x\"><img src=x onerror=alert(1)>"}),
    ("/api/derive", {"expr": "factorial(10**9)"}),
]


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_rss_mb(pid: int) -> float:
    return sum(_rss_kb(p) for p in {pid} | descendants(pid)) / 1024


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    port = _port()
    log = tempfile.NamedTemporaryFile(prefix="symderiv-serve-", suffix=".log", delete=False)
    server = subprocess.Popen([sys.executable, "-m", "symderiv", "serve", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    while "Application startup complete" not in Path(log.name).read_text():
        if server.poll() is not None:
            sys.exit(Path(log.name).read_text())
        time.sleep(0.2)
    memory = {"start": _tree_rss_mb(server.pid), "most": 0.0}
    sampling = True

    def sample() -> None:
        while sampling:
            memory["most"] = max(memory["most"], _tree_rss_mb(server.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample)
    sampler.start()
    plan = [(("hostile", *HOSTILE[n // 5 % len(HOSTILE)]) if n % 5 == 4 else ("ordinary", *ORDINARY[n % len(ORDINARY)]))
            for n in range(args.count)]

    def ask(item: tuple[str, str, dict[str, str]]) -> tuple[str, int | str, float, str]:
        kind, path, params = item
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(f"{base}{path}?{urllib.parse.urlencode(params)}", timeout=120) as response:
                response.read()
                status: int | str = response.status
        except urllib.error.HTTPError as error:
            error.read()
            status = error.code
        except OSError as error:  # no answer
            status = type(error).__name__
        return kind, status, time.perf_counter() - started, f"{path} {params['expr'][:40]}"

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.clients) as clients:
        results = list(clients.map(ask, plan))
    elapsed = time.perf_counter() - started
    sampling = False
    sampler.join()
    memory["end"] = _tree_rss_mb(server.pid)
    family = descendants(server.pid)
    server.send_signal(signal.SIGTERM)
    code = server.wait(60)
    time.sleep(1.0)
    left = [pid for pid in family if alive(pid)]
    log.close()
    lines = sum(' "GET ' in line or ' "POST ' in line for line in Path(log.name).read_text().splitlines())
    os.unlink(log.name)

    print(f"{len(results)} requests, {args.clients} at a time, in {elapsed:.1f} s")
    for kind in ("ordinary", "hostile"):
        mine = [r for r in results if r[0] == kind]
        seconds = [r[2] for r in mine]
        statuses = Counter(str(r[1]) for r in mine)
        print(f"{kind:9}: {len(mine)} requests, statuses {dict(sorted(statuses.items()))}, "
              f"p50 {_percentile(seconds, 0.5):.2f} s, p95 {_percentile(seconds, 0.95):.2f} s, "
              f"max {max(seconds):.2f} s")
    unexpected = Counter(f"{r[3]}: {r[1]}" for r in results if r[0] == "ordinary" and r[1] != 200)
    for what, times in sorted(unexpected.items()):
        print(f"  ordinary but not 200: {what} ({times}×)")
    answered = sum(isinstance(r[1], int) for r in results)
    print(f"answered: {answered} of {len(results)}; request log lines: {lines}")
    print(f"memory of the server and its processes: {memory['start']:.0f} MB at the start, "
          f"{memory['most']:.0f} MB at most, {memory['end']:.0f} MB at the end")
    print(f"after SIGTERM: exit status {code}, {len(left)} of its {len(family)} processes still alive")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f}")
    # bounded: the server and 2 pool workers as they start, and each worker's job within its 512 MB
    bound = memory["start"] + 2 * 512
    problems = [what for what, bad in [
        (f"{len(results) - answered} requests not answered", answered < len(results)),
        (f"{len(left)} processes left after SIGTERM", bool(left)),
        (f"memory rose to {memory['most']:.0f} MB, past {bound:.0f} MB", memory["most"] > bound),
    ] if bad]
    print("FAILED: " + "; ".join(problems) if problems else f"passed: all answered, none left, memory under {bound:.0f} MB")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
