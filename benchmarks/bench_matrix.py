"""Benchmark: matrix calculus (issue 15), each result derived and proven, against SymPy's scalar route.

For each result of tests/test_matrix_calculus.py, in one process: ``sd.derive(f, W)`` (every step
proven entry by entry, symbolically and at 4 random points at 30 digits), the first call and the
best of ``--repeat`` from a cleared SymPy cache; and, as the baseline, what a SymPy user can do
instead: write f out with explicit symbolic matrices at the sizes the proofs use and take
``sympy.diff`` entry by entry (no steps, no proof, no matrix form). Goal: each result in ≤ 1 s.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_matrix.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import sympy as sp
from sympy.core.cache import clear_cache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import symderiv as sd  # noqa: E402
from symderiv.proof.matrix import explicit, shapes_of  # noqa: E402
from test_matrix_calculus import RESULTS  # noqa: E402


def seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def best_time(function, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        clear_cache()
        best = min(best, seconds(function))
    return best


def scalar_route(loss: sp.Basic, variable: sp.MatrixSymbol) -> None:
    shapes = shapes_of(loss, variable)
    f = explicit(loss, shapes)
    f = f[0, 0] if hasattr(f, "shape") else f
    shapes.matrices[variable].applyfunc(lambda e: sp.diff(f, e))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{platform.processor() or platform.machine()}, Python {platform.python_version()}, "
          f"SymPy {sp.__version__}")
    print(f"{'result':<10} {'first s':>8} {'best s':>8} {'steps':>6} {'scalar diff s':>14} {'ratio':>7}")
    for param in RESULTS:
        loss, variable, _ = param.values
        first = seconds(lambda: sd.derive(loss, variable))
        best = best_time(lambda: sd.derive(loss, variable), args.repeat)
        steps = len(sd.derive(loss, variable).steps)
        baseline = best_time(lambda: scalar_route(loss, variable), args.repeat)
        print(f"{param.id:<10} {first:>8.2f} {best:>8.2f} {steps:>6} {baseline:>14.3f} {best / baseline:>7.0f}")


if __name__ == "__main__":
    main()
