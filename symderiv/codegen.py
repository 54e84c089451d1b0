r"""Code from formulas: functions for NumPy, PyTorch or plain ``math`` that stay finite where the
textbook forms overflow.

The textbook σ(z) = 1/(1 + e^{−z}) overflows for z below about −710 (e^{710} is past the largest
float), and the cross-entropy −(y log σ(z) + (1 − y) log(1 − σ(z))) gives ``inf`` and ``nan``
once |z| passes about 37: σ(z) rounds to exactly 1, and log(1 − 1) = −∞. SymPy's own
``lambdify`` writes those forms as they stand. :func:`lambdify` here first rewrites the
expression into forms that are equal as functions and safe in floating point
(:func:`stable_form`), then prints code for the chosen backend:

================================  =======================================================
textbook form                     what the generated code computes
================================  =======================================================
σ(z), 1/(1 + e^{−z})              σ(z) in two branches, e^{−|z|} on both sides of 0
1 − σ(z)                          σ(−z): no cancellation when σ(z) is near 1
eᵏᶻ/(1 + eᶻ)ⁿ                     σ(z)ᵏ·σ(−z)ⁿ⁻ᵏ (σ′ = e^{−z}/(1 + e^{−z})² among them)
log(1 + eᶻ)                       softplus(z) = max(z, 0) + log1p(e^{−|z|})
log σ(z), log(1 − σ(z))           −softplus(−z), −softplus(z)
y·softplus(−z) + (1 − y)·         the cross-entropy on logits
softplus(z)                       max(z, 0) − z·y + log1p(e^{−|z|}), with max(z, 0) − z·y
                                  computed as z(1 − y) for z ≥ 0 and −z·y below
σ(z) + c (one σ term)             1 + c − σ(−z) for z ≥ 0, σ(z) + c below: the gradient
                                  σ(z) − y keeps its digits when σ(z) is near y = 1
================================  =======================================================

Over z in [−1000, 1000] these give no warning, no ``inf`` and no ``nan``, and agree with
mpmath at 50 digits to a relative error of at most 1e-12 (tests/test_codegen.py measures it).

>>> import sympy as sp
>>> from symderiv.core.functions import sigmoid
>>> from symderiv.models.losses import logistic_loss
>>> z, y = sp.symbols("z y")
>>> stable_form(logistic_loss(z, y))
LogisticLossOnLogits(z, y)
>>> stable_form(sigmoid(z) * (1 - sigmoid(z)))
sigmoid(-z)*sigmoid(z)
>>> loss = lambdify([z, y], logistic_loss(z, y), backend="math")
>>> loss(1000.0, 0.0), loss(-1000.0, 0.0)
(1000.0, 0.0)
>>> sp.lambdify([z, y], logistic_loss(z, y).rewrite(sp.exp), "math")(1000.0, 0.0)
Traceback (most recent call last):
...
ValueError: math domain error
"""

from __future__ import annotations

import inspect
import keyword
import math
from typing import Any, Callable, Iterable, Protocol, Sequence

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.numpy import NumPyPrinter
from sympy.printing.lambdarepr import LambdaPrinter

from .errors import SymderivError, UnsupportedError
from .core.functions import relu, sigmoid, softplus
from .extras import MissingDependencyError, require



class Derivation(Protocol):
    """What this module needs of a :class:`~symderiv.Derivation`: its result (it sits below the class)."""

    @property
    def result(self) -> sp.Expr: ...

__all__ = [
    "BACKENDS",
    "CodegenError",
    "MissingDependencyError",
    "SigmoidPlus",
    "LogisticLossOnLogits",
    "lambdify",
    "source",
    "stable_form",
]

#: The backends :func:`lambdify` can write code for, and the module each one needs.
BACKENDS: dict[str, str] = {"numpy": "numpy", "torch": "torch", "math": "math"}


class CodegenError(SymderivError, ValueError):
    """No function could be made: an unknown backend, a symbol missing from the arguments, a
    function the backend cannot compute, or a derivative left unevaluated."""


# --- Stable forms as SymPy functions --------------------------------------------------------

