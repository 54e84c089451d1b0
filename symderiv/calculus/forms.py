"""Rewriting a derivative toward the form people write, each rewrite a named step of its own.

- σ written out: e⁻ˣ/(1 + e⁻ˣ)² becomes σ(x)(1 − σ(x)) by the seeds' route: add and subtract 1
  in the numerator, split the fraction, recognise σ (for eˣ/(1 + eˣ)², first multiply the
  numerator and the denominator by e⁻²ˣ).
- eˣ/(1 + eˣ) and 1/(1 + e⁻ˣ) become σ(x), e⁻ˣ/(1 + e⁻ˣ) becomes 1 − σ(x).
- Elsewhere a tidy form: expanded, factored or cancelled, whichever is smallest, and only when
  it is strictly smaller than what it replaces (SymPy's ``count_ops``). Never ``simplify``,
  which turns σ′ into 1/(4cosh²(x/2)).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> raw = sp.exp(-x) / (1 + sp.exp(-x))**2
>>> [r.rule for r in toward_target(raw, 1 / (1 + sp.exp(-x)), x)]
['add_subtract', 'split_fraction', 'recognize_sigmoid']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ..core.functions import sigmoid
from ..proof.equivalence import elementary
from ..proof.numeric import NotNumeric, evaluate

__all__ = ["Rewrite", "sigmoid_arguments", "toward_target"]

#: Past this size (``count_ops``) no tidying is tried: it could take longer than it is worth.
TIDY_SIZE_LIMIT = 300


@dataclass(frozen=True)
class Rewrite:
    """One rewrite: the rule id, the whole expression after it, and the part it changed."""

    rule: str
    after: sp.Expr
    focus: tuple[sp.Expr, sp.Expr] | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def toward_target(expr: sp.Expr, original: sp.Expr, wrt: sp.Symbol) -> list[Rewrite]:
    """The rewrites that bring the derivative ``expr`` of ``original`` to its target form."""
    rewrites: list[Rewrite] = []
    current = expr
    stages: tuple[Callable[[sp.Expr, sp.Expr], Iterator[Rewrite]], ...] = (
        _vanishing,
        _tidy,
        _sigmoid_forms,
        _tidy,
    )
    for stage in stages:
        for rewrite in stage(current, original):
            rewrites.append(rewrite)
            current = rewrite.after
    return rewrites


#: A derivative this large is not tested for being 0 as a whole (the test simplifies it).
ZERO_TEST_SIZE = 200


def _vanishing(expr: sp.Expr, original: sp.Expr) -> Iterator[Rewrite]:
    """A derivative that is 0, written as 0: σ(x) + σ(−x) is constant, and its derivative
    σ(x)(1 − σ(x)) − σ(−x)(1 − σ(−x)) cancels once σ is written with exp."""
    if expr == 0 or not expr.free_symbols or size(expr) > ZERO_TEST_SIZE or not _zero_at_points(expr):
        return
    written = elementary(expr)
    try:
        vanishes = sp.cancel(sp.expand(written)) == 0 or sp.simplify(written) == 0
    except Exception:  # a SymPy failure leaves the derivative as it is
        return
    if vanishes:
        yield Rewrite("simplify", sp.S.Zero)


def _zero_at_points(expr: sp.Expr) -> bool:
    """A cheap look before SymPy's simplify: ``expr`` is 0 to 25 digits at three points."""
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    for point in (sp.Rational(3, 7), sp.Rational(-5, 11), sp.Rational(13, 9)):
        at = {s: point + sp.Rational(i, 17) for i, s in enumerate(symbols)}
        try:
            value = evaluate(expr, at, digits=30)
        except (NotNumeric, ValueError, ZeroDivisionError, OverflowError):
            return False
        if abs(value) > 1e-25:
            return False
    return True


def size(expr: sp.Expr) -> int:
    """How large an expression is, as SymPy counts operations."""
    return int(sp.count_ops(expr))


# --- Tidying ---------------------------------------------------------------------------------

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


