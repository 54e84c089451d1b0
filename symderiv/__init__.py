"""symderiv: step-by-step derivations of the formulas of machine learning, every step proven.

>>> import sympy as sp
>>> import symderiv as sd
>>> x = sp.Symbol("x")
>>> sd.derive(1 / (1 + sp.exp(-x)), x).result
(1 - sigmoid(x))*sigmoid(x)
"""

from __future__ import annotations

from .errors import LimitError, ParseError, StepCheckError, SymderivError, UnsupportedError
from .functions import binary_cross_entropy, logistic_loss, relu, sigmoid, softplus
from .rule_ids import RULES, RuleInfo
from .steps import Derivation, Step
from .check import CheckReport, StepProof
from .engine import STRATEGIES, derive
from .graph import Evaluation, Graph, graph

__version__ = "0.1.0"

__all__ = [
    "CheckReport",
    "Derivation",
    "Evaluation",
    "Graph",
    "LimitError",
    "ParseError",
    "RULES",
    "RuleInfo",
    "STRATEGIES",
    "Step",
    "StepCheckError",
    "StepProof",
    "SymderivError",
    "UnsupportedError",
    "binary_cross_entropy",
    "derive",
    "graph",
    "logistic_loss",
    "relu",
    "sigmoid",
    "softplus",
]
