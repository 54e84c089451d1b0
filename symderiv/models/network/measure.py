"""How large expressions are: as printed (:func:`tree_size`) and as stored (:func:`dag_size`).

A network's cost written out repeats each layer's activations in every path through the layers
above, so its tree grows exponentially with depth while the objects SymPy holds (shared
subexpressions) grow linearly. Both counts walk each distinct node once.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> tree_size(sp.sin(x) + sp.cos(sp.sin(x))), dag_size(sp.sin(x) + sp.cos(sp.sin(x)))
(6, 4)
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

__all__ = ["dag_size", "nodes", "tree_size"]


def tree_size(*exprs: sp.Basic) -> int:
    """Nodes of the expression trees, every repeated subexpression counted each time it appears
    (what printing the expressions would write), computed without walking the repeats.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> tree_size(sp.sin(x) + sp.cos(sp.sin(x)))
    6
    """
    sizes: dict[int, int] = {}
    for root in exprs:
        pending: list[tuple[sp.Basic, bool]] = [(root, False)]
        while pending:
            node, children_done = pending.pop()
            if id(node) in sizes:
                continue
            if children_done:
                sizes[id(node)] = 1 + sum(sizes[id(arg)] for arg in node.args)
                continue
            pending.append((node, True))
            pending.extend((arg, False) for arg in node.args if id(arg) not in sizes)
    return sum(sizes[id(root)] for root in exprs)


def dag_size(*exprs: sp.Basic) -> int:
    """Distinct nodes of the expressions: repeated subexpressions counted once.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> dag_size(sp.sin(x) + sp.cos(sp.sin(x)))
    4
    """
    return len(nodes(exprs))


def nodes(exprs: Iterable[sp.Basic]) -> set[sp.Basic]:
    """Every distinct subexpression of ``exprs``, the expressions themselves included.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> nodes([sp.sin(x) + 1]) == {sp.sin(x) + 1, sp.sin(x), x, sp.S.One}
    True
    """
    seen: set[sp.Basic] = set()
    pending = list(exprs)
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        pending.extend(node.args)
    return seen