#: A quotient that has a name of its own: sin/cos is tan, cos/sin is cot, and the same for sinh, cosh.
_RATIOS = ((sp.sin, sp.cos, sp.tan), (sp.sinh, sp.cosh, sp.tanh), (sp.cos, sp.sin, sp.cot), (sp.cosh, sp.sinh, sp.coth))


def _named_ratios(expr: sp.Expr) -> sp.Expr:
    """sin(u)/cos(u) written tan(u), sinh(u)/cosh(u) written tanh(u), in every product.

    >>> x = sp.Symbol("x")
    >>> _named_ratios(-sp.sinh(x) / sp.cosh(x)), _named_ratios(2 * sp.sin(x) / sp.cos(x))
    (-tanh(x), 2*tan(x))
    """
    def rename(product: sp.Expr) -> sp.Expr:
        factors = list(sp.Mul.make_args(product))
        for top, bottom, name in _RATIOS:
            for factor in list(factors):
                if isinstance(factor, top) and factor in factors and bottom(*factor.args) ** -1 in factors:
                    factors.remove(factor)
                    factors.remove(bottom(*factor.args) ** -1)
                    factors.append(name(*factor.args))
        return sp.Mul(*factors)

    return expr.replace(lambda node: node.is_Mul, rename)


_TIDIERS: tuple[tuple[str, Callable[[sp.Expr], sp.Expr]], ...] = (
    ("expand", _expand),
    ("factor", _factor),
    ("simplify", sp.cancel),
    ("simplify", _named_ratios),
)


def _tidy(expr: sp.Expr, original: sp.Expr) -> Iterator[Rewrite]:
    current = expr
    for _ in range(3):
        current_size = size(current)
        if current_size > TIDY_SIZE_LIMIT or current.has(sp.Piecewise):
            return
        best: tuple[int, str, sp.Expr] | None = None
        for rule, tidier in _TIDIERS:
            try:
                candidate = tidier(current)
            except (sp.PolynomialError, ValueError, TypeError):
                continue
            if candidate == current or _breaks_sigmoid_derivative(current, candidate):
                continue
            if not candidate.atoms(sp.exp) <= current.atoms(sp.exp):
                continue  # e^{a+b} split into eᵃ·eᵇ hides σ(a + b)
            candidate_size = size(candidate)
            if candidate_size < current_size and (best is None or candidate_size < best[0]):
                best = (candidate_size, rule, candidate)
        if best is None:
            return
        current = best[2]
        yield Rewrite(best[1], current)


def _breaks_sigmoid_derivative(current: sp.Expr, candidate: sp.Expr) -> bool:
    """True when ``candidate`` only multiplies out σ(g)(1 − σ(g)) (into σ − σ², say).

    Cancelling σ against 1/σ, which leaves fewer σ, is progress and allowed.
    """
    fewer_forms = _sigmoid_derivatives(candidate) < _sigmoid_derivatives(current)
    return fewer_forms and _sigmoid_count(candidate) >= _sigmoid_count(current)


def _sigmoid_count(expr: sp.Expr) -> int:
    return sum(isinstance(node, sigmoid) for node in sp.preorder_traversal(expr))


def _sigmoid_derivatives(expr: sp.Expr) -> int:
    """How many products hold σ(g)·(1 − σ(g)), the form of σ′ that tidying must keep whole."""
    count = 0
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Mul):
            factors = sp.Mul.make_args(node)
            for s in node.atoms(sigmoid):
                has_s = any(f == s or (f.is_Pow and f.base == s and f.exp.is_positive) for f in factors)
                if has_s and (1 - s) in factors:
                    count += 1
    return count


# --- σ ---------------------------------------------------------------------------------------

def _normalized(argument: sp.Expr) -> sp.Expr:
    return -argument if argument.could_extract_minus_sign() else argument


def sigmoid_arguments(original: sp.Expr) -> list[sp.Expr]:
    """The arguments g of every σ(g) in ``original``, written as σ or as 1 + e^{±g}.

    >>> import sympy as sp
    >>> x, y = sp.symbols("x y")
    >>> sigmoid_arguments(sp.exp(y) / (1 + sp.exp(y)) + sigmoid(2*x))
    [2*x, y]
    """
    found = {node.args[0] for node in original.atoms(sigmoid)}
    for node in original.atoms(sp.Add):
        if len(node.args) == 2 and sp.S.One in node.args:
            other = node.args[0] if node.args[1] == 1 else node.args[1]
            if isinstance(other, sp.exp):
                found.add(_normalized(other.args[0]))
    return sorted(found, key=sp.default_sort_key)


