"""symderiv.models.network: seed 001's network, its gradient by backpropagation, checked from outside.

The answers come from outside the code under test: seed 001's hand derivation (∂J/∂θ²₁₂ =
(1/m)(a³ − y)·a²₂, δ³ = a³ − y, δ² = (Θ²)ᵀδ³ ⊙ σ'(z²)), central finite differences of the cost
with mpmath, and PyTorch's autograd in float64 (when torch is installed).
"""

from __future__ import annotations

import random
from typing import Any

import mpmath
import pytest
import sympy as sp

import symderiv as sd
from conftest import same_function
from symderiv.models.network import NetworkError, dag_size, tree_size

LAMBDA = 0.7
SAMPLES = 4


# --- Seed 001 -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed() -> sd.Network:
    return sd.network([2, 2, 1], activation=sd.sigmoid, loss="cross_entropy", regularization=True)


def test_seed_cost_is_the_regularized_cross_entropy_without_the_bias_weights(seed):
    m, lam, y = seed.m, seed.lam, seed.y()
    z2 = [seed.theta(1, i, 0) + seed.theta(1, i, 1) * seed.x(1) + seed.theta(1, i, 2) * seed.x(2) for i in (1, 2)]
    h = sd.sigmoid(seed.theta(2, 1, 0) + seed.theta(2, 1, 1) * sd.sigmoid(z2[0]) + seed.theta(2, 1, 2) * sd.sigmoid(z2[1]))
    squares = sum(seed.theta(l, i, j) ** 2 for l, rows in ((1, 2), (2, 1)) for i in range(1, rows + 1) for j in (1, 2))
    written = -(y * sp.log(h) + (1 - y) * sp.log(1 - h)) / m + lam / (2 * m) * squares
    assert sp.expand(seed.cost - written) == 0


def test_seed_output_weight_comes_out_as_a_minus_y_times_a_in_the_full_chain(seed):
    theta = seed.theta(2, 1, 2)
    d = seed.derive(theta, detail="full")
    m, lam = seed.m, seed.lam
    assert d.result == (seed.a(3, 1) - seed.y()) * seed.a(2, 2) / m + lam * theta / m
    assert d.steps[0].before == sp.Derivative(seed.cost, theta)
    assert d.report is not None and len(d.report.proofs) == len(d.steps)
    # the seed's route: the regularization set aside, the chain through a³ = σ(z³) and z³,
    # σ' = σ(1 − σ), then simplification
    assert d.rules[:4] == ("sum", "regularization", "constant_multiple", "chain")
    assert {"sigmoid", "activation", "weighted_sum", "simplify", "expand"} <= set(d.rules)
    chain = d.steps[3]
    assert chain.detail["introduces"][seed.a(3, 1)] == sd.sigmoid(seed.z(3, 1))


def test_seed_hidden_weight_passes_through_the_seeds_product_and_ends_in_delta(seed):
    theta = seed.theta(1, 1, 2)
    d = seed.derive(theta)
    m, lam = seed.m, seed.lam
    a2, d3 = seed.a(2, 1), seed.delta(3, 1)
    # seed 001: ∂J/∂θ¹₁₂ = (1/m)·δ³·θ²₁₁·s(z²)(1 − s(z²))·x₂ (the seed prints it with a stray minus sign)
    seeds_line = d3 * seed.theta(2, 1, 1) * a2 * (1 - a2) * seed.x(2) / m
    assert any(seeds_line in sp.Add.make_args(step.after) for step in d.steps)
    assert d.result == seed.delta(2, 1) * seed.x(2) / m + lam * theta / m
    assert "backprop" in d.rules and d.rules.count("delta") == 2


def test_seed_delta_rules(seed):
    b = seed.bindings
    a3, y = seed.a(3, 1), seed.y()
    assert b[seed.delta(3, 1)] == a3 - y
    for i in (1, 2):
        a2 = seed.a(2, i)
        assert b[seed.delta(2, i)] == seed.theta(2, 1, i) * seed.delta(3, 1) * a2 * (1 - a2)


def test_bias_weights_are_not_regularized(seed):
    d = seed.derive(seed.theta(2, 1, 0))
    assert d.result == (seed.a(3, 1) - seed.y()) / seed.m
    assert seed.lam not in d.result.free_symbols


def test_without_regularization_there_is_no_lambda():
    net = sd.network([2, 2, 1], regularization=False)
    assert net.lam not in net.cost.free_symbols
    assert net.derive(net.theta(1, 2, 1)).result == net.delta(2, 2) * net.x(1) / net.m


