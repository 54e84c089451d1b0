"""Computational graphs: the seeds' numbers, node by node, and the backward pass against SymPy.

Known answers come from outside the code under test: the seeds (000: σ as ×(−1), exp, +1, ÷ with
σ(1) = 0.7310585786 and σ'(1) = 0.1966119332; 001: e = (a+b)(b+1) at a = 2, b = 1 gives e = 6,
∂e/∂a = 2, ∂e/∂b = 5), ``math.exp``, ``sympy.diff`` evaluated by SymPy, and the layers of seed 003.
"""

from __future__ import annotations

import importlib
import math
import random
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest
import sympy as sp

import symderiv as sd
from conftest import same_function
from symderiv.errors import SymderivError, UnsupportedError
from symderiv.render.graph_picture import layout_engine

x, y, z, a, b, w = sp.symbols("x y z a b w")
SIGMA_1 = 1 / (1 + math.exp(-1))  # σ(1), from the definition
SVG = "{http://www.w3.org/2000/svg}"


def close(value: float, expected: float, tolerance: float = 1e-12) -> bool:
    return abs(value - expected) <= tolerance * max(1.0, abs(expected))


# --- Seed 000: σ as four nodes, the gradient passed back node by node ------------------------

@pytest.fixture
def sigma_graph() -> sd.Graph:
    return sd.graph(sd.sigmoid(x), expand=True)


def test_sigmoid_expands_into_the_four_nodes_of_seed_000(sigma_graph):
    operations = [node.op for node in sigma_graph.nodes if not node.is_input]
    assert operations == ["neg", "exp", "add", "reciprocal"]
    assert [node.label for node in sigma_graph.nodes if not node.is_input] == ["×(−1)", "exp", "+", "÷"]
    assert sigma_graph.output.expr == 1 / (1 + sp.exp(-x))


def test_sigmoid_kept_whole_is_one_node_whose_local_gradient_is_y_times_one_minus_y():
    g = sd.graph(sd.sigmoid(x))
    assert [node.op for node in g.nodes] == ["symbol", "sigmoid"]
    out = g.output.name
    assert g.output.local_gradients == (out * (1 - out),)


def test_each_node_of_seed_000_has_the_local_gradient_the_seed_gives_it(sigma_graph):
    by_op = {node.op: node for node in sigma_graph.nodes}
    divide, plus, exp, negate = by_op["reciprocal"], by_op["add"], by_op["exp"], by_op["neg"]
    # ÷: "square the output and put a minus sign in front", −y², in the node's own output
    assert divide.local_gradients == (-divide.name**2,)
    assert sigma_graph.in_variables(divide.local_gradients[0]) == -1 / (1 + sp.exp(-x)) ** 2
    # +: passes the gradient through unchanged, to both inputs
    assert plus.local_gradients == (1, 1)
    # exp: multiplies by its own output, exp(−x)
    assert exp.local_gradients == (exp.name,)
    assert sigma_graph.in_variables(exp.name) == sp.exp(-x)
    # ×(−1): multiplies by −1
    assert negate.local_gradients == (-1,)


def test_seed_000_backward_pass_at_x_equals_1_node_by_node(sigma_graph):
    r = sigma_graph.evaluate({x: 1.0})
    by_op = {node.op: node for node in sigma_graph.nodes}
    expected_values = {"symbol": 1.0, "neg": -1.0, "exp": math.exp(-1), "add": 1 + math.exp(-1),
                       "reciprocal": SIGMA_1}
    for op, value in expected_values.items():
        assert close(r.values[by_op[op]], value), op
    expected_gradients = {
        "reciprocal": 1.0,                                  # ∂L/∂y, the start
        "add": -SIGMA_1**2,                                 # ÷ node: × (−y²)
        "exp": -SIGMA_1**2,                                 # + node: passes it on
        "neg": -SIGMA_1**2 * math.exp(-1),                  # exp node: × exp(−x)
        "symbol": SIGMA_1**2 * math.exp(-1),                # ×(−1) node: × (−1): y² exp(−x)
    }
    for op, gradient in expected_gradients.items():
        assert close(r.gradients[by_op[op]], gradient), op
    assert close(r.gradient(x), SIGMA_1 * (1 - SIGMA_1))    # = y(1 − y)


