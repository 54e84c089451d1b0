r"""Layered networks: the regularized cost J(Θ), its gradient by backpropagation, the δ rules.

Seed 001 draws a three-layer sigmoid network, writes its cost

    J(Θ) = −(1/m) Σᵢ Σₖ [yₖ log hₖ + (1 − yₖ) log(1 − hₖ)] + (λ/2m) Σ θ²   (bias weights left out)

and derives by hand ∂J/∂θ²₁₂ = (1/m)(a³ − y)·a²₂, δ³ = a³ − y and δ² = (Θ²)ᵀδ³ ⊙ σ'(z²). This
module does the same for any list of layer sizes, every step proven:

- :meth:`Network.derive` writes ∂J/∂θ for one weight as the seed does, a chain of proven steps;
- :meth:`Network.gradients` gives ∂J/∂θ for every weight by reverse mode: one δ symbol per
  pre-activation, shared by every weight that needs it, so the work grows linearly with depth
  (``sympy.diff`` of the written-out cost grows about threefold per layer);
- :meth:`Network.backprop` writes the δ rules in vector form, each matrix step proven entry by
  entry on the scalar expansion.

Conventions (the seed's). Layers are numbered l = 1 … L; layer 1 is the input x, layer L the
output h = a⁽ᴸ⁾. Θ⁽ˡ⁾ maps layer l to layer l + 1: z⁽ˡ⁺¹⁾ᵢ = Σⱼ θ⁽ˡ⁾ᵢⱼ a⁽ˡ⁾ⱼ for j = 0 … sₗ,
with the bias unit a⁽ˡ⁾₀ = 1 (the output layer has none). E is the loss of one sample;
J = (1/m) Σ E + (λ/2m) Σ θ², bias weights θ⁽ˡ⁾ᵢ₀ left out of the sum; δ⁽ˡ⁾ᵢ = ∂E/∂z⁽ˡ⁾ᵢ.
With ``samples=None`` the cost is written for one sample with m a symbol, as the seed writes
it; with ``samples=4`` every per-sample symbol carries the sample as a second subscript
(``x_{1,3}``: input 1 of sample 3) and ``m = 4`` is among the bindings.

>>> import symderiv as sd
>>> net = sd.network([2, 2, 1])
>>> theta = net.theta(2, 1, 2)
>>> theta
theta^{(2)}_{12}
>>> d = net.derive(theta)
>>> d.result == (net.a(3, 1) - net.y()) * net.a(2, 2) / net.m + net.lam * theta / net.m
True
>>> gradient = net.gradients()[net.theta(1, 1, 2)]
>>> gradient == net.delta(2, 1) * net.x(2) / net.m + net.lam * net.theta(1, 1, 2) / net.m
True
>>> net.binding(net.delta(2, 1))
a^{(2)}_{1}*delta^{(3)}_{1}*theta^{(2)}_{11}*(1 - a^{(2)}_{1})
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from ...proof.check import CheckReport, StepProof, check_derivation, check_step
from ...errors import SymderivError
from ...core.functions import relu, sigmoid
from ..losses import binary_cross_entropy
from ...limits import DEFAULT_WORK_LIMITS, WorkLimits, run_with_budget
from ...calculus.rules import NamePool
from ...core.derivation import Derivation
from ...core.steps import Step, resolve_where, symbols_of, where_in_scope

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "Activation",
    "Backprop",
    "Gradients",
    "Head",
    "MatrixDerivation",
    "MatrixStep",
    "Network",
    "NetworkError",
    "add_command",
    "dag_size",
    "network",
    "tree_size",
]


class NetworkError(SymderivError, ValueError):
    """A network was described in a way symderiv cannot build (sizes, loss, a weight's indices)."""


# --- Activations and heads -------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """A hidden layer's activation g: its ``name`` and the SymPy ``function``.

    ``named`` says whether g'(z) is written with the activation's own value a = g(z), as
    σ' = a(1 − a) and tanh' = 1 − a² are; ReLU's derivative H(z) is written with z.
    """

    name: str
    function: Callable[[sp.Expr], sp.Expr]
    named: bool


ACTIVATIONS: dict[str, Activation] = {
    "sigmoid": Activation("sigmoid", sigmoid, True),
    "tanh": Activation("tanh", sp.tanh, True),
    "relu": Activation("relu", relu, False),
}


@dataclass(frozen=True)
class Head:
    """The output layer and its loss: ``output`` is ``"sigmoid"`` or ``"softmax"``.

    - ``cross_entropy``: sigmoid outputs, E = Σₖ −(yₖ log aₖ + (1 − yₖ) log(1 − aₖ)); δ = a − y.
    - ``mse``: sigmoid outputs, E = Σₖ (aₖ − yₖ)²/2; δ = (a − y)·a(1 − a), the slow-learning term.
    - ``softmax_cross_entropy``: aₖ = e^{zₖ}/Σⱼ e^{zⱼ}, E = −Σₖ yₖ log aₖ with Σₖ yₖ = 1; δ = a − y.
    """

    name: str
    output: str
    description: str

    def loss(self, outputs: Sequence[sp.Expr], targets: Sequence[sp.Expr]) -> sp.Expr:
        """The loss E of one sample, from the output activations and the targets."""
        if self.name == "cross_entropy":
            return sp.Add(*(binary_cross_entropy(a, y) for a, y in zip(outputs, targets)))
        if self.name == "mse":
            return sp.Add(*((a - y) ** 2 / 2 for a, y in zip(outputs, targets)))
        return -sp.Add(*(y * sp.log(a) for a, y in zip(outputs, targets)))


LOSSES: dict[str, Head] = {
    "cross_entropy": Head("cross_entropy", "sigmoid", "sigmoid outputs with the binary cross-entropy"),
    "mse": Head("mse", "sigmoid", "sigmoid outputs with half the squared error"),
    "softmax_cross_entropy": Head(
        "softmax_cross_entropy", "softmax", "softmax outputs with the categorical cross-entropy"
    ),
}

_LOSS_ALIASES = {
    "binary_cross_entropy": "cross_entropy",
    "squared_error": "mse",
    "softmax": "softmax_cross_entropy",
    "categorical_cross_entropy": "softmax_cross_entropy",
}


def _activation(activation: Any) -> Activation:
    if isinstance(activation, Activation):
        return activation
    if isinstance(activation, str) and activation in ACTIVATIONS:
        return ACTIVATIONS[activation]
    for entry in ACTIVATIONS.values():
        if activation is entry.function:
            return entry
    raise NetworkError(
        f"unknown activation {activation!r}; choose sd.sigmoid, sympy.tanh or sd.relu "
        f"(or their names: {', '.join(ACTIVATIONS)})"
    )


def _head(loss: Any) -> Head:
    if isinstance(loss, Head):
        return loss
    name = _LOSS_ALIASES.get(loss, loss)
    if name not in LOSSES:
        raise NetworkError(f"unknown loss {loss!r}; choose one of: {', '.join(LOSSES)}")
    return LOSSES[name]


# --- Names ------------------------------------------------------------------------------------


def _indices(*numbers: int) -> str:
    """``12`` when every index is one digit, as the seed writes θ²₁₂; ``1,12`` otherwise."""
    if all(0 <= n < 10 for n in numbers):
        return "".join(str(n) for n in numbers)
    return ",".join(str(n) for n in numbers)


def _per_sample(index: int, sample: int | None) -> str:
    return f"{index}" if sample is None else f"{index},{sample}"


# --- The network ------------------------------------------------------------------------------


class Network:
    """A fully connected network with bias units, its cost J(Θ) and its symbols.

    Build one with :func:`network`. ``sizes`` lists the units of each layer, input first.

    >>> net = Network([2, 2, 1])
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
        _check_sizes(sizes, samples, self.limits)
        self.sizes: tuple[int, ...] = sizes
        self.L: int = len(sizes)
        self.activation: Activation = _activation(activation)
        self.head: Head = _head(loss)
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
            self.theta(l, i, j)
            for l in range(1, self.L)
            for i in range(1, self.sizes[l] + 1)
            for j in range(0, self.sizes[l - 1] + 1)
        )

    def locate(self, theta: sp.Symbol) -> tuple[int, int, int]:
        """(l, i, j) of the weight θ⁽ˡ⁾ᵢⱼ."""
        for l in range(1, self.L):
            for i in range(1, self.sizes[l] + 1):
                for j in range(0, self.sizes[l - 1] + 1):
                    if self.theta(l, i, j) == theta:
                        return l, i, j
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

    def _targets(self, sample: int) -> list[sp.Symbol]:
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
                targets = self._targets(s)
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

    def explicit(self, symbol: sp.Symbol) -> sp.Expr:
        """z⁽ˡ⁾ᵢ or a⁽ˡ⁾ᵢ written out in Θ and x (a DAG: shared subexpressions are shared objects)."""
        return self._explicit[symbol]

    def outputs(self, sample: int = 1) -> list[sp.Expr]:
        """h(x) = a⁽ᴸ⁾ of a sample, written out in Θ and x."""
        return [self._explicit[self.a(self.L, k, sample)] for k in range(1, self.sizes[-1] + 1)]

    def loss(self, sample: int = 1) -> sp.Expr:
        """The loss E of one sample, written out in Θ, x and y (no 1/m, no regularization)."""
        return self.head.loss(self.outputs(sample), self._targets(sample))

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
        return self.head.loss(post, self._targets(sample))

    @property
    def regularization_term(self) -> sp.Expr:
        """R = (λ/2m) Σ θ² over every weight but the bias weights θ⁽ˡ⁾ᵢ₀ (0 without regularization)."""
        if not self.regularization:
            return sp.S.Zero
        squares = sp.Add(
            *(
                self.theta(l, i, j) ** 2
                for l in range(1, self.L)
                for i in range(1, self.sizes[l] + 1)
                for j in range(1, self.sizes[l - 1] + 1)
            )
        )
        return self.lam / (2 * self.m) * squares

    def _cost_parts(self) -> tuple[sp.Expr, sp.Expr | None]:
        if self._cost is None:
            data = sp.Mul(sp.Pow(self.m, -1), sp.Add(*(self.loss(s) for s in self.sample_indices)))
            self._cost = (data, self.regularization_term if self.regularization else None)
        return self._cost

    @property
    def cost(self) -> sp.Expr:
        """J(Θ) = (1/m) Σₛ E(x⁽ˢ⁾, y⁽ˢ⁾) + (λ/2m) Σ θ², written out in Θ, x, y, m and λ.

        >>> print(Network([1, 1]).cost)
        lambda*theta^{(1)}_{11}**2/(2*m) + (-y*log(sigmoid(theta^{(1)}_{10} + theta^{(1)}_{11}*x_{1})) - (1 - y)*log(1 - sigmoid(theta^{(1)}_{10} + theta^{(1)}_{11}*x_{1})))/m
        """
        data, regular = self._cost_parts()
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
        local = _local_forms(self.activation.name, self.head.name, self.sizes[-1])
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

    # -- derivations --

    def gradients(self) -> "Gradients":
        """∂J/∂θ for every weight, by reverse mode with shared δ symbols.

        ∂J/∂θ⁽ˡ⁾ᵢⱼ = (1/m) Σₛ δ⁽ˡ⁺¹⁾ᵢ a⁽ˡ⁾ⱼ + (λ/m) θ⁽ˡ⁾ᵢⱼ (the last term only for j ≥ 1), each
        factor instantiated from a local derivative the core engine derived and proved once.
        Time and size grow linearly with the number of weights.

        >>> net = Network([2, 1], regularization=False)
        >>> net.gradients()[net.theta(1, 1, 0)]
        delta^{(2)}_{1}/m
        """
        return _gradients(self)

    def derive(self, theta: sp.Symbol, *, check: bool = True, timeout: float | None = None,
               memory_mb: int | None = 1024) -> Derivation:
        """The derivation of ∂J/∂θ for one weight, step by step as seed 001 writes it.

        The chain runs through h = σ(z) and z = Σθa; an output weight reaches (1/m)(a⁽ᴸ⁾ − y)·a,
        a hidden one the δ form (1/m) δ⁽ˡ⁺¹⁾ᵢ a⁽ˡ⁾ⱼ, plus (λ/m)θ when regularized and θ is not a
        bias weight. Every step's ``where`` holds the bindings it uses, and with ``check`` every
        step is proven. The first line is the cost written out, so proving the first steps
        costs about what ``sympy.diff`` of the cost costs: keep ``check`` for moderate depths.

        Layers above the one after θ enter as δ symbols, each a single ``delta`` step proven
        against its definition, so the derivation has the same length at any depth.

        Refused (:class:`LimitError`) past ``limits.max_derive_layers`` layers or
        ``limits.max_derive_weights`` weights. With ``timeout`` (seconds) the work runs in a
        worker process with that wall clock and ``memory_mb`` (see
        :func:`symderiv.limits.run_with_budget`).
        """
        self.limits.check("max_derive_layers", self.L, f"the network has {self.L} layers to write out")
        count = len(self.weights)
        self.limits.check("max_derive_weights", count, f"the network has {count} weights to write out")
        if timeout is not None:
            return run_with_budget(_derive, self, theta, check=check, timeout=timeout, memory_mb=memory_mb)
        return _derive(self, theta, check=check)

    def backprop(self, *, check: bool = True, timeout: float | None = None,
                 memory_mb: int | None = 1024) -> "Backprop":
        """The δ rules and the gradient in vector form, each matrix step proven entry by entry.

        δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, δ⁽ˡ⁾ = ((Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾)[1:] ⊙ a⁽ˡ⁾[1:] ⊙ (1 − a⁽ˡ⁾[1:]) (bias row
        dropped) and ∂J/∂Θ⁽ˡ⁾ = (1/m) δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ + (λ/m)[0 Θ⁽ˡ⁾[:, 1:]], with one column per
        sample. SymPy's own matrix algebra expands each side to its entries; the entries are
        proven as scalar steps.

        Refused (:class:`LimitError`) past ``limits.max_derive_layers`` layers or past
        ``limits.max_backprop_weights`` entries (weights times samples) to prove. ``timeout`` and
        ``memory_mb`` as in :meth:`derive`.
        """
        self.limits.check("max_derive_layers", self.L, f"the network has {self.L} layers to write out")
        entries = len(self.weights) * (self.samples or 1)
        self.limits.check(
            "max_backprop_weights", entries,
            f"the network has {len(self.weights)} weights × {self.samples or 1} samples to prove entry by entry",
        )
        if timeout is not None:
            return run_with_budget(_backprop, self, check=check, timeout=timeout, memory_mb=memory_mb)
        return _backprop(self, check=check)


