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

import html
import math
import shutil
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, TypeVar

import mpmath
import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from ..calculus import forms
from ..proof.check import check_derivation
from ..errors import LimitError, SymderivError, UnsupportedError
from ..limits import DEFAULT_WORK_LIMITS, WorkLimits, expression_size, run_with_budget
from ..core.functions import sigmoid, softplus
from ..render.layout import FONTNAME, run_layout
from ..proof.numeric import NotNumeric, is_complex_number, working_context
from ..proof.numeric import evaluate as evaluate_numeric
from ..calculus.rules import FUNCTION_RULES, NamePool
from ..core.steps import Derivation, Step, resolve_where

__all__ = ["graph", "Graph", "Node", "Edge", "Evaluation", "LAYOUT_ENGINES", "layout_engine", "MAX_NODES"]

#: A graph with more nodes than this is refused: no picture or table of it could be read.
MAX_NODES = 2000

#: The layout engines :meth:`Graph.to_svg` can use, in the order ``engine="auto"`` tries them.
LAYOUT_ENGINES: dict[str, str] = {
    "pygraphviz": "Graphviz's dot, in-process, from the pygraphviz wheel (Graphviz bundled in it)",
    "dot": "the dot program of an installed Graphviz (Debian: apt-get install graphviz)",
}

# What an op is drawn as: the symbol a textbook writes in the node's circle.
_OP_LABELS = {"add": "+", "mul": "×", "neg": "×(−1)", "reciprocal": "÷", "exp": "exp", "log": "log",
              "sigmoid": "σ", "relu": "ReLU", "softplus": "softplus"}


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
    inputs: tuple["Node", ...]
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
        if self.op == "pow":
            if len(self.inputs) == 2:
                return "^"
            exponent = self.definition.as_base_exp()[1]
            return "√" if exponent == sp.S.Half else "^" + unicode(exponent)
        return _OP_LABELS.get(self.op, self.op)

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
        return f"<Graph of {self.expr}: {len(self.nodes)} nodes, {len(self.edges)} edges>"

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
        return resolve_where(_coerce(expr, drawing=False), self.where)

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

    def evaluate(self, point: Mapping[sp.Symbol | str, Any], *, digits: int = 30) -> "Evaluation":
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
        current = steps[-1].after
        if current.free_symbols & set(self.where):
            after = self.in_variables(current)
            scope = _in_scope(self.where, current)
            steps.append(Step("substitute", current, after, where=scope,
                              detail={"names": tuple(scope), "values": dict(scope)}))
            current = after
        if target_form:
            for rewrite in forms.toward_target(current, expr, variable):
                steps.append(Step(rewrite.rule, current, rewrite.after, focus=rewrite.focus,
                                  detail=rewrite.detail))
                current = rewrite.after
        derivation = Derivation(expr=expr, wrt=variable, steps=tuple(steps), strategy="graph")
        if check:
            derivation = derivation.with_report(check_derivation(derivation))
        return derivation

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

    def table(self, at: Mapping[sp.Symbol | str, Any] | "Evaluation" | None = None) -> str:
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
        evaluation = at if isinstance(at, Evaluation) or at is None else self.evaluate(at)
        return _table(self, evaluation)

    def to_dot(self, at: Mapping[sp.Symbol | str, Any] | "Evaluation" | None = None) -> str:
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
        evaluation = at if isinstance(at, Evaluation) or at is None else self.evaluate(at)
        return _dot(self, evaluation)

    def to_svg(self, at: Mapping[sp.Symbol | str, Any] | "Evaluation" | None = None, *,
               engine: str = "auto") -> str:
        """The graph as an SVG picture (one ``<svg>`` element), laid out by Graphviz's dot.

        ``engine`` is ``"pygraphviz"`` (Graphviz bundled in the pygraphviz wheel, in-process),
        ``"dot"`` (an installed Graphviz program) or ``"auto"``, the first of them available:
        the wheel first, so that the same Graphviz draws the same picture on every machine where
        symderiv is installed. See :func:`layout_engine`.
        """
        return svg_from_dot(self.to_dot(at), engine=engine)

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
    expression = _coerce(expr)
    size, depth = expression_size(expression, stop=limits.max_expression_nodes)
    limits.check("max_expression_nodes", size, f"the expression has {size} or more nodes")
    limits.check("max_expression_depth", depth, f"the expression nests {depth} levels deep")
    if timeout is not None:
        if not 0 < timeout < math.inf:
            raise ValueError(f"timeout must be a positive, finite number of seconds, got {timeout!r}")
        return run_with_budget(graph, expression, expand=expand, names=names, limits=limits,
                               timeout=timeout, memory_mb=memory_mb)
    if expand:
        expression = expression.replace(sigmoid, lambda u: 1 / (1 + sp.exp(-u)))
        expression = expression.replace(softplus, lambda u: sp.log(1 + sp.exp(u)))
    shapes = _shapes(expression, limits.max_graph_nodes)
    chosen = _chosen_names(names, shapes, expression)
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
        definition = _definition(op, sub, [n.name for n in inputs])
        local = _local_gradients(op, definition, [n.name for n in inputs], name)
        node = Node(len(nodes), op, sub, inputs, name, definition, local)
        nodes.append(node)
        by_expr[sub] = node
    return Graph(expression, tuple(nodes))


