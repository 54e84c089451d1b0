"""What each node of a computational graph does: its op, its definition in names, its local gradients.

A subexpression is computed by one node whose op (:func:`op_of`) says what it does: ``add``,
``mul``, ``neg`` for ×(−1), ``reciprocal`` for ÷, ``pow``, ``exp``, ``log``, another function's
name, or ``symbol`` and ``constant`` for the inputs. :func:`shapes` lists every distinct
subexpression once, each after what it reads; :func:`definition` writes a node's output with its
inputs' names (``1/w``), and :func:`local_gradients` its ∂(output)/∂(input), with its own output
where the seeds write it so (−y² for y = 1/w). :mod:`symderiv.models.graph` builds the graph
from these.

>>> import sympy as sp
>>> w, y = sp.symbols("w y")
>>> op_of(1 / w), definition("reciprocal", 1 / w, [w]), local_gradients("reciprocal", 1 / w, [w], y)
(('reciprocal', (w,)), 1/w, (-y**2,))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import sympy as sp

from ..calculus.rules import FUNCTION_RULES
from ..errors import LimitError, SymderivError, UnsupportedError
from ..parse.text import parse
from ..parse.tree import SAFE_NAME
from ..render.unicode import unicode

__all__ = ["MAX_NODES", "chosen_names", "coerce", "definition", "local_gradients", "op_label", "op_of", "shapes"]

#: A graph with more nodes than this is refused: no picture or table of it could be read.
MAX_NODES = 2000

# What an op is drawn as: the symbol a textbook writes in the node's circle.
_OP_LABELS = {"add": "+", "mul": "×", "neg": "×(−1)", "reciprocal": "÷", "exp": "exp", "log": "log",
              "sigmoid": "σ", "relu": "ReLU", "softplus": "softplus"}


def op_label(op: str, definition: sp.Expr, arity: int) -> str:
    """What a diagram writes in the circle of an operation node: ``÷``, ``exp``, ``×(−1)``, ``^2``, ``√``.

    >>> import sympy as sp
    >>> u = sp.Symbol("u")
    >>> op_label("reciprocal", 1 / u, 1), op_label("pow", u**2, 1), op_label("pow", sp.sqrt(u), 1)
    ('÷', '^2', '√')
    """
    if op == "pow":
        if arity == 2:
            return "^"
        exponent = definition.as_base_exp()[1]
        return "√" if exponent == sp.S.Half else "^" + unicode(exponent)
    return _OP_LABELS.get(op, op)


def coerce(expr: sp.Expr | str, *, drawing: bool = True) -> sp.Expr:
    """A scalar SymPy expression from ``expr``: text through the safe parser, never ``sympify``.

    >>> coerce("1/(1+exp(-x))"), coerce(2)
    (1/(1 + exp(-x)), 2)
    """
    if isinstance(expr, str):
        expr = parse(expr)
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        expr = sp.Integer(expr) if isinstance(expr, int) else sp.Float(expr)
    if not isinstance(expr, sp.Expr):
        what = "graph() draws" if drawing else "in_variables() rewrites"
        raise UnsupportedError(f"{what} a scalar SymPy expression; got {type(expr).__name__}")
    if drawing and expr.has(sp.Derivative, sp.Integral, sp.Subs):
        raise UnsupportedError("the expression holds an unevaluated Derivative, Integral or Subs; call .doit() first")
    return expr


def op_of(expr: sp.Expr) -> tuple[str, tuple[sp.Expr, ...]]:
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


def shapes(expr: sp.Expr, max_nodes: int = MAX_NODES) -> list[tuple[sp.Expr, str, tuple[sp.Expr, ...]]]:
    """Every distinct subexpression with its op and arguments, each after its arguments.

    Arguments come in the order the expression is printed; constants are placed last among
    them, just before the node that reads them, so that the order reads like the formula.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> [(str(sub), op) for sub, op, _ in shapes(sp.exp(-x))]
    [('x', 'symbol'), ('-x', 'neg'), ('exp(-x)', 'exp')]
    """
    order: list[tuple[sp.Expr, str, tuple[sp.Expr, ...]]] = []
    seen: set[sp.Expr] = set()
    stack: list[tuple[sp.Expr, bool]] = [(expr, False)]
    while stack:
        sub, ready = stack.pop()
        if sub in seen:
            continue
        op, arguments = op_of(sub)
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


def chosen_names(names: Mapping[str | sp.Symbol, sp.Expr] | None, computed: list, expr: sp.Expr) -> dict[sp.Expr, sp.Symbol]:
    """The nodes the caller named, ``{a + b: c}``, after checking each name and what it names.

    Raises :class:`UnsupportedError` for a name that is not a plain name and
    :class:`SymderivError` for a subexpression no operation computes or a name already taken.
    """
    if not names:
        return {}
    operations = {sub for sub, op, _ in computed if op not in ("symbol", "constant")}
    chosen: dict[sp.Expr, sp.Symbol] = {}
    for name, sub in names.items():
        plain = isinstance(name, str) and (SAFE_NAME.fullmatch(name) or name.isidentifier()) and name[:1] != "_"
        symbol = sp.Symbol(name) if plain else name
        if not isinstance(symbol, sp.Symbol):
            raise UnsupportedError(f"a node's name must be a plain name such as 'z' or 'a1', not {name!r:.60}")
        sub = coerce(sub, drawing=False)
        if sub not in operations:
            raise SymderivError(f"no operation of the graph computes {sub}, so it cannot be named {symbol}")
        if symbol in expr.free_symbols or symbol in chosen.values():
            raise SymderivError(f"the name {symbol} is already taken")
        chosen[sub] = symbol
    return chosen


def definition(op: str, sub: sp.Expr, inputs: list[sp.Expr]) -> sp.Expr:
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


def local_gradients(op: str, definition: sp.Expr, inputs: list[sp.Expr], output: sp.Expr) -> tuple[sp.Expr, ...]:
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
