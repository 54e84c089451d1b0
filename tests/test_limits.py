"""Limits: resource bombs are refused at once with a clear LimitError; work runs under a budget."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest
import sympy as sp
from formula_corpus import BOTH, LATEX_ONLY, TEXT_ONLY

from symderiv.errors import LimitError, ParseError
from symderiv.limits import run_with_budget
from symderiv.parse.limits import DEFAULT_LIMITS, Limits
from symderiv.parse.text import parse
from symderiv.parse.latex import parse_latex

x = sp.Symbol("x")
SECONDS = 2.0  # every bomb is answered within this


def refused_in_time(read, text, limits=None):
    """The LimitError that reading ``text`` raises; fails if it takes longer than SECONDS."""
    start = time.perf_counter()
    with pytest.raises(LimitError) as caught:
        read(text, limits=limits)
    elapsed = time.perf_counter() - start
    assert elapsed < SECONDS, f"{text!r} took {elapsed:.2f} s"
    return caught.value


# --- numbers that would eat the machine, refused before they are computed --------------------------


@pytest.mark.parametrize(
    "bomb",
    [
        "10**10**10",
        "9**9**9",
        "9^9^9^9",
        "2**2**2**2**2",
        "10.0**10**10",
        "(2**3000)*(2**3000)",
        "exp(10**10*log(2))",
        "e**(10**10*log(2) + x)",
        "factorial(10**9)",
        "factorial(factorial(20))",
        "factorial(1e300)",
        "sqrt(10**500 + 1)",
        "(10**200 + 1)**(1/3)",
        "x + (1/7)**2000",
    ],
)
def test_a_text_number_bomb_is_refused_at_once(bomb):
    error = refused_in_time(parse, bomb)
    assert error.limit == "number"
    assert "digits" in error.message
    assert error.position is not None and error.text == bomb


@pytest.mark.parametrize(
    "bomb",
    [
        r"10^{10^{10}}",
        r"9^{9^{9}}",
        r"\left(10^{999}\right)^{1000}",
        r"e^{10^{10} \ln 2}",
        r"\sqrt{10^{500} + 1}",
        r"\left(10^{10}\right)!",
    ],
)
def test_a_latex_number_bomb_is_refused_at_once(bomb):
    assert refused_in_time(parse_latex, bomb).limit == "number"


@pytest.mark.parametrize(
    ("read", "bomb"),
    [(parse, "1e1000000"), (parse, "1e-1000000"), (parse_latex, r"1.5 \cdot 10^{1000000}"), (parse, "1" * 1001)],
    ids=lambda value: value.__name__ if callable(value) else str(value)[:12],
)
def test_a_literal_with_too_many_digits_is_refused(read, bomb):
    error = refused_in_time(read, bomb)
    assert error.limit == "digits"
    assert f"{DEFAULT_LIMITS.max_digits} digits" in error.message


def test_the_error_for_a_power_tower_says_how_big_the_number_would_be():
    error = refused_in_time(parse, "9**9**9")
    assert "9**(387420489)" in error.message
    assert "369693100 digits" in error.message
    assert error.position == 1


def test_powers_of_symbols_are_not_limited():
    assert parse("x**(10**10)") == x ** (10**10)


def test_numbers_just_under_the_limit_are_computed():
    assert parse("2**3000") == sp.Integer(2) ** 3000
    assert parse("factorial(400)") == sp.factorial(400)


# --- the size of the formula ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("read", "text", "limit"),
    [
        (parse, "x" * (DEFAULT_LIMITS.max_length + 1), "length"),
        (parse_latex, "x" * (DEFAULT_LIMITS.max_length + 1), "length"),
        (parse, "(" * 51 + "x" + ")" * 51, "depth"),
        (parse, "-" * 60 + "x", "depth"),
        (parse, "x^" * 60 + "x", "depth"),
        (parse, "exp(" * 60 + "x" + ")" * 60, "depth"),
        (parse_latex, "{" * 60 + "x" + "}" * 60, "depth"),
        (parse_latex, r"\frac{1}{" * 60 + "x" + "}" * 60, "depth"),
        (parse, "+".join(["x"] * 1001), "nodes"),
        (parse_latex, "+".join(["x"] * 1001), "nodes"),
        (parse, "a" * 65, "length"),
        (parse_latex, r"\mathrm{" + "a" * 65 + "}", "length"),
        (parse_latex, "x_{" + "1" * 70 + "}", "length"),
    ],
    ids=lambda value: value.__name__ if callable(value) else str(value)[:12],
)
def test_a_formula_past_a_size_limit_is_refused(read, text, limit):
    assert refused_in_time(read, text).limit == limit


def test_a_length_refusal_points_where_the_limit_is_passed():
    error = refused_in_time(parse, "x+" * 6000)
    assert error.position == DEFAULT_LIMITS.max_length
    assert "12000 characters; the limit is 10000" in error.message


def test_a_depth_refusal_points_into_the_formula():
    error = refused_in_time(parse, "(" * 51 + "x" + ")" * 51)
    assert error.position == 50
    assert "50 levels" in error.message


def test_max_compares_every_pair_so_its_terms_are_limited():
    text = "max(max(a, b, c, d, e1, f), max(g, h, i, j))"
    assert refused_in_time(parse, text).limit == "nodes"


def test_a_formula_sympy_is_slow_to_build_is_stopped_by_the_clock():
    nested = "tanh(" * 12 + "x" + ")" * 12
    error = refused_in_time(parse, nested, limits=Limits(build_seconds=0.5))
    assert error.limit == "time"
    assert "nested" in error.message


def test_a_formula_that_outgrows_the_inline_budget_is_built_in_a_worker_all_the_same():
    text = "tanh(" * 6 + "x" + ")" * 6
    expected = x
    for _ in range(6):
        expected = sp.tanh(expected)
    assert parse(text, limits=Limits(inline_seconds=0.0)) == expected


# --- run_with_budget ------------------------------------------------------------------------------------


def test_run_with_budget_returns_the_result():
    assert run_with_budget(pow, 2, 10, timeout=30) == 1024


def test_run_with_budget_passes_keyword_arguments_on():
    assert run_with_budget(sorted, [3, 1, 2], reverse=True, timeout=30) == [3, 2, 1]


def test_run_with_budget_runs_closures():
    offset = 5
    assert run_with_budget(lambda n: n + offset, 1, timeout=30) == 6


def test_an_error_in_the_work_comes_back_as_itself():
    with pytest.raises(ParseError) as caught:
        run_with_budget(parse, "x +", timeout=30)
    assert caught.value.position == 3


def test_an_unexpected_error_carries_the_workers_traceback():
    with pytest.raises(ZeroDivisionError) as caught:
        run_with_budget(lambda: 1 / 0, timeout=30)
    assert "worker process" in "".join(getattr(caught.value, "__notes__", []))


def test_big_integer_arithmetic_that_signals_cannot_interrupt_is_stopped_by_the_clock():
    start = time.perf_counter()
    with pytest.raises(LimitError) as caught:
        run_with_budget(pow, 10, 10**9, timeout=0.5, memory_mb=None)
    assert caught.value.limit == "time"
    assert "0.5 s" in str(caught.value)
    assert time.perf_counter() - start < SECONDS


def test_work_past_the_memory_budget_is_stopped():
    with pytest.raises(LimitError) as caught:
        run_with_budget(bytearray, 2 * 1024**3, timeout=30, memory_mb=64)
    assert caught.value.limit == "memory"
    assert "64 MB" in str(caught.value)


def test_the_worker_does_not_outlive_its_budget(tmp_path):
    pid_file = tmp_path / "pid"

    def record_pid_then_hang():
        pid_file.write_text(str(os.getpid()))
        time.sleep(60)

    with pytest.raises(LimitError):
        run_with_budget(record_pid_then_hang, timeout=0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_sympy_results_come_back_as_built_without_being_evaluated_again():
    result = run_with_budget(lambda: sp.Add(x, x, evaluate=False), timeout=30)
    assert result.args == (x, x)


def test_every_corpus_expression_comes_back_from_a_worker_identical():
    corpus = BOTH + TEXT_ONLY + LATEX_ONLY
    assert run_with_budget(lambda: corpus, timeout=30) == corpus


def test_a_spawned_worker_runs_a_module_level_function():
    assert run_with_budget(pow, 3, 4, timeout=30, start_method="spawn") == 81


def parse_in_a_pool_worker(text):
    return parse(text, limits=Limits(inline_seconds=0.0))


def budget_in_a_pool_worker(_):
    try:
        run_with_budget(pow, 2, 2, timeout=30)
    except RuntimeError as error:
        return str(error)
    return "no error"


def test_a_pool_worker_which_may_not_start_processes_still_parses():
    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(parse_in_a_pool_worker, ["tanh(tanh(x))"]) == [sp.tanh(sp.tanh(x))]


def test_run_with_budget_in_a_pool_worker_says_why_it_cannot_start():
    with multiprocessing.get_context("fork").Pool(1) as pool:
        [message] = pool.map(budget_in_a_pool_worker, [None])
    assert "daemonic process" in message


def test_the_timeout_must_be_positive():
    with pytest.raises(ValueError):
        run_with_budget(pow, 2, 2, timeout=0)