@pytest.mark.parametrize(
    "expr, expand",
    [(sd.sigmoid(x), True), (sd.sigmoid(x), False), (1 / (1 + sp.exp(-x)), False)],
    ids=["sigmoid expanded", "sigmoid node", "written out"],
)
def test_sigmoid_at_1_has_the_seed_values(expr, expand):
    r = sd.graph(expr, expand=expand).evaluate({x: 1})
    assert round(r.value, 10) == 0.7310585786
    assert round(r.gradient(x), 10) == 0.1966119332


def test_symbolic_backward_pass_of_seed_000_reaches_y_squared_exp_minus_x(sigma_graph):
    gradient = sigma_graph.gradients()[sigma_graph.node(x)]
    assert sigma_graph.in_variables(gradient) == sp.exp(-x) / (1 + sp.exp(-x)) ** 2


@pytest.mark.parametrize("expr", [sd.sigmoid(x), 1 / (1 + sp.exp(-x))], ids=str)
@pytest.mark.parametrize("expand", [False, True])
def test_derivation_of_the_sigmoid_ends_in_y_times_one_minus_y_as_derive_does(expr, expand):
    d = sd.graph(expr, expand=expand).derivation()
    assert d.result == sd.sigmoid(x) * (1 - sd.sigmoid(x))
    assert d.result == sd.derive(expr, x).result


def test_derivation_goes_back_through_seed_000_one_node_at_a_time(sigma_graph):
    d = sigma_graph.derivation()
    assert d.rules[:6] == ("backward_node",) * 4 + ("identity", "substitute")
    assert [step.detail["op"] for step in d.steps[:4]] == ["reciprocal", "add", "exp", "neg"]
    names = {node.op: node.name for node in sigma_graph.nodes}
    # after the four nodes: ∂y/∂x = y²·exp(−x), as seed 000 writes it before changing its form
    assert d.steps[4].after == names["reciprocal"] ** 2 * names["exp"]
    assert d.steps[5].after == sp.exp(-x) / (1 + sp.exp(-x)) ** 2


# --- Seed 001: e = (a+b)(b+1), b reaches e by two paths ---------------------------------------

@pytest.fixture
def seed_001() -> sd.Graph:
    e = (a + b) * (b + 1)
    return sd.graph(e, names={"c": a + b, "d": b + 1, "e": e})


def test_seed_001_has_one_node_for_b_read_by_two_nodes(seed_001):
    assert [str(node.name) for node in seed_001.nodes if not node.is_input] == ["c", "d", "e"]
    b_node = seed_001.node(b)
    readers = [edge.target.name for edge in seed_001.edges if edge.source is b_node]
    assert readers == [sp.Symbol("c"), sp.Symbol("d")]
    assert sum(node.expr == b for node in seed_001.nodes) == 1


def test_seed_001_values_and_gradients_at_a_2_b_1(seed_001):
    r = seed_001.evaluate({"a": 2, "b": 1})
    assert (r.value_of("c"), r.value_of("d"), r.value) == (3.0, 2.0, 6.0)
    assert (r.gradient("c"), r.gradient("d")) == (2.0, 3.0)  # ∂e/∂c = d, ∂e/∂d = c
    assert (r.gradient(a), r.gradient(b)) == (2.0, 5.0)


def test_seed_001_gradient_of_b_is_the_sum_over_both_paths(seed_001):
    c, d = sp.symbols("c d")
    assert seed_001.gradients()[seed_001.node(b)] == c + d


def test_seed_001_derivation_goes_through_each_node_once_and_sums_the_paths(seed_001):
    for variable, expected in ((a, b + 1), (b, a + 2 * b + 1)):
        derivation = seed_001.derivation(variable)
        assert derivation.result == expected
        assert derivation.rules.count("backward_node") == (3 if variable == b else 2)
    c, d = sp.symbols("c d")
    steps = seed_001.derivation(b).steps
    assert (c + d) * sp.Derivative(b, b) in [step.after for step in steps]


# --- The contract of DESIGN.md for graph derivations -----------------------------------------

CORPUS = [
    (sd.sigmoid(x), x, True),
    (1 / (1 + sp.exp(-x)), x, False),
    (sd.logistic_loss(z, y), z, True),
    (sd.sigmoid(x) ** 2, x, False),
    (sp.sin(x) ** 2 * sp.exp(3 * x), x, False),
    (sp.log(1 + sp.exp(x)), x, False),
    (x**x, x, False),
    (sp.tanh(x), x, False),
    (sp.sqrt(1 + sd.sigmoid(2 * x)), x, False),
    (sd.relu(w * x + b), w, False),
    ((a + b) * (b + 1), b, False),
]