class SigmoidPlus(sp.Function):
    r"""σ(u) + c, computed as 1 + c − σ(−u) for u ≥ 0 and σ(u) + c below.

    The gradient of the cross-entropy, σ(z) − y, is ``SigmoidPlus(z, -y)``: at z = 40 and y = 1
    the textbook form gives 1.0 − 1 = 0, this one −σ(−40) ≈ −4.25e-18.

    >>> import sympy as sp
    >>> u, c = sp.symbols("u c")
    >>> SigmoidPlus(u, c).rewrite(sigmoid)
    c + sigmoid(u)
    """

    nargs = 2

    def _eval_rewrite_as_sigmoid(self, u: sp.Expr, c: sp.Expr, **kwargs: object) -> sp.Expr:
        return sigmoid(u) + c

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        return self.rewrite(sigmoid)._eval_evalf(prec)

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return self.rewrite(sigmoid).diff(self.args[argindex - 1])


class LogisticLossOnLogits(sp.Function):
    r"""The cross-entropy of σ(z) against y, y·softplus(−z) + (1 − y)·softplus(z), on the logit z.

    Computed as max(z, 0) − z·y + log1p(e^{−|z|}): every term finite for finite z, the terms
    non-negative for y in [0, 1], so no digits cancel.

    >>> import sympy as sp
    >>> z, y = sp.symbols("z y")
    >>> LogisticLossOnLogits(z, y).rewrite(softplus)
    y*softplus(-z) + (1 - y)*softplus(z)
    """

    nargs = 2

    def _eval_rewrite_as_softplus(self, z: sp.Expr, y: sp.Expr, **kwargs: object) -> sp.Expr:
        return y * softplus(-z) + (1 - y) * softplus(z)

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        return self.rewrite(softplus)._eval_evalf(prec)

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        return self.rewrite(softplus).diff(self.args[argindex - 1])


#: The names the generated code calls the stable helpers by.
_HELPERS = {
    sigmoid: "sigmoid",
    softplus: "softplus",
    relu: "relu",
    SigmoidPlus: "sigmoid_plus",
    LogisticLossOnLogits: "bce_with_logits",
}
_HELPERS_PRINTED = {
    "sigmoid": "sigmoid",
    "softplus": "softplus",
    "relu": "relu",
    "SigmoidPlus": "sigmoid_plus",
    "LogisticLossOnLogits": "bce_with_logits",
}


def stable_form(expr: sp.Expr) -> sp.Expr:
    """``expr`` rewritten into forms that are safe in floating point; the same function.

    Works bottom up, so ``log(1/(1 + exp(-z)))`` first becomes ``log(sigmoid(z))`` and then
    ``-softplus(-z)``. The rewrites are listed in the module's table.

    >>> import sympy as sp
    >>> z = sp.Symbol("z")
    >>> stable_form(sp.log(1 / (1 + sp.exp(-z))))
    -softplus(-z)
    >>> stable_form(sp.exp(-z) / (1 + sp.exp(-z))**2)
    sigmoid(-z)*sigmoid(z)
    >>> stable_form(sigmoid(z) - 1)
    -sigmoid(-z)
    """
    if not isinstance(expr, sp.Basic):
        return expr
    return _rewrite(expr)


def _rewrite(expr: sp.Basic) -> sp.Basic:
    if not expr.args or isinstance(expr, (sp.Symbol, sp.Number)):
        return expr
    args = tuple(_rewrite(arg) for arg in expr.args)
    if args != expr.args:
        expr = expr.func(*args)
    if isinstance(expr, sp.Add):
        return _stable_add(expr)
    if isinstance(expr, sp.Mul):
        return _stable_mul(expr)
    if isinstance(expr, sp.Pow):
        return _stable_pow(expr)
    if isinstance(expr, sp.log) and len(expr.args) == 1:
        return _stable_log(expr.args[0])
    return expr


def _one_plus_exp(expr: sp.Expr) -> sp.Expr | None:
    """``a`` when ``expr`` is 1 + exp(a), else None."""
    if isinstance(expr, sp.Add) and len(expr.args) == 2 and sp.S.One in expr.args:
        other = expr.args[0] if expr.args[1] is sp.S.One else expr.args[1]
        if isinstance(other, sp.exp):
            return other.args[0]
    return None


