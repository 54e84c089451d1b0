"""The order in which the terms of each sum are printed, kept stable from one line of a chain to the next.

SymPy keeps the terms of a sum in a canonical order, so when a step rewrites one term, the
rewritten sum may come back with its terms shuffled: a reader can no longer see which term
changed. A :class:`TermOrder` says, for every sum in one expression, in which order its terms
are printed. The first line of a chain is printed in the natural order (:func:`natural_terms`:
SymPy's, with the positive terms first, σ(z) − y rather than −y + σ(z)); each later line follows
the line before it (:func:`next_order`):

- a sum the step did not touch keeps its order;
- in a sum the step rewrote, the terms that were there stay in their order, the replacement takes
  the place of the term it rewrote (its own terms, where it is a sum that SymPy merges into the
  outer one, in their order), and terms that SymPy made by merging go where the focus was;
- a sum that is new, made by the step, follows the order of the sum it came from where its terms
  can be traced back (the sum rule keeps u + v as u′ + v′), else the natural order.

The printers (:mod:`.tex`, :mod:`.text`) consult a :class:`TermOrder` through their
``_as_ordered_terms`` hook; :func:`chain_orders` gives the orders of a whole chain at once.

>>> import sympy as sp
>>> x, y = sp.symbols("x y")
>>> before = y + sp.Derivative(x**2, x) + sp.exp(x)
>>> first = first_order(before)
>>> [str(t) for t in first.terms(before)]
['y', 'exp(x)', 'Derivative(x**2, x)']
>>> after = before.xreplace({sp.Derivative(x**2, x): 2*x})
>>> [str(t) for t in next_order(first, after, (sp.Derivative(x**2, x), 2*x)).terms(after)]
['y', 'exp(x)', '2*x']
"""

from __future__ import annotations

from functools import lru_cache

from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping, Sequence

import sympy as sp
from sympy.core.sorting import default_sort_key
from sympy.printing.printer import Printer

from ..core.steps import resolve_where

__all__ = ["TermOrder", "BoundedOrder", "LEX_ORDER_BUDGET", "natural_terms", "first_order", "next_order",
           "chain_orders", "is_unevaluated", "is_negative_term", "distinct_nodes"]


@lru_cache(maxsize=4096)
def is_unevaluated(expr: sp.Basic) -> bool:
    """True when ``expr`` is a sum or product that SymPy would write differently if evaluated.
    Remembered: rebuilding a sum of n terms costs n log n, and a document asks again and again.

    >>> x = sp.Symbol("x")
    >>> is_unevaluated(sp.Add(x, 1, -1, evaluate=False)), is_unevaluated(x + 1)
    (True, False)
    """
    if not isinstance(expr, (sp.Add, sp.Mul)):
        return False
    return expr.func(*expr.args) != expr


def is_negative_term(term: sp.Expr) -> bool:
    """Whether a term of a sum prints with a minus sign: −x, −2x, −1/2.

    >>> x = sp.Symbol("x")
    >>> is_negative_term(-2*x), is_negative_term(x - 1), is_negative_term(sp.Integer(-3))
    (True, False, True)
    """
    if isinstance(term, sp.Mul) and term.args and term.args[0].is_Number:
        return bool(term.args[0].is_negative)
    if term.is_Number:
        return bool(term.is_negative)
    return not isinstance(term, sp.Add) and bool(term.could_extract_minus_sign())


#: SymPy orders the terms of a sum lexicographically by building, for every term, a monomial as
#: long as the sum has generators (distinct bases): terms × generators entries, so a sum of
#: 12,000 distinct symbols costs 144 million of them, quadratic in time and memory. Above this
#: many entries a sum is printed in SymPy's canonical sort order instead, in n log n.
LEX_ORDER_BUDGET = 100_000


def _lex_cost(expr: sp.Basic) -> int:
    """Terms × generators: how many monomial entries SymPy's lexicographic order would build."""
    terms = sp.Add.make_args(expr)
    if len(terms) < 64:
        return len(terms)
    bases = set()
    for term in terms:
        for factor in sp.Mul.make_args(term):
            if not factor.is_Number:
                bases.add(factor.as_base_exp()[0] if isinstance(factor, sp.Pow) else factor)
    return len(terms) * max(1, len(bases))


