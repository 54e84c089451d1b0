r"""JSON: a documented schema with expression trees, read back without evaluating any text.

The document (``"format": "symderiv.derivation"``, ``"version": 1``)::

    {
      "format": "symderiv.derivation", "version": 1,
      "expr": TREE, "wrt": TREE, "strategy": "quotient", "result": TREE,
      "variables": [TREE, ...],                  # only for a derivative of higher order: one
                                                 # symbol per differentiation, the first "wrt"
      "latex": {"expr": "...", "result": "..."},
      "steps": [
        {
          "rule": "chain",                       # a stable rule id (symderiv.RULES)
          "name": "Chain rule",                  # the rule's name in the document's language
          "explanation": "Let u = ...",          # its justification, as plain text
          "before": TREE, "after": TREE,
          "before_latex": "...", "after_latex": "...",
          "where": [{"symbol": TREE, "value": TREE, "latex": "u = ..."}],
          "focus": {"part": TREE, "replacement": TREE} | null,
          "parts": [{"part": TREE, "replacement": TREE}],   # only when the step rewrote several
          "detail": {"key": VALUE, ...},
          "proof": {"method": "symbolic", "points": 4, "max_error": 0.0, "digits": 30} | null
                                                 # max_error: 2 significant digits, 0.0 below
                                                 # 10^-(digits - 10), the working precision's noise
        }
      ]
    }

A TREE is one of ``{"int": "5"}``, ``{"rational": ["1", "4"]}``,
``{"float": {"mpf": [sign, "mantissa", exponent, bits], "precision": 53}}``,
``{"const": "E" | "pi" | "I" | "oo" | "-oo" | "zoo" | "nan" | "true" | "false"}``,
``{"symbol": "x", "assumptions": {"real": true}}``, ``{"function": "f", "args": [TREE, ...]}``
(an undefined function), ``{"op": "Derivative", "args": [TREE], "variables": [[TREE, 1]]}``,
``{"op": "Piecewise", "pieces": [[TREE, TREE], ...]}`` or ``{"op": NAME, "args": [TREE, ...]}``
with NAME one of :data:`OPERATORS`. Trees keep the order of their arguments, so unevaluated steps
(``1 + e^{-x} - 1``) read back exactly. A VALUE in ``detail`` is a JSON scalar,
``{"expr": TREE}``, ``{"tuple": [VALUE, ...]}``, ``{"list": [...]}``, ``{"dict": {"k": VALUE}}``
or ``{"map": [[VALUE, VALUE], ...]}``. Every detail key but the few of :data:`WORD_DETAILS`
(``function``, ``op``, ``bias``, ``entry``) holds mathematics (``constants``, ``introduces``,
``exponent``, ``names``, ...): trees only, in any of these containers but ``dict``; text there is
an error, never read as a formula.

Reading (:mod:`symderiv.render.json_reader`) is bounded by its ``JsonLimits`` (document size and nesting, steps, tree nodes and
depth, digits, Float precision, the size of numbers SymPy would compute, names, detail items),
each checked before the work it bounds; past one, a :class:`~symderiv.LimitError` naming it.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> tree = to_tree(sp.Add(1, sp.exp(-x), -1, evaluate=False))
>>> tree["op"], tree["args"][0]
('Add', {'int': '1'})

Writing is this module; reading, with its limits, is :mod:`symderiv.render.json_reader`.
"""

from __future__ import annotations

import json
from typing import Any, Mapping

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.core.function import AppliedUndef

from ..errors import ParseError, UnsupportedError
from ..core.functions import relu, sigmoid, softplus
from ..core.matrices import DifferentialSymbol, canonical_lambda, MatrixDifferential, ScalarDifferential, Softmax
from ..locales import rule_name
from .outline import layout, proof_words
from .names import check_renderable
from .tex import to_tex

__all__ = ["render", "to_tree", "MATRIX_OPERATORS", "OPERATORS", "FORMAT", "VERSION", "WORD_DETAILS"]

FORMAT = "symderiv.derivation"
VERSION = 1

_FUNCTIONS = [
    sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.asin, sp.acos, sp.atan,
    sp.acot, sp.asec, sp.acsc, sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch, sp.asinh,
    sp.acosh, sp.atanh, sp.acoth, sp.Abs, sp.sign, sp.floor, sp.ceiling, sp.Heaviside, sp.DiracDelta, sp.Max, sp.Min,
    sigmoid, softplus, relu,
]
_OTHERS = [sp.Add, sp.Mul, sp.Pow, sp.UnevaluatedExpr, sp.Eq, sp.Ne, sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.And, sp.Or, sp.Not]

