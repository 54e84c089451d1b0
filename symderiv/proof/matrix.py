r"""Proving a matrix step entry by entry, at a concrete small shape, with symbolic entries.

A step of matrix calculus claims ``before = after`` between matrix expressions (or scalars made
of them), with derivatives ∂f/∂W and differentials d(U) in them. Its proof:

1. every dimension left as a symbol (m, n) gets a small concrete size (2, 3, ...), the same
   wherever it appears (in a shape or as a number, 1/m); every matrix symbol becomes a matrix of
   its own scalar symbols, ``X`` → ``[[X00, X01], ...]``;
2. each side is written out entry by entry (:func:`explicit`): SymPy's explicit matrix algebra
   for products, sums, transposes, inverses, traces, determinants, Hadamard products and
   elementwise functions; ∂f/∂W as the matrix of the unevaluated scalar derivatives ∂f/∂Wᵢⱼ;
   d(U) as the directional derivative Σᵢⱼ ∂U/∂Wᵢⱼ · dWᵢⱼ (dW a matrix of symbols too);
3. each entry equality is proven like any scalar step (:func:`symderiv.proof.check.check_step`):
   exactly where SymPy can, and numerically at random points in every case, where each
   unevaluated derivative is taken by mpmath's numerical differentiation (finite differences at
   high precision), so the numbers rest on no symbolic rule.

A step made under an assumption, Σy = 1 (``detail["sums_to_one"]``, the targets of a softmax), is
proven with the last entry of y written as 1 minus the others.

>>> import sympy as sp
>>> from symderiv.core.steps import Step
>>> S = sp.MatrixSymbol("S", 2, 2); A = sp.MatrixSymbol("A", 2, 2)
>>> proof = check_matrix_step(Step("matrix_gradient", sp.Derivative(sp.Trace(A * S), S), A.T))
>>> proof.method, proof.points
('symbolic', 4)
>>> check_matrix_step(Step("matrix_gradient", sp.Derivative(sp.Trace(A * S), S), A))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
symderiv.errors.StepCheckError: step could not be proven in step 'matrix_gradient': ...
"""

from __future__ import annotations

from typing import Any, Mapping

import random
from functools import lru_cache
import zlib

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from ..core.matrices import DifferentialSymbol, MatrixDifferential, ScalarDifferential, Softmax, is_matrix
from ..core.report import CheckReport, StepProof
from ..core.steps import Step
from ..errors import LimitError, StepCheckError
from .check import CANDIDATE_POINTS, HUGE, _disagreement, _tolerance, check_derivation
from .equivalence import ExactVerdict, compare_numerically, exact_verdict, random_value

__all__ = ["MAX_ENTRIES", "Shapes", "check_matrix_derivation", "check_matrix_step", "explicit", "shapes_of"]

#: Most scalar entries, over all matrices of a step at the shape it is proven at.
MAX_ENTRIES = 120
#: Largest square matrix whose inverse or determinant a proof writes out with symbolic entries.
MAX_SQUARE = 4
#: The sizes given to the dimensions left as symbols, in order of their names.
SIZES = (2, 3, 4, 5, 6)

_METHODS = ("identical", "symbolic", "numeric")


class Shapes:
    """The concrete sizes of the dimensions and the explicit matrix of each matrix symbol."""

    def __init__(self, sizes: Mapping[sp.Symbol, int], matrices: Mapping[sp.MatrixSymbol, sp.Matrix]):
        self.sizes = dict(sizes)
        self.matrices = dict(matrices)


def _dim(d: Any) -> sp.Basic:
    """A dimension as a SymPy object (SymPy keeps small ones as Python ints)."""
    return sp.Integer(d) if isinstance(d, int) else d


