r"""SymPy expressions as TeX, the way a textbook prints them: the one printer every format shares.

Compared with SymPy's own ``latex()``, this printer

- writes derivatives with an upright d, ``\frac{\mathrm{d}}{\mathrm{d}x}``, or with ``\partial``
  (``notation="partial"``, for a whole derivation: :func:`notation`); a compound operand is
  bracketed, d/dx (1/(1 + e^{−x})), and in a product a derivative comes after the constants
  pulled out of it, (y − 1) d/dz log(1 − σ(z)), a derivative that is followed by another one
  with its operand bracketed and a ``\cdot`` between them;
- prints the terms of each sum in a stable order (``order=``, or ``previous=`` and ``focus=``:
  :mod:`.term_order`) so that untouched terms keep their place from one line to the next;
  unevaluated sums and products (which the steps show on purpose) stay in the order they were
  written, evaluated products have the sum factors last: σ(x)(1 − σ(x));
- writes σ(x), ReLU(x), softplus(x) and H(x) without ``\left(`` ``\right)`` when the argument
  is simple (a symbol, a number);
- marks the focus of a step (``mark=``, :func:`focus_marks`) as ``\symfocus{...}``: every
  occurrence of the marked subexpression, or the run of terms it makes in a sum. ``\symfocus``
  is not a TeX command: a LaTeX document defines it in its preamble (a colour box that falls
  back to an underline: :mod:`.latex`), :mod:`.mathml` writes it as ``<mrow class="focus">``;
- writes the Heaviside step as H(x), and piecewise functions as a textbook does, with the word
  for "otherwise" in the reader's language (its :class:`~symderiv.locales.Locale`);
- checks every name (:func:`symderiv.render.names.check_name`) before printing it.

>>> import sympy as sp
>>> from symderiv.core.functions import sigmoid
>>> x, y = sp.symbols("x y")
>>> to_tex(sp.Derivative(1 / (1 + sp.exp(-x)), x))
'\\frac{\\mathrm{d}}{\\mathrm{d}x}\\left(\\frac{1}{1 + e^{- x}}\\right)'
>>> to_tex(sigmoid(x) * (1 - sigmoid(x)))
'\\sigma(x) \\left(1 - \\sigma(x)\\right)'
>>> to_tex(sp.Derivative(x * y, x))
'\\frac{\\partial}{\\partial x}\\left(x y\\right)'
>>> to_tex(sp.Add(1, sp.exp(-x), -1, evaluate=False))
'1 + e^{- x} - 1'
>>> to_tex(x**2 + sp.exp(x), mark=sp.exp(x))
'x^{2} + \\symfocus{e^{x}}'
"""

from __future__ import annotations

import re
from typing import Any, Literal, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.conventions import requires_partial
from sympy.printing.latex import LatexPrinter
from sympy.simplify.radsimp import fraction

from ..core.functions import relu, sigmoid, softplus
from ..locales import LOCALES
from .matrices import TexMatrices
from .names import check_name, greek_to_ascii, tex_text
from .term_order import (
    LEX_ORDER_BUDGET,
    BoundedOrder,
    TermOrder,
    distinct_nodes,
    first_order,
    is_negative_term,
    is_unevaluated,
    natural_terms,
    next_order,
)

__all__ = ["TexPrinter", "BoundedOrder", "to_tex", "tex_lines", "tex_width", "is_unevaluated", "LEX_ORDER_BUDGET",
           "notation", "Notation", "focus_marks", "resolve_order", "factor_rank"]

#: How a derivation writes its derivatives: ∂ throughout, or an upright d throughout.
Notation = Literal["partial", "upright"]

def notation(derivation: Any) -> Notation:
    """``"partial"`` when more than one variable is involved in ``derivation`` (its expression,
    or the values of the names it uses, have symbols other than the variable), else
    ``"upright"``: one notation for every line of a derivation and its sub-derivations.

    >>> from types import SimpleNamespace as Chain
    >>> x, y = sp.symbols("x y")
    >>> notation(Chain(expr=x**2, wrt=x, steps=())), notation(Chain(expr=x * y, wrt=x, steps=()))
    ('upright', 'partial')
    """
    names: dict[sp.Symbol, sp.Expr] = {}
    pending = [derivation]
    while pending:
        chain = pending.pop()
        for step in chain.steps:
            names.update(step.where)
            pending.extend(getattr(step, "substeps", ()))
    symbols = set(derivation.expr.free_symbols)
    for value in names.values():
        symbols |= value.free_symbols
    others = symbols - set(names) - {derivation.wrt}
    return "partial" if others else "upright"


