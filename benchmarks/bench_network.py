"""Benchmark: ∂J/∂θ for every weight, by symderiv's reverse mode against ``sympy.diff``.

For depth D = 1 … 200 (D weight layers: sizes [w]*D + [1]) at widths w = 2 and 3, time and
write out the gradient of the regularized cross-entropy cost J(Θ) for every weight:

- symderiv: ``sd.network(sizes).gradients()``, network construction included, with the local
  derivatives derived afresh by the core engine each time ("cold") and from its cache ("warm");
  size: every gradient plus every binding (z, a, δ) it refers to;
- naive: ``sympy.diff(net.cost, θ)`` for every weight, the cost written out in Θ, x and y; run in a
  child process per depth and stopped after ``--limit`` seconds (60); once a depth is stopped,
  deeper ones are not tried. Size: the derivatives as written.

Sizes are expression-tree nodes, repeated subexpressions counted each time (what printing
writes). SymPy's cache is cleared before each timed call. Run from the repository root:

    PYTHONPATH=. python benchmarks/bench_network.py [--quick] [--write benchmarks/network.md]
"""

from __future__ import annotations

import argparse
import datetime
import gc
import multiprocessing
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass

import sympy as sp
from sympy.core.cache import clear_cache

import symderiv as sd
from symderiv.models.network import tree_size
from symderiv.models.network.local import local_forms

DEPTHS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 16, 24, 32, 48, 64, 96, 128, 160, 200)
QUICK_DEPTHS = (1, 2, 3, 4, 5, 6, 8, 16, 32)
WIDTHS = (2, 3)


@dataclass
class Row:
    width: int
    depth: int
    weights: int
    cold: float
    warm: float
    size: int
    naive: float | None  # None: stopped at the limit, or not tried
    naive_size: int | None
    naive_note: str = ""


def sizes_for(width: int, depth: int) -> list[int]:
    return [width] * depth + [1]


def ours(width: int, depth: int) -> tuple[float, float, int, int]:
    """(cold seconds, warm seconds, tree size, weights) for net.gradients()."""
    local_forms.cache_clear()
    clear_cache()
    gc.collect()
    start = time.perf_counter()
    gradients = sd.network(sizes_for(width, depth)).gradients()
    cold = time.perf_counter() - start
    warm = float("inf")
    for _ in range(3):  # best of three: the machine is shared
        clear_cache()
        gc.collect()
        start = time.perf_counter()
        sd.network(sizes_for(width, depth)).gradients()
        warm = min(warm, time.perf_counter() - start)
    return cold, warm, gradients.size(), len(gradients)


def _naive_child(width: int, depth: int, queue: multiprocessing.Queue) -> None:
    net = sd.network(sizes_for(width, depth))
    cost = net.cost
    clear_cache()
    start = time.perf_counter()
    derivatives = [sp.diff(cost, theta) for theta in net.weights]
    elapsed = time.perf_counter() - start
    queue.put((elapsed, tree_size(*derivatives)))


def naive(width: int, depth: int, limit: float) -> tuple[float | None, int | None]:
    """(seconds, tree size) of sympy.diff for every weight, or (None, None) past ``limit``."""
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue = context.Queue()
    child = context.Process(target=_naive_child, args=(width, depth, queue))
    child.start()
    try:
        elapsed, size = queue.get(timeout=limit + 5)
    except Exception:  # queue.Empty: the child ran past the limit
        child.kill()
        child.join()
        return None, None
    child.join()
    if elapsed > limit:
        return None, None
    return elapsed, size


def machine() -> str:
    try:
        model = next(
            line.split(":", 1)[1].strip()
            for line in subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout.splitlines()
            if line.startswith("Model name")
        )
    except (OSError, StopIteration, subprocess.CalledProcessError):
        model = platform.processor() or "unknown CPU"
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip() or "?"
    return (
        f"{model}, {cores} cores ({platform.machine()}), Python {platform.python_version()}, "
        f"SymPy {sp.__version__}"
    )


def run(depths: tuple[int, ...], limit: float, progress: bool = True) -> list[Row]:
    rows = []
    for width in WIDTHS:
        naive_stopped = False
        for depth in depths:
            cold, warm, size, weights = ours(width, depth)
            if naive_stopped:
                naive_time, naive_size, note = None, None, "not tried"
            else:
                naive_time, naive_size = naive(width, depth, limit)
                note = "" if naive_time is not None else f"> {limit:.0f} s"
                naive_stopped = naive_time is None
            row = Row(width, depth, weights, cold, warm, size, naive_time, naive_size, note)
            rows.append(row)
            if progress:
                print(_line(row), file=sys.stderr, flush=True)
    return rows


