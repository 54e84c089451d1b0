"""Unicode text for a terminal: SymPy's two-dimensional pretty printing, wrapped to the terminal's width.

The document reads, as every format does (:mod:`.outline`): the title and statement; the result
(in the derivation's names, then in the original variables) and the names it uses; the chain of
equalities with the = signs lined up, each step's sub-derivations indented below its line; then
each step's rule and justification, wrapped as paragraphs.

No line is wider than ``width`` (100 columns unless told), counted as a terminal counts: a CJK
character takes two columns (``unicodedata.east_asian_width``). A formula too wide for its line
breaks before a top-level + or − (or at a top-level ·), and the pieces continue below it; a
piece still too wide is written on one line and wrapped.

The focus of each step is marked by a caret line under the formula: ``~`` under what the step
made (its replacement), ``^`` under what the next step rewrites. Where the two overlap they get a
line each, ``~`` first.

>>> import sympy as sp
>>> from symderiv.core.derivation import Derivation
>>> from symderiv.core.steps import Step
>>> x = sp.Symbol("x")
>>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x, detail={"exponent": 2}),))
>>> print(render(d).split("Justifications")[0])  # doctest: +NORMALIZE_WHITESPACE
The derivative of x²
<BLANKLINE>
We differentiate x² with respect to x.
<BLANKLINE>
Result
<BLANKLINE>
    d ⎛ 2⎞
    ──⎝x ⎠ = 2⋅x
    dx
<BLANKLINE>
Step by step
<BLANKLINE>
d ⎛ 2⎞
──⎝x ⎠ = 2⋅x   (1)
dx
<BLANKLINE>
<BLANKLINE>
"""

from __future__ import annotations

import re
import unicodedata
from contextlib import nullcontext
from types import SimpleNamespace
from typing import Any, Sequence

import sympy as sp
from sympy.printing.conventions import requires_partial
from sympy.printing.pretty.pretty import PrettyPrinter
from sympy.printing.pretty.pretty_symbology import pretty_symbol
from sympy.printing.pretty.stringpict import prettyForm, stringPict
from sympy.printing.str import StrPrinter

from ..core.rule_ids import RULES
from ..locales import word
from ..locales.laws import LAWS
from .explain import Equalities, Law, Sentence, Tex, Words
from .latex import check_tex
from .matrices import TextMatrices, bold
from .names import _printable, cap_output
from .outline import Line, Outline, outline
from .pretty_product import pretty_product
from .tex import Notation, factor_rank, focus_marks, notation
from .term_order import BoundedOrder, TermOrder, chain_orders, is_unevaluated, natural_terms
from .unicode import WIDTH, display_width, unicode_symbols, wrap

__all__ = ["render", "print_outline", "pretty", "inline_text", "formula_text", "sentence_text", "tex_plain",
           "display_width", "wrap", "formula_rows", "WIDTH"]

# Formulas ------------------------------------------------------------------------------------
_INDEXED = re.compile(r"^([A-Za-z]+)(?:\^\{\((\d+)\)\})?(?:_\{(\d+(?:,\d+)*)\})?$")
_SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")
_SUBSCRIPT = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")


def _display_name(name: str) -> str | None:
    """``theta^{(2)}_{12}`` as θ⁽²⁾₁₂, ``x_{1}`` as x₁; None for any other name.

    >>> _display_name("theta^{(2)}_{12}"), _display_name("x_{1}"), _display_name("x")
    ('θ⁽²⁾₁₂', 'x₁', None)
    """
    match = _INDEXED.match(name)
    if match is None or (match.group(2) is None and match.group(3) is None):
        return None
    base, layer, index = match.groups()
    text = pretty_symbol(base)
    if layer is not None:
        text += f"({layer})".translate(_SUPERSCRIPT)
    if index is not None:
        text += index.translate(_SUBSCRIPT)
    return text


#: Private-use characters that stand for a marked subexpression while its columns are found.
_BLOTS = {"~": "\ue000", "^": "\ue001"}


