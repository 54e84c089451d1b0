r"""JSON: a documented schema with expression trees, read back without evaluating any text.

The document (``"format": "symderiv.derivation"``, ``"version": 1``)::

    {
      "format": "symderiv.derivation", "version": 1,
      "expr": TREE, "wrt": TREE, "strategy": "quotient", "result": TREE,
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
or ``{"map": [[VALUE, VALUE], ...]}``.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> tree = to_tree(sp.Add(1, sp.exp(-x), -1, evaluate=False))
>>> tree["op"], from_tree(tree) == sp.Add(1, sp.exp(-x), -1, evaluate=False)
('Add', True)
>>> from_tree({"op": "__import__", "args": []})
Traceback (most recent call last):
...
symderiv.errors.ParseError: unknown operator '__import__' in a JSON expression tree
"""

from __future__ import annotations

import json
from typing import Any, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef

from ..errors import LimitError, ParseError
from ..functions import relu, sigmoid, softplus
from ..locales import rule_name
from .explain import layout, proof_words
from .names import check_renderable
from .tex import to_tex

__all__ = ["render", "load", "to_tree", "from_tree", "OPERATORS", "FORMAT", "VERSION", "MAX_NODES", "MAX_DEPTH"]

FORMAT = "symderiv.derivation"
VERSION = 1
#: Limits on what ``load`` reads: trees with more nodes, or deeper, are refused.
MAX_NODES = 200_000
MAX_DEPTH = 200

_FUNCTIONS = [
    sp.exp, sp.log, sp.sin, sp.cos, sp.tan, sp.cot, sp.sec, sp.csc, sp.asin, sp.acos, sp.atan,
    sp.acot, sp.asec, sp.acsc, sp.sinh, sp.cosh, sp.tanh, sp.coth, sp.sech, sp.csch, sp.asinh,
    sp.acosh, sp.atanh, sp.acoth, sp.Abs, sp.sign, sp.Heaviside, sp.DiracDelta, sp.Max, sp.Min,
    sigmoid, softplus, relu,
]
_OTHERS = [sp.Add, sp.Mul, sp.Pow, sp.UnevaluatedExpr, sp.Eq, sp.Ne, sp.Lt, sp.Le, sp.Gt, sp.Ge, sp.And, sp.Or, sp.Not]

#: The operators a tree may name, and the SymPy classes they build. Nothing else is built.
OPERATORS: dict[str, type] = {cls.__name__: cls for cls in _FUNCTIONS + _OTHERS}

_CONSTANTS: dict[str, sp.Basic] = {
    "E": sp.E, "pi": sp.pi, "I": sp.I, "oo": sp.oo, "-oo": -sp.oo, "zoo": sp.zoo, "nan": sp.nan,
    "true": sp.true, "false": sp.false, "EulerGamma": sp.EulerGamma,
}


def to_tree(expr: sp.Basic) -> dict[str, Any]:
    """A SymPy expression as a JSON-ready tree (see the module docstring)."""
    for name, constant in _CONSTANTS.items():
        if expr == constant and type(expr) is type(constant):
            return {"const": name}
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
    if isinstance(expr, AppliedUndef):
        return {"function": type(expr).__name__, "args": [to_tree(a) for a in expr.args]}
    if isinstance(expr, sp.Derivative):
        return {
            "op": "Derivative",
            "args": [to_tree(expr.expr)],
            "variables": [[to_tree(v), int(n)] for v, n in expr.variable_count],
        }
    if isinstance(expr, sp.Piecewise):
        return {"op": "Piecewise", "pieces": [[to_tree(e), to_tree(c)] for e, c in expr.args]}
    name = type(expr).__name__
    if OPERATORS.get(name) is not type(expr):
        raise ParseError(f"symderiv's JSON has no tree for {name} ({expr})")
    return {"op": name, "args": [to_tree(a) for a in expr.args]}


