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

The comparison is :mod:`symderiv.proof.equivalence`, the same one that proves the steps of a derivation.

When a formula is wrong they raise :class:`FormulaMismatchError`, an ``AssertionError`` whose
message gives your formula and the true one, their difference simplified, a point where they
differ with both values, and, for a derivative, the first step of the derivation where your
formula departs when one single slip explains it (a sign lost, a chain-rule factor left out, a
rule misremembered).

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
  see every step:  sd.derive(sigmoid(x)**2, x)

In a pytest suite the helpers' own frames are hidden from the traceback (``__tracebackhide__``),
so the failure points at your test line.
"""

from __future__ import annotations

import random
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Literal, Mapping, Sequence

import mpmath
import sympy as sp
from sympy.printing.str import StrPrinter

from ..proof.equivalence import PointComparison, compare_numerically, elementary, exact_verdict
from ..errors import SymderivError, UnsupportedError
from ..core.functions import sigmoid
from ..proof.numeric import NotNumeric, evaluate, is_complex_number
from ..core.steps import Derivation, Step, resolve_where

__all__ = [
    "Agreement",
    "CheckArgumentError",
    "Counterexample",
    "Departure",
    "FormulaMismatchError",
    "NumericReport",
    "NumericPoint",
    "assert_derivative",
    "assert_equivalent",
    "assert_gradient",
    "find_departure",
    "mpmath_derivative",
    "numeric_check",
]

Method = Literal["identical", "symbolic", "numeric"]

#: Simple points tried before random ones, so that a counterexample reads x = 1/2, not x = 0.73648.
SIMPLE_VALUES: tuple[sp.Rational, ...] = tuple(
    sp.Rational(v) for v in ("1", "1/2", "2", "-1", "3/2", "-1/2", "3", "-2")
)
#: How many candidate points are tried to find enough at which both sides have real values.
CANDIDATES = 40
#: Past this size (SymPy's ``count_ops``) the difference is shown as it is, not simplified.
TIDY_LIMIT = 250
#: Most digits added to show a proven difference as a counterexample (10⁻²⁰⁰⁰ and smaller are
#: reported as the difference itself).
MAX_EXTRA_DIGITS = 2000


# --- Results and errors --------------------------------------------------------------------

@dataclass(frozen=True)
class Agreement:
    """How two formulas were shown to be the same function.

    ``method`` is ``"identical"`` (the same tree), ``"symbolic"`` (the difference cancels to 0) or
    ``"numeric"`` (equal at ``points`` points to a relative error of at most ``max_error``).
    """

    method: Method
    points: int = 0
    max_error: float = 0.0


@dataclass(frozen=True)
class Counterexample:
    """A point where two formulas differ, and the value of each there (mpmath numbers)."""

    point: Mapping[sp.Symbol, Any]
    yours: Any
    true: Any

    def describe(self, left: str = "yours", right: str = "true") -> str:
        where = ", ".join(f"{s} = {_number(v)}" for s, v in self.point.items()) or "every point"
        yours, true = _values(self.yours, self.true)
        return f"at {where}, {left} = {yours}, {right} = {true}"


@dataclass(frozen=True)
class Departure:
    """The first step of a derivation where a wrong formula leaves it.

    ``index`` is the 0-based position in ``derivation.steps``; ``node`` the derivative the step
    evaluates and ``correct`` what it evaluates to; ``yours`` what that derivative would have to
    be for your formula to come out, and ``slip`` says in words what kind of slip that is.
    """

    index: int
    rule: str
    node: sp.Expr
    correct: sp.Expr
    yours: sp.Expr
    slip: str
    where: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)

    def describe(self) -> str:
        names = [f"{s} = {v}" for s, v in self.where.items() if s in self.node.free_symbols]
        scope = f" (with {', '.join(names)})" if names else ""
        return (
            f"step {self.index + 1} ({self.rule}): {_show(self.node)} = {_show(self.correct)}{scope};\n"
            f"                    {self.slip}"
        )


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


class CheckArgumentError(SymderivError, ValueError):
    """The arguments of a check do not fit together (lists of different lengths, a bad variable)."""


# --- The public assertions -------------------------------------------------------------------

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
    left, right = _formulas(a, b)
    outcome = _compare(left, right, rtol=rtol, points=points, digits=digits, seed=seed)
    if isinstance(outcome, Agreement):
        return outcome
    difference = _tidy(left - right)
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
      see every step:  sd.derive(sigmoid(x), x)
    """
    __tracebackhide__ = True
    function, wanted = _formulas(f, expected)
    variable = _variable(wrt, function, wanted)
    derivative = _diff(function, variable)
    outcome = _compare(wanted, derivative, rtol=rtol, points=points, digits=digits, seed=seed)
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
    function, *wanted = _formulas(f, *expected)
    agreements: list[Agreement] = []
    failures: list[tuple[sp.Symbol, FormulaMismatchError]] = []
    for wrt, component in zip(wrts, wanted):
        variable = _variable(wrt, function, component)
        derivative = _diff(function, variable)
        outcome = _compare(component, derivative, rtol=rtol, points=points, digits=digits, seed=seed)
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


