"""What every rule shares: the :class:`Rule` it is, the :class:`Context` it reads, the
:class:`Application` it gives, and the :class:`NamePool` its substitutions draw names from.

>>> pool = NamePool(["u"])
>>> pool.fresh(), pool.fresh("t"), pool.fresh("t")
(v, t, w)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ...core.rule_ids import RULES
from ...core.strategies import ROUTES, Strategy

__all__ = ["NAMES", "Application", "Context", "NamePool", "Rule"]

#: The letters a substitution may take, in the order they are handed out.
NAMES = ("u", "v", "w", "t", "p", "q", "r", "s", "g", "h")


class NamePool:
    """Names for substitutions: one name per subexpression, never a letter of the expression.

    ``name_for(g)`` gives ``g`` the name it already has, in this derivation or any of its
    sub-derivations (they share the pool), or a fresh one; ``known`` maps each named
    subexpression to its name. Names a user chose (``derive(..., names=...)``) are known from
    the start.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> pool = NamePool(["x"])
    >>> pool.name_for(1 + x), pool.name_for(sp.exp(x), "a"), pool.name_for(1 + x)
    (u, a, u)
    """

    def __init__(self, taken: Iterable[str] = (), known: Mapping[sp.Expr, sp.Symbol] | None = None):
        self.taken = set(taken)
        self.known: dict[sp.Expr, sp.Symbol] = dict(known or {})
        self.taken.update(name.name for name in self.known.values())

    def fresh(self, preferred: str | None = None) -> sp.Symbol:
        candidates = ([preferred] if preferred else []) + list(NAMES)
        for name in candidates:
            if name not in self.taken:
                self.taken.add(name)
                return sp.Symbol(name)
        index = 1
        while f"u_{index}" in self.taken:
            index += 1
        self.taken.add(f"u_{index}")
        return sp.Symbol(f"u_{index}")

    def name_for(self, expr: sp.Expr, preferred: str | None = None) -> sp.Symbol:
        """The name of ``expr``: the one it has, or a fresh one (``preferred`` if it is free)."""
        if expr in self.known:
            return self.known[expr]
        name = self.fresh(preferred)
        self.known[expr] = name
        return name


@dataclass
class Context:
    """What a rule may know besides its node: the variable, the strategy and the name pool."""

    wrt: sp.Symbol
    strategy: Strategy = ROUTES["textbook"]
    names: NamePool = field(default_factory=NamePool)


@dataclass(frozen=True)
class Application:
    """A rule applied to one node: ``Derivative(f, v) = result``, with the new substitutions."""

    rule: str
    result: sp.Expr
    introduces: dict[sp.Symbol, sp.Expr] = field(default_factory=dict)
    detail: dict[str, Any] = field(default_factory=dict)


class Rule(ABC):
    """A differentiation rule: a stable ``id``, when it ``matches`` a node, what it gives."""

    id: str

    @property
    def law(self) -> str:
        """The rule's law, from the registry of rule ids."""
        return RULES[self.id].law

    @abstractmethod
    def matches(self, node: sp.Derivative, context: Context) -> bool:
        """Whether this rule takes ``node`` (the rules before it in the registry did not)."""

    @abstractmethod
    def apply(self, node: sp.Derivative, context: Context) -> Application:
        """What ``node`` equals by this rule."""
