"""Networks derive on their layers (issue 13, item 3): net.derive(theta), detail="textbook".

Seed 001 derives ∂J/∂θ²₁₂ in five lines and ∂J/∂θ¹₁₂ in three, working on a³, z³, a² and δ³.
The targets: at most 6 and 8 main-chain lines; the cost never written out; every main and sub
chain proven step by step; no line of `symderiv network 2 2 1 --weight 2,1,2` over 100 columns.
The answers come from outside the code under test: the seed's hand derivation, PyTorch's
autograd in float64, and central finite differences of the cost with mpmath.
"""

from __future__ import annotations

import random
from typing import Any

import mpmath
import pytest
import sympy as sp

import symderiv as sd
from conftest import same_function
from symderiv.models.network import NetworkError
from symderiv.proof.check import check_derivation

LAMBDA = 0.7
M = 3.0  # one sample, m a symbol: any positive number stands for it


@pytest.fixture(scope="module")
def seed() -> sd.Network:
    return sd.network([2, 2, 1], activation=sd.sigmoid, loss="cross_entropy", regularization=True)


@pytest.fixture(scope="module")
def output_weight(seed) -> sd.Derivation:
    return seed.derive(seed.theta(2, 1, 2))


@pytest.fixture(scope="module")
def hidden_weight(seed) -> sd.Derivation:
    return seed.derive(seed.theta(1, 1, 2))


def _chains(d: Any) -> list[Any]:
    """The derivation and every sub-derivation below it, at every depth."""
    found = [d]
    for step in d.steps:
        for sub in step.substeps:
            found.extend(_chains(sub))
    return found


def _nested_sigmoid(expr: sp.Basic) -> bool:
    return any(inner is not node and isinstance(inner, sd.sigmoid)
               for node in expr.atoms(sd.sigmoid) for inner in sp.preorder_traversal(node.args[0]))


# --- The targets ----------------------------------------------------------------------------------


def test_the_seeds_two_weights_meet_the_line_targets(seed, output_weight, hidden_weight):
    assert len(output_weight.steps) <= 6
    assert len(hidden_weight.steps) <= 8
    # the flat chain, kept under detail="full", is the longer one
    assert len(seed.derive(seed.theta(2, 1, 2), detail="full", check=False).steps) > 2 * len(output_weight.steps)


def test_the_chain_goes_through_the_named_layers(seed, output_weight, hidden_weight):
    a3, z3, a2, z2 = seed.a(3, 1), seed.z(3, 1), seed.a(2, 1), seed.z(2, 1)
    chain = output_weight.steps[0].after
    # ∂J/∂θ = (1/m)·∂E/∂a³·∂a³/∂z³·∂z³/∂θ + (λ/m)θ, each factor a derivative with respect to a name
    assert {d.variables[0] for d in chain.atoms(sp.Derivative)} == {a3, z3, seed.theta(2, 1, 2)}
    assert output_weight.steps[0].where[a3] == sd.sigmoid(z3)
    # for θ¹₁₂ on through a²₁ and z²₁
    variables = {d.variables[0] for d in hidden_weight.steps[0].after.atoms(sp.Derivative)}
    assert variables == {a3, z3, a2, z2, seed.theta(1, 1, 2)}
    assert output_weight.rules[:2] == ("chain", "derivatives")
    assert hidden_weight.rules[:2] == ("backprop", "derivatives")


def test_the_cost_is_never_written_out(seed, output_weight, hidden_weight):
    for d in (output_weight, hidden_weight):
        # the start names every activation θ does not reach; no later line holds σ of σ
        assert not any(_nested_sigmoid(step.after) for step in d.steps)
        assert seed.a(2, 2) in d.expr.free_symbols
    assert not _nested_sigmoid(output_weight.expr)
    assert seed.a(2, 1) in output_weight.expr.free_symbols