# --- Numeric cross-checks ------------------------------------------------------------------

#: Defaults of :func:`numeric_check`, those of ``torch.autograd.gradcheck`` in float64.
FD_EPS, FD_ATOL, FD_RTOL = 1e-6, 1e-5, 1e-3
#: Autograd and the formula are both exact up to rounding: the bound on their float64 difference.
AUTOGRAD_RTOL = 1e-9


@dataclass(frozen=True)
class NumericPoint:
    """The values at one point: your formula, central differences in float64, ``mpmath.diff``
    at ``digits`` digits, and ``torch.autograd`` in float64 (None when not run)."""

    point: Mapping[sp.Symbol, float]
    yours: float
    finite_difference: float | None
    mpmath: Any
    autograd: float | None


@dataclass(frozen=True)
class NumericReport:
    """What :func:`numeric_check` compared, and the largest error of each method."""

    points: tuple[NumericPoint, ...]
    methods: tuple[str, ...]
    max_error: Mapping[str, float]
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"{len(self.points)} points, methods: {', '.join(self.methods)}"]
        lines += [f"  {method}: largest error {error:.2e}" for method, error in self.max_error.items()]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


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
    function, wanted = _formulas(f, expected)
    variable = _variable(wrt, function, wanted)
    symbols = _ordered_symbols(function, wanted, variable)
    methods, notes = _methods(against)
    chosen = _numeric_points(at, symbols, variable)
    yours_float = _float_function(symbols, wanted)
    f_float = _float_function(symbols, function)
    torch_gradient = _torch_gradient(symbols, function, variable) if "torch" in methods else None
    tolerance = sp.Rational(1, 10 ** (digits - 8))
    numerical = sp.Derivative(function, variable)
    rows: list[NumericPoint] = []
    errors: dict[str, float] = {m: 0.0 for m in methods}
    failures: list[str] = []
    for values in chosen:
        args = [values[s] for s in symbols]
        try:
            yours = float(yours_float(*args))
            exact_yours = evaluate(wanted, values, digits=digits)
            exact = mpmath_derivative(function, variable, values, digits)
            fd = None
            if "finite_difference" in methods:
                fd = float(_central_difference(f_float, args, symbols.index(variable), eps))
        except (NotNumeric, ValueError, ZeroDivisionError, OverflowError, TypeError):
            notes.append(f"skipped {_point_text(values)}: no real value there")
            continue
        if _is_complex(exact, digits) or _is_complex(exact_yours, digits):
            notes.append(f"skipped {_point_text(values)}: no real value there")
            continue
        if fd is not None:
            error = abs(yours - fd)
            errors["finite_difference"] = max(errors["finite_difference"], error / max(1.0, abs(fd)))
            if not error <= atol + rtol * abs(fd):
                failures.append(
                    f"  central difference, eps {eps:g}, float64: {_point_text(values)}, "
                    f"yours = {_value(yours)}, numerical = {_value(fd)} "
                    f"(allowed: atol {atol:g} + rtol {rtol:g}·|numerical|)"
                )
        if "mpmath" in methods:
            compared = compare_numerically(wanted, numerical, [values], needed=1, digits=digits, tolerance=tolerance)
            wrong = compared.counterexample
            errors["mpmath"] = max(errors["mpmath"], float(wrong.error) if wrong is not None else compared.max_error)
            if wrong is not None or not compared.agreed:
                shown_yours, shown_exact = _values(exact_yours, exact)
                failures.append(
                    f"  mpmath.diff at {digits} digits: {_point_text(values)}, "
                    f"yours = {shown_yours}, numerical = {shown_exact}"
                )
        autograd = None
        if torch_gradient is not None:
            autograd = torch_gradient(args)
            relative_autograd = abs(yours - autograd) / max(1.0, abs(autograd))
            errors["torch"] = max(errors["torch"], relative_autograd)
            if relative_autograd > AUTOGRAD_RTOL:
                failures.append(
                    f"  torch.autograd, float64: {_point_text(values)}, "
                    f"yours = {_value(yours)}, autograd = {_value(autograd)}"
                )
        rows.append(NumericPoint(values, yours, fd, exact, autograd))
    if not rows:
        raise FormulaMismatchError(
            f"could not check {wanted}: {function} has no real value at any of the points",
            yours=wanted,
            reason="no usable point",
        )
    if failures:
        message = f"{wanted} does not match the numerical derivative of {function} with respect to {variable}\n"
        raise FormulaMismatchError(message + "\n".join(failures), yours=wanted, reason=failures[0].strip())
    return NumericReport(tuple(rows), tuple(methods), errors, tuple(notes))


