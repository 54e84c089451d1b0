"""The losses of machine learning as SymPy expressions, built from :mod:`symderiv.core.functions`.

>>> import sympy as sp
>>> z, y = sp.symbols("z y")
>>> logistic_loss(z, y).diff(z).simplify() == (sigmoid(z) - y).simplify()
True
"""

from __future__ import annotations

import sympy as sp

from ..core.functions import sigmoid
from ..errors import UnsupportedError
from ..parse.text import parse

__all__ = ["binary_cross_entropy", "logistic_loss"]


def binary_cross_entropy(a: sp.Expr, y: sp.Expr) -> sp.Expr:
    r"""The binary cross-entropy −(y log a + (1 − y) log(1 − a)) of a prediction ``a`` in (0, 1).

    >>> import sympy as sp
    >>> a, y = sp.symbols("a y")
    >>> binary_cross_entropy(a, y)
    -y*log(a) - (1 - y)*log(1 - a)

    Text is read by :func:`symderiv.parse`, never evaluated: ``binary_cross_entropy("a", "y")``.
    """
    operands = []
    for value in (a, y):
        if isinstance(value, str):
            value = parse(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            value = sp.Integer(value) if isinstance(value, int) else sp.Float(value)
        if not isinstance(value, sp.Expr):
            raise UnsupportedError(f"binary_cross_entropy takes SymPy expressions or text; got {type(value).__name__}")
        operands.append(value)
    a, y = operands
    return -(y * sp.log(a) + (1 - y) * sp.log(1 - a))


def logistic_loss(z: sp.Expr, y: sp.Expr) -> sp.Expr:
    r"""The logistic cross-entropy on a logit ``z``: the binary cross-entropy of a = σ(z).

    Its derivative in z is the famous σ(z) − y, that is a − y.

    >>> import sympy as sp
    >>> z, y = sp.symbols("z y")
    >>> logistic_loss(z, y)
    -y*log(sigmoid(z)) - (1 - y)*log(1 - sigmoid(z))
    """
    return binary_cross_entropy(sigmoid(z), y)
