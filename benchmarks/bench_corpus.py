"""Benchmark: symderiv.derive on the held-out corpus (benchmarks/corpus.py), against
``sympy.simplify(sympy.diff(...))`` and against plain ``sympy.diff``, in one process.

SymPy's cache is cleared before every timed call, so no side profits from another's work. Each
call is timed ``--repeat`` times, in processor time, and the fastest kept. Prints one line per problem, then the
median ratio derive / simplify(diff) over the whole corpus, over the σ and cross-entropy
problems, per class, and derive / diff over the antiderivatives.

    PYTHONPATH=. python benchmarks/bench_corpus.py [--repeat 3] [--kind bce] [--detail textbook]

A ratio below 1 means the steps and their proofs cost less than what a SymPy user already pays.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import sympy as sp
from sympy.core.cache import clear_cache

sys.path.insert(0, str(Path(__file__).resolve().parent))

import symderiv as sd  # noqa: E402
from corpus import KINDS, PROBLEMS  # noqa: E402


def best_time(function, repeat: int) -> float:
    """The fastest of ``repeat`` runs, each from a cleared cache, in seconds of this process's
    processor time (``time.process_time``): on a machine shared with other work, wall-clock
    times of the two sides, taken moments apart, move with the load; processor time much less."""
    best = float("inf")
    for _ in range(repeat):
        clear_cache()
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kind", action="append", choices=KINDS, help="only these classes (repeatable)")
    parser.add_argument("--detail", choices=tuple(sd.DETAILS), default="textbook")
    args = parser.parse_args()
    problems = [p for p in PROBLEMS if not args.kind or p.kind in args.kind]
    sd.derive("x**2", "x")  # imports done before the clock starts

    ratios: dict[str, list[float]] = defaultdict(list)
    to_diff: dict[str, list[float]] = defaultdict(list)
    totals = [0.0, 0.0, 0.0]
    print(f"{'problem':<56} {'derive ms':>10} {'simp(diff) ms':>14} {'diff ms':>8} {'ratio':>6} {'/diff':>6}")
    for problem in problems:
        expr, wrt = problem.expr, problem.wrt
        ours = best_time(lambda: sd.derive(expr, wrt, detail=args.detail), args.repeat)
        simplified = best_time(lambda: sp.simplify(sp.diff(expr, wrt)), args.repeat)
        plain = best_time(lambda: sp.diff(expr, wrt), args.repeat)
        ratios[problem.kind].append(ours / simplified)
        to_diff[problem.kind].append(ours / plain)
        for i, value in enumerate((ours, simplified, plain)):
            totals[i] += value
        print(f"{problem.label[:56]:<56} {ours * 1e3:>10.1f} {simplified * 1e3:>14.1f} {plain * 1e3:>8.1f} "
              f"{ours / simplified:>6.2f} {ours / plain:>6.1f}")

    every = [r for rs in ratios.values() for r in rs]
    ml = [r for kind in ("sigmoid", "bce") for r in ratios.get(kind, [])]
    print()
    print(f"machine: {platform.machine()} {platform.processor() or ''}, {os.cpu_count()} cores, "
          f"python {platform.python_version()}, sympy {sp.__version__}, load {os.getloadavg()[0]:.1f}")
    print(f"problems: {len(problems)}, detail {args.detail}, best of {args.repeat}")
    print(f"median ratio derive / simplify(diff): {statistics.median(every):.2f}")
    if ml:
        print(f"median ratio on σ and cross-entropy problems: {statistics.median(ml):.2f} (largest {max(ml):.2f})")
    if to_diff.get("antiderivative"):
        anti = to_diff["antiderivative"]
        print(f"antiderivatives, derive / diff: median {statistics.median(anti):.1f}, largest {max(anti):.1f}")
    print(f"total: derive {totals[0]:.2f} s, simplify(diff) {totals[1]:.2f} s, diff {totals[2]:.2f} s")
    print()
    print(f"{'class':<16} {'n':>3} {'median derive/simp(diff)':>25} {'median derive/diff':>19}")
    for kind in KINDS:
        if ratios.get(kind):
            print(f"{kind:<16} {len(ratios[kind]):>3} {statistics.median(ratios[kind]):>25.2f} "
                  f"{statistics.median(to_diff[kind]):>19.1f}")


if __name__ == "__main__":
    main()