def _substituted(expr: sp.Expr, where: dict) -> sp.Expr:
    for _ in range(len(where) + 1):
        if not expr.free_symbols & set(where):
            return expr
        expr = expr.subs(where)
    raise AssertionError("substitutions never resolve")


@pytest.mark.parametrize("detail", ["textbook", "full"])
@pytest.mark.parametrize("weight", [(2, 1, 2), (1, 2, 1)])
def test_every_step_is_an_equality_of_functions_of_theta_x_y(seed, weight, detail):
    """The DESIGN contract, checked as an outside reader would: doit, substitute, compare numbers."""
    d = seed.derive(seed.theta(*weight), check=False, detail=detail)
    symbols = sorted(seed.cost.free_symbols, key=lambda s: s.name)
    for previous, following in zip(d.steps, d.steps[1:]):
        assert previous.after == following.before
    for step in d.steps:
        before = _substituted(step.before.doit(), dict(step.where)).doit()
        after = _substituted(step.after.doit(), dict(step.where)).doit()
        assert same_function(before, after, symbols, points=3), step.rule


def test_a_wrong_delta_is_caught_by_the_checker(seed):
    d = seed.derive(seed.theta(1, 1, 1), check=False)
    step = next(s for s in d.steps if s.rule == "delta" and seed.delta(2, 1) in s.after.free_symbols)
    wrong_where = dict(step.where)
    wrong_where[seed.delta(2, 1)] = wrong_where[seed.delta(2, 1)] * 2
    from symderiv.proof.check import check_step

    with pytest.raises(sd.StepCheckError):
        check_step(sd.Step(step.rule, step.before, step.after, where=wrong_where, focus=step.focus))


# --- Gradients checked from outside -----------------------------------------------------------------

CONFIGS = {
    "seed": ([2, 2, 1], sd.sigmoid, "cross_entropy"),
    "deep": ([3, 4, 3, 2], sd.sigmoid, "cross_entropy"),
    "mse": ([2, 3, 2], sd.sigmoid, "mse"),
    "softmax": ([3, 4, 3], sd.sigmoid, "softmax_cross_entropy"),
    "tanh": ([2, 3, 3, 1], sp.tanh, "cross_entropy"),
    "relu": ([2, 3, 3, 1], sd.relu, "cross_entropy"),
}


class Problem:
    """A network with random weights, m = 4 samples and λ = 0.7, as plain numbers."""

    def __init__(self, name: str, seed: int = 7):
        sizes, activation, loss = CONFIGS[name]
        self.name = name
        # up to 25 weights × 4 samples: above the default max_backprop_weights, so raised here
        self.net = sd.network(sizes, activation=activation, loss=loss, regularization=True, samples=SAMPLES,
                              limits=sd.WorkLimits(max_backprop_weights=200))
        rng = random.Random(seed)
        self.weights = [
            [[rng.uniform(-1, 1) for _ in range(sizes[l - 1] + 1)] for _ in range(sizes[l])] for l in range(1, len(sizes))
        ]
        self.inputs = [[rng.uniform(-1, 1) for _ in range(sizes[0])] for _ in range(SAMPLES)]
        classes = sizes[-1]
        if loss == "softmax_cross_entropy":
            hot = [rng.randrange(classes) for _ in range(SAMPLES)]
            self.targets = [[1.0 if k == h else 0.0 for k in range(classes)] for h in hot]
        elif loss == "mse":
            self.targets = [[rng.uniform(0, 1) for _ in range(classes)] for _ in range(SAMPLES)]
        else:
            self.targets = [[float(rng.randrange(2)) for _ in range(classes)] for _ in range(SAMPLES)]

    def values(self) -> dict[sp.Symbol, float]:
        net = self.net
        values: dict[sp.Symbol, Any] = {net.lam: LAMBDA, net.m: SAMPLES}
        for l, matrix in enumerate(self.weights, start=1):
            for i, row in enumerate(matrix, start=1):
                for j, w in enumerate(row):
                    values[net.theta(l, i, j)] = w
        for s in range(1, SAMPLES + 1):
            for j, x in enumerate(self.inputs[s - 1], start=1):
                values[net.x(j, s)] = x
            for k, y in enumerate(self.targets[s - 1], start=1):
                values[net.y(k, s)] = y
        return values

    def ours(self) -> dict[sp.Symbol, float]:
        """Every gradient from net.gradients(), its bindings evaluated one by one with SymPy."""
        known = {k: sp.Float(v, 40) for k, v in self.values().items()}
        for name, definition in self.net.bindings.items():
            if name not in known:
                known[name] = definition.xreplace(known).evalf(40)
        gradients = self.net.gradients()
        return {theta: float(expr.xreplace(known).evalf(40)) for theta, expr in gradients.items()}


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def problem(request) -> Problem:
    return Problem(request.param)


