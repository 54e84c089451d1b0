"""The optional packages, each behind an extra, and the one way symderiv asks for them.

The core needs only SymPy, mpmath and latex2mathml. The rest is optional, installed with an
extra of the package (``pip install 'symderiv[all]'`` for everything):

==========  ============  ==============================================================
extra       package       for
==========  ============  ==============================================================
graph       pygraphviz    graph pictures as SVG (Graphviz bundled in the wheel)
plots       matplotlib    the plots of the standard documents (``symderiv build``)
numeric     numpy         ``sd.lambdify(..., backend="numpy")``, seed 003's layers
torch       torch         ``sd.lambdify(..., backend="torch")``, autograd cross-checks
completion  shtab         ``symderiv completion bash``
serve       starlette,    ``symderiv serve``, the local web page
            uvicorn
==========  ============  ==============================================================

:func:`require` imports one of them, or raises :class:`MissingDependencyError`, whose one-line
message names the pip command.

>>> require("math", "nothing").__name__  # a module that is there comes back
'math'
>>> require("no_such_module_xyz", "a test")
Traceback (most recent call last):
...
symderiv.extras.MissingDependencyError: a test needs no_such_module_xyz, which is not installed: pip install no_such_module_xyz
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import SymderivError

__all__ = ["EXTRAS", "MissingDependencyError", "require"]

#: Top-level module → the extra that installs it.
EXTRAS: dict[str, str] = {
    "pygraphviz": "graph",
    "matplotlib": "plots",
    "numpy": "numeric",
    "torch": "torch",
    "shtab": "completion",
    "starlette": "serve",
    "uvicorn": "serve",
}


class MissingDependencyError(SymderivError, ImportError):
    """An optional package is not installed; the message says which pip command installs it."""


def require(module: str, purpose: str) -> ModuleType:
    """``module``, imported; a :class:`MissingDependencyError` saying that ``purpose`` needs it
    and which extra installs it when it is not installed."""
    try:
        return importlib.import_module(module)
    except ImportError as error:
        top = module.split(".")[0]
        extra = EXTRAS.get(top)
        how = f"pip install 'symderiv[{extra}]'" if extra else f"pip install {top}"
        raise MissingDependencyError(f"{purpose} needs {top}, which is not installed: {how}") from error
