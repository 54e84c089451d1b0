"""Zero as a rational function of its atoms: a cheap exact proof for differences with radicals.

SymPy's ``cancel`` and ``expand`` treat a radical such as √(1 + (1 + e⁻ˣ)⁻²) as a generator
and multiply out everything around it, which can take minutes on a difference of seventy
operations. Here every function application (e⁻ˣ, sin x, σ(z), ...) becomes a variable of its
own, innermost first, and all rational powers of one base B become powers of one variable T
with Tᵠ = B (q the common denominator of the exponents). The difference is then a rational
function of a few variables; its numerator is reduced modulo the relations Tᵠ·den(B) = num(B).

If the remainder is 0, the difference is 0 for every value of the atoms that satisfies the
relations, so it is 0 as a function: the proof is sound. If it is not 0, nothing is concluded
(the atoms may be related in ways the relations do not say, such as sin² + cos² = 1).

>>> x = sp.Symbol("x")
>>> u = 1 + (1 + sp.exp(-x)) ** -2
>>> vanishes(sp.sqrt(u) * u ** sp.Rational(-3, 2) - 1 / u)
True
>>> vanishes(sp.sqrt(u) - 1)
False
"""

from __future__ import annotations

import math

import sympy as sp

__all__ = ["ATOM_LIMIT", "DEGREE_LIMIT", "has_radical", "vanishes"]

#: The most variables (atoms and radicals) a difference may have to be tried this way.
ATOM_LIMIT = 12
#: The highest total degree of the numerator this proof multiplies out.
DEGREE_LIMIT = 60


class _Atoms:
    """The variables standing for the atoms of one expression, and the relations of its radicals."""

    def __init__(self) -> None:
        self.functions: dict[sp.Basic, sp.Dummy] = {}
        self.roots: dict[sp.Expr, tuple[sp.Dummy, int]] = {}

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
        """Tᵠ·den(B) − num(B) for each radical, as polynomials."""
        out = []
        for base, (variable, q) in self.roots.items():
            num, den = sp.fraction(sp.cancel(base))
            out.append(sp.expand(variable**q * den - num))
        return out


def has_radical(expr: sp.Expr) -> bool:
    """``expr`` has a rational power that is not whole (√u, u^(−3/2))."""
    return any(isinstance(node, sp.Pow) and node.exp.is_Rational and not node.exp.is_Integer
               for node in sp.preorder_traversal(expr))


def vanishes(difference: sp.Expr) -> bool:
    """``difference`` is 0 as a rational function of its atoms, radicals reduced by their
    relations (see the module's docstring); False when that cannot be shown cheaply."""
    atoms = _Atoms()
    try:
        atoms.collect(difference)
        if len(atoms.functions) + len(atoms.roots) > ATOM_LIMIT:
            return False
        rational = atoms.rational(difference)
        num, _ = sp.fraction(sp.cancel(sp.together(rational)))
        if num == 0:
            return True
        variables = [v for v, _ in atoms.roots.values()]
        if not variables:
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