def network(
    sizes: Sequence[int],
    *,
    activation: Any = sigmoid,
    loss: str = "cross_entropy",
    regularization: bool = True,
    samples: int | None = None,
    limits: WorkLimits | None = None,
    timeout: float | None = None,
    memory_mb: int | None = 1024,
) -> Network:
    """A fully connected network: ``sizes`` units per layer, input first, with bias units.

    ``activation`` is the hidden layers' g (``sd.sigmoid``, ``sympy.tanh`` or ``sd.relu``);
    ``loss`` picks the output and its loss (see :data:`LOSSES`): ``"cross_entropy"`` (sigmoid
    outputs), ``"mse"`` (sigmoid outputs, half the squared error) or
    ``"softmax_cross_entropy"``. ``regularization`` adds (λ/2m) Σ θ² without the bias weights.
    ``samples``: None for the seed's one sample with m a symbol, or the number of samples m.

    >>> import symderiv as sd
    >>> net = sd.network([2, 2, 1], activation=sd.sigmoid, loss="cross_entropy", regularization=True)
    >>> net
    network([2, 2, 1], activation=sigmoid, loss='cross_entropy')
    >>> len(net.weights)
    9

    Sizes are checked before anything is built, against ``limits`` (a
    :class:`~symderiv.limits.WorkLimits`; by default at most 32 layers, 64 units in a layer,
    2000 weights and 16 samples): past one, :class:`LimitError` naming it. With ``timeout``
    (seconds) the network is built in a worker process with that wall clock and ``memory_mb``.

    >>> sd.network([1000, 1000, 1000])
    Traceback (most recent call last):
    ...
    symderiv.errors.LimitError: a layer has 1000 units, more than max_layer_size = 64 allows (raise it with limits=WorkLimits(max_layer_size=...))
    """
    if timeout is not None:
        _check_sizes(tuple(sizes), samples, limits or DEFAULT_WORK_LIMITS)
        return run_with_budget(
            Network, sizes, activation=activation, loss=loss, regularization=regularization,
            samples=samples, limits=limits, timeout=timeout, memory_mb=memory_mb,
        )
    return Network(sizes, activation=activation, loss=loss, regularization=regularization,
                   samples=samples, limits=limits)


