"""An expression as a computational graph: forward values and backward gradients, node by node.

:func:`graph` turns an expression into nodes, one per operation (``add``, ``mul``, ``neg`` for
×(−1), ``exp``, ``log``, ``reciprocal`` for ÷, ``pow``, ``sigmoid``, ``relu``, ...) and one per
input (``symbol``, ``constant``). A subexpression used twice is one node, read by two others.
Every edge carries its local gradient, ∂(node)/∂(input), as a formula in the nodes' names: the
÷ node y = 1/w passes back −y², written with its own output as the seeds write it.

:meth:`Graph.evaluate` runs the forward pass (the value of every node) and the backward pass
(the gradient of the output at every node, summed over every path that reaches it), as the
seeds draw them. :meth:`Graph.derivation` writes the same backward pass as a proven
:class:`~symderiv.core.steps.Derivation`, so every renderer and language serves it too.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> g = graph(1 / (1 + sp.exp(-x)))
>>> [node.op for node in g.nodes]
['symbol', 'neg', 'exp', 'constant', 'add', 'reciprocal']
>>> g.where
{u: -x, v: exp(u), w: v + 1, y: 1/w}
>>> [str(edge) for edge in g.edges]
['x → u: -1', 'u → v: v', '1 → w: 1', 'v → w: 1', 'w → y: -y**2']
>>> r = g.evaluate({x: 1.0})
>>> round(r.value, 10), round(r.gradient(x), 10)
(0.7310585786, 0.1966119332)
>>> g.derivation().result
(1 - sigmoid(x))*sigmoid(x)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

import mpmath
import sympy as sp

from ..calculus.finish import finish
from ..calculus.rules import NamePool
from ..core.derivation import Derivation
from ..core.functions import sigmoid, softplus
from ..core.steps import Step, resolve_where
from ..errors import SymderivError, UnsupportedError
from ..limits import DEFAULT_WORK_LIMITS, WorkLimits, check_timeout, expression_size
from ..process_budget import run_within
from ..proof.numeric import NotNumeric, is_complex_number, working_context
from ..proof.numeric import evaluate as evaluate_numeric
from ..render import graph_picture
from ..render.unicode import unicode
from . import graph_ops
from .graph_ops import MAX_NODES

__all__ = ["MAX_NODES", "Edge", "Evaluation", "Graph", "Node", "graph"]

# --- The graph -------------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Node:
    """One node: an operation (or an input) and the subexpression it computes.

    - ``op``: what it does: ``add``, ``mul``, ``neg`` (×(−1)), ``reciprocal`` (÷), ``pow``,
      ``exp``, ``log``, ``sigmoid``, ``relu``, another function's name, or ``symbol`` and
      ``constant`` for the inputs;
    - ``expr``: the subexpression it computes, in the graph's variables;
    - ``inputs``: the nodes it reads, in order;
    - ``name``: what stands for its output in formulas: the symbol itself for a ``symbol``, the
      number for a ``constant``, a fresh name (u, v, w, ..., y for the output) for the others;
    - ``definition``: its output in terms of its inputs' names, ``1/w`` for y = 1/w;
    - ``local_gradients``: ∂(output)/∂(input) for each input, in names, ``(-y**2,)`` for y = 1/w.
    """

    index: int
    op: str
    expr: sp.Expr
    inputs: tuple[Node, ...]
    name: sp.Expr
    definition: sp.Expr
    local_gradients: tuple[sp.Expr, ...] = ()

    @property
    def is_input(self) -> bool:
        """True for the leaves: a ``symbol`` or a ``constant``."""
        return self.op in ("symbol", "constant")

    @property
    def label(self) -> str:
        """The node as a diagram draws it: ``÷``, ``exp``, ``×(−1)``, ``^2``, or the input's name."""
        if self.is_input:
            return unicode(self.name)
        return graph_ops.op_label(self.op, self.definition, len(self.inputs))

    def __repr__(self) -> str:
        if self.is_input:
            return f"Node({self.index}, {self.op!r}, {self.name})"
        return f"Node({self.index}, {self.op!r}, {self.name} = {self.definition})"


