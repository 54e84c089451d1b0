"""σ, softplus and ReLU through SymPy's own printers: lambdify, pycode, ccode, MathML.

SymPy asks an expression how to print itself (``_pythoncode``, ``_mpmathcode``, ``_torchcode``,
``_numpycode``, ``_jaxcode``, ``_cupycode``, ``_ccode``, ``_mathml_presentation``,
``_mathml_content``); :mod:`symderiv.core.functions`
answers through :func:`code` and :func:`mathml` here. Each backend gets a numerically stable
form, as :func:`symderiv.lambdify` writes them:

============  =============================================  ==================================
function      NumPy, JAX (and SciPy)                         math (plain Python)
============  =============================================  ==================================
σ(x)          exp(−logaddexp(0, −x)) (SciPy: expit(x))       1/(1 + e⁻ˣ) if x ≥ 0 else eˣ/(1 + eˣ)
softplus(x)   logaddexp(0, x)                                max(x, 0) + log1p(e^(−|x|))
ReLU(x)       maximum(x, 0)                                  max(x, 0)
============  =============================================  ==================================

mpmath, with its unbounded exponents, takes the defining formulas (softplus through
``log1p``); torch ``exp(−softplus(−x))`` (``torch.sigmoid`` flushes σ(−709) to 0), its own
``softplus`` and ``relu``; C99 ``exp(−(fmax(−x, 0) + log1p(e^(−|x|))))``,
``fmax(x, 0) + log1p(e^(−|x|))`` and ``fmax(x, 0)``, and C89, which has neither ``fmax`` nor
``log1p``, conditional expressions.

>>> import sympy as sp
>>> from symderiv.core.functions import sigmoid
>>> x = sp.Symbol("x")
>>> sp.pycode(sigmoid(x))
'(1/(1 + math.exp(-x)) if x >= 0 else math.exp(x)/(1 + math.exp(x)))'
>>> f = sp.lambdify(x, sigmoid(x), "math")
>>> f(-700.0), f(800.0)
(9.85967654375977e-305, 1.0)
"""

from __future__ import annotations

from typing import Any

__all__ = ["code", "mathml"]

#: log1p(u) for C89, which has no log1p: u where 1 + u rounds to 1, else log(1 + u)·u/((1 + u) − 1),
#: which cancels the rounding of 1 + u (Goldberg, "What every computer scientist should know
#: about floating-point arithmetic", theorem 4).
_LOG1P_C89 = "((1.0 + {u}) == 1.0 ? {u} : log(1.0 + {u}) * {u} / ((1.0 + {u}) - 1.0))"

#: function name → backend → the form, with {x} the argument and {name} a module's function.
FORMS: dict[str, dict[str, str]] = {
    "sigmoid": {
        "math": "(1/(1 + {math.exp}(-{x})) if {x} >= 0 else {math.exp}({x})/(1 + {math.exp}({x})))",
        "numpy": "{numpy.exp}(-{numpy.logaddexp}(0, -{x}))",
        "scipy": "{scipy.special.expit}({x})",
        "mpmath": "1/(1 + {mpmath.exp}(-{x}))",
        "torch": "{torch.exp}(-{torch.nn.functional.softplus}(-{x}))",
        "c99": "exp(-(fmax(-{x}, 0) + log1p(exp(-fabs({x})))))",
        "c89": "(({x}) >= 0 ? 1.0/(1.0 + exp(-{x})) : exp({x})/(1.0 + exp({x})))",
    },
    "softplus": {
        "math": "(max({x}, 0) + {math.log1p}({math.exp}(-abs({x}))))",
        "numpy": "{numpy.logaddexp}(0, {x})",
        "scipy": "{numpy.logaddexp}(0, {x})",
        "mpmath": "{mpmath.log1p}({mpmath.exp}({x}))",
        "torch": "{torch.nn.functional.softplus}({x})",
        "c99": "(fmax({x}, 0) + log1p(exp(-fabs({x}))))",
        "c89": "(({x}) > 0 ? ({x}) + " + _LOG1P_C89.format(u="exp(-{x})") + " : "
               + _LOG1P_C89.format(u="exp({x})") + ")",
    },
    "relu": {
        "math": "max({x}, 0)",
        "numpy": "{numpy.maximum}({x}, 0)",
        "scipy": "{numpy.maximum}({x}, 0)",
        "mpmath": "max({x}, 0)",
        "torch": "{torch.relu}({x})",
        "c99": "fmax({x}, 0)",
        "c89": "(({x}) > 0 ? ({x}) : 0)",
    },
}