def test_the_seeds_forms(seed, output_weight, hidden_weight):
    m, lam, y = seed.m, seed.lam, seed.y()
    a3, a2 = seed.a(3, 1), seed.a(2, 1)
    theta = seed.theta(2, 1, 2)
    # seed 001: ∂J/∂θ²₁₂ = (1/m)[a³ − y]·a²₂, plus the regularization (λ/m)θ
    assert output_weight.result == (a3 - y) * seed.a(2, 2) / m + lam * theta / m
    # seed 001: ∂J/∂θ¹₁₂ = (1/m)·δ³·θ²₁₁·s(z²)(1 − s(z²))·x₂ with δ³ = a³ − y
    seeds_line = seed.delta(3, 1) * seed.theta(2, 1, 1) * a2 * (1 - a2) * seed.x(2) / m
    assert any(seeds_line in sp.Add.make_args(step.after) for step in hidden_weight.steps)
    assert hidden_weight.where[seed.delta(3, 1)] == a3 - y
    assert hidden_weight.result == seed.delta(2, 1) * seed.x(2) / m + lam * seed.theta(1, 1, 2) / m


def test_no_line_of_the_network_command_is_wider_than_100_columns(capsys):
    from symderiv.cli.main import main

    assert main(["network", "2", "2", "1", "--weight", "2,1,2"]) == 0
    out = capsys.readouterr().out
    assert "a⁽³⁾₁" in out
    assert max(len(line) for line in out.splitlines()) <= 100


# --- The contract, at every level -------------------------------------------------------------------


@pytest.mark.parametrize("which", ["output_weight", "hidden_weight"])
def test_every_main_and_sub_chain_is_a_proven_chain_of_equalities(which, request):
    d = request.getfixturevalue(which)
    assert d.report is not None
    for chain in _chains(d):
        assert chain.steps[0].before == sp.Derivative(chain.expr, chain.wrt)
        for previous, following in zip(chain.steps, chain.steps[1:]):
            assert previous.after == following.before
        assert chain.steps[-1].after == chain.result
        report = check_derivation(chain)  # raises StepCheckError at a step that does not hold
        assert len(report.proofs) == len(chain.steps)


@pytest.mark.parametrize("weight", [(2, 1, 2), (1, 1, 2), (1, 2, 0)])
def test_every_step_is_an_equality_of_functions_of_theta_x_y(seed, weight):
    """As an outside reader checks it: doit, substitute the where repeatedly, compare numbers."""
    d = seed.derive(seed.theta(*weight), check=False)
    for chain in _chains(d):
        for step in chain.steps:
            before = _substituted(step.before.doit(), dict(step.where)).doit()
            after = _substituted(step.after.doit(), dict(step.where)).doit()
            symbols = sorted(before.free_symbols | after.free_symbols, key=lambda s: s.name)
            assert same_function(before, after, symbols, points=2), step.rule


def test_the_start_is_the_cost(seed, hidden_weight):
    start = _substituted(hidden_weight.expr, dict(hidden_weight.steps[0].where))
    assert sp.expand(start - seed.cost) == 0


def test_each_factor_is_derived_once_and_its_value_is_what_the_line_writes(output_weight, hidden_weight):
    for d in (output_weight, hidden_weight):
        line = d.steps[1]
        assert line.rule == "derivatives"
        roots = [sp.Derivative(sub.expr, sub.wrt) for sub in line.substeps]
        assert len(roots) == len(set(roots))
        assert set(roots) == line.before.atoms(sp.Derivative)
        assert line.before.xreplace({root: sub.result for root, sub in zip(roots, line.substeps)}) == line.after
        # the penalty's derivative stands below the chain line
        (penalty,) = d.steps[0].substeps
        assert penalty.rules == ("regularization",)
        assert penalty.result in sp.Add.make_args(d.steps[0].after)


def test_a_wrong_factor_is_caught_by_the_checker(seed, output_weight):
    line = output_weight.steps[1]
    sub = next(s for s in line.substeps if s.rules == ("weighted_sum",))
    wrong = sd.Step("weighted_sum", sub.steps[0].before, seed.a(2, 1))  # the other input's activation
    broken = sd.Derivation(expr=sub.expr, wrt=sub.wrt, steps=(wrong,))
    with pytest.raises(sd.StepCheckError):
        check_derivation(broken)


