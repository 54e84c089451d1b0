"""Gradients, Jacobians and Hessians: matrices of derivatives, each entry a proven derivation.

- ``gradient(f, [x, y])``: the column (∂f/∂x, ∂f/∂y);
- ``jacobian([f, g], [x, y])``: entry (i, j) is ∂fᵢ/∂xⱼ, as SymPy's ``Matrix.jacobian``;
- ``hessian(f, [x, y])``: entry (i, j) is ∂²f/∂xⱼ∂xᵢ, ``Derivative(f, xᵢ, xⱼ)``, as
  ``sympy.hessian``: row i differentiates ∂f/∂xᵢ once more.

Each returns a :class:`DerivativeMatrix`: the matrix of results (``.matrix``, a SymPy Matrix)
and the derivation of every entry (``m[i, j]``), each proven like one of :func:`symderiv.derive`.
All entries share one derivation tree's names and budget (:class:`~.higher.Differentiator`):
a derivative that comes up in several entries is derived once and proven once, as ∂f/∂xᵢ is
the first sub-derivation of every entry in row i of a Hessian. Nothing is assumed that is not
proven: a Hessian's entries (i, j) and (j, i) are two derivations, ∂/∂xⱼ (∂f/∂xᵢ) and
∂/∂xᵢ (∂f/∂xⱼ), that happen to agree.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> h = hessian(x**2 * y**3, [x, y])
>>> h.matrix
Matrix([
[  2*y**3, 6*x*y**2],
[6*x*y**2, 6*x**2*y]])
>>> h[0, 1].steps[0].substeps[0] is h[0, 0].steps[0].substeps[0]  # ∂f/∂x, derived once
True
>>> h.matrix == sp.hessian(x**2 * y**3, [x, y])
True
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sympy as sp

from ..core.derivation import Derivation
from ..core.strategies import strategy_named
from ..limits import DEFAULT_WORK_LIMITS, WorkLimits
from ..process_budget import run_within
from . import rules
from .engine import as_expression, as_variable, check_options, check_size
from .higher import Differentiator, proven
from .textbook import Plan
from .walk import MAX_STEPS

__all__ = ["DerivativeMatrix", "gradient", "hessian", "jacobian"]

Kind = Literal["gradient", "jacobian", "hessian"]


@dataclass(frozen=True)
class DerivativeMatrix:
    """A gradient, Jacobian or Hessian: the derivation of each entry, and the matrix of results.

    ``kind`` says which; ``functions`` are what is differentiated (one for a gradient or a
    Hessian), ``variables`` by what. ``derivations`` holds one
    :class:`~symderiv.Derivation` per entry, row by row; ``m[i, j]`` is entry (i, j)'s, and
    ``m.matrix`` the SymPy Matrix of their results. A gradient is a column: ``m[i, 0]``.
    """

    kind: Kind
    functions: tuple[sp.Expr, ...]
    variables: tuple[sp.Symbol, ...]
    derivations: tuple[tuple[Derivation, ...], ...]

    @property
    def matrix(self) -> sp.Matrix:
        """The results, as a SymPy Matrix of the shape of :attr:`derivations`."""
        return sp.Matrix([[entry.result for entry in row] for row in self.derivations])

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns)."""
        return len(self.derivations), len(self.derivations[0])

    @property
    def proven(self) -> bool:
        """Whether every entry's derivation carries its proof."""
        return all(entry.report is not None for _, entry in self.entries())

    def __getitem__(self, index: tuple[int, int]) -> Derivation:
        row, column = index
        return self.derivations[row][column]

    def entries(self) -> Iterator[tuple[tuple[int, int], Derivation]]:
        """Each entry's (row, column) and derivation, row by row."""
        for i, row in enumerate(self.derivations):
            for j, entry in enumerate(row):
                yield (i, j), entry

    def check(self, **options: Any) -> None:
        """Prove every entry again (:meth:`symderiv.Derivation.check`, ``options`` as there);
        raises :class:`~symderiv.StepCheckError` at the first step that does not hold."""
        for _, entry in self.entries():
            entry.check(**options)

    def to_latex(self, lang: str = "en") -> str:
        r"""The matrix of results as TeX math, printed as every derivation's formulas are.

        >>> x, y = sp.symbols("x y")
        >>> gradient(x * y, [x, y]).to_latex()
        '\\left[\\begin{matrix}y\\\\x\\end{matrix}\\right]'
        """
        from ..render.tex import to_tex

        return to_tex(self.matrix, lang)

    def _repr_latex_(self) -> str:
        """Jupyter shows the matrix of results; each entry's derivation is ``m[i, j]``."""
        return f"${self.to_latex()}$"

    def __repr__(self) -> str:
        rows, columns = self.shape
        proven = "proven" if self.proven else "not proven"
        return f"<DerivativeMatrix {self.kind} {rows}×{columns}, {proven}: {self.matrix.tolist()}>"


