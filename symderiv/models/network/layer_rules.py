r"""The rules backpropagation rests on, derived by the matrix engine at the network's own shapes.

For a layer z⁽ˡ⁺¹⁾ = W⁽ˡ⁾a⁽ˡ⁾ + b⁽ˡ⁾1ᵀ (one column per sample; Θ⁽ˡ⁾ = [b⁽ˡ⁾ W⁽ˡ⁾] is the seed's
weight matrix with its bias column, a⁽ˡ⁾ here the activation without its leading 1),
:func:`layer_rules` derives with :func:`symderiv.derive` on ``sympy.MatrixSymbol``\ s, every step
proven entry by entry (:mod:`symderiv.proof.matrix`):

- ``output``: δ⁽ᴸ⁾ = ∂E/∂z⁽ᴸ⁾ of the network's loss (σ(z) − y for the cross-entropy with σ
  outputs, softmax(z) − y for softmax, column by column);
- ``backward l``: ∂/∂a⁽ˡ⁾ tr((δ⁽ˡ⁺¹⁾)ᵀz⁽ˡ⁺¹⁾) = (W⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾, the error carried back a layer;
- ``slope l``: ∂/∂z⁽ˡ⁾ tr(eᵀ g(z⁽ˡ⁾)) = e ⊙ g′(z⁽ˡ⁾), the elementwise chain rule giving δ⁽ˡ⁾
  from e = ∂E/∂a⁽ˡ⁾ (g′ derived by the scalar engine, a sub-derivation);
- ``weights l``, ``bias l``: ∂/∂W⁽ˡ⁾ and ∂/∂b⁽ˡ⁾ of tr((δ⁽ˡ⁺¹⁾)ᵀz⁽ˡ⁺¹⁾): δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ and δ⁽ˡ⁺¹⁾1.

The error arriving from above enters as a constant: dE = tr((∂E/∂z)ᵀ dz) is what ∂E/∂z means
(denominator layout), so ∂E/∂X through z is the gradient of tr(δᵀz) with δ = ∂E/∂z held fixed.
:mod:`.matrix` instantiates the results with the network's matrices (W⁽ˡ⁾ = Θ⁽ˡ⁾[:, 1:]) and
proves each line of its chains entry by entry against the scalar derivatives of the cost.

>>> rules = layer_rules((2, 2, 1), 1, "sigmoid", "cross_entropy")
>>> rules["weights 1"].result
delta^{(2)}*a^{(1)}.T
>>> rules["backward 2"].result
W^{(2)}.T*delta^{(3)}
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import sympy as sp

from ...calculus.engine import derive as derive_matrix
from ...core.derivation import Derivation
from ...core.functions import relu, sigmoid
from ...core.matrices import softmax

__all__ = ["layer_rules", "rule_symbols"]

_ACTIVATIONS = {"sigmoid": sigmoid, "tanh": sp.tanh, "relu": relu}


def rule_symbols(sizes: tuple[int, ...], columns: int, layer: int) -> dict[str, sp.MatrixSymbol]:
    """The matrix symbols of the rules of ``layer`` (1 … L−1): W, b, a (no bias row), δ above, z, e."""
    rows, cols = sizes[layer], sizes[layer - 1]
    symbols = {
        "W": sp.MatrixSymbol(f"W^{{({layer})}}", rows, cols),
        "b": sp.MatrixSymbol(f"b^{{({layer})}}", rows, 1),
        "a": sp.MatrixSymbol(f"a^{{({layer})}}", cols, columns),
        "delta": sp.MatrixSymbol(f"delta^{{({layer + 1})}}", rows, columns),
    }
    if layer >= 2:
        symbols["z"] = sp.MatrixSymbol(f"z^{{({layer})}}", cols, columns)
        symbols["e"] = sp.MatrixSymbol(f"e^{{({layer})}}", cols, columns)
    return symbols


def output_symbols(sizes: tuple[int, ...], columns: int) -> dict[str, sp.MatrixSymbol]:
    """z⁽ᴸ⁾ and y of the output rule."""
    L = len(sizes)
    return {"z": sp.MatrixSymbol(f"z^{{({L})}}", sizes[-1], columns), "y": sp.MatrixSymbol("y", sizes[-1], columns)}


def layer_rules(sizes: tuple[int, ...], columns: int, activation: str, head: str, *,
                check: bool = True) -> dict[str, Derivation]:
    """Every rule the δ chains of a network with ``sizes`` rest on, each a proven matrix derivation.

    Keys: ``output``, then for each layer l ``backward l`` and ``slope l`` (hidden layers, 2 … L−1)
    and ``weights l``, ``bias l`` (1 … L−1). ``columns`` is the number of samples, one column each;
    the softmax's output rule is derived on one column (each sample's loss depends on its own
    column only). With ``check`` every step is proven (:mod:`symderiv.proof.matrix`). Derived once
    per process for each shape (derivations are data).
    """
    return dict(_derived(tuple(sizes), columns, activation, head, check))


@lru_cache(maxsize=32)
def _derived(sizes: tuple[int, ...], columns: int, activation: str, head: str,
             check: bool) -> tuple[tuple[str, Derivation], ...]:
    def derive(expr: sp.Basic, wrt: sp.MatrixSymbol) -> Derivation:
        return derive_matrix(expr, wrt, check=check)

    L = len(sizes)
    found: list[tuple[str, Derivation]] = [("output", _output_rule(sizes, columns, head, derive))]
    for layer in range(L - 1, 1, -1):
        s = rule_symbols(sizes, columns, layer)
        found.append((f"backward {layer}", derive(_through_layer(s), s["a"])))
        g = _ACTIVATIONS[activation]
        found.append((f"slope {layer}", derive(sp.Trace(s["e"].T * s["z"].applyfunc(g)), s["z"])))
    for layer in range(L - 1, 0, -1):
        s = rule_symbols(sizes, columns, layer)
        found.append((f"weights {layer}", derive(_through_layer(s), s["W"])))
        found.append((f"bias {layer}", derive(_through_layer(s), s["b"])))
    return tuple(found)


def _through_layer(s: dict[str, sp.MatrixSymbol]) -> sp.Basic:
    """tr((δ⁽ˡ⁺¹⁾)ᵀ(W a + b 1ᵀ)): E to first order in z⁽ˡ⁺¹⁾, δ⁽ˡ⁺¹⁾ = ∂E/∂z⁽ˡ⁺¹⁾ held fixed."""
    columns = s["a"].shape[1]
    bias = s["b"] if columns == 1 else s["b"] * sp.OneMatrix(1, columns)
    return sp.Trace(s["delta"].T * (s["W"] * s["a"] + bias))


def _output_rule(sizes: tuple[int, ...], columns: int, head: str, derive: Callable[..., Derivation]) -> Derivation:
    """∂E/∂z⁽ᴸ⁾ of the loss E of the network's head, summed over the samples."""
    if head == "softmax_cross_entropy":
        s = output_symbols(sizes, 1)
        return derive(-(s["y"].T * softmax(s["z"]).applyfunc(sp.log)), s["z"])
    s = output_symbols(sizes, columns)
    z, y = s["z"], s["y"]
    if head == "mse":
        a = z.applyfunc(sigmoid)
        return derive(sp.Trace((a - y).T * (a - y)) / 2, z)
    # log σ(z) and log(1 − σ(z)) entry by entry, each one elementwise function (SymPy writes a 1×1
    # matrix of ones as I, which the engine's elementwise algebra does not read as 1)
    u = sp.Symbol("u")
    log_a = z.applyfunc(sp.Lambda(u, sp.log(sigmoid(u))))
    log_rest = z.applyfunc(sp.Lambda(u, sp.log(1 - sigmoid(u))))
    return derive(-sp.Trace(y.T * log_a + (sp.OneMatrix(*z.shape) - y).T * log_rest), z)