def test_one_name_per_subexpression_across_every_level():
    net = sd.network([2, 2, 1], samples=2)  # two samples: the engine's u of each must differ
    d = net.derive(net.theta(1, 1, 2), check=False)
    names: dict[sp.Symbol, sp.Expr] = {}
    for chain in _chains(d):
        for step in chain.steps:
            for name, value in step.where.items():
                assert names.setdefault(name, value) == value, name
    values = list(names.values())
    assert len(values) == len(set(values))


def test_unknown_detail_is_refused(seed):
    with pytest.raises(NetworkError, match="unknown detail"):
        seed.derive(seed.theta(2, 1, 2), detail="short")


def test_full_detail_keeps_the_flat_chain_from_the_cost_written_out(seed):
    theta = seed.theta(2, 1, 2)
    d = seed.derive(theta, detail="full")
    assert d.steps[0].before == sp.Derivative(seed.cost, theta)
    assert not any(step.substeps for step in d.steps)
    assert d.result == seed.derive(theta).result


# --- Values from outside: torch autograd and mpmath finite differences ---------------------------------

CONFIGS = {
    "seed": ([2, 2, 1], sd.sigmoid, "cross_entropy", None),
    "mse": ([2, 3, 2], sd.sigmoid, "mse", None),
    "softmax": ([2, 2, 3], sd.sigmoid, "softmax_cross_entropy", None),
    "tanh": ([2, 2, 2, 1], sp.tanh, "cross_entropy", None),
    "relu": ([2, 2, 1], sd.relu, "cross_entropy", None),
    "samples": ([1, 2, 1], sd.sigmoid, "cross_entropy", 2),
}


class Point:
    """Random numbers for every weight, input and target of a network (targets summing to 1 for a softmax)."""

    def __init__(self, net: sd.Network, seed: int = 5) -> None:
        rng = random.Random(seed)
        self.net = net
        sizes = net.sizes
        self.weights = [[[rng.uniform(-1, 1) for _ in range(sizes[l - 1] + 1)] for _ in range(sizes[l])]
                        for l in range(1, net.L)]
        self.samples = net.samples or 1
        self.inputs = [[rng.uniform(-1, 1) for _ in range(sizes[0])] for _ in range(self.samples)]
        self.targets = []
        for _ in range(self.samples):
            raw = [rng.uniform(0.1, 1) for _ in range(sizes[-1])]
            self.targets.append([r / sum(raw) for r in raw] if net.head.output == "softmax" else raw)
        self.m = float(self.samples) if net.samples else M

    def values(self) -> dict[sp.Symbol, float]:
        net = self.net
        values = {net.lam: LAMBDA, net.m: self.m}
        for l, matrix in enumerate(self.weights, start=1):
            for i, row in enumerate(matrix, start=1):
                for j, w in enumerate(row):
                    values[net.theta(l, i, j)] = w
        for s in range(1, self.samples + 1):
            for j, x in enumerate(self.inputs[s - 1], start=1):
                values[net.x(j, s)] = x
            for k, y in enumerate(self.targets[s - 1], start=1):
                values[net.y(k, s)] = y
        return values

    def evaluate(self, expr: sp.Expr) -> float:
        """``expr`` with the network's names evaluated one by one at this point, with SymPy."""
        known = {k: sp.Float(v, 40) for k, v in self.values().items()}
        for name, definition in self.net.bindings.items():
            if name not in known:
                known[name] = definition.xreplace(known).evalf(40)
        return float(expr.xreplace(known).evalf(40))