def _check_sizes(sizes: tuple[int, ...], samples: int | None, limits: WorkLimits) -> None:
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


# --- Size of expressions ------------------------------------------------------------------------


def tree_size(*exprs: sp.Basic) -> int:
    """Nodes of the expression trees, every repeated subexpression counted each time it appears
    (what printing the expressions would write), computed without walking the repeats.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> tree_size(sp.sin(x) + sp.cos(sp.sin(x)))
    6
    """
    sizes: dict[int, int] = {}
    for root in exprs:
        pending: list[tuple[sp.Basic, bool]] = [(root, False)]
        while pending:
            node, children_done = pending.pop()
            if id(node) in sizes:
                continue
            if children_done:
                sizes[id(node)] = 1 + sum(sizes[id(arg)] for arg in node.args)
                continue
            pending.append((node, True))
            pending.extend((arg, False) for arg in node.args if id(arg) not in sizes)
    return sum(sizes[id(root)] for root in exprs)


def dag_size(*exprs: sp.Basic) -> int:
    """Distinct nodes of the expressions: repeated subexpressions counted once.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> dag_size(sp.sin(x) + sp.cos(sp.sin(x)))
    4
    """
    return len(_nodes(exprs))


def _nodes(exprs: Iterable[sp.Basic]) -> set[sp.Basic]:
    seen: set[sp.Basic] = set()
    pending = list(exprs)
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        pending.extend(node.args)
    return seen


# --- Local derivatives, derived once by the core engine --------------------------------------


@dataclass(frozen=True)
class LocalForms:
    """The local derivatives reverse mode multiplies, each derived and proven by the core engine.

    ``derivations`` maps a name to its :class:`Derivation`; the methods instantiate the results
    for one unit: ``output`` (∂E/∂z⁽ᴸ⁾ₖ), ``slope`` (g'(z) in terms of a and z), ``by_weight``
    (∂z/∂θⱼ = aⱼ), ``by_input`` (∂z/∂aⱼ = θⱼ) and ``penalty`` (∂R/∂θ).
    """

    derivations: dict[str, Derivation]
    symbols: dict[str, sp.Symbol]
    output_forms: tuple[sp.Expr, ...]

    def _form(self, name: str) -> sp.Expr:
        return self.derivations[name].result

    def output(self, k: int, a: sp.Expr, y: sp.Expr) -> sp.Expr:
        s = self.symbols
        if "output" in self.derivations:  # one form for every unit of a sigmoid output
            return self.output_forms[0].xreplace({s["a"]: a, s["y"]: y})
        return self.output_forms[k - 1].xreplace({s[f"a{k}"]: a, s[f"y{k}"]: y})

    def slope(self, a: sp.Expr, z: sp.Expr) -> sp.Expr:
        s = self.symbols
        return self._form("slope").xreplace({s["a"]: a, s["z"]: z})

    def by_weight(self, a: sp.Expr) -> sp.Expr:
        s = self.symbols
        return self._form("by_weight").xreplace({s["v"]: a})

    def by_input(self, theta: sp.Expr) -> sp.Expr:
        s = self.symbols
        return self._form("by_input").xreplace({s["w"]: theta})

    def penalty(self, theta: sp.Expr, lam: sp.Expr, m: sp.Expr) -> sp.Expr:
        s = self.symbols
        return self._form("penalty").xreplace({s["w"]: theta, s["lambda"]: lam, s["m"]: m})


@lru_cache(maxsize=None)
def _local_forms(activation: str, head: str, classes: int) -> LocalForms:
    """Derive the local derivatives of one kind of network (cached: they do not depend on size)."""
    from ...calculus import engine

    a, y, z, v, w, b = sp.symbols("a y z v w b")
    lam, m = sp.symbols("lambda m")
    g = ACTIVATIONS[activation]
    derivations: dict[str, Derivation] = {}
    symbols = {"a": a, "y": y, "z": z, "v": v, "w": w, "b": b, "lambda": lam, "m": m}

    # g'(z), written with a = g(z) where the textbooks do: σ' = a(1 − a), tanh' = 1 − a².
    slope = engine.derive(g.function(z), z)
    if g.named:
        slope = _named(slope, {g.function(z): a})
    derivations["slope"] = slope
    derivations["by_weight"] = engine.derive(b + w * v, w)
    derivations["by_input"] = engine.derive(b + w * v, v)
    derivations["penalty"] = engine.derive(lam / (2 * m) * (w**2 + b**2), w)

    output_head = LOSSES[head]
    if output_head.output == "sigmoid":
        loss = output_head.loss([sigmoid(z)], [y])
        output = _named(engine.derive(loss, z), {sigmoid(z): a})
        derivations["output"] = output
        forms: tuple[sp.Expr, ...] = (output.result,)
    else:
        zs = sp.symbols(f"z1:{classes + 1}")
        ys = sp.symbols(f"y1:{classes + 1}")
        as_ = sp.symbols(f"a1:{classes + 1}")
        for index in range(classes):
            symbols[f"a{index + 1}"] = as_[index]
            symbols[f"y{index + 1}"] = ys[index]
        forms_list = []
        for k in range(1, classes + 1):
            derivation = _softmax_output(zs, ys, as_, k)
            derivations[f"output{k}"] = derivation
            forms_list.append(derivation.result)
        forms = tuple(forms_list)
    return LocalForms(derivations, symbols, forms)


def _named(derivation: Derivation, names: Mapping[sp.Expr, sp.Symbol]) -> Derivation:
    """``derivation`` (proven) with one more step: each activation g(z) written by its name a."""
    steps = list(derivation.steps)
    proofs = list(derivation.report.proofs) if derivation.report is not None else []
    current = derivation.result
    for value, name in names.items():
        after = current.xreplace({value: name})
        if after != current:
            step = Step("activation", current, after, where={name: value}, focus=(value, name),
                        detail={"names": {name: value}})
            steps.append(step)
            proofs.append(check_step(step, index=len(steps) - 1))
            current = after
    named = Derivation(expr=derivation.expr, wrt=derivation.wrt, steps=tuple(steps), strategy=derivation.strategy)
    if len(proofs) != len(steps):
        return named.with_report(check_derivation(named))
    return named.with_report(CheckReport(tuple(proofs)))


