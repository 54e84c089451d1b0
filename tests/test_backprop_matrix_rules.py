"""net.backprop()'s vector-form rules come from the matrix engine: checked against SymPy's scalar derivatives.

Known answers from outside the code under test: ``sympy.diff`` of the network's loss written out
entry by entry (one sample per column) at random explicit matrices, and seed 001's formulas
δ⁽³⁾ = a⁽³⁾ − y, δ⁽²⁾ = (Θ⁽²⁾)ᵀδ⁽³⁾ ⊙ g′(z⁽²⁾) (bias row dropped), ∂E/∂Θ⁽ˡ⁾ = δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ.
"""

from __future__ import annotations

import random

import pytest
import sympy as sp

import symderiv as sd
from symderiv.models.network.layer_rules import layer_rules, output_symbols, rule_symbols


def _forward(sizes, thetas, x):
    """Explicit pre-activations z⁽ˡ⁾ and activations a⁽ˡ⁾ (no bias row), one column per sample."""
    a = sp.Matrix(x)
    zs, acts = {}, {1: a}
    for layer in range(1, len(sizes)):
        aug = sp.Matrix.vstack(sp.ones(1, a.cols), a)
        z = thetas[layer] * aug
        a = z.applyfunc(sd.sigmoid)
        zs[layer + 1], acts[layer + 1] = z, a
    return zs, acts


def _loss(a, y):
    """The cross-entropy summed over every output and every sample."""
    return -sum(y[i] * sp.log(a[i]) + (1 - y[i]) * sp.log(1 - a[i]) for i in range(len(a)))


def _network(sizes, columns, seed):
    rng = random.Random(seed)
    thetas = {l: sp.Matrix(sizes[l], sizes[l - 1] + 1, lambda i, j, l=l: sp.Symbol(f"t{l}_{i}{j}"))
              for l in range(1, len(sizes))}
    point = {s: sp.Rational(rng.randint(-9, 9), 10) for m in thetas.values() for s in m}
    x = sp.Matrix(sizes[0], columns, lambda i, j: sp.Rational(rng.randint(-9, 9), 10))
    y = sp.Matrix(sizes[-1], columns, lambda i, j: rng.randint(0, 1))
    return thetas, point, x, y


def _close(left, right):
    assert left.shape == right.shape
    for u, v in zip(left, right):
        assert abs(float(u) - float(v)) < 1e-12, (u, v)


@pytest.mark.parametrize(("sizes", "columns"), [((2, 2, 1), 1), ((3, 2, 2), 1), ((2, 2, 1), 2)])
def test_the_engines_rules_put_together_equal_sympys_derivatives_of_the_network_loss(sizes, columns):
    thetas, point, x, y = _network(sizes, columns, seed=sum(sizes) + columns)
    zs, acts = _forward(sizes, thetas, x)
    L = len(sizes)
    E = _loss(acts[L], y)
    rules = layer_rules(sizes, columns, "sigmoid", "cross_entropy")
    # δ⁽ᴸ⁾ from the engine's output rule, then each layer down from its backward and slope rules
    out = output_symbols(sizes, columns)
    delta = {L: rules["output"].result.xreplace({out["z"]: sp.ImmutableMatrix(zs[L]), out["y"]: sp.ImmutableMatrix(y)})}
    for layer in range(L - 1, 1, -1):
        s = rule_symbols(sizes, columns, layer)
        W = sp.ImmutableMatrix(thetas[layer][:, 1:])
        error = rules[f"backward {layer}"].result.xreplace({s["W"]: W, s["delta"]: sp.ImmutableMatrix(delta[layer + 1])})
        delta[layer] = rules[f"slope {layer}"].result.xreplace({s["e"]: error, s["z"]: sp.ImmutableMatrix(zs[layer])})
    for layer in range(1, L):
        s = rule_symbols(sizes, columns, layer)
        put = {s["delta"]: sp.ImmutableMatrix(delta[layer + 1]), s["a"]: sp.ImmutableMatrix(acts[layer])}
        dW = sp.Matrix(rules[f"weights {layer}"].result.xreplace(put).as_explicit())
        db = sp.Matrix(rules[f"bias {layer}"].result.xreplace(put).as_explicit())
        from_engine = sp.Matrix.hstack(db, dW).xreplace(point)
        expected = thetas[layer].applyfunc(lambda t: sp.diff(E, t)).xreplace(point)  # noqa: B023
        _close(from_engine.evalf(30), expected.evalf(30))


