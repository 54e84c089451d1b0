"""Writing a derivation by hand, one rewrite at a time: the step builder the network uses.

The core engine (:mod:`symderiv.calculus.engine`) picks its own route; a network's gradient is
written the way seed 001 writes it, chain through aᵢ and zᵢ, δ for the layers above. A
:class:`StepBuilder` holds the current expression and records each rewrite as a
:class:`~symderiv.core.steps.Step` with the bindings it uses. Derivatives of single functions
(σ', the loss in a) are taken by the engine and replayed here (:meth:`StepBuilder.embed`); the
finished chain goes through the same pipeline as every derivation
(:func:`symderiv.calculus.finish.finish`).

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> builder = StepBuilder(y * sp.sin(x), x, {}, ["x", "y"])
>>> builder.replace("constant_multiple", {builder.current: y * sp.Derivative(sp.sin(x), x)})
>>> builder.embed(sp.Derivative(sp.sin(x), x))
cos(x)
>>> builder.derivation(check=True).result
y*cos(x)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sympy as sp

from ...calculus.engine import derive
from ...calculus.finish import evaluated, finish, put_back
from ...calculus.rules import NamePool
from ...core.derivation import Derivation
from ...core.steps import Step, where_in_scope
from .measure import nodes

__all__ = ["Renaming", "StepBuilder", "contains", "focus_of"]

_AUTO = object()


class StepBuilder:
    """One derivation in the making: each step rewrites the current expression.

    ``where`` holds every binding that may appear; each step keeps the ones it uses. ``taken``
    lists the names in use, so that the names the engine introduces are fresh.
    """

    def __init__(
        self, expr: sp.Expr, wrt: sp.Symbol, where: Mapping[sp.Symbol, sp.Expr], taken: Iterable[str]
    ) -> None:
        self.expr = expr
        self.wrt = wrt
        self.current: sp.Expr = sp.Derivative(expr, wrt)
        self.where = dict(where)
        self.steps: list[Step] = []
        self.names = NamePool(taken)

    def step(self, rule: str, after: sp.Expr, *, focus: Any = _AUTO, detail: Mapping[str, Any] | None = None,
             substeps: tuple[Derivation, ...] = ()) -> None:
        """Rewrite the whole current expression to ``after`` (nothing when it is the same).

        ``substeps`` are the sub-derivations that justify the step (see :class:`Step`).
        """
        before = self.current
        if after == before:
            return
        if focus is _AUTO:
            focus = focus_of(before, after)
        used = where_in_scope(self.where, before, after)
        self.steps.append(Step(rule, before, after, where=used, focus=focus, detail=dict(detail or {}),
                               substeps=substeps))
        self.current = after

    def replace(self, rule: str, mapping: Mapping[sp.Expr, sp.Expr], *, detail: Mapping[str, Any] | None = None,
                substeps: tuple[Derivation, ...] = ()) -> None:
        """Rewrite parts of the current expression (each everywhere it stands)."""
        after = self.current.xreplace(dict(mapping))
        if after == self.current:
            raise AssertionError(f"{rule}: none of {list(mapping)} is in {self.current}")
        focus = next(iter(mapping.items())) if len(mapping) == 1 else _AUTO
        self.step(rule, after, focus=focus, detail=detail, substeps=substeps)

    def replace_factors(
        self, rule: str, factors: Sequence[sp.Expr], replacement: sp.Expr, *, detail: Mapping[str, Any] | None = None
    ) -> None:
        """Rewrite the product of ``factors``, found among the factors of one product."""
        node, rest = _find_product(self.current, factors)
        self.replace(rule, {node: sp.Mul(rest, replacement)}, detail=detail)

    def products(self, products: Sequence[tuple[Sequence[sp.Expr], sp.Expr]]) -> dict[sp.Expr, sp.Expr]:
        """Where each ``(factors, replacement)`` stands: the product that holds the factors, and
        that product with them replaced (a mapping for :meth:`replace`, or to apply later)."""
        mapping: dict[sp.Expr, sp.Expr] = {}
        for factors, replacement in products:
            node, rest = _find_product(self.current, factors)
            mapping[node] = sp.Mul(rest, replacement)
        return mapping

    def replace_terms(
        self, rule: str, terms: Sequence[sp.Expr], replacement: sp.Expr, *, detail: Mapping[str, Any] | None = None
    ) -> None:
        """Rewrite the sum of ``terms``, found among the terms of one sum."""
        wanted = list(terms)
        for node in sp.preorder_traversal(self.current):
            if node.is_Add and all(t in node.args for t in wanted):
                rest = [t for t in node.args if t not in wanted]
                self.replace(rule, {node: sp.Add(*rest, replacement)}, detail=detail)
                return
        raise AssertionError(f"{rule}: no sum of {wanted} in {self.current}")

    def embed(self, node: sp.Derivative) -> sp.Expr:
        """Differentiate ``node`` with the core engine, replaying its steps here.

        The engine's names (u, v, ...) are renamed to names fresh in this derivation, and put
        back as the finishing pipeline puts names back (:func:`~symderiv.calculus.finish.put_back`).
        Returns what ``node`` became.
        """
        local = derive(node.expr, node.variables[0], detail="full", target_form=False, check=False)
        introduced: dict[sp.Symbol, sp.Expr] = {}
        for step in local.steps:
            introduced.update(step.where)
        rename = Renaming({name: self.names.fresh() for name in introduced})
        for name, value in introduced.items():
            self.where[rename.names[name]] = rename(value)
        for step in local.steps:
            self._replay(step, rename)
        return evaluated(rename(local.result))

    def _replay(self, step: Step, rename: Renaming) -> None:
        """One of the engine's steps, with its names renamed, rewriting the current expression."""
        detail = rename(dict(step.detail))
        if step.focus is not None and isinstance(step.focus[0], sp.Derivative):
            part, replacement = rename(step.focus)
            if self.current.xreplace({part: replacement}) != self.current:
                self.replace(step.rule, {part: replacement}, detail=detail)
                return
        if step.rule == "substitute":
            names = {rename.names[n]: self.where[rename.names[n]] for n in step.where}
            for finished in put_back(self.current, names, cancel=False):
                self.step(finished.rule, finished.after, detail=finished.detail)
            return
        before, after = rename(step.before), rename(step.after)
        moved = self.current.xreplace({before: after})
        if moved != self.current:
            self.step(step.rule, moved, focus=(before, after), detail=detail)
        elif evaluated(before) != evaluated(after):
            raise AssertionError(f"cannot replay the step {step.rule}: {before} = {after}")

    def derivation(self, *, check: bool, digits: int = 30) -> Derivation:
        """The steps so far as a derivation (strategy ``network``), proven when ``check``.

        The names stay: the chain ends in a, z and δ, as the seed writes the gradient.
        """
        return finish(self.steps, self.expr, self.wrt, strategy="network", target_form=False,
                      check=check, digits=digits)