def _mp_relu(t):
    return t if t > 0 else 0 * t


def test_every_gradient_agrees_with_central_finite_differences(problem):
    net = problem.net
    values = problem.values()
    weights = list(net.weights)
    others = sorted(set(values) - set(weights), key=lambda s: s.name)
    cost = sp.lambdify(
        weights + others,
        net.cost,
        modules=[{"sigmoid": lambda t: 1 / (1 + mpmath.exp(-t)), "relu": _mp_relu}, "mpmath"],
    )
    ours = problem.ours()
    with mpmath.workdps(50):
        point = [mpmath.mpf(values[w]) for w in weights]
        fixed = [mpmath.mpf(values[s]) for s in others]
        h = mpmath.mpf("1e-15")
        for index, theta in enumerate(weights):
            up, down = list(point), list(point)
            up[index] += h
            down[index] -= h
            numeric = (cost(*up, *fixed) - cost(*down, *fixed)) / (2 * h)
            assert abs(ours[theta] - float(numeric)) <= 1e-10 * max(1.0, abs(float(numeric))), theta


def test_numeric_gradients_evaluate_each_binding_once_to_the_same_numbers():
    problem = Problem("seed")
    numbers = problem.net.gradients().numeric(problem.values())
    ours = problem.ours()
    assert set(numbers) == set(ours)
    assert all(abs(float(numbers[t]) - ours[t]) < 1e-25 for t in ours)


def test_every_gradient_agrees_with_torch_autograd(problem):
    torch = pytest.importorskip("torch")
    grads, _, _, _ = _torch(torch, problem)
    ours = problem.ours()
    net = problem.net
    for l, matrix in enumerate(grads, start=1):
        for i, row in enumerate(matrix, start=1):
            for j, value in enumerate(row):
                assert abs(ours[net.theta(l, i, j)] - value) <= 1e-10 * max(1.0, abs(value))


def _torch(torch: Any, problem: Problem) -> tuple[list[list[list[float]]], list[Any], list[Any], list[Any]]:
    """J, its gradient and ∂E/∂z⁽ˡ⁾ by torch.autograd, in float64, from the same numbers."""
    sizes, activation, loss = CONFIGS[problem.name]
    hidden = {sd.sigmoid: torch.sigmoid, sp.tanh: torch.tanh, sd.relu: torch.relu}[activation]
    weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in problem.weights]
    x = torch.tensor(problem.inputs, dtype=torch.float64)
    y = torch.tensor(problem.targets, dtype=torch.float64)
    ones = torch.ones(SAMPLES, 1, dtype=torch.float64)
    a, activations, pre = x, [x], []
    for l, w in enumerate(weights, start=1):
        z = torch.cat([ones, a], dim=1) @ w.T
        z.retain_grad()
        pre.append(z)
        if l < len(weights):
            a = hidden(z)
        elif loss == "softmax_cross_entropy":
            a = torch.softmax(z, dim=1)
        else:
            a = torch.sigmoid(z)
        activations.append(a)
    if loss == "cross_entropy":
        per_sample = -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum()
    elif loss == "mse":
        per_sample = ((a - y) ** 2 / 2).sum()
    else:
        per_sample = -(y * torch.log_softmax(pre[-1], dim=1)).sum()
    penalty = sum((w[:, 1:] ** 2).sum() for w in weights)
    cost = per_sample / SAMPLES + LAMBDA / (2 * SAMPLES) * penalty
    cost.backward()
    # δ = ∂E/∂z with E the sum of the samples' losses: J's gradient in z times m
    deltas = [z.grad * SAMPLES for z in pre]
    return [w.grad.tolist() for w in weights], [a.detach() for a in activations], deltas, [z.detach() for z in pre]


# --- Reverse mode: shared δ, linear size ----------------------------------------------------------


def test_each_delta_is_shared_by_every_weight_of_its_row():
    net = sd.network([3, 4, 4, 2])
    gradients = net.gradients()
    for l in range(1, net.L):
        for i in range(1, net.sizes[l] + 1):
            for j in range(0, net.sizes[l - 1] + 1):
                deltas = {s for s in gradients[net.theta(l, i, j)].free_symbols if s.name.startswith("delta")}
                assert deltas == {net.delta(l + 1, i)}
    hidden = [net.delta(l, i) for l in (2, 3) for i in range(1, net.sizes[l - 1] + 1)]
    assert all(net.bindings[d].free_symbols & {net.delta(l + 1, 1) for l in (2, 3)} for d in hidden)


