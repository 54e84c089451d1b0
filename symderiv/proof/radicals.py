"""Zero as a rational function of its atoms: a cheap exact proof for differences with radicals
or with the trigonometric and hyperbolic functions.

SymPy's ``cancel`` and ``expand`` treat a radical such as √(1 + (1 + e⁻ˣ)⁻²) as a generator
and multiply out everything around it, which can take minutes on a difference of seventy
operations; and they know nothing of sin² + cos² = 1, so tan²x + 1 − 1/cos²x is no 0 to them.
Here every function application (e⁻ˣ, σ(z), ...) becomes a variable of its own, innermost
first, and all rational powers of one base B become powers of one variable T with Tᵠ = B (q the
common denominator of the exponents). The six trigonometric functions of one argument u become
two variables S, C (tan = S/C, sec = 1/C, ...) with S² + C² = 1, and the hyperbolic ones two
with C² − S² = 1. The difference is then a rational function of a few variables; its numerator
is reduced modulo the relations Tᵠ·den(B) = num(B), S² + C² − 1 and C² − S² − 1.

If the remainder is 0, the numerator lies in the ideal of the relations, so the difference is 0
for every value of the atoms that satisfies them, and so it is 0 as a function: the proof is
sound. If it is not 0, nothing is concluded (the atoms may be related in ways the relations do
not say, such as sin 2x = 2 sin x cos x).

>>> x = sp.Symbol("x")
>>> u = 1 + (1 + sp.exp(-x)) ** -2
>>> vanishes(sp.sqrt(u) * u ** sp.Rational(-3, 2) - 1 / u)
True
>>> vanishes(sp.sqrt(u) - 1)
False
>>> vanishes(sp.tan(x)**2 + 1 - 1 / sp.cos(x)**2), vanishes(sp.cosh(x)**2 - sp.sinh(x)**2 - 1)
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable

import sympy as sp

__all__ = ["ATOM_LIMIT", "DEGREE_LIMIT", "has_radical", "has_related_atoms", "numerator_vanishes", "vanishes"]

#: The most variables (atoms and radicals) a difference may have to be tried this way.
ATOM_LIMIT = 12
#: The highest total degree of the numerator this proof multiplies out.
DEGREE_LIMIT = 60


#: Each function of a family written in its two variables (S, C): sin, cos, tan, ... of one argument.
_CIRCULAR: dict[type, Callable[[sp.Expr, sp.Expr], sp.Expr]] = {
    sp.sin: lambda s, c: s, sp.cos: lambda s, c: c, sp.tan: lambda s, c: s / c,
    sp.cot: lambda s, c: c / s, sp.sec: lambda s, c: 1 / c, sp.csc: lambda s, c: 1 / s,
}
_HYPERBOLIC: dict[type, Callable[[sp.Expr, sp.Expr], sp.Expr]] = {
    sp.sinh: lambda s, c: s, sp.cosh: lambda s, c: c, sp.tanh: lambda s, c: s / c,
    sp.coth: lambda s, c: c / s, sp.sech: lambda s, c: 1 / c, sp.csch: lambda s, c: 1 / s,
}
_FAMILIES = (*_CIRCULAR, *_HYPERBOLIC)


class _Atoms:
    """The variables standing for the atoms of one expression, and the relations of its radicals."""

    def __init__(self) -> None:
        self.functions: dict[sp.Basic, sp.Dummy] = {}
        self.roots: dict[sp.Expr, tuple[sp.Dummy, int]] = {}
        self.pairs: dict[tuple[bool, sp.Expr], tuple[sp.Dummy, sp.Dummy]] = {}

    def variables(self) -> int:
        return len(self.functions) + len(self.roots) + 2 * len(self.pairs)

    def rational(self, node: sp.Expr) -> sp.Expr:
        """``node`` as a rational function of the variables."""
        if node.is_Atom:
            return node
        if isinstance(node, (sp.Add, sp.Mul)):
            return node.func(*(self.rational(arg) for arg in node.args))
        if isinstance(node, sp.Pow) and node.exp.is_Rational:
            base = self.rational(node.base)
            if node.exp.is_Integer:
                return base ** node.exp
            variable, q = self.roots[base]
            return variable ** int(node.exp * q)
        hyperbolic = type(node) in _HYPERBOLIC
        if type(node) in _CIRCULAR or hyperbolic:
            key = (hyperbolic, self.rational(node.args[0]))
            if key not in self.pairs:
                self.pairs[key] = (sp.Dummy(f"s{len(self.pairs)}"), sp.Dummy(f"c{len(self.pairs)}"))
            written = (_HYPERBOLIC if hyperbolic else _CIRCULAR)[type(node)]
            return written(*self.pairs[key])
        if node not in self.functions:
            self.functions[node] = sp.Dummy(f"f{len(self.functions)}")
        return self.functions[node]

    def collect(self, node: sp.Expr) -> None:
        """Give each base of a rational power one variable, with the common denominator q."""
        for sub in sp.postorder_traversal(node):
            if isinstance(sub, sp.Pow) and sub.exp.is_Rational and not sub.exp.is_Integer:
                base = self.rational(sub.base)  # its own radicals are collected first (postorder)
                q = int(sub.exp.q)
                if base in self.roots:
                    variable, old = self.roots[base]
                    self.roots[base] = (variable, old * q // math.gcd(old, q))
                else:
                    self.roots[base] = (sp.Dummy(f"r{len(self.roots)}"), q)

    def relations(self) -> list[sp.Expr]:
        """Tᵠ·den(B) − num(B) for each radical, S² + C² − 1 for each trigonometric pair and
        C² − S² − 1 for each hyperbolic one, as polynomials."""
        out = []
        for base, (variable, q) in self.roots.items():
            num, den = sp.fraction(sp.cancel(base))
            out.append(sp.expand(variable**q * den - num))
        for (hyperbolic, _), (sine, cosine) in self.pairs.items():
            out.append(cosine**2 - sine**2 - 1 if hyperbolic else sine**2 + cosine**2 - 1)
        return out


def numerator_vanishes(expr: sp.Expr) -> bool:
    """``expr`` over one common denominator has a numerator that multiplies out to 0: then it
    is 0 wherever it is defined, as a rational function of its atoms. About half the work of
    ``cancel``, which also takes the common factors out of numerator and denominator: a proof
    that something is 0 has no need of them. False proves nothing (the atoms may be related).

    >>> x = sp.Symbol("x")
    >>> numerator_vanishes(2 / (x**2 - 1) - 2 / ((x - 1) * (x + 1))), numerator_vanishes(1 / x - x)
    (True, False)
    """
    try:
        numerator, _ = expr.as_numer_denom()  # over one denominator, without together's gcds
        return bool(sp.expand(numerator) == 0)
    except (sp.PolynomialError, ValueError, TypeError, ZeroDivisionError):
        return False


def has_radical(expr: sp.Expr) -> bool:
    """``expr`` has a rational power that is not whole (√u, u^(−3/2))."""
    return any(isinstance(node, sp.Pow) and node.exp.is_Rational and not node.exp.is_Integer
               for node in sp.preorder_traversal(expr))


def has_related_atoms(expr: sp.Expr) -> bool:
    """``expr`` has what :func:`vanishes` relates and ``cancel`` does not: a radical, or a
    trigonometric or hyperbolic function."""
    return has_radical(expr) or expr.has(*_FAMILIES)


def vanishes(difference: sp.Expr) -> bool:
    """``difference`` is 0 as a rational function of its atoms, radicals and sin, cos (sinh,
    cosh) reduced by their relations (see the module's docstring); False when that cannot be
    shown cheaply."""
    atoms = _Atoms()
    try:
        atoms.collect(difference)
        if atoms.variables() > ATOM_LIMIT:
            return False
        rational = atoms.rational(difference)
        if numerator_vanishes(rational):
            return True
        num, _ = sp.fraction(sp.cancel(sp.together(rational)))
        if num == 0:
            return True
        if not atoms.roots and not atoms.pairs:
            return False
        generators = sorted(num.free_symbols, key=str)
        polynomial = sp.Poly(num, *generators)
        if polynomial.total_degree() > DEGREE_LIMIT:
            return False
        relations = atoms.relations()
        _, remainder = sp.reduced(num, relations, *generators)
        return bool(sp.expand(remainder) == 0)
    except (KeyError, sp.PolynomialError, ValueError, TypeError, ZeroDivisionError):
        return False