def mpmath_derivative(f: sp.Expr, wrt: sp.Symbol, point: Mapping[sp.Symbol, Any], digits: int = 30) -> Any:
    """d f / d wrt at ``point`` by ``mpmath.diff`` at ``digits`` digits: no symbolic rule involved.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> print(mpmath.nstr(mpmath_derivative(sp.sin(x), x, {x: 0}), 10))
    1.0
    """
    return evaluate(sp.Derivative(f, wrt), point, digits=digits)


# --- Comparing two formulas ----------------------------------------------------------------

def _compare(
    left: sp.Expr,
    right: sp.Expr,
    *,
    rtol: float | None,
    points: int,
    digits: int,
    seed: int,
) -> Agreement | Counterexample | str:
    """An :class:`Agreement`, a :class:`Counterexample`, or a reason why neither was found.

    Exact proofs first (:func:`symderiv.proof.equivalence.exact_verdict`; rounded numbers are left to
    the numbers), then the numbers at simple and random points, relative to their magnitude.
    """
    verdict = exact_verdict(left, right, cancel_rounded=False)
    if verdict is not None and verdict.same:
        return Agreement(verdict.method)  # type: ignore[arg-type]
    groups = _names(left, right)
    if verdict is not None:
        return _shown_different(left, right, verdict.difference, groups, digits, seed)
    tolerance = _tolerance(rtol, digits, left, right)
    outcome = compare_numerically(
        left, right, _points(groups, points, seed), needed=points, digits=digits, tolerance=tolerance
    )
    if outcome.counterexample is not None:
        return _counterexample(outcome.counterexample)
    real_points = outcome.agreed - outcome.complex_agreed
    if outcome.agreed >= points and real_points >= 1:
        return Agreement("numeric", outcome.agreed, outcome.max_error)
    reason = (
        f"SymPy could not show them equal, and they have real values at only {real_points} of "
        f"{CANDIDATES} points tried (need {points})"
    )
    if outcome.unusable:
        reason += f"; for example {outcome.unusable[0]}"
    return reason


def _shown_different(
    left: sp.Expr, right: sp.Expr, difference: sp.Expr, groups: list[list[sp.Symbol]], digits: int, seed: int
) -> Counterexample | str:
    """SymPy proved ``left − right = difference ≠ 0``: a point that shows it, with enough digits
    to resolve a difference as small as 10⁻⁴⁰ beside values near 1."""
    digits += _digits_to_resolve(difference)
    outcome = compare_numerically(
        left, right, _points(groups, CANDIDATES, seed), needed=CANDIDATES, digits=digits, tolerance=0
    )
    if outcome.counterexample is not None:
        return _counterexample(outcome.counterexample)
    shown = sp.N(difference, 15) if difference.is_number else difference
    return f"their difference is {shown}, which is not 0"