@pytest.mark.parametrize(("expr", "wrt", "expand"), CORPUS, ids=[f"{e} d{v}" for e, v, _ in CORPUS])
def test_graph_derivation_is_one_chain_of_proven_equalities(expr, wrt, expand):
    g = sd.graph(expr, expand=expand)
    d = g.derivation(wrt)
    assert d.steps[0].before == sp.Derivative(g.expr, wrt)
    for previous, following in zip(d.steps, d.steps[1:]):
        assert previous.after == following.before
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    for step in d.steps:
        assert step.rule in sd.RULES and isinstance(step.where, dict)
        before = sp.sympify(step.before.doit())
        after = sp.sympify(step.after.doit())
        for _ in range(len(step.where) + 1):
            before, after = before.subs(step.where), after.subs(step.where)
        assert same_function(before.doit(), after.doit(), symbols), step.rule
    assert same_function(d.result, sp.diff(expr, wrt), symbols)


@pytest.mark.parametrize(
    ("expr", "wrt", "expand"),
    [(sd.logistic_loss(z, y), z, True), (sp.tanh(x), x, False), (x**x, x, False),
     (sd.softplus(x), x, False), (sp.sqrt(1 + sd.sigmoid(2 * x)), x, False)],
    ids=str,
)
def test_graph_derivation_ends_in_the_same_form_as_derive(expr, wrt, expand):
    assert sd.graph(expr, expand=expand).derivation(wrt).result == sd.derive(expr, wrt).result


# --- Random expressions: the backward pass against sympy.diff --------------------------------

def random_expression(rng: random.Random, depth: int) -> sp.Expr:
    """An expression in x and y, defined (finite and real) everywhere."""
    if depth == 0 or rng.random() < 0.2:
        return rng.choice([x, y, x, y, sp.Integer(2), sp.Rational(1, 2), sp.Integer(3)])
    u = random_expression(rng, depth - 1)
    kind = rng.randrange(17)
    if kind < 6:
        v = random_expression(rng, depth - 1)
        return [u + v, u * v, u - v, u / (1 + v**2), u * v + u, (u + 1) * (v - u)][kind]
    return [
        -u, sp.exp(u / 3), sd.sigmoid(u), sd.relu(u), sp.tanh(u), sp.sin(u), sd.softplus(u),
        sp.log(1 + u**2), 1 / (1 + u**2), u**2, u**3,
    ][kind - 6]


def random_expressions(count: int, seed: int, depth: int = 4) -> list[sp.Expr]:
    rng = random.Random(seed)
    found: list[sp.Expr] = []
    while len(found) < count:
        expr = random_expression(rng, depth)
        if expr.free_symbols and expr not in found:
            found.append(expr)
    return found


def sympy_value(expr: sp.Expr, point: dict) -> float:
    return float(sp.N(expr.subs(point), 30))


@pytest.mark.parametrize("expr", random_expressions(60, seed=6), ids=str)
def test_backward_pass_equals_sympy_diff_at_random_points(expr):
    g = sd.graph(expr)
    rng = random.Random(str(expr))
    for _ in range(2):
        point = {x: rng.uniform(-2, 2), y: rng.uniform(-2, 2)}
        r = g.evaluate(point)
        assert close(r.value, sympy_value(expr, point), 1e-9)
        for symbol in sorted(expr.free_symbols, key=str):
            assert close(r.gradient(symbol), sympy_value(sp.diff(expr, symbol), point), 1e-9), symbol


@pytest.mark.parametrize("expr", random_expressions(8, seed=60, depth=3), ids=str)
def test_derivation_of_random_expression_equals_sympy_diff(expr):
    d = sd.graph(expr).derivation(x)
    assert same_function(d.result, sp.diff(expr, x), [x, y])


