"""Limits on what a formula may ask of the machine while it is read, and how big its numbers get.

:func:`symderiv.parse` and :func:`symderiv.parse_latex` are bounded by :class:`Limits`: the
length of the input, how deeply it nests, how many numbers, names and operations it holds, how
many digits a number may have, as written or as computed (``10**10**10``, ``9**9**9``,
``1e1000000`` and ``factorial(10**9)`` are refused before anything is computed), and how long
SymPy may take to build the expression. Every refusal is a :class:`~symderiv.LimitError` that
says which limit, and where in the input.

"As computed" is decided before SymPy computes anything: the functions below estimate, from
the operands alone, an upper bound on the bits of the number SymPy would make, and
:mod:`symderiv.parse.tree` refuses the construction past ``Limits.max_bits``.

The budgets for the work done *after* reading (a worker process with a wall clock and a memory
cap, :class:`~symderiv.WorkLimits`) are in :mod:`symderiv.limits`.

>>> DEFAULT_LIMITS.max_digits, round(DEFAULT_LIMITS.max_bits)
(1000, 3322)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy as sp

__all__ = [
    "DEFAULT_LIMITS",
    "LOG2_10",
    "Limits",
    "exp_bits",
    "factorial_bits",
    "number_bits",
    "power_bits",
    "product_bits",
    "radicand_digits",
    "sum_bits",
]

LOG2_10 = math.log2(10)
"""Bits per decimal digit."""


@dataclass(frozen=True)
class Limits:
    """How much a formula may ask for while it is read. Pass your own to loosen or tighten them.

    - ``max_length``: characters of input.
    - ``max_depth``: nesting of brackets, braces, function calls, powers and signs.
    - ``max_nodes``: numbers, names, operations and calls in the formula.
    - ``max_digits``: digits of any exact number, as written (``1234``, the exponent of ``1e30``)
      or as computed (``2**5000`` has 1506 digits).
    - ``max_root_digits``: digits of a number under a root or a fractional power: SymPy looks for
      its factors, which takes seconds for numbers of a thousand digits.
    - ``max_name_length``: characters of a variable's name.
    - ``max_function_args``: arguments of ``max`` and ``min``, nested ones counted.
    - ``inline_seconds``: how long building the SymPy expression may take in the caller's process
      before the build is moved to a worker process.
    - ``build_seconds``, ``build_memory_mb``: the worker's wall clock and memory for that build.

    >>> Limits().max_digits
    1000
    >>> Limits(max_length=100).max_length
    100
    """

    max_length: int = 10_000
    max_depth: int = 50
    max_nodes: int = 1_000
    max_digits: int = 1_000
    max_root_digits: int = 100
    max_name_length: int = 64
    max_function_args: int = 8
    inline_seconds: float = 0.05
    build_seconds: float = 2.0
    build_memory_mb: int = 512

    @property
    def max_bits(self) -> float:
        """``max_digits`` in bits: the size past which an exact number is refused."""
        return self.max_digits * LOG2_10


DEFAULT_LIMITS = Limits()
"""The limits :func:`symderiv.parse` and :func:`symderiv.parse_latex` use unless given others."""


# ---------------------------------------------------------------------------------------------
# How big would a number get? Estimates made *before* SymPy computes it, each an upper bound in
# bits (log2 of the magnitude of numerator or denominator). inf means "far too big to say".


def number_bits(value: sp.Basic) -> float:
    """About how many bits the exact numbers in ``value``'s numeric coefficient take.

    Rationals count their numerator or denominator, whichever is longer; Floats their
    magnitude (2**±n); ``sqrt(2)``-like powers their base times the exponent. Anything that is
    not a number counts 0.

    >>> number_bits(sp.Integer(2)**100), number_bits(sp.Rational(1, 1024))
    (100.0, 10.0)
    >>> round(number_bits(8*sp.sqrt(2)*sp.Symbol("x")), 3)
    3.5
    """
    if isinstance(value, sp.Rational):
        return max(_log2(value.p), _log2(value.q))
    if isinstance(value, sp.Float):
        return abs(_float_log2(value))
    if isinstance(value, sp.Pow) and isinstance(value.base, (sp.Rational, sp.Float)):
        return _magnitude(value.exp) * number_bits(value.base)
    if isinstance(value, sp.Mul):
        return sum(number_bits(arg) for arg in value.args)
    return 0.0


def power_bits(base: sp.Basic, exponent: sp.Basic) -> float:
    """Bits of the number SymPy would compute for ``base**exponent`` (0 when it computes none).

    SymPy evaluates a power when the exponent is a number and the base holds a number; it
    distributes the power over a product's numeric factor (``(2**9*x)**3 = 2**27*x**3``).

    >>> power_bits(sp.Integer(10), sp.Integer(10)**10) > 1e10
    True
    >>> power_bits(sp.Symbol("x"), sp.Integer(10)**10)
    0.0
    """
    if base is sp.E:
        return exp_bits(exponent)
    if not isinstance(exponent, (sp.Rational, sp.Float)):
        return 0.0
    size = number_bits(base)
    return 0.0 if size == 0 else _magnitude(exponent) * size


def exp_bits(argument: sp.Basic) -> float:
    """Bits of the numbers ``exp(argument)`` would produce: ``exp(c*log(n))`` becomes ``n**c``.

    SymPy rewrites each term ``c*log(n)`` of the argument as a power, so
    ``exp(10**10*log(2))`` would be ``2**(10**10)``.

    >>> exp_bits(10**10 * sp.log(2)) >= 1e10
    True
    >>> exp_bits(sp.Symbol("x") + 1)
    0.0
    """
    total = 0.0
    for term in sp.Add.make_args(argument):
        logs = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.log)]
        if len(logs) != 1:
            continue
        inner = logs[0].args[0]
        rest = [f for f in sp.Mul.make_args(term) if f is not logs[0]]
        if not all(f.is_number for f in rest) or not inner.is_number:
            continue
        coefficient = sp.Mul(*rest)
        total += _magnitude(coefficient) * max(number_bits(inner), 1.0)
    return total


def product_bits(factors: list[sp.Basic]) -> float:
    """Bits of the numeric coefficient of ``Mul(*factors)``: at most the sum of the factors'.

    >>> product_bits([sp.Integer(2)**100, sp.Integer(2)**100])
    200.0
    """
    return sum(number_bits(f) for f in factors)


def sum_bits(terms: list[sp.Basic]) -> float:
    """Bits of the coefficients of ``Add(*terms)``: the longest numerator plus every distinct
    denominator, since adding fractions multiplies denominators.

    >>> round(sum_bits([sp.Rational(1, 4), sp.Rational(1, 8)]))
    5
    """
    numerators, denominators = [0.0], set()
    for term in (t for item in terms for t in sp.Add.make_args(item)):
        coefficient = term.as_coeff_Mul()[0] if isinstance(term, sp.Expr) else term
        if isinstance(coefficient, sp.Rational):
            numerators.append(_log2(coefficient.p))
            if coefficient.q != 1:
                denominators.add(coefficient.q)
        else:
            numerators.append(number_bits(coefficient))
    return max(numerators) + sum(_log2(q) for q in denominators)


def factorial_bits(argument: sp.Basic) -> float:
    """Bits of ``factorial(argument)`` when SymPy would compute it (an integer or a float).

    >>> round(factorial_bits(sp.Integer(100)))
    525
    >>> factorial_bits(sp.Symbol("n"))
    0.0
    """
    if not isinstance(argument, (sp.Integer, sp.Float)):
        return 0.0
    value = _magnitude(argument)
    if value > 1e300:
        return math.inf
    return math.lgamma(value + 1) / math.log(2) if value > 1 else 0.0


def radicand_digits(base: sp.Basic, exponent: sp.Basic) -> float:
    """Digits of the number SymPy must factor for ``base**exponent`` with a fractional exponent.

    >>> round(radicand_digits(sp.Integer(10)**50 + 1, sp.Rational(1, 2)))
    50
    >>> radicand_digits(sp.Integer(10)**50, sp.Integer(2))
    0.0
    """
    if not isinstance(exponent, sp.Rational) or exponent.q == 1:
        return 0.0
    numbers = [f for f in sp.Mul.make_args(base) if isinstance(f, sp.Rational)]
    return sum(number_bits(n) for n in numbers) / LOG2_10 if numbers else 0.0


def _magnitude(value: sp.Basic) -> float:
    """|value| as a float, inf when it does not fit."""
    try:
        if isinstance(value, sp.Rational):
            return abs(value.p / value.q)
        return abs(float(value))
    except (OverflowError, TypeError, ValueError):
        return math.inf


def _log2(n: int) -> float:
    """log2 |n| for any Python int, 0 for 0."""
    return math.log2(abs(n)) if n else 0.0


def _float_log2(value: sp.Float) -> float:
    _sign, mantissa, exponent, bitcount = value._mpf_
    return 0.0 if not mantissa else float(exponent + bitcount)
