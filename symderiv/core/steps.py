"""Steps and derivations: plain data that the engine writes and everything else reads.

A :class:`Derivation` is one chain of equalities. ``steps[0].before`` is the unevaluated
``Derivative(expr, wrt)``; each step's ``after`` is the next step's ``before``; the last ``after``
is the result. A step names the rule it applied by a stable id (see :mod:`symderiv.core.rule_ids`),
the part of the expression it rewrote (``focus``), and the substitutions in scope (``where``).

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> step = Step("power", sp.Derivative(x**2, x), 2*x)
>>> d = Derivation(expr=x**2, wrt=x, steps=(step,))
>>> d.result
2*x
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Iterable, Mapping

import sympy as sp

from .rule_ids import rule_info

if TYPE_CHECKING:
    from ..proof.check import CheckReport

__all__ = ["Step", "Derivation", "resolve_where", "names_in_use", "where_in_scope", "symbols_of"]


@dataclass(frozen=True, eq=True)
class Step:
    """One equality ``before = after`` made by one rule applied to one subexpression.

    - ``rule``: a stable rule id from :data:`symderiv.core.rule_ids.RULES`.
    - ``before``, ``after``: the whole expression on each side of the equality.
    - ``where``: the substitutions in scope, ``{u: 1 + exp(-x)}``; symbols in ``before`` or
      ``after`` that are keys of ``where`` stand for their values (substitute repeatedly).
    - ``focus``: ``(part, replacement)``: the subexpression of ``before`` the rule rewrote and
      what it became in ``after``; None when the step rewrote the whole expression.
    - ``detail``: facts the explanation needs, keyed by name: ``constants`` (symbols held
      constant in a partial derivative), ``introduces`` (the substitutions this step made), ...
    """

    rule: str
    before: sp.Expr
    after: sp.Expr
    where: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    focus: tuple[sp.Expr, sp.Expr] | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        rule_info(self.rule)  # an unknown id is a bug: fail where it is made

    @property
    def local(self) -> tuple[sp.Expr, sp.Expr]:
        """The two sides that the rule itself claims equal: ``focus`` or the whole step."""
        return self.focus if self.focus is not None else (self.before, self.after)


@dataclass(frozen=True, eq=True)
class Derivation:
    """A proven chain of equalities from ``Derivative(expr, wrt)`` to the derivative.

    ``notes`` says what was left undone and why (a target form given up under a time budget).
    Build one with :func:`symderiv.derive`; render it with ``to_latex()``, ``to_mathml()``,
    ``to_html()``, ``to_markdown()``, ``to_json()`` or ``to_text()``.
    """

    expr: sp.Expr
    wrt: sp.Symbol
    steps: tuple[Step, ...]
    strategy: str = "textbook"
    report: "CheckReport | None" = field(default=None, compare=False)
    notes: tuple[str, ...] = field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not self.steps:
            raise ValueError("a derivation has at least one step")
        for previous, following in zip(self.steps, self.steps[1:]):
            if previous.after != following.before:
                raise ValueError(
                    f"steps do not chain: {previous.rule!r} ends in {previous.after} "
                    f"but {following.rule!r} starts from {following.before}"
                )

    @property
    def result(self) -> sp.Expr:
        """The derivative, in its target form: the ``after`` of the last step."""
        return self.steps[-1].after

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule id of each step, in order."""
        return tuple(step.rule for step in self.steps)

    @property
    def fallback_count(self) -> int:
        """How many steps no named rule covered and SymPy took instead (rule id ``sympy``)."""
        return sum(step.rule == "sympy" for step in self.steps)

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
        from ..proof.check import check_derivation

        return check_derivation(self, points=points, digits=digits, seed=seed)

    def with_report(self, report: "CheckReport") -> "Derivation":
        return replace(self, report=report)

    # Renderers live in symderiv.render; these methods only dispatch to them.
    def to_latex(self, **options: Any) -> str:
        """The steps as LaTeX: an ``align*`` block, or a whole document with ``standalone=True``."""
        from ..render import latex

        return latex.render(self, **options)

    def to_mathml(self, **options: Any) -> str:
        """The steps as Presentation MathML."""
        from ..render import mathml

        return mathml.render(self, **options)

    def to_html(self, **options: Any) -> str:
        """The steps as one self-contained HTML page (MathML, no script)."""
        from ..render import html

        return html.render(self, **options)

    def to_markdown(self, **options: Any) -> str:
        """The steps as Markdown with ``$$`` math blocks."""
        from ..render import markdown

        return markdown.render(self, **options)

    def to_json(self, **options: Any) -> str:
        """The steps as JSON (expression trees, never ``srepr``); read back with ``from_json``."""
        from ..render import json_format

        return json_format.render(self, **options)

    @classmethod
    def from_json(cls, text: str, *, limits: Any = None) -> "Derivation":
        """Read a derivation written by ``to_json``, without evaluating any text.

        ``limits`` (:class:`symderiv.render.json_format.JsonLimits`) bounds what is read;
        past one, :class:`symderiv.LimitError`; a malformed document, :class:`symderiv.ParseError`.
        """
        from ..render import json_format

        return json_format.load(text, limits=limits or json_format.DEFAULT_JSON_LIMITS)

    def to_notebook(self, **options: Any) -> str:
        """The steps as a Jupyter notebook (nbformat 4) that rebuilds and checks the derivation."""
        from ..render import notebook

        return notebook.render(self, **options)

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        """How Jupyter shows a derivation: LaTeX, Markdown and plain text."""
        from ..render import latex, markdown, text

        return {
            "text/plain": text.render(self),
            "text/latex": "$$\\begin{aligned}\n"
            + " \\\\\n".join(latex.rows(self))
            + "\n\\end{aligned}$$",
            "text/markdown": markdown.render(self),
        }

    def to_text(self, **options: Any) -> str:
        """The steps as Unicode text for a terminal."""
        from ..render import text

        return text.render(self, **options)

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

    def __str__(self) -> str:
        from ..render import text

        return text.render(self)


