r"""Assertions for formulas in tests: one line that says whether a formula is right, and why not.

``assert sp.diff(f, x) == my_formula`` compares expression *trees*: it fails for a right formula
written in another shape (e⁻ˣ/(1 + e⁻ˣ)² against σ(x)(1 − σ(x))). These helpers compare
*functions*, in three tries, cheapest first:

1. structure: the same tree;
2. symbolic: the difference cancels to 0 (σ written with exp; SymPy's ``cancel``, bounded in
   size); a difference SymPy proves nonzero, such as the constant 10⁻²⁵, is a mismatch;
3. numeric: both sides agree at several points (simple ones such as x = 1/2 first, then
   random ones), evaluated with mpmath at 30 digits and compared relative to their magnitude:
   0 against x/10³⁰ is a mismatch.

The comparison is :mod:`symderiv.proof.equivalence`, the same one that proves the steps of a
derivation, asked as a test asks it (:mod:`symderiv.testing.compare`).

When a formula is wrong they raise :class:`FormulaMismatchError`, an ``AssertionError`` whose
message gives your formula and the true one, their difference simplified, a point where they
differ with both values, and, for a derivative, the first step of the derivation where your
formula departs when one single slip explains it (a sign lost, a chain-rule factor left out, a
rule misremembered: :mod:`symderiv.testing.departure`). :func:`numeric_check` compares a
derivative with numbers that no symbolic rule made (:mod:`symderiv.testing.numbers`).

>>> import sympy as sp
>>> import symderiv as sd
>>> x = sp.Symbol("x")
>>> assert_derivative(1 / (1 + sp.exp(-x)), x, sd.sigmoid(x) * (1 - sd.sigmoid(x))).method
'symbolic'
>>> assert_derivative("sigmoid(x)**2", "x", "2*sigmoid(x)")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
symderiv.testing.assertions.FormulaMismatchError: 2*sigmoid(x) is not the derivative of sigmoid(x)**2 with respect to x
  yours:           2*sigmoid(x)
  true derivative: 2*(1 - sigmoid(x))*sigmoid(x)**2
  yours − true:    2*(sigmoid(x)**2 - sigmoid(x) + 1)*sigmoid(x)
  counterexample:  at x = 1, yours = 1.462117157, true = 0.2874696809
  where it departs: step 3 (sigmoid): d/dx sigmoid(x) = (1 - sigmoid(x))*sigmoid(x);
                    your formula is what you get if this derivative is taken as 1 (a factor of the chain rule left out)
  see every step:  sd.derive(sigmoid(x)**2, x, detail="full")

In a pytest suite the helpers' own frames are hidden from the traceback (``__tracebackhide__``),
so the failure points at your test line.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy as sp

from ..core.derivation import Derivation
from ..errors import SymderivError
from .arguments import (
    CheckArgumentError,
    differentiate,
    formulas,
    numeric_methods,
    numeric_points,
    variable_named,
    variables,
)
from .compare import Agreement, Counterexample, compare
from .departure import Departure, find_departure
from .messages import tidy
from .numbers import FD_ATOL, FD_EPS, FD_RTOL, NumericReport, compare_with_numbers

__all__ = [
    "CheckArgumentError",
    "FormulaMismatchError",
    "assert_derivative",
    "assert_equivalent",
    "assert_gradient",
    "numeric_check",
]


class FormulaMismatchError(SymderivError, AssertionError):
    """A formula is not what a test said it is. The message explains why, for a student.

    Attributes: ``yours`` and ``true`` (SymPy expressions), ``difference`` (yours − true,
    simplified), ``counterexample`` (:class:`Counterexample` or None), ``departure``
    (:class:`Departure` or None), and ``reason`` when no counterexample could be computed.
    """

    def __init__(
        self,
        message: str,
        *,
        yours: sp.Expr | None = None,
        true: sp.Expr | None = None,
        difference: sp.Expr | None = None,
        counterexample: Counterexample | None = None,
        departure: Departure | None = None,
        reason: str | None = None,
    ):
        self.yours = yours
        self.true = true
        self.difference = difference
        self.counterexample = counterexample
        self.departure = departure
        self.reason = reason
        super().__init__(message)


# --- The assertions ----------------------------------------------------------------------------

def assert_equivalent(
    a: Any,
    b: Any,
    *,
    rtol: float | None = None,
    points: int = 6,
    digits: int = 30,
    seed: int = 0,
) -> Agreement:
    """Assert that ``a`` and ``b`` are the same function; return how that was shown.

    ``a`` and ``b`` are SymPy expressions, numbers, text (read by :func:`symderiv.parse.text.parse`)
    or derivations (their result). Symbols are matched by name, so ``"x"`` in text is the ``x``
    of your SymPy expression whatever its assumptions. ``rtol`` bounds the numeric comparison,
    ``|a − b| ≤ rtol·max(|a|, |b|)`` (relative to their magnitude, however small, apart from
    the rounding noise of the evaluation); by default 10^-(digits − 8), or 1e-12 when either
    side holds a float such as ``0.5``.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> assert_equivalent("exp(x)/(1 + exp(x))", "sigmoid(x)").method
    'symbolic'
    >>> assert_equivalent("sin(x)**2", "1 - cos(x)**2").method
    'symbolic'
    >>> assert_equivalent("sin(2*x)", "2*sin(x)*cos(x)").method
    'numeric'
    >>> assert_equivalent("(x + 1)**2", "x**2 + 1")
    Traceback (most recent call last):
    ...
    symderiv.testing.assertions.FormulaMismatchError: (x + 1)**2 and x**2 + 1 are not the same function
      left:           (x + 1)**2
      right:          x**2 + 1
      left − right:   2*x
      counterexample: at x = 1, left = 4.0, right = 2.0
    """
    __tracebackhide__ = True
    left, right = formulas(a, b)
    outcome = compare(left, right, rtol=rtol, points=points, digits=digits, seed=seed)
    if isinstance(outcome, Agreement):
        return outcome
    difference = tidy(left - right)
    lines = [
        f"{left} and {right} are not the same function",
        f"  left:           {left}",
        f"  right:          {right}",
        f"  left − right:   {difference}",
    ]
    lines.append(_outcome_line(outcome, "left", "right", width=16))
    raise FormulaMismatchError(
        "\n".join(lines),
        yours=left,
        true=right,
        difference=difference,
        counterexample=outcome if isinstance(outcome, Counterexample) else None,
        reason=outcome if isinstance(outcome, str) else None,
    )


def assert_derivative(
    f: Any,
    wrt: sp.Symbol | str,
    expected: Any,
    *,
    rtol: float | None = None,
    points: int = 6,
    digits: int = 30,
    seed: int = 0,
) -> Agreement:
    """Assert that ``expected`` is the derivative of ``f`` with respect to ``wrt``.

    Passing costs one ``sympy.diff`` and the comparison of :func:`assert_equivalent`. Failing
    also derives ``f`` step by step (:func:`symderiv.derive`) to show the true derivative in its
    usual form and to find the step where ``expected`` departs.

    >>> import sympy as sp
    >>> import symderiv as sd
    >>> z, y = sp.symbols("z y")
    >>> assert_derivative(sd.logistic_loss(z, y), z, sd.sigmoid(z) - y).method
    'symbolic'
    >>> assert_derivative("sigmoid(x)", "x", "sigmoid(x)*(1 + sigmoid(x))")
    Traceback (most recent call last):
    ...
    symderiv.testing.assertions.FormulaMismatchError: (sigmoid(x) + 1)*sigmoid(x) is not the derivative of sigmoid(x) with respect to x
      yours:           (sigmoid(x) + 1)*sigmoid(x)
      true derivative: (1 - sigmoid(x))*sigmoid(x)
      yours − true:    2*sigmoid(x)**2
      counterexample:  at x = 1, yours = 1.265505224, true = 0.1966119332
      where it departs: step 1 (sigmoid): d/dx sigmoid(x) = (1 - sigmoid(x))*sigmoid(x);
                        your formula fits d/dx sigmoid(x) = (sigmoid(x) + 1)*sigmoid(x) there
      see every step:  sd.derive(sigmoid(x), x, detail="full")
    """
    __tracebackhide__ = True
    function, wanted = formulas(f, expected)
    variable = variable_named(wrt, function, wanted)
    derivative = differentiate(function, variable)
    outcome = compare(wanted, derivative, rtol=rtol, points=points, digits=digits, seed=seed)
    if isinstance(outcome, Agreement):
        return outcome
    raise _derivative_mismatch(function, variable, wanted, derivative, outcome, digits)


def assert_gradient(
    f: Any,
    wrts: Sequence[sp.Symbol | str],
    expected: Sequence[Any],
    *,
    rtol: float | None = None,
    points: int = 6,
    digits: int = 30,
    seed: int = 0,
) -> tuple[Agreement, ...]:
    """Assert that ``expected[i]`` is the partial derivative of ``f`` in ``wrts[i]``, for every i.

    Every component is checked; the error lists each wrong one with its own explanation.

    >>> import sympy as sp
    >>> import symderiv as sd
    >>> w, x, b, y = sp.symbols("w x b y")
    >>> loss = sd.logistic_loss(w * x + b, y)
    >>> a = sd.sigmoid(w * x + b)
    >>> [r.method for r in assert_gradient(loss, [w, b], [x * (a - y), a - y])]
    ['symbolic', 'symbolic']
    >>> assert_gradient(loss, [w, b], [x * (a - y), x * (a - y)])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symderiv.testing.assertions.FormulaMismatchError: 1 of 2 components of the gradient of ... is wrong
    <BLANKLINE>
    ∂/∂b: x*(-y + sigmoid(b + w*x)) is not the derivative of ... with respect to b
    ...
    """
    __tracebackhide__ = True
    if isinstance(wrts, (str, sp.Symbol)) or isinstance(expected, (str, sp.Basic)):
        raise CheckArgumentError("assert_gradient takes a list of variables and a list of partial derivatives")
    if len(wrts) != len(expected):
        raise CheckArgumentError(
            f"{len(wrts)} variables but {len(expected)} partial derivatives: give one for each variable"
        )
    function, *wanted = formulas(f, *expected)
    agreements: list[Agreement] = []
    failures: list[tuple[sp.Symbol, FormulaMismatchError]] = []
    for wrt, component in zip(wrts, wanted):
        variable = variable_named(wrt, function, component)
        derivative = differentiate(function, variable)
        outcome = compare(component, derivative, rtol=rtol, points=points, digits=digits, seed=seed)
        if isinstance(outcome, Agreement):
            agreements.append(outcome)
        else:
            failures.append((variable, _derivative_mismatch(function, variable, component, derivative, outcome, digits)))
    if not failures:
        return tuple(agreements)
    head = f"{len(failures)} of {len(wanted)} components of the gradient of {function} {'is' if len(failures) == 1 else 'are'} wrong"
    parts = [head] + [f"\n∂/∂{variable}: {error}" for variable, error in failures]
    first = failures[0][1]
    raise FormulaMismatchError(
        "\n".join(parts),
        yours=first.yours,
        true=first.true,
        difference=first.difference,
        counterexample=first.counterexample,
        departure=first.departure,
        reason=first.reason,
    )


def numeric_check(
    f: Any,
    wrt: sp.Symbol | str,
    expected: Any,
    *,
    at: Any = None,
    against: Sequence[str] | None = None,
    eps: float = FD_EPS,
    atol: float = FD_ATOL,
    rtol: float = FD_RTOL,
    digits: int = 30,
) -> NumericReport:
    """Check ``expected`` against numerical derivatives of ``f``, independently of any symbolic rule.

    ``against`` names the methods, by default all that are available:

    - ``"finite_difference"``: (f(x + eps) − f(x − eps)) / (2·eps) in float64, passing when
      ``|expected − fd| ≤ atol + rtol·|fd|``, the test and the defaults of
      ``torch.autograd.gradcheck`` (eps 1e-6, atol 1e-5, rtol 1e-3);
    - ``"mpmath"``: ``mpmath.diff`` at ``digits`` digits, passing within 10^-(digits − 8)
      relative to the magnitude of the values (the comparison of :mod:`symderiv.proof.equivalence`);
    - ``"torch"``: ``torch.autograd.grad`` through the code of :func:`symderiv.codegen.lambdify`
      in float64, passing within 1e-9 relative; used when torch is installed.

    ``at`` is a number (for a single variable), a ``{symbol or name: number}`` dict, or a list
    of either; by default five points from −1.5 to 2. Points where ``f`` has no real value are
    skipped.

    >>> import sympy as sp
    >>> import symderiv as sd
    >>> x = sp.Symbol("x")
    >>> report = numeric_check(sd.sigmoid(x), x, "sigmoid(x)*(1 - sigmoid(x))", at=[1, 2, 3],
    ...                        against=["finite_difference", "mpmath"])
    >>> [round(p.finite_difference, 4) for p in report.points]
    [0.1966, 0.105, 0.0452]
    >>> numeric_check("x**3", "x", "3*x", at=2, against=["mpmath"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    symderiv.testing.assertions.FormulaMismatchError: 3*x does not match the numerical derivative of x**3 with respect to x
      mpmath.diff at 30 digits: at x = 2, yours = 6.0, numerical = 12.0
    """
    __tracebackhide__ = True
    function, wanted = formulas(f, expected)
    variable = variable_named(wrt, function, wanted)
    symbols = variables(function, wanted, variable)
    methods, notes = numeric_methods(against)
    chosen = numeric_points(at, symbols, variable)
    report, failures = compare_with_numbers(
        function, wanted, symbols, chosen, methods, notes=notes, eps=eps, atol=atol, rtol=rtol, digits=digits
    )
    if not report.points:
        raise FormulaMismatchError(
            f"could not check {wanted}: {function} has no real value at any of the points",
            yours=wanted,
            reason="no usable point",
        )
    if failures:
        message = f"{wanted} does not match the numerical derivative of {function} with respect to {variable}\n"
        raise FormulaMismatchError(message + "\n".join(failures), yours=wanted, reason=failures[0].strip())
    return report


# --- Explaining a mismatch ---------------------------------------------------------------------

def _derivative_mismatch(
    function: sp.Expr,
    variable: sp.Symbol,
    wanted: sp.Expr,
    derivative: sp.Expr,
    outcome: Counterexample | str,
    digits: int,
) -> FormulaMismatchError:
    derivation = _try_derive(function, variable)
    true = derivation.result if derivation is not None else derivative
    difference = tidy(wanted - true)
    departure = None
    if derivation is not None:
        departure = find_departure(derivation, wanted, digits=min(digits, 20))
    lines = [
        f"{wanted} is not the derivative of {function} with respect to {variable}",
        f"  yours:           {wanted}",
        f"  true derivative: {true}",
        f"  yours − true:    {difference}",
        _outcome_line(outcome, "yours", "true", width=17),
    ]
    if departure is not None:
        lines.append(f"  where it departs: {departure.describe()}")
    if derivation is not None:
        lines.append(f'  see every step:  sd.derive({function}, {variable}, detail="full")')
    return FormulaMismatchError(
        "\n".join(lines),
        yours=wanted,
        true=true,
        difference=difference,
        counterexample=outcome if isinstance(outcome, Counterexample) else None,
        departure=departure,
        reason=outcome if isinstance(outcome, str) else None,
    )


def _outcome_line(outcome: Counterexample | str, left: str, right: str, *, width: int) -> str:
    label = "counterexample:" if isinstance(outcome, Counterexample) else "undecided:"
    text = outcome.describe(left, right) if isinstance(outcome, Counterexample) else outcome
    return f"  {label:<{width}}{text}"


def _try_derive(function: sp.Expr, variable: sp.Symbol) -> Derivation | None:
    from ..calculus.engine import derive

    try:
        return derive(function, variable, detail="full")  # the steps the departure names
    except Exception:  # the explanation is a bonus: never let it hide the assertion
        return None
