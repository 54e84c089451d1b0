r"""How the nodes of matrix calculus print: bold matrices, ᵀ, ⊙, d(·), tr, det, softmax.

Two mixins, one per kind of printer: :class:`TexMatrices` for the TeX printer
(:class:`~symderiv.render.tex.TexPrinter`, and through it LaTeX, Markdown, HTML and MathML) and
:class:`TextMatrices` for the one-line Unicode printers of :mod:`.text`. A matrix symbol prints
bold (**X**, 𝐗), its transpose with T (ᵀ), its differential as dX; a function applied entry by
entry prints as the function of the matrix, σ(Xw); the Hadamard product as ⊙; a sum with its
positive terms first (softmax(z) − y).

>>> import sympy as sp
>>> from symderiv.render.tex import to_tex
>>> X = sp.MatrixSymbol("X", 3, 2); w = sp.MatrixSymbol("w", 2, 1)
>>> to_tex(X.T * (X * w))
'\\mathbf{X}^{T} \\mathbf{X} \\mathbf{w}'
>>> bold("Xw1")
'𝐗𝐰1'
"""

from __future__ import annotations

from typing import Any

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.printing.precedence import PRECEDENCE, precedence

from ..core.matrices import DifferentialSymbol

__all__ = ["TexMatrices", "TextMatrices", "bold"]

_BOLD = {**{chr(ord("A") + k): chr(0x1D400 + k) for k in range(26)},
         **{chr(ord("a") + k): chr(0x1D41A + k) for k in range(26)}}

#: Stands for the matrix a function is applied to, entry by entry, while the function is printed.
_HOLE = sp.Symbol("elementwisehole")


def bold(name: str) -> str:
    """``name`` in Unicode mathematical bold, letter by letter (other characters as they are)."""
    return "".join(_BOLD.get(c, c) for c in name)


def _positive_first(args: Any) -> list[sp.Basic]:
    return sorted(args, key=lambda arg: arg.could_extract_minus_sign())


def _elementwise_body(expr: Any, hole: sp.Expr = _HOLE) -> sp.Expr:
    """f(hole) for the function f of ``f.(U)``."""
    function = expr.function
    if isinstance(function, sp.Lambda):
        return function.expr.xreplace({function.variables[0]: hole})  # type: ignore[no-any-return]
    return function(hole)  # type: ignore[no-any-return]


#: Stand-ins for the argument of f.(U) while f(U) is printed: a sum where U is a sum, a product
#: where it is a product, so that the printer brackets U wherever a sum (a product) needs it:
#: 1/(𝟏 − σ(Xw)), (Xw)², log(𝟏 − σ(Xw)).
_SUM_HOLE = sp.Add(sp.Symbol("elementwiseholea"), sp.Symbol("elementwiseholeb"), evaluate=False)
_PRODUCT_HOLE = sp.Mul(sp.Symbol("elementwiseholea"), sp.Symbol("elementwiseholeb"), evaluate=False)


def _elementwise(printer: Any, expr: Any) -> str:
    """``f.(U)`` printed as f(U), U bracketed where its kind of expression needs it."""
    argument = expr.expr
    if isinstance(argument, (sp.MatAdd, sp.Add)) or argument.could_extract_minus_sign():
        hole: sp.Expr = _SUM_HOLE
    elif isinstance(argument, (sp.MatMul, sp.Mul, sp.HadamardProduct)):
        hole = _PRODUCT_HOLE
    else:
        hole = _HOLE
    return printer._print(_elementwise_body(expr, hole)).replace(printer._print(hole), printer._print(argument))  # type: ignore[no-any-return]


def _body_needs_brackets(expr: Any, level: int, strict: bool) -> bool:
    """An entrywise function prints as its body, f(U): it needs brackets where its body's
    precedence is below ``level`` (1 − σ(Xw) is a sum, and a sum as an operand of ⊙ or a
    product needs them), as SymPy's ``parenthesize`` decides for any other node."""
    if not isinstance(expr, ElementwiseApplyFunction):
        return False
    own = precedence(_elementwise_body(expr))
    return own < level or (not strict and own <= level)


def _mat_add(printer: Any, expr: Any) -> str:
    """A sum of matrices, the positive terms first and each negative one after a minus sign."""
    text = ""
    for index, arg in enumerate(_positive_first(expr.args)):
        if arg.could_extract_minus_sign():
            text += (" - " if index else "-") + printer.parenthesize(-arg, PRECEDENCE["Add"])
        else:
            text += (" + " if index else "") + printer._print(arg)
    return text


def _is_inverse_transpose(expr: Any) -> bool:
    return (isinstance(expr, sp.Transpose) and isinstance(expr.arg, sp.Inverse)) or (
        isinstance(expr, sp.Inverse) and isinstance(expr.arg, sp.Transpose))