def _sigmoid_forms(expr: sp.Expr, original: sp.Expr) -> Iterator[Rewrite]:
    """The seeds' route and the names σ and 1 − σ, then, for what they leave, e^{−g} written with σ(g)."""
    current = expr
    for argument in sigmoid_arguments(original):
        for _ in range(3):
            start = current
            for rewrite in [*_sigmoid_derivative_route(current, argument)]:
                yield rewrite
                current = rewrite.after
            for rewrite in [*_recognize(current, argument)]:
                yield rewrite
                current = rewrite.after
            if current == start:
                break
        for rewrite in _in_terms_of_sigmoid(current, argument):
            yield rewrite
            current = rewrite.after


def _exponentials_of(expr: sp.Expr, argument: sp.Expr) -> dict[sp.Expr, int]:
    """The factors e^{k·g} in ``expr``, each with its integer k."""
    found: dict[sp.Expr, int] = {}
    for node in expr.atoms(sp.exp):
        ratio = sp.cancel(node.args[0] / argument)
        if ratio.is_Integer and ratio != 0:
            found[node] = int(ratio)
    return found


def _in_terms_of_sigmoid(expr: sp.Expr, argument: sp.Expr) -> Iterator[Rewrite]:
    """What the patterns left: write e^{−g} = (1 − σ(g))/σ(g) everywhere, then cancel.

    Taken only when the result holds no e^{±g} and is no larger than ``expr``.
    """
    exponentials = _exponentials_of(expr, argument)
    if not exponentials or size(expr) > TIDY_SIZE_LIMIT:
        return
    s = sigmoid(argument)
    written = expr.xreplace({node: ((1 - s) / s) ** (-k) for node, k in exponentials.items()})
    placeholder = sp.Dummy("s")
    try:
        cancelled = sp.factor(sp.cancel(written.xreplace({s: placeholder}))).xreplace({placeholder: s})
    except (sp.PolynomialError, ValueError, TypeError):
        return
    cancelled = _one_minus_first(cancelled, s)
    if _exponentials_of(cancelled, argument) or size(cancelled) > size(expr):
        return
    yield Rewrite(
        "recognize_sigmoid",
        written,
        None,
        {"argument": argument, "sigmoid": s, "identity": (sp.exp(-argument), (1 - s) / s)},
    )
    if cancelled != written:
        yield Rewrite("simplify", cancelled)


def _one_minus_first(expr: sp.Expr, s: sp.Expr) -> sp.Expr:
    """Write −(σ − 1) as (1 − σ), the way σ′ = σ(1 − σ) is read: −σ(σ − 1) becomes σ(1 − σ)."""

    def visit(node: sp.Expr) -> sp.Expr:
        if node.args:
            node = node.func(*(visit(arg) for arg in node.args))
        if node.is_Mul and (s - 1) in node.args and node.could_extract_minus_sign():
            factors = list(node.args)
            factors.remove(s - 1)
            return sp.Mul(-sp.Mul(*factors), 1 - s)
        return node

    return visit(expr)


def _find_mul(expr: sp.Expr, predicate: Callable[[sp.Mul], bool]) -> sp.Mul | None:
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Mul) and predicate(node):
            return node
    return None


def _route_factors(node: sp.Mul, numerator: sp.Expr, denominator: sp.Expr) -> tuple[sp.Expr, int] | None:
    """(K, n) when node = K · numerator · denominator⁻ⁿ with n ≥ 2 and K free of the pattern."""
    factors = list(sp.Mul.make_args(node))
    if numerator not in factors:
        return None
    powers = [f for f in factors if f.is_Pow and f.base == denominator and f.exp.is_Integer and f.exp <= -2]
    if len(powers) != 1:
        return None
    factors.remove(numerator)
    factors.remove(powers[0])
    rest = sp.Mul(*factors)
    if rest.has(numerator) or rest.has(denominator):
        return None
    return rest, int(-powers[0].exp)