def test_backward_pass_matches_finite_differences():
    expr = sd.sigmoid(x * y + sp.sin(x)) * sp.log(1 + y**2) + sd.softplus(x - y)
    r = sd.graph(expr).evaluate({x: 0.3, y: -1.2})
    h = 1e-6

    def f(x: float, y: float) -> float:
        return math.log(1 + y**2) / (1 + math.exp(-(x * y + math.sin(x)))) + math.log(1 + math.exp(x - y))

    assert close(r.gradient(x), (f(0.3 + h, -1.2) - f(0.3 - h, -1.2)) / (2 * h), 1e-8)
    assert close(r.gradient(y), (f(0.3, -1.2 + h) - f(0.3, -1.2 - h)) / (2 * h), 1e-8)


# --- Structure ----------------------------------------------------------------------------------

def test_a_shared_subexpression_is_one_node_with_gradients_summed():
    g = sd.graph(sp.sin(x) ** 2 + sp.sin(x))
    sine = [node for node in g.nodes if node.expr == sp.sin(x)]
    assert len(sine) == 1
    assert len([edge for edge in g.edges if edge.source is sine[0]]) == 2
    r = g.evaluate({x: 0.7})
    assert close(r.gradient(x), 2 * math.sin(0.7) * math.cos(0.7) + math.cos(0.7))


def test_nodes_come_after_their_inputs_and_the_output_is_last():
    g = sd.graph(sd.logistic_loss(w * x + b, y))
    for node in g.nodes:
        assert all(inp.index < node.index for inp in node.inputs)
    assert g.output is g.nodes[-1] and g.output.expr == sd.logistic_loss(w * x + b, y)


def test_relu_passes_the_gradient_only_for_positive_inputs():
    g = sd.graph(sd.relu(x))
    assert [g.evaluate({x: value}).gradient(x) for value in (-1.0, 0.0, 2.0)] == [0.0, 0.0, 1.0]


def test_a_variable_the_output_does_not_use_has_gradient_zero():
    assert sd.graph(x**2).evaluate({x: 3}).gradient(z) == 0.0


def test_errors_say_what_is_missing_or_wrong():
    with pytest.raises(SymderivError, match="give a value for y"):
        sd.graph(x * y).evaluate({x: 1})
    with pytest.raises(SymderivError, match="no real value"):
        sd.graph(sp.log(x)).evaluate({x: -1})
    with pytest.raises(SymderivError, match="say which variable"):
        sd.graph(x * y).derivation()
    with pytest.raises(SymderivError, match="cannot be named"):
        sd.graph(x + 1, names={"c": x + 2})
    with pytest.raises(UnsupportedError):
        sd.graph(sp.Piecewise((x, x > 0), (0, True)))


# --- Seed 003: the layers are graph nodes ---------------------------------------------------------

class MulLayer:
    """Seed 003's layers, written again without NumPy (symderiv has no layers module yet)."""

    def forward(self, x: float, y: float) -> float:
        self.x, self.y = x, y
        return x * y

    def backward(self, dout: float) -> tuple[float, float]:
        return dout * self.y, dout * self.x


class AddLayer:
    def forward(self, x: float, y: float) -> float:
        return x + y

    def backward(self, dout: float) -> tuple[float, float]:
        return dout, dout


class Relu:
    def forward(self, x: float) -> float:
        self.mask = x <= 0
        return 0.0 if self.mask else x

    def backward(self, dout: float) -> float:
        return 0.0 if self.mask else dout


class Sigmoid:
    def forward(self, x: float) -> float:
        self.out = 1 / (1 + math.exp(-x))
        return self.out

    def backward(self, dout: float) -> float:
        return dout * (1.0 - self.out) * self.out


@pytest.mark.parametrize("activation", [Relu, Sigmoid], ids=["Relu", "Sigmoid"])
@pytest.mark.parametrize("point", [(1.5, 2.0, -0.5), (0.5, -2.0, 0.25)], ids=["positive", "negative"])
def test_layers_of_seed_003_agree_with_the_graph_nodes(activation, point):
    function = sd.relu if activation is Relu else sd.sigmoid
    g = sd.graph(function(x * y + z))
    r = g.evaluate(dict(zip((x, y, z), point)))
    product, total, out = g.node(x * y), g.node(x * y + z), g.output
    mul, add, act = MulLayer(), AddLayer(), activation()
    # forward: each layer's output is its node's value
    assert close(mul.forward(point[0], point[1]), r.values[product])
    assert close(add.forward(r.values[product], point[2]), r.values[total])
    assert close(act.forward(r.values[total]), r.value)
    # each layer's backward(1) is its node's local gradients
    local = {(e.source.name, e.target.name): v for e, v in r.local_gradients.items()}
    assert close(act.backward(1.0), local[(total.name, out.name)])
    assert add.backward(1.0) == (local[(product.name, total.name)], local[(z, total.name)])
    assert mul.backward(1.0) == pytest.approx((local[(x, product.name)], local[(y, product.name)]))
    # chained, the layers' backward pass is the graph's
    d_total = act.backward(1.0)
    d_product, dz = add.backward(d_total)
    dx, dy = mul.backward(d_product)
    assert close(d_total, r.gradients[total]) and close(d_product, r.gradients[product])
    assert [dx, dy, dz] == pytest.approx([r.gradient(x), r.gradient(y), r.gradient(z)], rel=1e-12, abs=1e-15)