def _softmax_output(zs: Sequence[sp.Symbol], ys: Sequence[sp.Symbol], as_: Sequence[sp.Symbol], k: int) -> Derivation:
    """∂E/∂zₖ = aₖ − yₖ for the softmax with the categorical cross-entropy, Σ y = 1."""
    total = sp.Add(*(sp.exp(t) for t in zs))
    softmax = [sp.exp(t) / total for t in zs]
    loss = -sp.Add(*(y * sp.log(p) for y, p in zip(ys, softmax)))
    where = {ys[-1]: 1 - sp.Add(*ys[:-1])}
    for name, value in zip(as_, softmax):
        where[name] = value
    builder = _Builder(loss, zs[k - 1], where, [s.name for s in (*zs, *ys, *as_)])
    _softmax_delta(builder, builder.current, zs, ys, as_, k)
    _name_softmax(builder, zs, as_, [k])
    return builder.derivation(check=True)


# --- Writing a derivation step by step --------------------------------------------------------

_AUTO = object()


class _Builder:
    """One derivation in the making: each step rewrites the current expression.

    ``where`` holds every binding that may appear; each step keeps the ones it uses.
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

    def step(self, rule: str, after: sp.Expr, *, focus: Any = _AUTO, detail: Mapping[str, Any] | None = None) -> None:
        before = self.current
        if after == before:
            return
        if focus is _AUTO:
            focus = _focus(before, after)
        used = where_in_scope(self.where, before, after)
        self.steps.append(Step(rule, before, after, where=used, focus=focus, detail=dict(detail or {})))
        self.current = after

    def replace(self, rule: str, mapping: Mapping[sp.Expr, sp.Expr], *, detail: Mapping[str, Any] | None = None) -> None:
        """Rewrite parts of the current expression (each everywhere it stands)."""
        after = self.current.xreplace(dict(mapping))
        if after == self.current:
            raise AssertionError(f"{rule}: none of {list(mapping)} is in {self.current}")
        focus = next(iter(mapping.items())) if len(mapping) == 1 else _AUTO
        self.step(rule, after, focus=focus, detail=detail)

    def replace_factors(
        self, rule: str, factors: Sequence[sp.Expr], replacement: sp.Expr, *, detail: Mapping[str, Any] | None = None
    ) -> None:
        """Rewrite the product of ``factors``, found among the factors of one product."""
        node, rest = _find_product(self.current, factors)
        self.replace(rule, {node: sp.Mul(rest, replacement)}, detail=detail)

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

        The engine's names (u, v, ...) are renamed to names fresh in this derivation. Returns
        what ``node`` became.
        """
        from ...calculus import engine

        local = engine.derive(node.expr, node.variables[0], target_form=False, check=False)
        introduced: dict[sp.Symbol, sp.Expr] = {}
        for step in local.steps:
            introduced.update(step.where)
        rename = {name: self.names.fresh() for name in introduced}

        def renamed(value: Any) -> Any:
            if isinstance(value, sp.Basic):
                return value.xreplace(rename)
            if isinstance(value, Mapping):
                return {renamed(k): renamed(v) for k, v in value.items()}
            if isinstance(value, tuple):
                return tuple(renamed(item) for item in value)
            return value

        for name, value in introduced.items():
            self.where[rename[name]] = renamed(value)
        for step in local.steps:
            detail = renamed(dict(step.detail))
            if step.focus is not None and isinstance(step.focus[0], sp.Derivative):
                part, replacement = renamed(step.focus)
                if self.current.xreplace({part: replacement}) != self.current:
                    self.replace(step.rule, {part: replacement}, detail=detail)
                    continue
            if step.rule == "substitute":
                names = {rename[n]: self.where[rename[n]] for n in step.where}
                self.step("substitute", resolve_where(self.current, names), detail=detail)
                continue
            before, after = renamed(step.before), renamed(step.after)
            moved = self.current.xreplace({before: after})
            if moved != self.current:
                self.step(step.rule, moved, focus=(before, after), detail=detail)
            elif _rebuilt(before) != _rebuilt(after):
                raise AssertionError(f"cannot replay the step {step.rule}: {before} = {after}")
        return _rebuilt(renamed(local.result))

    def derivation(self, *, check: bool, digits: int = 30) -> Derivation:
        derivation = Derivation(expr=self.expr, wrt=self.wrt, steps=tuple(self.steps), strategy="network")
        if check:
            derivation = derivation.with_report(check_derivation(derivation, digits=digits))
        return derivation


def _rebuilt(expr: sp.Basic) -> sp.Basic:
    """``expr`` rebuilt with SymPy's usual evaluation."""
    if not expr.args or isinstance(expr, (sp.Symbol, sp.Number)):
        return expr
    return expr.func(*(_rebuilt(arg) for arg in expr.args))


def _focus(before: sp.Expr, after: sp.Expr) -> tuple[sp.Expr, sp.Expr] | None:
    """The smallest part of ``before`` that the step rewrote, with what it became."""
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


def _contains(expr: sp.Basic, part: sp.Basic) -> bool:
    """Whether ``part`` stands somewhere in ``expr`` as a whole subexpression."""
    return part in _nodes([expr])


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


# --- One weight, as seed 001 writes it ---------------------------------------------------------


def _derive(net: Network, theta: sp.Symbol, *, check: bool) -> Derivation:
    l, i, j = net.locate(theta)
    target = l + 1
    data, regular = net._cost_parts()
    taken = {s.name for s in symbols_of([net.cost])} | {s.name for s in net.bindings}
    builder = _Builder(net.cost, theta, net.bindings, taken)
    if regular is not None:
        # The regularization term first, as the seed sets it aside: the lines below stay short.
        builder.step("sum", sp.Add(sp.Derivative(data, theta), sp.Derivative(regular, theta)))
        penalty = net.lam * theta / net.m if j != 0 else sp.S.Zero
        builder.replace("regularization", {sp.Derivative(regular, theta): penalty}, detail={"bias": j == 0})
    constant, inner = data.as_independent(theta, as_Add=False)
    builder.replace(
        "constant_multiple",
        {sp.Derivative(data, theta): sp.Mul(constant, sp.Derivative(inner, theta))},
        detail={"constant": constant, "constants": tuple(sorted(constant.free_symbols, key=str))},
    )
    # One sum per sample: the samples' losses are separate terms.
    parts = _per_sample_parts(net, inner)
    if len(parts) > 1:
        builder.replace(
            "sum",
            {sp.Derivative(inner, theta): sp.Add(*(sp.Derivative(part, theta) for _, part in parts))},
        )
    for sample, part in parts:
        if target == net.L:
            _output_weight(net, builder, part, theta, i, j, sample)
        else:
            _hidden_weight(net, builder, part, theta, l, i, j, sample)
    return builder.derivation(check=check)


def _per_sample_parts(net: Network, inner: sp.Expr) -> list[tuple[int, sp.Expr]]:
    """The part of ``inner`` (the cost's data term without its constant) for each sample."""
    if len(net.sample_indices) == 1:
        return [(1, inner)]
    terms = set(sp.Add.make_args(inner))
    parts = []
    for s in net.sample_indices:
        own = [t for t in sp.Add.make_args(net.loss(s)) if t in terms]
        parts.append((s, sp.Add(*own)))
    if sp.Add(*(p for _, p in parts)) != inner:
        raise AssertionError("the samples' losses do not make up the cost")
    return parts