def shapes_of(*exprs: sp.Basic, sums_to_one: sp.MatrixSymbol | None = None) -> Shapes:
    """Concrete sizes for every dimension symbol and symbolic entries for every matrix symbol of ``exprs``."""
    symbols = [m for e in exprs for m in e.atoms(sp.MatrixSymbol)]
    dims: set[sp.Symbol] = set()
    for expr in exprs:
        for node in sp.preorder_traversal(expr):
            shape = getattr(node, "shape", None) if isinstance(node, MatrixExpr) else None
            if shape:
                dims.update(s for d in shape for s in _dim(d).free_symbols)
    if len(dims) > len(SIZES):
        raise LimitError(f"the matrices have {len(dims)} symbolic dimensions; at most {len(SIZES)} can be proven")
    sizes = {d: SIZES[k] for k, d in enumerate(sorted(dims, key=lambda s: s.name))}
    matrices: dict[sp.MatrixSymbol, sp.Matrix] = {}
    total = 0
    for symbol in sorted(set(symbols), key=lambda s: s.name):
        rows, cols = (int(_dim(d).xreplace(sizes)) for d in symbol.shape)
        total += rows * cols
        if total > MAX_ENTRIES:
            raise LimitError(
                f"proving the step entry by entry needs more than {MAX_ENTRIES} entries; "
                "give the dimensions as symbols (m, n), which are proven at small sizes"
            )
        name = ("d" if isinstance(symbol, DifferentialSymbol) else "") + symbol.name
        matrices[symbol] = sp.Matrix(rows, cols, [sp.Symbol(f"{name}[{i},{j}]") for i in range(rows) for j in range(cols)])
    if sums_to_one is not None and sums_to_one in matrices:
        y = matrices[sums_to_one]
        last = y[-1]
        matrices[sums_to_one] = y.subs(last, 1 - (sum(y) - last))
    return Shapes(sizes, matrices)


def explicit(expr: sp.Basic, shapes: Shapes, variable: sp.MatrixSymbol | None = None,
             direction: sp.MatrixSymbol | None = None, memo: dict[sp.Basic, Any] | None = None) -> Any:
    """``expr`` written out entry by entry: an explicit ``sympy.Matrix``, or a scalar.

    ``variable`` is the W of the differentials d(U) in ``expr``, ``direction`` its dW; ``memo``
    keeps what was written out already, for the steps of one derivation at the same shapes.
    """
    return _Explicit(shapes, variable, direction, memo).value(expr)