def _sigmoid_derivative_route(expr: sp.Expr, argument: sp.Expr) -> Iterator[Rewrite]:
    """K·e⁻ᵍ/(1 + e⁻ᵍ)ⁿ → K·σ(g)(1 − σ(g))·σ(g)ⁿ⁻², by add-and-subtract, split, recognise."""
    negative, positive = sp.exp(-argument), sp.exp(argument)
    denominator, flipped = 1 + negative, 1 + positive
    current = expr
    while True:
        node = _find_mul(current, lambda m: _route_factors(m, positive, flipped) is not None)
        if node is not None:
            rest, power = _route_factors(node, positive, flipped)  # type: ignore[misc]
            if power == 2:
                scaled = rest * negative * denominator ** -2
                current = current.xreplace({node: scaled})
                yield Rewrite("scale_fraction", current, (node, scaled), {"factor": sp.exp(-2 * argument)})
                node = scaled
        else:
            node = _find_mul(current, lambda m: _route_factors(m, negative, denominator) is not None)
        if node is None:
            return
        found = _route_factors(node, negative, denominator)
        if found is None:
            return
        rest, power = found
        leading = [rest] if rest != 1 else []
        tail = [denominator ** (2 - power)] if power > 2 else []

        numerator = sp.Add(1, negative, -1, evaluate=False)
        written = sp.Mul(*leading, numerator, sp.Pow(denominator, -power), evaluate=False)
        current = current.xreplace({node: written})
        yield Rewrite("add_subtract", current, (node, written), {"term": sp.S.One, "argument": argument})

        reciprocal = sp.Pow(denominator, -1)
        split = sp.Mul(
            *leading,
            sp.UnevaluatedExpr(reciprocal),
            sp.UnevaluatedExpr(sp.Add(1, -reciprocal, evaluate=False)),
            *tail,
            evaluate=False,
        )
        current = current.xreplace({written: split})
        yield Rewrite("split_fraction", current, (written, split), {"argument": argument})

        recognized = rest * sigmoid(argument) * (1 - sigmoid(argument)) * sigmoid(argument) ** (power - 2)
        current = current.xreplace({split: recognized})
        yield Rewrite(
            "recognize_sigmoid", current, (split, recognized), {"argument": argument, "sigmoid": sigmoid(argument)}
        )


def _recognize(expr: sp.Expr, argument: sp.Expr) -> Iterator[Rewrite]:
    """Name what is left: 1/(1 + e⁻ᵍ) and eᵍ/(1 + eᵍ) are σ(g); e⁻ᵍ/(1 + e⁻ᵍ) is 1 − σ(g)."""
    negative, positive = sp.exp(-argument), sp.exp(argument)
    s = sigmoid(argument)
    complement = {
        negative * (1 + negative) ** -1: 1 - s,
    }
    direct = {
        (1 + negative) ** -1: s,
        positive * (1 + positive) ** -1: s,
    }
    for rule, table in (("sigmoid_complement", complement), ("recognize_sigmoid", direct)):
        replaced = _replace_factors(expr, table)
        if replaced != expr:
            yield Rewrite(rule, replaced, None, {"argument": argument, "sigmoid": s})
            expr = replaced


def _replace_factors(expr: sp.Expr, table: dict[sp.Expr, sp.Expr]) -> sp.Expr:
    """Replace each pattern of ``table`` wherever it stands, alone or among a product's factors."""

    def visit(node: sp.Expr) -> sp.Expr:
        for pattern, value in table.items():
            if node == pattern:
                return value
        if not node.args:
            return node
        if node.is_Mul:
            factors = list(node.args)
            for pattern, value in table.items():
                wanted = list(sp.Mul.make_args(pattern))
                if all(f in factors for f in wanted):
                    for f in wanted:
                        factors.remove(f)
                    factors.append(value)
            node = sp.Mul(*factors) if factors != list(node.args) else node
        return node.func(*(visit(arg) for arg in node.args)) if node.args else node

    return visit(expr)