def focus_marks(step: Any) -> tuple[sp.Expr | None, sp.Expr | None]:
    """What to mark (``mark=``) in a step's ``before`` and in its ``after``: the part it rewrote
    and its replacement. Either is None where it cannot be pointed at: the replacement where it
    vanished (0), where it stood in ``before`` already outside the part, where SymPy merged it
    into its surroundings; either where the printed formula does not show it whole (1/a in y/a).

    >>> x = sp.Symbol("x")
    >>> from symderiv.core.steps import Step
    >>> d = sp.Derivative(x**2, x)
    >>> focus_marks(Step("power", sp.exp(x) + d, sp.exp(x) + 2*x, focus=(d, 2*x)))
    (Derivative(x**2, x), 2*x)
    >>> focus_marks(Step("power", 2*x + d, 4*x, focus=(d, 2*x)))
    (Derivative(x**2, x), None)
    """
    if step.focus is None:
        return None, None
    part, replacement = step.focus
    shown_part = part if _shows(step.before, part) else None
    hole = sp.MatrixSymbol("_", *part.shape) if isinstance(part, sp.MatrixExpr) else sp.Dummy()
    if replacement.is_zero or step.before.xreplace({part: hole}).has(replacement):
        return shown_part, None
    if replacement not in _nodes_and_runs(step.after) or not _shows(step.after, replacement):
        return shown_part, None
    return shown_part, replacement


def _shows(expr: sp.Basic, mark: sp.Basic) -> bool:
    """Whether ``expr`` printed with ``mark`` marks it somewhere (or is it)."""
    return expr == mark or r"\symfocus{" in TexPrinter(mark=mark).doprint(expr)


def _nodes_and_runs(expr: sp.Basic) -> set[sp.Basic]:
    """The subexpressions of ``expr``, and the sums made of some terms of one of its sums."""
    found: set[sp.Basic] = set()
    for node in distinct_nodes(expr):
        found.add(node)
        if isinstance(node, sp.Add) and len(node.args) < 40:
            found.update(_sub_sums(node))
    return found


def _sub_sums(add: sp.Add) -> set[sp.Basic]:
    args = add.args
    return {sp.Add(*args[i:j]) for i in range(len(args)) for j in range(i + 2, len(args) + 1)} | {
        sp.Add(*(a for a in args if a is not skip)) for skip in args}


def resolve_order(
    expr: sp.Basic,
    *,
    order: TermOrder | None = None,
    previous: TermOrder | sp.Basic | None = None,
    focus: tuple[sp.Expr, sp.Expr] | None = None,
    where: Mapping[sp.Symbol, sp.Expr] | None = None,
) -> TermOrder | None:
    """The term order to print ``expr`` in: ``order`` as given, or the one that follows the
    previous line (a :class:`~.term_order.TermOrder`, or an expression in its natural order)
    through the step's ``focus`` (and ``where``), or None for the natural order."""
    if order is not None:
        return order
    if previous is None:
        return None
    before = previous if isinstance(previous, TermOrder) else first_order(previous)
    return next_order(before, expr, focus, where)


#: A name written with TeX scripts already, as networks name their symbols: theta^{(2)}_{12}.
_BRACED_SCRIPTS = re.compile(r"^([A-Za-z]+)((?:[\^_]\{[^{}\\]*\})+)$")

#: Our functions of one argument, and how their names print.
_NAMED = {sigmoid: r"\sigma", relu: r"\operatorname{ReLU}", softplus: r"\operatorname{softplus}",
          sp.Heaviside: "H"}


