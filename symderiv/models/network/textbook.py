r"""∂J/∂θ for one weight as a textbook writes it: the chain rule through the named layers.

Seed 001 derives ∂J/∂θ²₁₂ in five lines and ∂J/∂θ¹₁₂ in three, working on a³, z³, a² and δ³,
never on the cost written out. :func:`derive_weight_textbook` writes the same for any weight of
any :class:`~symderiv.models.network.model.Model`:

1. the chain rule through the named layers, ∂J/∂θ = (1/m)·∂E/∂a·∂a/∂z·∂z/∂θ + ∂R/∂θ (for a
   hidden weight on through the next layer, summed over its units; for a layer below that the
   error ∂E/∂z = δ of the layer above), the penalty's derivative ∂R/∂θ = (λ/m)θ below the line;
2. each factor replaced by its value, each derived once below the line
   (:class:`~symderiv.models.network.factors.Factors`);
3. the output's error simplified to its δ form: [−y/a + (1 − y)/(1 − a)]·a(1 − a) = a − y;
4. for a hidden weight, the errors named: δ³ = a³ − y, then δ²ᵢ = Σₖ θ²ₖᵢ δ³ₖ·a²ᵢ(1 − a²ᵢ).

The derivation starts from :func:`cost_in_names`: J with every activation that θ does not
reach written by its name (a proof differentiates a name as a constant, so what θ reaches is
written out, and only that). The names' definitions ride in each step's ``where``.

>>> from symderiv.models.network.model import Model
>>> net = Model([2, 2, 1])
>>> theta = net.theta(2, 1, 2)
>>> d = derive_weight_textbook(net, theta, check=True)
>>> d.rules
('chain', 'derivatives', 'expand', 'simplify')
>>> d.result == (net.a(3, 1) - net.y()) * net.a(2, 2) / net.m + net.lam * theta / net.m
True
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import sympy as sp

from ...core.derivation import Derivation
from ...core.steps import resolve_where, symbols_of
from .builder import StepBuilder
from .factors import Factors
from .local import local_forms
from .model import Model

__all__ = ["cost_in_names", "derive_weight_textbook"]

#: Which error a factor group stands for: (output or upper unit k, sample s).
Key = tuple[int, int]


def cost_in_names(net: Model, theta: sp.Symbol) -> sp.Expr:
    r"""J(Θ) with every z and a that ``theta`` does not reach written by its name.

    With the network's bindings substituted it is the cost :attr:`Model.cost`; what ``theta``
    reaches is written out, since a derivative with respect to ``theta`` holds a name constant.

    >>> from symderiv.models.network.model import Model
    >>> net = Model([2, 2, 1], regularization=False)
    >>> print(cost_in_names(net, net.theta(2, 1, 0)))
    (-y*log(sigmoid(a^{(2)}_{1}*theta^{(2)}_{11} + a^{(2)}_{2}*theta^{(2)}_{12} + theta^{(2)}_{10})) - (1 - y)*log(1 - sigmoid(a^{(2)}_{1}*theta^{(2)}_{11} + a^{(2)}_{2}*theta^{(2)}_{12} + theta^{(2)}_{10})))/m
    """
    losses = []
    for s in net.sample_indices:
        outputs = [net.a(net.L, k, s) for k in range(1, net.sizes[-1] + 1)]
        losses.append(net.head.loss(outputs, net.targets(s)))
    data = sp.Mul(sp.Pow(net.m, -1), sp.Add(*losses))
    regular = net.cost_parts()[1]
    named = data if regular is None else data + regular
    return resolve_where(named, {name: net.binding(name) for name in reached(net, theta)})


def reached(net: Model, theta: sp.Symbol) -> list[sp.Symbol]:
    """The pre-activations and activations whose values depend on ``theta``, layer by layer."""
    found: list[sp.Symbol] = []
    for name in net.layer_names:
        if net.binding(name).free_symbols & {theta, *found}:
            found.append(name)
    return found


def derive_weight_textbook(net: Model, theta: sp.Symbol, *, check: bool) -> Derivation:
    """The textbook derivation of ∂J/∂θ for the weight ``theta``, proven when ``check``."""
    layer, i, _ = net.locate(theta)
    taken = {s.name for s in symbols_of([net.cost])} | {s.name for s in net.bindings}
    builder = StepBuilder(cost_in_names(net, theta), theta, net.bindings, taken)
    factors = Factors(net, taken)
    chain = _layout(net, factors, theta, layer + 1, i)
    after = chain.assemble(lambda key: chain.errors[key], lambda node: node, evaluate=False)
    # The definitions are listed once, at the top of the document (every step's ``where``
    # carries them): neither this step nor the δ steps repeat them as substitutions they make.
    outer = next(iter(factors.derivations))  # ∂E/∂a⁽ᴸ⁾ (∂E/∂z for a softmax or a layer below)
    builder.step(
        "backprop" if chain.hidden else "chain", after, focus=None,
        detail={"variable": theta, "introduces": {}, "outer": outer.expr, "name": outer.variables[0],
                "inner": net.binding(net.z(layer + 1, i))},
        substeps=(chain.penalty,) if chain.penalty is not None else (),
    )
    values = {node: d.result for node, d in factors.derivations.items()}
    builder.replace("derivatives", values, detail={"values": values},
                    substeps=tuple(factors.derivations.values()))
    value = values.__getitem__
    if net.head.output == "sigmoid":
        _output_errors(builder, net, chain, value)
    if chain.hidden:
        _deltas(builder, net, chain, value)
    return builder.derivation(check=check)


# --- The chain's layout ----------------------------------------------------------------------


@dataclass
class _Layout:
    """The factors the chain multiplies, sample by sample, and how to write them together.

    ``errors[(k, s)]`` are the factors of ∂E/∂z of unit k above (∂E/∂a·∂a/∂z at a sigmoid
    output, ∂E/∂z for a softmax or a layer below the output); ``links[(k, s)]`` is ∂z_k/∂a of a
    hidden weight's unit; ``slopes[s]`` its ∂a/∂z; ``by_theta[s]`` is ∂z/∂θ.
    """

    net: Model
    layer: int
    unit: int
    hidden: bool
    penalty: Derivation | None
    errors: dict[Key, list[sp.Expr]] = field(default_factory=dict)
    links: dict[Key, sp.Expr] = field(default_factory=dict)
    slopes: dict[int, sp.Expr] = field(default_factory=dict)
    by_theta: dict[int, sp.Expr] = field(default_factory=dict)

    def assemble(
        self, error: Callable[[Key], list[sp.Expr]], value: Callable[[sp.Expr], sp.Expr], *,
        evaluate: bool = True, deltas: bool = False,
    ) -> sp.Expr:
        """The whole line: (1/m)·Σₛ (the sample's factors) + the penalty's value.

        ``error`` gives each error group's factors, ``value`` each other factor as this line
        writes it; with ``deltas`` a hidden unit's error is its δ of this layer.
        """
        net = self.net
        paths = []
        for s in net.sample_indices:
            if deltas:
                factors = [net.delta(self.layer, self.unit, s)]
            elif self.hidden:
                terms = [_product([*error((k, s)), value(self.links[k, s])], evaluate)
                         for k in range(1, net.sizes[self.layer] + 1)]
                back = sp.Mul.make_args(terms[0]) if len(terms) == 1 else (sp.Add(*terms, evaluate=evaluate),)
                factors = [*back, value(self.slopes[s])]
            else:
                factors = list(error((self.unit, s)))
            paths.append([*factors, value(self.by_theta[s])])
        if len(paths) == 1:
            data = _product([sp.Pow(net.m, -1), *paths[0]], evaluate)
        else:
            total = sp.Add(*(_product(path, evaluate) for path in paths), evaluate=evaluate)
            data = _product([sp.Pow(net.m, -1), total], evaluate)
        if self.penalty is None or self.penalty.result == 0:
            return data
        return sp.Add(data, self.penalty.result, evaluate=evaluate)


def _product(factors: list[sp.Expr], evaluate: bool) -> sp.Expr:
    return sp.Mul(*factors, evaluate=evaluate)


def _layout(net: Model, factors: Factors, theta: sp.Symbol, layer: int, i: int) -> _Layout:
    """The chain of ∂J/∂θ for a weight into unit ``i`` of ``layer``, its factors made by ``factors``."""
    hidden = layer < net.L
    penalty = factors.penalty(theta) if net.regularization else None
    chain = _Layout(net, layer, i, hidden, penalty)
    for s in net.sample_indices:
        above = range(1, net.sizes[layer] + 1) if hidden else (i,)
        for k in above:
            chain.errors[k, s] = _error(net, factors, layer + 1 if hidden else layer, k, s)
            if hidden:
                chain.links[k, s] = factors.weighted_sum(net.z(layer + 1, k, s), net.a(layer, i, s))
        if hidden:
            chain.slopes[s] = factors.slope(layer, i, s)
        chain.by_theta[s] = factors.weighted_sum(net.z(layer, i, s), theta)
    return chain


def _error(net: Model, factors: Factors, layer: int, k: int, s: int) -> list[sp.Expr]:
    """The factors of ∂E/∂z⁽ˡ⁾ₖ as the chain writes them."""
    if layer < net.L:
        return [factors.error(layer, k, s)]
    if net.head.output == "softmax":
        return [factors.softmax(k, s)]
    return [factors.loss(k, s), factors.slope(layer, k, s)]


# --- After the derivatives: the errors simplified and named ---------------------------------------


def _output_errors(builder: StepBuilder, net: Model, chain: _Layout, value: Callable[[sp.Expr], sp.Expr]) -> None:
    """[∂E/∂a]·a(1 − a) at each sigmoid output, brought to its δ form (a − y for the cross-entropy)."""
    if chain.hidden and chain.layer + 1 < net.L:
        return  # the errors above are δ already
    local = local_forms(net.activation.name, net.head.name, net.sizes[-1])

    def target(key: Key) -> list[sp.Expr]:
        k, s = key
        return [local.output(k, net.a(net.L, k, s), net.y(k, s))]

    def spread(key: Key) -> list[sp.Expr]:
        loss, slope = (value(node) for node in chain.errors[key])
        return [sp.Add(*(term * slope for term in sp.Add.make_args(loss)))]

    if net.head.name == "cross_entropy":
        # [−y/a + (1 − y)/(1 − a)]·a(1 − a) = −y(1 − a) + (1 − y)a = a − y, as the seed writes it
        builder.step("expand", chain.assemble(spread, value))
    builder.step("simplify", chain.assemble(target, value))


def _deltas(builder: StepBuilder, net: Model, chain: _Layout, value: Callable[[sp.Expr], sp.Expr]) -> None:
    """Name the errors: δ of the output (when it is the layer above), then δ of the weight's unit."""
    names: dict[sp.Symbol, sp.Expr]
    if chain.layer + 1 == net.L:
        deltas = {key: net.delta(net.L, *key) for key in chain.errors}
        names = {delta: net.binding(delta) for delta in deltas.values()}
        builder.step("delta", chain.assemble(lambda key: [deltas[key]], value),
                     detail={"names": names, "introduces": {}})
    own = [net.delta(chain.layer, chain.unit, s) for s in net.sample_indices]
    names = {delta: net.binding(delta) for delta in own}
    builder.step("delta", chain.assemble(lambda key: [], value, deltas=True),
                 detail={"names": names, "introduces": {}})