class _Explicit:
    def __init__(self, shapes: Shapes, variable: sp.MatrixSymbol | None, direction: sp.MatrixSymbol | None,
                 memo: dict[sp.Basic, Any] | None = None):
        self.shapes = shapes
        self.variable = variable
        self.direction = direction
        self.memo = memo if memo is not None else {}

    def value(self, expr: Any) -> Any:
        if expr not in self.memo:
            self.memo[expr] = self._value(expr)
        return self.memo[expr]

    def size(self, d: Any) -> int:
        return int(_dim(d).xreplace(self.shapes.sizes))

    def _value(self, expr: Any) -> Any:  # noqa: C901 - one case per kind of node, read in order
        if isinstance(expr, sp.MatrixSymbol):
            return self.shapes.matrices[expr]
        if isinstance(expr, sp.Symbol):
            return sp.Integer(self.shapes.sizes[expr]) if expr in self.shapes.sizes else expr
        if isinstance(expr, sp.ZeroMatrix):
            return sp.zeros(self.size(expr.rows), self.size(expr.cols))
        if isinstance(expr, sp.OneMatrix):
            return sp.ones(self.size(expr.rows), self.size(expr.cols))
        if isinstance(expr, sp.Identity):
            return sp.eye(self.size(expr.rows))
        if isinstance(expr, sp.Derivative):
            return self.derivative(expr)
        if isinstance(expr, (MatrixDifferential, ScalarDifferential)):
            return self.differential(expr)
        if isinstance(expr, MatrixElement):
            return self.value(expr.parent)[int(expr.i), int(expr.j)]
        if not expr.args:
            return expr
        args = [self.value(a) for a in expr.args]
        if isinstance(expr, sp.MatMul):
            out = args[0]
            for a in args[1:]:
                out = out * a
            return out
        if isinstance(expr, (sp.MatAdd,)):
            out = args[0]
            for a in args[1:]:
                out = out + a
            return out
        if isinstance(expr, sp.Transpose):
            return args[0].T
        if isinstance(expr, (sp.Inverse, sp.Determinant)) and args[0].shape[0] > MAX_SQUARE:
            raise LimitError(f"a step is proven with inverses and determinants of at most {MAX_SQUARE}×{MAX_SQUARE} "
                             f"symbolic matrices, not {args[0].shape[0]}×{args[0].shape[0]}; give the size as a symbol")
        if isinstance(expr, sp.Inverse):
            return args[0].inv()
        if isinstance(expr, sp.MatPow):
            return args[0] ** args[1]
        if isinstance(expr, sp.Trace):
            return args[0].trace()
        if isinstance(expr, sp.Determinant):
            return args[0].det()
        if isinstance(expr, sp.HadamardProduct):
            out = args[0]
            for a in args[1:]:
                out = out.multiply_elementwise(a)
            return out
        if isinstance(expr, sp.HadamardPower):
            return args[0].applyfunc(lambda entry: entry ** args[1])
        if isinstance(expr, ElementwiseApplyFunction):
            return args[1].applyfunc(expr.function)
        if isinstance(expr, Softmax):
            exps = args[0].applyfunc(sp.exp)
            return exps / sum(exps)
        if isinstance(expr, MatrixExpr) or any(is_matrix(a) for a in args):
            raise StepCheckError(f"cannot write {type(expr).__name__} out entry by entry")
        return expr.func(*args)

    def derivative(self, expr: sp.Derivative) -> Any:
        (wrt, count), = expr.variable_count
        if count != 1 or not isinstance(wrt, sp.MatrixSymbol):
            raise StepCheckError(f"a matrix step differentiates once with respect to a matrix, not {expr}")
        inner = self.value(expr.expr)
        if is_matrix(inner):
            if inner.shape != (1, 1):
                raise StepCheckError("a gradient is taken of a scalar")
            inner = inner[0, 0]
        entries = self.shapes.matrices[wrt]
        if wrt == self.direction:  # linear in dW: SymPy's diff of a polynomial, no rule under proof
            return entries.applyfunc(lambda e: sp.diff(inner, e))
        return entries.applyfunc(lambda e: sp.Derivative(inner, e) if inner.has(e) else sp.S.Zero)

    def differential(self, expr: sp.Basic) -> Any:
        if self.variable is None or self.direction is None:
            raise StepCheckError("a differential d(U) needs the variable it is taken in")
        inner = self.value(expr.args[0])
        ws = list(self.shapes.matrices[self.variable])
        dws = list(self.shapes.matrices[self.direction])

        def directional(entry: sp.Expr) -> sp.Expr:
            return sp.Add(*(sp.Derivative(entry, w) * dw for w, dw in zip(ws, dws) if entry.has(w)))

        return inner.applyfunc(directional) if is_matrix(inner) else directional(inner)


def check_matrix_step(step: Step, *, index: int = 0, points: int = 4, digits: int = 30, seed: int = 0,
                      variable: sp.MatrixSymbol | None = None, shapes: Shapes | None = None,
                      memo: dict[sp.Basic, Any] | None = None) -> StepProof:
    """Prove one matrix step entry by entry, or raise :class:`StepCheckError` saying why not."""
    if step.focus is not None:
        part, replacement = step.focus
        if step.before.xreplace({part: replacement}) != step.after:
            raise StepCheckError("its result is not its starting expression with the rewritten part replaced",
                                 step.rule)
    left, right = step.local
    direction = step.detail.get("direction")
    variable = step.detail.get("variable", variable)
    if shapes is None or step.detail.get("sums_to_one") is not None:
        shapes = shapes_of(step.before, step.after, sums_to_one=step.detail.get("sums_to_one"))
        memo = None
    lhs = explicit(left, shapes, variable, direction, memo)
    rhs = explicit(right, shapes, variable, direction, memo)
    if is_matrix(lhs) != is_matrix(rhs) or (is_matrix(lhs) and lhs.shape != rhs.shape):
        shown = [getattr(side, "shape", "a scalar") for side in (lhs, rhs)]
        raise StepCheckError(f"the two sides have different shapes, {shown[0]} and {shown[1]}", step.rule)
    pairs = list(zip(lhs, rhs)) if is_matrix(lhs) else [(lhs, rhs)]
    proofs = []
    for k, (a, b) in enumerate(pairs):
        try:
            proofs.append(_check_entry(a, b, step.rule, index=index, points=points, digits=digits, seed=seed + k))
        except StepCheckError as error:
            where = f" (entry {k + 1} of {len(pairs)})" if len(pairs) > 1 else ""
            raise StepCheckError(f"{error.reason}{where}", step.rule) from None
    method = max((p.method for p in proofs), key=_METHODS.index)
    return StepProof(index, step.rule, method, min(p.points for p in proofs),  # type: ignore[arg-type]
                     max(p.max_error for p in proofs), digits)