class TexPrinter(TexMatrices, BoundedOrder, LatexPrinter):
    """SymPy's LaTeX printer, made to print as a textbook does (see the module docstring).

    ``term_order`` fixes the order of the terms of each sum (:mod:`.term_order`); ``notation``
    writes every derivative with ∂ (``"partial"``) or d (``"upright"``), or decides per
    derivative (None); ``mark`` is a subexpression printed as ``\\symfocus{...}``.
    """

    printmethod = "_latex"

    def __init__(
        self,
        lang: str = "en",
        *,
        term_order: TermOrder | None = None,
        notation: Notation | None = None,
        mark: sp.Basic | None = None,
        **settings: Any,
    ) -> None:
        super().__init__(settings)
        self.lang = lang
        self.term_order = term_order
        self.notation = notation
        self.mark = mark
        self._bracket_operand = False

    def _print(self, expr: Any, **kwargs: Any) -> str:
        if isinstance(expr, tuple(_NAMED)):
            tex = self._print_named(expr, **kwargs)
        else:
            tex = super()._print(expr, **kwargs)
        if self.mark is not None and not getattr(self.mark, "is_Atom", True) and expr == self.mark:
            return r"\symfocus{%s}" % tex
        return tex

    def doprint(self, expr: Any) -> str:
        tex = super().doprint(expr)
        if self.mark is not None and getattr(self.mark, "is_Atom", False) and expr == self.mark:
            return r"\symfocus{%s}" % tex
        return tex

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
        return _tidy_call(super()._print_Function(expr, exp), expr)

    def _print_log(self, expr: sp.log, exp: str | None = None) -> str:
        return _tidy_call(super()._print_log(expr, exp), expr)

    def _print_named(self, expr: sp.Function, exp: str | None = None) -> str:
        """σ(x), ReLU(x), softplus(x), H(x): plain parentheses around a simple argument."""
        name = next(tex for kind, tex in _NAMED.items() if isinstance(expr, kind))
        if exp is not None:
            name = "%s^{%s}" % (name, exp)
        argument = expr.args[0]
        inner = self._print(argument)
        if _is_simple(argument):
            return "%s(%s)" % (name, inner)
        return r"%s\left(%s\right)" % (name, inner)

    # Sums and products ---------------------------------------------------------------------
    def _print_Add(self, expr: sp.Add, order: str | None = None) -> str:
        return self._print_terms(self.terms(expr))

    def terms(self, expr: sp.Add) -> list[sp.Expr]:
        """The terms of a sum in the order printed: the term order's, if it knows the sum; as
        written when unevaluated; else the positive terms first, as a textbook writes σ(z) − y
        rather than −y + σ(z)."""
        if self.term_order is not None:
            known = self.term_order.terms(expr)
            if known is not None and len(known) == len(expr.args) and set(known) == set(expr.args):
                return list(known)
        return natural_terms(expr)

    def _print_terms(self, terms: list[sp.Expr]) -> str:
        return "".join(self.term_pieces(terms))

    def term_pieces(self, terms: list[sp.Expr]) -> list[str]:
        """The terms of a sum as TeX, each with its sign (:meth:`term_tex`); a marked run of
        terms is one piece, ``+ \\symfocus{a + b}``."""
        start, stop = self._marked_run(terms)
        pieces = []
        for index, term in enumerate(terms):
            if index == start:
                run = "".join(self.term_tex(t, first=index + i == 0) for i, t in enumerate(terms[start:stop]))
                sign = " + " if run.startswith(" + ") else " " if index > 0 else ""
                pieces.append(sign + r"\symfocus{%s}" % run.removeprefix(" + ").strip())
            elif not start <= index < stop:
                pieces.append(self.term_tex(term, first=index == 0))
        return pieces

    def _marked_run(self, terms: list[sp.Expr]) -> tuple[int, int]:
        """Where the marked subexpression stands in ``terms`` as a run of terms: a sum whose terms
        SymPy merged into this one, or an atom as a term; (-1, -1) when it does not."""
        mark = self.mark
        if mark is None:
            return -1, -1
        if getattr(mark, "is_Atom", False):
            return (terms.index(mark), terms.index(mark) + 1) if mark in terms else (-1, -1)
        if not isinstance(mark, sp.Add) or mark in terms:
            return -1, -1
        wanted = set(mark.args)
        places = [i for i, t in enumerate(terms) if t in wanted]
        if len(mark.args) == len(places) < len(terms) and places == list(range(places[0], places[0] + len(places))):
            return places[0], places[-1] + 1
        return -1, -1

    def term_tex(self, term: sp.Expr, *, first: bool) -> str:
        """One term of a sum with its sign: ``x``, `` + x`` or `` - x``."""
        sign = ""
        if is_negative_term(term):
            sign = "- " if first else " - "
            term = _negate(term)
        elif not first:
            sign = " + "
        term_tex = self._print(term)
        if self._needs_add_brackets(term):
            term_tex = r"\left(%s\right)" % term_tex
        return sign + term_tex

    def _print_Mul(self, expr: sp.Mul) -> str:
        if isinstance(expr, sp.Mul) and any(isinstance(f, sp.Derivative) for f in expr.args):
            return self._print_derivative_product(expr)
        if is_unevaluated(expr) or not isinstance(expr, sp.Mul):
            return self._with_order("none", super()._print_Mul, expr)
        factors = sorted(expr.args, key=factor_rank)  # stable: σ(x)(1 − σ(x)), (1 − y) log(1 − a)
        if list(factors) == list(expr.args):
            return super()._print_Mul(expr)
        reordered = sp.Mul(*factors, evaluate=False)
        return self._with_order("none", super()._print_Mul, reordered)

    def _print_derivative_product(self, expr: sp.Mul) -> str:
        """A product with derivatives. Evaluated, the constants come first, then the derivatives:
        (y − 1) d/dz log(1 − σ(z)); unevaluated, the factors stay as written. A derivative
        followed by another factor has its operand bracketed and a ``\\cdot`` after it."""
        if is_unevaluated(expr):
            return self._print_factors(list(expr.args))
        sign = ""
        if expr.could_extract_minus_sign():
            expr, sign = -expr, "- "
            if not isinstance(expr, sp.Mul) or not any(isinstance(f, sp.Derivative) for f in expr.args):
                return sign + self._print(expr)
        numerator, denominator = fraction(expr, exact=True)
        if denominator != 1:
            return sign + r"\frac{%s}{%s}" % (self._print(numerator), self._print(denominator))
        factors = sp.Mul.make_args(expr)
        constants = [f for f in factors if not isinstance(f, sp.Derivative)]
        groups = [sp.Mul(*constants)] if constants else []
        return sign + self._print_factors(groups + [f for f in factors if isinstance(f, sp.Derivative)])

    def _print_factors(self, factors: list[sp.Expr]) -> str:
        out, separator = "", ""
        for index, factor in enumerate(factors):
            last = index == len(factors) - 1
            if index == 0 and factor == -1 and not last:
                out, separator = "- ", ""
                continue
            if isinstance(factor, sp.Derivative):
                self._bracket_operand = not last
                tex = self._print(factor)
            else:
                tex = self._print(factor)
                if self._needs_mul_brackets(factor, first=index == 0, last=last):
                    tex = r"\left(%s\right)" % tex
            out += separator + tex
            separator = r" \cdot " if isinstance(factor, sp.Derivative) else " "
        return out

    def _with_order(self, order: str, method: Any, expr: sp.Expr) -> str:
        saved = self._settings["order"]
        self._settings["order"] = order
        try:
            return method(expr)
        finally:
            self._settings["order"] = saved

    # Calculus ------------------------------------------------------------------------------
    def _print_Derivative(self, expr: sp.Derivative) -> str:
        if len(set(expr.variables)) > 1:  # a mixed partial, whatever the notation
            partial = True
        elif self.notation is None:
            partial = bool(requires_partial(expr))
        else:
            partial = self.notation == "partial"
        d = r"\partial" if partial else r"\mathrm{d}"
        total = sum(count for _, count in expr.variable_count)
        numerator = d if total == 1 else "%s^{%s}" % (d, total)
        sep = " " if partial else ""
        denominator = " ".join(
            "%s%s%s" % (d, sep, self._print(variable)) if count == 1
            else "%s%s%s^{%s}" % (d, sep, self._print(variable), count)
            for variable, count in reversed(expr.variable_count)  # ∂²/∂y∂x: the last taken first
        )
        function = expr.expr
        bracket = self._bracket_operand or _needs_parentheses(function)
        self._bracket_operand = False
        inner = self._print(function)
        inner = r"\left(%s\right)" % inner if bracket else " " + inner
        return r"\frac{%s}{%s}%s" % (numerator, denominator, inner)

    def _print_Heaviside(self, expr: sp.Heaviside, exp: str | None = None) -> str:
        return self._print_named(expr, exp)

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