def _in_outputs(net: Network, part: sp.Expr, sample: int) -> sp.Expr:
    """``part`` written with the output activations a⁽ᴸ⁾ₖ as names."""
    return part.xreplace({net.explicit(net.a(net.L, k, sample)): net.a(net.L, k, sample)
                          for k in range(1, net.sizes[-1] + 1)})


def _in_layer(net: Network, part: sp.Expr, layer: int, sample: int) -> sp.Expr:
    """``part`` written with the pre-activations z⁽ˡ⁾ of ``layer`` as names."""
    return part.xreplace({net.explicit(net.z(layer, k, sample)): net.z(layer, k, sample)
                          for k in range(1, net.sizes[layer - 1] + 1)})


def _output_error(net: Network, part: sp.Expr, k: int, sample: int) -> sp.Expr:
    """∂(part)/∂z⁽ᴸ⁾ₖ as the chain writes it: through aₖ = σ(zₖ), or directly for a softmax."""
    z = net.z(net.L, k, sample)
    if net.head.output == "softmax":
        return sp.Derivative(_in_layer(net, part, net.L, sample), z)
    a = net.a(net.L, k, sample)
    return sp.Mul(sp.Derivative(_in_outputs(net, part, sample), a), sp.Derivative(sigmoid(z), z), evaluate=False)


def _outputs_z(net: Network, sample: int) -> list[sp.Symbol]:
    return [net.z(net.L, k, sample) for k in range(1, net.sizes[-1] + 1)]


def _outputs_a(net: Network, sample: int) -> list[sp.Symbol]:
    return [net.a(net.L, k, sample) for k in range(1, net.sizes[-1] + 1)]  # type: ignore[misc]


def _resolve_output_error(net: Network, builder: _Builder, part: sp.Expr, k: int, sample: int) -> sp.Expr | None:
    """Take the derivatives of ``_output_error``: the loss in a, σ' (then σ(z) = a).

    Returns what ∂E/∂aₖ became (None for a softmax, whose error comes out as aₖ − yₖ).
    """
    z, a = net.z(net.L, k, sample), net.a(net.L, k, sample)
    if net.head.output == "softmax":
        zs, ys, as_ = _outputs_z(net, sample), net._targets(sample), _outputs_a(net, sample)
        _softmax_delta(builder, sp.Derivative(_in_layer(net, part, net.L, sample), z), zs, ys, as_, k)
        return None  # e^{zₖ}/Σe^{z} is named aₖ by the caller, once every zₖ is done
    bracket = builder.embed(sp.Derivative(_in_outputs(net, part, sample), a))
    builder.embed(sp.Derivative(sigmoid(z), z))
    builder.replace("activation", {sigmoid(z): a}, detail={"names": {a: sigmoid(z)}})
    return bracket.xreplace({sigmoid(z): a})


def _simplify_output_error(net: Network, builder: _Builder, bracket: sp.Expr | None, k: int, sample: int) -> sp.Expr:
    """Bring ∂E/∂a · a(1 − a) to the head's δ form, as the seed does; returns that form."""
    a, y = net.a(net.L, k, sample), net.y(k, sample)
    local = _local_forms(net.activation.name, net.head.name, net.sizes[-1])
    target = local.output(k, a, y)
    if bracket is None or not bracket.is_Add:
        return target
    if not _contains(builder.current, bracket):
        return target  # already in its form: SymPy cancelled it while the names went back
    if net.head.name == "cross_entropy":
        # [−y/a + (1 − y)/(1 − a)]·a(1 − a) = −y(1 − a) + (1 − y)a = a − y
        spread = sp.Add(*(term * a * (1 - a) for term in sp.Add.make_args(bracket)))
        builder.replace_factors("simplify", [bracket, a, 1 - a], spread)
        builder.replace_terms("expand", sp.Add.make_args(spread), sp.expand(spread))
    elif sp.factor_terms(bracket) != bracket:
        # 2a − 2y = 2(a − y): the 2 the square brought down cancels the 1/2 in front
        builder.replace("factor", {bracket: sp.factor_terms(bracket)})
    return target


def _output_weight(net: Network, builder: _Builder, part: sp.Expr, theta: sp.Symbol, i: int, j: int, sample: int) -> None:
    """∂/∂θ⁽ᴸ⁻¹⁾ᵢⱼ of one sample's loss: chain through aᵢ and zᵢ, then (a − y)·aⱼ."""
    L = net.L
    z = net.z(L, i, sample)
    by_theta = sp.Derivative(net.binding(z), theta)
    chain = sp.Mul(_output_error(net, part, i, sample), by_theta, evaluate=False)
    introduces = {z: net.binding(z)}
    if net.head.output != "softmax":
        introduces = {net.a(L, i, sample): sigmoid(z), **introduces}
    builder.replace(
        "chain",
        {sp.Derivative(part, theta): chain},
        detail={"introduces": introduces, "outer": part, "inner": net.binding(z)},
    )
    bracket = _resolve_output_error(net, builder, part, i, sample)
    if net.head.output == "softmax":
        _name_softmax(builder, _outputs_z(net, sample), _outputs_a(net, sample), [i])
    builder.replace("weighted_sum", {by_theta: net.a(L - 1, j, sample)})
    _simplify_output_error(net, builder, bracket, i, sample)


def _hidden_weight(
    net: Network, builder: _Builder, part: sp.Expr, theta: sp.Symbol, l: int, i: int, j: int, sample: int
) -> None:
    """∂/∂θ⁽ˡ⁾ᵢⱼ for a hidden unit: the chain summed over the next layer, then δ."""
    t = l + 1
    upper = net.sizes[t]
    z = net.z(t, i, sample)
    a = net.a(t, i, sample)
    g = net.activation.function
    errors: list[sp.Expr] = []
    for k in range(1, upper + 1):
        if t + 1 == net.L:
            errors.append(_output_error(net, part, k, sample))
        else:
            errors.append(sp.Derivative(_in_layer(net, part, t + 1, sample), net.z(t + 1, k, sample)))
    links = [sp.Derivative(net.binding(net.z(t + 1, k, sample)), a) for k in range(1, upper + 1)]
    slope = sp.Derivative(g(z), z)
    by_theta = sp.Derivative(net.binding(z), theta)
    backward = sp.Add(*(sp.Mul(e, link, evaluate=False) for e, link in zip(errors, links)), evaluate=False)
    chain = sp.Mul(backward, slope, by_theta, evaluate=False)
    introduces = {net.z(t + 1, k, sample): net.binding(net.z(t + 1, k, sample)) for k in range(1, upper + 1)}
    introduces.update({a: g(z), z: net.binding(z)})
    builder.replace(
        "backprop",
        {sp.Derivative(part, theta): chain},
        detail={"introduces": introduces, "inner": net.binding(z)},
    )
    deltas = [net.delta(t + 1, k, sample) for k in range(1, upper + 1)]
    if t + 1 < net.L:
        # ∂E/∂z⁽ᵗ⁺¹⁾ₖ is δ⁽ᵗ⁺¹⁾ₖ: the same rule one layer up (the derivation of a weight there).
        builder.replace("delta", dict(zip(errors, deltas)), detail={"names": {d: net.binding(d) for d in deltas}})
    brackets: list[sp.Expr | None] = []
    if t + 1 == net.L:
        for k in range(1, upper + 1):
            brackets.append(_resolve_output_error(net, builder, part, k, sample))
        if net.head.output == "softmax":
            _name_softmax(builder, _outputs_z(net, sample), _outputs_a(net, sample), range(1, upper + 1))
    for k in range(1, upper + 1):
        builder.replace("weighted_sum", {links[k - 1]: net.theta(t, k, i)})
    builder.embed(slope)
    if net.activation.named:
        builder.replace("activation", {g(z): a}, detail={"names": {a: g(z)}})
    builder.replace("weighted_sum", {by_theta: net.a(l, j, sample)})
    if t + 1 == net.L:
        for k in range(1, upper + 1):
            form = _simplify_output_error(net, builder, brackets[k - 1], k, sample)
            delta = deltas[k - 1]
            if form.is_Mul:
                builder.replace_factors("delta", sp.Mul.make_args(form), delta, detail={"names": {delta: form}})
            else:
                builder.replace("delta", {form: delta}, detail={"names": {delta: form}})
    # (Σₖ θₖᵢ δₖ)·g'(zᵢ) is δᵢ of this layer.
    local = _local_forms(net.activation.name, net.head.name, net.sizes[-1])
    back = sp.Add(*(local.by_input(net.theta(t, k, i)) * deltas[k - 1] for k in range(1, upper + 1)))
    factors = [*sp.Mul.make_args(back), *sp.Mul.make_args(local.slope(a, z))]
    delta = net.delta(t, i, sample)
    builder.replace_factors("delta", factors, delta, detail={"names": {delta: net.binding(delta)}})