class _Reader:
    def __init__(self) -> None:
        self.nodes = 0

    def tree(self, node: Any, depth: int = 0) -> sp.Basic:
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise LimitError(f"the JSON expression is too large (over {MAX_NODES} nodes or {MAX_DEPTH} deep)")
        if not isinstance(node, dict):
            raise ParseError(f"a JSON expression tree must be an object, not {type(node).__name__}")
        if "int" in node:
            return sp.Integer(int(_str(node["int"])))
        if "rational" in node:
            p, q = node["rational"]
            return sp.Rational(int(_str(p)), int(_str(q)))
        if "float" in node:
            sign, mantissa, exponent, bits = node["float"]["mpf"]
            mpf = (int(sign), int(_str(mantissa)), int(exponent), int(bits))
            return sp.Float._new(mpf, int(node["float"]["precision"]))
        if "const" in node:
            if node["const"] not in _CONSTANTS:
                raise ParseError(f"unknown constant {node['const']!r} in a JSON expression tree")
            return _CONSTANTS[node["const"]]
        if "symbol" in node:
            assumptions = node.get("assumptions", {})
            if not all(isinstance(k, str) and isinstance(v, bool) for k, v in assumptions.items()):
                raise ParseError("symbol assumptions must map names to true or false")
            return sp.Symbol(_str(node["symbol"]), **assumptions)
        args = [self.tree(a, depth + 1) for a in node.get("args", [])]
        if "function" in node:
            return sp.Function(_str(node["function"]))(*args)
        op = node.get("op")
        if op == "Derivative":
            variables = [(self.tree(v, depth + 1), int(n)) for v, n in node["variables"]]
            return sp.Derivative(args[0], *variables, evaluate=False)
        if op == "Piecewise":
            pieces = [(self.tree(e, depth + 1), self.tree(c, depth + 1)) for e, c in node["pieces"]]
            return sp.Piecewise(*pieces, evaluate=False)
        if op not in OPERATORS:
            raise ParseError(f"unknown operator {op!r} in a JSON expression tree")
        cls = OPERATORS[op]
        if cls is sp.UnevaluatedExpr:
            return cls(*args)
        return cls(*args, evaluate=False)

    def value(self, value: Any) -> Any:
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        if not isinstance(value, dict) or len(value) != 1:
            raise ParseError(f"cannot read the detail value {value!r}")
        (kind, content), = value.items()
        if kind == "expr":
            return self.tree(content)
        if kind == "tuple":
            return tuple(self.value(v) for v in content)
        if kind == "list":
            return [self.value(v) for v in content]
        if kind == "dict":
            return {str(k): self.value(v) for k, v in content.items()}
        if kind == "map":
            return {self.value(k): self.value(v) for k, v in content}
        raise ParseError(f"unknown detail value kind {kind!r}")


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ParseError(f"expected a string in a JSON expression tree, got {value!r}")
    return value


def from_tree(tree: Mapping[str, Any]) -> sp.Basic:
    """Build the SymPy expression a tree describes, from the allowed operators only."""
    return _Reader().tree(tree)


def _value(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, sp.Basic):
        return {"expr": to_tree(value)}
    if isinstance(value, tuple):
        return {"tuple": [_value(v) for v in value]}
    if isinstance(value, list):
        return {"list": [_value(v) for v in value]}
    if isinstance(value, Mapping):
        if all(isinstance(k, str) for k in value):
            return {"dict": {k: _value(v) for k, v in value.items()}}
        return {"map": [[_value(k), _value(v)] for k, v in value.items()]}
    raise ParseError(f"symderiv's JSON cannot hold a detail value of type {type(value).__name__}")


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
    from .text import sentence_text

    check_renderable(derivation, lang)
    steps = []
    for line in layout(derivation, lang):
        step = line.step
        proof = line.proof
        steps.append({
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
            "detail": {k: _value(v) for k, v in step.detail.items()},
            "proof": None if proof is None else {
                "method": proof.method, "points": proof.points,
                "max_error": _reported_error(float(proof.max_error), int(proof.digits)),
                "digits": proof.digits, "words": proof_words(proof, lang),
            },
        })
    document = {
        "format": FORMAT,
        "version": VERSION,
        "lang": lang,
        "expr": to_tree(derivation.expr),
        "wrt": to_tree(derivation.wrt),
        "strategy": derivation.strategy,
        "result": to_tree(derivation.result),
        "latex": {"expr": to_tex(derivation.expr, lang), "result": to_tex(derivation.result, lang)},
        "steps": steps,
    }
    return json.dumps(document, ensure_ascii=False, indent=indent) + "\n"


def load(text: str) -> Any:
    """Read a derivation written by :func:`render` back into an equal ``Derivation``.

    Nothing in the text is evaluated: trees build only the operators of :data:`OPERATORS`.
    """
    from ..steps import Derivation, Step

    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(f"not JSON: {error.msg}", text=text, position=error.pos) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ParseError(f"not a symderiv derivation (expected \"format\": \"{FORMAT}\")")
    if document.get("version") != VERSION:
        raise ParseError(f"unsupported version {document.get('version')!r}; this symderiv reads {VERSION}")
    reader = _Reader()
    try:
        steps = []
        proofs = []
        for index, entry in enumerate(document["steps"]):
            focus = entry.get("focus")
            steps.append(Step(
                rule=_str(entry["rule"]),
                before=reader.tree(entry["before"]),
                after=reader.tree(entry["after"]),
                where={reader.tree(w["symbol"]): reader.tree(w["value"]) for w in entry.get("where", [])},
                focus=None if focus is None else (reader.tree(focus["part"]), reader.tree(focus["replacement"])),
                detail={_str(k): reader.value(v) for k, v in entry.get("detail", {}).items()},
            ))
            proofs.append((index, entry.get("proof")))
        derivation = Derivation(
            expr=reader.tree(document["expr"]),
            wrt=reader.tree(document["wrt"]),
            steps=tuple(steps),
            strategy=_str(document.get("strategy", "textbook")),
        )
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, (ParseError, LimitError)):
            raise
        raise ParseError(f"malformed symderiv derivation: {error}") from None
    if proofs and all(proof is not None for _, proof in proofs):
        from ..check import CheckReport, StepProof

        report = CheckReport(tuple(
            StepProof(index=i, rule=steps[i].rule, method=p["method"], points=int(p["points"]),
                      max_error=float(p["max_error"]), digits=int(p["digits"]))
            for i, p in proofs
        ))
        derivation = derivation.with_report(report)
    return derivation