@dataclass(frozen=True, eq=False)
class Edge:
    """An input feeding a node, with the local gradient ∂(target)/∂(source) in the nodes' names."""

    source: Node
    target: Node
    position: int
    local_gradient: sp.Expr

    def __str__(self) -> str:
        return f"{self.source.name} → {self.target.name}: {self.local_gradient}"


class Graph:
    """The computational graph of one expression; build it with :func:`graph`.

    ``nodes`` are in the order a forward pass computes them (every node after its inputs, the
    output last); ``edges`` run from an input to the node that reads it; ``where`` is the forward
    pass written as equations, ``{u: -x, v: exp(u), ...}``.
    """

    def __init__(self, expr: sp.Expr, nodes: tuple[Node, ...]):
        self.expr = expr
        self.nodes = nodes
        self.output = nodes[-1]
        self.edges = tuple(
            Edge(source, node, position, local)
            for node in nodes
            for position, (source, local) in enumerate(zip(node.inputs, node.local_gradients))
        )
        self._entering: dict[Node, list[Edge]] = {node: [] for node in nodes}
        for edge in self.edges:
            self._entering[edge.target].append(edge)
        self.where: dict[sp.Symbol, sp.Expr] = {
            node.name: node.definition for node in nodes if not node.is_input  # type: ignore[misc]
        }
        self.variables: tuple[sp.Symbol, ...] = tuple(
            sorted((n.name for n in nodes if n.op == "symbol"), key=lambda s: s.name)  # type: ignore[union-attr]
        )

    def __repr__(self) -> str:
        expr = str(self.expr)
        expr = expr if len(expr) <= 60 else expr[:59] + "…"
        return f"<Graph of {expr}: {len(self.nodes)} nodes, {len(self.edges)} edges>"

    def _repr_svg_(self) -> str | None:
        """How Jupyter shows a graph: its picture, when Graphviz is installed (the ``graph``
        extra); otherwise None, and Jupyter shows the one-line repr."""
        try:
            return self.to_svg()
        except SymderivError:
            return None

    def node(self, key: sp.Expr | str) -> Node:
        """The node computing ``key`` (a subexpression), or named ``key`` (a name or its text).

        >>> import sympy as sp
        >>> a, b = sp.symbols("a b")
        >>> g = graph((a + b) * (b + 1))
        >>> g.node(a + b), g.node("y")
        (Node(2, 'add', u = a + b), Node(5, 'mul', y = u*v))
        """
        for node in self.nodes:
            if key in (node.expr, node.name) or (isinstance(key, str) and key == str(node.name)):
                return node
        if isinstance(key, str):
            for node in self.nodes:
                if node.op == "symbol" and str(node.name) == key:
                    return node
        raise KeyError(f"no node computes or is named {key}; the nodes are {', '.join(map(str, self.names))}")

    @property
    def names(self) -> tuple[sp.Expr, ...]:
        """Each node's name, in the order of ``nodes``."""
        return tuple(node.name for node in self.nodes)

    def in_variables(self, expr: sp.Expr) -> sp.Expr:
        """``expr`` with every node name replaced by what it computes, e.g. −y² → −1/(1 + e⁻ˣ)².

        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> g = graph(1 / (1 + sp.exp(-x)))
        >>> g.in_variables(g.output.local_gradients[0])
        -1/(1 + exp(-x))**2

        Text is read by :func:`symderiv.parse` (never evaluated): ``g.in_variables("y**2")``.
        """
        return resolve_where(graph_ops.coerce(expr, drawing=False), self.where)

    def inputs_of(self, node: Node) -> tuple[Edge, ...]:
        """The edges entering ``node``, in the order of its inputs."""
        return tuple(self._entering[node])

    def gradients(self) -> dict[Node, sp.Expr]:
        """The backward pass in symbols: ∂(output)/∂(node) for every node, in the nodes' names.

        Each node's gradient is the sum, over the nodes that read it, of their gradient times the
        local gradient of the edge between them: seed 000's ÷ node gets 1, the + node −y².

        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> g = graph(1 / (1 + sp.exp(-x)))
        >>> g.gradients()[g.node(x)]
        v*y**2
        """
        return _backward(self, lambda edge: edge.local_gradient, sp.S.One, sp.S.Zero)

    def evaluate(self, point: Mapping[sp.Symbol | str, Any], *, digits: int = 30) -> Evaluation:
        """The forward pass and the backward pass at ``point``, ``{x: 1.0}``, node by node.

        Values are computed with mpmath at ``digits`` digits and handed out as floats. Raises
        :class:`SymderivError` when an input has no value or a node has no finite real value.

        >>> import sympy as sp
        >>> a, b = sp.symbols("a b")
        >>> r = graph((a + b) * (b + 1)).evaluate({a: 2, b: 1})
        >>> r.value, r.gradient(a), r.gradient(b)
        (6.0, 2.0, 5.0)
        """
        values_at = self._point(point)
        values: dict[Node, Any] = {}
        with working_context(digits) as ctx:  # this call's precision, not mpmath's global one
            for node in self.nodes:
                if node.op == "symbol":
                    values[node] = ctx.convert(values_at[node.name])  # type: ignore[index]
                else:
                    known = {n.name: values[n] for n in node.inputs if not n.name.is_number}
                    values[node] = _number(node.definition, known, node, digits, ctx)
            locals_: dict[Edge, Any] = {}
            for edge in self.edges:
                known = {n.name: values[n] for n in (edge.target, *edge.target.inputs) if not n.name.is_number}
                locals_[edge] = _number(edge.local_gradient, known, edge.target, digits, ctx)
            gradients = _backward(self, locals_.__getitem__, ctx.mpf(1), ctx.mpf(0))
        return Evaluation(
            graph=self,
            point={symbol: float(value) for symbol, value in values_at.items()},
            values={node: float(value) for node, value in values.items()},
            gradients={node: float(value) for node, value in gradients.items()},
            local_gradients={edge: float(value) for edge, value in locals_.items()},
        )

    def derivation(self, wrt: sp.Symbol | str | None = None, *, target_form: bool = True,
                   check: bool = True) -> Derivation:
        """The backward pass as a proven :class:`~symderiv.core.steps.Derivation` of d(output)/d(wrt).

        It starts from ``Derivative(expr, wrt)`` and goes back through the graph one node at a
        time (rule ``backward_node``), from the output to the inputs: the gradient that reached a
        node is multiplied by the node's local gradients and passed to each of its inputs, where
        what arrives by several paths adds up. Then d(wrt)/d(wrt) = 1 (``identity``), the names are
        put back (``substitute``), and the result is brought to the same target form as
        :func:`symderiv.derive` gives (σ(x)(1 − σ(x)) for the sigmoid). Every step is proven.

        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> d = graph(1 / (1 + sp.exp(-x))).derivation()
        >>> [step.after for step in d.steps[:5]]
        [-y**2*Derivative(1 + exp(-x), x), -y**2*Derivative(exp(-x), x), -v*y**2*Derivative(-x, x), v*y**2*Derivative(x, x), v*y**2]
        """
        variable = self._variable(wrt)
        expr = self.output.expr
        start = sp.Derivative(expr, variable)
        steps: list[Step] = []
        if variable not in expr.free_symbols:
            constants = tuple(sorted(expr.free_symbols, key=lambda s: s.name))
            steps.append(Step("constant", start, sp.S.Zero, focus=(start, sp.S.Zero),
                              detail={"variable": variable, "constants": constants}))
        else:
            steps.extend(self._backward_steps(variable))
        # The names go back with SymPy's usual evaluation, in one step (cancel=False).
        return finish(steps, expr, variable, strategy="graph", where=self.where, cancel=False,
                      target_form=target_form, check=check)

    def _backward_steps(self, variable: sp.Symbol) -> Iterator[Step]:
        """``backward_node`` steps from the output back to ``variable``, then ``identity``.

        The expression after each step is Σ ḡₙ · d(n)/d(variable) over the nodes n the backward
        pass has reached but not yet gone through; it goes through the latest node first, so that
        every gradient reaching a node has arrived before it is passed on.
        """
        depends = {node: variable in node.expr.free_symbols for node in self.nodes}
        reached: dict[Node, sp.Expr] = {self.output: sp.S.One}
        current: sp.Expr = sp.Derivative(self.output.expr, variable)
        while True:
            pending = [node for node in reached if not node.is_input]
            if not pending:
                break
            node = max(pending, key=lambda n: n.index)
            upstream = reached.pop(node)
            local: dict[sp.Expr, sp.Expr] = {}
            for edge in self.inputs_of(node):
                if depends[edge.source]:
                    reached[edge.source] = reached.get(edge.source, sp.S.Zero) + upstream * edge.local_gradient
                    key = sp.Derivative(node.definition, edge.source.name)
                    local[key] = local.get(key, sp.S.Zero) + edge.local_gradient
            after = _frontier(reached, variable)
            yield Step("backward_node", current, after, where=_in_scope(self.where, current, after),
                       detail={"node": {node.name: node.definition}, "local": local,
                               "gradient": upstream, "op": node.op, "variable": variable})
            current = after
        leaf = sp.Derivative(variable, variable)
        after = current.xreplace({leaf: sp.S.One})
        yield Step("identity", current, after, where=_in_scope(self.where, current),
                   focus=(leaf, sp.S.One), detail={"variable": variable})

    def table(self, at: Mapping[sp.Symbol | str, Any] | Evaluation | None = None) -> str:
        """The nodes and the edges as text tables; with ``at``, forward values and gradients too.

        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> print(graph(sp.log(x)**2).table())
        node  op     computes  ∂y/∂node
        x     input  x         2·u/x
        u     log    log(x)    2·u
        y     ^2     u²        1
        <BLANKLINE>
        edge   local gradient
        x → u  ∂u/∂x = 1/x
        u → y  ∂y/∂u = 2·u
        """
        return graph_picture.table(self, self._evaluation(at))

    def to_dot(self, at: Mapping[sp.Symbol | str, Any] | Evaluation | None = None) -> str:
        """The graph in Graphviz's DOT language, drawn left to right as the seeds draw it.

        Each node shows its op, its name and definition and its gradient; each edge its local
        gradient. With ``at`` (a point or an :class:`Evaluation`) the numbers are shown too:
        forward values in black, backward gradients in red.

        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> dot = graph(1 / (1 + sp.exp(-x))).to_dot(at={x: 1})
        >>> dot.splitlines()[0], "−y² = −0.5344" in dot
        ('digraph "computational graph" {', True)
        """
        return graph_picture.dot_text(self, self._evaluation(at))

    def to_svg(self, at: Mapping[sp.Symbol | str, Any] | Evaluation | None = None, *,
               engine: str = "auto") -> str:
        """The graph as an SVG picture (one ``<svg>`` element), laid out by Graphviz's dot.

        ``engine`` is ``"pygraphviz"`` (Graphviz bundled in the pygraphviz wheel, in-process),
        ``"dot"`` (an installed Graphviz program) or ``"auto"``, the first of them available:
        the wheel first, so that the same Graphviz draws the same picture on every machine where
        symderiv is installed. See :func:`symderiv.render.graph_picture.layout_engine`.
        """
        return graph_picture.svg_from_dot(self.to_dot(at), engine=engine)

    def _evaluation(self, at: Mapping[sp.Symbol | str, Any] | Evaluation | None) -> Evaluation | None:
        """``at`` as an :class:`Evaluation`: evaluated here when it is a point."""
        return at if isinstance(at, Evaluation) or at is None else self.evaluate(at)

    def _variable(self, wrt: sp.Symbol | str | None) -> sp.Symbol:
        if wrt is None:
            if len(self.variables) != 1:
                names = ", ".join(map(str, self.variables)) or "none"
                raise SymderivError(f"say which variable to differentiate by (variables: {names})")
            return self.variables[0]
        if isinstance(wrt, str):
            matches = [s for s in self.variables if s.name == wrt]
            return matches[0] if matches else sp.Symbol(wrt)
        if not isinstance(wrt, sp.Symbol):
            raise UnsupportedError(f"wrt must be a Symbol or its name, got {type(wrt).__name__}")
        return wrt

    def _point(self, point: Mapping[sp.Symbol | str, Any]) -> dict[sp.Symbol, Any]:
        by_name = {str(key): value for key, value in point.items()}
        missing = [s.name for s in self.variables if s.name not in by_name]
        if missing:
            raise SymderivError(f"give a value for {', '.join(missing)}, e.g. {missing[0]}=1")
        values = {}
        for symbol in self.variables:
            value = by_name[symbol.name]
            try:
                number = mpmath.mpmathify(value if not isinstance(value, sp.Basic) else sp.Float(value, 40))
            except (TypeError, ValueError) as error:
                raise SymderivError(f"the value of {symbol} must be a number, got {value!r}") from error
            if isinstance(number, mpmath.mpc) or not mpmath.isfinite(number):
                raise SymderivError(f"the value of {symbol} must be a finite real number, got {value!r}")
            values[symbol] = number
        return values


