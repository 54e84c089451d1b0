"""Steps: plain data that the engine writes and everything else reads, and the scope of names.

A step is one equality ``before = after``. It names the rule it applied by a stable id (see
:mod:`symderiv.core.rule_ids`), the part of the expression it rewrote (``focus``), and the
substitutions in scope (``where``). Steps chain into a :class:`~symderiv.core.derivation.Derivation`.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> step = Step("power", sp.Derivative(x**2, x), 2*x)
>>> step.local
(Derivative(x**2, x), 2*x)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Protocol

import sympy as sp

from .rule_ids import rule_info

__all__ = ["Chain", "Step", "resolve_where", "replace_unevaluated", "rebuilt", "names_in_use", "where_in_scope", "symbols_of"]


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
    - ``parts``: ``((part, replacement), ...)`` when the step rewrote several subexpressions at
      once (each derivative of a line replaced by its value): ``after`` is ``before`` with each
      part replaced, and each pair is a claim of its own, proven on its own; empty otherwise.
    - ``substeps``: the sub-derivations that justify this line (:class:`Chain`, in practice
      :class:`~symderiv.core.derivation.Derivation`): the factors it uses, each derived once, or
      the run of finer steps it groups. Each is a chain of its own, from ``Derivative(g, v)``
      to its result, every step proven; empty for a step that is one rule's application.
    """

    rule: str
    before: sp.Expr
    after: sp.Expr
    where: Mapping[sp.Symbol, sp.Expr] = field(default_factory=dict)
    focus: tuple[sp.Expr, sp.Expr] | None = None
    detail: Mapping[str, Any] = field(default_factory=dict)
    substeps: tuple["Chain", ...] = ()
    parts: tuple[tuple[sp.Expr, sp.Expr], ...] = ()

    def __post_init__(self) -> None:
        rule_info(self.rule)  # an unknown id is a bug: fail where it is made

    @property
    def local(self) -> tuple[sp.Expr, sp.Expr]:
        """The two sides that the rule itself claims equal: ``focus`` or the whole step."""
        return self.focus if self.focus is not None else (self.before, self.after)

    @property
    def claims(self) -> tuple[tuple[sp.Expr, sp.Expr], ...]:
        """Every equality the rule itself claims: the ``focus``, else the ``parts``, else the
        whole step.

        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> d1, d2 = sp.Derivative(x**2, x), sp.Derivative(sp.sin(x), x)
        >>> Step("derivatives", d1 + d2, 2*x + sp.cos(x), parts=((d1, 2*x), (d2, sp.cos(x)))).claims
        ((Derivative(x**2, x), 2*x), (Derivative(sin(x), x), cos(x)))
        """
        if self.focus is not None:
            return (self.focus,)
        return self.parts or ((self.before, self.after),)


class Chain(Protocol):
    """What a step's sub-derivation is: a chain of steps from ``Derivative(expr, wrt)`` to
    ``result``. :class:`~symderiv.core.derivation.Derivation` is one; it is named by its shape
    here so that the steps, which derivations are made of, import nothing above them."""

    @property
    def expr(self) -> sp.Expr: ...

    @property
    def wrt(self) -> sp.Symbol: ...

    @property
    def steps(self) -> tuple[Step, ...]: ...

    @property
    def result(self) -> sp.Expr: ...


def names_in_use(where: Mapping[sp.Symbol, sp.Expr], *exprs: sp.Basic) -> set[sp.Symbol]:
    """The substitution names that ``exprs`` use, directly or through other names.

    >>> import sympy as sp
    >>> x, u, v, w = sp.symbols("x u v w")
    >>> sorted(names_in_use({u: 1 + sp.exp(v), v: -x, w: x**2}, 1/u), key=str)
    [u, v]
    """
    found: set[sp.Symbol] = set()
    if not where:
        return found  # most lines name nothing: no walk
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


def resolve_where(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr], *, evaluate: bool = True) -> sp.Expr:
    """Substitute ``where`` into ``expr`` repeatedly, until none of its symbols is left.

    With ``evaluate=False`` the nodes around a substitution are rebuilt as they stand, without
    SymPy's evaluation (``u/x`` with ``u = x²`` stays ``x²/x``). That is done node by node with
    ``evaluate=False``, never with ``sympy.evaluate(False)``: that switch is per thread, but
    SymPy's cache is shared, so it would leak unevaluated trees into other threads' work.

    >>> import sympy as sp
    >>> x, u, v = sp.symbols("x u v")
    >>> resolve_where(1/u, {u: 1 + sp.exp(v), v: -x})
    1/(1 + exp(-x))
    >>> resolve_where(u/x, {u: x**2}, evaluate=False)
    x**2/x
    """
    names = set(where)
    for _ in range(len(where) + 1):
        if not (expr.free_symbols & names):
            return expr
        expr = expr.xreplace(dict(where)) if evaluate else replace_unevaluated(expr, where)
    raise ValueError(f"substitutions refer to each other in a cycle: {dict(where)}")


def replace_unevaluated(expr: sp.Basic, mapping: Mapping[sp.Basic, sp.Basic]) -> sp.Basic:
    """``expr.xreplace(mapping)`` with every rebuilt node made with ``evaluate=False``.

    >>> import sympy as sp
    >>> x, u = sp.symbols("x u")
    >>> replace_unevaluated(u + x, {u: x})
    x + x
    """
    if expr in mapping:
        return mapping[expr]
    if not expr.args:
        return expr
    args = tuple(replace_unevaluated(arg, mapping) for arg in expr.args)
    if args == expr.args:
        return expr
    return rebuilt(type(expr), args)


def rebuilt(cls: type, args: tuple[Any, ...]) -> sp.Basic:
    """``cls(*args)`` without SymPy's evaluation where the class takes ``evaluate=False``."""
    try:
        return cls(*args, evaluate=False)  # type: ignore[no-any-return]
    except TypeError:  # a class without the option (Tuple, a relational's pieces) builds as it is
        return cls(*args)  # type: ignore[no-any-return]
