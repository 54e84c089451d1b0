"""Hostile sizes through the API: each is refused before work starts, naming its limit.

Every attack runs in a worker with a wall clock and a memory cap (run_with_budget: RLIMIT_AS), so
a check that failed to fire shows up as limit "time" or "memory" instead of the limit expected,
and cannot hang or swap the machine. Workers must not outlive a killed parent.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from processes import alive, descendants
import sympy as sp

import symderiv as sd
from symderiv.errors import LimitError, ParseError
from symderiv.limits import WorkLimits, expression_size, run_with_budget

ROOT = Path(__file__).resolve().parent.parent
x = sp.Symbol("x")

#: Each refusal must come within this many seconds, in this much memory.
BUDGET_SECONDS = 10.0
BUDGET_MB = 768


def product(n: int) -> sp.Expr:
    return sp.Mul(*(sp.sin(k * x) for k in range(1, n + 1)))


def nested_sin(depth: int) -> sp.Expr:
    expr: sp.Expr = x
    for _ in range(depth):
        expr = sp.sin(expr)
    return expr


def _refusal(call) -> str:
    """Run ``call`` under the budget; the limit of the LimitError it raises (None if it returned)."""
    def attempt():
        try:
            call()
        except LimitError as error:
            return error.limit, str(error)
        return None, ""

    started = time.monotonic()
    limit, message = run_with_budget(attempt, timeout=BUDGET_SECONDS, memory_mb=BUDGET_MB)
    assert time.monotonic() - started < BUDGET_SECONDS
    if limit is not None:
        assert limit in message, "the message names the limit"
    return limit


SIZE_ATTACKS = [
    ("derive a product of 200 factors", lambda: sd.derive(product(200), x), "max_product_factors"),
    ("derive a product of 41 factors", lambda: sd.derive(product(41), x), "max_product_factors"),
    ("derive a sum of 3000 terms", lambda: sd.derive(sp.Add(*(sp.sin(k * x) for k in range(3000))), x),
     "max_expression_nodes"),
    ("derive sin nested 150 deep", lambda: sd.derive(nested_sin(150), x), "max_expression_depth"),
    ("derive a product of 200 factors with a timeout", lambda: sd.derive(product(200), x, timeout=5),
     "max_product_factors"),
    ("derive past a lowered limit", lambda: sd.derive(product(6), x, limits=WorkLimits(max_product_factors=5)),
     "max_product_factors"),
    ("graph a product of 200 factors", lambda: sd.graph(product(200)), "max_graph_nodes"),
    ("graph sin nested 150 deep", lambda: sd.graph(nested_sin(150)), "max_expression_depth"),
    ("graph a sum of 3000 terms", lambda: sd.graph(sp.Add(*(sp.sin(k * x) for k in range(3000)))),
     "max_expression_nodes"),
    ("graph text of 200 factors", lambda: sd.graph("*".join(f"sin({k}*x)" for k in range(1, 201))),
     "max_graph_nodes"),
    ("network 30 30 30 derived", lambda: (n := sd.network([30, 30, 30])).derive(n.weights[-1]),
     "max_derive_weights"),
    ("network 200 200 200", lambda: sd.network([200, 200, 200]), "max_layer_size"),
    ("network 1000 1000 1000", lambda: sd.network([1000, 1000, 1000]), "max_layer_size"),
    ("network of a 20-digit size", lambda: sd.network([99999999999999999999, 2]), "max_layer_size"),
    ("network 50 50 50", lambda: sd.network([50, 50, 50]), "max_weights"),
    ("network of 40 layers", lambda: sd.network([2] * 40), "max_layers"),
    ("network with 200 samples", lambda: sd.network([2, 2, 1], samples=200), "max_samples"),
    ("network of 12 layers derived", lambda: (n := sd.network([2] * 12)).derive(n.weights[-1]),
     "max_derive_layers"),
    ("backprop of 10 10 10", lambda: sd.network([10, 10, 10]).backprop(), "max_backprop_weights"),
    ("backprop of 2 2 1 with 16 samples", lambda: sd.network([2, 2, 1], samples=16).backprop(),
     "max_backprop_weights"),
    ("network with a timeout", lambda: sd.network([1000, 1000], timeout=5), "max_layer_size"),
]


@pytest.mark.parametrize("call, limit", [(c, lim) for _, c, lim in SIZE_ATTACKS],
                         ids=[name for name, _, _ in SIZE_ATTACKS])
def test_a_size_past_its_limit_is_refused_before_work_naming_the_limit(call, limit):
    assert _refusal(call) == limit


def test_raising_a_limit_lets_the_work_through():
    d = sd.derive(product(3), x, limits=WorkLimits(max_product_factors=3))
    assert d.result.equals(sp.diff(product(3), x))
    assert len(sd.graph(product(3), limits=WorkLimits(max_graph_nodes=10)).nodes) <= 10
    assert sd.network([70, 1], limits=WorkLimits(max_layer_size=70)).sizes == (70, 1)


def test_the_seed_network_and_its_backprop_stay_within_the_defaults():
    net = sd.network([2, 2, 1])
    assert net.derive(net.theta(2, 1, 2)).result == (
        (net.a(3, 1) - net.y()) * net.a(2, 2) / net.m + net.lam * net.theta(2, 1, 2) / net.m
    )


def test_graph_and_network_take_a_timeout_and_return_the_same_objects():
    a, b = sp.symbols("a b")
    g = sd.graph((a + b) * (b + 1), timeout=20)
    assert [n.label for n in g.nodes] == [n.label for n in sd.graph((a + b) * (b + 1)).nodes]
    net = sd.network([2, 2, 1], timeout=20)
    assert len(net.weights) == 9  # 2·3 + 1·3
    d = net.derive(net.theta(2, 1, 2), timeout=30)
    assert d.result == net.derive(net.theta(2, 1, 2)).result


@pytest.mark.parametrize("timeout", [float("inf"), float("nan"), -1.0, 0.0, 1e300, 10**7, "5", True])
def test_a_timeout_that_is_not_a_positive_finite_number_is_refused(timeout):
    """1e300 used to reach the worker, which could not set a processor-time limit that large and
    died with a traceback, reported as memory; text and True compared or passed as seconds."""
    with pytest.raises(ValueError, match="timeout"):
        sd.derive(x**2, x, timeout=timeout)
    with pytest.raises(ValueError, match="timeout"):
        sd.graph(x**2, timeout=timeout)
    with pytest.raises(ValueError, match="timeout"):
        sd.network([2, 1], timeout=timeout)
    with pytest.raises(ValueError, match="timeout"):
        run_with_budget(sum, [1, 2], timeout=timeout)


@pytest.mark.parametrize("wrt", [
    "x.real", "1x", "__import__('os').system('touch CANARY')", "x y", "", "pi", "sin(x)",
    "x;import os", "lambda: 0", "x\ny", "().__class__",
])
def test_a_wrt_that_is_not_a_name_is_a_parse_error_and_runs_nothing(wrt, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParseError):
        sd.derive("x**2", wrt.replace("CANARY", str(tmp_path / "canary")))
    assert not (tmp_path / "canary").exists()


def test_a_wrt_name_is_matched_to_the_expressions_variable():
    assert sd.derive("theta_1**2", "theta_1").result == 2 * sp.Symbol("theta_1")
    assert sd.derive("x**3", " x ").result == 3 * x**2


def test_expression_size_counts_nodes_and_depth_and_stops_early():
    deep = nested_sin(300)
    assert expression_size(deep) == (301, 301)
    assert expression_size(deep, stop=10)[0] == 11
    assert expression_size(sp.sin(x) + sp.exp(x)) == (5, 3)


def test_work_limits_name_the_field_and_how_to_raise_it():
    with pytest.raises(LimitError) as caught:
        WorkLimits(max_layers=3).check("max_layers", 4, "the network has 4 layers")
    assert caught.value.limit == "max_layers"
    assert "max_layers = 3" in str(caught.value) and "WorkLimits(max_layers=" in str(caught.value)


# --- Workers die with their parent --------------------------------------------------------------

PARENT = textwrap.dedent("""
    import time
    from symderiv.limits import run_with_budget
    print("ready", flush=True)
    run_with_budget(time.sleep, 120, timeout=200)