#: How SymPy writes a function of one argument: \log{\left(u \right)}, \tanh^{2}{\left(x \right)}.
_CALLED = re.compile(r"^(\\[A-Za-z]+(?:\^\{[^{}]*\})?)\{\\left\((.*) \\right\)\}$", re.DOTALL)


def _tidy_call(tex: str, expr: sp.Function) -> str:
    """SymPy's \\log{\\left(u \\right)} as \\log(u), \\tanh(x); around a compound argument
    \\log\\left(1 - a\\right), without the gap and the braces."""
    called = _CALLED.match(tex) if len(expr.args) == 1 else None
    if called is None:
        return tex
    if _is_simple(expr.args[0]):
        return "%s(%s)" % (called.group(1), called.group(2))
    return r"%s\left(%s\right)" % (called.group(1), called.group(2))


def _is_simple(argument: sp.Basic) -> bool:
    """Whether a function's argument reads without tall parentheses: a symbol (with its sub-
    and superscripts) or a number written without a fraction."""
    return bool(argument.is_Symbol or argument.is_Integer or argument.is_Float)


def factor_rank(factor: sp.Expr) -> int:
    """Where a factor goes in an evaluated product: sums after the rest, logarithms last."""
    return 2 if isinstance(factor, sp.log) else 1 if factor.is_Add else 0


