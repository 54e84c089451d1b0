"""The formula tree both parsers build, and how it becomes a SymPy expression under the limits.

:func:`symderiv.parse` (text) and :func:`symderiv.parse_latex` (LaTeX) read their input into
the same small tree of plain data: numbers, names, constants, sums, products, negations,
powers and calls of whitelisted functions, each node with its position in the input. Nothing in
the tree is code; :func:`to_sympy` turns it into SymPy objects by calling only ``sp.Integer``,
``sp.Float``, ``sp.Symbol``, ``sp.Add``, ``sp.Mul``, ``sp.Pow`` and the functions of
:data:`FUNCTIONS`.

Products fold left to right, two factors at a time, and a difference ``a - b`` is
``a + (-1)*b``, as Python computes ``a - b`` on SymPy objects: so text that is valid Python
gives exactly the expression Python would build from the same text with SymPy symbols.

Before SymPy computes a number, the size of the result is estimated
(:mod:`symderiv.parse.limits`) and the construction refused when it would pass ``max_digits``.
Building happens in the caller's process; if it takes longer than ``inline_seconds`` (SymPy's assumption system is exponential on
some nested functions: ``sech(sech(sech(sech(sech(x)**2)**2)**2)**2)`` takes tens of seconds),
it is started again in a worker process under :func:`symderiv.limits.run_with_budget`, which
stops it after ``build_seconds`` (inside the ``symderiv`` command, which sets its budget on its
own process, under a nested budget there instead: :func:`symderiv.process_budget.run_within`). (Inside a ``multiprocessing.Pool`` worker, which may not start
processes of its own, the build stays in the process, bounded by the pool's own timeouts.)

>>> tree = Sum((Name("x", 0), Negative(Number("2", 4), 4)), 0)
>>> to_sympy(tree, "x - 2")
x - 2
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from ..errors import LimitError, ParseError
from ..core.functions import relu, sigmoid, softplus
from ..limits import can_start_workers
from ..process_budget import run_within
from .limits import (
    DEFAULT_LIMITS,
    Limits,
    exp_bits,
    factorial_bits,
    number_bits,
    power_bits,
    product_bits,
    radicand_digits,
    sum_bits,
)

__all__ = [
    "Node",
    "Number",
    "Name",
    "Constant",
    "Sum",
    "Product",
    "Negative",
    "Power",
    "Call",
    "FUNCTIONS",
    "GREEK_LETTERS",
    "SAFE_NAME",
    "check_names",
    "count_nodes",
    "to_sympy",
]


# ---------------------------------------------------------------------------------------------
# The tree. ``position`` is the index in the input where the node starts, for error messages.


@dataclass(frozen=True)
class Number:
    """A number as written: digits, an optional fraction, an optional exponent (``1.5e-3``)."""

    text: str
    position: int


@dataclass(frozen=True)
class Name:
    """A variable, by its SymPy symbol name (``x``, ``theta_12``, ``theta^(2)_12``)."""

    name: str
    position: int


@dataclass(frozen=True)
class Constant:
    """Euler's number ``E``, ``pi`` or the imaginary unit ``I``."""

    name: str
    position: int


@dataclass(frozen=True)
class Sum:
    """``terms[0] + terms[1] + ...``; a subtraction is the sum of a Negative."""

    terms: tuple[Node, ...]
    position: int


@dataclass(frozen=True)
class Product:
    """``first`` then each ``("*" or "/", factor)`` in turn, left to right."""

    first: Node
    rest: tuple[tuple[str, Node], ...]
    position: int


@dataclass(frozen=True)
class Negative:
    """``-operand``."""

    operand: Node
    position: int


@dataclass(frozen=True)
class Power:
    """``base ** exponent``."""

    base: Node
    exponent: Node
    position: int


@dataclass(frozen=True)
class Call:
    """A call of ``FUNCTIONS[function]``."""

    function: str
    args: tuple[Node, ...]
    position: int


Node = Number | Name | Constant | Sum | Product | Negative | Power | Call


# ---------------------------------------------------------------------------------------------
# The vocabulary: the only functions a formula may call, and the Greek letters it may use.


@dataclass(frozen=True)
class FunctionInfo:
    """A whitelisted function: how to build it and how many arguments it takes."""

    build: Callable[..., sp.Expr]
    min_args: int = 1
    max_args: int = 1


