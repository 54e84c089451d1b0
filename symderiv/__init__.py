"""symderiv: step-by-step derivations of the formulas of machine learning, every step proven.

>>> import sympy as sp
>>> import symderiv as sd
>>> x = sp.Symbol("x")
>>> sd.derive(1 / (1 + sp.exp(-x)), x).result
(1 - sigmoid(x))*sigmoid(x)

Each public name is imported from its module the first time it is used, so ``import symderiv``
costs nothing until then. That matters to pytest, which imports ``symderiv.pytest_plugin`` (and
so this package) whenever it starts, in every project of an environment where symderiv is
installed: it must not pay for importing SymPy there. To add a public name, add it to
``_EXPORTS`` below with the module that defines it.
"""

from __future__ import annotations

import importlib
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Every public name, with the module (in this package) that defines it.
_EXPORTS: dict[str, str] = {
    "CheckReport": "core.report",
    "Derivation": "core.derivation",
    "DerivativeMatrix": "calculus.vector",
    "Evaluation": "models.graph",
    "FormulaMismatchError": "testing.assertions",
    "JsonLimits": "render.json_reader",
    "Graph": "models.graph",
    "LimitError": "errors",
    "ParseError": "errors",
    "RULES": "core.rule_ids",
    "ShapeError": "errors",
    "RuleInfo": "core.rule_ids",
    "STRATEGIES": "core.strategies",
    "DETAILS": "core.strategies",
    "Step": "core.steps",
    "StepCheckError": "errors",
    "StepProof": "core.report",
    "SymderivError": "errors",
    "UnsupportedError": "errors",
    "WorkLimits": "limits",
    "assert_derivative": "testing.assertions",
    "assert_equivalent": "testing.assertions",
    "assert_gradient": "testing.assertions",
    "binary_cross_entropy": "models.losses",
    "derive": "calculus.engine",
    "gradient": "calculus.vector",
    "graph": "models.graph",
    "hessian": "calculus.vector",
    "jacobian": "calculus.vector",
    "lambdify": "codegen",
    "logistic_loss": "models.losses",
    "network": "models.network",
    "Network": "models.network",
    "numeric_check": "testing.assertions",
    "parse": "parse.text",
    "parse_latex": "parse.latex",
    "relu": "core.functions",
    "sigmoid": "core.functions",
    "softmax": "core.matrices",
    "softplus": "core.functions",
}

__all__ = sorted(_EXPORTS)


class _Package(types.ModuleType):
    """This package's module object: it loads a public name from its module on first use.

    A submodule that shares a public name (``symderiv.graph``, the module, beside
    ``symderiv.graph``, the function) never replaces the name when it is imported.
    """

    def __getattr__(self, name: str) -> Any:
        home = _EXPORTS.get(name)
        if home is None:
            try:  # a submodule not imported yet: symderiv.calculus.engine after `import symderiv`
                return importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{__name__}.{name}":
                    raise
                raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
        value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
        super().__setattr__(name, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _EXPORTS and isinstance(value, types.ModuleType):
            return  # the import system naming a submodule: keep the public name
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(_EXPORTS))


import sys as _sys  # noqa: E402

_sys.modules[__name__].__class__ = _Package

if TYPE_CHECKING:  # what type checkers and editors see: the same names, imported eagerly
    from .core.report import CheckReport, StepProof
    from .codegen import lambdify
    from .calculus.engine import derive
    from .calculus.vector import DerivativeMatrix, gradient, hessian, jacobian
    from .core.strategies import DETAILS
    from .core.strategies import STRATEGIES
    from .core.matrices import softmax
    from .errors import LimitError, ParseError, ShapeError, StepCheckError, SymderivError, UnsupportedError
    from .limits import WorkLimits
    from .render.json_reader import JsonLimits
    from .core.functions import relu, sigmoid, softplus
    from .models.losses import binary_cross_entropy, logistic_loss
    from .models.graph import Evaluation, Graph, graph
    from .models.network import Network, network
    from .parse.text import parse
    from .parse.latex import parse_latex
    from .core.rule_ids import RULES, RuleInfo
    from .core.derivation import Derivation
    from .core.steps import Step
    from .testing.assertions import (
        FormulaMismatchError,
        assert_derivative,
        assert_equivalent,
        assert_gradient,
        numeric_check,
    )
