r"""∂J/∂θ for one weight, every fine step in one flat chain (``net.derive(θ, detail="full")``).

Seed 001 derives by hand ∂J/∂θ²₁₂ = (1/m)(a³ − y)·a²₂ for an output weight, and for a hidden one
the chain summed over the next layer, δ³ = a³ − y and δ² = (Θ²)ᵀδ³ ⊙ σ'(z²). :func:`derive_weight`
writes the same chain for any weight of any :class:`~symderiv.models.network.model.Model`: the
regularization set aside first, the constant 1/m out, one sum per sample, then the chain through
aᵢ = g(zᵢ) and zᵢ = Σθa, with the layers above entering as δ symbols. The derivatives of single
functions are taken by the core engine (:meth:`StepBuilder.embed`); every step is proven.

>>> from symderiv.models.network.model import Model
>>> net = Model([2, 2, 1])
>>> theta = net.theta(2, 1, 2)
>>> d = derive_weight(net, theta, check=True)
>>> d.result == (net.a(3, 1) - net.y()) * net.a(2, 2) / net.m + net.lam * theta / net.m
True
"""

from __future__ import annotations

import sympy as sp

from ...core.derivation import Derivation
from ...core.functions import sigmoid
from ...core.steps import symbols_of
from .builder import StepBuilder, contains
from .local import local_forms
from .model import Model
from .softmax import name_softmax, softmax_delta

__all__ = ["derive_weight"]


def derive_weight(net: Model, theta: sp.Symbol, *, check: bool) -> Derivation:
    """The derivation of ∂J/∂θ for the weight ``theta`` of ``net``, proven when ``check``."""
    layer, i, j = net.locate(theta)
    target = layer + 1
    data, regular = net.cost_parts()
    taken = {s.name for s in symbols_of([net.cost])} | {s.name for s in net.bindings}
    builder = StepBuilder(net.cost, theta, net.bindings, taken)
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
            _hidden_weight(net, builder, part, theta, layer, i, j, sample)
    return builder.derivation(check=check)


def _per_sample_parts(net: Model, inner: sp.Expr) -> list[tuple[int, sp.Expr]]:
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


def _in_outputs(net: Model, part: sp.Expr, sample: int) -> sp.Expr:
    """``part`` written with the output activations a⁽ᴸ⁾ₖ as names."""
    return part.xreplace({net.explicit(net.a(net.L, k, sample)): net.a(net.L, k, sample)
                          for k in range(1, net.sizes[-1] + 1)})


def _in_layer(net: Model, part: sp.Expr, layer: int, sample: int) -> sp.Expr:
    """``part`` written with the pre-activations z⁽ˡ⁾ of ``layer`` as names."""
    return part.xreplace({net.explicit(net.z(layer, k, sample)): net.z(layer, k, sample)
                          for k in range(1, net.sizes[layer - 1] + 1)})


def _output_error(net: Model, part: sp.Expr, k: int, sample: int) -> sp.Expr:
    """∂(part)/∂z⁽ᴸ⁾ₖ as the chain writes it: through aₖ = σ(zₖ), or directly for a softmax."""
    z = net.z(net.L, k, sample)
    if net.head.output == "softmax":
        return sp.Derivative(_in_layer(net, part, net.L, sample), z)
    a = net.a(net.L, k, sample)
    return sp.Mul(sp.Derivative(_in_outputs(net, part, sample), a), sp.Derivative(sigmoid(z), z), evaluate=False)


def _outputs_z(net: Model, sample: int) -> list[sp.Symbol]:
    return [net.z(net.L, k, sample) for k in range(1, net.sizes[-1] + 1)]


def _outputs_a(net: Model, sample: int) -> list[sp.Symbol]:
    return [net.a(net.L, k, sample) for k in range(1, net.sizes[-1] + 1)]  # type: ignore[misc]


def _resolve_output_error(net: Model, builder: StepBuilder, part: sp.Expr, k: int, sample: int) -> sp.Expr | None:
    """Take the derivatives of ``_output_error``: the loss in a, σ' (then σ(z) = a).

    Returns what ∂E/∂aₖ became (None for a softmax, whose error comes out as aₖ − yₖ).
    """
    z, a = net.z(net.L, k, sample), net.a(net.L, k, sample)
    if net.head.output == "softmax":
        zs, ys = _outputs_z(net, sample), net.targets(sample)
        softmax_delta(builder, sp.Derivative(_in_layer(net, part, net.L, sample), z), zs, ys, k)
        return None  # e^{zₖ}/Σe^{z} is named aₖ by the caller, once every zₖ is done
    bracket = builder.embed(sp.Derivative(_in_outputs(net, part, sample), a))
    builder.embed(sp.Derivative(sigmoid(z), z))
    builder.replace("activation", {sigmoid(z): a}, detail={"names": {a: sigmoid(z)}})
    return bracket.xreplace({sigmoid(z): a})


def _simplify_output_error(net: Model, builder: StepBuilder, bracket: sp.Expr | None, k: int, sample: int) -> sp.Expr:
    """Bring ∂E/∂a · a(1 − a) to the head's δ form, as the seed does; returns that form."""
    a, y = net.a(net.L, k, sample), net.y(k, sample)
    local = local_forms(net.activation.name, net.head.name, net.sizes[-1])
    target = local.output(k, a, y)
    if bracket is None or not bracket.is_Add:
        return target
    if not contains(builder.current, bracket):
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


def _output_weight(net: Model, builder: StepBuilder, part: sp.Expr, theta: sp.Symbol, i: int, j: int, sample: int) -> None:
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
        name_softmax(builder, _outputs_z(net, sample), _outputs_a(net, sample), [i])
    builder.replace("weighted_sum", {by_theta: net.a(L - 1, j, sample)})
    _simplify_output_error(net, builder, bracket, i, sample)


def _hidden_weight(
    net: Model, builder: StepBuilder, part: sp.Expr, theta: sp.Symbol, layer: int, i: int, j: int, sample: int
) -> None:
    """∂/∂θ⁽ˡ⁾ᵢⱼ for a hidden unit: the chain summed over the next layer, then δ."""
    t = layer + 1
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
            name_softmax(builder, _outputs_z(net, sample), _outputs_a(net, sample), range(1, upper + 1))
    for k in range(1, upper + 1):
        builder.replace("weighted_sum", {links[k - 1]: net.theta(t, k, i)})
    builder.embed(slope)
    if net.activation.named:
        builder.replace("activation", {g(z): a}, detail={"names": {a: g(z)}})
    builder.replace("weighted_sum", {by_theta: net.a(layer, j, sample)})
    if t + 1 == net.L:
        for k in range(1, upper + 1):
            form = _simplify_output_error(net, builder, brackets[k - 1], k, sample)
            delta = deltas[k - 1]
            if form.is_Mul:
                builder.replace_factors("delta", sp.Mul.make_args(form), delta, detail={"names": {delta: form}})
            else:
                builder.replace("delta", {form: delta}, detail={"names": {delta: form}})
    # (Σₖ θₖᵢ δₖ)·g'(zᵢ) is δᵢ of this layer.
    local = local_forms(net.activation.name, net.head.name, net.sizes[-1])
    back = sp.Add(*(local.by_input(net.theta(t, k, i)) * deltas[k - 1] for k in range(1, upper + 1)))
    factors = [*sp.Mul.make_args(back), *sp.Mul.make_args(local.slope(a, z))]
    delta = net.delta(t, i, sample)
    builder.replace_factors("delta", factors, delta, detail={"names": {delta: net.binding(delta)}})