def names_in_use(where: Mapping[sp.Symbol, sp.Expr], *exprs: sp.Basic) -> set[sp.Symbol]:
    """The substitution names that ``exprs`` use, directly or through other names.

    >>> import sympy as sp
    >>> x, u, v, w = sp.symbols("x u v w")
    >>> sorted(names_in_use({u: 1 + sp.exp(v), v: -x, w: x**2}, 1/u), key=str)
    [u, v]
    """
    found: set[sp.Symbol] = set()
    pending = [s for s in symbols_of(exprs) if s in where]
    while pending:
        name = pending.pop()
        if name not in found:
            found.add(name)
            pending.extend(s for s in symbols_of([where[name]]) if s in where and s not in found)
    return found


def symbols_of(exprs: Iterable[sp.Basic]) -> set[sp.Symbol]:
    """The symbols in ``exprs``, each shared subexpression visited once.

    Unlike ``free_symbols`` this walks a tree that repeats a subexpression (a network's cost)
    in time linear in its distinct nodes; it counts bound variables too, which only makes a
    scope larger, never wrong.
    """
    found: set[sp.Symbol] = set()
    seen: set[int] = set()  # ids are stable: every node stays reachable from ``exprs``
    pending = list(exprs)
    while pending:
        node = pending.pop()
        if isinstance(node, sp.Symbol):
            found.add(node)
            continue
        if not node.args or id(node) in seen:
            continue
        seen.add(id(node))
        pending.extend(node.args)
    return found


def where_in_scope(where: Mapping[sp.Symbol, sp.Expr], *exprs: sp.Basic) -> dict[sp.Symbol, sp.Expr]:
    """The part of ``where`` that ``exprs`` need, in the order the names were made."""
    used = names_in_use(where, *exprs)
    return {name: value for name, value in where.items() if name in used}


def resolve_where(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> sp.Expr:
    """Substitute ``where`` into ``expr`` repeatedly, until none of its symbols is left.

    >>> import sympy as sp
    >>> x, u, v = sp.symbols("x u v")
    >>> resolve_where(1/u, {u: 1 + sp.exp(v), v: -x})
    1/(1 + exp(-x))
    """
    names = set(where)
    for _ in range(len(where) + 1):
        if not (expr.free_symbols & names):
            return expr
        expr = expr.xreplace(dict(where))
    raise ValueError(f"substitutions refer to each other in a cycle: {dict(where)}")
