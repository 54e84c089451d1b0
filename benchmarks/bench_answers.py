"""Benchmark: ``symderiv check --answers`` with --jobs 2 against --jobs 1.

The answers are the problems of tests/test_textbook_problems.py, each twice: once with its
right derivative and once with a slip (the derivative times 2), repeated to ``--count``
answers. Each run starts from an empty output file.

    python benchmarks/bench_answers.py [--count 1000]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from test_textbook_problems import PROBLEMS  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    answers = folder / "answers.csv"
    with answers.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["formula", "derivative", "variable", "id"])
        for n in range(args.count):
            problem, variable, answer, _ = PROBLEMS[(n // 2) % len(PROBLEMS)]
            claimed = answer if n % 2 == 0 else f"2*({answer})"
            writer.writerow([str(problem), str(claimed), str(variable), str(n)])
    times = {}
    for jobs in (1, 2):
        out = folder / f"v{jobs}.jsonl"
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "symderiv", "check", "--answers", str(answers), "--output", str(out),
                        "--jobs", str(jobs)], capture_output=True, text=True)
        times[jobs] = time.perf_counter() - start
        lines = out.read_text().splitlines()
        print(f"--jobs {jobs}: {len(lines)} verdicts in {times[jobs]:.1f} s ({len(lines) / times[jobs]:.1f} per second)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"speed-up of --jobs 2 over --jobs 1: {times[1] / times[2]:.2f}×")


if __name__ == "__main__":
    main()
