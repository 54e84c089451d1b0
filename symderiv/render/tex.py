r"""SymPy expressions as TeX, the way a textbook prints them: the one printer every format shares.

Compared with SymPy's own ``latex()``, this printer

- writes derivatives with an upright d, ``\frac{\mathrm{d}}{\mathrm{d}x}``, or with ``\partial``
  when other variables are held constant, and puts the function in parentheses when it is a sum,
  product or fraction;
- keeps unevaluated sums and products (which the steps show on purpose) in the order they were
  written, and writes evaluated products with the sum factors last: σ(x)(1 − σ(x));
- writes the Heaviside step as H(x), and piecewise functions as a textbook does, with the word
  for "otherwise" in the reader's language (its :class:`~symderiv.locales.Locale`);
- checks every name (:func:`symderiv.render.names.check_name`) before printing it.

>>> import sympy as sp
>>> from symderiv.core.functions import sigmoid
>>> x, y = sp.symbols("x y")
>>> to_tex(sp.Derivative(1 / (1 + sp.exp(-x)), x))
'\\frac{\\mathrm{d}}{\\mathrm{d}x}\\left(\\frac{1}{1 + e^{- x}}\\right)'
>>> to_tex(sigmoid(x) * (1 - sigmoid(x)))
'\\sigma\\left(x\\right) \\left(1 - \\sigma\\left(x\\right)\\right)'
>>> to_tex(sp.Derivative(x * y, x))
'\\frac{\\partial}{\\partial x}\\left(x y\\right)'
>>> to_tex(sp.Add(1, sp.exp(-x), -1, evaluate=False))
'1 + e^{- x} - 1'
"""

from __future__ import annotations

import re
from typing import Any

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.core.sorting import default_sort_key
from sympy.printing.conventions import requires_partial
from sympy.printing.latex import LatexPrinter

from ..locales import LOCALES
from .names import check_name, greek_to_ascii, tex_text

__all__ = ["TexPrinter", "BoundedOrder", "to_tex", "tex_lines", "tex_width", "is_unevaluated", "LEX_ORDER_BUDGET"]

def is_unevaluated(expr: sp.Basic) -> bool:
    """True when ``expr`` is a sum or product that SymPy would write differently if evaluated.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> is_unevaluated(sp.Add(x, 1, -1, evaluate=False)), is_unevaluated(x + 1)
    (True, False)
    """
    if not isinstance(expr, (sp.Add, sp.Mul)):
        return False
    return expr.func(*expr.args) != expr


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
    """A printer mixin: the terms of a sum in SymPy's order, but never at quadratic cost.

    Sums small enough keep SymPy's lexicographic order (x² + x + 1); a sum past
    :data:`LEX_ORDER_BUDGET` is ordered by ``default_sort_key``, which costs n log n.
    """

    def _as_ordered_terms(self, expr: sp.Basic, order: str | None = None) -> list[sp.Basic]:
        order = order or self.order  # type: ignore[attr-defined]
        if order not in ("old", "none") and _lex_cost(expr) > LEX_ORDER_BUDGET:
            return sorted(sp.Add.make_args(expr), key=default_sort_key)
        return super()._as_ordered_terms(expr, order=order)  # type: ignore[misc]


#: A name written with TeX scripts already, as networks name their symbols: theta^{(2)}_{12}.
_BRACED_SCRIPTS = re.compile(r"^([A-Za-z]+)((?:[\^_]\{[^{}\\]*\})+)$")


