"""A budget set on this process (the symderiv command's): the same limits as a worker's, no fork."""

from __future__ import annotations

import resource
import signal
import time

import pytest

import symderiv as sd
from symderiv.process_budget import budget_here, run_within


def test_work_past_its_wall_clock_is_a_limit_error_with_the_workers_message():
    with pytest.raises(sd.LimitError, match="time budget of 0.3 s") as caught:
        with budget_here(0.3):
            time.sleep(5)
    assert caught.value.limit == "time"


def test_an_except_exception_in_the_work_does_not_swallow_the_deadline():
    def stubborn() -> None:
        while True:
            try:
                time.sleep(0.05)
            except Exception:  # what SymPy-calling code does around a failing call
                pass

    with pytest.raises(sd.LimitError, match="time budget"):
        with budget_here(0.3):
            stubborn()


def test_an_inner_budget_ends_the_inner_work_and_the_outer_work_goes_on():
    with budget_here(5):
        with pytest.raises(sd.LimitError, match="0.2 s"):
            run_within(time.sleep, 5, timeout=0.2)
        assert run_within(sum, [1, 2], timeout=1) == 3


def test_an_outer_deadline_is_not_caught_by_an_inner_budget():
    started = time.monotonic()
    with pytest.raises(sd.LimitError, match="0.3 s"):
        with budget_here(0.3):
            try:
                run_within(time.sleep, 5, timeout=10)
            except sd.LimitError:
                pytest.fail("the inner budget caught the outer deadline")
    assert time.monotonic() - started < 3


def test_memory_past_the_cap_is_a_limit_error_and_the_limits_are_put_back():
    before = resource.getrlimit(resource.RLIMIT_AS), resource.getrlimit(resource.RLIMIT_CPU)
    handler = signal.getsignal(signal.SIGALRM)
    with pytest.raises(sd.LimitError, match="memory") as caught:
        with budget_here(30, memory_mb=64):
            bytearray(2 * 1024**3)
    assert caught.value.limit == "memory"
    assert (resource.getrlimit(resource.RLIMIT_AS), resource.getrlimit(resource.RLIMIT_CPU)) == before
    assert signal.getsignal(signal.SIGALRM) == handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_derivation_with_a_timeout_inside_a_budget_forks_no_worker(monkeypatch):
    from symderiv import limits

    def no_fork(*args, **kwargs):
        raise AssertionError("a worker was started")

    monkeypatch.setattr(limits, "run_with_budget", no_fork)
    monkeypatch.setattr("symderiv.process_budget.run_with_budget", no_fork)
    with budget_here(60):
        d = sd.derive("1/(1+exp(-x))", "x", timeout=30)
    assert d.result == sd.sigmoid(sd.parse("x")) * (1 - sd.sigmoid(sd.parse("x")))
