"""Tidying: the smallest of the expanded, factored and cancelled forms, and the tidier of two of
the same size.

Each tidier proposes a whole new expression; the one with the smallest :func:`preference` is
taken when it is strictly preferred to the current one, up to three times. The preference is the
size (SymPy's ``count_ops``) first; at equal size, the form people write, in two tie-breaks:

1. a denominator sum with a factor its terms share is written with that factor taken out:
   a(1 − a), not a² − a;
2. fewer minus signs in view: a sum that is printed starting with a minus (−a + y), and a sum
   of σ with a negative constant (σ − 1: the complement is written 1 − σ, as in σ′ = σ(1 − σ)),
   each count one; signs move in pairs between the factors of a product, so
   (y − a)/(a(a − 1)) becomes (a − y)/(a(1 − a)) and σ(σ − 1)(2σ − 1) becomes
   σ(1 − σ)(1 − 2σ), while (x − 1)(x − 2) and 1/(x − 1)² stay as they are.

Both are counts that only fall, so tidying never goes round in a circle. Never ``simplify``,
which turns σ′ into 1/(4cosh²(x/2)).

>>> a, y = sp.symbols("a y")
>>> [r.after for r in tidy((y - a) / (a**2 - a))]
[(-a + y)/(a*(a - 1)), (a - y)/(a*(1 - a))]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import lru_cache

import sympy as sp

from ...core.functions import sigmoid
from .rewrite import TIDY_SIZE_LIMIT, Rewrite, expands_small, size
from .trig import named_ratios, trig_identities

__all__ = ["positive_constants", "preference", "tidy"]


def _expand(expr: sp.Expr) -> sp.Expr:
    """Multiply out products, term by term, leaving function arguments and exponents alone."""
    return sp.Add(
        *(
            sp.expand(term, deep=False, power_exp=False, power_base=False, log=False)
            for term in sp.Add.make_args(expr)
        )
    )


def _factor(expr: sp.Expr) -> sp.Expr:
    """Take out common factors; a leading minus goes into the sum: x(σ − y), not −x(y − σ)."""
    factored = sp.factor_terms(expr, sign=False)
    if factored.is_Mul and factored.could_extract_minus_sign():
        sums = [f for f in factored.args if f.is_Add]
        if len(sums) == 1:
            rest = [f for f in factored.args if f is not sums[0]]
            factored = sp.Mul(*(-r if i == 0 else r for i, r in enumerate(rest)), -sums[0])
    return factored


def _denominators(expr: sp.Expr) -> list[sp.Expr]:
    """The sums that stand in a denominator: the bases of negative integer powers."""
    return [
        node.base
        for node in sp.preorder_traversal(expr)
        if isinstance(node, sp.Pow) and node.base.is_Add and node.exp.is_Integer and node.exp < 0
    ]


def _shares_a_factor(total: sp.Expr) -> bool:
    """The terms of the sum ``total`` share a factor other than a number: a² − a (a), not a² + 1.

    >>> a, b = sp.symbols("a b")
    >>> _shares_a_factor(a**2 - a), _shares_a_factor(a**2 + 1), _shares_a_factor(a*b + b**3)
    (True, False, True)
    """
    shared: set[sp.Expr] | None = None
    for term in total.args:
        bases = {f.base if f.is_Pow and f.exp.is_positive else f for f in sp.Mul.make_args(term) if not f.is_Number}
        shared = bases if shared is None else shared & bases
        if not shared:
            return False
    return bool(shared)


def _factor_denominators(expr: sp.Expr) -> sp.Expr:
    """Take the shared factor out of each denominator sum: 1/(a² − a) = 1/(a(a − 1))."""
    found = {base: sp.factor_terms(base) for base in _denominators(expr) if _shares_a_factor(base)}
    return expr.xreplace(found) if found else expr


def _cancel(expr: sp.Expr) -> sp.Expr:
    """SymPy's ``cancel``, for an expression with a fraction to cancel: without a denominator
    that holds a variable, cancelling would only multiply out what :func:`_expand` does, term by
    term, more cheaply.

    >>> x = sp.Symbol("x")
    >>> _cancel((x**2 - 1) / (x - 1)), _cancel((x + 1)**2 - x**2)
    (x + 1, -x**2 + (x + 1)**2)
    """
    if not any(power.exp.is_negative and power.base.free_symbols for power in expr.atoms(sp.Pow)):
        return expr
    return sp.cancel(expr)


def _negative_constant(node: sp.Expr) -> bool:
    """``node`` is a sum whose constant term is negative: a − 1, 2σ − 1."""
    constant = node.as_coeff_Add()[0] if node.is_Add else sp.S.Zero
    return bool(constant.is_negative)


def positive_constants(expr: sp.Expr, *, negate: bool = False) -> sp.Expr:
    """In every product, sums whose constant term is negative written the other way round, their
    signs moved in pairs, or into the coefficient or a sum without a constant term, so that
    the product keeps its value. With ``negate`` a sign nothing absorbs becomes a leading minus
    (−s(1 − s), not s(s − 1)); without it that last sum is left as it stands.

    >>> x, y, s = sp.symbols("x y s")
    >>> positive_constants(-x * (s - 1)), positive_constants(s * (s - 1) * (2 * s - 1)) == s * (1 - s) * (1 - 2 * s)
    (x*(1 - s), True)
    >>> positive_constants((y - x) / (x * (x - 1)))
    (x - y)/(x*(1 - x))
    """

    def flip(factor: sp.Expr) -> sp.Expr:
        if factor.is_Pow:
            return sp.Pow(-factor.base, factor.exp)
        return -factor

    def odd(factor: sp.Expr) -> bool:
        return not (factor.is_Pow and factor.exp.is_Integer and factor.exp % 2 == 0)

    def visit(node: sp.Expr) -> sp.Expr:
        if node.args:
            node = node.func(*(visit(arg) for arg in node.args))
        if not node.is_Mul:
            return node
        factors = list(node.args)

        def base(f: sp.Expr) -> sp.Expr:
            return f.base if f.is_Pow and f.exp.is_Integer else f

        wrong = [i for i, f in enumerate(factors) if _negative_constant(base(f))]
        if not wrong:
            return node
        odd_wrong = [i for i in wrong if odd(factors[i])]
        flips = list(wrong)
        if len(odd_wrong) % 2 == 1:
            absorbers = [
                i for i, f in enumerate(factors)
                if i not in wrong and (f.is_Number or (base(f).is_Add and odd(f) and base(f).as_coeff_Add()[0] == 0))
            ]
            if absorbers:
                flips.append(absorbers[0])
            elif negate:
                factors.append(sp.S.NegativeOne)
            else:
                flips.remove(odd_wrong[-1])
        for i in flips:
            factors[i] = flip(factors[i])
        return sp.Mul(*factors)

    return visit(expr)


@lru_cache(maxsize=2048)
def preference(expr: sp.Expr) -> tuple[int, int, int]:
    """What tidying minimises: the size, then denominator sums with a shared factor left in,
    then minus signs in view (see the module's docstring).

    >>> a, y, x = sp.symbols("a y x")
    >>> preference((y - a) / (a**2 - a)), preference((a - y) / (a * (1 - a)))
    ((4, 1, 1), (4, 0, 0))
    >>> preference((x - 1) * (x - 2)) == preference((1 - x) * (2 - x))
    True
    """
    unfactored = sum(_shares_a_factor(base) for base in _denominators(expr))
    return size(expr), unfactored, sum(_minus_in_view(node) for node in sp.preorder_traversal(expr))


def _minus_in_view(node: sp.Expr) -> bool:
    """``node`` is a sum printed with a leading minus (−a + y), or σ − 1 for 1 − σ."""
    if not node.is_Add:
        return False
    if node.as_ordered_terms()[0].could_extract_minus_sign():
        return True
    return _negative_constant(node) and node.has(sigmoid)


#: The tidiers that multiply powers of sums out (expand; cancel, which expands numerator and
#: denominator; the trigonometric ones, which cancel): tried only where :func:`expands_small`.
_EXPANDING = frozenset({"expand", "simplify", "trig_identities"})

_TIDIERS: tuple[tuple[str, Callable[[sp.Expr], sp.Expr]], ...] = (
    ("expand", _expand),
    ("factor", _factor),
    ("factor", _factor_denominators),
    ("simplify", _cancel),
    ("trig_identities", named_ratios),
    ("trig_identities", trig_identities),
    ("factor", positive_constants),
)


def tidy(expr: sp.Expr, original: sp.Expr | None = None) -> Iterator[Rewrite]:
    """Up to three tidying rewrites of ``expr``, each strictly preferred to what it replaces."""
    current = expr
    for _ in range(3):
        found = _best_tidying(current)
        if found is None:
            return
        rule, current = found
        yield Rewrite(rule, current)


@lru_cache(maxsize=512)
def _best_tidying(current: sp.Expr) -> tuple[str, sp.Expr] | None:
    """The tidier's rule and the candidate most preferred to ``current``, if one is strictly
    preferred. Remembered: the target forms tidy twice, and the second time often meets the
    expression at which the first stopped."""
    if size(current) > TIDY_SIZE_LIMIT or current.has(sp.Piecewise):
        return None
    best: tuple[tuple[int, int, int], str, sp.Expr] | None = None
    current_preference = preference(current)
    small = expands_small(current)
    for rule, tidier in _TIDIERS:
        if rule in _EXPANDING and not small:
            continue
        try:
            candidate = tidier(current)
        except (sp.PolynomialError, ValueError, TypeError):
            continue
        if candidate == current or _breaks_sigmoid_derivative(current, candidate):
            continue
        if not candidate.atoms(sp.exp) <= current.atoms(sp.exp):
            continue  # e^{a+b} split into eᵃ·eᵇ hides σ(a + b)
        candidate_preference = preference(candidate)
        if candidate_preference < current_preference and (best is None or candidate_preference < best[0]):
            best = (candidate_preference, rule, candidate)
    return None if best is None else (best[1], best[2])


def _breaks_sigmoid_derivative(current: sp.Expr, candidate: sp.Expr) -> bool:
    """True when ``candidate`` only multiplies out σ(g)(1 − σ(g)) (into σ − σ², say).

    Cancelling σ against 1/σ, which leaves fewer σ, is progress and allowed.
    """
    fewer_forms = any(_sigmoid_derivatives(candidate, either) < _sigmoid_derivatives(current, either)
                      for either in (False, True))
    return fewer_forms and _sigmoid_count(candidate) >= _sigmoid_count(current)


def _sigmoid_count(expr: sp.Expr) -> int:
    return sum(isinstance(node, sigmoid) for node in sp.preorder_traversal(expr))


def _sigmoid_derivatives(expr: sp.Expr, either: bool = False) -> int:
    """How many products hold σ(g)·(1 − σ(g)), the form of σ′ that tidying must keep whole;
    with ``either``, also σ(g)·(σ(g) − 1), which :mod:`.sigmoid` writes −σ(g)(1 − σ(g))."""
    count = 0
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Mul):
            factors = sp.Mul.make_args(node)
            for s in node.atoms(sigmoid):
                has_s = any(f == s or (f.is_Pow and f.base == s and f.exp.is_positive) for f in factors)
                if has_s and ((1 - s) in factors or (either and (s - 1) in factors)):
                    count += 1
    return count
