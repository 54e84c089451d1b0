"""``symderiv check --answers``: a grader's file in, one verdict per answer out, resumable.

The right and wrong answers are textbook facts (σ′ = σ(1 − σ), d/dx x² = 2x); a wrong one is
wrong by a slip a student makes (the chain rule's inner factor left out).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ANSWERS = [
    {"id": "right-sigmoid", "formula": "sigmoid(x)", "derivative": "sigmoid(x)*(1-sigmoid(x))", "variable": "x"},
    {"id": "wrong-chain", "formula": "sin(x**2)", "derivative": "cos(x**2)", "variable": "x"},
    {"id": "right-power", "formula": "x**3", "derivative": "3*x**2"},
    {"id": "unreadable", "formula": "1+", "derivative": "2", "variable": "x"},
]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symderiv", "check", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=300)


def verdicts(path: Path) -> dict[str, dict]:
    return {item["id"]: item for item in map(json.loads, path.read_text().splitlines())}


@pytest.fixture
def answers_csv(tmp_path: Path) -> Path:
    path = tmp_path / "answers.csv"
    lines = ["formula,derivative,variable,id"]
    lines += [f'"{a["formula"]}","{a["derivative"]}",{a.get("variable", "")},{a["id"]}' for a in ANSWERS]
    path.write_text("\n".join(lines) + "\n")
    return path


def test_each_answer_gets_its_verdict_with_the_counterexample_and_the_departure(answers_csv, tmp_path):
    done = run("--answers", str(answers_csv), "--output", "v.jsonl", "--jobs", "2", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # one answer is wrong
    found = verdicts(tmp_path / "v.jsonl")
    assert set(found) == {a["id"] for a in ANSWERS}
    assert found["right-sigmoid"]["verdict"] == "right" and found["right-power"]["verdict"] == "right"
    wrong = found["wrong-chain"]
    assert wrong["verdict"] == "wrong"
    assert "at x = " in wrong["counterexample"]
    assert "chain" in wrong["departure"] or "power" in wrong["departure"]  # d/dx x² taken as 1
    assert found["unreadable"]["verdict"] == "error" and "position 2" in found["unreadable"]["error"]
    assert "4 answers: 2 right, 1 wrong, 1 not checked" in done.stderr


def test_json_lines_are_read_too_and_verdicts_go_to_standard_output_without_a_file(tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ANSWERS[:1] + ANSWERS[2:3]) + "\n")
    done = run("--answers", str(path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted(item["verdict"] for item in lines) == ["right", "right"]


def test_a_second_run_skips_what_the_output_already_holds(answers_csv, tmp_path):
    out = tmp_path / "v.jsonl"
    run("--answers", str(answers_csv), "--output", str(out), cwd=tmp_path)
    lines = out.read_text().splitlines()
    kept = [line for line in lines if json.loads(line)["id"] != "right-power"]
    out.write_text("\n".join(kept) + "\n" + '{"id": "right-po')  # an interrupted write, cut short
    done = run("--answers", str(answers_csv), "--output", str(out), cwd=tmp_path)
    assert done.returncode == 1
    again = [json.loads(line) for line in out.read_text().splitlines() if line.endswith("}")]
    assert [item["id"] for item in again].count("right-power") == 1  # checked again, once
    assert [item["id"] for item in again].count("right-sigmoid") == 1  # not checked twice


def test_an_answer_past_its_budget_is_an_error_and_the_others_go_on(tmp_path):
    path = tmp_path / "answers.csv"
    slow = "*".join(f"sin({k}*x)" for k in range(1, 41))  # 40 factors: seconds of work, within the size limits
    path.write_text(f"formula,derivative,variable\n{slow},1,x\nx**2,2*x,x\n")
    done = run("--answers", str(path), "--output", "v.jsonl", "--timeout", "1", cwd=tmp_path)
    found = verdicts(tmp_path / "v.jsonl")
    assert found["2"]["verdict"] == "error" and "time budget" in found["2"]["error"]
    assert found["3"]["verdict"] == "right"
    assert done.returncode == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("formula\nx\n", "needs the columns formula and derivative"),
        ('{"formula": "x"}\n', "'derivative' is empty"),
        ("formula,derivative,id\nx,1,a\nx,1,a\n", "appears twice"),
        ("[1, 2]\n", "needs the columns"),
    ],
)
def test_a_malformed_file_is_one_line_naming_the_problem(tmp_path, content, message):
    path = tmp_path / "bad"
    path.write_text(content)
    done = run("--answers", str(path), cwd=tmp_path)
    assert done.returncode == 2
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1


def test_answers_and_a_single_formula_do_not_mix(answers_csv, tmp_path):
    done = run("x", "--answers", str(answers_csv), cwd=tmp_path)
    assert done.returncode == 2 and "--answers grades a file" in done.stderr
