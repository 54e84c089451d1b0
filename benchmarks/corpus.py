"""A held-out corpus for the benchmarks: exercises and machine-learning losses, by class.

None of these is in ``tests/test_textbook_problems.py``, which the engine was tuned on. Each
:class:`Problem` has a class (``kind``), so that a benchmark can report the classes apart:

- ``polynomial``, ``product``, ``quotient``, ``chain``, ``trig``, ``inverse_trig``,
  ``hyperbolic``, ``exp_log``: calculus exercises;
- ``sigmoid``, ``softplus``, ``tanh``, ``bce`` (the cross-entropy with z = w·x + b), ``mse``,
  ``softmax`` (one component of a softmax, or its cross-entropy): machine-learning losses;
- ``antiderivative``: results of ``sympy.integrate`` (computed once, written here as text),
  large sums of logarithms, arctangents and products that a user might differentiate back.

>>> len(PROBLEMS) >= 100
True
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from symderiv.core.functions import sigmoid, softplus
from symderiv.parse.text import parse

__all__ = ["KINDS", "PROBLEMS", "Problem"]


@dataclass(frozen=True)
class Problem:
    """d(``expr``)/d(``wrt``), of the class ``kind``."""

    kind: str
    expr: sp.Expr
    wrt: sp.Symbol

    @property
    def label(self) -> str:
        return f"{self.kind}: d/d{self.wrt} {self.expr}"


x, y, z, w, b, t, u, v = sp.symbols("x y z w b t u v")
w1, w2, x1, x2 = sp.symbols("w_1 w_2 x_1 x_2")
z1, z2, z3 = sp.symbols("z_1 z_2 z_3")
half = sp.Rational(1, 2)
s = sigmoid


def _bce(p: sp.Expr) -> sp.Expr:
    return -(y * sp.log(p) + (1 - y) * sp.log(1 - p))


def _softmax(k: int, logits: tuple[sp.Expr, ...]) -> sp.Expr:
    return sp.exp(logits[k]) / sp.Add(*(sp.exp(l) for l in logits))


_EXERCISES: dict[str, list[sp.Expr]] = {
    "polynomial": [
        x**7 - 3 * x**4 + 2 * x, (x**2 - 3 * x + 2) ** 3, 5 * x**6 - x**3 / 3 + 8, (2 * x - 1) ** 5,
        x**3 * (x**2 + 1), (x**2 + x + 1) * (x - 1), x**10 / 10 - x**5, (1 - x) ** 4 * 3,
        sp.Rational(3, 4) * x**8 + sp.Rational(1, 2) * x**2, t**4 - 6 * t**2 + 9,
    ],
    "product": [
        x**3 * sp.exp(x), sp.sqrt(x) * sp.sin(x), x * sp.cos(x) * sp.log(x), sp.exp(2 * x) * sp.sin(3 * x),
        (x**2 + 1) * sp.atan(x), x**2 * sp.log(x) ** 2, sp.sin(x) * sp.cos(x), x * sp.sqrt(1 - x**2),
        sp.exp(-x) * x**4, t * sp.exp(-t) * sp.cos(t),
    ],
    "quotient": [
        (x + 2) / (x - 3), x**2 / (x**3 + 1), sp.cos(x) / (1 + sp.sin(x)), sp.exp(x) / x**2,
        (1 - x**2) / (1 + x**2), sp.log(x) / (x + 1), x / sp.sqrt(x**2 + 4), (2 * x + 1) / (x**2 + x + 1),
        sp.sin(x) / (sp.sin(x) + sp.cos(x)), (x**3 - x) / (x**2 + 5),
    ],
    "chain": [
        sp.sin(x**3), sp.sqrt(3 * x**2 + 1), sp.exp(sp.sin(x)), sp.log(sp.cos(x)), (x**2 - 4) ** 7,
        sp.cos(sp.exp(2 * x)), sp.sqrt(sp.log(x)), sp.exp(-(x**2) / 2), (1 + sp.sqrt(x)) ** 3,
        sp.sin(sp.sin(sp.sin(x))),
    ],
    "trig": [
        sp.tan(2 * x), sp.sec(x) ** 2, sp.sin(x) ** 3, sp.cos(x) * sp.tan(x), sp.csc(3 * x),
        sp.cot(x**2), sp.sin(x) ** 2 - sp.cos(x) ** 2,
    ],
    "inverse_trig": [
        sp.asin(2 * x), sp.acos(x**2), sp.atan(sp.sqrt(x)), sp.atan(x) ** 2, sp.asin(x) / x,
        sp.acot(3 * x), sp.atan((1 + x) / (1 - x)),
    ],
    "hyperbolic": [
        sp.sinh(2 * x), sp.cosh(x**2), x * sp.tanh(x), sp.log(sp.cosh(x)), sp.asinh(2 * x),
        sp.sech(x) ** 2,
    ],
    "exp_log": [
        sp.exp(3 * x - 1), x * sp.exp(-2 * x), sp.log(x**3 + x), sp.log(sp.sqrt(x + 1)), 3**x,
        sp.exp(x) + sp.exp(-x), sp.log((x + 1) / (x - 1)), x**2 * 2**x, sp.log(sp.log(x)), sp.exp(sp.exp(x)),
    ],
}

_LOSSES: dict[str, list[tuple[sp.Expr, sp.Symbol]]] = {
    "sigmoid": [
        (s(3 * x), x), (s(w * x + b), w), (s(w * x + b), b), (s(x) ** 3, x), (x * s(x), x),
        (1 / (1 + sp.exp(-2 * x)), x), (sp.log(s(x)), x), (s(-x), x), (s(x**2), x),
        (s(w1 * x1 + w2 * x2 + b), w1), (1 - s(t), t), (sp.exp(-z) / (1 + sp.exp(-z)) ** 2, z),
    ],
    "softplus": [
        (softplus(2 * x), x), (softplus(w * x + b), w), (sp.log(1 + sp.exp(-x)), x), (softplus(x) - x, x),
        (sp.log(1 + sp.exp(w * x + b)), b),
    ],
    "tanh": [
        (sp.tanh(w * x + b), w), (sp.tanh(x) ** 2, x), ((sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)), x),
        ((y - sp.tanh(w * x + b)) ** 2 / 2, w), (1 - sp.tanh(z) ** 2, z),
    ],
    "bce": [
        (_bce(s(z)), z), (_bce(s(w * x + b)), w), (_bce(s(w * x + b)), b),
        (_bce(s(w1 * x1 + w2 * x2 + b)), w1), (_bce(s(w1 * x1 + w2 * x2 + b)), b),
        (_bce(1 / (1 + sp.exp(-z))), z), (-y * sp.log(s(w * x)) - (1 - y) * sp.log(1 - s(w * x)), w),
        (_bce(s(w * t + b)), t),
    ],
    "mse": [
        ((y - (w * x + b)) ** 2 / 2, w), ((y - (w * x + b)) ** 2, b), ((s(w * x + b) - y) ** 2 / 2, b),
        ((w1 * x1 + w2 * x2 + b - y) ** 2 / 2, w2), (half * (s(z) - y) ** 2, z),
    ],
    "softmax": [
        (_softmax(0, (z1, z2, z3)), z1), (_softmax(0, (z1, z2, z3)), z2),
        (-sp.log(_softmax(0, (z1, z2, z3))), z1), (-sp.log(_softmax(1, (z1, z2))), z1),
        (_softmax(1, (z1, z2)), z2),
    ],
}

#: Results of ``sympy.integrate`` (SymPy 1.14), the integrand in the comment.
_ANTIDERIVATIVES = [
    # 1/(x**3 + 1)
    "log(x + 1)/3 - log(x**2 - x + 1)/6 + sqrt(3)*atan(2*sqrt(3)*x/3 - sqrt(3)/3)/3",
    # 1/(x**4 + 1)
    "-sqrt(2)*log(x**2 - sqrt(2)*x + 1)/8 + sqrt(2)*log(x**2 + sqrt(2)*x + 1)/8"
    " + sqrt(2)*atan(sqrt(2)*x - 1)/4 + sqrt(2)*atan(sqrt(2)*x + 1)/4",
    # x**2*exp(x)*sin(x)
    "x**2*exp(x)*sin(x)/2 - x**2*exp(x)*cos(x)/2 + x*exp(x)*cos(x) - exp(x)*sin(x)/2 - exp(x)*cos(x)/2",
    # sqrt(x**2 + 1)
    "x*sqrt(x**2 + 1)/2 + asinh(x)/2",
    # x**3*log(x)**2
    "x**4*log(x)**2/4 - x**4*log(x)/8 + x**4/32",
    # 1/(x**2*(x**2 + 1)**2)
    "(-3*x**2 - 2)/(2*x**3 + 2*x) - 3*atan(x)/2",
    # (x**2 + 1)/(x**4 + x**2 + 1)
    "sqrt(3)*(2*atan(sqrt(3)*x/3) + 2*atan(sqrt(3)*x**3/3 + 2*sqrt(3)*x/3))/6",
    # x*exp(x)*cos(2*x)
    "2*x*exp(x)*sin(2*x)/5 + x*exp(x)*cos(2*x)/5 - 4*exp(x)*sin(2*x)/25 + 3*exp(x)*cos(2*x)/25",
    # x**2*atan(x)
    "x**3*atan(x)/3 - x**2/6 + log(x**2 + 1)/6",
    # x**4/(x**2 + 2*x + 5)
    "x**3/3 - x**2 - x + 6*log(x**2 + 2*x + 5) - 7*atan(x/2 + 1/2)/2",
    # 1/(x**3 - 8)
    "log(x - 2)/12 - log(x**2 + 2*x + 4)/24 - sqrt(3)*atan(sqrt(3)*x/3 + sqrt(3)/3)/12",
    # x*asin(x)
    "x**2*asin(x)/2 + x*sqrt(1 - x**2)/4 - asin(x)/4",
    # (3*x + 2)/((x - 1)**2*(x**2 + 4))
    "log(x - 1)/5 - log(x**2 + 4)/10 - 3*atan(x/2)/5 - 1/(x - 1)",
    # x**3*log(x**2 + 1)
    "x**4*log(x**2 + 1)/4 - x**4/8 + x**2/4 - log(x**2 + 1)/4",
    # exp(2*x)*sin(3*x)
    "2*exp(2*x)*sin(3*x)/13 - 3*exp(2*x)*cos(3*x)/13",
    # x**5*exp(-x**2)
    "(-x**4 - 2*x**2 - 2)*exp(-x**2)/2",
    # 1/(x**6 + 1)
    "-sqrt(3)*log(x**2 - sqrt(3)*x + 1)/12 + sqrt(3)*log(x**2 + sqrt(3)*x + 1)/12 + atan(x)/3"
    " + atan(2*x - sqrt(3))/6 + atan(2*x + sqrt(3))/6",
]


def _problems() -> list[Problem]:
    problems = []
    for kind, exprs in _EXERCISES.items():
        for expr in exprs:
            variable = t if expr.has(t) else x
            problems.append(Problem(kind, expr, variable))
    for kind, pairs in _LOSSES.items():
        problems.extend(Problem(kind, expr, variable) for expr, variable in pairs)
    problems.extend(Problem("antiderivative", parse(text), x) for text in _ANTIDERIVATIVES)
    return problems


#: Every problem, in class order.
PROBLEMS: list[Problem] = _problems()
#: The classes, in order.
KINDS: tuple[str, ...] = tuple(dict.fromkeys(p.kind for p in PROBLEMS))