def _stable_pow(expr: sp.Pow) -> sp.Expr:
    # (1 + e^a)^(-n) = σ(−a)^n
    a = _one_plus_exp(expr.base)
    if a is not None and expr.exp.is_Integer and expr.exp < 0:
        return sigmoid(-a) ** (-expr.exp)
    return expr


def _stable_mul(expr: sp.Mul) -> sp.Expr:
    # e^{k·a}/(1 + e^a)^n = σ(a)^k · σ(−a)^(n−k) for whole numbers 0 <= k <= n. The factor
    # (1 + e^a)^(-n) was already rewritten to σ(−a)^n below us, so look for that.
    factors = list(expr.args)
    for i, factor in enumerate(factors):
        base, n = factor.as_base_exp()
        if not (isinstance(base, sigmoid) and n.is_Integer and n > 0):
            continue
        a = -base.args[0]
        for j, other in enumerate(factors):
            if j == i or not isinstance(other, sp.exp):
                continue
            k = sp.cancel(other.args[0] / a)
            if k.is_Integer and 0 < k <= n:
                rest = [f for m, f in enumerate(factors) if m not in (i, j)]
                return sp.Mul(*rest) * sigmoid(a) ** k * sigmoid(-a) ** (n - k)
    return expr


def _stable_log(arg: sp.Expr) -> sp.Expr:
    if isinstance(arg, sigmoid):
        return -softplus(-arg.args[0])  # log σ(z) = −softplus(−z)
    a = _one_plus_exp(arg)
    if a is not None:
        return softplus(a)  # log(1 + e^a) = softplus(a)
    return sp.log(arg)


def _stable_add(expr: sp.Add) -> sp.Expr:
    terms = list(expr.args)
    # 1 − σ(u) = σ(−u) and σ(u) − 1 = −σ(−u)
    if len(terms) == 2 and (sp.S.One in terms or sp.S.NegativeOne in terms):
        one = sp.S.One if sp.S.One in terms else sp.S.NegativeOne
        other = terms[0] if terms[1] is one else terms[1]
        coefficient, rest = other.as_coeff_Mul()
        if coefficient == -one and isinstance(rest, sigmoid):
            return one * sigmoid(-rest.args[0])
    combined = _combine_softplus_pairs(terms)
    if combined is not None:
        return combined
    return _sigmoid_plus(terms, expr)


def _combine_softplus_pairs(terms: list[sp.Expr]) -> sp.Expr | None:
    """A·softplus(−z) + B·softplus(z) with A + B = 1 is the cross-entropy on logits, y = A."""
    split: list[tuple[Any, Any] | None] = []
    for term in terms:
        found = [f for f in sp.Mul.make_args(term) if isinstance(f, softplus)]
        if len(found) == 1:
            coefficient = sp.Mul(*[f for f in sp.Mul.make_args(term) if f is not found[0]])
            split.append((found[0].args[0], coefficient))
        else:
            split.append(None)
    for i, first in enumerate(split):
        if first is None:
            continue
        for j in range(i + 1, len(split)):
            second = split[j]
            if second is None or second[0] != -first[0]:
                continue
            if sp.expand(first[1] + second[1]) != 1:
                continue
            # Name the logit so that it carries no leading minus sign.
            (z, weight_neg), (minus_z, weight_pos) = (first, second)
            if z.could_extract_minus_sign():
                z, weight_pos, weight_neg = minus_z, weight_neg, weight_pos
            # weight_neg multiplies softplus(z); weight_pos multiplies softplus(−z): y = weight_pos.
            rest = [t for m, t in enumerate(terms) if m not in (i, j)]
            return sp.Add(LogisticLossOnLogits(z, weight_pos), *rest)
    return None


def _sigmoid_plus(terms: list[sp.Expr], expr: sp.Add) -> sp.Expr:
    """±σ(u) + rest, with no other σ among the terms, becomes ±SigmoidPlus(u, ±rest)."""
    with_sigmoid = [t for t in terms if t.has(sigmoid)]
    if len(with_sigmoid) != 1 or len(terms) < 2:
        return expr
    term = with_sigmoid[0]
    coefficient, rest = term.as_coeff_Mul()
    if not isinstance(rest, sigmoid) or coefficient not in (1, -1):
        return expr
    others = sp.Add(*[t for t in terms if t is not term])
    if coefficient == 1:
        return SigmoidPlus(rest.args[0], others)
    return -SigmoidPlus(rest.args[0], -others)