# --- Building: ops, definitions, local gradients ---------------------------------------------

def _coerce(expr: sp.Expr | str, *, drawing: bool = True) -> sp.Expr:
    """A scalar SymPy expression from ``expr``: text through the safe parser, never ``sympify``."""
    if isinstance(expr, str):
        from ..parse.text import parse

        expr = parse(expr)
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        expr = sp.Integer(expr) if isinstance(expr, int) else sp.Float(expr)
    if not isinstance(expr, sp.Expr):
        what = "graph() draws" if drawing else "in_variables() rewrites"
        raise UnsupportedError(f"{what} a scalar SymPy expression; got {type(expr).__name__}")
    if drawing and expr.has(sp.Derivative, sp.Integral, sp.Subs):
        raise UnsupportedError("the expression holds an unevaluated Derivative, Integral or Subs; call .doit() first")
    return expr


def _op(expr: sp.Expr) -> tuple[str, tuple[sp.Expr, ...]]:
    """The op of the node computing ``expr`` and the subexpressions it reads."""
    if isinstance(expr, sp.Symbol):
        return "symbol", ()
    if expr.is_number:
        return "constant", ()
    if expr.is_Add:
        return "add", tuple(expr.as_ordered_terms())
    if expr.is_Mul:
        if expr.args[0] == sp.S.NegativeOne:
            return "neg", (sp.Mul(*expr.args[1:]),)
        return "mul", tuple(expr.as_ordered_factors())
    if expr.is_Pow:
        base, exponent = expr.as_base_exp()
        if exponent == sp.S.NegativeOne:
            return "reciprocal", (base,)
        if exponent.is_number:
            return "pow", (base,)
        return "pow", (base, exponent)
    if isinstance(expr, (sp.Function, sp.Max, sp.Min)) and not isinstance(expr, sp.Piecewise):
        return type(expr).__name__.lower(), expr.args
    raise UnsupportedError(f"a graph has no node for {type(expr).__name__} ({expr})")


