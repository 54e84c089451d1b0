"""The pytest plugin, run by pytest's own pytester on small test files, as a user would."""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

import pytest

import symderiv

# Loaded here, before pytester snapshots sys.modules for its in-process runs: a module first
# imported inside such a run is dropped after it, and imported afresh (with new classes) later.
import symderiv.calculus.engine  # noqa: E402,F401
import symderiv.parse.text  # noqa: E402,F401
import symderiv.testing.plugin  # noqa: E402,F401
import symderiv.testing.assertions  # noqa: E402,F401

pytest_plugins = ["pytester"]

ROOT = Path(symderiv.__file__).resolve().parent.parent


@pytest.fixture
def run(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch):
    """Run pytest on the files made in ``pytester``, with only our plugin loaded (by ``-p``)."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))

    def run(*args: str, subprocess: bool = False) -> pytest.RunResult:
        options = ("-p", "symderiv.testing.plugin", "-p", "no:cacheprovider", *args)
        if subprocess:
            return pytester.runpytest_subprocess(*options)
        return pytester.runpytest(*options)

    return run


PASSING = '''
import sympy as sp
import symderiv as sd

x = sp.Symbol("x")


def test_sigmoid_derivative():
    sd.assert_derivative(sd.sigmoid(x), x, sp.exp(-x) / (1 + sp.exp(-x))**2)


def test_with_the_fixture(symderiv_check):
    symderiv_check.derivative("sigmoid(x)**2", "x", "2*sigmoid(x)**2*(1 - sigmoid(x))")
    symderiv_check.equivalent("exp(x)/(1 + exp(x))", "sigmoid(x)")
    symderiv_check.derivation(sd.derive(sd.sigmoid(x), x))
'''

FAILING = '''
import symderiv as sd


def test_sigmoid_squared():
    sd.assert_derivative("sigmoid(x)**2", "x", "2*sigmoid(x)")
'''


def test_a_passing_file_passes(pytester, run):
    pytester.makepyfile(PASSING)
    result = run()
    result.assert_outcomes(passed=2)


def test_a_wrong_formula_fails_with_the_explanation(pytester, run):
    pytester.makepyfile(FAILING)
    result = run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*FormulaMismatchError: 2*sigmoid(x) is not the derivative of sigmoid(x)**2 with respect to x",
            "*yours:           2*sigmoid(x)",
            "*true derivative: 2*(1 - sigmoid(x))*sigmoid(x)**2",
            "*yours − true:*",
            "*counterexample:  at x = 1, yours = 1.462117157, true = 0.2874696809",
            "*where it departs: step 3 (sigmoid): d/dx sigmoid(x) = (1 - sigmoid(x))*sigmoid(x);",
            "*taken as 1 (a factor of the chain rule left out)",
        ]
    )


def test_the_helpers_frames_are_hidden_from_the_traceback(pytester, run):
    pytester.makepyfile(FAILING)
    result = run()
    text = result.stdout.str()
    assert "test_a_wrong_formula" not in text  # sanity: this is the inner run's output
    assert 'sd.assert_derivative("sigmoid(x)**2", "x", "2*sigmoid(x)")' in text
    assert "symderiv/testing.py" not in text and "raise _derivative_mismatch" not in text


def test_a_right_formula_compared_with_equals_is_said_to_be_right(pytester, run):
    pytester.makepyfile(
        '''
        import sympy as sp

        x = sp.Symbol("x")
        sig = 1 / (1 + sp.exp(-x))


        def test_plain_equals():
            assert sp.diff(sig, x) == sig * (1 - sig)
        '''
    )
    result = run("--symderiv-explain")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*== compares SymPy expression trees, not the functions they stand for.",
            "*These two are the same function (their difference cancels to 0); only their shapes differ.",
            "*sd.assert_equivalent(left, right)",
        ]
    )


def test_a_wrong_formula_compared_with_equals_gets_a_counterexample(pytester, run):
    pytester.makepyfile(
        '''
        import sympy as sp

        x = sp.Symbol("x")


        def test_plain_equals():
            assert (x + 1)**2 == x**2 + 1
        '''
    )
    result = run("--symderiv-explain")
    result.stdout.fnmatch_lines(
        [
            "*They are different functions: left − right = 2*x",
            "*at x = 1, left = 4.0, right = 2.0",
        ]
    )


def test_a_derivation_compared_with_a_formula_points_to_its_result(pytester, run):
    pytester.makepyfile(
        '''
        import sympy as sp
        import symderiv as sd

        x = sp.Symbol("x")


        def test_derivation_equals():
            assert sd.derive(sd.sigmoid(x), x) == sd.sigmoid(x) * (1 - sd.sigmoid(x))
        '''
    )
    result = run("--symderiv-explain")
    result.stdout.fnmatch_lines(
        [
            "*<Derivation d/dx sigmoid(x) = (1 - sigmoid(x))*sigmoid(x), 1 step, proven> == *",
            "*The left side is a Derivation; its formula is left.result = (1 - sigmoid(x))*sigmoid(x)",
            "*compare `.result`, not the Derivation.",
        ]
    )


def test_a_rounded_number_compared_with_equals_is_pointed_to_approx(pytester, run):
    pytester.makepyfile(
        '''
        import symderiv as sd


        def test_number():
            assert sd.sigmoid(1).evalf() == 0.7311
        '''
    )
    result = run("--symderiv-explain")
    result.stdout.fnmatch_lines(["*left = 0.731058578630005, right = 0.731100000000000*pytest.approx*"])


def test_other_comparisons_are_left_to_pytest(pytester, run):
    pytester.makepyfile(
        '''
        def test_lists():
            assert [1, 2] == [1, 3]
        '''
    )
    result = run()
    result.stdout.fnmatch_lines(["*At index 1 diff: 2 != 3*"])
    assert "SymPy" not in result.stdout.str()


def test_the_fixture_takes_its_settings_from_the_ini_file_and_the_command_line(pytester, run):
    pytester.makeini(
        """
        [pytest]
        symderiv_digits = 40
        symderiv_points = 3
        """
    )
    pytester.makepyfile(
        '''
        def test_settings(symderiv_check):
            assert (symderiv_check.digits, symderiv_check.points, symderiv_check.seed) == (40, 3, 7)
        '''
    )
    run("--symderiv-seed", "7").assert_outcomes(passed=1)


def test_loading_the_plugin_does_not_import_sympy(pytester, run):
    pytester.makepyfile(
        '''
        import sys


        def test_sympy_is_not_loaded():
            assert "symderiv.testing.plugin" in sys.modules
            assert "sympy" not in sys.modules
        '''
    )
    run(subprocess=True).assert_outcomes(passed=1)


def test_the_plugin_is_registered_as_a_pytest11_entry_point():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["entry-points"]["pytest11"] == {"symderiv": "symderiv.testing.plugin"}


def test_an_installed_symderiv_loads_the_plugin_without_being_asked(pytester, monkeypatch):
    monkeypatch.delenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", raising=False)
    # Asked from pytester's own folder: the source tree's egg-info must not count as installed.
    probe = pytester.run(
        sys.executable, "-c",
        "import importlib.metadata as m; print(any(e.name == 'symderiv' for e in m.entry_points(group='pytest11')))",
    )
    if probe.outlines[-1:] != ["True"]:
        pytest.skip("symderiv is not installed in this environment (pip install -e .)")
    pytester.makepyfile(
        '''
        def test_fixture_is_there(symderiv_check):
            assert symderiv_check.digits == 30
        '''
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)


def guide_text() -> str:
    """The README's section "Verifying a formula in a test", up to the next section."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Verifying a formula in a test")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def test_the_verifying_guide_examples_pass_under_pytest(pytester, run):
    import re

    text = guide_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert len(blocks) == 3
    for number, block in enumerate(blocks, 1):
        pytester.makepyfile(**{f"test_guide_{number}": block})
    result = run()
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0 and outcomes.get("errors", 0) == 0
    assert outcomes["passed"] >= 5