def _check_entry(left: sp.Expr, right: sp.Expr, rule: str, *, index: int, points: int, digits: int,
                 seed: int) -> StepProof:
    """One entry's equality: exactly (expanded first, the general comparison only when that is not
    enough), and numerically at random points, derivatives taken by finite differences."""
    verdict = _expanded_verdict(left, right) or exact_verdict(left, right)
    if verdict is not None and not verdict.same:
        raise StepCheckError(f"the two sides differ by {verdict.difference}, which is not 0", rule)
    rng = random.Random(zlib.crc32(f"{seed}:{index}:{rule}".encode()))
    symbols = sorted(left.free_symbols | right.free_symbols, key=lambda s: s.name)
    candidates = ({symbol: random_value(rng, attempt) for symbol in symbols} for attempt in range(CANDIDATE_POINTS))
    outcome = compare_numerically(left, right, candidates, needed=points, digits=2 * digits,
                                  tolerance=_tolerance(digits, left, right), largest=HUGE)
    if outcome.counterexample is not None:
        raise StepCheckError(_disagreement(outcome.counterexample), rule)
    if verdict is None and outcome.agreed < points:
        raise StepCheckError(
            f"no symbolic proof, and only {outcome.agreed} of {points} random points could be evaluated", rule)
    method = verdict.method if verdict is not None else "numeric"
    return StepProof(index, rule, method, outcome.agreed, outcome.max_error, digits)  # type: ignore[arg-type]


def _expanded_verdict(left: sp.Expr, right: sp.Expr) -> ExactVerdict | None:
    """``identical`` or ``symbolic`` when the differentiated sides are the same tree or their
    difference expands to 0 (σ and log kept as functions: cheap); None otherwise."""
    if left == right:
        return ExactVerdict("identical")
    try:
        difference = sp.expand(_done(left) - _done(right))
    except Exception:  # SymPy failing is "no quick proof", not a crash
        return None
    if difference == 0:
        return ExactVerdict("symbolic")
    try:
        return ExactVerdict("symbolic") if sp.cancel(sp.together(difference)) == 0 else None
    except Exception:  # noqa: BLE001 - as above
        return None


@lru_cache(maxsize=4096)
def _done(expr: sp.Expr) -> sp.Expr:
    """``expr`` differentiated, kept while the sides of neighbouring steps share entries."""
    return expr.doit()


def check_matrix_derivation(derivation: Any, *, points: int = 4, digits: int = 30, seed: int = 0,
                            proven_subs: bool = False) -> CheckReport:
    """Prove every step of a matrix derivation entry by entry, and its scalar sub-derivations.

    With ``proven_subs`` a sub-derivation that carries its report (the engine proved it when it
    derived it) keeps that report instead of being proven a second time.
    """
    first = derivation.steps[0].before
    expected = sp.Derivative(derivation.expr, derivation.wrt)
    if first != expected:
        raise StepCheckError(f"the first step starts from {first}, not from {expected}")
    proofs = []
    subs = []
    shapes = shapes_of(*(step.before for step in derivation.steps), derivation.result)
    memo: dict[sp.Basic, Any] = {}
    for index, step in enumerate(derivation.steps):
        proofs.append(check_matrix_step(step, index=index, points=points, digits=digits, seed=seed,
                                        variable=derivation.wrt, shapes=shapes, memo=memo))
        subs.append(tuple(
            sub.report if proven_subs and getattr(sub, "report", None) is not None
            else check_derivation(sub, points=points, digits=digits, seed=seed)
            for sub in step.substeps))
    return CheckReport(tuple(proofs), tuple(subs) if any(subs) else ())
