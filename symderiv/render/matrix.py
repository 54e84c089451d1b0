r"""Matrix expressions and chains of matrix equalities as text and LaTeX: the δ rules of backprop.

A network's δ rules in vector form (:meth:`symderiv.Network.backprop`) are chains of equalities
between SymPy matrix expressions: ``δ^(2) = ((Θ^(2))ᵀ δ^(3))[1:] ⊙ a^(2)[1:] ⊙ (1 − a^(2)[1:])``.
The printers here write an elementwise function as σ(z), the Hadamard product as ⊙, a sum with
its positive terms first, and a matrix of derivatives ``dE/dz^(3)`` as ∂E/∂z⁽³⁾.

A chain is anything with a ``name`` and ``steps``, each step with ``before``, ``after``,
``rule`` and ``proofs`` (:class:`MatrixChain`): the printers read no model.

>>> import sympy as sp
>>> from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
>>> from symderiv.core.functions import sigmoid
>>> z = sp.MatrixSymbol("z^(2)", 2, 1)
>>> s = ElementwiseApplyFunction(sigmoid, z)
>>> matrix_text(sp.HadamardProduct(s, sp.OneMatrix(2, 1) - s))
'σ(z^(2)) ⊙ (1 - σ(z^(2)))'
>>> matrix_latex(sp.HadamardProduct(s, sp.OneMatrix(2, 1) - s))
'\\sigma\\left(z^{(2)}\\right) \\circ \\left(1 - \\sigma\\left(z^{(2)}\\right)\\right)'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from ..core.functions import sigmoid
from ..locales import rule_name, word
from .names import tex_text

__all__ = ["MatrixChain", "MatrixLine", "chains_latex", "chains_text", "matrix_latex", "matrix_text", "rules_latex",
           "rules_text"]


class MatrixLine(Protocol):
    """One equality of a chain: ``before`` = ``after`` by ``rule``, ``proofs`` one per entry proven."""

    @property
    def rule(self) -> str: ...

    @property
    def before(self) -> sp.Basic: ...

    @property
    def after(self) -> sp.Basic: ...

    @property
    def proofs(self) -> Sequence[Any]: ...


class MatrixChain(Protocol):
    """A chain of matrix equalities: ``name`` = ``steps[0].before`` = … = ``steps[-1].after``."""

    @property
    def name(self) -> sp.Basic: ...

    @property
    def steps(self) -> Sequence[MatrixLine]: ...


def chains_text(chains: Sequence[MatrixChain], rules: Mapping[str, Any] | None = None) -> str:
    """The chains as plain text, one equality per line with its rule id, the entries proven and the
    derived rules it instantiates (``step.because``); then ``rules`` (:func:`rules_text`)."""
    lines = []
    for chain in chains:
        first = chain.steps[0].before
        if chain.name == first:
            lines.append(matrix_text(first))
        else:
            lines.append(f"{matrix_text(chain.name)} = {matrix_text(first)}")
        for step in chain.steps:
            proven = f", {len(step.proofs)} entries proven" if step.proofs else ""
            because = "".join(f"; ({key})" for key in getattr(step, "because", ()))
            lines.append(f"    = {matrix_text(step.after)}    [{step.rule}{proven}{because}]")
    if rules:
        lines.append("")
        lines.append(rules_text(rules))
    return "\n".join(lines)


def rules_text(rules: Mapping[str, Any], lang: str = "en") -> str:
    """Derivations of matrix calculus (``expr``, ``wrt``, ``steps``, ``result``), one line each:
    (key) ∂/∂W f = result, with the rule ids of its steps and whether they were proven."""
    lines = [word("backprop_rules", lang) + ":"]
    for key, d in rules.items():
        proven = ", proven" if getattr(d, "report", None) is not None else ""
        ids = ", ".join(step.rule for step in d.steps)
        lines.append(f"({key}) ∂/∂{matrix_text(d.wrt)} {matrix_text(d.expr)} = {matrix_text(d.result)}"
                     f"    [{ids}{proven}]")
    return "\n".join(lines)


def rules_latex(rules: Mapping[str, Any], lang: str = "en") -> str:
    """The same as LaTeX rows of an ``align*`` block, each with its key."""
    printer = _MatrixLatex()
    rows = [f"&\\text{{{tex_text(word('backprop_rules', lang))}}}"]
    for key, d in rules.items():
        rows.append(f"\\text{{({tex_text(key)})}} \\quad \\frac{{\\partial}}{{\\partial {printer.doprint(d.wrt)}}} "
                    f"{printer.doprint(d.expr)} &= {printer.doprint(d.result)}")
    return " \\\\\n".join(rows)


def chains_latex(chains: Sequence[MatrixChain], lang: str = "en", rules: Mapping[str, Any] | None = None) -> str:
    """The chains as one LaTeX ``align*`` block, each step with its rule's name in ``lang`` (and the
    keys of the derived rules it instantiates); then ``rules`` (:func:`rules_latex`)."""
    printer = _MatrixLatex()
    rows = []
    for chain in chains:
        first = chain.steps[0].before
        later: Sequence[MatrixLine]
        if chain.name == first:
            rows.append(f"{printer.doprint(first)} &= {printer.doprint(chain.steps[0].after)} "
                        f"&& \\text{{{_rule_words(chain.steps[0].rule, lang)}{_cited(chain.steps[0])}}}")
            later = chain.steps[1:]
        else:
            rows.append(f"{printer.doprint(chain.name)} &= {printer.doprint(first)}")
            later = chain.steps
        for step in later:
            rows.append(f"&= {printer.doprint(step.after)} && \\text{{{_rule_words(step.rule, lang)}{_cited(step)}}}")
    if rules:
        rows.append(rules_latex(rules, lang))
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}"


def _cited(step: Any) -> str:
    return "".join(f" ({tex_text(key)})" for key in getattr(step, "because", ()))


def matrix_text(expr: sp.Basic) -> str:
    """A matrix expression as text: σ(z^(2)) for an elementwise σ, ⊙ for the Hadamard product."""
    return _MatrixText().doprint(expr)


def matrix_latex(expr: sp.Basic) -> str:
    """A matrix expression as LaTeX, with the network's names (Θ, δ, ∂E/∂z)."""
    return _MatrixLatex().doprint(expr)