class _Printer(PrettyPrinter):
    """SymPy's pretty printer with the choices of :mod:`.tex`: the term order, the notation of
    derivatives, the constants of a product before its derivatives; and, for one mark, the
    marked subexpression drawn in a private-use character (``blot``) to find its columns."""

    def __init__(self, term_order: TermOrder | None = None, notation: Notation | None = None,
                 mark: sp.Basic | None = None, blot: str = "") -> None:
        super().__init__({"use_unicode": True, "wrap_line": False})
        self.term_order, self.notation, self.mark, self.blot = term_order, notation, mark, blot
        self._run: set[sp.Basic] = set()

    def _print(self, expr: Any, **kwargs: Any) -> Any:
        # the outermost call sets SymPy's symbols (ℯ, ⋅, ⎛) in Unicode, whatever stdout is
        with unicode_symbols() if self._print_level == 0 else nullcontext():
            form = super()._print(expr, **kwargs)
        mark = self.mark
        if mark is None or not self.blot or not isinstance(expr, sp.Basic):
            return form
        if expr in self._run or (-expr) in self._run or (expr == mark and (not mark.is_Atom or self._print_level == 1)):
            return _blotted(form, self.blot)
        return form

    def _as_ordered_terms(self, expr: Any, order: str | None = None) -> list[Any]:
        if isinstance(expr, sp.Add):
            known = self.term_order.terms(expr) if self.term_order is not None else None
            if known is not None and len(known) == len(expr.args) and set(known) == set(expr.args):
                return list(known)
            return natural_terms(expr)
        return super()._as_ordered_terms(expr, order=order)

    def _print_Add(self, expr: sp.Add, order: str | None = None) -> Any:
        mark = self.mark
        if self.blot and isinstance(mark, sp.Add) and mark not in (expr,) and set(mark.args) < set(expr.args):
            terms = self._as_ordered_terms(expr)
            places = [i for i, t in enumerate(terms) if t in set(mark.args)]
            if places == list(range(places[0], places[0] + len(mark.args))):
                self._run = set(mark.args)
                try:
                    return super()._print_Add(expr, order)
                finally:
                    self._run = set()
        return super()._print_Add(expr, order)

    def _print_Symbol(self, expr: sp.Symbol, bold_name: bool = False) -> Any:
        name = _display_name(expr.name)
        return prettyForm(name) if name is not None else super()._print_Symbol(expr, bold_name)

    def _print_Heaviside(self, expr: sp.Heaviside) -> Any:
        return self._print_Function(sp.Function("H")(expr.args[0]))

    def _print_Mul(self, product: sp.Mul) -> Any:
        """An unevaluated product as written (the chain rule's df/du⋅du/dx); an evaluated one
        with the sums after the other factors and the derivatives last."""
        factors = list(product.args)
        if not is_unevaluated(product):
            factors = sorted(factors, key=lambda f: 3 if isinstance(f, sp.Derivative) else factor_rank(f))
        return pretty_product(self, sp.Mul(*factors, evaluate=False).args)

    def _print_Derivative(self, deriv: sp.Derivative) -> Any:
        partial = requires_partial(deriv.expr) if self.notation is None else (
            self.notation == "partial" or len(set(deriv.variables)) > 1)
        symbol = "∂" if partial else "d"
        below = None
        for variable, count in reversed(deriv.variable_count):
            piece = prettyForm(*self._print(variable).left(symbol))
            if count != 1:
                piece = piece ** prettyForm(str(count))
            below = piece if below is None else prettyForm(*prettyForm(*below.right(" ")).right(piece))
        total = sum(count for _, count in deriv.variable_count)
        top = prettyForm(symbol) if total == 1 else prettyForm(symbol) ** prettyForm(str(total))
        operator = prettyForm(*top.below(stringPict.LINE, below))
        operator.baseline += 1
        operand = prettyForm(*self._print(deriv.expr).parens(), binding=prettyForm.FUNC)
        form = prettyForm(*stringPict.next(operator, operand))
        form.binding = prettyForm.MUL
        return form


def _one_line(self: Any, expr: Any) -> Any:
    """A matrix node drawn on one line, as the one-line printer writes it."""
    return prettyForm(_linear(expr, self.term_order, self.notation))


