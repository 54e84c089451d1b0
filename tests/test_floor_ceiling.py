"""⌊u⌋ and ⌈u⌉: flat between whole numbers, no derivative at the jumps.

The rule writes d/du ⌊u⌋ as 0 where ⌊u⌋ < u (a Piecewise with no "otherwise": nothing at the
jumps), as sign's rule writes 2δ(u). Known answers are hand-derived (d/dx x⌊x⌋ = ⌊x⌋ between
whole numbers) and checked against central finite differences by mpmath at points away from
the jumps.
"""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp

import symderiv as sd
from symderiv.core.steps import Step

x, y = sp.symbols("x y")
POINTS = (0.3, 1.45, 2.7, -0.6, -1.8)  # none a whole number, nor x² of one


def finite_difference(f, at):
    """d/dx f at ``at`` by mpmath's own numerical differentiation, at 40 digits."""
    function = sp.lambdify(x, f, modules="mpmath")
    with mpmath.workdps(40):
        return mpmath.diff(function, mpmath.mpf(at))


def value(expr, at):
    """``expr`` at x = ``at``: the piece whose condition holds (there is one off the jumps)."""
    return sp.N(expr.subs(x, sp.Float(at, 40)), 40)


@pytest.mark.parametrize("text, function", [("floor(x)", sp.floor), ("ceil(x)", sp.ceiling)])
def test_the_rule_writes_zero_where_there_is_no_jump(text, function):
    d = sd.derive(text, "x")
    assert d.rules[0] == function.__name__
    first = d.steps[0].after
    condition = sp.floor(x) < x if function is sp.floor else x < sp.ceiling(x)
    assert first == sp.Piecewise((0, condition))  # 0, and where: between the jumps
    assert d.report is not None
    for at in POINTS:
        assert value(d.result, at) == 0 == finite_difference(function(x), at)


@pytest.mark.parametrize("f", [x * sp.floor(x), sp.ceiling(x**2) * x, sp.floor(x) ** 2 + sp.ceiling(3 * x)])
def test_derivatives_with_floor_and_ceiling_agree_with_finite_differences(f):
    d = sd.derive(f, x)
    for at in POINTS:
        assert abs(value(d.result, at) - finite_difference(f, at)) < 1e-30


def test_x_floor_x_is_floor_x_between_whole_numbers():
    d = sd.derive(x * sp.floor(x), x)
    for at in POINTS:
        assert value(d.result, at) - sp.floor(at) == 0  # hand-derived: (x⌊x⌋)′ = ⌊x⌋ off the jumps


def test_a_floor_derivative_that_is_not_zero_is_refused():
    wrong = Step("floor", sp.Derivative(sp.floor(x), x), sp.Integer(1))
    with pytest.raises(sd.StepCheckError):
        sd.Derivation(sp.floor(x), x, (wrong,)).check()


def test_second_derivative_through_a_floor_and_json_round_trip():
    d = sd.derive(x**2 * sp.floor(y), x, y)
    for at in POINTS:
        assert value(d.result.subs(y, sp.Float(at + 0.1, 40)), 1.0) == 0  # ∂/∂y 2x⌊y⌋ = 0 between jumps
    back = sd.Derivation.from_json(d.to_json())
    assert back == d
    assert "⌊" in d.to_text() and r"\lfloor" in d.to_latex()


def test_latex_reads_floor_and_ceiling_brackets_and_refuses_unmatched_ones():
    assert sd.parse_latex(r"\lfloor x \rfloor + \left\lceil x^2 \right\rceil") == sp.floor(x) + sp.ceiling(x**2)
    assert sd.parse_latex(r"x\lfloor 2x \rfloor") == x * sp.floor(2 * x)
    with pytest.raises(sd.ParseError, match="never closed"):
        sd.parse_latex(r"\lfloor x")
    with pytest.raises(sd.ParseError, match="without a matching"):
        sd.parse_latex(r"x \rceil")
    with pytest.raises(sd.ParseError, match=r"expected \\rfloor"):
        sd.parse_latex(r"\lfloor x \rceil")
