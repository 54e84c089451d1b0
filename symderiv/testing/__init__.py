"""Verifying formulas in tests: the assertions (:mod:`.assertions`) and the pytest plugin (:mod:`.plugin`).

The assertions rest on :mod:`.compare` (two formulas compared by :mod:`symderiv.proof.equivalence`,
the comparison that proves steps), :mod:`.departure` (the step where a wrong derivative departs),
:mod:`.numbers` (numeric_check's finite differences, mpmath and autograd), :mod:`.arguments`,
:mod:`.points` and :mod:`.messages`.

``from symderiv.testing import assert_derivative`` works as before. The names are loaded on first
use, so that pytest, which imports :mod:`symderiv.testing.plugin` at start-up in every project of
an environment where symderiv is installed, does not pay for importing SymPy there.
See docs/ARCHITECTURE.md.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = ["FormulaMismatchError", "assert_derivative", "assert_equivalent", "assert_gradient", "numeric_check"]
_PUBLIC = frozenset(__all__)


def __getattr__(name: str) -> Any:
    if name in _PUBLIC:
        return getattr(importlib.import_module(f"{__name__}.assertions"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if TYPE_CHECKING:
    from .assertions import (
        FormulaMismatchError,
        assert_derivative,
        assert_equivalent,
        assert_gradient,
        numeric_check,
    )
