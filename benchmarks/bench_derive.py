"""Benchmark: symderiv.derive (steps, target forms and proofs) against sympy.diff + sympy.simplify.

Runs the textbook corpus of tests/test_textbook_problems.py in one process. SymPy's cache is
cleared before every timed call, so neither side profits from the other's work. Prints one line
per problem and the median ratio derive / (diff + simplify); a ratio below 1 means the steps and
their proofs cost less than what a SymPy user already pays for diff and simplify.

    python benchmarks/bench_derive.py [--repeat 3] [--detail textbook|full]

``--detail`` picks the level of detail derived (textbook: the main chain and its
sub-derivations, each finished and proven; full: the flat chain).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

import sympy as sp
from sympy.core.cache import clear_cache

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import symderiv as sd  # noqa: E402
from test_textbook_problems import PROBLEMS  # noqa: E402


def best_time(function, repeat: int) -> float:
    """The fastest of ``repeat`` runs, each from a cleared cache, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        clear_cache()
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--detail", choices=tuple(sd.DETAILS), default="textbook")
    args = parser.parse_args()
    detail = args.detail

    x = sp.Symbol("x")
    clear_cache()
    start = time.perf_counter()
    sd.derive(1 / (1 + sp.exp(-x)), x)
    first_sigma = time.perf_counter() - start

    ratios = []
    derive_total = baseline_total = 0.0
    fallbacks = 0
    steps = 0
    print(f"{'problem':<42} {'derive ms':>10} {'diff+simplify ms':>17} {'ratio':>7}")
    for problem, variable, _, _ in PROBLEMS:
        derivation = sd.derive(problem, variable, detail=detail)
        fallbacks += derivation.fallback_count
        steps += len(derivation.all_rules)
        ours = best_time(lambda: sd.derive(problem, variable, detail=detail), args.repeat)
        theirs = best_time(lambda: sp.simplify(sp.diff(problem, variable)), args.repeat)
        ratios.append(ours / theirs)
        derive_total += ours
        baseline_total += theirs
        label = f"d/d{variable} {problem}"[:42]
        print(f"{label:<42} {ours * 1e3:>10.1f} {theirs * 1e3:>17.1f} {ours / theirs:>7.2f}")

    sigma_times = best_time(lambda: sd.derive(1 / (1 + sp.exp(-x)), x), args.repeat)
    print()
    print(f"detail: {detail}; steps counted at every level")
    print(f"machine: {platform.machine()} {platform.processor() or ''} python {platform.python_version()} sympy {sp.__version__}")
    print(f"problems: {len(PROBLEMS)}, steps: {steps}, fallback steps: {fallbacks} ({fallbacks / steps:.1%})")
    print(f"median ratio derive / (diff + simplify): {statistics.median(ratios):.2f}")
    print(f"total: derive {derive_total:.2f} s, diff + simplify {baseline_total:.2f} s, ratio {derive_total / baseline_total:.2f}")
    print(f"σ written out, first derivation after import: {first_sigma * 1e3:.0f} ms; from a cleared cache: {sigma_times * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
