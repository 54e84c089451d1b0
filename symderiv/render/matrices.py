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
from sympy.printing.precedence import PRECEDENCE

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


def _elementwise_body(expr: Any) -> sp.Expr:
    """f(hole) for the function f of ``f.(U)``."""
    function = expr.function
    if isinstance(function, sp.Lambda):
        return function.expr.xreplace({function.variables[0]: _HOLE})  # type: ignore[no-any-return]
    return function(_HOLE)  # type: ignore[no-any-return]


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
    parenthesize: Any
    _print_Symbol: Any

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
        argument = self._print(expr.expr)
        body = self._print(_elementwise_body(expr))
        simple = isinstance(expr.expr, sp.MatrixSymbol)
        hole = self._print(_HOLE)
        if not simple:
            body = body.replace(hole + "^", r"\left(%s\right)^" % argument)
        return body.replace(hole, argument)

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
    parenthesize: Any

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
        argument = self._print(expr.expr)
        body = self._print(_elementwise_body(expr))
        hole = self._print(_HOLE)
        if not isinstance(expr.expr, sp.MatrixSymbol):
            body = body.replace(hole + "*", "(%s)*" % argument).replace(hole + "^", "(%s)^" % argument)
        return body.replace(hole, argument)

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