def test_written_size_grows_linearly_with_depth_while_the_cost_grows_exponentially():
    def sizes(depth: int) -> tuple[int, int]:
        net = sd.network([2] * depth + [1])
        return net.gradients().size(), tree_size(net.cost)

    ours10, cost10 = sizes(10)
    ours20, cost20 = sizes(20)
    assert 1.8 < ours20 / ours10 < 2.2
    assert cost20 / cost10 > 500
    assert dag_size(sd.network([2] * 20 + [1]).cost) < 10 * dag_size(sd.network([2] * 10 + [1]).cost)


def test_local_derivatives_are_proven_engine_derivations():
    local = sd.network([2, 2, 1]).gradients().local
    a, y, z = sp.symbols("a y z")
    assert local["output"].result == a - y
    assert local["slope"].result == a * (1 - a)
    assert local["output"].rules[-1] == "activation"
    assert all(d.report is not None for d in local.values())


# --- Other heads -------------------------------------------------------------------------------------


def test_squared_error_delta_keeps_the_slow_learning_factor():
    net = sd.network([2, 2, 1], loss="mse")
    a, y = net.a(3, 1), net.y()
    assert net.bindings[net.delta(3, 1)] == (a - y) * a * (1 - a)
    d = net.derive(net.theta(2, 1, 1))
    assert d.result == (a - y) * a * (1 - a) * net.a(2, 1) / net.m + net.lam * net.theta(2, 1, 1) / net.m


def test_softmax_with_categorical_cross_entropy_gives_a_minus_y():
    net = sd.network([2, 2, 3], loss="softmax_cross_entropy")
    for k in (1, 2, 3):
        assert net.bindings[net.delta(3, k)] == net.a(3, k) - net.y(k)
    assert net.bindings[net.y(3)] == 1 - net.y(1) - net.y(2)
    d = net.derive(net.theta(2, 2, 1))
    assert {"log_softmax", "targets_sum_to_one"} <= _rules_at_every_level(d)
    assert d.result == (net.a(3, 2) - net.y(2)) * net.a(2, 1) / net.m + net.lam * net.theta(2, 2, 1) / net.m


@pytest.mark.parametrize(
    ("activation", "slope"),
    [(sp.tanh, lambda a, z: 1 - a**2), (sd.relu, lambda a, z: sp.Heaviside(z, 0))],
    ids=["tanh", "relu"],
)
def test_hidden_activations_bring_their_own_derivative(activation, slope):
    net = sd.network([2, 2, 1], activation=activation)
    a, z = net.a(2, 1), net.z(2, 1)
    assert net.bindings[net.delta(2, 1)] == net.theta(2, 1, 1) * net.delta(3, 1) * slope(a, z)
    # ReLU does not squash, so the output saturates at larger points, where log(1 − σ(z))
    # cancels some 30 digits: the checker works at twice its digits for that. Proven here too,
    # independently, with SymPy's adaptive evalf.
    d = net.derive(net.theta(1, 1, 2))
    assert d.report is not None
    assert d.result == net.delta(2, 1) * net.x(2) / net.m + net.lam * net.theta(1, 1, 2) / net.m
    symbols = sorted(net.cost.free_symbols, key=lambda s: s.name)
    for step in d.steps:
        before = _substituted(step.before.doit(), dict(step.where)).doit()
        after = _substituted(step.after.doit(), dict(step.where)).doit()
        assert same_function(before, after, symbols, points=2), step.rule


def test_counted_samples_sum_over_the_samples():
    net = sd.network([2, 2, 1], samples=2)
    assert net.bindings[net.m] == 2
    d = net.derive(net.theta(2, 1, 1))
    a = lambda s: (net.a(3, 1, s) - net.y(1, s)) * net.a(2, 1, s)  # noqa: E731
    assert d.result == (a(1) + a(2)) / net.m + net.lam * net.theta(2, 1, 1) / net.m


def _rules_at_every_level(d: sd.Derivation) -> set[str]:
    rules = set(d.rules)
    for step in d.steps:
        for sub in step.substeps:
            rules |= _rules_at_every_level(sub)
    return rules


