"""What every rule shares: the :class:`Rule` it is, the :class:`Context` it reads, the
:class:`Application` it gives, and the :class:`NamePool` its substitutions draw names from.

>>> pool = NamePool(["u"])
>>> pool.fresh(), pool.fresh("t"), pool.fresh("t")
(v, t, w)
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sympy as sp

from ...core.rule_ids import RULES
from ...core.strategies import ROUTES, Strategy

__all__ = ["NAMES", "Application", "Context", "NamePool", "Rule"]

#: The letters a substitution may take, in the order they are handed out.
NAMES = ("u", "v", "w", "t", "p", "q", "r", "s", "g", "h")


class NamePool:
    """Fresh names for substitutions: never one in the expression, never one used before."""

    def __init__(self, taken: Iterable[str] = ()):
        self.taken = set(taken)

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
