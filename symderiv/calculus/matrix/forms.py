r"""The gradient in the form ML texts write: Xᵀ(σ(Xw) − y)/m, softmax(z) − y, (A + Aᵀ)S.

Three rewrites, each a step of its own, each proven like any other:

- :func:`sums_to_one`: 1ᵀy = 1 for a target y of a softmax (rule ``target_sum``);
- :func:`factor_common`: AS + AᵀS = (A + Aᵀ)S, Xᵀa + Xᵀb = Xᵀ(a + b) (rule ``factor``);
- :func:`simplify_elementwise`: entry by entry, + and ⊙ are the algebra of numbers, so an
  elementwise expression is simplified as the scalar expression it is at each entry, then
  written back with ⊙ (rule ``elementwise_simplify``): y ⊙ (1 − s) − (1 − y) ⊙ s = y − s; a
  minus sign in front of a sum goes into it, −(y − s) = s − y.

>>> import sympy as sp
>>> y = sp.MatrixSymbol("y", 3, 1); s = sp.MatrixSymbol("s", 3, 1); one = sp.OneMatrix(3, 1)
>>> simplify_elementwise(sp.HadamardProduct(y, one - s) - sp.HadamardProduct(one - y, s))
-s + y
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ...core.matrices import is_matrix

__all__ = ["factor_common", "simplify_elementwise", "sums_to_one"]


def sums_to_one(g: sp.Basic, targets: set[sp.MatrixSymbol]) -> sp.Basic:
    """``g`` with each product 1ᵀy (or yᵀ1) of a target y replaced by 1."""
    def visit(e: sp.Basic) -> sp.Basic:
        if isinstance(e, sp.MatMul):
            args = list(e.args)
            for i in range(len(args) - 1):
                a, b = args[i], args[i + 1]
                if (isinstance(a, sp.OneMatrix) and a.shape[0] == 1 and b in targets) or (
                        isinstance(b, sp.OneMatrix) and b.shape[1] == 1 and isinstance(a, sp.Transpose)
                        and a.arg in targets):
                    rest = args[:i] + args[i + 2:]
                    return visit(sp.MatMul(*rest).doit(deep=False) if len(rest) > 1 else rest[0])
        if not e.args or not is_matrix(e):
            return e
        return e.func(*(visit(a) for a in e.args))
    return visit(g)


def factor_common(g: sp.Basic) -> sp.Basic:
    """A sum whose terms share their first (or last) matrix factor, with it taken out."""
    if not isinstance(g, sp.MatAdd):
        return g
    parts = [_coeff_matrices(t) for t in g.args]
    if any(len(ms) < 2 for _, ms in parts):
        return g
    firsts = {ms[0] for _, ms in parts}
    if len(firsts) == 1:
        inner = sp.MatAdd(*(_join(c, ms[1:]) for c, ms in parts)).doit(deep=False)
        return sp.MatMul(parts[0][1][0], inner)
    lasts = {ms[-1] for _, ms in parts}
    if len(lasts) == 1:
        inner = sp.MatAdd(*(_join(c, ms[:-1]) for c, ms in parts)).doit(deep=False)
        return sp.MatMul(inner, parts[0][1][-1])
    return g


def _coeff_matrices(term: sp.Basic) -> tuple[Any, list[sp.Basic]]:
    if isinstance(term, sp.MatMul):
        coeff, matrices = term.as_coeff_matrices()
        return coeff, list(matrices)
    return sp.S.One, [term]


def _join(coeff: Any, matrices: list[sp.Basic]) -> sp.Basic:
    body = matrices[0] if len(matrices) == 1 else sp.MatMul(*matrices)
    return body if coeff == 1 else sp.MatMul(coeff, body)


def _elementwise_node(e: sp.Basic) -> bool:
    if isinstance(e, (sp.MatAdd, sp.HadamardProduct)):
        return True
    if isinstance(e, sp.MatMul):
        matrices = [a for a in e.args if is_matrix(a)]
        return len(matrices) == 1 and _elementwise_node(matrices[0])
    return False


def simplify_elementwise(g: sp.Basic) -> sp.Basic:
    """``g`` with each elementwise part simplified entry by entry (see the module docstring)."""
    if _elementwise_node(g):
        atoms: dict[sp.Basic, sp.Symbol] = {}
        scalar = _to_scalar(g, atoms)
        tidy = sp.factor_terms(sp.expand(scalar))
        coeff, rest = tidy.as_coeff_Mul()
        if coeff.is_negative and isinstance(rest, sp.Add):
            tidy = sp.Mul(-coeff, sp.expand(-rest), evaluate=False)
        back = _from_scalar(tidy, {v: k for k, v in atoms.items()}, g.shape)
        return back if back is not None else g
    if not g.args or not is_matrix(g):
        return g
    args = [simplify_elementwise(a) for a in g.args]
    if args == list(g.args):
        return g
    rebuilt = g.func(*args)
    return rebuilt.doit(deep=False) if isinstance(rebuilt, sp.MatMul) else rebuilt


def _to_scalar(e: sp.Basic, atoms: dict[sp.Basic, sp.Symbol]) -> sp.Expr:
    if not is_matrix(e):
        return e  # type: ignore[no-any-return]
    if isinstance(e, sp.MatAdd):
        return sp.Add(*(_to_scalar(a, atoms) for a in e.args))
    if isinstance(e, sp.HadamardProduct):
        return sp.Mul(*(_to_scalar(a, atoms) for a in e.args))
    if isinstance(e, sp.MatMul) and sum(is_matrix(a) for a in e.args) == 1:
        return sp.Mul(*(_to_scalar(a, atoms) for a in e.args))
    if isinstance(e, sp.OneMatrix) or (isinstance(e, sp.Identity) and e.shape == (1, 1)):
        return sp.S.One  # SymPy writes a 1×1 matrix of ones as I
    if isinstance(e, sp.ZeroMatrix):
        return sp.S.Zero
    if isinstance(e, ElementwiseApplyFunction):
        function = e.function
        inner = _to_scalar(e.expr, atoms)
        return function(inner) if not isinstance(function, sp.Lambda) else function.expr.xreplace(
            {function.variables[0]: inner})
    if e not in atoms:
        atoms[e] = sp.Dummy(f"a{len(atoms)}")
    return atoms[e]


def _from_scalar(s: sp.Expr, atoms: dict[sp.Symbol, sp.Basic], shape: tuple[Any, Any]) -> sp.Basic | None:
    if s in atoms:
        return atoms[s]
    if s.is_Number:
        return sp.OneMatrix(*shape) if s == 1 else (None if s == 0 else sp.MatMul(s, sp.OneMatrix(*shape)))
    if isinstance(s, sp.Add):
        terms = [_from_scalar(t, atoms, shape) for t in s.args]
        return None if any(t is None for t in terms) else sp.MatAdd(*terms)
    if isinstance(s, sp.Mul):
        scalars = [f for f in s.args if not any(f.has(a) for a in atoms)]
        if scalars:
            inner = _from_scalar(sp.Mul(*(f for f in s.args if f not in scalars)), atoms, shape)
            return None if inner is None else sp.MatMul(sp.Mul(*scalars), inner)
        factors = [_from_scalar(f, atoms, shape) for f in s.args]
        if any(f is None for f in factors):
            return None
        return sp.HadamardProduct(*factors)
    holding = [a for a in atoms if s.has(a)]
    if len(holding) != 1:
        return None
    atom = holding[0]
    u = sp.Dummy("d")
    if isinstance(s, sp.Function) and s.args == (atom,):
        return atoms[atom].applyfunc(type(s))
    return ElementwiseApplyFunction(sp.Lambda(u, s.xreplace({atom: u})), atoms[atom])