def _softmax_delta(
    builder: _Builder,
    node: sp.Derivative,
    zs: Sequence[sp.Symbol],
    ys: Sequence[sp.Symbol],
    as_: Sequence[sp.Symbol],
    k: int,
) -> None:
    """d/dzₖ of −Σ yⱼ log softmaxⱼ(z): log softmax = z − log Σe^z, Σy = 1, then aₖ − yₖ."""
    total = sp.Add(*(sp.exp(t) for t in zs))
    inner = node.expr
    logs = {sp.log(sp.exp(t) / total): t - sp.log(total) for t in zs}
    split = inner.xreplace(logs)
    builder.replace("log_softmax", {node: sp.Derivative(split, node.variables[0])})
    summed = sp.log(total) - sp.Add(*(y * t for y, t in zip(ys, zs)))
    builder.replace("targets_sum_to_one", {sp.Derivative(split, node.variables[0]): sp.Derivative(summed, node.variables[0])},
                    detail={"names": {ys[-1]: 1 - sp.Add(*ys[:-1])}})
    builder.embed(sp.Derivative(summed, node.variables[0]))


def _name_softmax(builder: _Builder, zs: Sequence[sp.Symbol], as_: Sequence[sp.Symbol], ks: Sequence[int]) -> None:
    """Write e^{zₖ}/Σⱼ e^{zⱼ} as aₖ, once no derivative with respect to a z is left to take."""
    total = sp.Add(*(sp.exp(t) for t in zs))
    names = {sp.exp(zs[k - 1]) / total: as_[k - 1] for k in ks}
    builder.replace("activation", names, detail={"names": {a: value for value, a in names.items()}})


# --- Every weight by reverse mode ----------------------------------------------------------------


class Gradients(Mapping[sp.Symbol, sp.Expr]):
    """∂J/∂θ for every weight θ, written with the shared δ symbols.

    A read-only mapping weight → expression. ``bindings`` defines every z, a and δ (with them
    the expressions are plain functions of Θ, x, y, m and λ); ``local`` holds the proven
    derivations of the local derivatives the expressions are built from.
    """

    def __init__(self, network: Network, gradients: dict[sp.Symbol, sp.Expr], local: LocalForms):
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
        """The definitions of z, a and δ (see :attr:`Network.bindings`)."""
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
        from ...proof.numeric import evaluate

        known: dict[sp.Symbol, Any] = dict(values)
        for name, definition in self.bindings.items():
            if name not in known:
                known[name] = evaluate(definition, known, digits=digits)
        return {theta: evaluate(expr, known, digits=digits) for theta, expr in self._gradients.items()}

    def __repr__(self) -> str:
        return f"<Gradients of {len(self)} weights of {self.network!r}>"


def _gradients(net: Network) -> Gradients:
    local = _local_forms(net.activation.name, net.head.name, net.sizes[-1])
    net._all_bindings()  # the δ definitions, made once
    gradients: dict[sp.Symbol, sp.Expr] = {}
    inverse = sp.Pow(net.m, -1)
    for l in range(1, net.L):
        for i in range(1, net.sizes[l] + 1):
            for j in range(0, net.sizes[l - 1] + 1):
                theta = net.theta(l, i, j)
                terms = [net.delta(l + 1, i, s) * local.by_weight(net.a(l, j, s)) for s in net.sample_indices]
                gradient = inverse * sp.Add(*terms)
                if net.regularization and j != 0:
                    gradient = gradient + local.penalty(theta, net.lam, net.m)
                gradients[theta] = gradient
    return Gradients(net, gradients, local)


# --- The δ rules in vector form --------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixStep:
    """One equality between matrix expressions, proven entry by entry.

    ``elements`` are the scalar steps, one per entry in row-major order: SymPy's matrix algebra
    writes each side out entry by entry, and each entry equality is proven like any step.
    """

    rule: str
    before: sp.Basic
    after: sp.Basic
    elements: tuple[Step, ...]
    proofs: tuple[StepProof, ...] = ()


@dataclass(frozen=True)
class MatrixDerivation:
    """One rule in vector form: ``name`` = ``steps[0].before`` = … = ``result``."""

    name: sp.Basic
    steps: tuple[MatrixStep, ...]

    @property
    def result(self) -> sp.Basic:
        return self.steps[-1].after

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(step.rule for step in self.steps)


@dataclass(frozen=True)
class Backprop:
    """The δ rules and the gradient of every weight matrix, in vector form.

    ``derivations`` holds δ⁽ᴸ⁾, δ⁽ᴸ⁻¹⁾, …, δ⁽²⁾, then ∂J/∂Θ⁽ᴸ⁻¹⁾, …, ∂J/∂Θ⁽¹⁾; ``local``
    the proven derivations of the local derivatives each entry of δ⁽ᴸ⁾ and g' rests on.
    """

    network: Network
    derivations: tuple[MatrixDerivation, ...]
    local: dict[str, Derivation]
    checked: bool

    @property
    def rules(self) -> tuple[tuple[sp.Basic, sp.Basic], ...]:
        """Each rule as (name, final form)."""
        return tuple((d.name, d.result) for d in self.derivations)

    @property
    def steps(self) -> tuple[MatrixStep, ...]:
        return tuple(step for d in self.derivations for step in d.steps)

    def to_text(self) -> str:
        """The rules as plain text, one equality per line with its rule id."""
        lines = []
        for derivation in self.derivations:
            first = derivation.steps[0].before
            if derivation.name == first:
                lines.append(_matrix_text(first))
            else:
                lines.append(f"{_matrix_text(derivation.name)} = {_matrix_text(first)}")
            for step in derivation.steps:
                proven = f", {len(step.proofs)} entries proven" if step.proofs else ""
                lines.append(f"    = {_matrix_text(step.after)}    [{step.rule}{proven}]")
        return "\n".join(lines)

    def to_latex(self, lang: str = "en") -> str:
        """The rules as one LaTeX ``align*`` block, each step with its rule's name in ``lang``."""
        printer = _MatrixLatex()
        rows = []
        for derivation in self.derivations:
            first = derivation.steps[0].before
            if derivation.name == first:
                rows.append(f"{printer.doprint(first)} &= {printer.doprint(derivation.steps[0].after)} "
                            f"&& \\text{{{_rule_words(derivation.steps[0].rule, lang)}}}")
                later = derivation.steps[1:]
            else:
                rows.append(f"{printer.doprint(derivation.name)} &= {printer.doprint(first)}")
                later = derivation.steps
            for step in later:
                rows.append(f"&= {printer.doprint(step.after)} && \\text{{{_rule_words(step.rule, lang)}}}")
        return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"

    def __str__(self) -> str:
        return self.to_text()