class BoundedOrder:
    """A printer mixin: the terms of a sum in SymPy's order, but never at quadratic cost, or in
    the order of a :class:`TermOrder` given as the printer's ``term_order`` attribute.

    Sums small enough keep SymPy's lexicographic order (x² + x + 1); a sum past
    :data:`LEX_ORDER_BUDGET` is ordered by ``default_sort_key``, which costs n log n.
    """

    term_order: "TermOrder | None" = None

    def _as_ordered_terms(self, expr: sp.Basic, order: str | None = None) -> list[sp.Basic]:
        if self.term_order is not None and isinstance(expr, sp.Add):
            known = self.term_order.terms(expr)
            if known is not None:
                return list(known)
        order = order or self.order  # type: ignore[attr-defined]
        if order not in ("old", "none") and _lex_cost(expr) > LEX_ORDER_BUDGET:
            return sorted(sp.Add.make_args(expr), key=default_sort_key)
        return super()._as_ordered_terms(expr, order=order)  # type: ignore[misc]


class _Sorter(BoundedOrder, Printer):
    """Only the ordering of a printer: SymPy's order, bounded."""


_SORTER = _Sorter()


def natural_terms(expr: sp.Add) -> list[sp.Expr]:
    """The terms of a sum in the order a reader expects on a first line: as written when the sum
    is unevaluated, else SymPy's graded order (w·x + b) with the positive terms first.

    >>> y, z = sp.symbols("y z")
    >>> natural_terms(-y + sp.Symbol("s"))
    [s, -y]
    >>> natural_terms(sp.Add(1, y, -1, evaluate=False))
    [1, y, -1]
    """
    return list(_natural_terms(expr))


@lru_cache(maxsize=1024)
def _natural_terms(expr: sp.Add) -> tuple[sp.Expr, ...]:
    if is_unevaluated(expr):
        return expr.args
    terms = _SORTER._as_ordered_terms(expr, order="grlex")
    positive = [t for t in terms if not is_negative_term(t)]
    negative = [t for t in terms if is_negative_term(t)]
    return tuple(positive + negative if positive else terms)


def distinct_nodes(expr: sp.Basic, children: Callable[[sp.Basic], Sequence[sp.Basic]] | None = None) -> Iterator[sp.Basic]:
    """Every distinct node of ``expr`` once, in preorder, children in the order ``children`` gives.

    A network's cost repeats subtrees many times; visiting each distinct one once keeps this linear.
    ``children`` defaults to the node's arguments.
    """
    children = children or _args
    seen: set[sp.Basic] = set()
    pending = [expr]
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        yield node
        pending.extend(reversed(children(node)))


def _args(node: sp.Basic) -> Sequence[sp.Basic]:
    return node.args


@dataclass(frozen=True)
class TermOrder:
    """The print order of the terms of every sum in ``expr``: ``orders`` maps each sum to its
    terms in the order printed; ``history``, the sums of the lines before it, so that a sum
    that comes back comes back in the order it had. Other sums print in the natural order."""

    expr: sp.Basic
    orders: Mapping[sp.Basic, tuple[sp.Expr, ...]] = field(default_factory=dict)
    history: Mapping[sp.Basic, tuple[sp.Expr, ...]] = field(default_factory=dict)

    def terms(self, add: sp.Basic) -> tuple[sp.Expr, ...] | None:
        """The terms of ``add`` in print order, or None when this order does not know the sum."""
        known = self.orders.get(add)
        return known if known is not None else self.history.get(add)

    def ordered(self, add: sp.Add) -> list[sp.Expr]:
        """The terms of ``add`` in print order: known, or else natural."""
        known = self.orders.get(add)
        return list(known) if known is not None else natural_terms(add)


def first_order(expr: sp.Basic) -> TermOrder:
    """The natural order of every sum in ``expr``: the first line of a chain."""
    orders = {node: tuple(natural_terms(node)) for node in distinct_nodes(expr, _args) if isinstance(node, sp.Add)}
    return TermOrder(expr, orders)


@dataclass(frozen=True)
class _Rewrite:
    """What turned the previous line into this one: ``apply`` maps a subexpression of the previous
    line to what it became; ``touches`` says whether a subexpression contains a rewritten part."""

    apply: Callable[[sp.Expr], sp.Expr]
    touches: Callable[[sp.Basic], bool]


def _rewrite(previous: sp.Basic, focus: tuple[sp.Expr, sp.Expr] | None, where: Mapping[sp.Symbol, sp.Expr]) -> _Rewrite | None:
    if focus is not None:
        part, replacement = focus
        return _Rewrite(lambda t: t.xreplace({part: replacement}), lambda t: t.has(part))
    names = set(where)
    if names and previous.free_symbols & names:
        return _Rewrite(lambda t: resolve_where(t, where), lambda t: bool(t.free_symbols & names))
    return None