# --- The helpers each backend calls -------------------------------------------------------

def _math_helpers() -> dict[str, Any]:
    def sigmoid_(t: float) -> float:
        if t >= 0:
            return 1.0 / (1.0 + math.exp(-t))
        e = math.exp(t)
        return e / (1.0 + e)

    def softplus_(t: float) -> float:
        return max(t, 0.0) + math.log1p(math.exp(-abs(t)))

    def relu_(t: float) -> float:
        return t if t > 0 else 0.0 * t

    def sigmoid_plus(u: float, c: float) -> float:
        return (1.0 + c) - sigmoid_(-u) if u >= 0 else sigmoid_(u) + c

    def bce_with_logits(z: float, y: float) -> float:
        linear = z * (1.0 - y) if z >= 0 else -z * y
        return linear + math.log1p(math.exp(-abs(z)))

    return {
        "math": math,  # the printer writes math.log, math.exp, ...
        "sigmoid": sigmoid_,
        "softplus": softplus_,
        "relu": relu_,
        "sigmoid_plus": sigmoid_plus,
        "bce_with_logits": bce_with_logits,
    }


def _numpy_helpers() -> dict[str, Callable[..., Any]]:
    np = _require("numpy")

    def floats(t: Any) -> Any:
        t = np.asarray(t)
        return t if np.issubdtype(t.dtype, np.inexact) else t.astype(np.float64)

    def sigmoid_(t: Any) -> Any:
        t = floats(t)
        e = np.exp(-np.abs(t))  # at most 1: never overflows
        return np.where(t >= 0, 1 / (1 + e), e / (1 + e))[()]

    def softplus_(t: Any) -> Any:
        t = floats(t)
        return (np.maximum(t, 0) + np.log1p(np.exp(-np.abs(t))))[()]

    def relu_(t: Any) -> Any:
        t = floats(t)
        return np.where(t > 0, t, 0 * t)[()]

    def sigmoid_plus(u: Any, c: Any) -> Any:
        u = floats(u)
        return np.where(u >= 0, (1 + c) - sigmoid_(-u), sigmoid_(u) + c)[()]

    def bce_with_logits(z: Any, y: Any) -> Any:
        z = floats(z)
        linear = np.where(z >= 0, z * (1 - y), -z * y)
        return (linear + np.log1p(np.exp(-np.abs(z))))[()]

    return {
        "sigmoid": sigmoid_,
        "softplus": softplus_,
        "relu": relu_,
        "sigmoid_plus": sigmoid_plus,
        "bce_with_logits": bce_with_logits,
    }


def _torch_helpers() -> dict[str, Callable[..., Any]]:
    torch = _require("torch")

    def tensor(t: Any) -> Any:
        return t if isinstance(t, torch.Tensor) else torch.tensor(t, dtype=torch.float64)

    # Each branch of a torch.where sees only inputs on its own side of 0 (the "double where"),
    # so neither branch overflows and autograd never multiplies 0 by inf. σ is written out too:
    # torch.sigmoid flushes results below the normal floats (σ(−709.9) ≈ 4.9e-309) to 0.
    def sigmoid_(t: Any) -> Any:
        t = tensor(t)
        positive = t >= 0
        above = torch.where(positive, t, torch.zeros_like(t))
        below = torch.exp(torch.where(positive, torch.zeros_like(t), t))
        return torch.where(positive, 1 / (1 + torch.exp(-above)), below / (1 + below))

    def softplus_(t: Any) -> Any:
        t = tensor(t)
        positive = t > 0
        above = torch.where(positive, t, torch.zeros_like(t))
        below = torch.where(positive, torch.zeros_like(t), t)
        return torch.where(positive, above + torch.log1p(torch.exp(-above)), torch.log1p(torch.exp(below)))

    def relu_(t: Any) -> Any:
        return torch.relu(tensor(t))

    def sigmoid_plus(u: Any, c: Any) -> Any:
        u = tensor(u)
        return torch.where(u >= 0, (1 + c) - sigmoid_(-u), sigmoid_(u) + c)

    def bce_with_logits(z: Any, y: Any) -> Any:
        z = tensor(z)
        positive = z >= 0
        above = torch.where(positive, z, torch.zeros_like(z))
        below = torch.where(positive, torch.zeros_like(z), z)
        return torch.where(
            positive,
            above * (1 - y) + torch.log1p(torch.exp(-above)),
            -below * y + torch.log1p(torch.exp(below)),
        )

    return {
        "sigmoid": sigmoid_,
        "softplus": softplus_,
        "relu": relu_,
        "sigmoid_plus": sigmoid_plus,
        "bce_with_logits": bce_with_logits,
    }


