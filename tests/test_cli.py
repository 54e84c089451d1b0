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