for _node in ("MatrixSymbol", "DifferentialSymbol", "Transpose", "Inverse", "MatMul", "MatAdd", "HadamardProduct",
              "HadamardPower",
              "ElementwiseApplyFunction", "MatrixDifferential", "ScalarDifferential", "Trace", "Determinant",
              "OneMatrix", "ZeroMatrix", "Identity", "Softmax"):
    setattr(_Printer, f"_print_{_node}", _one_line)


def _blotted(form: Any, char: str) -> prettyForm:
    """``form`` with every visible character replaced by ``char``: the same size and baseline."""
    lines = ["".join(c if c == " " or unicodedata.combining(c) else char for c in line) for line in form.picture]
    return prettyForm("\n".join(lines), form.baseline, getattr(form, "binding", prettyForm.ATOM))


class _LinearPrinter(TextMatrices, BoundedOrder, StrPrinter):
    """SymPy's one-line printer, with the sum order bounded as in every other format, σ for the
    sigmoid and d/dx(…) for a derivative."""

    def __init__(self, term_order: TermOrder | None = None, notation: Notation | None = None) -> None:
        super().__init__()
        self.term_order, self.notation = term_order, notation

    def _print_sigmoid(self, expr: sp.Expr) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_Derivative(self, expr: sp.Derivative) -> str:
        partial = len(set(expr.variables)) > 1 or (
            requires_partial(expr.expr) if self.notation is None else self.notation == "partial")
        symbol = "∂" if partial else "d"
        below = "".join(f"{symbol}{self._print(v)}" + (f"^{c}" if c != 1 else "")
                        for v, c in reversed(expr.variable_count))  # ∂²/∂y∂x: the last taken first
        total = len(expr.variables)
        return f"{symbol}{f'^{total}' if total != 1 else ''}/{below}({self._print(expr.expr)})"

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return _display_name(expr.name) or pretty_symbol(expr.name)

    def _print_floor(self, expr: sp.Expr) -> str:
        return f"⌊{self._print(expr.args[0])}⌋"

    def _print_ceiling(self, expr: sp.Expr) -> str:
        return f"⌈{self._print(expr.args[0])}⌉"


def _linear(expr: sp.Basic, term_order: TermOrder | None = None, notation: Notation | None = None) -> str:
    with unicode_symbols():  # θ for theta
        text = _LinearPrinter(term_order, notation).doprint(expr).replace("**", "^").replace("*", "·")
    return re.sub(r"\^(\d+)\b", lambda m: m.group(1).translate(_SUPERSCRIPT_DIGITS), text)


def _form(expr: sp.Basic, **options: Any) -> Any:
    return _Printer(**options)._print(expr)


def pretty(expr: sp.Basic, *, order: TermOrder | None = None, notation: Notation | None = None) -> str:
    """``expr`` drawn in Unicode, over several lines where it has fractions; ``order`` and
    ``notation`` as in :func:`~symderiv.render.tex.to_tex`.

    >>> print(pretty(sp.Heaviside(sp.Symbol("x"), 0)))
    H(x)
    """
    return _form(expr, term_order=order, notation=notation).render(wrap_line=False)


def inline_text(expr: sp.Basic) -> str:
    """``expr`` on one line: SymPy's pretty form when it is one line, else a linear form.

    >>> x = sp.Symbol("x")
    >>> inline_text(x**2), inline_text(1 / (1 + sp.exp(-x)))
    ('x²', '1/(1 + exp(-x))')
    """
    drawn = pretty(expr)
    return drawn if "\n" not in drawn else _linear(expr)


_SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


