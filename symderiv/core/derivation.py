"""A derivation: one chain of equalities from ``Derivative(expr, wrt)`` to the derivative.

``steps[0].before`` is the unevaluated ``Derivative(expr, wrt)`` (``Derivative(expr, x, y)``
for a derivative of higher order: :attr:`Derivation.variables`, :attr:`Derivation.start`);
each step's ``after`` is the next step's ``before``; the last ``after`` is the result. A
derivation is data: the engine (:mod:`symderiv.calculus.engine`) builds it, the proof layer proves it, renderers print it.
``to_latex()`` and the other ``to_*`` methods are conveniences inherited from
:class:`symderiv.render.conveniences.DocumentMethods`, which calls the renderers; no renderer
is imported here (docs/ARCHITECTURE.md).

>>> import sympy as sp
>>> from symderiv.core.steps import Step
>>> x = sp.Symbol("x")
>>> d = Derivation(expr=x**2, wrt=x, steps=(Step("power", sp.Derivative(x**2, x), 2*x),))
>>> d.result
2*x
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import groupby
from typing import Any

import sympy as sp

from ..render.conveniences import DocumentMethods
from .report import CheckReport
from .steps import Step

__all__ = ["Derivation"]


@dataclass(frozen=True, eq=True, repr=False)
class Derivation(DocumentMethods):
    """A proven chain of equalities from ``Derivative(expr, wrt)`` to the derivative.

    ``notes`` says what was left undone and why (a target form given up under a time budget).
    ``variables`` are the variables of a derivative of higher order, one per differentiation in
    the order they are taken, ``(x, x)`` for d²f/dx², ``(x, y)`` for ∂²f/∂y∂x (SymPy's
    ``Derivative(f, x, y)``: first by x, then by y); empty or ``(wrt,)`` for a first derivative,
    and ``wrt`` is always the first of them. Build one with :func:`symderiv.derive`; render it with ``to_latex()``, ``to_mathml()``,
    ``to_html()``, ``to_markdown()``, ``to_json()`` or ``to_text()``.
    """

    expr: sp.Expr
    wrt: sp.Symbol
    steps: tuple[Step, ...]
    strategy: str = "textbook"
    report: CheckReport | None = field(default=None, compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)
    variables: tuple[sp.Symbol, ...] = ()

    def __post_init__(self) -> None:
        if not self.variables:
            object.__setattr__(self, "variables", (self.wrt,))
        elif self.variables[0] != self.wrt:
            raise ValueError(f"wrt is the first of the variables {self.variables}, not {self.wrt}")
        if not self.steps:
            raise ValueError("a derivation has at least one step")
        for previous, following in zip(self.steps, self.steps[1:]):
            if previous.after != following.before:
                raise ValueError(
                    f"steps do not chain: {previous.rule!r} ends in {previous.after} "
                    f"but {following.rule!r} starts from {following.before}"
                )

    def __repr__(self) -> str:
        """One line: what is derived, the result, the number of steps and whether it is proven.

        >>> import sympy as sp
        >>> from symderiv.core.steps import Step
        >>> x = sp.Symbol("x")
        >>> Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x),))
        <Derivation d/dx x**2 = 2*x, 1 step, not proven>
        """
        count = len(self.steps)
        shown = f"{_operator(self.variables)} {_short(self.expr)} = {_short(self.result)}"
        proven = "proven" if self.report is not None else "not proven"
        return f"<Derivation {shown}, {count} step{'s' if count != 1 else ''}, {proven}>"

    @property
    def start(self) -> sp.Derivative:
        """The unevaluated derivative the chain starts from: ``Derivative(expr, *variables)``.

        >>> import sympy as sp
        >>> from symderiv.core.steps import Step
        >>> x, y = sp.symbols("x y")
        >>> Derivation(x*y, x, (Step("higher_order", sp.Derivative(x*y, x, y), 1),), variables=(x, y)).start
        Derivative(x*y, x, y)
        """
        return sp.Derivative(self.expr, *self.variables)

    @property
    def order(self) -> int:
        """How many times the expression is differentiated: 1 for a first derivative."""
        return len(self.variables)

    @property
    def result(self) -> sp.Expr:
        """The derivative, in its target form: the ``after`` of the last step."""
        return self.steps[-1].after

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule id of each step, in order."""
        return tuple(step.rule for step in self.steps)

    @property
    def all_rules(self) -> tuple[str, ...]:
        """The rule id of every step, sub-derivations included: each step's id, then the ids of
        its sub-derivations, depth first."""
        found: list[str] = []
        for step in self.steps:
            found.append(step.rule)
            for sub in step.substeps:
                found.extend(sub.all_rules if isinstance(sub, Derivation) else (s.rule for s in sub.steps))
        return tuple(found)

    @property
    def fallback_count(self) -> int:
        """How many steps, sub-derivations included, no named rule covered and SymPy took
        instead (rule id ``sympy``)."""
        return sum(rule == "sympy" for rule in self.all_rules)

    @property
    def where(self) -> dict[sp.Symbol, sp.Expr]:
        """Every substitution made anywhere in the derivation."""
        merged: dict[sp.Symbol, sp.Expr] = {}
        for step in self.steps:
            merged.update(step.where)
        return merged

    def check(self, *, points: int = 4, digits: int = 30, seed: int = 0) -> "CheckReport":
        """Prove every step again and return how each was proven.

        Raises :class:`symderiv.StepCheckError` if a step does not hold.
        """
        if isinstance(self.wrt, sp.MatrixSymbol):  # a matrix derivation is proven entry by entry
            from ..proof.matrix import check_matrix_derivation

            return check_matrix_derivation(self, points=points, digits=digits, seed=seed)
        from ..proof.check import check_derivation

        return check_derivation(self, points=points, digits=digits, seed=seed)

    def with_report(self, report: "CheckReport") -> "Derivation":
        return replace(self, report=report)

    def to_function(self, args: Any = None, backend: str = "numpy") -> Any:
        """The result as a function for NumPy, PyTorch or ``math``, in numerically stable forms.

        ``args`` are the symbols (or names) in the order the function takes them; by default
        the variable first, then the other symbols by name. See :func:`symderiv.codegen.lambdify`.
        """
        from ..codegen import lambdify

        if args is None:
            others = sorted((self.expr.free_symbols | self.result.free_symbols) - {self.wrt}, key=lambda s: s.name)
            args = [self.wrt, *others]
        return lambdify(args, self.result, backend=backend)


def _operator(variables: tuple[sp.Symbol, ...]) -> str:
    """d/dx, d^2/dx^2, d^2/dy dx: the derivative taken, in plain text (the last variable first,
    as in d/dy (d/dx f)).

    >>> x, y = sp.symbols("x y")
    >>> _operator((x,)), _operator((x, x)), _operator((x, y))
    ('d/dx', 'd^2/dx^2', 'd^2/dy dx')
    """
    counts = [(v, len(list(run))) for v, run in groupby(variables)]
    below = " ".join(f"d{v}" + (f"^{n}" if n != 1 else "") for v, n in reversed(counts))
    top = "d" if len(variables) == 1 else f"d^{len(variables)}"
    return f"{top}/{below}"


def _short(expr: sp.Basic, limit: int = 60) -> str:
    text = str(expr)
    return text if len(text) <= limit else text[: limit - 1] + "…"
