r"""The factors of a network's main chain, each derived once as a proven sub-derivation.

The textbook chain of ∂J/∂θ (:mod:`symderiv.models.network.textbook`) multiplies a few local
derivatives: ∂E/∂a⁽ᴸ⁾ (the loss in the output's name), ∂a/∂z (the activation's slope),
∂z/∂θ and ∂z/∂a (a weighted sum), ∂E/∂z⁽ᴸ⁾ for a softmax, ∂E/∂z = δ for the layers above,
and the penalty's ∂R/∂θ. :class:`Factors` makes each such ``Derivative`` node and keeps its
:class:`~symderiv.core.derivation.Derivation`: a chain of its own from the node to its value,
derived by the core engine where a rule of calculus is at work. The engine's names (u, v, …)
are renamed where another factor already uses them for something else, so that within one
derivation a name stands for one subexpression and a subexpression has one name.

>>> from symderiv.models.network.model import Model
>>> net = Model([2, 2, 1])
>>> factors = Factors(net, [s.name for s in net.bindings])
>>> node = factors.slope(2, 1)
>>> node
Derivative(sigmoid(z^{(2)}_{1}), z^{(2)}_{1})
>>> factors.derivations[node].result
a^{(2)}_{1}*(1 - a^{(2)}_{1})
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import sympy as sp

from ...calculus.engine import derive
from ...calculus.rules import NamePool
from ...core.derivation import Derivation
from ...core.functions import sigmoid
from ...core.steps import Step, where_in_scope
from .builder import Renaming
from .local import local_forms
from .model import Model
from .softmax import softmax_output

__all__ = ["Factors"]


class Factors:
    """The local derivatives one main chain uses, each as a node and its sub-derivation.

    Each method returns the ``Derivative`` node to write in the chain and records its
    derivation in :attr:`derivations` (in the order the chain meets them). ``taken`` lists the
    names already in use (the network's symbols), so that the engine's names stay distinct.
    """

    def __init__(self, net: Model, taken: Iterable[str]) -> None:
        self.net = net
        known = {value: name for name, value in net.bindings.items() if not value.is_number}
        self.names = NamePool(taken, known=known)
        #: Node → its proven-to-be sub-derivation, in the order the chain uses them.
        self.derivations: dict[sp.Derivative, Derivation] = {}
        self.local = local_forms(net.activation.name, net.head.name, net.sizes[-1])

    # -- the factors --

    def weighted_sum(self, z: sp.Symbol, variable: sp.Symbol) -> sp.Derivative:
        """∂z/∂v of a weighted sum z = Σⱼ θⱼaⱼ: the coefficient of v (aⱼ for a weight, θⱼ for an input)."""
        node = sp.Derivative(self.net.binding(z), variable)
        if node not in self.derivations:
            value = sp.expand(node.expr).coeff(variable)
            step = Step("weighted_sum", node, value, focus=(node, value))
            self._keep(node, _one_step(node, step))
        return node

    def slope(self, layer: int, i: int, sample: int = 1) -> sp.Derivative:
        """∂a/∂z = g′(z) of a hidden unit (σ at the output), written with a where texts do."""
        net = self.net
        z, a = net.z(layer, i, sample), net.a(layer, i, sample)
        output = layer == net.L
        g = sigmoid if output else net.activation.function
        node = sp.Derivative(g(z), z)
        if node in self.derivations:
            return node
        derivation = self._engine(g(z), z)
        if output or net.activation.named:
            derivation = _append(derivation, "activation", {g(z): a}, where={a: g(z)},
                                 detail={"names": {a: g(z)}})
        target = a * (1 - a) if output else self.local.slope(a, z)
        if derivation.result != target:
            derivation = _ending(derivation, "simplify", target, where=derivation.steps[-1].where)
        self._keep(node, derivation)
        return node

    def loss(self, k: int, sample: int = 1) -> sp.Derivative:
        """∂E/∂a⁽ᴸ⁾ₖ of a sigmoid output: the loss written in the outputs' names."""
        net = self.net
        outputs = [net.a(net.L, unit, sample) for unit in range(1, net.sizes[-1] + 1)]
        loss = net.head.loss(outputs, net.targets(sample))
        a = net.a(net.L, k, sample)
        node = sp.Derivative(loss, a)
        if node not in self.derivations:
            self._keep(node, self._engine(loss, a))
        return node

    def softmax(self, k: int, sample: int = 1) -> sp.Derivative:
        """∂E/∂z⁽ᴸ⁾ₖ of a softmax output with the categorical cross-entropy: aₖ − yₖ."""
        net = self.net
        count = range(1, net.sizes[-1] + 1)
        zs = [net.z(net.L, unit, sample) for unit in count]
        as_ = [net.a(net.L, unit, sample) for unit in count]
        derivation = softmax_output(zs, net.targets(sample), as_, k, check=False)  # type: ignore[arg-type]
        node = sp.Derivative(derivation.expr, derivation.wrt)
        if node not in self.derivations:
            self._keep(node, self._adopt(derivation))
        return node

    def error(self, layer: int, k: int, sample: int = 1) -> sp.Derivative:
        """∂E/∂z⁽ˡ⁾ₖ of a layer below the output: δ⁽ˡ⁾ₖ, the same rule one layer up."""
        net = self.net
        z, delta = net.z(layer, k, sample), net.delta(layer, k, sample)
        node = sp.Derivative(net.loss_from(layer, sample), z)
        if node not in self.derivations:
            step = Step("delta", node, delta, where=where_in_scope(net.bindings, delta), focus=(node, delta),
                        detail={"names": {delta: net.binding(delta)}})
            self._keep(node, _one_step(node, step))
        return node

    def penalty(self, theta: sp.Symbol) -> Derivation:
        """∂R/∂θ of the penalty (λ/2m) Σ θ²: (λ/m)θ, or 0 for a bias weight (not a factor)."""
        net = self.net
        regular = net.regularization_term
        node = sp.Derivative(regular, theta)
        value = net.lam * theta / net.m if theta in regular.free_symbols else sp.S.Zero
        step = Step("regularization", node, value, focus=(node, value), detail={"bias": value == 0})
        return _one_step(node, step)

    # -- the engine's derivations, their names made consistent --

    def _keep(self, node: sp.Derivative, derivation: Derivation) -> None:
        self.derivations[node] = derivation

    def _engine(self, expr: sp.Expr, variable: sp.Symbol) -> Derivation:
        return self._adopt(derive(expr, variable, target_form=False, check=False))

    def _adopt(self, derivation: Derivation) -> Derivation:
        """``derivation`` with its names changed where this chain already gives them other meanings."""
        names = _names_of(derivation)
        own = [name for name in names if name not in self.net.bindings]
        clash = {name for name in own if name.name in self.names.taken}
        self.names.taken.update(name.name for name in own)
        mapping: dict[sp.Symbol, sp.Symbol] = {}
        for name in own:  # in the order the names were made
            value = names[name].xreplace(mapping)
            known = self.names.known.get(value)
            if known is not None:
                if known != name:
                    mapping[name] = known
            elif name in clash:
                mapping[name] = self.names.name_for(value)
            else:
                self.names.known[value] = name
        return renamed(derivation, mapping) if mapping else derivation


def _names_of(derivation: Any) -> dict[sp.Symbol, sp.Expr]:
    """Every name of ``derivation`` and of its sub-derivations, in the order they were made."""
    found: dict[sp.Symbol, sp.Expr] = {}
    for step in derivation.steps:
        for name, value in step.where.items():
            found.setdefault(name, value)
        for sub in step.substeps:
            for name, value in _names_of(sub).items():
                found.setdefault(name, value)
    return found


def renamed(derivation: Any, mapping: Mapping[sp.Symbol, sp.Symbol]) -> Derivation:
    """``derivation`` with its names replaced by ``mapping``, sub-derivations included.

    A step's focus is kept when it still marks what the step rewrote after the renaming
    (SymPy may order a renamed sum differently); else the step claims its whole equality.
    """
    rename = Renaming(dict(mapping))
    steps = []
    for step in derivation.steps:
        before, after = rename(step.before), rename(step.after)
        focus = rename(step.focus) if step.focus is not None else None
        if focus is not None and before.xreplace({focus[0]: focus[1]}) != after:
            focus = None
        steps.append(Step(step.rule, before, after, where=rename(dict(step.where)), focus=focus,
                          detail=rename(dict(step.detail)),
                          substeps=tuple(renamed(sub, mapping) for sub in step.substeps)))
    return Derivation(expr=rename(derivation.expr), wrt=rename(derivation.wrt), steps=tuple(steps),
                      strategy=derivation.strategy, notes=derivation.notes)


def _one_step(node: sp.Derivative, step: Step) -> Derivation:
    return Derivation(expr=node.expr, wrt=node.variables[0], steps=(step,), strategy="network")


def _append(derivation: Derivation, rule: str, mapping: Mapping[sp.Expr, sp.Expr], *,
            where: Mapping[sp.Symbol, sp.Expr], detail: Mapping[str, Any]) -> Derivation:
    """``derivation`` with one more step that rewrites the parts in ``mapping`` (nothing if none stands)."""
    current = derivation.result
    after = current.xreplace(dict(mapping))
    if after == current:
        return derivation
    focus = next(iter(mapping.items())) if len(mapping) == 1 else None
    step = Step(rule, current, after, where=dict(where), focus=focus, detail=dict(detail))
    return Derivation(expr=derivation.expr, wrt=derivation.wrt, steps=(*derivation.steps, step),
                      strategy=derivation.strategy, notes=derivation.notes)


def _ending(derivation: Derivation, rule: str, target: sp.Expr, *, where: Mapping[sp.Symbol, sp.Expr]) -> Derivation:
    """``derivation`` with one more step, the whole result rewritten to ``target``."""
    current = derivation.result
    step = Step(rule, current, target, where=where_in_scope(where, current, target))
    return Derivation(expr=derivation.expr, wrt=derivation.wrt, steps=(*derivation.steps, step),
                      strategy=derivation.strategy, notes=derivation.notes)