# Formulas that fit -------------------------------------------------------------------------
def _pieces(expr: sp.Basic, printer: _Printer, room: int) -> list[tuple[str, sp.Basic]] | None:
    """``expr`` as pieces that each fit in ``room`` columns, broken before a top-level + or −
    (or at a top-level ·): the first piece's prefix is empty, the others' ``+ ``, ``- ``, ``⋅ ``.
    None when it cannot be broken so."""
    if isinstance(expr, sp.Add):
        items, join = list(printer._as_ordered_terms(expr)), "+"
    elif isinstance(expr, sp.Mul) and sp.fraction(expr, exact=True)[1] == 1 and not is_unevaluated(expr):
        items, join = sorted(expr.args, key=lambda f: 3 if isinstance(f, sp.Derivative) else factor_rank(f)), "⋅"
    else:
        return None
    # Each term is measured once and a group's width is their sum plus the " + " between them
    # (re-printing every growing group made a sum of n terms cost n² printing).
    groups: list[list[sp.Basic]] = [[]]
    width = 2  # the "+ " before a group, or the room it leaves on the first line
    for item in items:
        size = printer._print(item).width()
        if groups[-1] and width + 3 + size > room:
            groups.append([item])
            width = 2 + size
        else:
            width += size + (3 if groups[-1] else 0)
            groups[-1].append(item)
    pieces = [_piece(group, join, first=index == 0) for index, group in enumerate(groups)]
    if any(display_width(prefix) + printer._print(piece).width() > room for prefix, piece in pieces):
        return None
    return pieces


def _piece(group: list[sp.Basic], join: str, *, first: bool) -> tuple[str, sp.Basic]:
    if join == "⋅":
        return ("" if first else "⋅ "), group[0] if len(group) == 1 else sp.Mul(*group, evaluate=False)
    prefix = ""
    if not first:
        head = group[0]
        negative = head.could_extract_minus_sign() and not isinstance(head, sp.Add)
        prefix = "- " if negative else "+ "
        group = [-head if negative else head, *group[1:]]
    return prefix, group[0] if len(group) == 1 else sp.Add(*group, evaluate=False)


Element = Any  # a literal string, or (expression, {caret: marked subexpression})


def _draw(elements: Sequence[Element], options: dict[str, Any], caret: str = "") -> list[str]:
    """The elements side by side on their baselines; with ``caret``, the subexpressions marked
    for it drawn in its private-use character."""
    forms = []
    for element in elements:
        if isinstance(element, str):
            if element:
                forms.append(stringPict(element))
            continue
        expr, marks = element
        mark = marks.get(caret) if caret else None
        mark = None if mark == expr else mark  # the whole formula: nothing to point at
        forms.append(_form(expr, mark=mark, blot=_BLOTS[caret] if mark is not None else "", **options))
    return stringPict(*stringPict.next(*forms)).render(wrap_line=False).split("\n")


def _rows(elements: Sequence[Element], options: dict[str, Any]) -> list[str]:
    """The rows of ``elements`` side by side, then the caret rows under the marked parts: one
    row for both kinds of mark where they do not overlap, else one each (``~`` first)."""
    rows = [row.rstrip() for row in _draw(elements, options)]
    columns: dict[str, set[int]] = {}
    for caret in ("~", "^"):
        if any(not isinstance(e, str) and e[1].get(caret) not in (None, e[0]) for e in elements):
            found = {display_width(row[:i]) for row in _draw(elements, options, caret)
                     for i, c in enumerate(row) if c == _BLOTS[caret]}
            if found:
                columns[caret] = _closed(found)
    if len(columns) == 2 and not (columns["~"] & columns["^"]):
        return rows + [_caret_row({i: c for c, cols in columns.items() for i in cols})]
    return rows + [_caret_row({i: c for i in cols}) for c, cols in columns.items()]


def _closed(found: set[int]) -> set[int]:
    """The columns ``found``, with gaps of up to three columns (`` + ``) between them filled."""
    ordered = sorted(found)
    filled = set(ordered)
    for a, b in zip(ordered, ordered[1:]):
        if 1 < b - a <= 4:
            filled.update(range(a, b))
    return filled


def _caret_row(columns: dict[int, str]) -> str:
    return "".join(columns.get(i, " ") for i in range(max(columns) + 1))