class _Follower:
    """Works out the order of each sum of the next line from the previous line's orders."""

    def __init__(self, previous: TermOrder, rewrite: _Rewrite | None, focus: sp.Expr | None) -> None:
        self.previous = previous
        self.images: dict[sp.Basic, tuple[list[sp.Expr], int | None]] = {}
        self.memo: dict[sp.Basic, tuple[sp.Expr, ...]] = {}
        if rewrite is not None:
            self._trace(rewrite)
        self.focus = focus
        self._reference: dict[sp.Basic, tuple[int, int]] | None = None

    def _trace(self, rewrite: _Rewrite) -> None:
        """For every sum of the previous line that the step touched: what it became, and its
        terms' images in the previous order, with the place of the first one that changed."""
        for add, terms in self.previous.orders.items():
            if not rewrite.touches(add):
                continue
            try:
                images = [rewrite.apply(t) for t in terms]
                image = rewrite.apply(add)
            except (TypeError, ValueError):  # the rewrite makes no sense there (a derivative's variable)
                continue
            changed = next((i for i, (t, new) in enumerate(zip(terms, images)) if t != new), None)
            self.images.setdefault(image, (images, changed))

    def order(self, add: sp.Add) -> tuple[sp.Expr, ...]:
        """The print order of ``add``, a sum of the next line."""
        if add not in self.memo:
            self.memo[add] = tuple(self._order(add))
        return self.memo[add]

    def _order(self, add: sp.Add) -> list[sp.Expr]:
        known = self.previous.terms(add)
        if known is not None:
            return list(known)
        if is_unevaluated(add):
            return list(add.args)
        for coefficient, key in _scaled(add):
            if key in self.images:
                images, changed = self.images[key]
                return self._splice(add, images, changed, coefficient)
            known = self.previous.terms(key)
            if known is not None:
                return self._splice(add, list(known), None, coefficient)
        return self._guided(add)

    def _splice(self, add: sp.Add, images: list[sp.Expr], changed: int | None, coefficient: sp.Expr) -> list[sp.Expr]:
        """The terms of ``add`` in the order of ``images`` (the previous terms, rewritten): each
        found in place, a sum merged into ``add`` by its own order; what is left (terms SymPy
        merged) goes where the first change was."""
        remaining = list(natural_terms(add))
        placed: list[sp.Expr] = []
        at: int | None = None
        for index, image in enumerate(images):
            if index == changed:
                at = len(placed)
            term = image if coefficient == 1 else coefficient * image
            for found in self._pieces(term, remaining):
                remaining.remove(found)
                placed.append(found)
        at = len(placed) if at is None else at
        spliced = placed[:at] + remaining + placed[at:]
        if coefficient.is_negative:  # −(1 − y) is y − 1: every sign turned, the positive terms first
            spliced = [t for t in spliced if not is_negative_term(t)] + [t for t in spliced if is_negative_term(t)]
        return spliced

    def _pieces(self, term: sp.Expr, remaining: list[sp.Expr]) -> list[sp.Expr]:
        """The terms of the next sum that ``term`` (an old term, rewritten) stands for."""
        if term in remaining:
            return [term]
        if isinstance(term, sp.Add):
            found: list[sp.Expr] = []
            for inner in self.order(term):
                found += self._pieces(inner, [t for t in remaining if t not in found])
            return found
        core = term.as_coeff_Mul()[1]
        return [t for t in remaining if t.as_coeff_Mul()[1] == core][:1]

    def _guided(self, add: sp.Add) -> list[sp.Expr]:
        """A sum the step made: where each of its terms comes from a different term of one sum
        of the previous line (the focus first), as the sum rule makes u′ + v′ from u + v, its
        terms in that sum's order; else the natural order."""
        terms = natural_terms(add)
        places = [_source(term, self.reference()) for term in terms]
        if None in places or len({place[0] for place in places if place}) != 1:
            return _keep_shared(terms, self.reference())
        positions = [place[1] for place in places if place]
        if len(set(positions)) != len(positions):
            return _keep_shared(terms, self.reference())
        return [term for _, term in sorted(zip(positions, terms), key=lambda pair: pair[0])]

    def reference(self) -> dict[sp.Basic, tuple[int, int]]:
        """Each term of a sum of the previous line (those of the focus first): which sum, in the
        order met, and its place there."""
        if self._reference is None:
            reference: dict[sp.Basic, tuple[int, int]] = {}
            roots = ([self.focus] if self.focus is not None else []) + [self.previous.expr]
            sums = 0
            for root in roots:
                for node in distinct_nodes(root, _operands):
                    if isinstance(node, sp.Add):
                        for place, term in enumerate(self.previous.ordered(node)):
                            reference.setdefault(term, (sums, place))
                        sums += 1
            self._reference = reference
        return self._reference


