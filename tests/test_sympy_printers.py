"""σ, softplus and ReLU through SymPy's own tools: lambdify, pycode, ccode, MathML.

The reference values are mpmath's, at 50 digits, from the defining formulas; the C code is
compiled and run when a C compiler is installed; the MathML is parsed as XML.
"""

from __future__ import annotations

import math
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree

import mpmath
import pytest
import sympy as sp

import symderiv as sd

x = sp.Symbol("x")
FUNCTIONS = {
    "sigmoid": (sd.sigmoid, lambda t: 1 / (1 + mpmath.exp(-t))),
    "softplus": (sd.softplus, lambda t: mpmath.log1p(mpmath.exp(t))),
    "relu": (sd.relu, lambda t: max(t, 0)),
}
POINTS = [-700.0, -40.0, -3.5, -1e-9, 0.0, 0.25, 3.0, 40.0, 700.0]


def truth(name: str, t: float) -> float:
    with mpmath.workdps(50):
        return float(FUNCTIONS[name][1](mpmath.mpf(t)))


def close(got: float, want: float) -> bool:
    return abs(got - want) <= 1e-13 * abs(want) or (want == 0 and got == 0)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("module", ["math", "numpy", "mpmath"])
def test_lambdify_gives_stable_values_where_the_formula_overflows(name, module):
    if module == "numpy":
        pytest.importorskip("numpy")
    function = sp.lambdify(x, FUNCTIONS[name][0](x), module)
    for t in POINTS:
        got = float(function(mpmath.mpf(t) if module == "mpmath" else t))
        assert math.isfinite(got) and close(got, truth(name, t)), (module, t, got)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_lambdify_with_torch_keeps_float64_values(name):
    torch = pytest.importorskip("torch")
    function = sp.lambdify(x, FUNCTIONS[name][0](x), "torch")
    values = function(torch.tensor(POINTS, dtype=torch.float64)).tolist()
    for t, got in zip(POINTS, values):
        assert close(got, truth(name, t)), (t, got)


def test_numpy_code_neither_overflows_nor_divides_by_zero():
    np = pytest.importorskip("numpy")
    function = sp.lambdify(x, sd.sigmoid(x) + sd.softplus(-x), "numpy")
    with np.errstate(over="raise", invalid="raise", divide="raise", under="ignore"):  # tiny values may underflow
        function(np.array([-1000.0, 0.0, 1000.0]))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_pycode_is_plain_python_that_evaluates_to_the_function(name):
    source = sp.pycode(FUNCTIONS[name][0](2 * x + 1))
    assert name not in source.replace("softplus", "")  # written out, never a call of an undefined name
    for t in (-3.0, 0.5, 4.0):
        value = eval(source, {"math": math, "x": t})  # our own generated code, our own numbers
        assert close(value, truth(name, 2 * t + 1))


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("standard", ["c89", "c99"])
def test_ccode_compiles_and_runs_to_the_right_values(name, standard, tmp_path):
    code = sp.ccode(FUNCTIONS[name][0](x), standard=standard)
    assert "sigmoid" not in code and "relu" not in code
    compiler = shutil.which("cc") or shutil.which("gcc")
    if compiler is None:
        pytest.skip("no C compiler")
    program = tmp_path / "f.c"
    program.write_text(
        "#include <math.h>\n#include <stdio.h>\n"
        f"double f(double x) {{ return {code}; }}\n"
        "int main(void) { int i; double xs[] = {" + ", ".join(repr(t) for t in POINTS) + "};\n"
        f"  for (i = 0; i < {len(POINTS)}; i++) printf(\"%.17g\\n\", f(xs[i])); return 0; }}\n"
    )
    binary = tmp_path / "f"
    subprocess.run([compiler, f"-std={standard}", "-o", str(binary), str(program), "-lm"], check=True)
    values = [float(line) for line in subprocess.run([str(binary)], capture_output=True, text=True, check=True).stdout.split()]
    for t, got in zip(POINTS, values):
        assert close(got, truth(name, t)), (standard, t, got)


@pytest.mark.parametrize("name", FUNCTIONS)
@pytest.mark.parametrize("printer", ["presentation", "content"])
def test_mathml_names_the_function_by_its_symbol(name, printer):
    markup = sp.mathml(FUNCTIONS[name][0](x), printer=printer)
    tree = ElementTree.fromstring(f"<math>{markup}</math>")
    texts = [element.text for element in tree.iter() if element.text]
    symbol = {"sigmoid": "σ", "softplus": "softplus", "relu": "ReLU"}[name]
    assert texts[0] == symbol and "x" in texts
    assert "sigmoid" not in markup