def gradient(f: sp.Expr | str, variables: Sequence[sp.Symbol | str], **options: Any) -> DerivativeMatrix:
    """∇f: the column of ∂f/∂xᵢ for each of ``variables``, each entry a proven derivation.

    ``options`` are those of :func:`symderiv.derive`: ``strategy``, ``detail``,
    ``target_form``, ``check``, ``timeout`` (for the whole matrix), ``memory_mb``, ``limits``
    (at most ``limits.max_matrix_entries`` entries).

    >>> x, y = sp.symbols("x y")
    >>> gradient(x**2 * y, [x, y]).matrix.T
    Matrix([[2*x*y, x**2]])
    """
    return _matrix("gradient", [f], variables, **options)


def jacobian(functions: Sequence[sp.Expr | str], variables: Sequence[sp.Symbol | str],
             **options: Any) -> DerivativeMatrix:
    """The Jacobian: entry (i, j) is ∂fᵢ/∂xⱼ, each a proven derivation; options as :func:`gradient`.

    >>> x, y = sp.symbols("x y")
    >>> jacobian([x * y, x + y], [x, y]).matrix
    Matrix([
    [y, x],
    [1, 1]])
    """
    return _matrix("jacobian", functions, variables, **options)


def hessian(f: sp.Expr | str, variables: Sequence[sp.Symbol | str], **options: Any) -> DerivativeMatrix:
    """The Hessian: entry (i, j) is ∂²f/∂xⱼ∂xᵢ (``Derivative(f, xᵢ, xⱼ)``, as ``sympy.hessian``),
    each a proven derivation of higher order whose first sub-derivation, ∂f/∂xᵢ, row i shares;
    options as :func:`gradient`.

    >>> x, y = sp.symbols("x y")
    >>> hessian(x * y, [x, y])[1, 0].start
    Derivative(x*y, y, x)
    """
    return _matrix("hessian", [f], variables, **options)


def _matrix(
    kind: Kind,
    functions: Sequence[sp.Expr | str],
    variables: Sequence[sp.Symbol | str],
    *,
    strategy: str = "textbook",
    detail: str = "textbook",
    target_form: bool = True,
    check: bool = True,
    timeout: float | None = None,
    memory_mb: int | None = 1024,
    limits: WorkLimits | None = None,
) -> DerivativeMatrix:
    limits = limits or DEFAULT_WORK_LIMITS
    if isinstance(functions, (str, sp.Basic)) or not functions:
        raise ValueError(f"{kind}() takes a list of functions, not {type(functions).__name__}")
    if isinstance(variables, (str, sp.Basic)) or not variables:
        raise ValueError(f"{kind}() takes a list of variables, e.g. [x, y], not {type(variables).__name__}")
    exprs = tuple(as_expression(f) for f in functions)
    common = sp.Add(*exprs)  # a name stands for the same symbol in every function
    symbols = tuple(as_variable(common, v) for v in variables)
    if len(set(symbols)) != len(symbols):
        raise ValueError(f"the variables of a {kind} are distinct; got {', '.join(map(str, symbols))}")
    entries = len(exprs) * len(symbols) * (len(symbols) if kind == "hessian" else 1)
    limits.check("max_matrix_entries", entries, f"the {kind} has {entries} entries")
    for expression in exprs:
        for symbol in symbols:
            check_size(expression, symbol, limits)
    check_options(strategy, detail, timeout)
    options: dict[str, Any] = {"strategy": strategy, "detail": detail, "target_form": target_form,
                               "check": check, "form_memory_mb": memory_mb}
    if timeout is None:
        return _build(kind, exprs, symbols, form_timeout=None, **options)
    return run_within(_build, kind, exprs, symbols, form_timeout=timeout / 2, **options,
                      timeout=timeout, memory_mb=memory_mb)


def _build(kind: Kind, exprs: tuple[sp.Expr, ...], symbols: tuple[sp.Symbol, ...], *, strategy: str,
           detail: str, target_form: bool, check: bool, form_timeout: float | None,
           form_memory_mb: int | None) -> DerivativeMatrix:
    """Every entry derived by one :class:`Differentiator`, then proven with one memo."""
    names = {s.name for e in exprs for s in e.free_symbols}
    plan = Plan(strategy_named(strategy), rules.NamePool(names), target_form=target_form,
                form_timeout=form_timeout, memory_mb=form_memory_mb, max_steps=MAX_STEPS)
    differentiator = Differentiator(plan, detail)
    if kind == "gradient":
        rows = [[differentiator.derive(exprs[0], (v,))] for v in symbols]
    elif kind == "jacobian":
        rows = [[differentiator.derive(f, (v,)) for v in symbols] for f in exprs]
    else:
        rows = [[differentiator.derive(exprs[0], (first, second)) for second in symbols] for first in symbols]
    if check:
        memo: dict[int, Derivation] = {}
        rows = [[proven(entry, memo) for entry in row] for row in rows]
    return DerivativeMatrix(kind, exprs, symbols, tuple(tuple(row) for row in rows))
