"""symderiv's pytest plugin: clearer failures for SymPy comparisons, and a fixture for formulas.

pytest loads it at start-up through the ``pytest11`` entry point (installing symderiv is
enough). Loading it imports neither SymPy nor the rest of symderiv: they are imported when a
failed comparison involves a SymPy expression, or when a test asks for the fixture.

What it adds:

- On request only (the ini option ``symderiv_explain = true`` or the flag
  ``--symderiv-explain``), explanations of failed SymPy comparisons. ``assert a == b`` between
  SymPy expressions compares *trees*, so a right formula in another shape fails; the
  explanation then says whether the two sides are the same function (and shows the way that
  works: ``sd.assert_equivalent``), or gives their difference and a point where they differ. A
  :class:`~symderiv.Derivation` compared with ``==`` is pointed to its ``.result``. It follows
  pytest's own comparison lines, and it takes at most :data:`EXPLAIN_SECONDS`; past that it is
  left out. Without the option, every suite in the environment keeps pytest's failures as they
  are (the plugin is installed with symderiv and loads everywhere).
- The fixture ``symderiv_check``, a :class:`FormulaCheck` with the assertions of
  :mod:`symderiv.testing.assertions` as methods, using the settings of the ini options ``symderiv_digits``
  and ``symderiv_points`` and the option ``--symderiv-seed``.

>>> FormulaCheck(digits=30, points=6, seed=0).derivative("x**3", "x", "3*x**2").method
'identical'
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

__all__ = ["EXPLAIN_SECONDS", "FormulaCheck", "pytest_addoption", "pytest_assertrepr_compare", "symderiv_check"]

#: The longest an explanation of a failed comparison may take; past it, pytest's lines alone.
EXPLAIN_SECONDS = 1.0


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("symderiv_digits", "digits symderiv's formula checks compute with (default 30)", default="30")
    parser.addini("symderiv_points", "points at which symderiv compares formulas numerically (default 6)", default="6")
    parser.addini("symderiv_explain", "explain failed == between SymPy expressions (default false)",
                  type="bool", default=False)
    group = parser.getgroup("symderiv", "symderiv formula checks")
    group.addoption(
        "--symderiv-explain",
        action="store_true",
        default=False,
        help="explain failed == between SymPy expressions: same function or not, and where they differ",
    )
    group.addoption(
        "--symderiv-seed",
        type=int,
        default=0,
        help="seed of the random points symderiv's formula checks use (default 0)",
    )


class FormulaCheck:
    """The assertions of :mod:`symderiv.testing.assertions`, with the suite's settings filled in.

    Each method raises :class:`~symderiv.testing.assertions.FormulaMismatchError` (an ``AssertionError``)
    when the formula is wrong, and returns how it was shown right otherwise.
    """

    def __init__(self, *, digits: int = 30, points: int = 6, seed: int = 0):
        self.digits = digits
        self.points = points
        self.seed = seed

    def _options(self) -> dict[str, int]:
        return {"digits": self.digits, "points": self.points, "seed": self.seed}

    def derivative(self, f: Any, wrt: Any, expected: Any, **options: Any) -> Any:
        """``expected`` is d f / d wrt: :func:`symderiv.testing.assertions.assert_derivative`."""
        __tracebackhide__ = True
        from .assertions import assert_derivative

        return assert_derivative(f, wrt, expected, **{**self._options(), **options})

    def equivalent(self, a: Any, b: Any, **options: Any) -> Any:
        """``a`` and ``b`` are the same function: :func:`symderiv.testing.assertions.assert_equivalent`."""
        __tracebackhide__ = True
        from .assertions import assert_equivalent

        return assert_equivalent(a, b, **{**self._options(), **options})

    def gradient(self, f: Any, wrts: Any, expected: Any, **options: Any) -> Any:
        """Each ``expected[i]`` is ∂f/∂wrts[i]: :func:`symderiv.testing.assertions.assert_gradient`."""
        __tracebackhide__ = True
        from .assertions import assert_gradient

        return assert_gradient(f, wrts, expected, **{**self._options(), **options})

    def numeric(self, f: Any, wrt: Any, expected: Any, **options: Any) -> Any:
        """``expected`` matches numerical derivatives of ``f``: :func:`symderiv.testing.assertions.numeric_check`."""
        __tracebackhide__ = True
        from .assertions import numeric_check

        return numeric_check(f, wrt, expected, **{"digits": self.digits, **options})

    def derivation(self, derivation: Any) -> Any:
        """Prove every step of a :class:`~symderiv.Derivation` again; return its report."""
        __tracebackhide__ = True
        return derivation.check(points=self.points, digits=self.digits, seed=self.seed)


@pytest.fixture
def symderiv_check(request: pytest.FixtureRequest) -> FormulaCheck:
    """Check formulas in a test: ``symderiv_check.derivative("sigmoid(x)", "x", expected)``."""
    config = request.config
    return FormulaCheck(
        digits=int(config.getini("symderiv_digits")),
        points=int(config.getini("symderiv_points")),
        seed=int(config.getoption("symderiv_seed")),
    )


def pytest_assertrepr_compare(config: pytest.Config, op: str, left: Any, right: Any) -> list[str] | None:
    """Explain a failed ``==`` between SymPy expressions or derivations, when the suite asked for
    it (``symderiv_explain``, ``--symderiv-explain``); None otherwise, and for anything else."""
    if op != "==" or not _asked(config) or not (_is_ours(left) or _is_ours(right)):
        return None
    try:
        ours = _within(EXPLAIN_SECONDS, _explain, left, right)
    except Exception:  # an explanation that fails or runs long must never hide the assertion
        return None
    if not ours:
        return None
    return _pytests_lines(config, op, left, right) + ["", "symderiv:"] + ["  " + line for line in ours[1:] if line]


def _asked(config: Any) -> bool:
    try:
        return bool(config.getoption("symderiv_explain") or config.getini("symderiv_explain"))
    except (ValueError, AttributeError):  # a config without our options (pytester's inner runs)
        return False


def _pytests_lines(config: Any, op: str, left: Any, right: Any) -> list[str]:
    """The comparison line pytest writes itself, ``left == right`` in their reprs (shortened),
    which ours follows."""
    return [f"{_short(left, repr)} {op} {_short(right, repr)}"]


class _Late(Exception):
    """The explanation ran past its time."""


def _within(seconds: float, function: Any, *args: Any) -> Any:
    """``function(*args)``, stopped with :class:`_Late` after ``seconds`` (a timer signal, in the
    main thread); elsewhere, where no timer can interrupt it, not run at all (None)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        return None

    def late(signum: int, frame: Any) -> None:
        raise _Late

    previous = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        return function(*args)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _is_ours(value: Any) -> bool:
    """A SymPy object or a symderiv Derivation, told without importing either."""
    sympy = sys.modules.get("sympy")
    return (sympy is not None and isinstance(value, sympy.Basic)) or _is_derivation(value)


