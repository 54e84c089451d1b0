"""Rewriting a derivative toward the form people write, each rewrite a named step of its own.

The stages, in order, each in its own module:

1. :mod:`.zero`: pieces that are 0 between the jumps (sign, ⌊u⌋, ⌈u⌉) written 0, and a
   derivative that is 0 written 0 (σ(x) + σ(−x), sec² − tan²);
2. :mod:`.tidy`: expanded, factored or cancelled, the trigonometric family in one set of
   functions (:mod:`.trig`), whichever is smallest, ties broken toward the form people write
   (factored denominators, 1 − a before a − 1);
3. :mod:`.sigmoid`: σ written out becomes σ(g)(1 − σ(g)), σ(g), 1 − σ(g), for any scale factor in g;
4. :mod:`.tidy` again, for what the names leave;
5. :mod:`.softmax`: e^{zₖ}/Σⱼ e^{zⱼ} named sₖ, so that its derivative reads sₖ(1 − sₖ), and the
   names put back.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> raw = sp.exp(-x) / (1 + sp.exp(-x))**2
>>> [r.rule for r in toward_target(raw, 1 / (1 + sp.exp(-x)), x)]
['add_subtract', 'split_fraction', 'recognize_sigmoid']
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import sympy as sp

from .rewrite import Rewrite, size
from .sigmoid import sigmoid_arguments, sigmoid_forms
from .softmax import softmax_forms
from .tidy import tidy
from .zero import between_jumps, vanishing

__all__ = ["Rewrite", "sigmoid_arguments", "size", "toward_target"]


def toward_target(
    expr: sp.Expr, original: sp.Expr, wrt: sp.Symbol, names: Mapping[sp.Symbol, sp.Expr] | None = None
) -> list[Rewrite]:
    """The rewrites that bring the derivative ``expr`` of ``original`` to its target form;
    ``names`` are those the derivation has already given (name → value), which it keeps."""
    rewrites: list[Rewrite] = []
    current = expr
    stages: tuple[Callable[[sp.Expr, sp.Expr], Iterator[Rewrite]], ...] = (
        between_jumps,
        vanishing,
        tidy,
        sigmoid_forms,
        tidy,
        lambda current, original: softmax_forms(current, original, names),
    )
    for stage in stages:
        for rewrite in stage(current, original):
            rewrites.append(rewrite)
            current = rewrite.after
    return rewrites