def test_a_deeper_network_derives_a_first_layer_weight_through_delta():
    net = sd.network([2, 2, 2, 2, 1])
    d = net.derive(net.theta(1, 2, 1))
    assert d.result == net.delta(2, 2) * net.x(1) / net.m + net.lam * net.theta(1, 2, 1) / net.m
    assert len(d.steps) < 15  # the layers above are one δ step, whatever the depth


# --- The δ rules in vector form ------------------------------------------------------------------------


def test_backprop_writes_the_seeds_delta_rules_in_vector_form(seed):
    bp = seed.backprop()
    names = [str(name) for name, _ in bp.rules]
    assert names == ["delta^(3)", "delta^(2)", "dJ/dTheta^(2)", "dJ/dTheta^(1)"]
    text = bp.to_text()
    assert "a^(3) - y" in text
    assert "(Theta^(2).T*delta^(3))[1:, :] ⊙ (a^(2)[1:, :] ⊙ (1 - a^(2)[1:, :]))" in text
    assert "(lambda/m)*[0  Theta^(1)[:, 1:]] + 1/m*delta^(2)*a^(1).T" in text
    for step in bp.steps:
        assert step.elements and len(step.proofs) == len(step.elements)
    assert "\\circ" in bp.to_latex()


def _numeric_matrix(expr: sp.Basic, leaves: dict[str, Any], scalars: dict[sp.Symbol, float]) -> sp.Matrix:
    mapping = {symbol: sp.ImmutableMatrix(leaves[symbol.name]) for symbol in expr.atoms(sp.MatrixSymbol)}
    return sp.Matrix(expr.xreplace(mapping).as_explicit()).subs(scalars).evalf(30)


@pytest.mark.parametrize("name", ["mse", "tanh", "relu"])
def test_vector_form_rules_evaluate_to_torchs_gradients(name):
    torch = pytest.importorskip("torch")
    problem = Problem(name, seed=11)
    net = problem.net
    grads, activations, deltas, pre = _torch(torch, problem)
    bp = net.backprop(check=False)
    # the matrices, one column per sample; a⁽ˡ⁾ carries the bias row of ones below the output
    leaves: dict[str, Any] = {"y": [list(col) for col in zip(*problem.targets)]}
    for l, a in enumerate(activations, start=1):
        rows = a.T.tolist()
        leaves[f"a^({l})"] = rows if l == net.L else [[1.0] * SAMPLES] + rows
    for l, w in enumerate(problem.weights, start=1):
        leaves[f"Theta^({l})"] = w
    for l, z in enumerate(pre, start=2):
        leaves[f"z^({l})"] = z.T.tolist()
    scalars = {net.lam: LAMBDA, net.m: SAMPLES}
    for name_, rule in bp.rules:
        value = _numeric_matrix(rule, leaves, scalars)
        label = str(name_)
        if label.startswith("delta^("):
            layer = int(label[len("delta^("):-1])
            expected = deltas[layer - 2].T.tolist()
            leaves[label] = value.tolist()
        else:
            layer = int(label[len("dJ/dTheta^("):-1])
            expected = grads[layer - 1]
        for r in range(value.rows):
            for c in range(value.cols):
                assert abs(float(value[r, c]) - expected[r][c]) <= 1e-10 * max(1.0, abs(expected[r][c])), (label, r, c)


# --- Errors and the command line -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: sd.network([2]), "at least two layers"),
        (lambda: sd.network([2, 0, 1]), "at least two layers"),
        (lambda: sd.network([2, 1], loss="hinge"), "unknown loss"),
        (lambda: sd.network([2, 1], activation=sp.sin), "unknown activation"),
        (lambda: sd.network([2, 1], loss="softmax"), "two classes"),
        (lambda: sd.network([2, 2, 1]).theta(3, 1, 1), "weights go from layer 1 to layer 2"),
        (lambda: sd.network([2, 2, 1]).theta(1, 1, 3), "layer 1 has units 0 to 2"),
        (lambda: sd.network([2, 2, 1]).derive(sp.Symbol("w")), "not a weight"),
    ],
)
def test_mistakes_get_messages_a_student_can_act_on(call, message):
    with pytest.raises(NetworkError, match=message):
        call()


def test_command_line_prints_the_seeds_derivation(capsys):
    from symderiv.cli.main import main

    assert main(["network", "2", "2", "1", "--weight", "2,1,2"]) == 0
    out = capsys.readouterr().out
    assert "theta^{(2)}_{12}" in out or "θ" in out
    assert main(["network", "2", "2", "1", "--weight", "2,1"]) == 2
    assert "three integers" in capsys.readouterr().err