class TexMatrices:
    """TeX for matrix nodes; mixed into a SymPy ``LatexPrinter``."""

    _print: Any
    _print_Symbol: Any

    def parenthesize(self, item: Any, level: int, is_neg: bool = False, strict: bool = False) -> str:
        if _body_needs_brackets(item, level, strict):
            return r"\left(%s\right)" % self._print(item)
        return super().parenthesize(item, level, is_neg=is_neg, strict=strict)  # type: ignore[misc, no-any-return]

    def _print_MatrixSymbol(self, expr: Any, style: str = "bold") -> str:
        if isinstance(expr, DifferentialSymbol):
            return r"\mathrm{d}" + self._print(expr.variable)
        return self._print_Symbol(expr, style="bold")  # type: ignore[no-any-return]

    def _print_DifferentialSymbol(self, expr: Any) -> str:
        return r"\mathrm{d}" + self._print(expr.variable)

    def _print_Transpose(self, expr: Any) -> str:
        if _is_inverse_transpose(expr):
            return "%s^{-T}" % self.parenthesize(expr.arg.arg, PRECEDENCE["Pow"], strict=True)
        return "%s^{T}" % self.parenthesize(expr.arg, PRECEDENCE["Pow"], strict=True)

    def _print_Inverse(self, expr: Any) -> str:
        if _is_inverse_transpose(expr):
            return "%s^{-T}" % self.parenthesize(expr.arg.arg, PRECEDENCE["Pow"], strict=True)
        return "%s^{-1}" % self.parenthesize(expr.arg, PRECEDENCE["Pow"], strict=True)

    def _differential(self, expr: Any) -> str:
        inner = expr.args[0]
        if isinstance(inner, sp.MatrixSymbol):
            return r"\mathrm{d}" + self._print(inner)
        return r"\mathrm{d}\left(%s\right)" % self._print(inner)

    _print_MatrixDifferential = _differential
    _print_ScalarDifferential = _differential

    def _print_HadamardProduct(self, expr: Any) -> str:
        return r" \odot ".join(self.parenthesize(arg, PRECEDENCE["Mul"], strict=True) for arg in expr.args)

    def _print_ElementwiseApplyFunction(self, expr: Any) -> str:
        return _elementwise(self, expr)

    def _print_HadamardPower(self, expr: Any) -> str:
        return "%s^{\\odot %s}" % (self.parenthesize(expr.base, PRECEDENCE["Pow"], strict=True), self._print(expr.exp))

    def _print_OneMatrix(self, expr: Any) -> str:
        return r"\mathbf{1}"

    def _print_ZeroMatrix(self, expr: Any) -> str:
        return r"\mathbf{0}"

    def _print_Identity(self, expr: Any) -> str:
        return r"\mathbf{I}"

    def _print_Trace(self, expr: Any) -> str:
        return r"\operatorname{tr}\left(%s\right)" % self._print(expr.arg)

    def _print_Determinant(self, expr: Any) -> str:
        if isinstance(expr.arg, sp.MatrixSymbol):
            return r"\det %s" % self._print(expr.arg)
        return r"\det\left(%s\right)" % self._print(expr.arg)

    def _print_Softmax(self, expr: Any) -> str:
        return r"\operatorname{softmax}\left(%s\right)" % self._print(expr.args[0])

    def _print_MatAdd(self, expr: Any) -> str:
        return _mat_add(self, expr)


class TextMatrices:
    """One-line Unicode for matrix nodes; mixed into a SymPy ``StrPrinter``."""

    _print: Any

    def parenthesize(self, item: Any, level: int, strict: bool = False) -> str:
        if _body_needs_brackets(item, level, strict):
            return "(%s)" % self._print(item)
        return super().parenthesize(item, level, strict=strict)  # type: ignore[misc, no-any-return]

    def _print_MatrixSymbol(self, expr: Any) -> str:
        if isinstance(expr, DifferentialSymbol):
            return "d" + self._print(expr.variable)
        return bold(str(expr.name))

    def _print_DifferentialSymbol(self, expr: Any) -> str:
        return "d" + self._print(expr.variable)

    def _print_Transpose(self, expr: Any) -> str:
        if _is_inverse_transpose(expr):
            return self.parenthesize(expr.arg.arg, PRECEDENCE["Pow"], strict=True) + "⁻ᵀ"
        return self.parenthesize(expr.arg, PRECEDENCE["Pow"], strict=True) + "ᵀ"

    def _print_Inverse(self, expr: Any) -> str:
        if _is_inverse_transpose(expr):
            return self.parenthesize(expr.arg.arg, PRECEDENCE["Pow"], strict=True) + "⁻ᵀ"
        return self.parenthesize(expr.arg, PRECEDENCE["Pow"], strict=True) + "⁻¹"

    def _differential(self, expr: Any) -> str:
        inner = expr.args[0]
        if isinstance(inner, sp.MatrixSymbol):
            return "d" + self._print(inner)
        return "d(%s)" % self._print(inner)

    _print_MatrixDifferential = _differential
    _print_ScalarDifferential = _differential

    def _print_HadamardProduct(self, expr: Any) -> str:
        return " ⊙ ".join(self.parenthesize(arg, PRECEDENCE["Mul"], strict=True) for arg in expr.args)

    def _print_ElementwiseApplyFunction(self, expr: Any) -> str:
        return _elementwise(self, expr)

    def _print_HadamardPower(self, expr: Any) -> str:
        return "%s^⊙%s" % (self.parenthesize(expr.base, PRECEDENCE["Pow"], strict=True), self._print(expr.exp))

    def _print_OneMatrix(self, expr: Any) -> str:
        return "𝟏"

    def _print_ZeroMatrix(self, expr: Any) -> str:
        return "𝟎"

    def _print_Identity(self, expr: Any) -> str:
        return "𝐈"

    def _print_Trace(self, expr: Any) -> str:
        return "tr(%s)" % self._print(expr.arg)

    def _print_Determinant(self, expr: Any) -> str:
        return "det(%s)" % self._print(expr.arg)

    def _print_Softmax(self, expr: Any) -> str:
        return "softmax(%s)" % self._print(expr.args[0])

    def _print_MatAdd(self, expr: Any) -> str:
        return _mat_add(self, expr)