def _rule_words(rule: str, lang: str) -> str:
    """The rule's name in ``lang`` for a LaTeX ``\\text{}``, or its id when no catalog names it."""
    try:
        from ...locales import rule_name
        from ...render.names import tex_text

        return tex_text(rule_name(rule, lang))
    except (ImportError, KeyError):
        return rule.replace("_", " ")


class _Matrices:
    """The network's matrices as SymPy matrix symbols, and their entries as the scalar symbols."""

    def __init__(self, net: Network):
        self.net = net
        self.n = len(net.sample_indices)
        self.leaves: dict[sp.MatrixSymbol, sp.ImmutableMatrix] = {}
        self.derivatives: dict[sp.Dummy, sp.Expr] = {}

    def matrix(self, name: str, rows: int, cols: int, entry: Callable[[int, int], sp.Expr]) -> sp.MatrixSymbol:
        """The matrix symbol ``name`` and, the first time, its entries."""
        symbol = sp.MatrixSymbol(name, rows, cols)
        if symbol not in self.leaves:
            self.leaves[symbol] = sp.ImmutableMatrix(rows, cols, lambda r, c: entry(r, c))
        return symbol

    def derivative(self, name: str, rows: int, cols: int, entry: Callable[[int, int], sp.Expr]) -> sp.MatrixSymbol:
        """A matrix of derivatives: its entries stand in as placeholders while matrices multiply."""

        def placeholder(r: int, c: int) -> sp.Expr:
            dummy = sp.Dummy(f"d{r}_{c}")
            self.derivatives[dummy] = entry(r, c)
            return dummy

        return self.matrix(name, rows, cols, placeholder)

    # the network's matrices
    def theta(self, l: int) -> sp.MatrixSymbol:
        net = self.net
        return self.matrix(
            f"Theta^({l})", net.sizes[l], net.sizes[l - 1] + 1,
            lambda r, c: net.theta(l, r + 1, c),
        )

    def a(self, l: int) -> sp.MatrixSymbol:
        net = self.net
        bias = 1 if l < net.L else 0
        return self.matrix(
            f"a^({l})", net.sizes[l - 1] + bias, self.n,
            lambda r, c: net.a(l, r + 1 - bias, c + 1),
        )

    def z(self, l: int) -> sp.MatrixSymbol:
        net = self.net
        return self.matrix(f"z^({l})", net.sizes[l - 1], self.n, lambda r, c: net.z(l, r + 1, c + 1))

    def y(self) -> sp.MatrixSymbol:
        net = self.net
        return self.matrix("y", net.sizes[-1], self.n, lambda r, c: net.y(r + 1, c + 1))

    def delta(self, l: int) -> sp.MatrixSymbol:
        net = self.net
        return self.matrix(
            f"delta^({l})", net.sizes[l - 1], self.n, lambda r, c: net.delta(l, r + 1, c + 1)
        )

    def dE_dz(self, l: int) -> sp.MatrixSymbol:
        net = self.net
        losses = {s: net.loss_from(l, s) for s in net.sample_indices}
        return self.derivative(
            f"dE/dz^({l})", net.sizes[l - 1], self.n,
            lambda r, c: sp.Derivative(losses[c + 1], net.z(l, r + 1, c + 1)),
        )

    def dJ_dtheta(self, l: int, which: str) -> sp.MatrixSymbol:
        net = self.net
        function = {
            "J": net.cost,
            "E": sp.Add(*(net.loss(s) for s in net.sample_indices)),
            "R": net.regularization_term,
        }[which]
        return self.derivative(
            f"d{which}/dTheta^({l})", net.sizes[l], net.sizes[l - 1] + 1,
            lambda r, c: sp.Derivative(function, net.theta(l, r + 1, c)),
        )

    def entries(self, expr: sp.Basic) -> sp.ImmutableMatrix:
        """``expr`` written out entry by entry by SymPy's matrix algebra."""
        explicit = expr.xreplace(dict(self.leaves))
        matrix = sp.ImmutableMatrix(explicit.as_explicit()) if not isinstance(explicit, sp.MatrixBase) else explicit
        return matrix.xreplace(self.derivatives)


def _slope_matrix(net: Network, mats: _Matrices, l: int) -> sp.Basic:
    """g'(z⁽ˡ⁾) entry by entry, as the derivative rule writes it in g: σ(z) ⊙ (1 − σ(z)), ..."""
    z = mats.z(l)
    ones = sp.OneMatrix(*z.shape)
    name = net.activation.name
    if name == "sigmoid":
        s = ElementwiseApplyFunction(sigmoid, z)
        return sp.HadamardProduct(s, ones - s)
    if name == "tanh":
        s = ElementwiseApplyFunction(sp.tanh, z)
        return ones - sp.HadamardProduct(s, s)
    t = sp.Dummy("t")
    return ElementwiseApplyFunction(sp.Lambda(t, sp.Heaviside(t, 0)), z)


def _slope_in_a(net: Network, mats: _Matrices, l: int) -> sp.Basic:
    a = mats.a(l)[1:, :]
    ones = sp.OneMatrix(*a.shape)
    if net.activation.name == "sigmoid":
        return sp.HadamardProduct(a, ones - a)
    return ones - sp.HadamardProduct(a, a)


def _output_matrix(net: Network, mats: _Matrices) -> sp.Basic:
    a, y = mats.a(net.L), mats.y()
    if net.head.name == "mse":
        return sp.HadamardProduct(a - y, a, sp.OneMatrix(*a.shape) - a)
    return a - y


def _backprop(net: Network, *, check: bool) -> Backprop:
    mats = _Matrices(net)
    where = net.bindings
    L = net.L
    derivations: list[MatrixDerivation] = []

    def chain(name: sp.Basic, *forms: tuple[str, sp.Basic]) -> None:
        steps = []
        for (_, before), (rule, after) in zip(forms, forms[1:]):
            steps.append(_matrix_step(mats, where, rule, before, after, check=check, index=len(derivations)))
        derivations.append(MatrixDerivation(name, tuple(steps)))

    chain(mats.delta(L), ("", mats.dE_dz(L)), ("output_delta", _output_matrix(net, mats)))
    for l in range(L - 1, 1, -1):
        back_z = (mats.theta(l).T * mats.dE_dz(l + 1))[1:, :]
        back_d = (mats.theta(l).T * mats.delta(l + 1))[1:, :]
        forms = [
            ("", mats.dE_dz(l)),
            ("backprop", sp.HadamardProduct(back_z, _slope_matrix(net, mats, l))),
            ("delta", sp.HadamardProduct(back_d, _slope_matrix(net, mats, l))),
        ]
        if net.activation.named:
            forms.append(("activation", sp.HadamardProduct(back_d, _slope_in_a(net, mats, l))))
        chain(mats.delta(l), *forms)
    inverse = 1 / net.m
    for l in range(L - 1, 0, -1):
        theta = mats.theta(l)
        penalty: sp.Basic = sp.ZeroMatrix(*theta.shape)
        regular: sp.Basic = sp.ZeroMatrix(*theta.shape)
        if net.regularization:
            regular = mats.dJ_dtheta(l, "R")
            penalty = (net.lam / net.m) * sp.BlockMatrix([[sp.ZeroMatrix(theta.shape[0], 1), theta[:, 1:]]])
        dJ = mats.dJ_dtheta(l, "J")
        forms = [("", dJ)]
        if net.regularization:
            forms.append(("sum", inverse * mats.dJ_dtheta(l, "E") + regular))
        else:
            forms.append(("constant_multiple", inverse * mats.dJ_dtheta(l, "E")))
        outer = inverse * mats.dE_dz(l + 1) * mats.a(l).T
        forms.append(("matrix_elementwise", outer + regular if net.regularization else outer))
        product = inverse * mats.delta(l + 1) * mats.a(l).T
        forms.append(("delta", product + regular if net.regularization else product))
        if net.regularization:
            forms.append(("regularization", product + penalty))
        chain(dJ, *forms)
    local = _local_forms(net.activation.name, net.head.name, net.sizes[-1])
    return Backprop(net, tuple(derivations), dict(local.derivations), check)