FUNCTIONS: dict[str, FunctionInfo] = {
    "exp": FunctionInfo(sp.exp),
    "log": FunctionInfo(sp.log, 1, 2),
    "sqrt": FunctionInfo(sp.sqrt),
    **{function.__name__: FunctionInfo(function) for function in (
        sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc,
        sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc,
        sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch,
        sp.asinh, sp.acosh, sp.atanh, sp.acoth, sp.asech, sp.acsch,
    )},
    "Abs": FunctionInfo(sp.Abs),
    "re": FunctionInfo(sp.re),
    "im": FunctionInfo(sp.im),
    "sign": FunctionInfo(sp.sign),
    "floor": FunctionInfo(sp.floor),
    "ceiling": FunctionInfo(sp.ceiling),
    "Heaviside": FunctionInfo(sp.Heaviside, 1, 2),
    "sigmoid": FunctionInfo(sigmoid),
    "softplus": FunctionInfo(softplus),
    "relu": FunctionInfo(relu),
    "Max": FunctionInfo(sp.Max, 1, 8),
    "Min": FunctionInfo(sp.Min, 1, 8),
    "factorial": FunctionInfo(sp.factorial),
}
"""Canonical function names (as SymPy prints them) and how to build each."""

GREEK_LETTERS: dict[str, str] = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ϵ": "epsilon",
    "ζ": "zeta", "η": "eta", "θ": "theta", "ϑ": "vartheta", "ι": "iota", "κ": "kappa",
    "λ": "lambda", "μ": "mu", "µ": "mu", "ν": "nu", "ξ": "xi", "ο": "omicron", "π": "pi",
    "ρ": "rho", "σ": "sigma", "τ": "tau", "υ": "upsilon", "φ": "phi", "ϕ": "phi", "χ": "chi",
    "ψ": "psi", "ω": "omega",
    "Α": "Alpha", "Β": "Beta", "Γ": "Gamma", "Δ": "Delta", "Ε": "Epsilon", "Ζ": "Zeta",
    "Η": "Eta", "Θ": "Theta", "Ι": "Iota", "Κ": "Kappa", "Λ": "Lambda", "Μ": "Mu", "Ν": "Nu",
    "Ξ": "Xi", "Ο": "Omicron", "Π": "Pi", "Ρ": "Rho", "Σ": "Sigma", "Τ": "Tau",
    "Υ": "Upsilon", "Φ": "Phi", "Χ": "Chi", "Ψ": "Psi", "Ω": "Omega",
}
"""Greek letters as typed (Unicode) and the symbol names they stand for (``θ`` is ``theta``)."""

SAFE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(\^\([A-Za-z0-9]+\))?(_[A-Za-z0-9]+(,[A-Za-z0-9]+)*)*")
"""Every symbol name the parsers make matches this: letters and digits, an optional layer index
``^(2)`` and subscripts ``_12``, ``_i,j``; no backslash, brace, ``<``, ``>``, ``&`` or quote
ever reaches a document through a name."""


# ---------------------------------------------------------------------------------------------
# Checks on the tree as a whole.


def count_nodes(tree: Node) -> int:
    """How many nodes ``tree`` holds (iteratively: trees may be wide).

    >>> count_nodes(Power(Name("x", 0), Number("2", 2), 1))
    3
    """
    count, stack = 0, [tree]
    while stack:
        node = stack.pop()
        count += 1
        stack.extend(_children(node))
    return count


