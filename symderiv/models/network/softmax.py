r"""The softmax output's error, written step by step: ∂E/∂zₖ = aₖ − yₖ.

With aₖ = e^{zₖ}/Σⱼ e^{zⱼ} and E = −Σⱼ yⱼ log aⱼ, the derivation splits each log softmax into
zⱼ − log Σ e^{z}, uses Σⱼ yⱼ = 1 to gather the log terms into one, lets the core engine take
the derivative that is left, and names e^{zₖ}/Σ e^{z} back as aₖ. :func:`softmax_output` writes
it alone, for the local forms reverse mode multiplies; the same steps stand inside a weight's
derivation (:mod:`symderiv.models.network.scalar`).

>>> import sympy as sp
>>> zs, ys, as_ = sp.symbols("z1:3"), sp.symbols("y1:3"), sp.symbols("a1:3")
>>> softmax_output(zs, ys, as_, 1).result
a1 - y1
"""

from __future__ import annotations

from collections.abc import Sequence

import sympy as sp

from ...core.derivation import Derivation
from .builder import StepBuilder

__all__ = ["name_softmax", "softmax_delta", "softmax_output"]


def softmax_output(
    zs: Sequence[sp.Symbol], ys: Sequence[sp.Symbol], as_: Sequence[sp.Symbol], k: int, *, check: bool = True
) -> Derivation:
    """∂E/∂zₖ = aₖ − yₖ for the softmax with the categorical cross-entropy, Σ y = 1 (proven when
    ``check``; unproven it is a sub-derivation, proven with the chain that holds it)."""
    total = sp.Add(*(sp.exp(t) for t in zs))
    softmax = [sp.exp(t) / total for t in zs]
    loss = -sp.Add(*(y * sp.log(p) for y, p in zip(ys, softmax)))
    where = {ys[-1]: 1 - sp.Add(*ys[:-1])}
    for name, value in zip(as_, softmax):
        where[name] = value
    builder = StepBuilder(loss, zs[k - 1], where, [s.name for s in (*zs, *ys, *as_)])
    softmax_delta(builder, builder.current, zs, ys, k)
    name_softmax(builder, zs, as_, [k])
    return builder.derivation(check=check)


def softmax_delta(
    builder: StepBuilder,
    node: sp.Derivative,
    zs: Sequence[sp.Symbol],
    ys: Sequence[sp.Symbol],
    k: int,
) -> None:
    """d/dzₖ of −Σ yⱼ log softmaxⱼ(z): log softmax = z − log Σe^z, Σy = 1, then the engine."""
    total = sp.Add(*(sp.exp(t) for t in zs))
    inner = node.expr
    logs = {sp.log(sp.exp(t) / total): t - sp.log(total) for t in zs}
    split = inner.xreplace(logs)
    variable = node.variables[0]
    builder.replace("log_softmax", {node: sp.Derivative(split, variable)})
    summed = sp.log(total) - sp.Add(*(y * t for y, t in zip(ys, zs)))
    builder.replace("targets_sum_to_one", {sp.Derivative(split, variable): sp.Derivative(summed, variable)},
                    detail={"names": {ys[-1]: 1 - sp.Add(*ys[:-1])}})
    builder.embed(sp.Derivative(summed, variable))


def name_softmax(builder: StepBuilder, zs: Sequence[sp.Symbol], as_: Sequence[sp.Symbol], ks: Sequence[int]) -> None:
    """Write e^{zₖ}/Σⱼ e^{zⱼ} as aₖ, once no derivative with respect to a z is left to take."""
    total = sp.Add(*(sp.exp(t) for t in zs))
    names = {sp.exp(zs[k - 1]) / total: as_[k - 1] for k in ks}
    builder.replace("activation", names, detail={"names": {a: value for value, a in names.items()}})