def _operands(node: sp.Basic) -> Sequence[sp.Basic]:
    """The parts of ``node`` a reader sees as its operands: not a derivative's variables, not
    the numeric coefficient of a product (−1 in −u is a sign, not a term)."""
    if isinstance(node, sp.Derivative):
        return (node.expr,)
    if isinstance(node, sp.Mul) and node.args[0].is_Number:
        return node.args[1:]
    return node.args


def _scaled(add: sp.Add) -> Iterator[tuple[sp.Expr, sp.Basic]]:
    """``add`` as c·s for the sums s it may have come from: s = add itself, and s = add/c
    where SymPy spread a number c over the terms of s (−(a + b) became −a − b)."""
    yield sp.S.One, add
    coefficient = natural_terms(add)[0].as_coeff_Mul()[0]
    if coefficient.is_Number and coefficient not in (0, 1):
        yield coefficient, sp.expand_mul(add / coefficient, deep=False)
        if coefficient != -1:
            yield sp.S.NegativeOne, -add


def _keep_shared(terms: list[sp.Expr], reference: Mapping[sp.Basic, tuple[int, int]]) -> list[sp.Expr]:
    """``terms`` in the natural order, except that the terms they share with one previous sum
    (the one they share most with) keep the order they had there, in the same slots."""
    shared: dict[int, list[int]] = {}
    for index, term in enumerate(terms):
        if term in reference:
            shared.setdefault(reference[term][0], []).append(index)
    slots = max(shared.values(), key=len, default=[])
    if len(slots) < 2:
        return terms
    out = list(terms)
    for slot, term in zip(slots, sorted((terms[i] for i in slots), key=lambda t: reference[t][1])):
        out[slot] = term
    return out


def _source(term: sp.Basic, reference: Mapping[sp.Basic, tuple[int, int]]) -> tuple[int, int] | None:
    """The term of a previous sum that ``term`` comes from: the first level of ``term``'s tree,
    from the top, where an operand is a known term, the earliest of them; None if none is."""
    level = [term]
    for _ in range(64):
        found = [reference[node] for node in level if node in reference]
        if found:
            return min(found)
        level = [child for node in level for child in _operands(node)]
        if not level:
            break
    return None


def next_order(
    previous: TermOrder,
    expr: sp.Basic,
    focus: tuple[sp.Expr, sp.Expr] | None = None,
    where: Mapping[sp.Symbol, sp.Expr] | None = None,
) -> TermOrder:
    """The order of every sum of ``expr``, the line after ``previous.expr``.

    ``focus`` is the step's ``(part, replacement)``; without one (a step that rewrote the whole
    line), a step that put its names back (``where``) is followed through the substitution, and
    any other through the parts of the previous line that its terms contain.

    >>> x, u = sp.symbols("x u")
    >>> first = first_order(x**2 + u + 1)
    >>> [str(t) for t in first.ordered(x**2 + u + 1)]
    ['x**2', 'u', '1']
    >>> line = x**2 + sp.exp(-x) + 1
    >>> [str(t) for t in next_order(first, line, where={u: sp.exp(-x)}).ordered(line)]
    ['x**2', 'exp(-x)', '1']
    >>> [str(t) for t in first_order(line).ordered(line)]
    ['x**2', '1', 'exp(-x)']
    """
    follower = _Follower(previous, _rewrite(previous.expr, focus, where or {}), focus[0] if focus else None)
    orders = {node: follower.order(node) for node in distinct_nodes(expr, _args) if isinstance(node, sp.Add)}
    return TermOrder(expr, orders, {**previous.history, **previous.orders})


def chain_orders(chain: Any) -> tuple[TermOrder, ...]:
    """The orders of a chain's lines: the first step's ``before``, then every step's ``after``.

    ``chain`` is anything with ``steps`` (a :class:`~symderiv.core.derivation.Derivation`).
    """
    steps = chain.steps
    if not steps:
        return ()
    orders = [first_order(steps[0].before)]
    for step in steps:
        orders.append(next_order(orders[-1], step.after, step.focus, step.where))
    return tuple(orders)