def test_every_rule_is_a_proven_matrix_derivation_of_the_networks_shapes():
    rules = layer_rules((3, 2, 2), 1, "sigmoid", "cross_entropy")
    assert set(rules) == {"output", "backward 2", "slope 2", "weights 2", "bias 2", "weights 1", "bias 1"}
    for d in rules.values():
        assert d.report is not None and len(d.report.proofs) == len(d.steps)
        assert d.result.shape == d.wrt.shape
    assert rules["weights 1"].wrt.shape == (2, 3) and rules["weights 2"].wrt.shape == (2, 2)
    assert rules["slope 2"].rules.count("elementwise_chain") == 1


def test_backprop_exposes_the_rules_and_cites_them_in_its_chains():
    net = sd.network([2, 2, 1])
    bp = net.backprop()
    assert set(bp.matrix_derivations) == {"output", "backward 2", "slope 2", "weights 2", "bias 2",
                                          "weights 1", "bias 1"}
    cited = {key for step in bp.steps for key in step.because}
    assert cited == set(bp.matrix_derivations)
    text = bp.to_text()
    assert "(backward 2)" in text and "The rules, derived by matrix calculus" in text
    assert "∂/∂W^{(2)} tr(delta^{(3)}.T*(W^{(2)}*a^{(2)} + b^{(2)})) = delta^{(3)}*a^{(2)}.T" in text
    assert "(slope 2)" in bp.to_latex() and "bias_unit" in [step.rule for step in bp.steps]


def test_backprop_still_gives_seed_001s_delta_formulas():
    net = sd.network([2, 2, 1])
    bp = net.backprop()
    finals = {str(name): result for name, result in bp.rules}
    a3, y, theta2, d3 = (sp.MatrixSymbol(n, *shape) for n, shape in
                         (("a^(3)", (1, 1)), ("y", (1, 1)), ("Theta^(2)", (1, 3)), ("delta^(3)", (1, 1))))
    a2 = sp.MatrixSymbol("a^(2)", 3, 1)
    assert finals["delta^(3)"] == a3 - y
    back = (theta2.T * d3)[1:, :]
    assert finals["delta^(2)"] == sp.HadamardProduct(back, sp.HadamardProduct(a2[1:, :], sp.OneMatrix(2, 1) - a2[1:, :]))
    # every line proven entry by entry, the lines from the engine included
    for step in bp.steps:
        assert step.elements and len(step.proofs) == len(step.elements)


@pytest.mark.parametrize("kwargs", [
    {"loss": "mse"}, {"loss": "softmax_cross_entropy"}, {"activation": sp.tanh}, {"activation": sd.relu},
    {"samples": 2},
])
def test_backprop_obtains_its_rules_from_the_engine_for_every_head_activation_and_sample_count(kwargs):
    sizes = [2, 2, 2] if kwargs.get("loss") == "softmax_cross_entropy" else [2, 2, 1]
    net = sd.network(sizes, **kwargs)
    bp = net.backprop()
    assert all(d.report is not None for d in bp.matrix_derivations.values())
    for step in bp.steps:
        assert len(step.proofs) == len(step.elements) > 0


def test_the_affine_layer_differential_drops_the_bias_inside_a_product():
    """d(δᵀ(Wa + b)) = δᵀ(dW a): the b inside the product is constant (its step was refused before)."""
    W, a, b, delta = sp.MatrixSymbol("W", 2, 3), sp.MatrixSymbol("a", 3, 1), sp.MatrixSymbol("b", 2, 1), sp.MatrixSymbol("delta", 2, 1)
    f = sp.Trace(delta.T * (W * a + b))
    assert sd.derive(f, W).result == delta * a.T
    assert sd.derive(f, b).result == delta
    assert sd.derive(f, a).result == W.T * delta