def _is_derivation(value: Any) -> bool:
    # By name, not isinstance: a module imported afresh (pytester does that) holds a new class.
    kind = type(value)
    return kind.__name__ == "Derivation" and kind.__module__ == "symderiv.core.derivation"


def _explain(left: Any, right: Any) -> list[str] | None:
    import sympy as sp

    from .compare import Agreement, Counterexample, compare
    from .messages import tidy

    lines = [f"{_short(left)} == {_short(right)}", ""]
    sides = []
    for name, value in (("left", left), ("right", right)):
        if _is_derivation(value):
            lines.append(f"The {name} side is a Derivation; its formula is {name}.result = {value.result}")
            value = value.result
        sides.append(value)
    a, b = sides
    numbers = (int, float)
    # Numbers become SymPy numbers directly; nothing here is ever sympified (it may be text).
    if isinstance(a, numbers) and not isinstance(a, bool):
        a = sp.Integer(a) if isinstance(a, int) else sp.Float(a)
    if isinstance(b, numbers) and not isinstance(b, bool):
        b = sp.Integer(b) if isinstance(b, int) else sp.Float(b)
    if not (isinstance(a, sp.Expr) and isinstance(b, sp.Expr)):
        return lines if len(lines) > 2 else None
    if a == b:
        lines.append("The formulas themselves are equal: compare `.result`, not the Derivation.")
        return lines
    if not a.free_symbols and not b.free_symbols and (a.has(sp.Float) or b.has(sp.Float)):
        lines.append(
            f"As numbers: left = {sp.N(a, 15)}, right = {sp.N(b, 15)}, left − right = {sp.N(a - b, 3)}. "
            "== asks for exact equality; for rounded values use float(left) == pytest.approx(right, abs=...)"
        )
        return lines
    outcome = compare(a, b, rtol=None, points=4, digits=20, seed=0)
    lines.append("== compares SymPy expression trees, not the functions they stand for.")
    if isinstance(outcome, Agreement):
        how = {
            "symbolic": "their difference cancels to 0",
            "numeric": f"they agree at {outcome.points} points to 20 digits",
            "identical": "they are the same tree",
        }[outcome.method]
        lines += [
            f"These two are the same function ({how}); only their shapes differ.",
            "To compare formulas, use",
            "    sd.assert_equivalent(left, right)",
            "or, for a derivative of f in x,",
            "    sd.assert_derivative(f, x, expected)",
        ]
        return lines
    lines.append(f"They are different functions: left − right = {tidy(a - b)}")
    if isinstance(outcome, Counterexample):
        lines.append("  " + outcome.describe("left", "right"))
    return lines


def _short(value: Any, show: Any = str, limit: int = 80) -> str:
    if _is_derivation(value):
        asked = f"d/d{value.wrt} {value.expr}" if getattr(value, "order", 1) == 1 else str(value.start)
        text = f"<Derivation of {asked}>" if show is str else repr(value)
    else:
        text = show(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