""")


def _start_parent() -> tuple[subprocess.Popen, set[int]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    parent = subprocess.Popen([sys.executable, "-c", PARENT], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
    assert parent.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 10
    while not (workers := descendants(parent.pid)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers, "the worker started"
    return parent, workers


def _gone_within(workers: set[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while any(alive(pid) for pid in workers):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs /proc (Linux)")


@needs_proc
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT],
                         ids=["SIGKILL", "SIGTERM", "SIGINT"])
def test_no_worker_outlives_its_parent_by_more_than_a_second(sig):
    parent, workers = _start_parent()
    try:
        parent.send_signal(sig)
        parent.wait(timeout=10)
        assert _gone_within(workers, 1.0), f"workers {workers} outlived the parent"
    finally:
        parent.kill()
        parent.wait()
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


@needs_proc
def test_sigterm_stops_the_worker_and_ends_the_parent_with_143():
    parent, workers = _start_parent()
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=10) == 143
    assert _gone_within(workers, 1.0)


# --- Small formulas that SymPy would multiply out, or mistake for 0 ---------------------------------

def _derive_result(expr):
    return sd.derive(expr, x).result


LARGE_POWERS = [
    # (x + 1)¹⁰⁰⁰⁰⁰⁰ was multiplied out by tidying (expand, cancel): a million terms, no end
    ((x + 1) ** sp.Integer(10**6), 10**6 * (x + 1) ** (10**6 - 1)),
    ((x**2 + x + 1) ** sp.Integer(10**9), 10**9 * (2 * x + 1) * (x**2 + x + 1) ** (10**9 - 1)),
    # sin⁵⁰ rewritten (1 − cos²)²⁵ and cancelled against (x + 2)³⁰: seconds of polynomial algebra
    (sp.sin(x) ** 50 * (x + 2) ** 30, 50 * sp.sin(x) ** 49 * sp.cos(x) * (x + 2) ** 30 + 30 * sp.sin(x) ** 50 * (x + 2) ** 29),
    # sin(x)¹⁰⁰⁰⁰⁰⁰ is about 10⁻³⁷⁰⁰⁰⁰ at the test points: it was taken for 0 and sent to simplify,
    # which filled the memory
    (sp.sin(x) ** sp.Integer(10**6) * (x + 2) ** 300,
     10**6 * sp.sin(x) ** (10**6 - 1) * sp.cos(x) * (x + 2) ** 300 + 300 * sp.sin(x) ** 10**6 * (x + 2) ** 299),
]


@pytest.mark.parametrize("expr, answer", LARGE_POWERS, ids=["(x+1)^1e6", "(x^2+x+1)^1e9", "sin^50 (x+2)^30",
                                                            "sin^1e6 (x+2)^300"])
def test_a_large_power_is_derived_quickly_without_being_multiplied_out(expr, answer):
    from symderiv.proof.numeric import evaluate

    started = time.monotonic()
    result = run_with_budget(_derive_result, expr, timeout=BUDGET_SECONDS, memory_mb=BUDGET_MB)
    assert time.monotonic() - started < BUDGET_SECONDS
    for point in (sp.Rational(3, 10), sp.Rational(-7, 5)):
        ours, theirs = evaluate(result, {x: point}, digits=30), evaluate(answer, {x: point}, digits=30)
        assert abs(ours - theirs) <= abs(theirs) * sp.Float("1e-25")
    assert result != 0


def test_a_derivative_that_is_0_is_still_written_0():
    assert sd.derive(sd.sigmoid(x) + sd.sigmoid(-x), x).result == 0
    assert sd.derive(sp.sin(x) ** 2 + sp.cos(x) ** 2, x).result == 0