def _digits_to_resolve(difference: sp.Expr) -> int:
    """Extra digits needed to see a constant difference beside values of size 1 or so."""
    if difference.free_symbols:
        return 0
    try:
        size = abs(evaluate(difference, {}, digits=15))
    except NotNumeric:
        return 0
    return 0 if size == 0 or size >= 1 else min(int(-mpmath.log10(size)) + 5, MAX_EXTRA_DIGITS)


def _counterexample(result: PointComparison) -> Counterexample | str:
    if result.complex:
        where = _point_text(result.point)
        return (
            f"they differ off the real line, {where}: left = {_value(result.left)}, "
            f"right = {_value(result.right)}, and too few points give real values"
        )
    return Counterexample(dict(result.point), _real(result.left), _real(result.right))


def _tolerance(rtol: float | None, digits: int, *exprs: sp.Expr) -> Any:
    if rtol is not None:
        return rtol
    if any(e.has(sp.Float) for e in exprs):
        return sp.Rational(1, 10**12)
    return sp.Rational(1, 10 ** (digits - 8))


def _names(*exprs: sp.Expr) -> list[list[sp.Symbol]]:
    """The free symbols grouped by name (symbols of one name get one value), sorted by name."""
    by_name: dict[str, list[sp.Symbol]] = {}
    for expr in exprs:
        for symbol in expr.free_symbols:
            group = by_name.setdefault(symbol.name, [])
            if symbol not in group:
                group.append(symbol)
    return [by_name[name] for name in sorted(by_name)]


def _points(groups: list[list[sp.Symbol]], points: int, seed: int) -> Iterable[dict[sp.Symbol, Any]]:
    """Simple points first (each variable a different simple value), then random ones."""
    if not groups:
        yield {}
        return
    rng = random.Random(zlib.crc32(f"{seed}:{[g[0].name for g in groups]}".encode()))
    n = len(SIMPLE_VALUES)
    for attempt in range(CANDIDATES):
        if attempt < n:
            values = [_exact(SIMPLE_VALUES[(attempt + 3 * i) % n]) for i in range(len(groups))]
        else:
            values = [_random_value(rng, attempt) for _ in groups]
        yield {symbol: value for group, value in zip(groups, values) for symbol in group}


def _exact(value: sp.Rational) -> Any:
    """A simple (dyadic) value as an mpmath number, exactly, whatever the global precision."""
    return mpmath.mp.make_mpf(mpmath.libmp.from_rational(int(value.p), int(value.q), 64))


def _random_value(rng: random.Random, attempt: int) -> Any:
    from ..proof.check import _random_value as random_value

    return random_value(rng, attempt)