#: Matrix calculus (symderiv.calculus.matrix): built as they are, never evaluated.
_MATRICES = [sp.MatMul, sp.MatAdd, sp.Transpose, sp.Inverse, sp.HadamardProduct, sp.HadamardPower, sp.Trace,
             sp.Determinant,
             ElementwiseApplyFunction, sp.OneMatrix, sp.ZeroMatrix, sp.Identity, MatrixDifferential,
             ScalarDifferential, Softmax]

#: The operators a tree may name, and the SymPy classes they build. Nothing else is built.
OPERATORS: dict[str, type] = {cls.__name__: cls for cls in _FUNCTIONS + _OTHERS + _MATRICES}

#: The names of the matrix operators, which take no ``evaluate`` option.
MATRIX_OPERATORS = frozenset(cls.__name__ for cls in _MATRICES)

#: The detail keys that hold words, flags or indices: ``function`` and ``op`` (a function's or a
#: graph operation's name), ``bias`` (a regularization step that skips the bias), ``entry`` (the
#: row and column of a matrix entry). Every other detail key holds mathematics, as trees.
WORD_DETAILS = frozenset({"function", "op", "bias", "entry"})

_CONSTANTS: dict[str, sp.Basic] = {
    "E": sp.E, "pi": sp.pi, "I": sp.I, "oo": sp.oo, "-oo": -sp.oo, "zoo": sp.zoo, "nan": sp.nan,
    "true": sp.true, "false": sp.false, "EulerGamma": sp.EulerGamma,
}


def to_tree(expr: sp.Basic) -> dict[str, Any]:
    """A SymPy expression as a JSON-ready tree (see the module docstring)."""
    constant = _constant_name(expr)
    if constant is not None:
        return {"const": constant}
    if isinstance(expr, sp.Integer):
        return {"int": str(int(expr))}
    if isinstance(expr, sp.Rational):
        return {"rational": [str(expr.p), str(expr.q)]}
    if isinstance(expr, sp.Float):
        sign, mantissa, exponent, bits = expr._mpf_
        return {"float": {"mpf": [sign, str(mantissa), exponent, bits], "precision": expr._prec}}
    if isinstance(expr, sp.Symbol):
        tree: dict[str, Any] = {"symbol": expr.name}
        assumptions = dict(sorted(expr._assumptions_orig.items()))
        if assumptions:
            tree["assumptions"] = assumptions
        return tree
    if isinstance(expr, sp.MatrixSymbol):
        matrix: dict[str, Any] = {"matrix": expr.name, "shape": [to_tree(d) for d in expr.shape]}
        if isinstance(expr, DifferentialSymbol):
            matrix["differential"] = True
        return matrix
    if isinstance(expr, ElementwiseApplyFunction):  # f.(U): the function inline, as its bound symbol and body
        function = canonical_lambda(expr.function)
        return {"op": "ElementwiseApplyFunction", "bound": to_tree(function.variables[0]),
                "body": to_tree(function.expr), "args": [to_tree(expr.expr)]}
    if isinstance(expr, sp.Inverse):
        return {"op": "Inverse", "args": [to_tree(expr.arg)]}
    if isinstance(expr, AppliedUndef):
        return {"function": type(expr).__name__, "args": [to_tree(a) for a in expr.args]}
    if isinstance(expr, sp.Derivative):
        return {
            "op": "Derivative",
            "args": [to_tree(expr.expr)],
            "variables": [[to_tree(v), int(n)] for v, n in expr.variable_count],
        }
    if isinstance(expr, sp.Piecewise):
        pieces: tuple[tuple[sp.Basic, sp.Basic], ...] = expr.args  # type: ignore[assignment]
        return {"op": "Piecewise", "pieces": [[to_tree(e), to_tree(c)] for e, c in pieces]}
    kind = type(expr)
    name = kind.__name__
    if OPERATORS.get(name) is not kind:
        raise ParseError(f"symderiv's JSON has no tree for {name} ({expr})")
    return {"op": name, "args": [to_tree(a) for a in expr.args]}


def _constant_name(expr: sp.Basic) -> str | None:
    """The name of the constant ``expr`` is (E, pi, oo, ...), or None."""
    for name, constant in _CONSTANTS.items():
        if expr == constant and type(expr) is type(constant):
            return name
    return None