# JAX and CuPy mirror NumPy's functions under their own module names.
for _forms in FORMS.values():
    _forms["jax"] = _forms["numpy"].replace("{numpy.", "{jax.numpy.")
    _forms["cupy"] = _forms["numpy"].replace("{numpy.", "{cupy.")

#: How each function is shown in MathML: its symbol.
SYMBOLS = {"sigmoid": "σ", "softplus": "softplus", "relu": "ReLU"}


def code(name: str, arg: Any, printer: Any) -> str:
    """The code of ``name(arg)`` for ``printer``: SymPy's Python (math), NumPy, SciPy, JAX,
    mpmath, torch or C printer. Module functions go through the printer's ``_module_format``,
    so ``lambdify`` imports what the code uses."""
    form = FORMS[name][_backend(printer)]
    argument = printer._print(arg)
    if not _atomic(arg):
        argument = f"({argument})"
    pieces: dict[str, str] = {"x": argument}
    for field in _fields(form):
        if field != "x":
            pieces[field] = printer._module_format(field) if hasattr(printer, "_module_format") else field
    return _fill(form, pieces)


def mathml(name: str, arg: Any, printer: Any, *, content: bool = False) -> Any:
    """``name(arg)`` as a MathML element of ``printer``'s document: σ(x) in presentation
    markup, ``<apply><ci>σ</ci>…</apply>`` in content markup."""
    dom = printer.dom
    if content:
        apply = dom.createElement("apply")
        head = dom.createElement("ci")
        head.appendChild(dom.createTextNode(SYMBOLS[name]))
        apply.appendChild(head)
        apply.appendChild(printer._print(arg))
        return apply
    row = dom.createElement("mrow")
    head = dom.createElement("mi")
    head.appendChild(dom.createTextNode(SYMBOLS[name]))
    row.appendChild(head)
    for text, inner in (("(", None), (None, arg), (")", None)):
        if inner is not None:
            row.appendChild(printer._print(inner))
            continue
        fence = dom.createElement("mo")
        fence.appendChild(dom.createTextNode(text))
        row.appendChild(fence)
    return row


def _backend(printer: Any) -> str:
    """Which column of :data:`FORMS` ``printer`` reads, by its class and its module."""
    names = {cls.__name__ for cls in type(printer).__mro__}
    if "C89CodePrinter" in names or "C99CodePrinter" in names:
        standard = str(getattr(printer, "standard", "C99")).upper()
        return "c89" if standard == "C89" else "c99"
    if "TorchPrinter" in names:
        return "torch"
    if "MpmathPrinter" in names:
        return "mpmath"
    if "SciPyPrinter" in names:
        return "scipy"
    if "JaxPrinter" in names:
        return "jax"
    if "CuPyPrinter" in names:
        return "cupy"
    if "NumPyPrinter" in names:
        return "numpy"
    return "math"


def _atomic(arg: Any) -> bool:
    return bool(getattr(arg, "is_Atom", False)) and not (getattr(arg, "is_Number", False) and arg.is_negative)


def _fields(form: str) -> list[str]:
    import string

    return [name for _, name, _, _ in string.Formatter().parse(form) if name]


def _fill(form: str, pieces: dict[str, str]) -> str:
    """``form`` with its fields replaced; field names hold dots, which ``str.format`` would read
    as attribute access, so they are replaced one by one."""
    text = form
    for field, value in pieces.items():
        text = text.replace("{" + field + "}", value)
    return text