def _negate(term: sp.Expr) -> sp.Expr:
    if isinstance(term, sp.Mul) and term.args[0].is_Number:
        first, rest = term.args[0], term.args[1:]
        if first == -1:
            return rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False)
        return sp.Mul(-first, *rest, evaluate=False)
    return -term


def _needs_parentheses(function: sp.Expr) -> bool:
    """Whether d/dx needs brackets around ``function``: a compound operand (a sum, product,
    fraction, derivative, piecewise function) or a negative or fractional number. A symbol, a
    function's value or a power stand alone: d/dx x², d/dz log(1 − σ(z))."""
    if isinstance(function, (sp.Add, sp.Mul, sp.Piecewise, sp.Derivative)):
        return True
    if isinstance(function, sp.Pow):
        return bool(function.exp.is_number and function.exp.is_negative)
    return bool(function.is_Number and (function.is_negative or not function.is_Integer))


def to_tex(
    expr: sp.Basic,
    lang: str = "en",
    *,
    order: TermOrder | None = None,
    previous: TermOrder | sp.Basic | None = None,
    focus: tuple[sp.Expr, sp.Expr] | None = None,
    where: Mapping[sp.Symbol, sp.Expr] | None = None,
    notation: Notation | None = None,
    mark: sp.Basic | None = None,
) -> str:
    r"""``expr`` as TeX math, printed by :class:`TexPrinter`.

    - ``order``: the term order of ``expr`` (:func:`~.term_order.chain_orders` gives a chain's);
      or ``previous`` (the line before, as a term order or an expression) with the step's
      ``focus`` (and ``where``, for a step that put its names back): untouched terms keep the
      place they had there (:func:`resolve_order`);
    - ``notation``: ``"partial"`` or ``"upright"`` for every derivative (:func:`notation` decides
      it for a derivation); None decides per derivative;
    - ``mark``: a subexpression to print as ``\symfocus{...}`` (:func:`focus_marks`).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> to_tex(sp.Piecewise((1, x > 0), (0, True)), lang="ja")
    '\\begin{cases} 1 & \\left(x > 0\\right) \\\\ 0 & \\text{それ以外} \\end{cases}'
    >>> to_tex(sp.Heaviside(x, 0))
    'H(x)'
    >>> to_tex(sp.Derivative(x**2, x), notation="partial")
    '\\frac{\\partial}{\\partial x} x^{2}'
    """
    term_order = resolve_order(expr, order=order, previous=previous, focus=focus, where=where)
    return TexPrinter(lang, term_order=term_order, notation=notation, mark=mark).doprint(expr)


_COMMAND = re.compile(r"\\(?:left|right|mathrm|operatorname|text|frac|quad|symfocus|;|,)(?![A-Za-z])|\\[A-Za-z]+")


def tex_width(tex: str) -> int:
    r"""A rough width of TeX math in characters, to decide where a long line breaks.

    >>> tex_width(r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)")
    12
    """
    visible = _COMMAND.sub(lambda m: "" if m.group(0) in _INVISIBLE else "c", tex)
    return len(re.sub(r"[{}^_ ]", "", visible))


_INVISIBLE = {r"\left", r"\right", r"\mathrm", r"\operatorname", r"\text", r"\frac", r"\quad", r"\;", r"\,", r"\symfocus"}


def tex_lines(expr: sp.Expr, lang: str = "en", *, width: int = 80, **options: Any) -> list[str]:
    r"""``expr`` as TeX broken before a top-level + or − where it is wider than ``width``.

    Every line after the first starts with its sign, ``+ term``. ``options`` are those of
    :func:`to_tex` (``order``, ``previous``, ``focus``, ``where``, ``notation``, ``mark``); a
    marked run of terms is not broken.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> tex_lines(x**3 + x**2 - x, width=6)
    ['x^{3} + x^{2}', '- x']
    >>> tex_lines(x**3 + x**2 - x)
    ['x^{3} + x^{2} - x']
    """
    term_order = resolve_order(expr, order=options.get("order"), previous=options.get("previous"),
                               focus=options.get("focus"), where=options.get("where"))
    printer = TexPrinter(lang, term_order=term_order, notation=options.get("notation"), mark=options.get("mark"))
    whole = printer.doprint(expr)
    if not isinstance(expr, sp.Add) or tex_width(whole) <= width:
        return [whole]
    pieces = printer.term_pieces(printer.terms(expr))
    return _pack(pieces, width)


def _pack(pieces: list[str], width: int) -> list[str]:
    lines: list[str] = []
    current: list[str] = []
    current_width = 0
    for piece in pieces:
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
