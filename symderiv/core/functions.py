"""The functions of machine learning as SymPy functions: σ, softplus and ReLU.

The losses built from them are in :mod:`symderiv.models.losses`.

Each is a :class:`sympy.Function` subclass, so it lives in SymPy expression trees like ``exp``
or ``sin``: it prints, differentiates, evaluates numerically at any precision and rewrites
into elementary functions.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> sigmoid(0)
1/2
>>> sigmoid(x).diff(x)
(1 - sigmoid(x))*sigmoid(x)
>>> sigmoid(x).rewrite(sp.exp)
1/(1 + exp(-x))
>>> sigmoid(1).evalf(15)
0.731058578630005
"""

from __future__ import annotations

from typing import Any, Callable

import mpmath
import sympy as sp
from sympy.core.function import ArgumentIndexError

from . import printing
from .precision import working_context

__all__ = ["sigmoid", "softplus", "relu"]


class _PrintedBySymPy:
    """SymPy's own printers (lambdify, pycode, ccode, mathml) ask the function how to print
    itself; it answers with the stable forms of :mod:`symderiv.core.printing`, under its name."""

    args: tuple[Any, ...]

    def _pythoncode(self, printer: Any) -> str:
        return printing.code(type(self).__name__, self.args[0], printer)

    # NumPy's printer asks for _numpycode, CuPy's for _cupycode, JAX's for _jaxcode
    _numpycode = _cupycode = _jaxcode = _mpmathcode = _torchcode = _ccode = _pythoncode

    def _mathml_presentation(self, printer: Any) -> Any:
        return printing.mathml(type(self).__name__, self.args[0], printer)

    def _mathml_content(self, printer: Any) -> Any:
        return printing.mathml(type(self).__name__, self.args[0], printer, content=True)


class sigmoid(_PrintedBySymPy, sp.Function):
    r"""The logistic sigmoid σ(x) = 1/(1 + e^{−x}).

    σ(0) = 1/2, σ(x) → 0 as x → −∞ and → 1 as x → ∞; for real x it is real and lies in (0, 1).
    Its derivative is the textbook σ'(x) = σ(x)(1 − σ(x)).

    >>> import sympy as sp
    >>> x = sp.Symbol("x", real=True)
    >>> sigmoid(x).is_real, sigmoid(x).is_positive
    (True, True)
    >>> sigmoid(x).rewrite(sp.tanh)
    tanh(x/2)/2 + 1/2
    >>> sp.latex(sigmoid(x))
    '\\sigma\\left(x\\right)'
    """

    nargs = 1

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg is sp.S.Zero:
            return sp.S.Half
        if arg is sp.S.Infinity:
            return sp.S.One
        if arg is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, arg: sp.Expr, **kwargs: object) -> sp.Expr:
        return 1 / (1 + sp.exp(-arg))

    def _eval_rewrite_as_tanh(self, arg: sp.Expr, **kwargs: object) -> sp.Expr:
        return (1 + sp.tanh(arg / 2)) / 2

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        return _evalf_with(self.args[0], prec, mpmath_sigmoid)

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_finite(self) -> bool | None:
        if self.args[0].is_extended_real:
            return True
        return None

    def _eval_is_positive(self) -> bool | None:
        arg = self.args[0]
        if arg.is_extended_real and not (arg.is_infinite and arg.is_extended_negative):
            return True
        return None

    def _eval_is_extended_positive(self) -> bool | None:
        return self._eval_is_positive()

    def _eval_as_leading_term(self, x, logx=None, cdir=0):  # type: ignore[no-untyped-def]
        return self.rewrite(sp.exp)._eval_as_leading_term(x, logx=logx, cdir=cdir)

    def _eval_nseries(self, x, n, logx, cdir=0):  # type: ignore[no-untyped-def]
        return self.rewrite(sp.exp)._eval_nseries(x, n, logx, cdir=cdir)

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        inner = printer._print(self.args[0])
        base = r"\sigma\left(%s\right)" % inner
        return base if exp is None else r"\sigma^{%s}\left(%s\right)" % (exp, inner)

    def _pretty(self, printer):  # type: ignore[no-untyped-def]
        return printer._print_Function(self, func_name="σ")


