"""A derivative against numbers that no symbolic rule made: finite differences, mpmath, autograd.

The machinery of :func:`symderiv.testing.assertions.numeric_check`. At each point, your formula
is compared with:

- central differences (f(x + eps) − f(x − eps)) / (2·eps) in float64, passing when
  ``|yours − fd| ≤ atol + rtol·|fd|``, the test and the defaults of ``torch.autograd.gradcheck``;
- ``mpmath.diff`` at ``digits`` digits, relative to the magnitude of the values (the comparison
  of :mod:`symderiv.proof.equivalence`);
- ``torch.autograd.grad`` through the code of :func:`symderiv.codegen.lambdify`, in float64.

Points where ``f`` or your formula has no real value are skipped, with a note.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> report, failures = compare_with_numbers(sp.sin(x), sp.cos(x), [x], [{x: 0.5}], ["mpmath"])
>>> len(report.points), failures
(1, [])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..proof.equivalence import compare_numerically, is_off_real_line
from ..proof.numeric import NotNumeric, evaluate
from .messages import point_text, value, values

__all__ = [
    "AUTOGRAD_RTOL",
    "FD_ATOL",
    "FD_EPS",
    "FD_RTOL",
    "NumericPoint",
    "NumericReport",
    "compare_with_numbers",
    "mpmath_derivative",
]

#: Defaults of :func:`~symderiv.testing.assertions.numeric_check`, those of
#: ``torch.autograd.gradcheck`` in float64.
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
    """What :func:`~symderiv.testing.assertions.numeric_check` compared, and the largest error of each method."""

    points: tuple[NumericPoint, ...]
    methods: tuple[str, ...]
    max_error: Mapping[str, float]
    notes: tuple[str, ...] = ()

    def __str__(self) -> str:
        lines = [f"{len(self.points)} points, methods: {', '.join(self.methods)}"]
        lines += [f"  {method}: largest error {error:.2e}" for method, error in self.max_error.items()]
        lines += [f"  note: {note}" for note in self.notes]
        return "\n".join(lines)


def mpmath_derivative(f: sp.Expr, wrt: sp.Symbol, point: Mapping[sp.Symbol, Any], digits: int = 30) -> Any:
    """d f / d wrt at ``point`` by ``mpmath.diff`` at ``digits`` digits: no symbolic rule involved.

    >>> import mpmath
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> print(mpmath.nstr(mpmath_derivative(sp.sin(x), x, {x: 0}), 10))
    1.0
    """
    return evaluate(sp.Derivative(f, wrt), point, digits=digits)


def compare_with_numbers(
    function: sp.Expr,
    wanted: sp.Expr,
    symbols: list[sp.Symbol],
    points: list[dict[sp.Symbol, Any]],
    methods: list[str],
    *,
    notes: list[str] | None = None,
    eps: float = FD_EPS,
    atol: float = FD_ATOL,
    rtol: float = FD_RTOL,
    digits: int = 30,
) -> tuple[NumericReport, list[str]]:
    """Compare ``wanted`` with numerical derivatives of ``function`` at ``points``, in the first of
    ``symbols`` (the variable; the others are held at the point's values).

    Returns the report of the points that could be used (``notes`` first among its notes) and one
    line for each disagreement, in the order found: an empty list when every method agreed.
    """
    comparison = _Comparison(function, wanted, symbols, methods, eps, atol, rtol, digits, list(notes or []))
    rows = [row for row in map(comparison.at, points) if row is not None]
    report = NumericReport(tuple(rows), tuple(methods), comparison.errors, tuple(comparison.notes))
    return report, comparison.failures


@dataclass
class _Comparison:
    """The settings of one :func:`compare_with_numbers`, and what it found so far."""

    function: sp.Expr
    wanted: sp.Expr
    symbols: list[sp.Symbol]
    methods: list[str]
    eps: float
    atol: float
    rtol: float
    digits: int
    notes: list[str]
    failures: list[str] = field(default_factory=list)
    errors: dict[str, float] = field(init=False)
    variable: sp.Symbol = field(init=False)
    yours_float: Callable[..., Any] = field(init=False)
    f_float: Callable[..., Any] = field(init=False)
    autograd: Callable[[list[float]], float] | None = field(init=False)

    def __post_init__(self) -> None:
        self.variable = self.symbols[0]
        self.errors = {m: 0.0 for m in self.methods}
        self.yours_float = _float_function(self.symbols, self.wanted)
        self.f_float = _float_function(self.symbols, self.function)
        self.autograd = _torch_gradient(self.symbols, self.function, self.variable) if "torch" in self.methods else None

    def at(self, point: dict[sp.Symbol, Any]) -> NumericPoint | None:
        """Every method at ``point``; None, with a note, where there is no real value."""
        args = [point[s] for s in self.symbols]
        try:
            yours = float(self.yours_float(*args))
            exact_yours = evaluate(self.wanted, point, digits=self.digits)
            exact = mpmath_derivative(self.function, self.variable, point, self.digits)
            fd = None
            if "finite_difference" in self.methods:
                fd = float(_central_difference(self.f_float, args, 0, self.eps))  # the variable is first
        except (NotNumeric, ValueError, ZeroDivisionError, OverflowError, TypeError):
            self.notes.append(f"skipped {point_text(point)}: no real value there")
            return None
        if is_off_real_line(exact, self.digits) or is_off_real_line(exact_yours, self.digits):
            self.notes.append(f"skipped {point_text(point)}: no real value there")
            return None
        if fd is not None:
            self._finite_difference(point, yours, fd)
        if "mpmath" in self.methods:
            self._mpmath(point, exact_yours, exact)
        autograd = None
        if self.autograd is not None:
            autograd = self.autograd(args)
            self._autograd(point, yours, autograd)
        return NumericPoint(point, yours, fd, exact, autograd)

    def _finite_difference(self, point: dict[sp.Symbol, Any], yours: float, fd: float) -> None:
        error = abs(yours - fd)
        self.errors["finite_difference"] = max(self.errors["finite_difference"], error / max(1.0, abs(fd)))
        if not error <= self.atol + self.rtol * abs(fd):
            self.failures.append(
                f"  central difference, eps {self.eps:g}, float64: {point_text(point)}, "
                f"yours = {value(yours)}, numerical = {value(fd)} "
                f"(allowed: atol {self.atol:g} + rtol {self.rtol:g}·|numerical|)"
            )

    def _mpmath(self, point: dict[sp.Symbol, Any], exact_yours: Any, exact: Any) -> None:
        numerical = sp.Derivative(self.function, self.variable)
        tolerance = sp.Rational(1, 10 ** (self.digits - 8))
        compared = compare_numerically(
            self.wanted, numerical, [point], needed=1, digits=self.digits, tolerance=tolerance
        )
        wrong = compared.counterexample
        error = float(wrong.error) if wrong is not None else compared.max_error
        self.errors["mpmath"] = max(self.errors["mpmath"], error)
        if wrong is not None or not compared.agreed:
            shown_yours, shown_exact = values(exact_yours, exact)
            self.failures.append(
                f"  mpmath.diff at {self.digits} digits: {point_text(point)}, "
                f"yours = {shown_yours}, numerical = {shown_exact}"
            )

    def _autograd(self, point: dict[sp.Symbol, Any], yours: float, autograd: float) -> None:
        relative = abs(yours - autograd) / max(1.0, abs(autograd))
        self.errors["torch"] = max(self.errors["torch"], relative)
        if relative > AUTOGRAD_RTOL:
            self.failures.append(
                f"  torch.autograd, float64: {point_text(point)}, "
                f"yours = {value(yours)}, autograd = {value(autograd)}"
            )


def _float_function(symbols: list[sp.Symbol], expr: sp.Expr) -> Any:
    from ..codegen import lambdify

    return lambdify(symbols, expr, backend="math")


def _central_difference(function: Any, args: list[float], position: int, eps: float) -> float:
    above, below = list(args), list(args)
    above[position] += eps
    below[position] -= eps
    return (function(*above) - function(*below)) / (2 * eps)


def _torch_gradient(symbols: list[sp.Symbol], function: sp.Expr, variable: sp.Symbol) -> Callable[[list[float]], float]:
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