class TexPrinter(BoundedOrder, LatexPrinter):
    """SymPy's LaTeX printer, made to print as a textbook does (see the module docstring)."""

    printmethod = "_latex"

    def __init__(self, lang: str = "en", **settings: Any) -> None:
        super().__init__(settings)
        self.lang = lang

    # Names ---------------------------------------------------------------------------------
    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        check_name(expr.name)
        name = greek_to_ascii(expr.name)
        braced = _BRACED_SCRIPTS.match(name)
        if braced:  # theta^{(2)}_{12}: SymPy would print it verbatim, without \theta
            return self._deal_with_super_sub(braced.group(1), style=style) + braced.group(2)
        return self._deal_with_super_sub(name, style=style)

    _print_Dummy = _print_Symbol

    def _print_Function(self, expr: sp.Function, exp: str | None = None) -> str:
        if isinstance(expr, AppliedUndef):
            check_name(type(expr).__name__)
        return super()._print_Function(expr, exp)

    # Sums and products ---------------------------------------------------------------------
    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        return self._print_terms(self.terms(expr))

    def terms(self, expr: sp.Add) -> list[sp.Expr]:
        """The terms of a sum in the order printed: as written when unevaluated, else the
        positive terms first, as a textbook writes σ(z) − y rather than −y + σ(z)."""
        if is_unevaluated(expr):
            return list(expr.args)
        terms = self._as_ordered_terms(expr, order=None)
        positive = [t for t in terms if not _is_negative(t)]
        negative = [t for t in terms if _is_negative(t)]
        return positive + negative if positive else terms

    def _print_terms(self, terms: list[sp.Expr]) -> str:
        return "".join(self.term_tex(term, first=index == 0) for index, term in enumerate(terms))

    def term_tex(self, term: sp.Expr, *, first: bool) -> str:
        """One term of a sum with its sign: ``x``, `` + x`` or `` - x``."""
        sign = ""
        if _is_negative(term):
            sign = "- " if first else " - "
            term = _negate(term)
        elif not first:
            sign = " + "
        term_tex = self._print(term)
        if self._needs_add_brackets(term):
            term_tex = r"\left(%s\right)" % term_tex
        return sign + term_tex

    def _print_Mul(self, expr: sp.Mul) -> str:
        if is_unevaluated(expr) or not isinstance(expr, sp.Mul):
            return self._with_order("none", super()._print_Mul, expr)
        factors = sorted(expr.args, key=lambda f: 1 if f.is_Add else 0)  # stable: sums last
        if list(factors) == list(expr.args):
            return super()._print_Mul(expr)
        reordered = sp.Mul(*factors, evaluate=False)
        return self._with_order("none", super()._print_Mul, reordered)

    def _with_order(self, order: str, method: Any, expr: sp.Expr) -> str:
        saved = self._settings["order"]
        self._settings["order"] = order
        try:
            return method(expr)
        finally:
            self._settings["order"] = saved

    # Calculus ------------------------------------------------------------------------------
    def _print_Derivative(self, expr: sp.Derivative) -> str:
        d = r"\partial" if requires_partial(expr) else r"\mathrm{d}"
        total = sum(count for _, count in expr.variable_count)
        numerator = d if total == 1 else "%s^{%s}" % (d, total)
        sep = " " if d == r"\partial" else ""
        denominator = " ".join(
            "%s%s%s" % (d, sep, self._print(variable)) if count == 1
            else "%s%s%s^{%s}" % (d, sep, self._print(variable), count)
            for variable, count in expr.variable_count
        )
        function = expr.expr
        inner = self._print(function)
        if _needs_parentheses(function):
            inner = r"\left(%s\right)" % inner
        else:
            inner = " " + inner
        return r"\frac{%s}{%s}%s" % (numerator, denominator, inner)

    def _print_Heaviside(self, expr: sp.Heaviside, exp: str | None = None) -> str:
        tex = r"H\left(%s\right)" % self._print(expr.args[0])
        return tex if not exp else r"H^{%s}\left(%s\right)" % (exp, self._print(expr.args[0]))

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        rows = []
        for piece, condition in expr.args:
            if condition == sp.true:
                when = r"\text{%s}" % tex_text(LOCALES.get(self.lang, LOCALES["en"]).otherwise)
            else:
                when = r"\left(%s\right)" % self._print(condition)
            rows.append(r"%s & %s" % (self._print(piece), when))
        return r"\begin{cases} %s \end{cases}" % r" \\ ".join(rows)

    def _print_Relational(self, expr: sp.Basic) -> str:
        symbols = {"==": "=", ">": ">", "<": "<", ">=": r"\geq", "<=": r"\leq", "!=": r"\neq"}
        return "%s %s %s" % (self._print(expr.lhs), symbols[expr.rel_op], self._print(expr.rhs))


def _is_negative(term: sp.Expr) -> bool:
    if isinstance(term, sp.Mul) and term.args and term.args[0].is_Number:
        return bool(term.args[0].is_negative)
    if term.is_Number:
        return bool(term.is_negative)
    return not isinstance(term, sp.Add) and bool(term.could_extract_minus_sign())


def _negate(term: sp.Expr) -> sp.Expr:
    if isinstance(term, sp.Mul) and term.args[0].is_Number:
        first, rest = term.args[0], term.args[1:]
        if first == -1:
            return rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
        return sp.Mul(-first, *rest, evaluate=False)
    return -term


def _needs_parentheses(function: sp.Expr) -> bool:
    """Whether d/dx needs parentheses around ``function``: sums, products, fractions."""
    if isinstance(function, (sp.Add, sp.Mul, sp.Piecewise)):
        return True
    if isinstance(function, sp.Pow):
        return bool(function.exp.is_number and function.exp.is_negative)
    return bool(function.is_Number and function.is_negative)


def to_tex(expr: sp.Basic, lang: str = "en") -> str:
    r"""``expr`` as TeX math, printed by :class:`TexPrinter`.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> to_tex(sp.Piecewise((1, x > 0), (0, True)), lang="ja")
    '\\begin{cases} 1 & \\left(x > 0\\right) \\\\ 0 & \\text{それ以外} \\end{cases}'
    >>> to_tex(sp.Heaviside(x, 0))
    'H\\left(x\\right)'
    """
    return TexPrinter(lang).doprint(expr)


_COMMAND = re.compile(r"\\(?:left|right|mathrm|operatorname|text|frac|quad|;|,)(?![A-Za-z])|\\[A-Za-z]+")


def tex_width(tex: str) -> int:
    r"""A rough width of TeX math in characters, to decide where a long line breaks.

    >>> tex_width(r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)")
    12
    """
    visible = _COMMAND.sub(lambda m: "" if m.group(0) in _INVISIBLE else "c", tex)
    return len(re.sub(r"[{}^_ ]", "", visible))


_INVISIBLE = {r"\left", r"\right", r"\mathrm", r"\operatorname", r"\text", r"\frac", r"\quad", r"\;", r"\,"}


def tex_lines(expr: sp.Expr, lang: str = "en", *, width: int = 80) -> list[str]:
    r"""``expr`` as TeX broken before a top-level + or − where it is wider than ``width``.

    Every line after the first starts with its sign, ``+ term``.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> tex_lines(x**3 + x**2 - x, width=6)
    ['x^{3} + x^{2}', '- x']
    >>> tex_lines(x**3 + x**2 - x)
    ['x^{3} + x^{2} - x']
    """
    printer = TexPrinter(lang)
    whole = printer.doprint(expr)
    if not isinstance(expr, sp.Add) or tex_width(whole) <= width:
        return [whole]
    lines: list[str] = []
    current: list[str] = []
    current_width = 0
    for index, term in enumerate(printer.terms(expr)):
        piece = printer.term_tex(term, first=index == 0)
        piece_width = tex_width(piece)
        if current and current_width + piece_width > width:
            lines.append("".join(current))
            piece = piece.lstrip()
            current, current_width = [piece], tex_width(piece)
        else:
            current.append(piece)
            current_width += piece_width
    lines.append("".join(current))
    return lines