@dataclass(frozen=True)
class Evaluation:
    """A forward and a backward pass at one point: every node's value and gradient, as floats.

    ``values[node]`` is the node's forward value, ``gradients[node]`` the output's gradient with
    respect to it (summed over every path), ``local_gradients[edge]`` the edge's local gradient.
    """

    graph: Graph
    point: dict[sp.Symbol, float]
    values: dict[Node, float] = field(repr=False)
    gradients: dict[Node, float] = field(repr=False)
    local_gradients: dict[Edge, float] = field(repr=False)

    @property
    def value(self) -> float:
        """The output's value."""
        return self.values[self.graph.output]

    def gradient(self, key: Node | sp.Expr | str) -> float:
        """∂(output)/∂(key) at the point: ``key`` a variable, a node, a subexpression or a name.

        A variable the output does not depend on has gradient 0.
        """
        node = self._node(key)
        return 0.0 if node is None else self.gradients[node]

    def value_of(self, key: Node | sp.Expr | str) -> float:
        """The forward value of a node, given as a node, a subexpression or a name."""
        node = self._node(key)
        if node is None:
            raise KeyError(f"no node computes or is named {key}")
        return self.values[node]

    def _node(self, key: Node | sp.Expr | str) -> Node | None:
        if isinstance(key, Node):
            return key
        try:
            return self.graph.node(key)
        except KeyError:
            if isinstance(key, sp.Symbol) or (isinstance(key, str) and key.isidentifier()):
                return None
            raise

    def table(self) -> str:
        """The forward and backward pass as two text tables: the nodes, then the edges.

        >>> import sympy as sp
        >>> x = sp.Symbol("x")
        >>> print(graph(sp.exp(-x)).evaluate({x: 0}).table())
        node  op     computes  value  ∂y/∂node
        x     input  x         0      −1
        u     ×(−1)  −x        0      1
        y     exp    exp(u)    1      1
        <BLANKLINE>
        edge   local gradient  value
        x → u  ∂u/∂x = −1      −1
        u → y  ∂y/∂u = y       1
        """
        return self.graph.table(self)


