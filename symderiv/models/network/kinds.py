"""The kinds of network symderiv builds: the hidden layers' activation and the output head.

An :class:`Activation` is the hidden layers' g (σ, tanh or ReLU); a :class:`Head` is the output
layer with its loss (sigmoid outputs with the cross-entropy or half the squared error, or a
softmax with the categorical cross-entropy). :func:`activation_of` and :func:`head_of` read what a
user passes, and refuse anything else with a :class:`NetworkError`.

>>> head_of("softmax").name
'softmax_cross_entropy'
>>> activation_of("tanh").named
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy as sp

from ...core.functions import relu, sigmoid
from ...errors import SymderivError
from ..losses import binary_cross_entropy

__all__ = ["ACTIVATIONS", "LOSSES", "Activation", "Head", "NetworkError", "activation_of", "head_of"]


class NetworkError(SymderivError, ValueError):
    """A network was described in a way symderiv cannot build (sizes, loss, a weight's indices)."""


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
        """The loss E of one sample, from the output activations and the targets.

        >>> import sympy as sp
        >>> a, y = sp.symbols("a y")
        >>> LOSSES["mse"].loss([a], [y])
        (a - y)**2/2
        """
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


def activation_of(activation: Any) -> Activation:
    """The :class:`Activation` that ``activation`` names: the entry, its function or its name.

    >>> import symderiv as sd
    >>> activation_of(sd.relu).name
    'relu'
    """
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


def head_of(loss: Any) -> Head:
    """The :class:`Head` that ``loss`` names: the entry, its name or an alias.

    >>> head_of("squared_error").name
    'mse'
    """
    if isinstance(loss, Head):
        return loss
    name = _LOSS_ALIASES.get(loss, loss)
    if name not in LOSSES:
        raise NetworkError(f"unknown loss {loss!r}; choose one of: {', '.join(LOSSES)}")
    return LOSSES[name]