# --- Pictures -------------------------------------------------------------------------------------

def engines() -> list:
    def available(name: str) -> bool:
        try:
            return layout_engine(name) == name
        except SymderivError:
            return False

    return [pytest.param(name, marks=pytest.mark.skipif(not available(name), reason=f"{name} not installed"))
            for name in ("pygraphviz", "dot")]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_dot_text_is_read_by_graphviz_dot():
    g = sd.graph(sd.sigmoid(x), expand=True)
    for at in (None, {x: 1}):
        done = subprocess.run(["dot", "-Tsvg"], input=g.to_dot(at).encode(), capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr.decode()
        assert done.stdout.strip().endswith(b"</svg>")


def test_dot_text_has_one_graphviz_node_per_node_and_one_edge_per_edge():
    pygraphviz = pytest.importorskip("pygraphviz")
    g = sd.graph((a + b) * (b + 1))
    parsed = pygraphviz.AGraph(string=g.to_dot({a: 2, b: 1}))
    assert parsed.number_of_nodes() == len(g.nodes) and parsed.number_of_edges() == len(g.edges)


@pytest.mark.parametrize("engine", engines())
def test_svg_is_well_formed_and_shows_ops_values_and_gradients(engine):
    svg = sd.graph(sd.sigmoid(x), expand=True).to_svg({x: 1.0}, engine=engine)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    text = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for shown in ("×(−1)", "exp", "+", "÷", "y = 1/w = 0.7311", "∂y/∂x = v·y² = 0.1966", "−y² = −0.5344"):
        assert shown in text, shown


def test_no_layout_engine_is_an_error_that_says_what_to_install(monkeypatch):
    picture_module = importlib.import_module("symderiv.render.graph_picture")

    monkeypatch.setattr(picture_module, "_has_pygraphviz", lambda: False)
    monkeypatch.setattr(picture_module.shutil, "which", lambda name: None)
    with pytest.raises(SymderivError, match=r"pip install .symderiv\[graph\]."):
        sd.graph(x).to_svg()


# --- The command line --------------------------------------------------------------------------

def test_cli_prints_the_table_of_forward_and_backward_values(capsys):
    pytest.importorskip("symderiv.parse.text")
    from symderiv.cli.main import main

    assert main(["graph", "1/(1+exp(-x))", "--at", "x=1"]) == 0
    out = capsys.readouterr().out
    assert "0.7310585786" in out and "0.1966119332" in out and "∂y/∂w = −y²" in out


@pytest.mark.parametrize("engine", engines())
def test_cli_writes_the_svg(engine, tmp_path, capsys):
    pytest.importorskip("symderiv.parse.text")
    from symderiv.cli.main import main

    picture = tmp_path / "sigmoid.svg"
    assert main(["graph", "sigmoid(x)", "--expand", "--at", "x=1", "--svg", str(picture), "--engine", engine]) == 0
    assert ET.parse(picture).getroot().tag == f"{SVG}svg"
    assert f"wrote {picture}" in capsys.readouterr().out


def test_cli_without_values_prints_symbolic_gradients(capsys):
    pytest.importorskip("symderiv.parse.text")
    from symderiv.cli.main import main

    assert main(["graph", "(a+b)*(b+1)"]) == 0
    out = capsys.readouterr().out
    assert "u + v" in out and "∂y/∂u = v" in out


def test_cli_refuses_a_value_for_an_unknown_input(capsys):
    pytest.importorskip("symderiv.parse.text")
    from symderiv.cli.main import main

    assert main(["graph", "x**2", "--at", "q=1"]) == 2
    assert "no input named q" in capsys.readouterr().err