def _matrix_step(
    mats: _Matrices, where: Mapping[sp.Symbol, sp.Expr], rule: str, before: sp.Basic, after: sp.Basic,
    *, check: bool, index: int,
) -> MatrixStep:
    left, right = mats.entries(before), mats.entries(after)
    if left.shape != right.shape:
        raise AssertionError(f"{rule}: shapes differ, {left.shape} against {right.shape}")
    elements = []
    proofs = []
    for r in range(left.rows):
        for c in range(left.cols):
            b, a = left[r, c], right[r, c]
            if b == a:
                continue
            step = Step(rule, b, a, where=where_in_scope(where, b, a), focus=_focus(b, a),
                        detail={"entry": (r, c)})
            elements.append(step)
            if check:
                proofs.append(check_step(step, index=index * 1000 + r * left.cols + c))
    return MatrixStep(rule, before, after, tuple(elements), tuple(proofs))


def _matrix_text(expr: sp.Basic) -> str:
    return _MatrixText().doprint(expr)


def _function_name(function: Any) -> str:
    """σ, tanh or H: the name an elementwise function is printed with."""
    if isinstance(function, sp.Lambda):
        function = function.expr.func
    if function is sigmoid:
        return "σ"
    if function is sp.Heaviside:
        return "H"
    return str(getattr(function, "__name__", function))


def _positive_first(args: Sequence[sp.Basic]) -> list[sp.Basic]:
    """Terms of a sum with those that carry a minus sign last: 1 − a rather than −a + 1."""
    return sorted(args, key=lambda arg: arg.could_extract_minus_sign())


class _MatrixText(StrPrinter):
    """Matrix expressions as text: σ(z^(2)) for an elementwise σ, ⊙ for the Hadamard product."""

    def _print_ElementwiseApplyFunction(self, expr: Any) -> str:
        return f"{_function_name(expr.function)}({self._print(expr.expr)})"

    def _print_HadamardProduct(self, expr: Any) -> str:
        return " ⊙ ".join(self.parenthesize(arg, 50) for arg in expr.args)

    def _print_MatAdd(self, expr: Any) -> str:
        text = ""
        for index, arg in enumerate(_positive_first(expr.args)):
            if arg.could_extract_minus_sign():
                text += " - " + self.parenthesize(-arg, 45) if index else "-" + self.parenthesize(-arg, 45)
            else:
                text += (" + " if index else "") + self._print(arg)
        return text

    def _print_HadamardPower(self, expr: Any) -> str:
        base = self.parenthesize(expr.base, 50)
        return " ⊙ ".join([base] * int(expr.exp)) if expr.exp.is_Integer and expr.exp > 0 else f"{base}^∘{expr.exp}"

    def _print_OneMatrix(self, expr: Any) -> str:
        return "1"

    def _print_BlockMatrix(self, expr: Any) -> str:
        rows = ["  ".join(self._print(block) for block in row) for row in expr.blocks.tolist()]
        return "[" + "; ".join(rows) + "]"

    def _print_ZeroMatrix(self, expr: Any) -> str:
        return "0"


class _MatrixLatex(LatexPrinter):
    """Matrix expressions as LaTeX, with the network's names."""

    _names = {"Theta": "\\Theta", "a": "a", "z": "z", "delta": "\\delta", "y": "y"}

    def _print_MatrixSymbol(self, expr: Any) -> str:
        name = str(expr.name)
        if name.startswith("d") and "/d" in name:
            top, bottom = name[1:].split("/d", 1)
            base, _, layer = bottom.partition("^")
            base = self._names.get(base, base)
            return f"\\frac{{\\partial {top}}}{{\\partial {base}^{{{layer}}}}}"
        base, _, layer = name.partition("^")
        base = self._names.get(base, base)
        return f"{base}^{{{layer}}}" if layer else base

    def _print_ElementwiseApplyFunction(self, expr: Any) -> str:
        name = {"σ": "\\sigma", "tanh": "\\tanh", "H": "H"}.get(_function_name(expr.function), "g")
        return f"{name}\\left({self._print(expr.expr)}\\right)"

    def _print_MatAdd(self, expr: Any) -> str:
        text = ""
        for index, arg in enumerate(_positive_first(expr.args)):
            if arg.could_extract_minus_sign():
                text += " - " + self.parenthesize(-arg, 45)
            else:
                text += (" + " if index else "") + self._print(arg)
        return text

    def _print_OneMatrix(self, expr: Any) -> str:
        return "1"


# --- Command line ------------------------------------------------------------------------------


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """``symderiv network 2 2 1 --weight 2,1,2``: derive ∂J/∂θ for one weight of a network."""
    command = subparsers.add_parser(
        "network",
        help="derive the gradient of a network's cost for one weight, or the δ rules",
        description=(
            "Derive ∂J/∂θ for one weight of a fully connected network step by step (seed 001), "
            "or with --backprop the δ rules in vector form. Every step is proven."
        ),
    )
    command.add_argument("sizes", nargs="+", type=int, help="units per layer, input first, e.g. 2 2 1")
    command.add_argument("--weight", default=None, help="l,i,j of the weight θ⁽ˡ⁾ᵢⱼ (default: the seed's 2,1,2 or the last weight)")
    command.add_argument("--activation", default="sigmoid", choices=sorted(ACTIVATIONS))
    command.add_argument("--loss", default="cross_entropy", choices=sorted(LOSSES))
    command.add_argument("--no-regularization", action="store_true", help="leave out (λ/2m) Σ θ²")
    command.add_argument("--samples", type=int, default=None, help="count the samples (default: one, m a symbol)")
    command.add_argument("--backprop", action="store_true", help="print the δ rules in vector form instead")
    command.add_argument("--lang", default="en", choices=("en", "ja", "zh", "ko"))
    command.set_defaults(handler=_command)


def _command(args: argparse.Namespace) -> int:
    net = network(
        args.sizes,
        activation=args.activation,
        loss=args.loss,
        regularization=not args.no_regularization,
        samples=args.samples,
    )
    if args.backprop:
        print(net.backprop().to_text())
        return 0
    if args.weight is None:
        weight = net.theta(2, 1, 2) if tuple(net.sizes[:3]) == (2, 2, 1) else net.weights[-1]
    else:
        try:
            l, i, j = (int(part) for part in args.weight.split(","))
        except ValueError:
            raise NetworkError(f"--weight takes l,i,j (three integers), got {args.weight!r}") from None
        weight = net.theta(l, i, j)
    derivation = net.derive(weight)
    print(_derivation_text(derivation, args.lang))
    return 0


def _derivation_text(derivation: Derivation, lang: str) -> str:
    """The derivation as text: the render helper's text format when it is there."""
    import importlib.util

    if importlib.util.find_spec("symderiv.render.text") is not None:
        return derivation.to_text(lang=lang)
    lines = [f"{derivation.steps[0].before}"]
    for number, step in enumerate(derivation.steps, start=1):
        lines.append(f"  = {step.after}    [{number}. {step.rule}]")
    return "\n".join(lines)
