"""``symderiv check``: exit 0 when the formula is right, 1 with the explanation, 2 on bad input."""

from __future__ import annotations


from symderiv.cli.main import main


def test_a_right_derivative_exits_0(capsys):
    status = main(["check", "sigmoid(x)*(1-sigmoid(x))", "--derivative-of", "sigmoid(x)", "--wrt", "x"])
    assert status == 0
    assert capsys.readouterr().out.startswith("right: (1 - sigmoid(x))*sigmoid(x) is the derivative of sigmoid(x)")


def test_the_variable_defaults_to_the_only_one(capsys):
    assert main(["check", "exp(-x)/(1+exp(-x))^2", "--derivative-of", "1/(1+exp(-x))"]) == 0


def test_a_wrong_derivative_exits_1_with_the_assertions_explanation(capsys):
    status = main(["check", "sigmoid(x)*(1+sigmoid(x))", "--derivative-of", "sigmoid(x)", "--wrt", "x"])
    out = capsys.readouterr().out
    assert status == 1
    assert out.startswith("wrong: (sigmoid(x) + 1)*sigmoid(x) is not the derivative of sigmoid(x)")
    assert "yours − true:    2*sigmoid(x)**2" in out
    assert "counterexample:  at x = 1, yours = 1.265505224, true = 0.1966119332" in out
    assert 'see every step:  symderiv derive "sigmoid(x)" --wrt x --detail full' in out


def test_equals_compares_two_formulas(capsys):
    assert main(["check", "exp(x)/(1+exp(x))", "--equals", "sigmoid(x)"]) == 0
    assert main(["check", "(x+1)^2", "--equals", "x^2+1"]) == 1
    assert "left − right:   2*x" in capsys.readouterr().out


def test_unreadable_input_exits_2_with_a_caret(capsys):
    assert main(["check", "sigmoid(x", "--derivative-of", "x"]) == 2
    assert "'(' is never closed" in capsys.readouterr().err


def test_an_ambiguous_variable_exits_2(capsys):
    assert main(["check", "y", "--derivative-of", "x*y"]) == 2
    assert "--wrt" in capsys.readouterr().err


def test_a_target_is_required(capsys):
    assert main(["check", "x"]) == 2
    assert "--derivative-of F or --equals G, or --answers FILE" in capsys.readouterr().err