@pytest.fixture(scope="module", params=sorted(CONFIGS))
def config(request) -> tuple[str, sd.Network, Point, dict[sp.Symbol, float]]:
    sizes, activation, loss, samples = CONFIGS[request.param]
    net = sd.network(sizes, activation=activation, loss=loss, samples=samples)
    point = Point(net)
    # every weight (two with counted samples), unproven here: the numbers are the test; the
    # proofs are the next test's
    weights = net.weights if samples is None else (net.theta(2, 1, 2), net.theta(1, 2, 1))
    ours = {theta: point.evaluate(net.derive(theta, check=False).result) for theta in weights}
    return request.param, net, point, ours


def test_every_kind_of_network_proves_a_hidden_weight_at_every_level(config):
    _, net, _, _ = config
    d = net.derive(net.theta(1, 2, 1))
    assert d.report is not None and len(d.report.proofs) == len(d.steps)
    assert d.rules[:2] == ("backprop", "derivatives") and d.rules[-1] == "delta"
    subs = [sub for step in d.steps for sub in step.substeps]
    assert len(d.report.subs) == len(d.steps) and sum(map(len, d.report.subs)) == len(subs)


def test_every_result_agrees_with_torch_autograd(config):
    torch = pytest.importorskip("torch")
    name, net, point, ours = config
    grads = _torch(torch, name, point)
    for theta, value in ours.items():
        l, i, j = net.locate(theta)
        expected = grads[l - 1][i - 1][j]
        assert abs(value - expected) <= 1e-10 * max(1.0, abs(expected)), theta


def _mp_relu(t: Any) -> Any:
    return t if t > 0 else 0 * t


def test_every_result_agrees_with_central_finite_differences(config):
    name, net, point, ours = config
    values = point.values()  # a softmax's targets sum to 1, as its last target's binding says
    symbols = sorted(values, key=lambda s: s.name)
    function = sp.lambdify(symbols, net.cost, modules=[
        {"sigmoid": lambda t: 1 / (1 + mpmath.exp(-t)), "relu": _mp_relu}, "mpmath"])
    with mpmath.workdps(50):
        h = mpmath.mpf("1e-15")
        for theta, value in ours.items():
            up = [mpmath.mpf(values[s]) + (h if s == theta else 0) for s in symbols]
            down = [mpmath.mpf(values[s]) - (h if s == theta else 0) for s in symbols]
            numeric = float((function(*up) - function(*down)) / (2 * h))
            assert abs(value - numeric) <= 1e-10 * max(1.0, abs(numeric)), theta


def _torch(torch: Any, name: str, point: Point) -> list[list[list[float]]]:
    """∂J/∂Θ by torch.autograd in float64, from the same numbers, J written from its definition."""
    _, activation, loss, _ = CONFIGS[name]
    hidden = {sd.sigmoid: torch.sigmoid, sp.tanh: torch.tanh, sd.relu: torch.relu}[activation]
    weights = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in point.weights]
    x = torch.tensor(point.inputs, dtype=torch.float64)
    y = torch.tensor(point.targets, dtype=torch.float64)
    ones = torch.ones(point.samples, 1, dtype=torch.float64)
    a = x
    for l, w in enumerate(weights, start=1):
        z = torch.cat([ones, a], dim=1) @ w.T
        if l < len(weights):
            a = hidden(z)
        elif loss == "softmax_cross_entropy":
            a = torch.softmax(z, dim=1)
        else:
            a = torch.sigmoid(z)
    if loss == "cross_entropy":
        total = -(y * torch.log(a) + (1 - y) * torch.log(1 - a)).sum()
    elif loss == "mse":
        total = ((a - y) ** 2 / 2).sum()
    else:
        total = -(y * torch.log(a)).sum()
    penalty = sum((w[:, 1:] ** 2).sum() for w in weights)
    cost = total / point.m + LAMBDA / (2 * point.m) * penalty
    cost.backward()
    return [w.grad.tolist() for w in weights]


def _substituted(expr: sp.Expr, where: dict) -> sp.Expr:
    for _ in range(len(where) + 1):
        if not expr.free_symbols & set(where):
            return expr
        expr = expr.subs(where)
    raise AssertionError("substitutions never resolve")