def _line(row: Row) -> str:
    naive_time = f"{row.naive:.3f}" if row.naive is not None else row.naive_note
    naive_size = f"{row.naive_size}" if row.naive_size is not None else "–"
    ratio = _ratio(row.naive / row.cold) if row.naive is not None else "–"
    return (
        f"| {row.width} | {row.depth} | {row.weights} | {row.cold:.3f} | {row.warm:.3f} | {row.size} "
        f"| {naive_time} | {naive_size} | {ratio} |"
    )


def _ratio(value: float) -> str:
    return f"{value:.0f}×" if value >= 10 else f"{value:.1f}×"


def slope(rows: list[Row], width: int) -> tuple[float, float]:
    """Least-squares seconds per layer of the warm times from depth 16 on, and the fit's R²."""
    deep = [r for r in rows if r.width == width and r.depth >= 16]
    if len(deep) < 3:
        deep = [r for r in rows if r.width == width]
    n = len(deep)
    mean_x = sum(r.depth for r in deep) / n
    mean_y = sum(r.warm for r in deep) / n
    sxx = sum((r.depth - mean_x) ** 2 for r in deep)
    s = sum((r.depth - mean_x) * (r.warm - mean_y) for r in deep) / sxx
    residual = sum((r.warm - mean_y - s * (r.depth - mean_x)) ** 2 for r in deep)
    total = sum((r.warm - mean_y) ** 2 for r in deep)
    return s, 1 - residual / total if total else 1.0


def report(rows: list[Row], limit: float) -> str:
    lines = [
        "# Benchmark: the gradient of a network's cost, reverse mode against `sympy.diff`",
        "",
        "`PYTHONPATH=. python benchmarks/bench_network.py --write benchmarks/network.md` "
        "(issue 7). Depth D is the number of weight layers: sizes `[w]*D + [1]`, the regularized "
        "cross-entropy cost J(Θ) of one sample, ∂J/∂θ for every weight.",
        "",
        f"Recorded {datetime.date.today().isoformat()} on {machine()}, load average "
        f"{os.getloadavg()[0]:.1f} at the end (a shared machine: times below 0.1 s are noisy).",
        "",
        "- **symderiv**: `sd.network(sizes).gradients()`, building the network included; *cold*: "
        "the local derivatives (σ′ = a(1 − a), ∂E/∂z = a − y, ∂z/∂θ = a, ∂z/∂a = θ, (λ/m)θ) derived "
        "and proven afresh by the core engine (about 0.1 s whatever the depth), *warm*: taken from "
        "its cache, best of 3. Size: every gradient and every binding (z, a, δ) they use.",
        f"- **naive**: `sympy.diff(net.cost, θ)` for every weight, the cost written out in Θ, x, y; a "
        f"child process per depth, stopped at {limit:.0f} s, deeper depths then not tried. Size: the "
        "derivatives as written.",
        "- Sizes are expression-tree nodes, a repeated subexpression counted each time it appears. "
        "SymPy's cache is cleared before each timed call. Ratio: naive / symderiv cold.",
        "",
        "| width | depth D | weights | symderiv cold s | warm s | size | naive s | naive size | ratio |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [_line(row) for row in rows]
    lines.append("")
    for width in WIDTHS:
        per_layer, r_squared = slope(rows, width)
        by_depth = {r.depth: r for r in rows if r.width == width}
        mine = sorted((r for r in rows if r.width == width), key=lambda r: r.depth)
        growth = {mine[k + 1].size - mine[k].size for k in range(1, len(mine) - 1)
                  if mine[k + 1].depth == mine[k].depth + 1}
        per = f"{growth.pop()} nodes per layer, exactly" if len(growth) == 1 else "size growth varies"
        line = (f"- width {width}: size {per}; time {per_layer * 1000:.2f} ms per layer "
                f"(least squares on the warm times from D = 16, R² = {r_squared:.3f})")
        if 200 in by_depth:
            line += f"; D = 200 in {by_depth[200].cold:.2f} s cold"
        if 8 in by_depth and by_depth[8].naive is not None:
            line += (f"; at D = 8, {_ratio(by_depth[8].naive / by_depth[8].cold)} faster than naive cold, "
                     f"{_ratio(by_depth[8].naive / by_depth[8].warm)} warm")
        lines.append(line + ".")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few depths, naive stopped at 5 s")
    parser.add_argument("--limit", type=float, default=None, help="seconds before the naive run is stopped (60)")
    parser.add_argument("--write", default=None, help="also write the Markdown report to this file")
    args = parser.parse_args()
    limit = args.limit if args.limit is not None else (5.0 if args.quick else 60.0)
    rows = run(QUICK_DEPTHS if args.quick else DEPTHS, limit)
    text = report(rows, limit)
    print(text)
    if args.write:
        with open(args.write, "w", encoding="utf-8") as out:
            out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
