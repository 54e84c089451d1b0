"""Random expression trees: derive() agrees with sympy.diff, and every step is proven."""

from __future__ import annotations

import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symderiv as sd
from conftest import same_function

x, y = sp.symbols("x y")

UNARY = [
    sp.exp, sp.sin, sp.cos, sp.tan, sp.atan, sp.sinh, sp.cosh, sp.tanh, sp.asinh,
    sd.sigmoid, sd.softplus,
    lambda e: sp.log(1 + e**2),
    lambda e: sp.sqrt(1 + e**2),
    lambda e: 1 / (1 + sp.exp(-e)),
]
BINARY = [
    lambda a, b: a + b,
    lambda a, b: a - b,
    lambda a, b: a * b,
    lambda a, b: a / (2 + b**2),
    lambda a, b: a ** 2 + b,
    lambda a, b: a ** 3 * b,
]
LEAVES = st.sampled_from([x, x, x, y, sp.Integer(2), sp.Rational(1, 3), 3 * x, x + 1])


def trees(depth: int) -> st.SearchStrategy[sp.Expr]:
    if depth == 0:
        return LEAVES
    smaller = trees(depth - 1)
    return st.one_of(
        LEAVES,
        st.builds(lambda f, e: f(e), st.sampled_from(UNARY), smaller),
        st.builds(lambda f, a, b: f(a, b), st.sampled_from(BINARY), smaller, smaller),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(trees(3))
def test_derive_agrees_with_sympy_diff_and_proves_every_step(expr):
    d = sd.derive(expr, x)
    assert d.report is not None and len(d.report.proofs) == len(d.steps)
    assert same_function(d.result, sp.diff(expr, x), [x, y])
    assert d.fallback_count == 0


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(trees(2), st.sampled_from(sorted(sd.STRATEGIES)))
def test_every_strategy_reaches_the_same_derivative(expr, strategy):
    d = sd.derive(expr, x, strategy=strategy)
    assert same_function(d.result, sp.diff(expr, x), [x, y])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(trees(3))
def test_the_result_is_never_larger_than_the_raw_derivative(expr):
    raw = sd.derive(expr, x, target_form=False).result
    tidy = sd.derive(expr, x).result
    assert sp.count_ops(tidy) <= sp.count_ops(raw)
