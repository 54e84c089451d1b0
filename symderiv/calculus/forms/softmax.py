"""The softmax's components named: e^{zₖ}/Σⱼ e^{zⱼ} is sₖ, and its derivatives read sₖ(1 − sₖ), −sₖsⱼ.

A component of the original expression is a quotient e^{g}/(e^{h₁} + … + e^{hₙ}) whose sum holds
e^{g}. Its derivative is a quotient of the same exponentials, of degree 0; written with
e^{hⱼ} = sⱼ·Σ (the sum being Σ), the Σ cancel and what is left is a polynomial in the sⱼ. The
components the original does not hold are written with Σₖ sₖ = 1 where one of them can be (for
two, s₂ = 1 − s₁), so that ∂/∂z₁ e^{z₁}/(e^{z₁} + e^{z₂}) = s(1 − s), s = e^{z₁}/(e^{z₁} + e^{z₂}).
Taken only when that is smaller than the derivative as it stands. The chain then ends with the
names put back (a ``substitute`` step), so the result is in the original variables and the
document shows both.

>>> z1, z2 = sp.symbols("z1 z2")
>>> total = sp.exp(z1) + sp.exp(z2)
>>> [(r.rule, r.after) for r in softmax_forms(sp.exp(z1) * sp.exp(z2) / total**2, sp.exp(z1) / total)][0]
('softmax_component', s*(1 - s))
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import sympy as sp

from .rewrite import TIDY_SIZE_LIMIT, Rewrite, size
from .tidy import positive_constants

__all__ = ["softmax_components", "softmax_forms"]


def softmax_components(original: sp.Expr) -> dict[sp.Expr, list[sp.Expr]]:
    """Each sum of exponentials Σ in ``original`` that a softmax component e^{g}/Σ divides,
    with the numerators e^{g} found over it.

    >>> z1, z2 = sp.symbols("z1 z2")
    >>> softmax_components(sp.log(sp.exp(z2) / (sp.exp(z1) + sp.exp(z2))))
    {exp(z1) + exp(z2): [exp(z2)]}
    """
    found: dict[sp.Expr, list[sp.Expr]] = {}
    for node in sp.preorder_traversal(original):
        if not node.is_Mul:
            continue
        factors = sp.Mul.make_args(node)
        for factor in factors:
            total = factor.base if factor.is_Pow and factor.exp == -1 else None
            if total is None or not total.is_Add or len(total.args) < 2:
                continue
            if not all(isinstance(term, sp.exp) for term in total.args):
                continue
            for numerator in factors:
                if numerator in total.args and numerator not in found.setdefault(total, []):
                    found[total].append(numerator)
    return found


def softmax_forms(
    expr: sp.Expr, original: sp.Expr, names: Mapping[sp.Symbol, sp.Expr] | None = None
) -> Iterator[Rewrite]:
    """The derivative written with the components' names, then the names put back. A component
    the derivation has already named (``names``: name → value) keeps its name."""
    if size(expr) > TIDY_SIZE_LIMIT:
        return
    for total, numerators in softmax_components(original).items():
        named = _named(expr, total, numerators, original, names or {})
        if named is None:
            continue
        written, where = named
        if size(written) >= size(expr):
            continue
        yield Rewrite("softmax_component", written, None, {"names": tuple(where)}, where)
        back = written.xreplace(where)
        yield Rewrite("substitute", back, None, {"names": tuple(where), "values": dict(where)}, where)
        return


def _named(
    expr: sp.Expr, total: sp.Expr, numerators: list[sp.Expr], original: sp.Expr, known: Mapping[sp.Symbol, sp.Expr]
) -> tuple[sp.Expr, dict[sp.Symbol, sp.Expr]] | None:
    """``expr`` as a polynomial in the components of ``total``, with their names; None when it is
    not one."""
    terms = sorted(total.args, key=sp.default_sort_key)
    scale = sp.Dummy("T")
    parts = {term: sp.Dummy(f"s{index}") for index, term in enumerate(terms, 1)}
    written = expr.xreplace({total: scale}).xreplace({term: part * scale for term, part in parts.items()})
    if written.has(*terms):
        return None
    try:
        polynomial = sp.cancel(written)
    except (sp.PolynomialError, ValueError, TypeError):
        return None
    if polynomial.has(scale) or not polynomial.is_polynomial(*parts.values()):
        return None
    named_ones = [term for term in terms if term in numerators]
    others = [term for term in terms if term not in numerators]
    if others:  # Σ s = 1: one component the original does not hold, written with the others
        last = parts[others[-1]]
        polynomial = sp.expand(polynomial.xreplace({last: 1 - sp.Add(*(p for p in parts.values() if p != last))}))
    used = [term for term in terms if polynomial.has(parts[term])]
    if not used:
        return None
    taken = {s.name for s in original.free_symbols | expr.free_symbols | set(known)}
    named_before = {value: name for name, value in known.items()}
    names: dict[sp.Expr, sp.Symbol] = {}
    for term in used:
        if term / total in named_before:
            names[term] = named_before[term / total]
            continue
        preferred = "s" if len(used) == 1 else f"s{terms.index(term) + 1}"
        names[term] = _fresh(preferred, taken)
        taken.add(names[term].name)
    if not set(named_ones) & set(names):
        return None
    form = positive_constants(sp.factor(polynomial), negate=True).xreplace({parts[t]: names[t] for t in used})
    return form, {names[t]: t / total for t in used}


def _fresh(preferred: str, taken: set[str]) -> sp.Symbol:
    """``preferred``, or it with a prime: s, s′, s″ … as ``s'``, ``s''``."""
    name = preferred
    while name in taken:
        name += "'"
    return sp.Symbol(name)