def _rule_words(rule: str, lang: str) -> str:
    """The rule's name in ``lang`` for a LaTeX ``\\text{}``, or its id when no catalog names it."""
    try:
        return tex_text(rule_name(rule, lang))
    except KeyError:
        return rule.replace("_", " ")


def _function_name(function: Any) -> str:
    """σ, tanh or H: the name an elementwise function is printed with."""
    if isinstance(function, sp.Lambda):
        function = function.expr.func
    if function is sigmoid:
        return "σ"
    if function is sp.Heaviside:
        return "H"
    return str(getattr(function, "__name__", function))


#: Stands for the matrix an elementwise function is applied to, while its body is printed.
_MARK = sp.Symbol("XMATRIXARGX")


def _lambda_body(function: Any) -> sp.Expr | None:
    """The body of u ↦ f(u) with u marked, for a function that is not one named function of u
    (σ(u)², 1 − tanh(u)²), printed with the matrix in place of u; None for σ, tanh, H."""
    if not isinstance(function, sp.Lambda):
        return None
    (u,) = function.variables
    body = function.expr
    if isinstance(body, sp.Function) and body.args and body.args[0] == u:
        return None
    return body.xreplace({u: _MARK})  # type: ignore[no-any-return]


def _positive_first(args: Sequence[sp.Basic]) -> list[sp.Basic]:
    """Terms of a sum with those that carry a minus sign last: 1 − a rather than −a + 1."""
    return sorted(args, key=lambda arg: arg.could_extract_minus_sign())


class _MatrixText(StrPrinter):
    """Matrix expressions as text: σ(z^(2)) for an elementwise σ, ⊙ for the Hadamard product."""

    def _print_ElementwiseApplyFunction(self, expr: Any) -> str:
        body = _lambda_body(expr.function)
        if body is not None:
            return self._print(body).replace(_MARK.name, self._print(expr.expr))
        return f"{_function_name(expr.function)}({self._print(expr.expr)})"

    def _print_sigmoid(self, expr: Any) -> str:
        return f"σ({self._print(expr.args[0])})"

    def _print_Trace(self, expr: Any) -> str:
        return f"tr({self._print(expr.arg)})"

    def _print_HadamardProduct(self, expr: Any) -> str:
        return " ⊙ ".join(self.parenthesize(arg, 50) for arg in expr.args)

    def _print_MatAdd(self, expr: Any) -> str:
        text = ""
        for index, arg in enumerate(_positive_first(expr.args)):
            if arg.could_extract_minus_sign():
                text += " - " + self.parenthesize(-arg, 45) if index else "-" + self.parenthesize(-arg, 45)
            else:
                text += (" + " if index else "") + self._print(arg)
        return text

    def _print_HadamardPower(self, expr: Any) -> str:
        base = self.parenthesize(expr.base, 50)
        return " ⊙ ".join([base] * int(expr.exp)) if expr.exp.is_Integer and expr.exp > 0 else f"{base}^∘{expr.exp}"

    def _print_OneMatrix(self, expr: Any) -> str:
        return "1"

    def _print_BlockMatrix(self, expr: Any) -> str:
        rows = ["  ".join(self._print(block) for block in row) for row in expr.blocks.tolist()]
        return "[" + "; ".join(rows) + "]"

    def _print_ZeroMatrix(self, expr: Any) -> str:
        return "0"


class _MatrixLatex(LatexPrinter):
    """Matrix expressions as LaTeX, with the network's names."""

    _names = {"Theta": "\\Theta", "a": "a", "z": "z", "delta": "\\delta", "y": "y"}

    def _print_MatrixSymbol(self, expr: Any) -> str:
        name = str(expr.name)
        if name.startswith("d") and "/d" in name:
            top, bottom = name[1:].split("/d", 1)
            base, _, layer = bottom.partition("^")
            base = self._names.get(base, base)
            return f"\\frac{{\\partial {top}}}{{\\partial {base}^{{{layer}}}}}"
        base, _, layer = name.partition("^")
        base = self._names.get(base, base)
        return f"{base}^{{{layer}}}" if layer else base

    def _print_ElementwiseApplyFunction(self, expr: Any) -> str:
        body = _lambda_body(expr.function)
        if body is not None:
            return self._print(body).replace(_MARK.name, self._print(expr.expr))
        name = {"σ": "\\sigma", "tanh": "\\tanh", "H": "H"}.get(_function_name(expr.function), "g")
        return f"{name}\\left({self._print(expr.expr)}\\right)"

    def _print_MatAdd(self, expr: Any) -> str:
        text = ""
        for index, arg in enumerate(_positive_first(expr.args)):
            if arg.could_extract_minus_sign():
                text += " - " + self.parenthesize(-arg, 45)
            else:
                text += (" + " if index else "") + self._print(arg)
        return text

    def _print_OneMatrix(self, expr: Any) -> str:
        return "1"
