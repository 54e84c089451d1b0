"""Benchmark: how large derive's results are against SymPy's simplify of the same derivative.

Runs derive over the textbook corpus of tests/test_textbook_problems.py and the problems below
(trigonometry, quotients, activations and losses, σ and the cross-entropy with scale factors,
softmax), and compares each result's ``count_ops`` with ``sp.simplify(sp.diff(f, x))``'s. A result
is listed as *much larger* when it is more than twice simplify's size and more than ``--slack``
operations larger. Prints one line per problem and the list; records nothing by itself
(benchmarks/forms_size.md holds the runs).

    PYTHONPATH=. python benchmarks/forms_size.py [--slack 4] [--only-larger]
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path

import sympy as sp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import symderiv as sd  # noqa: E402
from test_textbook_problems import PROBLEMS  # noqa: E402

x, y, a, k, t = sp.symbols("x y a k t")
z1, z2, z3 = sp.symbols("z1 z2 z3")
sigma = sd.sigmoid
e = sp.exp


def _softmax(index: int, *zs: sp.Symbol) -> sp.Expr:
    return e(zs[index]) / sp.Add(*(e(z) for z in zs))


#: (problem, variable): beyond the textbook corpus, the kinds of formula the held-out set found.
MORE: list[tuple[sp.Expr, sp.Symbol]] = [
    # trigonometry: one family, identities that cancel
    (sp.sec(x) ** 2 - sp.tan(x) ** 2, x),
    (sp.csc(x) ** 2 - sp.cot(x) ** 2, x),
    (sp.sin(x) ** 2 + sp.cos(x) ** 2, x),
    (sp.cosh(x) ** 2 - sp.sinh(x) ** 2, x),
    (sp.tan(x) * sp.cos(x), x),
    (sp.sin(x) * sp.cos(x), x),
    (sp.sin(x) / sp.cos(x), x),
    (sp.sec(x) * sp.cos(x), x),
    (sp.log(sp.cos(x)), x),
    (sp.log(sp.cosh(x)), x),
    (sp.log(sp.sec(x) + sp.tan(x)), x),
    (sp.tan(x) ** 2, x),
    (sp.sin(2 * x) / sp.cos(2 * x), x),
    # quotients that cancel
    (sp.cos(x) / (1 + sp.sin(x)), x),
    (sp.sin(x) / (1 + sp.cos(x)), x),
    ((1 - sp.cos(x)) / sp.sin(x), x),
    (sp.cosh(x) / (1 + sp.sinh(x)), x),
    ((x**2 - 1) / (x - 1), x),
    ((x + 1) / (x - 1), x),
    (x**2 / (x + 1), x),
    ((sp.exp(x) - 1) / (sp.exp(x) + 1), x),
    # σ and the logistic forms, scale factors of every kind
    (sigma(x) + sigma(-x), x),
    (sigma(x) * (1 - sigma(x)), x),
    (sp.exp(-x) / (1 + sp.exp(-x)) ** 2, x),
    (1 / (1 + sp.exp(-2 * x)), x),
    (1 / (1 + sp.exp(-k * x)), x),
    (sp.Float(1.0) / (sp.Float(1.0) + sp.exp(sp.Float(-0.5) * x)), x),
    (x / (1 + sp.exp(sp.Float(-1.702) * x)), x),
    (x / (1 + sp.exp(-x)), x),
    (x * sigma(x), x),
    (1 / (1 + sp.exp(-x / 2)), x),
    (sp.exp(3 * x) / (1 + sp.exp(3 * x)), x),
    (sp.log(sigma(x)), x),
    (sp.log(1 - sigma(x)), x),
    # losses
    (-(y * sp.log(a) + (1 - y) * sp.log(1 - a)), a),
    ((a - y) ** 2 / 2, a),
    (-(y * sp.log(sigma(k * x)) + (1 - y) * sp.log(1 - sigma(k * x))), x),
    (-(y * sp.log(sigma(t)) + (1 - y) * sp.log(1 - sigma(t))), t),
    (sp.log(1 + sp.exp(-y * x)), x),
    # activations
    (sp.tanh(x), x),
    (sp.tanh(x) ** 2, x),
    (sd.softplus(2 * x), x),
    (sp.log(1 + sp.exp(2 * x)) / 2, x),
    (x * sp.tanh(sd.softplus(x)), x),
    ((sp.exp(x) - sp.exp(-x)) / (sp.exp(x) + sp.exp(-x)), x),
    (2 * sigma(2 * x) - 1, x),
    # softmax
    (_softmax(0, z1, z2), z1),
    (_softmax(0, z1, z2), z2),
    (_softmax(0, z1, z2, z3), z1),
    (_softmax(1, z1, z2, z3), z1),
    (sp.log(_softmax(0, z1, z2)), z1),
]


def _size(expr: sp.Expr) -> int:
    return int(sp.count_ops(expr))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--slack", type=int, default=4, help="operations larger than simplify's that still count as close")
    parser.add_argument("--only-larger", action="store_true", help="print only the results much larger than simplify's")
    args = parser.parse_args()

    problems = [(p, v) for p, v, _, _ in PROBLEMS] + MORE
    larger: list[str] = []
    start = time.perf_counter()
    print(f"{'problem':<48} {'ours':>5} {'simplify':>8}")
    for problem, variable in problems:
        label = f"d/d{variable} {problem}"[:48]
        try:
            ours = sd.derive(problem, variable).result
        except Exception as error:  # a failure is a finding, not the end of the run
            print(f"{label:<48} failed: {type(error).__name__}: {error}")
            larger.append(f"{label}: failed")
            continue
        theirs = sp.simplify(sp.diff(problem, variable))
        ours_size, theirs_size = _size(ours), _size(theirs)
        much = ours_size > 2 * theirs_size and ours_size > theirs_size + args.slack
        if much:
            larger.append(f"{label}: {ours_size} against {theirs_size}: {ours}  |  simplify: {theirs}")
        if much or not args.only_larger:
            print(f"{label:<48} {ours_size:>5} {theirs_size:>8}{'  MUCH LARGER' if much else ''}")
    print()
    print(f"machine: {platform.machine()} python {platform.python_version()} sympy {sp.__version__}")
    print(f"problems: {len(problems)} ({len(PROBLEMS)} textbook, {len(MORE)} more), {time.perf_counter() - start:.0f} s")
    print(f"results more than twice simplify's size and more than {args.slack} operations larger: {len(larger)}")
    for line in larger:
        print(f"  {line}")


if __name__ == "__main__":
    main()
