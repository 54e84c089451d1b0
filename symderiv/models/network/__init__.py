r"""Layered networks: the regularized cost J(Θ), its gradient by backpropagation, the δ rules.

Seed 001 draws a three-layer sigmoid network, writes its cost

    J(Θ) = −(1/m) Σᵢ Σₖ [yₖ log hₖ + (1 − yₖ) log(1 − hₖ)] + (λ/2m) Σ θ²   (bias weights left out)

and derives by hand ∂J/∂θ²₁₂ = (1/m)(a³ − y)·a²₂, δ³ = a³ − y and δ² = (Θ²)ᵀδ³ ⊙ σ'(z²). This
module does the same for any list of layer sizes, every step proven:

- :meth:`Network.derive` writes ∂J/∂θ for one weight as the seed does: the chain rule through
  the named layers a⁽ˡ⁾, z⁽ˡ⁾ and δ⁽ˡ⁾, each factor derived in a sub-derivation, every step proven
  (``detail="full"``: every fine step in one flat chain);
- :meth:`Network.gradients` gives ∂J/∂θ for every weight by reverse mode: one δ symbol per
  pre-activation, shared by every weight that needs it, so the work grows linearly with depth
  (``sympy.diff`` of the written-out cost grows about threefold per layer);
- :meth:`Network.backprop` writes the δ rules in vector form, each matrix step proven entry by
  entry on the scalar expansion.

The package reads bottom up: :mod:`.kinds` (activations, heads, :class:`NetworkError`),
:mod:`.model` (symbols, forward pass, cost J, bindings), :mod:`.builder` (writing a derivation
step by step), :mod:`.local` and :mod:`.softmax` (the local derivatives, derived once),
:mod:`.factors` and :mod:`.textbook` (one weight through the named layers),
:mod:`.scalar` (one weight, every fine step), :mod:`.reverse` (every weight by reverse mode),
:mod:`.matrix` (the δ rules in vector form), :mod:`.measure` (expression sizes). Its command
is :mod:`symderiv.cli.network`; the matrix printers are :mod:`symderiv.render.matrix`.

Conventions (the seed's) are set out in :mod:`symderiv.models.network.model`.

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

from collections.abc import Sequence
from typing import Any

import sympy as sp

from ...core.derivation import Derivation
from ...core.functions import sigmoid
from ...errors import LimitError
from ...limits import DEFAULT_WORK_LIMITS, WorkLimits
from ...process_budget import run_within
from . import matrix, reverse, scalar, textbook
from .kinds import ACTIVATIONS, LOSSES, Activation, Head, NetworkError
from .matrix import Backprop, MatrixDerivation, MatrixStep
from .measure import dag_size, tree_size
from .model import Model, check_sizes
from .reverse import Gradients

#: The levels of detail :meth:`Network.derive` writes, and what each gives.
DETAILS: dict[str, str] = {
    "textbook": "the chain rule through the named layers, each factor derived below its line",
    "full": "every fine step in one flat chain, from the cost written out",
}

__all__ = [
    "ACTIVATIONS",
    "DETAILS",
    "LOSSES",
    "Activation",
    "Backprop",
    "Gradients",
    "Head",
    "MatrixDerivation",
    "MatrixStep",
    "Network",
    "NetworkError",
    "dag_size",
    "network",
    "tree_size",
]


class Network(Model):
    """A fully connected network with bias units, its cost J(Θ), its symbols and its derivations.

    Build one with :func:`network`. ``sizes`` lists the units of each layer, input first. The
    symbols, the forward pass, the cost and the bindings are the :class:`Model`'s; this class
    adds the three derivations of ∂J/∂θ.

    >>> net = Network([2, 2, 1])
    >>> net.L, net.weights[:3]
    (3, (theta^{(1)}_{10}, theta^{(1)}_{11}, theta^{(1)}_{12}))
    """

    def _repr_markdown_(self) -> str:
        """How Jupyter shows a network: its one-line repr, the forward pass (each z and a once)
        and the δ rules in vector form (unchecked here: ``net.backprop()`` proves them)."""
        from ...render.tex import to_tex

        rows = " \\\\\n".join(f"{to_tex(name)} &= {to_tex(value)}" for name, value in self.bindings.items())
        parts = [f"`{self!r}`", f"$$\\begin{{aligned}}\n{rows}\n\\end{{aligned}}$$"]
        try:
            rules = self.backprop(check=False).to_latex()
        except LimitError:
            rules = ""
        if rules:
            parts.append("$$" + rules.replace("align*", "aligned").replace("&&", "\\quad") + "$$")
        return "\n\n".join(parts)

    def gradients(self) -> Gradients:
        """∂J/∂θ for every weight, by reverse mode with shared δ symbols.

        ∂J/∂θ⁽ˡ⁾ᵢⱼ = (1/m) Σₛ δ⁽ˡ⁺¹⁾ᵢ a⁽ˡ⁾ⱼ + (λ/m) θ⁽ˡ⁾ᵢⱼ (the last term only for j ≥ 1), each
        factor instantiated from a local derivative the core engine derived and proved once.
        Time and size grow linearly with the number of weights.

        >>> net = Network([2, 1], regularization=False)
        >>> net.gradients()[net.theta(1, 1, 0)]
        delta^{(2)}_{1}/m
        """
        return reverse.gradients(self)

    def derive(self, theta: sp.Symbol, *, detail: str = "textbook", check: bool = True,
               timeout: float | None = None, memory_mb: int | None = 1024) -> Derivation:
        """The derivation of ∂J/∂θ for one weight, step by step as seed 001 writes it.

        ``detail="textbook"`` (the default) works on the layers, as the seed does: the chain
        rule through the named a⁽ˡ⁾ and z⁽ˡ⁾, ∂J/∂θ = (1/m)·∂E/∂a·∂a/∂z·∂z/∂θ + (λ/m)θ (through
        the next layer too for a hidden weight), each factor derived once in a sub-derivation
        (``step.substeps``), then the output's error simplified to a − y and, for a hidden
        weight, named δ. The cost is never written out: every activation θ does not reach
        stays a name (:func:`~symderiv.models.network.textbook.cost_in_names`), and each step's
        ``where`` holds the definitions it uses. ``detail="full"`` writes every fine step in one
        flat chain from the cost written out.

        Either way an output weight reaches (1/m)(a⁽ᴸ⁾ − y)·a, a hidden one the δ form
        (1/m) δ⁽ˡ⁺¹⁾ᵢ a⁽ˡ⁾ⱼ, plus (λ/m)θ when regularized and θ is not a bias weight; with
        ``check`` every step, and every step of every sub-derivation, is proven. Layers above
        the one after θ enter as δ symbols, each proven against its definition, so the
        derivation has the same length at any depth.

        Refused (:class:`LimitError`) past ``limits.max_derive_layers`` layers or
        ``limits.max_derive_weights`` weights. With ``timeout`` (seconds) the work runs in a
        worker process with that wall clock and ``memory_mb`` (see
        :func:`symderiv.limits.run_with_budget`).

        >>> net = Network([2, 2, 1])
        >>> d = net.derive(net.theta(1, 1, 2))
        >>> d.rules
        ('backprop', 'derivatives', 'expand', 'simplify', 'delta', 'delta')
        >>> d.result
        delta^{(2)}_{1}*x_{2}/m + lambda*theta^{(1)}_{12}/m
        """
        if detail not in DETAILS:
            raise NetworkError(f"unknown detail {detail!r}; choose one of: {', '.join(DETAILS)}")
        self.limits.check("max_derive_layers", self.L, f"the network has {self.L} layers to write out")
        count = len(self.weights)
        self.limits.check("max_derive_weights", count, f"the network has {count} weights to write out")
        self.locate(theta)  # a symbol that is no weight is refused here, before any work
        work = textbook.derive_weight_textbook if detail == "textbook" else scalar.derive_weight
        if timeout is not None:
            return run_within(work, self, theta, check=check, timeout=timeout, memory_mb=memory_mb)
        return work(self, theta, check=check)

    def backprop(self, *, check: bool = True, timeout: float | None = None,
                 memory_mb: int | None = 1024) -> Backprop:
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
            f"the network has {len(self.weights)} weights × {self.samples or 1} samples to write out entry by entry",
        )
        if timeout is not None:
            return run_within(matrix.backprop, self, check=check, timeout=timeout, memory_mb=memory_mb)
        return matrix.backprop(self, check=check)


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
        check_sizes(tuple(sizes), samples, limits or DEFAULT_WORK_LIMITS)
        return run_within(
            Network, sizes, activation=activation, loss=loss, regularization=regularization,
            samples=samples, limits=limits, timeout=timeout, memory_mb=memory_mb,
        )
    return Network(sizes, activation=activation, loss=loss, regularization=regularization,
                   samples=samples, limits=limits)