def _require(module: str) -> Any:
    return require(module, f"the {module!r} backend")


# --- Printers: SymPy's, taught to call the helpers ----------------------------------------

def _print_helper(self: Any, expr: sp.Function) -> str:
    name = _HELPERS_PRINTED[type(expr).__name__]
    return f"{name}({', '.join(self._print(arg) for arg in expr.args)})"


def _with_helpers(base: type) -> type:
    """``base`` printing σ, softplus, ReLU, ... as calls of this module's helpers. The functions'
    own printer methods (``_numpycode`` and the others of :mod:`symderiv.core.printing`, for
    SymPy's lambdify) are not consulted: the helpers are what this module's code calls."""

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        base.__init__(self, *args, **kwargs)  # type: ignore[misc]
        self.printmethod = "_symderiv_helper_code"  # a method no expression defines

    methods: dict[str, Any] = {f"_print_{cls}": _print_helper for cls in _HELPERS_PRINTED}
    methods["__init__"] = __init__
    return type(f"Stable{base.__name__}", (base,), methods)


_MathPrinter = _with_helpers(LambdaPrinter)
_NumPyPrinter = _with_helpers(NumPyPrinter)


def _torch_printer() -> type:
    from sympy.printing.pytorch import TorchPrinter

    def heaviside(self: Any, expr: sp.Heaviside) -> str:
        x = self._print(expr.args[0])
        at_zero = self._print(expr.args[1]) if len(expr.args) > 1 else "0.5"
        return f"torch.where({x} > 0, 1.0, torch.where({x} < 0, 0.0, {at_zero}))"

    def log1p(self: Any, expr: sp.Function) -> str:
        return f"torch.log1p({self._print(expr.args[0])})"

    printer = _with_helpers(TorchPrinter)
    printer._print_Heaviside = heaviside  # type: ignore[attr-defined]
    printer._print_log1p = log1p  # type: ignore[attr-defined]
    return printer


# --- lambdify ------------------------------------------------------------------------------

def lambdify(
    args: sp.Symbol | str | Sequence[sp.Symbol | str],
    expr: "sp.Expr | str | Derivation",
    backend: str = "numpy",
) -> Callable[..., Any]:
    """A function computing ``expr`` of ``args`` in the stable forms, for ``backend``.

    ``args`` is a Symbol, a name, or a sequence of them, in the order the function takes its
    arguments; every symbol of ``expr`` must be among them. ``expr`` is a SymPy expression, text
    (read by :func:`symderiv.parse.text.parse`) or a :class:`~symderiv.Derivation` (its result).
    ``backend`` is ``"numpy"`` (arrays in, arrays out), ``"torch"`` (tensors; autograd flows
    through) or ``"math"`` (Python floats). The generated source is in the function's
    ``__doc__`` and from :func:`source`.

    >>> import sympy as sp
    >>> from symderiv.core.functions import sigmoid
    >>> x = sp.Symbol("x")
    >>> f = lambdify(x, 1 / (1 + sp.exp(-x)), backend="math")
    >>> f(-1000.0), f(0.0), f(1.0)
    (0.0, 0.5, 0.7310585786300049)
    >>> lambdify("x", "sigmoid(x) * (1 - sigmoid(x))", backend="math")(-800.0)
    0.0
    >>> lambdify([x], x + sp.Symbol("y"), backend="math")
    Traceback (most recent call last):
    ...
    symderiv.codegen.CodegenError: the formula uses y, which is not among the arguments (x); add it to args
    """
    symbols, stable, printer, namespace = _prepare(args, expr, backend)
    dummify = any(s.name in namespace or not _identifier(s.name) for s in symbols)
    try:
        return sp.lambdify(symbols, stable, modules=[namespace, backend], printer=printer, dummify=dummify)
    except Exception as error:  # a printer that cannot print some function
        raise CodegenError(f"cannot write {backend} code for {stable}: {error}") from error