def graph(expr: sp.Expr | str, *, expand: bool = False,
          names: Mapping[str | sp.Symbol, sp.Expr] | None = None,
          limits: WorkLimits | None = None, timeout: float | None = None,
          memory_mb: int | None = 1024) -> Graph:
    """The computational graph of ``expr``: one node per operation, shared subexpressions once.

    ``expand=True`` draws σ(u) as its four elementary nodes ×(−1), exp, +1 and ÷ (the graph of
    1/(1 + e^{−u}), as seed 000 draws it) and softplus(u) as log(1 + e^{u}). ``names`` gives
    nodes names of your choosing, ``{"c": a + b}``; the others are named u, v, w, ... in the order
    they are computed, and the output y (when the expression does not use y).

    >>> import sympy as sp
    >>> import symderiv as sd
    >>> x = sp.Symbol("x")
    >>> [node.label for node in sd.graph(sd.sigmoid(x), expand=True).nodes]
    ['x', '×(−1)', 'exp', '1', '+', '÷']
    >>> a, b = sp.symbols("a b")
    >>> g = sd.graph((a + b) * (b + 1), names={"c": a + b, "d": b + 1, "e": (a + b) * (b + 1)})
    >>> g.where
    {c: a + b, d: b + 1, e: c*d}

    Sizes are checked before the graph is built, against ``limits`` (a
    :class:`~symderiv.limits.WorkLimits`: by default at most 2000 nodes in the expression's tree,
    100 levels deep, 500 nodes in the graph); past one, :class:`LimitError` naming it. With
    ``timeout`` (seconds) the graph is built in a worker process with that wall clock and
    ``memory_mb`` of memory (see :func:`symderiv.limits.run_with_budget`).
    """
    limits = limits or DEFAULT_WORK_LIMITS
    expression = graph_ops.coerce(expr)
    size, depth = expression_size(expression, stop=limits.max_expression_nodes)
    limits.check("max_expression_nodes", size, f"the expression has {size} or more nodes")
    limits.check("max_expression_depth", depth, f"the expression nests {depth} levels deep")
    if timeout is not None:
        check_timeout(timeout)
        return run_within(graph, expression, expand=expand, names=names, limits=limits,
                          timeout=timeout, memory_mb=memory_mb)
    if expand:
        expression = expression.replace(sigmoid, lambda u: 1 / (1 + sp.exp(-u)))
        expression = expression.replace(softplus, lambda u: sp.log(1 + sp.exp(u)))
    shapes = graph_ops.shapes(expression, limits.max_graph_nodes)
    chosen = graph_ops.chosen_names(names, shapes, expression)
    pool = NamePool([s.name for s in expression.free_symbols] + [s.name for s in chosen.values()])
    output = shapes[-1][0]
    nodes: list[Node] = []
    by_expr: dict[sp.Expr, Node] = {}
    for sub, op, arguments in shapes:
        inputs = tuple(by_expr[argument] for argument in arguments)
        if op == "symbol" or op == "constant":
            name: sp.Expr = sub
        elif sub in chosen:
            name = chosen[sub]
        else:
            name = pool.fresh("y" if sub == output else None)
        definition = graph_ops.definition(op, sub, [n.name for n in inputs])
        local = graph_ops.local_gradients(op, definition, [n.name for n in inputs], name)
        node = Node(len(nodes), op, sub, inputs, name, definition, local)
        nodes.append(node)
        by_expr[sub] = node
    return Graph(expression, tuple(nodes))