def _is_complex(value: Any, digits: int = 30) -> bool:
    """Off the real line: the imaginary part is more than rounding noise beside the value."""
    return is_complex_number(value) and abs(value.imag) > mpmath.mpf(10) ** (-(digits // 2)) * abs(value)


def _real(value: Any) -> Any:
    """The real part, as a number of mpmath's global types (every digit kept)."""
    value = value.real if is_complex_number(value) else value
    return mpmath.mp.make_mpf(value._mpf_) if hasattr(value, "_mpf_") else value


# --- Explaining a wrong derivative ---------------------------------------------------------

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
    difference = _tidy(wanted - true)
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
        lines.append(f"  see every step:  sd.derive({function}, {variable})")
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
        return derive(function, variable)
    except Exception:  # the explanation is a bonus: never let it hide the assertion
        return None


def find_departure(derivation: Derivation, wrong: sp.Expr, *, digits: int = 20) -> Departure | None:
    """The first step of ``derivation`` where one slip turns its result into ``wrong``, or None.

    A slip at one step replaces the derivative that step evaluates by something else, and the
    steps after it carry the change to the end. Tried at each step, in order: the opposite sign,
    leaving the derivative out (0), taking it as 1 (a chain-rule factor forgotten), twice or
    half of it; first at that step alone, then wherever the same derivative comes up again
    (∂/∂w (w·x + b) taken as 1 in both terms of a loss). Failing those, the step whose
    derivative, solved for from ``wrong``, comes out no larger than the right one: a rule
    misremembered (σ′ = σ(1 + σ)).

    >>> import sympy as sp
    >>> from symderiv.calculus.engine import derive
    >>> x = sp.Symbol("x")
    >>> d = derive(sp.sin(x**2), x)
    >>> print(find_departure(d, sp.cos(x**2)).describe())
    step 3 (power): d/dx(x**2) = 2*x;
                        your formula is what you get if this derivative is taken as 1 (a factor of the chain rule left out)
    """
    points = _departure_points(derivation.result, wrong, digits)
    if not points:
        return None
    targets = [evaluate(wrong, p, digits=digits) for p in points]
    tolerance = mpmath.mpf(10) ** (-(digits - 8))

    def fits(candidate: sp.Expr) -> bool:
        return _matches(candidate, targets, points, digits, tolerance)

    evaluated = [
        (index, step) for index, step in enumerate(derivation.steps)
        if step.focus is not None and isinstance(step.focus[0], sp.Derivative)
    ][:60]
    repeated = _repeated_nodes(evaluated)
    solved: list[tuple[int, Step, sp.Expr, sp.Dummy, sp.Expr]] = []
    for index, step in evaluated:
        node, result = step.focus  # type: ignore[misc]
        unknown = sp.Dummy("D")
        try:
            correct = resolve_where(result.doit(), step.where).doit()
            completions = [("", _completed(step, unknown))]
            if _node_key(step) in repeated:
                completions.append((" wherever it comes up", _completed_everywhere(step, unknown, derivation.wrt)))
        except Exception:  # SymPy failing on one step leaves the others to try
            continue
        for scope, completed in completions:
            if completed is None or completed.has(sp.Derivative) or not completed.has(unknown):
                continue
            for slip_value, what, cause in _slips(correct):
                if fits(completed.xreplace({unknown: slip_value})):
                    slip = f"your formula is what you get if {what}{scope}{cause}"
                    return Departure(index, step.rule, node, result, slip_value, slip, dict(step.where))
        if completions[0][1] is not None and (not result.has(sp.Derivative) or len(evaluated) == 1):
            solved.append((index, step, completions[0][1], unknown, correct))
    for index, step, completed, unknown, correct in solved:
        if index == 0 and len(evaluated) > 1:
            continue  # solving at the first step only restates your formula
        implied = _implied(completed, unknown, wrong)
        if implied is None or sp.count_ops(implied) > sp.count_ops(correct) + 2:
            continue
        if fits(completed.xreplace({unknown: implied})):
            node, result = step.focus  # type: ignore[misc]
            shown = _in_names(implied, step.where, node)
            return Departure(
                index, step.rule, node, result, shown,
                f"your formula fits {_show(node)} = {_show(shown)} there", dict(step.where),
            )
    return None


def _completed(step: Step, unknown: sp.Dummy) -> sp.Expr:
    """The end result of the derivation, as a function of the value ``unknown`` of this step's
    derivative: every other derivative evaluated, substitutions put back."""
    node = step.focus[0]  # type: ignore[index]
    return resolve_where(step.before.xreplace({node: unknown}).doit(), step.where).doit()


def _completed_everywhere(step: Step, unknown: sp.Dummy, wrt: sp.Symbol) -> sp.Expr | None:
    """As :func:`_completed`, with every later d/dwrt of the same expression also ``unknown``.

    The expression g is replaced by an undefined function G(wrt) in the rest of the work, so
    that the chain rule writes dG/dwrt wherever g is differentiated; that is then ``unknown``.
    """
    node = step.focus[0]  # type: ignore[index]
    variable = node.variables[0]
    inner = _resolved(node.expr, step.where)
    if variable != wrt or variable in step.where or inner == variable or variable not in inner.free_symbols:
        return None
    stand_in = sp.Function("G")(variable)
    swap = {inner: stand_in}
    before = step.before.xreplace({node: unknown}).xreplace(swap)
    where = {name: value.xreplace(swap) for name, value in step.where.items()}
    done = resolve_where(before.doit(), where).doit()
    done = done.xreplace({sp.Derivative(stand_in, variable): unknown})
    return done.xreplace({stand_in: inner})


def _repeated_nodes(evaluated: list[tuple[int, Step]]) -> set[sp.Expr]:
    """The derivatives (in the derivation's own variables) that more than one step evaluates."""
    seen: set[sp.Expr] = set()
    repeated: set[sp.Expr] = set()
    for _, step in evaluated:
        key = _node_key(step)
        if key is not None:
            (repeated if key in seen else seen).add(key)
    return repeated


def _node_key(step: Step) -> sp.Expr | None:
    node = step.focus[0]  # type: ignore[index]
    if any(v in step.where for v in node.variables):
        return None
    return sp.Derivative(_resolved(node.expr, step.where), *node.variables)


def _resolved(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    return resolve_where(expr, where) if where else expr


def _implied(completed: sp.Expr, unknown: sp.Dummy, wrong: sp.Expr) -> sp.Expr | None:
    """The value of the unknown derivative that makes ``completed`` equal ``wrong``, when the
    result depends on it linearly (it always does through the sum, product and chain rules)."""
    slope = sp.diff(completed, unknown)
    if slope == 0 or slope.has(unknown):
        return None
    return _tidy((wrong - completed.xreplace({unknown: 0})) / slope)


def _slips(correct: sp.Expr) -> list[tuple[sp.Expr, str, str]]:
    """The slips tried at each step: (value taken, what that means, the usual cause)."""
    slips = [
        (-correct, "this derivative has the opposite sign", " (a minus sign lost here or later)"),
        (sp.S.Zero, "this derivative is left out (taken as 0)", ""),
        (sp.S.One, "this derivative is taken as 1", " (a factor of the chain rule left out)"),
        (2 * correct, "this derivative is doubled", ""),
        (correct / 2, "this derivative is halved", ""),
    ]
    return [slip for slip in slips if slip[0] != correct]


def _departure_points(true: sp.Expr, wrong: sp.Expr, digits: int) -> list[dict[sp.Symbol, Any]]:
    usable = []
    for point in _points(_names(true, wrong), 3, seed=7):
        try:
            a, b = evaluate(true, point, digits=digits), evaluate(wrong, point, digits=digits)
        except NotNumeric:
            continue
        if _is_complex(a) or _is_complex(b):
            continue
        usable.append(point)
        if len(usable) == 3:
            break
    return usable


def _matches(candidate: sp.Expr, targets: list[Any], points: list[dict[sp.Symbol, Any]], digits: int, tolerance: Any) -> bool:
    for point, target in zip(points, targets):
        try:
            value = evaluate(candidate, point, digits=digits)
        except NotNumeric:
            return False
        if abs(value - target) > tolerance * max(1, abs(value), abs(target)):
            return False
    return True


def _in_names(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr], node: sp.Expr) -> sp.Expr:
    """Write ``expr`` with the substitution names the node uses (σ(x) back to u when d/du)."""
    names = {value: name for name, value in where.items() if name in node.free_symbols}
    return expr.xreplace(names) if names else expr


class _Printer(StrPrinter):
    """SymPy's ``str``, with a derivative written d/dx(f) or d/dx sin(x), as on paper."""

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        variables = "".join(
            f"d{v}" if n == 1 else f"d{v}^{n}" for v, n in expr.variable_count
        )
        order = sum(int(n) for _, n in expr.variable_count)
        top = "d" if order == 1 else f"d^{order}"
        inner = self._print(expr.expr)
        if isinstance(expr.expr, (sp.Symbol, sp.Function)):
            return f"{top}/{variables} {inner}"
        return f"{top}/{variables}({inner})"


def _show(expr: sp.Basic) -> str:
    return _Printer().doprint(expr)


# --- Reading arguments ---------------------------------------------------------------------

def _formulas(*items: Any) -> list[sp.Expr]:
    """SymPy expressions for ``items``; text is parsed, and its symbols matched by name."""
    from_objects: dict[str, sp.Symbol] = {}
    converted: list[sp.Expr | None] = []
    for item in items:
        if isinstance(item, str):
            converted.append(None)
            continue
        expr = _expression(item)
        for symbol in sorted(expr.free_symbols, key=lambda s: s.name):
            from_objects.setdefault(symbol.name, symbol)
        converted.append(expr)
    result = []
    for item, expr in zip(items, converted):
        if expr is None:
            from ..parse.text import parse

            parsed = parse(item)
            renames = {s: from_objects[s.name] for s in parsed.free_symbols if s.name in from_objects}
            expr = parsed.xreplace(renames) if renames else parsed
        result.append(expr)
    return result


def _expression(item: Any) -> sp.Expr:
    if isinstance(item, Derivation):
        return item.result
    if isinstance(item, bool):
        raise UnsupportedError("a formula cannot be True or False")
    if isinstance(item, int):
        return sp.Integer(item)  # numbers become SymPy numbers directly; nothing is ever sympified
    if isinstance(item, float):
        return sp.Float(item)
    if isinstance(item, sp.Expr):
        return item
    raise UnsupportedError(
        f"expected a formula (a SymPy expression, a number or text); got {type(item).__name__}"
    )


def _variable(wrt: sp.Symbol | str, *exprs: sp.Expr) -> sp.Symbol:
    if isinstance(wrt, str):
        if not wrt.isidentifier():
            raise CheckArgumentError(f"the variable must be a name such as 'x'; got {wrt!r}")
        name = wrt
    elif isinstance(wrt, sp.Symbol):
        name = wrt.name
        if any(wrt in e.free_symbols for e in exprs):
            return wrt
    else:
        raise CheckArgumentError(f"the variable must be a Symbol or its name; got {type(wrt).__name__}")
    for expr in exprs:
        for symbol in sorted(expr.free_symbols, key=sp.default_sort_key):
            if symbol.name == name:
                return symbol  # the same name: the variable the formula means
    return wrt if isinstance(wrt, sp.Symbol) else sp.Symbol(name)


def _diff(function: sp.Expr, variable: sp.Symbol) -> sp.Expr:
    try:
        return sp.diff(function, variable)
    except Exception as error:
        raise UnsupportedError(f"SymPy cannot differentiate {function}: {error}") from error


# --- Printing ------------------------------------------------------------------------------

def _tidy(expr: sp.Expr) -> sp.Expr:
    """The smallest of a few cheap forms of ``expr`` (factored first on ties), never ``simplify``."""
    if sp.count_ops(expr) > TIDY_LIMIT:
        return expr
    tidiers = [sp.factor, sp.cancel, sp.factor_terms]
    if _safe_to_expand(expr):
        tidiers = [lambda e: sp.factor(sp.expand(e)), *tidiers, sp.expand]
    candidates = []
    for tidier in tidiers:
        try:
            candidates.append(tidier(expr))
        except Exception:  # a tidier that gives up leaves the others
            continue
    candidates.append(expr)
    if expr.has(sigmoid) and expr.has(sp.exp):
        # σ beside e^x: written all in exponentials, the two often cancel to something short.
        written_out = elementary(expr)
        for tidier in (sp.cancel, sp.factor):
            try:
                candidates.append(tidier(written_out))
            except Exception:
                continue
    return min(candidates, key=sp.count_ops)


def _safe_to_expand(expr: sp.Expr) -> bool:
    """No power of a sum above the 6th, so multiplying out stays small."""
    return not any(
        p.base.is_Add and p.exp.is_Integer and abs(p.exp) > 6 for p in expr.atoms(sp.Pow)
    )


def _number(value: Any) -> str:
    """A point's coordinate: exact when simple (1/2, −1), else 12 significant digits."""
    if isinstance(value, sp.Basic):
        return str(value)
    for simple in SIMPLE_VALUES:
        if value == _exact(simple):
            return str(simple)
    return mpmath.nstr(value, 12)


def _value(value: Any, digits: int = 10) -> str:
    if isinstance(value, float):
        return repr(value)
    return mpmath.nstr(value, digits)


def _values(a: Any, b: Any) -> tuple[str, str]:
    """Both values, with 10 digits or as many more as it takes for them to read differently."""
    shown = 10
    while _value(a, shown) == _value(b, shown) and a != b and shown < MAX_EXTRA_DIGITS:
        shown *= 2
    return _value(a, shown), _value(b, shown)


def _point_text(point: Mapping[sp.Symbol, Any]) -> str:
    return "at " + (", ".join(f"{s} = {_number(v)}" for s, v in point.items()) or "every point")


# --- Numeric helpers -----------------------------------------------------------------------

def _ordered_symbols(function: sp.Expr, wanted: sp.Expr, variable: sp.Symbol) -> list[sp.Symbol]:
    others = sorted((function.free_symbols | wanted.free_symbols) - {variable}, key=lambda s: s.name)
    return [variable, *others]


def _methods(against: Sequence[str] | None) -> tuple[list[str], list[str]]:
    known = ("finite_difference", "mpmath", "torch")
    notes: list[str] = []
    if against is None:
        import importlib.util

        methods = ["finite_difference", "mpmath"]
        if importlib.util.find_spec("torch") is not None:
            methods.append("torch")
        else:
            notes.append("torch is not installed: autograd not compared (pip install 'symderiv[torch]')")
        return methods, notes
    if isinstance(against, str):
        against = [against]
    unknown = [m for m in against if m not in known]
    if unknown or not against:
        raise CheckArgumentError(f"unknown method {unknown or against!r}; choose from: {', '.join(known)}")
    return list(dict.fromkeys(against)), notes


def _numeric_points(at: Any, symbols: list[sp.Symbol], variable: sp.Symbol) -> list[dict[sp.Symbol, Any]]:
    if at is None:
        defaults = [-1.5, -0.5, 0.25, 1.0, 2.0]
        others = [0.75, -1.25, 1.5, 0.5, -0.25]
        return [
            {s: (defaults[k] if s == variable else others[(k + i) % len(others)]) for i, s in enumerate(symbols)}
            for k in range(len(defaults))
        ]
    items = at if isinstance(at, (list, tuple)) else [at]
    by_name = {s.name: s for s in symbols}
    chosen = []
    for item in items:
        if isinstance(item, Mapping):
            point = {}
            for key, value in item.items():
                symbol = by_name.get(key if isinstance(key, str) else key.name)
                if symbol is None:
                    raise CheckArgumentError(f"the point names {key}, which the formulas do not use")
                point[symbol] = float(value)
            missing = [s.name for s in symbols if s not in point]
            if missing:
                raise CheckArgumentError(f"the point {dict(item)} gives no value for {', '.join(missing)}")
        else:
            if len(symbols) != 1:
                names = ", ".join(s.name for s in symbols)
                raise CheckArgumentError(f"the formulas use {names}: give each point as a dict of their values")
            point = {symbols[0]: float(item)}
        chosen.append(point)
    return chosen


def _float_function(symbols: list[sp.Symbol], expr: sp.Expr) -> Any:
    from ..codegen import lambdify

    return lambdify(symbols, expr, backend="math")


def _central_difference(function: Any, args: list[float], position: int, eps: float) -> float:
    above, below = list(args), list(args)
    above[position] += eps
    below[position] -= eps
    return (function(*above) - function(*below)) / (2 * eps)


def _torch_gradient(symbols: list[sp.Symbol], function: sp.Expr, variable: sp.Symbol) -> Any:
    from ..codegen import lambdify

    torch = __import__("torch")
    forward = lambdify(symbols, function, backend="torch")
    position = symbols.index(variable)

    def gradient(args: list[float]) -> float:
        tensors = [torch.tensor(float(a), dtype=torch.float64) for a in args]
        tensors[position].requires_grad_(True)
        output = forward(*tensors)
        if not isinstance(output, torch.Tensor) or not output.requires_grad:
            return 0.0  # f does not depend on the variable: autograd has nothing to follow
        (grad,) = torch.autograd.grad(output, tensors[position])
        return float(grad)

    return gradient
