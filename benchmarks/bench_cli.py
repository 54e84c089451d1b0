"""Benchmark: a cold ``symderiv derive`` against ``python -c "import sympy"``.

Each command runs as a fresh process, alternately, ``--repeat`` times; the medians of their
processor time (user + system, from ``getrusage(RUSAGE_CHILDREN)``, which the load of a shared
machine moves much less than the wall clock) and of their wall clock are compared.

    PYTHONPATH=. python benchmarks/bench_cli.py [--repeat 7] ["formula" ...]

Set PYTHONPATH to another checkout to measure it with the same interpreter.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time

FORMULAS = ["x**2", "1/(1+exp(-x))", "-y*log(sigmoid(w*x+b)) - (1-y)*log(1-sigmoid(w*x+b))"]


def run(command: list[str]) -> tuple[float, float]:
    """(processor seconds, wall seconds) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("formulas", nargs="*", default=FORMULAS)
    args = parser.parse_args()
    baseline = [sys.executable, "-c", "import sympy"]
    commands = {"import sympy": baseline, "symderiv --version": [sys.executable, "-m", "symderiv", "--version"]}
    for formula in args.formulas:
        wrt = ["--wrt", "w"] if "w" in formula else []
        commands[f"derive {formula}"] = [sys.executable, "-m", "symderiv", "derive", formula, *wrt]
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, command in commands.items():
            times[name].append(run(command))
    cpu0 = statistics.median(t[0] for t in times["import sympy"])
    wall0 = statistics.median(t[1] for t in times["import sympy"])
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}; median of {args.repeat}; PYTHONPATH={os.environ.get('PYTHONPATH', '')}")
    print(f"{'command':<64} {'cpu s':>6} {'ratio':>6} {'wall s':>7} {'ratio':>6}")
    for name in commands:
        cpu = statistics.median(t[0] for t in times[name])
        wall = statistics.median(t[1] for t in times[name])
        print(f"{name[:64]:<64} {cpu:>6.2f} {cpu / cpu0:>6.2f} {wall:>7.2f} {wall / wall0:>6.2f}")


if __name__ == "__main__":
    main()
