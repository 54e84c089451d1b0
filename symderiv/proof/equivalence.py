"""Are two formulas the same function? Exact proofs first, then numbers compared by magnitude.

This is the one comparison of symderiv: the proofs of steps (:mod:`symderiv.proof.check`) and the test
assertions (:mod:`symderiv.testing.compare`, and through them ``symderiv check``) both decide with it.

1. Exactly, with SymPy, bounded in size: the difference of both sides (differentiated, with the
   step's substitutions put back) is cancelled, and multiplied out when that stays small.
   Exactly 0: the same function. A nonzero constant, or an expression SymPy proves nonzero
   (``is_zero is False``): different functions, whatever the numbers say. With rounded numbers
   (``Float``) about, only a constant difference far larger than their rounding proves one
   (e + 1e-40 is not e; 0.1 + 0.2 − 0.3 ≈ 5.6·10⁻¹⁷ is rounding).
2. Numerically, at points: the values are compared *relative to their magnitude*,
   ``|a − b| ≤ tolerance · max(|a|, |b|)``, with no floor of 1 under the magnitude, so 0 against
   x/10³⁰ is a difference. Where the values disagree, both sides are evaluated again with
   :data:`EXTRA_DIGITS` more digits: a disagreement that is rounding noise (cancellation, as in
   sin²x + cos²x − 1 against 0) shrinks by at least :data:`NOISE_SHRINK` orders of magnitude,
   and then the sides agree; one that stays is a real difference.

The precision lives in an mpmath context of each call (:func:`symderiv.proof.numeric.working_context`),
never in mpmath's global state, so comparisons in several threads do not disturb each other.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> exact_verdict(x, x + sp.Rational(1, 10**25)).method
'different'
>>> exact_verdict((x + 1)**2, x**2 + 2*x + 1).method
'symbolic'
>>> outcome = compare_numerically(sp.S.Zero, x / 10**30, [{x: 1}], needed=1, digits=30,
...                               tolerance=sp.Rational(1, 10**22))
>>> outcome.agreed, outcome.counterexample is not None
(0, True)
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from math import comb
from typing import Any, Iterable, Iterator, Literal, Mapping

import mpmath
import sympy as sp

from ..core.functions import sigmoid, softplus
from .magnitude import can_overflow, log10_magnitude
from .radicals import has_radical, has_related_atoms, numerator_vanishes, vanishes
from .numeric import NodeMemo, NotNumeric, evaluate, is_complex_number, working_context
from ..core.steps import names_in_use, resolve_where, symbols_of

__all__ = [
    "EXTRA_DIGITS",
    "NOISE_SHRINK",
    "SYMBOLIC_SIZE_LIMIT",
    "ValueMemo",
    "ExactVerdict",
    "NumericOutcome",
    "PointComparison",
    "cancels_in_names",
    "compare_numerically",
    "elementary",
    "exact_verdict",
    "is_off_real_line",
    "random_value",
    "scope_key",
]

#: Largest difference (in ``count_ops``) for which an exact proof is attempted.
SYMBOLIC_SIZE_LIMIT = 400
#: Largest number of tree nodes of both sides (and the substitutions) for which SymPy is asked at all.
TREE_SIZE_LIMIT = 3000
#: Largest number of terms multiplying a difference out may produce.
EXPAND_TERM_LIMIT = 400
#: Relative size of the rounding of a Float, generously: a constant difference smaller than this
#: times the largest Float of the formulas may be rounding, and proves nothing.
ROUNDING = sp.Rational(1, 10**12)
#: Digits added to look again at a point where the values disagree.
EXTRA_DIGITS = 30
#: Orders of magnitude by which a disagreement must shrink, with EXTRA_DIGITS more digits,
#: to count as rounding noise rather than a difference of the functions.
NOISE_SHRINK = 15
#: Most digits used to look again where one side is exactly 0 and the other is not: a
#: cancellation such as 1 − σ(t) for large t is exactly 0 until the digits reach its size
#: (σ(800) needs about 350), so the digits double up to this before the point counts as a
#: difference.
ZERO_CHECK_DIGITS = 1200

#: A value below 10^-this against an exact 0 that stayed 0 up to :data:`ZERO_CHECK_DIGITS`
#: digits is not evidence of a difference (nor of equality): the point is not used. 0 against
#: 10⁻⁴⁰ is still a difference.
UNRESOLVABLE_DIGITS = 1000


# --- Exact proofs ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExactVerdict:
    """What SymPy proved. ``method`` is ``"identical"`` (the same tree), ``"symbolic"`` (the
    difference is exactly 0) or ``"different"`` (the difference, ``difference``, is not 0)."""

    method: Literal["identical", "symbolic", "different"]
    difference: sp.Expr = sp.S.Zero

    @property
    def same(self) -> bool:
        return self.method != "different"


def exact_verdict(
    left: sp.Expr,
    right: sp.Expr,
    where: Mapping[sp.Symbol, sp.Expr] | None = None,
    *,
    cancel_rounded: bool = True,
    memo: dict[Any, sp.Expr] | None = None,
) -> ExactVerdict | None:
    """Decide ``left = right`` with SymPy when that is cheap; None when SymPy cannot tell.

    Both sides are differentiated (``doit``) with ``where`` substituted. ``cancel_rounded=False``
    leaves expressions holding a ``Float`` to the numbers unless they are the same tree.
    ``memo`` keeps the differentiated sides between calls (a derivation's steps share sides).
    """
    if left == right:
        return ExactVerdict("identical")
    if not _smaller_than(TREE_SIZE_LIMIT, left, right, *(where or {}).values()):
        return None  # too large to prove anything cheaply: the numbers decide
    try:
        left_value = _differentiated(left, where or {}, memo)
        right_value = _differentiated(right, where or {}, memo)
    except Exception:  # SymPy failing to differentiate is "no symbolic proof", not a crash
        return None
    if left_value == right_value:
        return ExactVerdict("identical")
    if not (isinstance(left_value, sp.Expr) and isinstance(right_value, sp.Expr)):
        return None  # a condition left by a piecewise (u < ⌈u⌉) is no value to subtract: the numbers decide
    if where and cancels_in_names(left, right, where):
        return ExactVerdict("symbolic")
    return _cancelled_verdict(left_value, right_value, cancel_rounded=cancel_rounded)


def _cancelled_verdict(left: sp.Expr, right: sp.Expr, *, cancel_rounded: bool) -> ExactVerdict | None:
    """The verdict on two differentiated sides from their difference, brought to a normal form
    by ``cancel`` (and ``expand`` when that stays small); None when SymPy cannot tell."""
    rounded = left.has(sp.Float) or right.has(sp.Float)
    if rounded and not cancel_rounded:
        return _rounded_verdict(left - right, left, right)
    written = left - right
    if written.has(sp.Derivative, sp.Subs, sp.Piecewise, sp.Integral):
        return None
    if written.has(sigmoid, softplus) and _cancels_as_atoms(written):
        return ExactVerdict("symbolic")
    difference = elementary(written)
    if sp.count_ops(difference) > SYMBOLIC_SIZE_LIMIT:
        return None
    if has_radical(difference):
        # cancel and expand multiply out around a radical without bound (minutes for seventy
        # operations): the radicals' relations decide exactly, or the numbers do
        return ExactVerdict("symbolic") if vanishes(difference) else None
    if numerator_vanishes(difference) or (has_related_atoms(difference) and vanishes(difference)):
        return ExactVerdict("symbolic")  # cancel's common factors are no part of a proof of 0
    try:
        reduced = sp.cancel(difference)
        if reduced != 0 and _expandable(reduced):
            reduced = sp.cancel(sp.expand(reduced))
    except Exception:  # a SymPy failure leaves the question to the numbers
        return None
    if reduced == 0:
        return ExactVerdict("symbolic")
    if rounded:
        return _rounded_verdict(reduced, left, right)
    if reduced.has(sp.nan, sp.zoo, sp.oo, sp.Derivative):
        return None
    try:
        nonzero = reduced.is_zero is False
    except Exception:  # an assumption query SymPy cannot answer proves nothing
        return None
    return ExactVerdict("different", reduced) if nonzero else None


def cancels_in_names(left: sp.Expr, right: sp.Expr, where: Mapping[sp.Symbol, sp.Expr]) -> bool:
    """``left − right`` cancels to 0 with the substitution names of ``where`` taken as variables
    of their own: then it is 0 whatever they stand for, and the sides need not be written out.
    (a − y)·a(1 − a)·x / (a(1 − a)) against x·(a − y) cancels in a; with a = σ(w·x + b) put back
    the same cancellation costs several times more.

    >>> a, x = sp.symbols("a x")
    >>> cancels_in_names((a**2 - 1) / (a - 1), a + 1, {a: sigmoid(x)})
    True
    """
    names = set(where)
    if not (left.free_symbols & names and right.free_symbols & names):
        return False  # names on one side only: the cancellation is the written-out one
    if left.has(sp.Derivative, sp.Subs, sp.Integral, sp.Piecewise, sp.Float) or right.has(
            sp.Derivative, sp.Subs, sp.Integral, sp.Piecewise, sp.Float):
        return False
    return _cancels_as_atoms(left - right)


def _cancels_as_atoms(difference: sp.Expr) -> bool:
    """The difference is 0 as a rational function of its σ and softplus terms, each taken as a
    variable of its own: then it is 0 whatever they are, and writing them with exp (which makes
    the cancellation several times slower) is not needed."""
    if sp.count_ops(difference) > SYMBOLIC_SIZE_LIMIT:
        return False
    try:
        return numerator_vanishes(difference) or bool(sp.cancel(difference) == 0)
    except Exception:  # a SymPy failure proves nothing; the usual path decides
        return False


def _rounded_verdict(difference: sp.Expr, *sides: sp.Expr) -> ExactVerdict | None:
    """With rounded numbers about, only a constant difference far larger than their rounding
    proves anything: e + 1e-40 is not e, but 0.1 + 0.2 − 0.3 = 5.6e-17 is rounding."""
    if not difference.is_Number or difference == 0 or not difference.is_finite:
        return None
    scale = max((abs(f) for side in sides for f in side.atoms(sp.Float)), default=sp.S.Zero)
    if abs(difference) > ROUNDING * scale:
        return ExactVerdict("different", difference)
    return None


def elementary(expr: sp.Expr) -> sp.Expr:
    """Write σ and softplus with exp and log, so that cancellation can see through them."""
    replacements: dict[sp.Basic, sp.Expr] = {}
    for node in expr.atoms(sigmoid, softplus):
        replacements[node] = node.rewrite(sp.exp)
    return expr.xreplace(replacements) if replacements else expr


def _differentiated(expr: sp.Expr, where: Mapping[sp.Symbol, sp.Expr], memo: dict[Any, sp.Expr] | None = None) -> sp.Expr:
    """``expr.doit()`` with the substitutions put back, as the contract of DESIGN.md reads."""
    if memo is None:
        return resolve_where(expr.doit(), where).doit()
    key = (expr, scope_key(where, expr))
    if key not in memo:
        memo[key] = resolve_where(_doit(expr, memo), where).doit()
    return memo[key]


def _doit(expr: sp.Expr, memo: dict[Any, sp.Expr]) -> sp.Expr:
    """``expr.doit()``, each derivative in it taken once per ``memo``: a derivative a rule
    leaves in one step (d/dx of a factor) is the starting side of a later step."""
    derivatives = list(_outermost_derivatives(expr))
    if not derivatives:
        return expr.doit()
    values = {}
    for node in derivatives:
        key = ("doit", node)
        if key not in memo:
            memo[key] = node.doit()
        values[node] = memo[key]
    if isinstance(expr, sp.Derivative):
        return values[expr]
    return expr.xreplace(values).doit()


def _outermost_derivatives(expr: sp.Basic) -> Iterator[sp.Derivative]:
    pending = [expr]
    while pending:
        node = pending.pop()
        if isinstance(node, sp.Derivative):
            yield node
        else:
            pending.extend(node.args)


def scope_key(where: Mapping[sp.Symbol, sp.Expr], expr: sp.Basic) -> frozenset[tuple[sp.Symbol, sp.Expr]]:
    """The substitutions ``expr`` uses, as a key: two steps with different ``where`` give the
    same side the same meaning when the names it uses mean the same."""
    if not where:
        return frozenset()
    return frozenset((name, where[name]) for name in names_in_use(where, expr))


def _smaller_than(limit: int, *exprs: sp.Basic) -> bool:
    """The trees of ``exprs`` have fewer than ``limit`` nodes in all; stops counting at the limit."""
    count = 0
    for expr in exprs:
        for _ in sp.preorder_traversal(expr):
            count += 1
            if count >= limit:
                return False
    return True


def _expandable(expr: sp.Expr) -> bool:
    """Multiplying ``expr`` out gives at most :data:`EXPAND_TERM_LIMIT` terms."""
    return _terms(expr) <= EXPAND_TERM_LIMIT


def _terms(expr: sp.Basic) -> int:
    """An upper bound on the number of terms of ``expand(expr)``, computed without expanding."""
    if expr.is_Add:
        return min(sum(_terms(arg) for arg in expr.args), EXPAND_TERM_LIMIT + 1)
    if expr.is_Mul:
        count = 1
        for arg in expr.args:
            count = min(count * _terms(arg), EXPAND_TERM_LIMIT + 1)
        return count
    if expr.is_Pow and expr.exp.is_Integer and expr.exp > 0:
        inner = _terms(expr.base)
        power = int(expr.exp)
        if inner > 1 and power > EXPAND_TERM_LIMIT:
            return EXPAND_TERM_LIMIT + 1
        return min(comb(power + inner - 1, inner - 1), EXPAND_TERM_LIMIT + 1)
    return 1


# --- Numbers ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PointComparison:
    """Both sides at one point: their values (mpmath numbers), whether they agree, and the
    relative difference, against the larger value or the rounding noise where that is larger."""

    point: Mapping[sp.Symbol, Any]
    left: Any
    right: Any
    agree: bool
    error: Any
    complex: bool


@dataclass
class NumericOutcome:
    """What the points showed: how many agreed (real values; ``complex_agreed`` of them off
    the real line), the largest error among them, the first point where the sides differ, and
    why the points that could not be used were not."""

    agreed: int = 0
    complex_agreed: int = 0
    max_error: float = 0.0
    counterexample: PointComparison | None = None
    unusable: list[str] = field(default_factory=list)


class ValueMemo:
    """Values already computed, kept for the next comparison: the sides of a chain's steps are
    the same lines (one step's ``after`` is the next one's ``before``), compared at the same
    points, so each line is evaluated once per point and precision. A failed evaluation is
    remembered too. Values are kept as mpmath numbers of the context that computed them and
    handed out in the asking context, every digit kept."""

    def __init__(self) -> None:
        self.values: dict[Any, Any] = {}
        self.scopes: dict[Any, Any] = {}
        self.nodes: dict[Any, NodeMemo] = {}  # per point and digits: the values of subexpressions
        self._growing: dict[sp.Expr, bool] = {}

    def growing(self, expr: sp.Expr) -> bool:
        """:func:`symderiv.proof.magnitude.can_overflow`, once per line."""
        if expr not in self._growing:
            self._growing[expr] = can_overflow(expr)
        return self._growing[expr]

    def value(self, ctx: Any, expr: sp.Expr, point: Mapping[sp.Symbol, Any],
              where: Mapping[sp.Symbol, sp.Expr] | None, digits: int) -> Any:
        scope_id = (expr, id(where))
        scope = self.scopes.get(scope_id)
        if scope is None:
            used = scope_key(where or {}, expr)
            symbols = symbols_of([expr, *(value for _, value in used)]) - set(where or {})
            # ``where`` is kept alive with its id, so that the id names it while the memo lives
            scope = self.scopes[scope_id] = (where, used, sorted(symbols, key=lambda s: s.name))
        at = tuple((s.name, point[s]) for s in scope[2] if s in point)
        key = (expr, scope[1], at, digits)
        known = self.values.get(key)
        if known is None:
            whole_point = (tuple(sorted((s.name, v) for s, v in point.items())), digits)
            nodes = self.nodes.get(whole_point)
            if nodes is None:
                nodes = self.nodes[whole_point] = NodeMemo()
            try:
                known = evaluate(expr, point, where=where, digits=digits, context=ctx, memo=nodes)
            except NotNumeric as error:
                known = error
            self.values[key] = known
        if isinstance(known, NotNumeric):
            raise known
        if hasattr(known, "_mpc_"):
            return ctx.make_mpc(known._mpc_)
        return ctx.make_mpf(known._mpf_)


def compare_numerically(
    left: sp.Expr,
    right: sp.Expr,
    points: Iterable[Mapping[sp.Symbol, Any]],
    *,
    needed: int,
    digits: int,
    tolerance: Any,
    where: Mapping[sp.Symbol, sp.Expr] | None = None,
    largest: Any = None,
    memo: ValueMemo | None = None,
) -> NumericOutcome:
    """Compare both sides at ``points`` until ``needed`` agree or one differs.

    Values are computed with ``digits`` digits and agree when ``|a − b| ≤ tolerance·max(|a|, |b|)``
    or when their difference is rounding noise (see the module). Points where a side has no
    finite value, or (with ``largest``) a value larger than ``largest``, are not used. Points
    where a side is complex are used only when the real ones are too few. An expression without
    variables needs one point. With ``memo``, values computed before are not computed again.
    """
    outcome = NumericOutcome()
    complex_points: list[PointComparison] = []
    with working_context(digits + 10) as ctx:
        tol = ctx.convert(tolerance)
        for point in points:
            if outcome.agreed >= needed:
                break
            if largest is not None and _estimated_past(largest, left, right, point, where, memo):
                continue  # a side overflows a double here: past ``largest``, skipped unevaluated
            try:
                result = _compare_at(ctx, left, right, point, where, digits, tol, memo)
            except NotNumeric as error:
                outcome.unusable.append(f"{_describe(point)}: {error}")
                continue
            if largest is not None and max(abs(result.left), abs(result.right)) > largest:
                continue  # so steep that numerical differentiation cannot be trusted here
            if result.complex:
                complex_points.append(result)
                continue
            if not result.agree:
                outcome.counterexample = result
                return outcome
            outcome.max_error = max(outcome.max_error, float(result.error))
            # Without variables every point is the same point: one evaluation is the whole proof.
            outcome.agreed += 1 if point else needed
        for result in complex_points[: max(0, needed - outcome.agreed)]:
            if not result.agree:
                outcome.counterexample = result
                return outcome
            outcome.agreed += 1
            outcome.complex_agreed += 1
            outcome.max_error = max(outcome.max_error, float(result.error))
    return outcome


#: Orders of magnitude by which the double-precision estimate must pass ``largest`` before a
#: point is skipped unevaluated (the estimate is rough; past it, the values themselves decide).
ESTIMATE_MARGIN = 10


def _estimated_past(largest: Any, left: sp.Expr, right: sp.Expr, point: Mapping[sp.Symbol, Any],
                    where: Mapping[sp.Symbol, sp.Expr] | None, memo: ValueMemo | None) -> bool:
    """A side is, by :func:`symderiv.proof.magnitude.log10_magnitude`, far past ``largest``."""
    bound = math.log10(largest) + ESTIMATE_MARGIN
    for side in (left, right):
        growing = memo.growing(side) if memo is not None else can_overflow(side)
        if growing:
            estimate = log10_magnitude(side, point, where)
            if estimate is not None and estimate > bound:
                return True
    return False


def _compare_at(
    ctx: Any,
    left: sp.Expr,
    right: sp.Expr,
    point: Mapping[sp.Symbol, Any],
    where: Mapping[sp.Symbol, sp.Expr] | None,
    digits: int,
    tolerance: Any,
    memo: ValueMemo | None = None,
) -> PointComparison:
    a, b = _values(ctx, left, right, point, where, digits, memo)
    complex_ = is_off_real_line(a, digits, ctx) or is_off_real_line(b, digits, ctx)
    difference = abs(a - b)
    magnitude = max(abs(a), abs(b))
    if difference <= tolerance * magnitude:
        error = difference / magnitude if magnitude else ctx.mpf(0)
        return PointComparison(dict(point), a, b, True, error, complex_)
    # Disagreeing: a real difference, or the rounding noise of a cancellation? Look closer.
    try:
        a_closer, b_closer = _values(ctx, left, right, point, where, digits + EXTRA_DIGITS, memo)
    except NotNumeric:
        return PointComparison(dict(point), a, b, False, difference / magnitude, complex_)
    closer = abs(a_closer - b_closer)
    if closer <= difference * ctx.mpf(10) ** (-NOISE_SHRINK):
        # Noise: it fell with the precision. Its size at ``digits`` is the scale of resolution.
        error = closer / max(abs(a_closer), abs(b_closer), difference)
        return PointComparison(dict(point), a_closer, b_closer, True, error, complex_)
    if (a_closer == 0) != (b_closer == 0):
        return _zero_against_value(ctx, left, right, point, where, digits, tolerance, a_closer, b_closer, complex_)
    return PointComparison(dict(point), a_closer, b_closer, False, closer / max(abs(a_closer), abs(b_closer)), complex_)


def _values(
    ctx: Any, left: sp.Expr, right: sp.Expr, point: Mapping[sp.Symbol, Any],
    where: Mapping[sp.Symbol, sp.Expr] | None, digits: int, memo: ValueMemo | None = None,
) -> tuple[Any, Any]:
    """Both sides at ``point``, at ``digits`` digits, in ``ctx``."""
    if memo is not None:
        return (memo.value(ctx, left, point, where, digits), memo.value(ctx, right, point, where, digits))
    return (evaluate(left, point, where=where, digits=digits, context=ctx),
            evaluate(right, point, where=where, digits=digits, context=ctx))


def _zero_against_value(
    ctx: Any,
    left: sp.Expr,
    right: sp.Expr,
    point: Mapping[sp.Symbol, Any],
    where: Mapping[sp.Symbol, sp.Expr] | None,
    digits: int,
    tolerance: Any,
    a: Any,
    b: Any,
    complex_: bool,
) -> PointComparison:
    """One side exactly 0, the other not: a cancellation not yet resolved, or a real difference.

    The digits double, up to :data:`ZERO_CHECK_DIGITS`, while one side stays exactly 0. If the
    sides then agree, the zero was a cancellation below the precision; if not, the difference
    holds at every precision tried and the point is a counterexample (0 against 10⁻⁴⁰ stays one).
    """
    more = 2 * (digits + EXTRA_DIGITS)
    while (a == 0) != (b == 0) and more <= ZERO_CHECK_DIGITS:
        try:
            a, b = _values(ctx, left, right, point, where, more)
        except NotNumeric:
            break
        more *= 2
    difference, magnitude = abs(a - b), max(abs(a), abs(b))
    if (a == 0) != (b == 0) and magnitude < ctx.mpf(10) ** -UNRESOLVABLE_DIGITS:
        # 1 − σ(2900) ≈ 10⁻¹²⁶⁰ is exactly 0 at every precision tried: no number this small
        # tells a cancellation from a difference, so the point proves nothing either way.
        raise NotNumeric(f"a side is {ctx.nstr(magnitude, 3)}, too small to tell from 0 at {ZERO_CHECK_DIGITS} digits")
    agree = bool(difference <= tolerance * magnitude)
    return PointComparison(dict(point), a, b, agree, difference / magnitude if magnitude else ctx.mpf(0), complex_)


def is_off_real_line(value: Any, digits: int, context: Any = None) -> bool:
    """A value off the real line: its imaginary part is more than rounding noise beside its size.

    At ``digits`` digits, an imaginary part below 10^-(digits/2) of the value is noise.
    ``context`` is the mpmath context the value was computed in (mpmath's global one by default).

    >>> import mpmath
    >>> is_off_real_line(mpmath.mpc(1, 1e-20), 30), is_off_real_line(mpmath.mpc(1, 0.5), 30)
    (False, True)
    """
    ctx = context if context is not None else mpmath.mp
    return is_complex_number(value) and abs(value.imag) > ctx.mpf(10) ** (-(digits // 2)) * abs(value)


def random_value(rng: random.Random, attempt: int) -> Any:
    """A random coordinate of a point, away from 0 and ±1: positive first (inside most domains),
    then either sign, as ``attempt`` counts up. Exact, as an mpmath number of the global context,
    whatever the global precision.

    >>> import random
    >>> [0.15 <= random_value(random.Random(0), 0) <= 0.95, 1.1 <= random_value(random.Random(0), 1) <= 2.9]
    [True, True]
    """
    while True:
        if attempt % 3 == 0:
            value = rng.uniform(0.15, 0.95)
        elif attempt % 3 == 1:
            value = rng.uniform(1.1, 2.9)
        else:
            value = rng.uniform(-2.9, -0.15)
        if abs(abs(value) - 1) > 0.05:
            return mpmath.mp.make_mpf(mpmath.libmp.from_float(value))


def _describe(point: Mapping[sp.Symbol, Any]) -> str:
    return "at " + (", ".join(f"{s} = {v}" for s, v in point.items()) or "every point")