# --- Backward passes ---------------------------------------------------------------------------

T = TypeVar("T")


def _backward(g: Graph, local: Callable[[Edge], T], one: T, zero: T) -> dict[Node, T]:
    """Reverse mode: from the output back, each node passes gradient × local gradient to its inputs.

    Nodes are visited after every node that reads them, so each gradient is complete (summed
    over all paths) before it is passed on, and each local gradient is used once.
    """
    gradients: dict[Node, T] = {node: zero for node in g.nodes}
    gradients[g.output] = one
    for node in reversed(g.nodes):
        for edge in g.inputs_of(node):
            gradients[edge.source] = gradients[edge.source] + gradients[node] * local(edge)  # type: ignore[operator]
    return gradients


def _frontier(reached: Mapping[Node, sp.Expr], variable: sp.Symbol) -> sp.Expr:
    return sp.Add(*(gradient * sp.Derivative(node.expr, variable) for node, gradient in reached.items()))


def _in_scope(where: Mapping[sp.Symbol, sp.Expr], *exprs: sp.Expr) -> dict[sp.Symbol, sp.Expr]:
    """The definitions ``exprs`` use, directly or through other names, in the graph's order."""
    used: set[sp.Symbol] = set()
    pending = [s for e in exprs for s in e.free_symbols if s in where]
    while pending:
        name = pending.pop()
        if name not in used:
            used.add(name)
            pending.extend(s for s in where[name].free_symbols if s in where)
    return {name: value for name, value in where.items() if name in used}


def _number(expr: sp.Expr, known: Mapping[sp.Expr, Any], node: Node, digits: int, ctx: Any) -> Any:
    try:
        value = evaluate_numeric(expr, known, digits=digits, context=ctx)  # type: ignore[arg-type]
    except NotNumeric as error:
        raise SymderivError(f"the node {node.name} = {node.expr} has no finite value here ({error})") from error
    if is_complex_number(value):
        if abs(value.imag) > ctx.mpf(10) ** (-digits // 2) * max(1, abs(value)):
            raise SymderivError(f"the node {node.name} = {node.expr} has no real value here ({value})")
        value = value.real
    return value