class softplus(_PrintedBySymPy, sp.Function):
    r"""softplus(x) = log(1 + e^{x}), a smooth ReLU whose derivative is σ(x).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> softplus(x).diff(x)
    sigmoid(x)
    >>> softplus(x).rewrite(sp.log)
    log(exp(x) + 1)
    >>> softplus(0)
    log(2)
    """

    nargs = 1

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg is sp.S.Zero:
            return sp.log(2)
        if arg is sp.S.NegativeInfinity:
            return sp.S.Zero
        if arg is sp.S.Infinity:
            return sp.S.Infinity
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return sigmoid(self.args[0])

    def _eval_rewrite_as_log(self, arg: sp.Expr, **kwargs: object) -> sp.Expr:
        return sp.log(1 + sp.exp(arg))

    _eval_rewrite_as_exp = _eval_rewrite_as_log

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        return _evalf_with(self.args[0], prec, mpmath_softplus)

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_real else None

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        inner = printer._print(self.args[0])
        name = r"\operatorname{softplus}" if exp is None else r"\operatorname{softplus}^{%s}" % exp
        return r"%s\left(%s\right)" % (name, inner)


class relu(_PrintedBySymPy, sp.Function):
    r"""The rectifier relu(x) = max(0, x).

    Its derivative is the Heaviside step H(x): 1 for x > 0 and 0 for x < 0. At x = 0 the function
    has a corner and no derivative; symderiv takes H(0) = 0 there, the subgradient that NumPy
    layers (``mask = x <= 0``) and PyTorch use, so the backward pass of a ReLU at 0 passes nothing.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> relu(x).diff(x)
    Heaviside(x, 0)
    >>> relu(-3), relu(sp.Rational(5, 2))
    (0, 5/2)
    >>> relu(x).rewrite(sp.Piecewise)
    Piecewise((x, x > 0), (0, True))
    """

    nargs = 1

    @classmethod
    def eval(cls, arg: sp.Expr) -> sp.Expr | None:
        if arg.is_extended_nonnegative:
            return arg
        if arg.is_extended_nonpositive:
            return sp.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return sp.Heaviside(self.args[0], 0)

    def _eval_rewrite_as_Piecewise(self, arg: sp.Expr, **kwargs: object) -> sp.Expr:
        return sp.Piecewise((arg, arg > 0), (0, True))

    def _eval_rewrite_as_Max(self, arg: sp.Expr, **kwargs: object) -> sp.Expr:
        return sp.Max(0, arg)

    def _eval_rewrite_as_Heaviside(self, arg: sp.Expr, **kwargs: object) -> sp.Expr:
        return arg * sp.Heaviside(arg, 0)

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        return _evalf_with(self.args[0], prec, mpmath_relu)

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_nonnegative(self) -> bool | None:
        return True if self.args[0].is_extended_real else None

    def _latex(self, printer: sp.printing.latex.LatexPrinter, exp: str | None = None) -> str:
        inner = printer._print(self.args[0])
        name = r"\operatorname{ReLU}" if exp is None else r"\operatorname{ReLU}^{%s}" % exp
        return r"%s\left(%s\right)" % (name, inner)

    def _pretty(self, printer):  # type: ignore[no-untyped-def]
        return printer._print_Function(self, func_name="ReLU")


def _context_of(t: Any) -> Any:
    """The mpmath context a number belongs to (its precision is the one to compute at)."""
    return getattr(t, "context", mpmath.mp)


def mpmath_sigmoid(t: Any) -> Any:
    """σ(t) for an mpmath number, at the precision of its own context; the one numeric σ of symderiv."""
    ctx = _context_of(t)
    return 1 / (1 + ctx.exp(-t))


def mpmath_softplus(t: Any) -> Any:
    """log(1 + eᵗ) for an mpmath number, without overflow for large t, in the number's context."""
    ctx = _context_of(t)
    if ctx.re(t) < 30:
        return ctx.log1p(ctx.exp(t))
    return t + ctx.log1p(ctx.exp(-t))


def mpmath_relu(t: Any) -> Any:
    """max(0, t) for a real mpmath number; a ValueError for a complex one."""
    if hasattr(t, "_mpc_"):
        raise ValueError("relu is defined for real arguments only")
    return t if t > 0 else _context_of(t).mpf(0)


def _evalf_with(arg: sp.Expr, prec: int, mp_function: Callable[[Any], Any]) -> sp.Expr | None:
    """Evaluate ``mp_function(arg)`` with mpmath at ``prec`` bits, or None when ``arg`` is symbolic."""
    value = arg._eval_evalf(prec + 10)
    if value is None or not value.is_number:
        return None
    with working_context(15) as ctx:
        ctx.prec = prec + 10
        try:
            result = mp_function(ctx.convert(value._to_mpmath(prec + 10)))
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        return sp.Expr._from_mpmath(result, prec)