def source(
    args: sp.Symbol | str | Sequence[sp.Symbol | str],
    expr: "sp.Expr | str | Derivation",
    backend: str = "numpy",
) -> str:
    """The Python source of the function :func:`lambdify` makes (helpers called by name).

    >>> import sympy as sp
    >>> from symderiv.core.functions import sigmoid
    >>> z, y = sp.symbols("z y")
    >>> print(source([z, y], sigmoid(z) - y, backend="math"))
    def _lambdifygenerated(z, y):
        return sigmoid_plus(z, -y)
    """
    return inspect.getsource(lambdify(args, expr, backend)).rstrip("\n")


def _prepare(
    args: sp.Symbol | str | Sequence[sp.Symbol | str],
    expr: "sp.Expr | str | Derivation",
    backend: str,
) -> tuple[list[sp.Symbol], sp.Expr, type, dict[str, Callable[..., Any]]]:
    if backend not in BACKENDS:
        raise CodegenError(f"unknown backend {backend!r}; choose one of: {', '.join(BACKENDS)}")
    expression = _expression(expr)
    symbols = _symbols(args, expression)
    missing = sorted(expression.free_symbols - set(symbols), key=lambda s: s.name)
    if missing:
        names = ", ".join(s.name for s in missing)
        given = ", ".join(s.name for s in symbols) or "none"
        raise CodegenError(
            f"the formula uses {names}, which {'is' if len(missing) == 1 else 'are'} not among "
            f"the arguments ({given}); add {'it' if len(missing) == 1 else 'them'} to args"
        )
    if expression.has(sp.Derivative, sp.Integral, sp.Subs):
        raise CodegenError(f"{expression} still holds an unevaluated derivative; call .doit() first")
    bound = sorted(s.name for s in expression.atoms(sp.Symbol) - set(symbols) if not _identifier(s.name))
    if bound:
        # A bound variable (a Sum's index, a Lambda's argument) is printed by its name, never dummified.
        raise CodegenError(f"the formula binds a variable named {bound[0][:40]!r}, which is not a Python name")
    undefined = sorted({type(f).__name__ for f in expression.atoms(AppliedUndef)})
    if undefined:
        # SymPy's printers write an undefined function's name into the code as it stands, so a
        # name such as "__import__('os').system" would run; no backend can compute one anyway.
        shown = ", ".join(repr(name[:40]) for name in undefined[:3])
        raise CodegenError(f"the formula holds an undefined function ({shown}); code cannot compute it")
    stable = stable_form(expression)
    if backend == "numpy":
        return symbols, stable, _NumPyPrinter, _numpy_helpers()
    if backend == "torch":
        namespace = _torch_helpers()
        return symbols, stable, _torch_printer(), namespace
    return symbols, stable, _MathPrinter, _math_helpers()


def _identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)


def _expression(expr: Any) -> sp.Expr:
    if isinstance(getattr(expr, "result", None), sp.Expr) and hasattr(expr, "steps"):
        return expr.result  # a Derivation (this module sits below the class; see docs/ARCHITECTURE.md)
    if isinstance(expr, str):
        from .parse.text import parse

        return parse(expr)
    if isinstance(expr, (int, float)) and not isinstance(expr, bool):
        return sp.Integer(expr) if isinstance(expr, int) else sp.Float(expr)
    if not isinstance(expr, sp.Expr):
        raise UnsupportedError(f"lambdify makes code from a SymPy expression; got {type(expr).__name__}")
    return expr


def _symbols(args: Any, expression: sp.Expr) -> list[sp.Symbol]:
    items: Iterable[Any] = [args] if isinstance(args, (sp.Symbol, str)) else args
    by_name = {s.name: s for s in expression.free_symbols}
    symbols = []
    for item in items:
        if isinstance(item, str):
            if not item.isidentifier():
                raise CodegenError(f"an argument must be a variable name; got {item!r}")
            item = by_name.get(item, sp.Symbol(item))
        if not isinstance(item, sp.Symbol):
            raise UnsupportedError(f"each argument must be a Symbol or its name; got {item!r}")
        symbols.append(item)
    return symbols