def formula_rows(
    expr: sp.Basic,
    width: int = WIDTH,
    *,
    marks: dict[str, sp.Basic | None] | None = None,
    order: TermOrder | None = None,
    notation: Notation | None = None,
) -> list[str]:
    """``expr`` as rows of at most ``width`` columns: drawn in two dimensions, broken before a
    top-level + or − (or at a top-level ·) where it is wider, written on one line and wrapped
    where even a piece is. ``marks`` maps a caret (``~``, ``^``) to the subexpression it marks.

    >>> x = sp.Symbol("x")
    >>> formula_rows(x**3 + x**2 + x, 8)
    [' 3', 'x', '   2', '+ x  + x']
    >>> formula_rows(x**2 + sp.exp(x), marks={"^": sp.exp(x)})
    [' 2    x', 'x  + ℯ', '     ^^']
    """
    return _equation(None, expr, width, lhs_width=0, equals="", marks=marks or {}, options=_options(order, notation))


def _options(order: TermOrder | None, notation: Notation | None) -> dict[str, Any]:
    return {"term_order": order, "notation": notation}


def _equation(lhs: Element | None, rhs: sp.Basic, width: int, *, lhs_width: int, equals: str = " = ",
              marks: dict[str, Any], options: dict[str, Any], label: str = "") -> list[str]:
    """``lhs = rhs   (label)``, the = at column ``lhs_width`` (``lhs`` None: blank before it),
    broken where wider than ``width``."""
    tail = f"   ({label})" if label else ""
    left: Element = lhs if lhs is not None else " " * lhs_width
    room = width - lhs_width - len(equals) - display_width(tail)
    printer = _Printer(**options)
    pieces = [("", rhs)] if printer._print(rhs).width() <= room else _pieces(rhs, printer, room)
    if pieces is None:
        return _linear_equation(lhs, rhs, width, lhs_width=lhs_width, equals=equals, options=options, tail=tail)
    rows: list[str] = []
    for index, (prefix, piece) in enumerate(pieces):
        head = [left, equals] if index == 0 else [" " * (lhs_width + len(equals))]
        rows += _rows([*head, prefix, (piece, marks), tail if index == 0 else ""], options)
    return rows


def _linear_equation(lhs: Element | None, rhs: sp.Basic, width: int, *, lhs_width: int, equals: str,
                     options: dict[str, Any], tail: str) -> list[str]:
    """The fallback for a formula no breaking makes fit: on one line, wrapped."""
    rows = _rows([lhs], options) if lhs is not None else []
    text = _linear(rhs, options["term_order"], options["notation"]) + tail
    indent = " " * lhs_width + equals
    return rows + wrap(text, width, indent=indent, hanging=" " * len(indent) + "  ")


# Sentences -----------------------------------------------------------------------------------
_SUPERSCRIPTS = str.maketrans("0123456789-+nx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺ⁿˣ")


def _group(text: str) -> str:
    return f"({text})" if re.search(r"[\s+−-]", text.strip()) else text.strip()


def _sup(match: re.Match[str]) -> str:
    text = match.group(1).replace(" ", "")
    if all(char in "0123456789-+nx" for char in text):
        return text.translate(_SUPERSCRIPTS)
    return "^" + _group(text)


def tex_plain(tex: str) -> str:
    r"""A rough plain-text reading of simple TeX, for a page's ``<title>`` and a terminal.

    >>> tex_plain(r"\frac{1}{1 + e^{- x}}"), tex_plain(r"\sigma^{2}\left(x\right)")
    ('1/(1 + e⁻ˣ)', 'σ²(x)')
    >>> tex_plain(r"\frac{\partial f}{\partial w} = \frac{\mathrm{d} f}{\mathrm{d} a}")
    '∂f/∂w = df/da'
    """
    tex = re.sub(r"\\(?:left|right)(?![A-Za-z])", "", tex)
    tex = re.sub(r"\\partial\s*|\\mathrm\{d\}\s*(?=[A-Za-z\\])", lambda m: "∂" if "partial" in m.group(0) else "d", tex)
    tex = re.sub(r"\\(?:mathrm|operatorname|text|symfocus)\{([^{}]*)\}", r"\1", tex)
    tex = re.sub(r"\\mathbf\{([^{}]*)\}", lambda m: bold(m.group(1)), tex)
    for _ in range(20):
        previous = tex
        tex = re.sub(r"\^\{([^{}]*)\}", _sup, tex)
        tex = re.sub(r"_\{([^{}]*)\}", r"_\1", tex)
        tex = re.sub(r"\\frac\{([^{}]*)\}\{([^{}]*)\}", lambda m: f"{_group(m.group(1))}/{_group(m.group(2))}", tex)
        if tex == previous:
            break
    names = {"sigma": "σ", "partial": "∂", "cdot": "·", "quad": " ", "log": "log ", "tanh": "tanh ",
             "neq": "≠", "leq": "≤", "geq": "≥", "delta": "δ", "infty": "∞"}
    brackets = {"lfloor": "⌊", "rfloor": "⌋", "lceil": "⌈", "rceil": "⌉"}  # no space: ⌊x⌋
    tex = re.sub(r"\\(lfloor|lceil)\s*|\s*\\(rfloor|rceil)", lambda m: brackets[m.group(1) or m.group(2)], tex)
    tex = re.sub(r"\\([A-Za-z]+)", lambda m: names.get(m.group(1), m.group(1)), tex)
    tex = re.sub(r"\\[,;:!]", " ", tex).replace("{", "").replace("}", "").replace("-", "−")
    return re.sub(r"\s+", " ", tex).strip()


