"""The symderiv command: derive and build, as a new user would type them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from symderiv.cli.main import main

ROOT = Path(__file__).resolve().parent.parent


def test_derive_prints_numbered_steps_with_rules_and_the_sigma_form(capsys):
    assert main(["derive", "1/(1+exp(-x))", "--wrt", "x", "--detail", "full"]) == 0
    out = capsys.readouterr().out
    assert "(1) Reciprocal rule" in out and "(4) Chain rule" in out
    assert "= σ(x)⋅(1 - σ(x))   (11)" in out


def test_derive_prints_the_textbook_chain_by_default(capsys):
    assert main(["derive", "1/(1+exp(-x))", "--wrt", "x", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rules = [step["rule"] for step in data["steps"]]
    assert rules == ["reciprocal", "derivatives", "add_subtract", "split_fraction", "recognize_sigmoid"]
    (sub,) = data["steps"][1]["substeps"]  # d/dx (1 + e^-x), derived below line 2
    assert [step["rule"] for step in sub["steps"]][0] == "sum"


def test_derive_finds_the_only_variable_by_itself(capsys):
    assert main(["derive", "sigmoid(z)"]) == 0
    assert "σ(z)⋅(1 - σ(z))" in capsys.readouterr().out


@pytest.mark.parametrize("strategy", ["quotient", "chain", "reciprocal"])
def test_derive_takes_the_route_asked_for(capsys, strategy):
    assert main(["derive", "1/(1+exp(-x))", "--strategy", strategy, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["strategy"] == strategy


def test_derive_writes_latex_in_japanese(capsys):
    assert main(["derive", "sigmoid(x)^2", "--format", "latex", "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert "\\begin{align*}" in out and "\\sigma" in out


def test_unreadable_input_exits_2_with_a_caret_and_no_traceback(capsys):
    assert main(["derive", "1/(1+exp(-x)"]) == 2
    err = capsys.readouterr().err
    assert "never closed" in err and "^" in err and "Traceback" not in err


def test_a_bomb_is_refused_with_exit_2(capsys):
    assert main(["derive", "9**9**9"]) == 2
    assert "digits" in capsys.readouterr().err


def test_several_variables_need_wrt(capsys):
    assert main(["derive", "x*y"]) == 2
    assert "--wrt" in capsys.readouterr().err


def test_an_unknown_strategy_names_the_choices(capsys):
    with pytest.raises(SystemExit) as caught:  # a usage error, as argparse reports them
        main(["derive", "x**2", "--strategy", "magic"])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "textbook" in err and len(err.strip().splitlines()) == 1


def test_python_dash_m_runs_the_same_command():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "symderiv", "derive", "softplus(x)"],
        capture_output=True, text=True, env=env, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "σ(x)" in result.stdout


# --- conventions: --version, - for standard input, completion ----------------------------------

def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symderiv", *args], input=stdin, capture_output=True,
                          text=True, timeout=300)


def test_version_is_the_installed_distributions():
    from importlib.metadata import version

    done = _run("--version")
    assert done.returncode == 0
    assert done.stdout.strip() == f"symderiv {version('symderiv')}"


def test_a_dash_reads_one_formula_per_line_from_standard_input():
    done = _run("derive", "-", "--wrt", "x", "--format", "json", stdin="x**2\n\n# a comment\nsigmoid(x)\nsin(x)\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3  # JSON Lines: one derivation per formula
    results = [json.loads(line)["expr"] for line in lines]
    assert [r.get("op") or r.get("function") for r in results] == ["Pow", "sigmoid", "sin"]


def test_a_bad_formula_on_standard_input_is_named_by_its_line():
    done = _run("derive", "-", stdin="x**2\n1+\n")
    assert done.returncode == 2
    assert "formula 2 (1+)" in done.stderr and "Traceback" not in done.stderr


def test_an_empty_standard_input_is_one_clear_error():
    done = _run("derive", "-", stdin="\n# nothing\n")
    assert done.returncode == 2
    assert done.stderr.strip() == "symderiv: - reads formulas from standard input, one per line, and found none"


def test_the_bash_completion_script_parses_and_knows_every_command_and_choice():
    pytest.importorskip("shtab")
    done = _run("completion", "bash")
    assert done.returncode == 0, done.stderr
    bash = subprocess.run(["bash", "-n"], input=done.stdout, capture_output=True, text=True)
    assert bash.returncode == 0, bash.stderr
    for word in ("derive", "check", "graph", "network", "build", "--detail", "--strategy", "quotient"):
        assert word in done.stdout


def test_an_unknown_shell_is_refused_naming_the_choices():
    done = _run("completion", "fish")
    assert done.returncode == 2 and "choose from 'bash', 'zsh', 'tcsh'" in done.stderr
