r"""Read a formula written in LaTeX into a SymPy expression; refuse what LaTeX leaves ambiguous.

``sd.parse_latex(tex)`` reads the LaTeX of formulas as people write them in notes and papers,
and everything ``sp.latex`` prints for the expressions symderiv works with, so that
``parse_latex(sp.latex(e)) == e``.

>>> parse_latex(r"\frac{1}{1 + e^{-x}}")
1/(1 + exp(-x))
>>> parse_latex(r"-\left(y \log a + (1 - y) \log(1 - a)\right)")
-y*log(a) - (1 - y)*log(1 - a)
>>> parse_latex(r"\sigma(z) \left(1 - \sigma(z)\right)")
(1 - sigmoid(z))*sigmoid(z)
>>> parse_latex(r"\theta^{(2)}_{12} a^{(2)}_{2}")
a^(2)_2*theta^(2)_12

What it reads:

- numbers ``2``, ``0.5``; letters (each one a variable: ``xy`` is x·y); Greek letters
  ``\alpha`` … ``\Omega`` (``\pi`` is π); ``e`` and ``\mathrm{e}`` are Euler's number and
  ``i`` the imaginary unit, as ``sp.latex`` prints them (``e_{1}``, ``i_{1}`` are variables);
  ``\mathrm{lr}`` is one variable with a longer name;
- subscripts ``x_1``, ``x_{12}``, ``W_{i,j}`` (the symbol ``W_i,j``) and layer indices in
  parentheses ``\theta^{(2)}_{12}`` (the symbol ``theta^(2)_12``), as SymPy prints such names;
- ``+ - * / \cdot \times \div``, juxtaposition ``2x``, ``x \left(x+1\right)``, powers ``x^{2}``
  ``x^2``, ``\frac{a}{b}`` ``\frac12``, ``\sqrt{x}`` ``\sqrt[3]{x}``, ``n!``;
- brackets ``( ) [ ] { }``, ``\left( \right)``, ``\left[ \right]``, ``\bigl( \bigr)`` and
  absolute values ``|x|``, ``\left| x \right|``, ``\lvert x \rvert``; ``\lfloor x \rfloor``
  and ``\lceil x \rceil`` (also with ``\left``, ``\right``);
- functions ``\exp \log \ln \sqrt \sin \cos \tan \cot \sec \csc \arcsin \arccos \arctan \sinh
  \cosh \tanh \coth \max \min \Re \Im``, ``\log_{2}``, powers ``\sin^{2} x``, the sigmoid ``\sigma(x)``
  and ``\operatorname{name}`` for the rest: asin … acsch, sech, csch, sign, softplus, ReLU,
  sigmoid, Heaviside, re, im; arguments in brackets, in braces, or a single letter or number
  (``\log a``, ``\sin 2``);
- spacing (``\,`` ``\;`` ``\quad`` ``~``) is ignored; one pair of ``$ $``, ``$$ $$``, ``\( \)``
  or ``\[ \]`` around the whole formula is removed.

What it refuses, because LaTeX alone cannot say which of two formulas is meant (each refusal
says how to write the intended one):

- ``f(x)``, ``s(z)``: a function f, or f times x? (symderiv has no unnamed functions; for a
  product write ``f \cdot (x)`` or ``f\left(x\right)``, as SymPy prints products);
  ``\theta\left(x\right)`` is also SymPy's Heaviside step, so it is refused too;
- ``\sigma x``: the sigmoid of x, or σ·x?; ``\sin x y``, ``\sin x^2``: how far does the
  argument reach?; ``\sin^{-1}``: arcsin or 1/sin?;
- ``x/2y``; ``x^23`` (TeX reads x²·3); ``x2`` and ``2 3`` (a number after a factor);
- ``a^2_{12}``, ``\theta^1_{10}``: a power of a subscripted name, or a layer index? (write
  ``\theta^{(1)}_{10}`` for the index, ``\theta_{10}^{1}`` for the power);
- ``log(a)``, ``sigmoid(z)``, ``pi`` without a backslash (TeX reads l·o·g·a);
- derivative notation ``\frac{d}{dx}``, ``\partial``, primes ``f'``; transposes ``^T``; sums,
  integrals, limits, environments, text, and every command that is not listed above (TeX
  programming such as ``\def`` or ``\write18`` included: nothing here is ever run).

How it is read, one module each: :mod:`~symderiv.parse.latex_tokens` cuts the text into tokens,
:mod:`~symderiv.parse.latex_vocabulary` names the commands, :mod:`~symderiv.parse.latex_parser`
(with :mod:`~symderiv.parse.latex_symbols` and :mod:`~symderiv.parse.latex_groups`) reads them
into the tree of :mod:`symderiv.parse.tree`, which builds the SymPy expression.

>>> parse_latex(r"\sigma x")
Traceback (most recent call last):
...
symderiv.errors.ParseError: ambiguous: \sigma followed by a factor: write \sigma(x) for the sigmoid of x, or \sigma \cdot x for a product at position 7
  \sigma x
         ^
"""

from __future__ import annotations

import sympy as sp

from .latex_parser import LatexParser
from .latex_tokens import refuse_bare_words, tokenize
from .latex_vocabulary import LATEX_FUNCTIONS
from .limits import DEFAULT_LIMITS, Limits
from .tokens import check_length
from .tree import check_names, to_sympy

__all__ = ["parse_latex", "LATEX_FUNCTIONS"]


def parse_latex(tex: str, *, limits: Limits | None = None) -> sp.Expr:
    r"""Read the LaTeX formula ``tex`` into a SymPy expression, refusing ambiguous input.

    Raises :class:`~symderiv.ParseError` (a ``ValueError``) for input that is not a formula or
    is ambiguous, :class:`~symderiv.LimitError` for a formula past ``limits``.

    >>> import sympy as sp
    >>> from symderiv.core.functions import sigmoid
    >>> x = sp.Symbol("x")
    >>> e = sigmoid(x)**2 / (1 + sp.exp(-x))
    >>> parse_latex(sp.latex(e)) == e
    True
    >>> parse_latex(r"\frac{d}{dx} \sigma(x)")
    Traceback (most recent call last):
    ...
    symderiv.errors.ParseError: derivative notation d/dx is not read: give the function itself, symderiv differentiates it at position 0
      \frac{d}{dx} \sigma(x)
      ^
    """
    if not isinstance(tex, str):
        raise TypeError(f"parse_latex() reads a str, got {type(tex).__name__}")
    limits = limits or DEFAULT_LIMITS
    check_length(tex, limits)
    tokens = tokenize(tex, limits)
    refuse_bare_words(tex, tokens)
    tree = LatexParser(tex, tokens, limits).parse()
    check_names(tree, tex, limits)
    return to_sympy(tree, tex, limits)