def formula_text(value: Any) -> str:
    """One formula of a sentence as one line of Unicode text (a law, TeX, equalities, a list).

    >>> formula_text(Equalities(((sp.Symbol("u"), 1 + sp.exp(-sp.Symbol("x"))),)))
    'u = 1 + exp(-x)'
    """
    if isinstance(value, Law):
        law = LAWS[value.rule]
        info = RULES[value.rule]
        return info.law if "begin" in law or info.kind == "matrix" else tex_plain(law)
    if isinstance(value, Tex):
        return tex_plain(check_tex(value.source))
    if isinstance(value, Equalities):
        return ", ".join(f"{inline_text(k)} = {inline_text(v)}" for k, v in value.pairs)
    if isinstance(value, tuple):
        return ", ".join(inline_text(item) for item in value)
    return inline_text(value)


def sentence_text(sentence: Sentence) -> str:
    """A sentence as one line of Unicode text."""
    return "".join(
        _printable(piece.text) if isinstance(piece, Words) else formula_text(piece.value)
        for piece in sentence
    )


#: Stands for a space inside a short formula while a paragraph is wrapped: not a place to break.
_KEEP = "\ue010"


def _paragraph(sentence: Sentence, width: int, *, lead: str = "", hanging: str = "") -> list[str]:
    """A sentence wrapped to ``width``, never breaking inside a formula shorter than a third of it."""
    pieces = []
    for piece in sentence:
        if isinstance(piece, Words):
            pieces.append(_printable(piece.text))
        else:
            text = formula_text(piece.value)
            pieces.append(text.replace(" ", _KEEP) if display_width(text) <= width // 3 else text)
    return [line.replace(_KEEP, " ") for line in wrap(lead + "".join(pieces), width, hanging=hanging)]


# The document --------------------------------------------------------------------------------
#: How far a sub-derivation is indented below its line, per level.
INDENT = 4


def _chain(lines: Sequence[Line], width: int, style: Notation, label: str = "") -> list[str]:
    """The chain of equalities, = signs lined up, each line's sub-derivations indented below it."""
    if not lines:
        return []
    orders = chain_orders(SimpleNamespace(steps=[line.step for line in lines]))
    options = _options(None, style)
    first = lines[0].lhs if lines[0].lhs is not None else lines[0].step.before
    lhs_marks = {"^": focus_marks(lines[0].step)[0]}
    rows: list[str] = []
    lhs_width = _form(first, **{**options, "term_order": orders[0]}).width()
    lhs: Element | None = (first, lhs_marks)
    if lhs_width > width // 3:
        rows += _equation(None, first, width, lhs_width=0, equals="", marks=lhs_marks,
                          options={**options, "term_order": orders[0]})
        lhs, lhs_width = None, INDENT
    for index, line in enumerate(lines):
        following = lines[index + 1].step if index + 1 < len(lines) else None
        marks = {"~": focus_marks(line.step)[1], "^": focus_marks(following)[0] if following else None}
        number = getattr(line, "label", "") or (f"{label}.{line.number}" if label else str(line.number))
        rows += _equation(lhs if index == 0 else None, line.rhs, width, lhs_width=lhs_width, marks=marks,
                          options={**options, "term_order": orders[index + 1]}, label=number)
        for position, sub in enumerate(line.subs):
            rows += _indented(_sub(sub, width - INDENT, style, getattr(sub, "label", "") or _sub_label(number, position)))
    return rows


def _sub_label(label: str, index: int) -> str:
    return f"{label}{chr(ord('a') + index)}" if index < 26 else f"{label}.{index + 1}"


def _sub(sub: Any, width: int, style: Notation, label: str) -> list[str]:
    """A sub-derivation: what it differentiates, then its chain."""
    statement = _paragraph(sub.statement, width, lead=f"({label}) ", hanging=" " * (len(label) + 3))
    return ["", *statement, "", *_chain(sub.lines, width, style, label)]


def _indented(rows: list[str], by: int = INDENT) -> list[str]:
    return [" " * by + row if row else row for row in rows]


def _notes(lines: Sequence[Line], width: int, label: str = "") -> list[str]:
    """Each line's rule and justification as a paragraph, its sub-derivations' notes indented below."""
    out: list[str] = []
    for line in lines:
        number = getattr(line, "label", "") or (f"{label}.{line.number}" if label else str(line.number))
        why = tuple(line.why) + ((Words(f" [{line.proof_text}]"),) if line.proof_text else ())
        out += _paragraph(why, width, lead=f"({number}) {line.rule_name}: ", hanging=" " * (len(number) + 3))
        for position, sub in enumerate(line.subs):
            sub_label = getattr(sub, "label", "") or _sub_label(number, position)
            out += _indented(_notes(sub.lines, width - INDENT, sub_label))
    return out


def _result(document: Outline, width: int, style: Notation) -> list[str]:
    """The result: the derivative asked for = the result in the names = in the original
    variables; then the names it uses, each once."""
    lhs, result = document.result.args
    sides = [result]
    if document.named_result is not None and document.named_result.args[1] != result:
        sides.insert(0, document.named_result.args[1])
    options = _options(None, style)
    lhs_width = _form(lhs, **options).width()
    rows: list[str] = []
    if lhs_width > (width - INDENT) // 3:
        rows += _equation(None, lhs, width - INDENT, lhs_width=0, equals="", marks={}, options=options)
        lhs, lhs_width = None, INDENT
    for index, side in enumerate(sides):
        rows += _equation((lhs, {}) if index == 0 and lhs is not None else None, side, width - INDENT,
                          lhs_width=lhs_width, marks={}, options=options)
    rows = _indented(rows)
    if document.definitions:
        names = ", ".join(f"{inline_text(name)} = {inline_text(value)}" for name, value in document.definitions)
        rows += [""] + wrap(word("where", document.lang).format(substitutions=names), width, indent=" " * INDENT)
    return rows


def _style(document: Outline) -> Notation:
    """∂ or d for the whole document (:func:`~symderiv.render.tex.notation`), from its outline."""
    derivative = document.result.args[0]
    steps = [line.step for line in document.lines]
    return notation(SimpleNamespace(expr=derivative.expr, wrt=derivative.variables[0], steps=steps))


def print_outline(document: Outline, *, width: int = WIDTH) -> str:
    """The document for a terminal of ``width`` columns: title and statement, the result and the
    names it uses, the chain with its sub-derivations, each step's justification, the proof line."""
    width = max(width, 40)
    style = _style(document)
    parts = [
        _paragraph(document.title, width),
        _paragraph(document.statement, width),
        [document.result_heading, ""] + _result(document, width, style),
        [document.steps_heading, ""] + _chain(document.lines, width, style),
        [document.notes_heading, ""] + _notes(document.lines, width),
    ]
    if document.proof_line:
        parts.append(wrap(document.proof_line, width))
    text = "\n\n".join("\n".join(part) for part in parts)
    return cap_output(text, "text")


def render(derivation: Any, *, lang: str = "en", width: int = WIDTH) -> str:
    """The derivation for a terminal of ``width`` columns (100 unless told; at least 40)."""
    return print_outline(outline(derivation, lang), width=width)