def _shapes(expr: sp.Expr, max_nodes: int = MAX_NODES) -> list[tuple[sp.Expr, str, tuple[sp.Expr, ...]]]:
    """Every distinct subexpression with its op and arguments, each after its arguments.

    Arguments come in the order the expression is printed; constants are placed last among
    them, just before the node that reads them, so that the order reads like the formula.
    """
    order: list[tuple[sp.Expr, str, tuple[sp.Expr, ...]]] = []
    seen: set[sp.Expr] = set()
    stack: list[tuple[sp.Expr, bool]] = [(expr, False)]
    while stack:
        sub, ready = stack.pop()
        if sub in seen:
            continue
        op, arguments = _op(sub)
        if ready:
            seen.add(sub)
            order.append((sub, op, arguments))
            if len(order) > max_nodes:
                raise LimitError(
                    f"the graph has more than {max_nodes} nodes, more than max_graph_nodes allows "
                    "(raise it with limits=WorkLimits(max_graph_nodes=...))",
                    limit="max_graph_nodes",
                )
            continue
        stack.append((sub, True))
        visit = [a for a in arguments if not a.is_number] + [a for a in arguments if a.is_number]
        stack.extend((argument, False) for argument in reversed(visit) if argument not in seen)
    return order


def _chosen_names(names: Mapping[str | sp.Symbol, sp.Expr] | None, shapes: list, expr: sp.Expr) -> dict[sp.Expr, sp.Symbol]:
    if not names:
        return {}
    operations = {sub for sub, op, _ in shapes if op not in ("symbol", "constant")}
    chosen: dict[sp.Expr, sp.Symbol] = {}
    for name, sub in names.items():
        from ..parse.tree import SAFE_NAME

        plain = isinstance(name, str) and (SAFE_NAME.fullmatch(name) or name.isidentifier()) and name[:1] != "_"
        symbol = sp.Symbol(name) if plain else name
        if not isinstance(symbol, sp.Symbol):
            raise UnsupportedError(f"a node's name must be a plain name such as 'z' or 'a1', not {name!r:.60}")
        sub = _coerce(sub, drawing=False)
        if sub not in operations:
            raise SymderivError(f"no operation of the graph computes {sub}, so it cannot be named {symbol}")
        if symbol in expr.free_symbols or symbol in chosen.values():
            raise SymderivError(f"the name {symbol} is already taken")
        chosen[sub] = symbol
    return chosen


def _definition(op: str, sub: sp.Expr, inputs: list[sp.Expr]) -> sp.Expr:
    """The node's output written with its inputs' names: ``1/w``, ``exp(u)``, ``c*d``."""
    if op in ("symbol", "constant"):
        return sub
    if op == "add":
        return sp.Add(*inputs)
    if op == "mul":
        return sp.Mul(*inputs)
    if op == "neg":
        return -inputs[0]
    if op == "reciprocal":
        return 1 / inputs[0]
    if op == "pow":
        exponent = inputs[1] if len(inputs) == 2 else sub.as_base_exp()[1]
        return sp.Pow(inputs[0], exponent)
    return sub.func(*inputs)


#: Local gradients written with the node's own output y, as the seeds and NumPy layers store them.
_OWN_OUTPUT: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "reciprocal": lambda y: -y**2,
    "exp": lambda y: y,
    "sigmoid": lambda y: y * (1 - y),
    "tanh": lambda y: 1 - y**2,
}


def _local_gradients(op: str, definition: sp.Expr, inputs: list[sp.Expr], output: sp.Expr) -> tuple[sp.Expr, ...]:
    """∂(output)/∂(input) for each input position, in names."""
    if op in ("symbol", "constant"):
        return ()
    if op == "add":
        return tuple(sp.S.One for _ in inputs)
    if op == "mul":
        return tuple(sp.Mul(*inputs[:i], *inputs[i + 1:]) for i in range(len(inputs)))
    if op == "neg":
        return (sp.S.NegativeOne,)
    if op in _OWN_OUTPUT:
        return (_OWN_OUTPUT[op](output),)
    if op == "pow" and len(inputs) == 1:
        base, exponent = definition.as_base_exp()
        return (exponent * base ** (exponent - 1),)
    if op == "pow":  # y = b^e with both varying: ∂y/∂b = e·y/b, ∂y/∂e = y·log(b)
        base, exponent = inputs
        return (exponent * output / base, output * sp.log(base))
    function = type(definition)
    if function in FUNCTION_RULES and len(inputs) == 1:
        return (FUNCTION_RULES[function][1](inputs[0]),)
    # Any other function: differentiate by each argument position, then name the arguments.
    dummies = [sp.Dummy(f"a{i}") for i in range(len(inputs))]
    general = function(*dummies)
    local = tuple(general.diff(d).xreplace(dict(zip(dummies, inputs))) for d in dummies)
    if any(part.has(sp.Derivative, sp.Subs) for part in local):
        raise UnsupportedError(f"symderiv knows no local gradient for {function.__name__}")
    return local


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


