r"""Why gradients vanish through sigmoid layers: σ′ is at most 1/4, so n layers scale by (1/4)ⁿ.

Seed 004's argument, derived rather than quoted:

1. σ′(x) = σ(x)(1 − σ(x)), derived step by step.
2. σ″(x) = σ(x)(1 − σ(x))(1 − 2σ(x)), derived the same way from step 1's result.
3. σ″ = 0 where s = σ(x) solves s(1 − s)(1 − 2s) = 0. σ takes values in (0, 1) only, so
   s = 1/2, which is x = log(s/(1 − s)) = 0.
4. For s in (0, 1/2) σ″ > 0 and for s in (1/2, 1) σ″ < 0; σ is increasing, so σ′ rises for
   x < 0 and falls for x > 0: x = 0 is its maximum, σ′(0) = 1/4.
5. Through n layers aₖ = σ(wₖ·aₖ₋₁ + bₖ) the chain rule multiplies n factors wₖ·σ′(zₖ), so
   |∂aₙ/∂a₀| ≤ (1/4)ⁿ·|w₁···wₙ|: with unit weights, 1/4 after one layer, 1/1024 after five.

Every claim is computed with SymPy here, and :func:`sigmoid_slope_bound` returns the pieces.

>>> bound = sigmoid_slope_bound()
>>> bound.second.result
(1 - 2*sigmoid(x))*(1 - sigmoid(x))*sigmoid(x)
>>> bound.at, bound.maximum
(0, 1/4)
>>> gradient_bound(5)
1/1024
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from ..calculus.engine import derive
from ..errors import SymderivError
from ..core.functions import sigmoid
from ..core.derivation import Derivation

__all__ = ["SlopeBound", "sigmoid_slope_bound", "gradient_bound", "layered_sigmoid", "gradient_through_layers"]

x = sp.Symbol("x")
_s = sp.Symbol("s", positive=True)


@dataclass(frozen=True)
class SlopeBound:
    """The maximum of σ′, with the derivations and the facts that establish it.

    - ``first``: the derivation of σ′; ``second``: the derivation of σ″ (from σ′'s result);
    - ``in_s``: σ″ written in s = σ(x), a polynomial;
    - ``roots``: its roots; ``admissible``: those inside σ's range (0, 1);
    - ``rising``, ``falling``: where, in s, σ″ is positive and negative within (0, 1);
    - ``at``: the x of the maximum; ``maximum``: σ′ there.
    """

    first: Derivation
    second: Derivation
    in_s: sp.Expr
    roots: tuple[sp.Expr, ...]
    admissible: tuple[sp.Expr, ...]
    rising: sp.Set
    falling: sp.Set
    at: sp.Expr
    maximum: sp.Expr


@lru_cache(maxsize=1)
def sigmoid_slope_bound() -> SlopeBound:
    """Derive σ′ and σ″, solve σ″ = 0, and show that σ′ is largest at x = 0, where it is 1/4.

    >>> bound = sigmoid_slope_bound()
    >>> bound.in_s
    s*(1 - 2*s)*(1 - s)
    >>> bound.roots, bound.admissible
    ((0, 1/2, 1), (1/2,))
    >>> bound.rising, bound.falling
    (Interval.open(0, 1/2), Interval.open(1/2, 1))
    """
    first = derive(sigmoid(x), x)
    second = derive(first.result, x)
    in_s = second.result.xreplace({sigmoid(x): _s})
    if in_s.has(x):
        raise SymderivError(f"σ″ = {second.result} is not a function of σ(x) alone")
    polynomial = sp.Poly(in_s, _s)
    roots = tuple(sorted(sp.roots(polynomial, _s), key=float))
    unit = sp.Interval.open(0, 1)  # the values σ takes
    admissible = tuple(r for r in roots if r in unit)
    if len(admissible) != 1:
        raise SymderivError(f"expected one root of σ″ inside (0, 1), found {admissible}")
    (s_star,) = admissible
    rising = sp.solve_univariate_inequality(in_s > 0, _s, relational=False, domain=unit)
    falling = sp.solve_univariate_inequality(in_s < 0, _s, relational=False, domain=unit)
    if rising != sp.Interval.open(0, s_star) or falling != sp.Interval.open(s_star, 1):
        raise SymderivError(f"σ″ does not change sign from + to − at s = {s_star}: rising on {rising}")
    at = sp.log(s_star / (1 - s_star))  # σ is increasing: σ(x) = s exactly at x = log(s/(1 − s))
    if sigmoid(at) != s_star:
        raise SymderivError(f"σ({at}) is not {s_star}")
    maximum = first.result.subs(x, at)
    return SlopeBound(
        first=first,
        second=second,
        in_s=in_s,
        roots=roots,
        admissible=admissible,
        rising=rising,
        falling=falling,
        at=at,
        maximum=maximum,
    )


def gradient_bound(layers: int) -> sp.Rational:
    """(1/4)ⁿ: the most n sigmoid layers with unit weights can pass back of a gradient.

    >>> [gradient_bound(n) for n in range(1, 4)]
    [1/4, 1/16, 1/64]
    """
    if layers < 0:
        raise ValueError("the number of layers cannot be negative")
    return sigmoid_slope_bound().maximum ** layers


def layered_sigmoid(layers: int) -> tuple[sp.Expr, tuple[sp.Symbol, ...], tuple[sp.Symbol, ...]]:
    """aₙ for aₖ = σ(wₖ·aₖ₋₁ + bₖ), a₀ = x: the expression, the weights and the biases.

    >>> layered_sigmoid(2)[0]
    sigmoid(b2 + w2*sigmoid(b1 + w1*x))
    """
    if layers < 1:
        raise ValueError("a network has at least one layer")
    weights = sp.symbols(f"w1:{layers + 1}")
    biases = sp.symbols(f"b1:{layers + 1}")
    activation: sp.Expr = x
    for w, b in zip(weights, biases):
        activation = sigmoid(w * activation + b)
    return activation, tuple(weights), tuple(biases)


def gradient_through_layers(layers: int) -> Derivation:
    """The derivation of ∂aₙ/∂x through ``layers`` sigmoid layers: a product of wₖ·σ′(zₖ).

    >>> d = gradient_through_layers(1)
    >>> d.result
    w1*(1 - sigmoid(b1 + w1*x))*sigmoid(b1 + w1*x)
    """
    expression, _, _ = layered_sigmoid(layers)
    return derive(expression, x)