def _value(value: Any, math_field: bool) -> Any:
    """A detail value as JSON. In a field of mathematics (any key but :data:`WORD_DETAILS`) every
    leaf is written as a tree, numbers included; text there cannot be written (it would be read
    back as nothing but text)."""
    if isinstance(value, sp.Basic):
        return {"expr": to_tree(value)}
    if math_field and isinstance(value, (int, float)) and not isinstance(value, bool):
        return {"expr": to_tree(sp.Integer(value) if isinstance(value, int) else sp.Float(value))}
    if value is None or isinstance(value, (str, int, float, bool)):
        if math_field and value is not None:
            raise UnsupportedError(
                f"a step's detail holds {type(value).__name__} {value!r:.60} where an expression is expected"
            )
        return value
    if isinstance(value, tuple):
        return {"tuple": [_value(v, math_field) for v in value]}
    if isinstance(value, list):
        return {"list": [_value(v, math_field) for v in value]}
    if isinstance(value, Mapping):
        if not math_field and all(isinstance(k, str) for k in value):
            return {"dict": {k: _value(v, False) for k, v in value.items()}}
        return {"map": [[_value(k, math_field), _value(v, math_field)] for k, v in value.items()]}
    raise UnsupportedError(f"symderiv's JSON cannot hold a detail value of type {type(value).__name__}")


def _reported_error(error: float, digits: int) -> float:
    """The largest relative error of a numeric check, as the JSON records it: two significant
    digits, and 0.0 below the noise floor of the working precision (10^-(digits - 10)), where
    the digits depend on mpmath's backend and say nothing about the step.

    >>> _reported_error(7.17e-43, 30), _reported_error(1.234e-5, 30)
    (0.0, 1.2e-05)
    """
    if error < 10.0 ** -(digits - 10):
        return 0.0
    return float(f"{error:.1e}")


def render(derivation: Any, *, lang: str = "en", indent: int | None = 1) -> str:
    """The derivation as JSON; ``name`` and ``explanation`` of each step are in ``lang``."""
    check_renderable(derivation, lang)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "lang": lang,
        "expr": to_tree(derivation.expr),
        "wrt": to_tree(derivation.wrt),
        **_variables(derivation),
        "strategy": derivation.strategy,
        "result": to_tree(derivation.result),
        "latex": {"expr": to_tex(derivation.expr, lang), "result": to_tex(derivation.result, lang)},
        "steps": _steps(layout(derivation, lang), lang),
    }
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


def _variables(chain: Any) -> dict[str, Any]:
    """``{"variables": [TREE, ...]}``, one per differentiation, for a derivative of higher order
    (``d.variables``); nothing for a first derivative, whose one variable is ``wrt``."""
    variables = tuple(getattr(chain, "variables", ()))
    return {"variables": [to_tree(v) for v in variables]} if len(variables) > 1 else {}


def _steps(lines: Any, lang: str) -> list[dict[str, Any]]:
    """The steps of one chain; a step with sub-derivations holds them under ``substeps``, each
    ``{"expr", "wrt", "strategy", "result", "latex", "steps"}`` in the same form."""
    from .text import sentence_text

    steps = []
    for line in lines:
        step = line.step
        proof = line.proof
        entry: dict[str, Any] = {
            "rule": step.rule,
            "name": rule_name(step.rule, lang),
            "explanation": sentence_text(line.why),
            "before": to_tree(step.before),
            "after": to_tree(step.after),
            "before_latex": to_tex(step.before, lang),
            "after_latex": to_tex(step.after, lang),
            "where": [
                {"symbol": to_tree(k), "value": to_tree(v), "latex": f"{to_tex(k)} = {to_tex(v)}"}
                for k, v in step.where.items()
            ],
            "focus": None if step.focus is None else {
                "part": to_tree(step.focus[0]), "replacement": to_tree(step.focus[1])
            },
            **({"parts": [{"part": to_tree(part), "replacement": to_tree(replacement)}
                          for part, replacement in step.parts]} if step.parts else {}),
            "detail": {k: _value(v, k not in WORD_DETAILS) for k, v in step.detail.items()},
            "proof": None if proof is None else {
                "method": proof.method, "points": proof.points,
                "max_error": _reported_error(float(proof.max_error), int(proof.digits)),
                "digits": proof.digits, "words": proof_words(proof, lang),
            },
        }
        if step.substeps:
            entry["substeps"] = [_sub(chain, sub, lang) for chain, sub in zip(step.substeps, line.subs)]
        steps.append(entry)
    return steps


def _sub(chain: Any, sub: Any, lang: str) -> dict[str, Any]:
    return {
        "expr": to_tree(chain.expr),
        "wrt": to_tree(chain.wrt),
        **_variables(chain),
        "strategy": chain.strategy,
        "result": to_tree(chain.result),
        "latex": {"expr": to_tex(chain.expr, lang), "result": to_tex(chain.result, lang)},
        "steps": _steps(sub.lines, lang),
    }