class Renaming:
    """Names replaced by others, in expressions, mappings and tuples alike (anything else as it is).

    >>> import sympy as sp
    >>> u, v, x = sp.symbols("u v x")
    >>> Renaming({u: v})({u: x + u})
    {v: v + x}
    """

    def __init__(self, names: dict[sp.Symbol, sp.Symbol]) -> None:
        self.names = names

    def __call__(self, value: Any) -> Any:
        if isinstance(value, sp.Basic):
            return value.xreplace(self.names)
        if isinstance(value, Mapping):
            return {self(k): self(v) for k, v in value.items()}
        if isinstance(value, tuple):
            return tuple(self(item) for item in value)
        return value


def focus_of(before: sp.Expr, after: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """The smallest part of ``before`` that the step rewrote, with what it became.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> focus_of(sp.sin(x) + sp.Derivative(x**2, x), sp.sin(x) + 2*x)
    (Derivative(x**2, x), 2*x)
    """
    path: list[tuple[sp.Basic, sp.Basic]] = []
    b, a = before, after
    while type(b) is type(a) and b.args and len(b.args) == len(a.args):
        changed = [(x, y) for x, y in zip(b.args, a.args) if x != y]
        if len(changed) != 1:
            break
        b, a = changed[0]
        path.append((b, a))
    for part, replacement in reversed(path):
        if isinstance(part, sp.Expr) and before.xreplace({part: replacement}) == after:
            return part, replacement
    return None


def contains(expr: sp.Basic, part: sp.Basic) -> bool:
    """Whether ``part`` stands somewhere in ``expr`` as a whole subexpression.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> contains(sp.sin(x + 1), x + 1), contains(sp.sin(x + 1), sp.sin(x))
    (True, False)
    """
    return part in nodes([expr])


def _factor_counts(node: sp.Expr) -> dict[sp.Expr, int]:
    """A product's factors with their multiplicities (x³ counts x three times)."""
    counts: dict[sp.Expr, int] = {}
    for factor in sp.Mul.make_args(node):
        base, exponent = factor, 1
        if factor.is_Pow and factor.exp.is_Integer and factor.exp > 0:
            base, exponent = factor.base, int(factor.exp)
        counts[base] = counts.get(base, 0) + exponent
    return counts


def _find_product(expr: sp.Expr, factors: Sequence[sp.Expr]) -> tuple[sp.Expr, sp.Expr]:
    """The first product in ``expr`` that holds every one of ``factors``, and the rest of it."""
    wanted = _factor_counts(sp.Mul(*factors, evaluate=False)) if len(factors) > 1 else _factor_counts(factors[0])
    for node in sp.preorder_traversal(expr):
        if not node.is_Mul:
            continue
        counts = _factor_counts(node)
        if all(counts.get(f, 0) >= n for f, n in wanted.items()):
            rest = [f**(counts[f] - wanted.get(f, 0)) for f in counts]
            return node, sp.Mul(*rest)
    raise AssertionError(f"no product of {factors} in {expr}")
