"""σ written out, rewritten to σ: the seeds' route and the names σ and 1 − σ.

- e⁻ᵍ/(1 + e⁻ᵍ)² becomes σ(g)(1 − σ(g)) by the seeds' route: add and subtract 1 in the
  numerator, split the fraction, recognise σ (for eᵍ/(1 + eᵍ)², first multiply the numerator and
  the denominator by e⁻²ᵍ).
- eᵍ/(1 + eᵍ) and 1/(1 + e⁻ᵍ) become σ(g), e⁻ᵍ/(1 + e⁻ᵍ) becomes 1 − σ(g).
- What the patterns leave: e^{−g} written (1 − σ(g))/σ(g) everywhere, then cancelled.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> raw = sp.exp(-x) / (1 + sp.exp(-x))**2
>>> [r.rule for r in sigmoid_forms(raw, 1 / (1 + sp.exp(-x)))]
['add_subtract', 'split_fraction', 'recognize_sigmoid']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import sympy as sp

from ...core.functions import sigmoid
from .rewrite import TIDY_SIZE_LIMIT, Rewrite, size
from .tidy import positive_constants

__all__ = ["sigmoid_arguments", "sigmoid_forms"]


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
        exponential = _logistic_exponential(node)
        if exponential is not None:
            found.add(_normalized(exponential.args[0]))
    return sorted(found, key=sp.default_sort_key)


def _logistic_exponential(node: sp.Expr) -> sp.Expr | None:
    """e^{±g} when ``node`` is 1 + e^{±g} (the one exact or written 1.0); None otherwise."""
    if not node.is_Add or len(node.args) != 2:
        return None
    constant, other = node.as_coeff_Add()
    if constant.is_Number and float(constant) == 1.0 and isinstance(other, sp.exp):
        return other
    return None


def _exact_ones(expr: sp.Expr) -> sp.Expr:
    """1.0 + e^{±g} written 1 + e^{±g}: a decimal one is the one σ's pattern holds."""
    found = {
        node: 1 + exponential
        for node in expr.atoms(sp.Add)
        if (exponential := _logistic_exponential(node)) is not None and node.as_coeff_Add()[0].is_Float
    }
    return expr.xreplace(found) if found else expr


def sigmoid_forms(expr: sp.Expr, original: sp.Expr) -> Iterator[Rewrite]:
    """The seeds' route and the names σ and 1 − σ, then, for what they leave, e^{−g} written with σ(g)."""
    current = expr
    arguments = sigmoid_arguments(original)
    if arguments and _exact_ones(current) != current:
        current = _exact_ones(current)
        yield Rewrite("simplify", current)
    for argument in arguments:
        if not current.has(sp.exp):
            break  # every pattern below is one of e^{±g}: σ already written as σ has none
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
    for rewrite in _complement_first(current):
        yield rewrite


def _complement_first(expr: sp.Expr) -> Iterator[Rewrite]:
    """σ(g)(σ(g) − 1) written −σ(g)(1 − σ(g)), σ′ as people write it: d/dt (1 − σ(t)) is
    −σ(t)(1 − σ(t)). Signs move as :func:`~.tidy.positive_constants` moves them, only in the
    products that hold σ beside σ − 1.

    >>> t = sp.Symbol("t")
    >>> [r.after for r in _complement_first(sigmoid(t) * (sigmoid(t) - 1))]
    [-(1 - sigmoid(t))*sigmoid(t)]
    """
    def complemented(node: sp.Expr) -> bool:
        factors = sp.Mul.make_args(node)
        return any(s in factors and (s - 1) in factors for s in node.atoms(sigmoid))

    found = {node: positive_constants(node, negate=True) for node in expr.atoms(sp.Mul) if complemented(node)}
    if found:
        yield Rewrite("factor", expr.xreplace(found))


def _exponentials_of(expr: sp.Expr, argument: sp.Expr) -> dict[sp.Expr, int]:
    """The factors e^{k·g} in ``expr``, each with its integer k."""
    found: dict[sp.Expr, int] = {}
    for node in expr.atoms(sp.exp):
        ratio = _multiple(node.args[0], argument)
        if ratio.is_Number and ratio != 0 and float(ratio).is_integer():  # an integer, or 2.0 for a decimal g
            found[node] = int(ratio)
    return found


def _hold_decimals(expr: sp.Expr) -> tuple[sp.Expr, dict[sp.Expr, sp.Expr]]:
    """``expr`` with each decimal held as a symbol (−1.702 as −c), and the way back: cancelling
    and factoring then treat 1.702 as they treat a symbolic scale factor k, and no 0.5875… appears.

    >>> x = sp.Symbol("x")
    >>> held, back = _hold_decimals(sp.Float(1.702) * x - sp.Float(-1.702))
    >>> held.xreplace(back) == sp.Float(1.702) * x + sp.Float(1.702)
    True
    """
    symbols: dict[sp.Expr, sp.Expr] = {}
    held: dict[sp.Expr, sp.Expr] = {}
    for number in expr.atoms(sp.Float):
        magnitude = abs(number)
        symbol = symbols.setdefault(magnitude, sp.Dummy("c", positive=True))
        held[number] = symbol if number > 0 else -symbol
    return expr.xreplace(held), {symbol: magnitude for magnitude, symbol in symbols.items()}


def _multiple(expr: sp.Expr, argument: sp.Expr) -> sp.Expr:
    """expr/argument, exact for decimal coefficients: −1.702x/(1.702x) is −1, not −0.9999….

    >>> x = sp.Symbol("x")
    >>> _multiple(sp.Float(-1.702) * x, sp.Float(1.702) * x), _multiple(-2 * x - 2, x + 1)
    (-1.00000000000000, -2)
    """
    coefficient, rest = expr.as_coeff_Mul()
    argument_coefficient, argument_rest = argument.as_coeff_Mul()
    if rest == argument_rest:
        return coefficient / argument_coefficient
    return sp.cancel(expr / argument)


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
    held, back = _hold_decimals(written.xreplace({s: placeholder}))
    try:
        cancelled = sp.factor(sp.cancel(held)).xreplace(back).xreplace({placeholder: s})
    except (sp.PolynomialError, ValueError, TypeError):
        return
    cancelled = positive_constants(cancelled)
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