def test_the_failure_the_guide_shows_is_the_one_symderiv_prints():
    import re

    from symderiv.testing.assertions import FormulaMismatchError, assert_derivative

    text = guide_text()
    shown = re.search(r"```text\n(.*?)```", text, flags=re.S).group(1).rstrip("\n")
    with pytest.raises(FormulaMismatchError) as caught:
        assert_derivative("sigmoid(x)**2", "x", "2*sigmoid(x)")
    assert str(caught.value) == shown


def test_numbers_that_agree_to_15_digits_are_shown_with_their_difference(pytester, run):
    # e and e + 1e-40 print alike at 15 digits; the explanation must still show that they differ
    pytester.makepyfile(
        '''
        import sympy as sp


        def test_tiny_difference():
            assert sp.E == sp.E + 10**-40
        '''
    )
    result = run("--symderiv-explain")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*As numbers:*left − right = -1.00E-40*"])


WRONG_EQUALS = """
import sympy as sp

x = sp.Symbol("x")


def expand_wrongly():
    return x**2 + 1


def test_plain_equals():
    assert expand_wrongly() == (x + 1)**2
"""


def test_without_being_asked_the_plugin_leaves_pytests_failure_as_it_is(pytester, run):
    pytester.makepyfile(WRONG_EQUALS)
    result = run()
    result.assert_outcomes(failed=1)
    assert "symderiv:" not in result.stdout.str()
    assert "different functions" not in result.stdout.str()
    result.stdout.fnmatch_lines(["*where x**2 + 1 = expand_wrongly()*"])  # pytest's own where line


def test_the_ini_option_asks_for_the_explanation_after_pytests_lines(pytester, run):
    pytester.makeini("[pytest]\nsymderiv_explain = true\n")
    pytester.makepyfile(WRONG_EQUALS)
    result = run()
    result.stdout.fnmatch_lines(["*x**2 + 1 == (x + 1)**2*", "*symderiv:", "*They are different functions*"])


def test_an_explanation_is_cut_off_after_its_time():
    import time

    from symderiv.testing.plugin import EXPLAIN_SECONDS, _Late, _within

    started = time.monotonic()
    with pytest.raises(_Late):
        _within(EXPLAIN_SECONDS, time.sleep, 30)
    assert time.monotonic() - started < EXPLAIN_SECONDS + 2
    assert _within(EXPLAIN_SECONDS, sum, [1, 2]) == 3