# --- Text: labels and the table ----------------------------------------------------------------

_SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


class _UnicodePrinter(StrPrinter):
    """One-line formulas for tables and pictures: y², −1, σ(x), ReLU(u), H(u), a·b."""

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if exponent.is_Integer and exponent > 1:
            return self.parenthesize(base, PRECEDENCE["Pow"], strict=True) + str(exponent).translate(_SUPERSCRIPTS)
        return super()._print_Pow(expr, rational)

    def _print_sigmoid(self, expr: sp.Expr) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_relu(self, expr: sp.Expr) -> str:
        return f"ReLU({self._print(expr.args[0])})"

    def _print_Heaviside(self, expr: sp.Expr) -> str:
        return f"H({self._print(expr.args[0])})"


def unicode(expr: sp.Expr) -> str:
    """``expr`` on one line as a terminal or a diagram shows it.

    >>> import sympy as sp
    >>> y, x = sp.symbols("y x")
    >>> unicode(-y**2), unicode(sp.exp(-x) * y), unicode(x**sp.Rational(1, 3))
    ('−y²', 'y·exp(−x)', 'x^(1/3)')
    """
    text = _UnicodePrinter().doprint(expr)
    return text.replace("**", "^").replace("*", "·").replace("-", "−")


def number(value: float, digits: int = 10) -> str:
    """A value with ``digits`` significant digits and a true minus sign: ``−0.1966119332``."""
    return f"{value:.{digits}g}".replace("-", "−")


def _table(g: Graph, r: Evaluation | None) -> str:
    out = unicode(g.output.name)
    rows = [["node", "op", "computes"] + (["value", f"∂{out}/∂node"] if r else [f"∂{out}/∂node"])]
    symbolic = g.gradients() if r is None else {}
    for node in g.nodes:
        op = {"symbol": "input", "constant": "constant"}.get(node.op, node.label)
        row = [unicode(node.name), op, unicode(node.definition)]
        if r is not None:
            row.append(number(r.values[node]))
            row.append("—" if node.op == "constant" else number(r.gradients[node]))
        else:
            row.append("—" if node.op == "constant" else unicode(symbolic[node]))
        rows.append(row)
    edges = [["edge", "local gradient"] + (["value"] if r else [])]
    for edge in g.edges:
        if edge.source.op == "constant":
            continue
        row = [f"{unicode(edge.source.name)} → {unicode(edge.target.name)}",
               f"∂{unicode(edge.target.name)}/∂{unicode(edge.source.name)} = {unicode(edge.local_gradient)}"]
        if r is not None:
            row.append(number(r.local_gradients[edge]))
        edges.append(row)
    return _columns(rows) + "\n\n" + _columns(edges)


