r"""A layered network as a model: its symbols, its forward pass, its cost J(Θ), its bindings.

Conventions (seed 001's). Layers are numbered l = 1 … L; layer 1 is the input x, layer L the
output h = a⁽ᴸ⁾. Θ⁽ˡ⁾ maps layer l to layer l + 1: z⁽ˡ⁺¹⁾ᵢ = Σⱼ θ⁽ˡ⁾ᵢⱼ a⁽ˡ⁾ⱼ for j = 0 … sₗ,
with the bias unit a⁽ˡ⁾₀ = 1 (the output layer has none). E is the loss of one sample;
J = (1/m) Σ E + (λ/2m) Σ θ², bias weights θ⁽ˡ⁾ᵢ₀ left out of the sum; δ⁽ˡ⁾ᵢ = ∂E/∂z⁽ˡ⁾ᵢ.
With ``samples=None`` the cost is written for one sample with m a symbol, as the seed writes
it; with ``samples=4`` every per-sample symbol carries the sample as a second subscript
(``x_{1,3}``: input 1 of sample 3) and ``m = 4`` is among the bindings.

:class:`Model` is what the derivations read: :mod:`~symderiv.models.network.scalar` (one weight,
written out), :mod:`~symderiv.models.network.reverse` (every weight, reverse mode) and
:mod:`~symderiv.models.network.matrix` (the δ rules in vector form). The public
:class:`symderiv.Network` is this model with those three as methods.

>>> net = Model([2, 2, 1])
>>> net.binding(net.a(2, 1))
sigmoid(z^{(2)}_{1})
>>> net.binding(net.delta(3, 1))
a^{(3)}_{1} - y
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

import sympy as sp

from ...core.functions import sigmoid
from ...core.steps import resolve_where
from ...limits import DEFAULT_WORK_LIMITS, WorkLimits
from .kinds import Activation, Head, NetworkError, activation_of, head_of
from .local import local_forms

__all__ = ["Model", "check_sizes"]


# --- Names ------------------------------------------------------------------------------------


def _indices(*numbers: int) -> str:
    """``12`` when every index is one digit, as the seed writes θ²₁₂; ``1,12`` otherwise."""
    if all(0 <= n < 10 for n in numbers):
        return "".join(str(n) for n in numbers)
    return ",".join(str(n) for n in numbers)


def _per_sample(index: int, sample: int | None) -> str:
    return f"{index}" if sample is None else f"{index},{sample}"


# --- The model ------------------------------------------------------------------------------


class Model:
    """A fully connected network with bias units, its cost J(Θ) and its symbols.

    ``sizes`` lists the units of each layer, input first. The public :class:`symderiv.Network`
    is this model with its derivations; build one with :func:`symderiv.network`.

    >>> net = Model([2, 2, 1])
    >>> net.L, net.weights[:3]
    (3, (theta^{(1)}_{10}, theta^{(1)}_{11}, theta^{(1)}_{12}))
    >>> net.binding(net.z(3, 1))
    a^{(2)}_{1}*theta^{(2)}_{11} + a^{(2)}_{2}*theta^{(2)}_{12} + theta^{(2)}_{10}
    """

    def __init__(
        self,
        sizes: Sequence[int],
        *,
        activation: Any = sigmoid,
        loss: Any = "cross_entropy",
        regularization: bool = True,
        samples: int | None = None,
        limits: WorkLimits | None = None,
    ) -> None:
        sizes = tuple(sizes)
        if len(sizes) < 2 or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 1 for n in sizes):
            raise NetworkError(
                f"a network needs at least two layers of at least one unit each, got sizes {_shown(sizes)}"
            )
        if samples is not None and (not isinstance(samples, int) or isinstance(samples, bool) or samples < 1):
            raise NetworkError(f"samples must be None (one sample, m a symbol) or a positive integer, got {samples!r}")
        #: The sizes this network may reach; :meth:`derive` and :meth:`backprop` check theirs too.
        self.limits: WorkLimits = limits or DEFAULT_WORK_LIMITS
        check_sizes(sizes, samples, self.limits)
        self.sizes: tuple[int, ...] = sizes
        self.L: int = len(sizes)
        self.activation: Activation = activation_of(activation)
        self.head: Head = head_of(loss)
        if self.head.output == "softmax" and sizes[-1] < 2:
            raise NetworkError("a softmax output needs at least two classes")
        self.regularization: bool = bool(regularization)
        self.samples: int | None = samples
        #: The number of samples m and the regularization strength λ.
        self.m: sp.Symbol = sp.Symbol("m")
        self.lam: sp.Symbol = sp.Symbol("lambda")
        self._forward_bindings: dict[sp.Symbol, sp.Expr] = {}
        self._explicit: dict[sp.Symbol, sp.Expr] = {}
        self._delta_bindings: dict[sp.Symbol, sp.Expr] | None = None
        self._cost: tuple[sp.Expr, sp.Expr | None] | None = None
        self._forward()

    # -- symbols --

    @property
    def sample_indices(self) -> tuple[int, ...]:
        """1 … m when the samples are counted, ``(1,)`` for the seed's single sample."""
        return tuple(range(1, (self.samples or 1) + 1))

    def _sample(self, sample: int) -> int | None:
        if sample not in self.sample_indices:
            raise NetworkError(f"there is no sample {sample}; samples are {list(self.sample_indices)}")
        return None if self.samples is None else sample

    def _unit(self, layer: int, unit: int, *, bias: bool = False) -> None:
        if not 1 <= layer <= self.L:
            raise NetworkError(f"there is no layer {layer}; layers are 1 to {self.L}")
        low = 0 if bias else 1
        if not low <= unit <= self.sizes[layer - 1]:
            raise NetworkError(f"layer {layer} has units {low} to {self.sizes[layer - 1]}, not {unit}")

    def theta(self, layer: int, i: int, j: int) -> sp.Symbol:
        """θ⁽ˡ⁾ᵢⱼ: the weight from unit j of layer l (j = 0: the bias unit) to unit i of layer l + 1."""
        if not 1 <= layer < self.L:
            raise NetworkError(f"weights go from layer 1 to layer {self.L - 1}, not from layer {layer}")
        self._unit(layer + 1, i)
        self._unit(layer, j, bias=True)
        return sp.Symbol(f"theta^{{({layer})}}_{{{_indices(i, j)}}}")

    @property
    def weights(self) -> tuple[sp.Symbol, ...]:
        """Every weight, layer by layer, row by row: θ⁽ˡ⁾ᵢⱼ for j = 0 (bias) … sₗ."""
        return tuple(
            self.theta(layer, i, j)
            for layer in range(1, self.L)
            for i in range(1, self.sizes[layer] + 1)
            for j in range(0, self.sizes[layer - 1] + 1)
        )

    def locate(self, theta: sp.Symbol) -> tuple[int, int, int]:
        """(l, i, j) of the weight θ⁽ˡ⁾ᵢⱼ."""
        for layer in range(1, self.L):
            for i in range(1, self.sizes[layer] + 1):
                for j in range(0, self.sizes[layer - 1] + 1):
                    if self.theta(layer, i, j) == theta:
                        return layer, i, j
        raise NetworkError(f"{theta} is not a weight of this network")

    def x(self, j: int, sample: int = 1) -> sp.Expr:
        """Input j of a sample; x₀ = 1 is the bias unit."""
        self._unit(1, j, bias=True)
        if j == 0:
            return sp.S.One
        return sp.Symbol(f"x_{{{_per_sample(j, self._sample(sample))}}}")

    def y(self, k: int = 1, sample: int = 1) -> sp.Symbol:
        """Target k of a sample (``y`` alone for one output and one sample, as the seed writes it)."""
        self._unit(self.L, k)
        s = self._sample(sample)
        if s is None and self.sizes[-1] == 1:
            return sp.Symbol("y")
        return sp.Symbol(f"y_{{{_per_sample(k, s)}}}")

    def z(self, layer: int, i: int, sample: int = 1) -> sp.Symbol:
        """The pre-activation z⁽ˡ⁾ᵢ = Σⱼ θ⁽ˡ⁻¹⁾ᵢⱼ a⁽ˡ⁻¹⁾ⱼ, for layers 2 … L."""
        if layer < 2:
            raise NetworkError("layer 1 is the input: it has no pre-activation z")
        self._unit(layer, i)
        return sp.Symbol(f"z^{{({layer})}}_{{{_per_sample(i, self._sample(sample))}}}")

    def a(self, layer: int, i: int, sample: int = 1) -> sp.Expr:
        """The activation a⁽ˡ⁾ᵢ; a⁽ˡ⁾₀ = 1 (bias unit, not in the output layer), a⁽¹⁾ⱼ = xⱼ."""
        self._unit(layer, i, bias=layer < self.L)
        if layer == 1:
            return self.x(i, sample)
        if i == 0:
            return sp.S.One
        return sp.Symbol(f"a^{{({layer})}}_{{{_per_sample(i, self._sample(sample))}}}")

    def delta(self, layer: int, i: int, sample: int = 1) -> sp.Symbol:
        """The error δ⁽ˡ⁾ᵢ = ∂E/∂z⁽ˡ⁾ᵢ of unit i of layer l (layers 2 … L)."""
        if layer < 2:
            raise NetworkError("layer 1 is the input: it has no error δ")
        self._unit(layer, i)
        return sp.Symbol(f"delta^{{({layer})}}_{{{_per_sample(i, self._sample(sample))}}}")

    # -- forward pass --

    def targets(self, sample: int = 1) -> list[sp.Symbol]:
        """The targets y₁ … y_K of a sample, one per output unit."""
        return [self.y(k, sample) for k in range(1, self.sizes[-1] + 1)]

    def _weighted_sum(self, layer: int, i: int, inputs: Sequence[sp.Expr]) -> sp.Expr:
        """θ⁽ˡ⁾ᵢ₀ + Σⱼ θ⁽ˡ⁾ᵢⱼ·inputs[j − 1]."""
        return sp.Add(
            self.theta(layer, i, 0),
            *(self.theta(layer, i, j) * value for j, value in enumerate(inputs, start=1)),
        )

    def _activate(self, layer: int, pre: Sequence[sp.Expr]) -> list[sp.Expr]:
        """The activations of ``layer`` from its pre-activations (softmax couples the outputs)."""
        if layer < self.L:
            return [self.activation.function(z) for z in pre]
        if self.head.output == "softmax":
            total = sp.Add(*(sp.exp(z) for z in pre))
            return [sp.exp(z) / total for z in pre]
        return [sigmoid(z) for z in pre]

    def _forward(self) -> None:
        """Bindings z = Σθa, a = g(z) layer by layer, and the same written out in Θ, x and y."""
        bindings = self._forward_bindings
        explicit = self._explicit
        if self.samples is not None:
            bindings[self.m] = sp.Integer(self.samples)
        for s in self.sample_indices:
            if self.head.output == "softmax":
                targets = self.targets(s)
                bindings[targets[-1]] = 1 - sp.Add(*targets[:-1])
            symbols = [self.x(j, s) for j in range(1, self.sizes[0] + 1)]
            values = list(symbols)
            for layer in range(2, self.L + 1):
                count = self.sizes[layer - 1]
                pre = [self._weighted_sum(layer - 1, i, symbols) for i in range(1, count + 1)]
                pre_values = [self._weighted_sum(layer - 1, i, values) for i in range(1, count + 1)]
                zs = [self.z(layer, i, s) for i in range(1, count + 1)]
                post = self._activate(layer, zs)
                post_values = self._activate(layer, pre_values)
                for i in range(count):
                    bindings[zs[i]] = pre[i]
                    explicit[zs[i]] = pre_values[i]
                symbols = [self.a(layer, i, s) for i in range(1, count + 1)]
                for i in range(count):
                    bindings[symbols[i]] = post[i]
                    explicit[symbols[i]] = post_values[i]
                values = post_values

    @property
    def layer_names(self) -> tuple[sp.Symbol, ...]:
        """Every z⁽ˡ⁾ᵢ and a⁽ˡ⁾ᵢ, layer by layer (z before a), sample by sample."""
        return tuple(self._explicit)

    def explicit(self, symbol: sp.Symbol) -> sp.Expr:
        """z⁽ˡ⁾ᵢ or a⁽ˡ⁾ᵢ written out in Θ and x (a DAG: shared subexpressions are shared objects)."""
        return self._explicit[symbol]

    def outputs(self, sample: int = 1) -> list[sp.Expr]:
        """h(x) = a⁽ᴸ⁾ of a sample, written out in Θ and x."""
        return [self._explicit[self.a(self.L, k, sample)] for k in range(1, self.sizes[-1] + 1)]

    def loss(self, sample: int = 1) -> sp.Expr:
        """The loss E of one sample, written out in Θ, x and y (no 1/m, no regularization)."""
        return self.head.loss(self.outputs(sample), self.targets(sample))

    def loss_from(self, layer: int, sample: int = 1) -> sp.Expr:
        """E of a sample as a function of the pre-activations z⁽ˡ⁾ of ``layer`` (symbols).

        The layers above are written out: E = E(z⁽ˡ⁾) with nothing else standing for z⁽ˡ⁾,
        so that ∂E/∂z⁽ˡ⁾ᵢ can be taken with the other z⁽ˡ⁾ₖ held constant.
        """
        zs = [self.z(layer, i, sample) for i in range(1, self.sizes[layer - 1] + 1)]
        post = self._activate(layer, zs)
        for upper in range(layer + 1, self.L + 1):
            pre = [self._weighted_sum(upper - 1, i, post) for i in range(1, self.sizes[upper - 1] + 1)]
            post = self._activate(upper, pre)
        return self.head.loss(post, self.targets(sample))

    @property
    def regularization_term(self) -> sp.Expr:
        """R = (λ/2m) Σ θ² over every weight but the bias weights θ⁽ˡ⁾ᵢ₀ (0 without regularization)."""
        if not self.regularization:
            return sp.S.Zero
        squares = sp.Add(
            *(
                self.theta(layer, i, j) ** 2
                for layer in range(1, self.L)
                for i in range(1, self.sizes[layer] + 1)
                for j in range(1, self.sizes[layer - 1] + 1)
            )
        )
        return self.lam / (2 * self.m) * squares

    def cost_parts(self) -> tuple[sp.Expr, sp.Expr | None]:
        """J(Θ) in its two parts: (1/m) Σₛ E and the penalty (None without regularization)."""
        if self._cost is None:
            data = sp.Mul(sp.Pow(self.m, -1), sp.Add(*(self.loss(s) for s in self.sample_indices)))
            self._cost = (data, self.regularization_term if self.regularization else None)
        return self._cost

    @property
    def cost(self) -> sp.Expr:
        """J(Θ) = (1/m) Σₛ E(x⁽ˢ⁾, y⁽ˢ⁾) + (λ/2m) Σ θ², written out in Θ, x, y, m and λ.

        >>> print(Model([1, 1]).cost)
        lambda*theta^{(1)}_{11}**2/(2*m) + (-y*log(sigmoid(theta^{(1)}_{10} + theta^{(1)}_{11}*x_{1})) - (1 - y)*log(1 - sigmoid(theta^{(1)}_{10} + theta^{(1)}_{11}*x_{1})))/m
        """
        data, regular = self.cost_parts()
        return data if regular is None else data + regular

    # -- bindings --

    @property
    def bindings(self) -> dict[sp.Symbol, sp.Expr]:
        """The definition of every intermediate symbol in terms of the ones before it.

        In order: m (when the samples are counted), the last target of a softmax (the targets
        sum to 1), z and a layer by layer, then δ from the output back. Substituting them
        repeatedly leaves plain expressions in Θ, x, y (and m, λ).
        """
        return dict(self._all_bindings())

    def _all_bindings(self) -> dict[sp.Symbol, sp.Expr]:
        if self._delta_bindings is None:
            self._delta_bindings = {**self._forward_bindings, **self._backward()}
        return self._delta_bindings

    def binding(self, symbol: sp.Symbol) -> sp.Expr:
        """The definition of one intermediate symbol (see :attr:`bindings`)."""
        return self._all_bindings()[symbol]

    def expand(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with every binding substituted: a plain expression in Θ, x, y, m and λ.

        The result is a tree that grows with the number of paths through the network
        (exponentially in depth); use it on small networks, or to check.
        """
        return resolve_where(expr, self._all_bindings())

    def _backward(self) -> dict[sp.Symbol, sp.Expr]:
        """δ⁽ᴸ⁾ from the output's local derivative, then δ⁽ˡ⁾ = (Σₖ θ⁽ˡ⁾ₖᵢ δ⁽ˡ⁺¹⁾ₖ)·g'(z⁽ˡ⁾ᵢ)."""
        local = local_forms(self.activation.name, self.head.name, self.sizes[-1])
        deltas: dict[sp.Symbol, sp.Expr] = {}
        for s in self.sample_indices:
            for k in range(1, self.sizes[-1] + 1):
                deltas[self.delta(self.L, k, s)] = local.output(k, self.a(self.L, k, s), self.y(k, s))
            for layer in range(self.L - 1, 1, -1):
                for i in range(1, self.sizes[layer - 1] + 1):
                    back = sp.Add(
                        *(
                            local.by_input(self.theta(layer, k, i)) * self.delta(layer + 1, k, s)
                            for k in range(1, self.sizes[layer] + 1)
                        )
                    )
                    slope = local.slope(self.a(layer, i, s), self.z(layer, i, s))
                    deltas[self.delta(layer, i, s)] = back * slope
        return deltas

    def __repr__(self) -> str:
        options = [f"activation={self.activation.name}", f"loss={self.head.name!r}"]
        if not self.regularization:
            options.append("regularization=False")
        if self.samples is not None:
            options.append(f"samples={self.samples}")
        return f"network({list(self.sizes)}, {', '.join(options)})"


def check_sizes(sizes: tuple[int, ...], samples: int | None, limits: WorkLimits) -> None:
    """Refuse, before anything is built, a network past ``limits``: layers, units, weights, samples."""
    limits.check("max_layers", len(sizes), f"the network has {len(sizes)} layers")
    widest = max((n for n in sizes if isinstance(n, int)), default=0)
    limits.check("max_layer_size", widest, f"a layer has {_shown(widest)} units")
    weights = sum(after * (before + 1) for before, after in itertools.pairwise(sizes))
    limits.check("max_weights", weights, f"the network has {_shown(weights)} weights")
    if samples is not None:
        limits.check("max_samples", samples, f"the network has {_shown(samples)} samples")


def _shown(value: object) -> str:
    """``value`` as text, cut short when it is long (a size of 10**10000 has 10001 digits)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


