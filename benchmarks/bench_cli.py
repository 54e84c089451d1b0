"""Benchmark: a cold ``symderiv derive`` against ``python -c "import sympy"``.

Each command runs as a fresh process, alternately, ``--repeat`` times; the medians of their
processor time (user + system, from ``getrusage(RUSAGE_CHILDREN)``, which the load of a shared
machine moves much less than the wall clock) and of their wall clock are compared.

    PYTHONPATH=. python benchmarks/bench_cli.py [--repeat 7] [--before DIR] ["formula" ...]

Set PYTHONPATH to another checkout to measure it with the same interpreter. ``--before DIR``
runs every symderiv command a second time with ``PYTHONPATH=DIR`` (another checkout, say the
branch point), in the same rounds, so both sides see the same load.

Python reads each module's cached bytecode (``__pycache__``) when it is there; with
``PYTHONDONTWRITEBYTECODE`` set and no cache, every symderiv module is compiled from source on
each run (about 0.25 s more). The first line says whether the checkouts had a cache.
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
from pathlib import Path

FORMULAS = ["x**2", "1/(1+exp(-x))", "-y*log(sigmoid(w*x+b)) - (1-y)*log(1-sigmoid(w*x+b))"]


def run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(processor seconds, wall seconds) of one run of ``command``, in the checkout its
    PYTHONPATH names (``python -m`` puts the working directory first on the path)."""
    cwd = Path(env.get("PYTHONPATH") or ".").resolve()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def _cached(path: str) -> str:
    package = Path(path or ".") / "symderiv"
    return "cached" if (package / "__pycache__").is_dir() else "no bytecode cache"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--before", help="another checkout, run alternately with this one")
    parser.add_argument("formulas", nargs="*", default=FORMULAS)
    args = parser.parse_args()
    python = [sys.executable]
    symderiv = {"symderiv --version": ["--version"], "symderiv derive --help": ["derive", "--help"]}
    for formula in args.formulas:
        wrt = ["--wrt", "w"] if "w" in formula else []
        symderiv[f"derive {formula}"] = ["derive", formula, *wrt]
    here = os.environ.get("PYTHONPATH", "")
    sides = {"": dict(os.environ)}
    if args.before:
        sides = {"before: ": {**os.environ, "PYTHONPATH": args.before}, "after: ": dict(os.environ)}
    commands: dict[str, tuple[list[str], dict[str, str]]] = {"import sympy": ([*python, "-c", "import sympy"], dict(os.environ))}
    for name, arguments in symderiv.items():
        for side, env in sides.items():
            commands[side + name] = ([*python, "-m", "symderiv", *arguments], env)
    for side, env in sides.items():  # which checkout each side really imports
        where = subprocess.run([*python, "-c", "import symderiv; print(symderiv.__file__)"], env=env, check=True,
                               cwd=Path(env.get("PYTHONPATH") or ".").resolve(), capture_output=True, text=True)
        print(f"{side or 'symderiv: '}{where.stdout.strip()}")
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, (command, env) in commands.items():
            times[name].append(run(command, env))
    cpu0 = statistics.median(t[0] for t in times["import sympy"])
    wall0 = statistics.median(t[1] for t in times["import sympy"])
    checkouts = f"PYTHONPATH={here} ({_cached(here)})"
    if args.before:
        checkouts += f", before {args.before} ({_cached(args.before)})"
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.1f}; median of {args.repeat}; {checkouts}")
    print(f"{'command':<64} {'cpu s':>6} {'ratio':>6} {'wall s':>7} {'ratio':>6}")
    for name in commands:
        cpu = statistics.median(t[0] for t in times[name])
        wall = statistics.median(t[1] for t in times[name])
        print(f"{name[:64]:<64} {cpu:>6.2f} {cpu / cpu0:>6.2f} {wall:>7.2f} {wall / wall0:>6.2f}")


if __name__ == "__main__":
    main()