def _columns(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


# --- Pictures: DOT and SVG -------------------------------------------------------------------

_BACKWARD = "#c0392b"  # the seeds draw the backward pass in red
_FONT = FONTNAME  # DejaVu Sans: the font Graphviz measures the labels with (symderiv.render.layout)


def _dot(g: Graph, r: Evaluation | None) -> str:
    out = unicode(g.output.name)
    symbolic = g.gradients()
    lines = [
        'digraph "computational graph" {',
        f'  graph [rankdir=LR, nodesep=0.35, ranksep=0.7, fontname="{_FONT}"];',
        f'  node [fontname="{_FONT}", fontsize=12, shape=box, style=rounded, margin="0.12,0.06"];',
        f'  edge [fontname="{_FONT}", fontsize=11, arrowsize=0.7];',
    ]
    for node in g.nodes:
        name = _html(unicode(node.name))
        if node.op == "constant":
            parts = [f"<b>{name}</b>"]
        elif node.op == "symbol":
            parts = [f"<b>{name}</b>" + (f" = {_html(number(r.values[node], 4))}" if r else "")]
        else:
            forward = f"{unicode(node.name)} = {unicode(node.definition)}"
            if r is not None:
                forward += f" = {number(r.values[node], 4)}"
            parts = [f"<b>{_html(node.label)}</b>", _html(forward)]
        if node.op != "constant":
            gradient = f"∂{out}/∂{unicode(node.name)} = {unicode(symbolic[node])}"
            if r is not None and not symbolic[node].is_number:
                gradient += f" = {number(r.gradients[node], 4)}"
            parts.append(f'<font color="{_BACKWARD}">{_html(gradient)}</font>')
        shape = ', shape=plaintext' if node.is_input else ''
        lines.append(f"  n{node.index} [label=<{'<br/>'.join(parts)}>{shape}];")
    for edge in g.edges:
        label = ""
        if edge.source.op != "constant":
            text = unicode(edge.local_gradient)
            if r is not None and not edge.local_gradient.is_number:
                text += f" = {number(r.local_gradients[edge], 4)}"
            label = f' [label=<<font color="{_BACKWARD}">{_html(text)}</font>>]'
        lines.append(f"  n{edge.source.index} -> n{edge.target.index}{label};")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _html(text: str) -> str:
    return html.escape(text, quote=True)


def layout_engine(engine: str = "auto") -> str:
    """The layout engine ``engine`` names, or for ``"auto"`` the first available one.

    ``"pygraphviz"`` is Graphviz itself, bundled in the pygraphviz wheel (a dependency of
    symderiv, so a fresh machine without system packages has it); ``"dot"`` is the program of an
    installed Graphviz, used when pygraphviz cannot be imported. Raises :class:`SymderivError`
    when none is available.
    """
    if engine not in ("auto", *LAYOUT_ENGINES):
        raise ValueError(f"unknown layout engine {engine!r}; choose auto, {', '.join(LAYOUT_ENGINES)}")
    candidates = list(LAYOUT_ENGINES) if engine == "auto" else [engine]
    for candidate in candidates:
        if candidate == "pygraphviz" and _has_pygraphviz():
            return candidate
        if candidate == "dot" and shutil.which("dot"):
            return candidate
    raise SymderivError(
        "no Graphviz to lay out the picture: install pygraphviz (pip install pygraphviz) "
        "or Graphviz (apt-get install graphviz)"
    )


def _has_pygraphviz() -> bool:
    try:
        import pygraphviz  # noqa: F401
    except ImportError:
        return False
    return True


def svg_from_dot(dot: str, *, engine: str = "auto") -> str:
    """Lay out DOT text with Graphviz's dot and return the ``<svg>`` element, without its prologue.

    Graphviz runs in a child process that sees only symderiv's own font, DejaVu Sans (see
    :mod:`symderiv.render.layout`), so a picture is the same bytes on every machine with the same
    Graphviz, whatever fonts the machine has, and its labels fit their boxes. The XML declaration,
    doctype and Graphviz's version comment are dropped, so that the SVG can be embedded in HTML as
    it is and does not change with the Graphviz version that drew it. Raises
    :class:`SymderivError` when Graphviz fails and :class:`LimitError` when it runs too long.
    """
    svg = run_layout(dot, layout_engine(engine))
    if "<svg" not in svg:
        raise SymderivError("Graphviz could not draw the graph: it returned no <svg> element")
    return svg[svg.index("<svg"):]
