r"""∂J/∂θ for every weight by reverse mode: one δ symbol per pre-activation, shared by all.

∂J/∂θ⁽ˡ⁾ᵢⱼ = (1/m) Σₛ δ⁽ˡ⁺¹⁾ᵢ a⁽ˡ⁾ⱼ + (λ/m) θ⁽ˡ⁾ᵢⱼ (the last term only for j ≥ 1), each factor
instantiated from a local derivative the core engine derived and proved once
(:mod:`symderiv.models.network.local`). The δ are defined once, layer by layer, among the
model's bindings, so the work grows linearly with depth; ``sympy.diff`` of the written-out cost
grows about threefold per layer.

>>> from symderiv.models.network.model import Model
>>> net = Model([2, 1], regularization=False)
>>> gradients(net)[net.theta(1, 1, 0)]
delta^{(2)}_{1}/m
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import sympy as sp

from ...core.derivation import Derivation
from ...proof.numeric import evaluate
from .local import LocalForms, local_forms
from .measure import tree_size
from .model import Model

__all__ = ["Gradients", "gradients"]


class Gradients(Mapping[sp.Symbol, sp.Expr]):
    """∂J/∂θ for every weight θ, written with the shared δ symbols.

    A read-only mapping weight → expression. ``bindings`` defines every z, a and δ (with them
    the expressions are plain functions of Θ, x, y, m and λ); ``local`` holds the proven
    derivations of the local derivatives the expressions are built from.
    """

    def __init__(self, network: Model, gradients: dict[sp.Symbol, sp.Expr], local: LocalForms):
        self.network = network
        self._gradients = gradients
        self.local: dict[str, Derivation] = dict(local.derivations)

    def __getitem__(self, theta: sp.Symbol) -> sp.Expr:
        return self._gradients[theta]

    def __iter__(self) -> Iterator[sp.Symbol]:
        return iter(self._gradients)

    def __len__(self) -> int:
        return len(self._gradients)

    @property
    def bindings(self) -> dict[sp.Symbol, sp.Expr]:
        """The definitions of z, a and δ (see :attr:`symderiv.Network.bindings`)."""
        return self.network.bindings

    def expand(self, theta: sp.Symbol) -> sp.Expr:
        """∂J/∂θ with every binding substituted (exponential in depth; for small networks)."""
        return self.network.expand(self._gradients[theta])

    def size(self) -> int:
        """Tree size of every gradient and every binding: what writing them all out takes."""
        return tree_size(*self._gradients.values(), *self.bindings.values())

    def numeric(self, values: Mapping[sp.Symbol, Any], *, digits: int = 30) -> dict[sp.Symbol, Any]:
        """Every gradient at a point (mpmath numbers), each binding evaluated once.

        ``values`` gives Θ, x, y and λ (and m for one sample).
        """
        known: dict[sp.Symbol, Any] = dict(values)
        for name, definition in self.bindings.items():
            if name not in known:
                known[name] = evaluate(definition, known, digits=digits)
        return {theta: evaluate(expr, known, digits=digits) for theta, expr in self._gradients.items()}

    def __repr__(self) -> str:
        return f"<Gradients of {len(self)} weights of {self.network!r}>"


def gradients(net: Model) -> Gradients:
    """∂J/∂θ for every weight of ``net``, written with the shared δ symbols."""
    local = local_forms(net.activation.name, net.head.name, net.sizes[-1])
    net.binding(net.delta(net.L, 1))  # every δ definition is made here, once
    found: dict[sp.Symbol, sp.Expr] = {}
    inverse = sp.Pow(net.m, -1)
    for layer in range(1, net.L):
        for i in range(1, net.sizes[layer] + 1):
            for j in range(0, net.sizes[layer - 1] + 1):
                theta = net.theta(layer, i, j)
                terms = [net.delta(layer + 1, i, s) * local.by_weight(net.a(layer, j, s)) for s in net.sample_indices]
                gradient = inverse * sp.Add(*terms)
                if net.regularization and j != 0:
                    gradient = gradient + local.penalty(theta, net.lam, net.m)
                found[theta] = gradient
    return Gradients(net, found, local)