def check_names(tree: Node, text: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse names that are unsafe, too long, or that differ but print the same (``a2``, ``a_2``).

    SymPy prints ``Symbol("a2")`` and ``Symbol("a_2")`` both as a₂; in one formula they would be
    two variables that look like one, and a derivative by one would treat the other as constant.

    >>> check_names(Sum((Name("a2", 0), Name("a_2", 5)), 0), "a2 + a_2")
    Traceback (most recent call last):
    ...
    symderiv.errors.ParseError: 'a2' and 'a_2' are different names that print the same (a_{2}); use one spelling at position 5
      a2 + a_2
           ^
    """
    printed: dict[str, str] = {}
    stack = [tree]
    while stack:
        node = stack.pop()
        stack.extend(reversed(_children(node)))  # reading order: report the later spelling
        if not isinstance(node, Name):
            continue
        if not SAFE_NAME.fullmatch(node.name):
            raise ParseError(f"{node.name!r} is not allowed as a name", text=text, position=node.position)
        if len(node.name) > limits.max_name_length:
            raise LimitError(
                f"the name has {len(node.name)} characters; names are limited to "
                f"{limits.max_name_length}",
                text=text,
                position=node.position,
                limit="length",
            )
        key = sp.latex(sp.Symbol(node.name))
        other = printed.setdefault(key, node.name)
        if other != node.name:
            first, second = sorted((other, node.name))
            raise ParseError(
                f"{first!r} and {second!r} are different names that print the same ({key}); "
                "use one spelling",
                text=text,
                position=node.position,
            )


def _children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Sum):
        return node.terms
    if isinstance(node, Product):
        return (node.first,) + tuple(factor for _, factor in node.rest)
    if isinstance(node, Negative):
        return (node.operand,)
    if isinstance(node, Power):
        return (node.base, node.exponent)
    if isinstance(node, Call):
        return node.args
    return ()


# ---------------------------------------------------------------------------------------------
# Building SymPy objects.


class _TooSlowHere(Exception):
    """Building in the caller's process passed ``inline_seconds``: move to a worker."""


def to_sympy(tree: Node, text: str, limits: Limits = DEFAULT_LIMITS) -> sp.Expr:
    """Build the SymPy expression for ``tree``; refuse numbers past the limits; never hang.

    ``text`` is the input the tree was read from, quoted in error messages.

    >>> to_sympy(Power(Number("10", 0), Power(Number("10", 4), Number("10", 8), 6), 2), "10**10**10")
    Traceback (most recent call last):
    ...
    symderiv.errors.LimitError: 10**(10000000000) would have about 10000000000 digits; numbers are limited to 1000 digits at position 2
      10**10**10
        ^
    """
    if not can_start_workers():  # a multiprocessing.Pool worker: no clock but the pool's own
        return _Builder(text, limits, deadline=None).build(tree)
    builder = _Builder(text, limits, deadline=time.monotonic() + limits.inline_seconds)
    try:
        return builder.build(tree)
    except _TooSlowHere:
        pass
    try:
        return run_within(
            _build_in_worker,
            tree,
            text,
            limits,
            timeout=limits.build_seconds,
            memory_mb=limits.build_memory_mb,
        )
    except LimitError as error:
        if error.text is not None:  # a limit of the formula, found in the worker
            raise
        spent = (
            f"longer than {limits.build_seconds:g} s"
            if error.limit == "time"
            else f"more than {limits.build_memory_mb} MB of memory"
        )
        raise LimitError(
            f"building this formula took SymPy {spent} (functions nested in functions, such as "
            "tanh(tanh(...)), are slow to build); write it with less nesting",
            text=text,
            position=tree.position,
            limit=error.limit,
        ) from None


def _build_in_worker(tree: Node, text: str, limits: Limits) -> sp.Expr:
    return _Builder(text, limits, deadline=None).build(tree)


class _Builder:
    """Builds SymPy objects node by node, checking sizes before SymPy computes anything."""

    def __init__(self, text: str, limits: Limits, deadline: float | None):
        self.text = text
        self.limits = limits
        self.deadline = deadline

    def build(self, node: Node) -> sp.Expr:
        """The SymPy value of ``node``. Children are built first; the clock is read after each
        node, so no construction starts once ``deadline`` has passed."""
        try:
            value = self._build(node)
        except (ParseError, LimitError, _TooSlowHere):
            raise
        except RecursionError:
            raise self._limit("the formula is nested too deeply for SymPy", node, "depth") from None
        except MemoryError:
            raise self._limit("building the formula ran out of memory", node, "memory") from None
        except Exception as exc:  # SymPy refused the input (or has a bug): the formula is refused
            raise ParseError(
                f"SymPy cannot build this part of the formula: {exc}",
                text=self.text,
                position=node.position,
            ) from None
        self._check_result(value, node)
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise _TooSlowHere
        return value

    def _build(self, node: Node) -> sp.Expr:
        if isinstance(node, Number):
            return self._number(node)
        if isinstance(node, Name):
            return sp.Symbol(node.name)
        if isinstance(node, Constant):
            return {"E": sp.E, "pi": sp.pi, "I": sp.I}[node.name]
        if isinstance(node, Sum):
            terms = [self.build(term) for term in node.terms]
            self._check_bits(sum_bits(terms), "this sum", node)
            return sp.Add(*terms)
        if isinstance(node, Product):
            value = self.build(node.first)
            for operator, factor_node in node.rest:
                factor = self.build(factor_node)
                if operator == "/":
                    factor = self._power(factor, sp.S.NegativeOne, factor_node)
                    self._check_result(factor, factor_node)
                self._check_bits(product_bits([value, factor]), "this product", factor_node)
                value = sp.Mul(value, factor)
            return value
        if isinstance(node, Negative):
            return sp.Mul(sp.S.NegativeOne, self.build(node.operand))
        if isinstance(node, Power):
            return self._power(self.build(node.base), self.build(node.exponent), node)
        if isinstance(node, Call):
            return self._call(node)
        raise TypeError(f"not a formula node: {node!r}")  # pragma: no cover - a parser bug

    def _number(self, node: Number) -> sp.Expr:
        if any(mark in node.text for mark in ".eE"):
            return sp.Float(node.text)
        return sp.Integer(int(node.text))

    def _power(self, base: sp.Expr, exponent: sp.Expr, node: Node) -> sp.Expr:
        self._check_bits(power_bits(base, exponent), _describe_power(base, exponent), node)
        digits = radicand_digits(base, exponent)
        if digits > self.limits.max_root_digits:
            raise self._limit(
                f"a root or fractional power of a number with {digits:.0f} digits; such numbers "
                f"are limited to {self.limits.max_root_digits} digits",
                node,
                "number",
            )
        return sp.Pow(base, exponent)

    def _call(self, node: Call) -> sp.Expr:
        info = FUNCTIONS[node.function]
        args = [self.build(arg) for arg in node.args]
        name = node.function
        if name == "sqrt":
            return self._power(args[0], sp.S.Half, node)
        if name == "exp":
            self._check_bits(exp_bits(args[0]), f"exp({args[0]})", node)
        if name == "factorial":
            self._check_bits(factorial_bits(args[0]), f"factorial({args[0]})", node)
        if name in ("Max", "Min"):
            count = sum(len(a.args) if a.func == info.build else 1 for a in args)
            if count > self.limits.max_function_args:
                raise self._limit(
                    f"{name.lower()} of {count} terms; it compares every pair, so it is limited "
                    f"to {self.limits.max_function_args} terms",
                    node,
                    "nodes",
                )
        if name == "log" and len(args) == 2:
            self._check_bits(product_bits(args), f"log({args[0]}, {args[1]})", node)
        return info.build(*args)

    def _check_bits(self, bits: float, what: str, node: Node) -> None:
        if bits > self.limits.max_bits:
            digits = "far more than" if bits == float("inf") else f"about {bits / 3.3219280948873626:.0f}"
            raise self._limit(
                f"{what} would have {digits} digits; numbers are limited to "
                f"{self.limits.max_digits} digits",
                node,
                "number",
            )

    def _check_result(self, value: sp.Basic, node: Node) -> None:
        for part in (value, *value.args):
            kind = _UNDEFINED.get(id(part))
            if kind is not None:
                raise ParseError(
                    f"this part of the formula is {kind}",
                    text=self.text,
                    position=node.position,
                )
        coefficient = value.args[0] if value.is_Mul else value
        if coefficient.is_Number:
            self._check_bits(number_bits(coefficient), "this number", node)

    def _limit(self, message: str, node: Node, limit: str) -> LimitError:
        return LimitError(message, text=self.text, position=node.position, limit=limit)


_UNDEFINED = {
    id(sp.S.ComplexInfinity): "undefined: SymPy gives zoo (complex infinity), as for 1/0",
    id(sp.S.NaN): "undefined: SymPy gives nan (not a number)",
    id(sp.S.Infinity): "infinite: SymPy gives oo",
    id(sp.S.NegativeInfinity): "infinite: SymPy gives -oo",
}


def _describe_power(base: sp.Expr, exponent: sp.Expr) -> str:
    shown = str(exponent)
    if len(shown) > 30:
        shown = shown[:27] + "..."
    return f"{base}**({shown})" if len(str(base)) <= 30 else f"a power with exponent {shown}"
