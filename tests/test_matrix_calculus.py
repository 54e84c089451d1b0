"""Matrix calculus (issue 15): ∂f/∂W for a matrix symbol W, step by step, every step proven.

The known answers come from outside the engine: each result is written out with explicit random
matrices (SymPy's ``as_explicit``, at sizes the proofs never use) and compared, entry by entry,
with SymPy's own scalar derivatives of the loss written out the same way. The forms are the
ones ML texts print (Bishop §4.3.2, the Matrix Cookbook (57), (100), (111)).
"""

from __future__ import annotations

import functools
import random

import pytest
import sympy as sp

import symderiv as sd
from symderiv.core.matrices import canonical_elementwise
from symderiv.core.steps import Step
from symderiv.proof.matrix import check_matrix_step

m, n, k = sp.symbols("m n k", integer=True, positive=True)
X = sp.MatrixSymbol("X", m, n)
w = sp.MatrixSymbol("w", n, 1)
y = sp.MatrixSymbol("y", m, 1)
S = sp.MatrixSymbol("S", n, n)
A = sp.MatrixSymbol("A", n, n)
z = sp.MatrixSymbol("z", k, 1)
t = sp.MatrixSymbol("t", k, 1)
W = sp.MatrixSymbol("W", k, n)
b = sp.MatrixSymbol("b", k, 1)
x = sp.MatrixSymbol("x", n, 1)
one = sp.OneMatrix(m, 1)

MSE = (X * w - y).T * (X * w - y) / m
_s = (X * w).applyfunc(sd.sigmoid)
LOGISTIC = -(y.T * _s.applyfunc(sp.log) + (one - y).T * (one - _s).applyfunc(sp.log)) / m
SOFTMAX_CE = -(t.T * sd.softmax(z).applyfunc(sp.log))
_r = W * x + b - t
LAYER = _r.T * _r / 2

#: (loss, variable, the form an ML text prints).
RESULTS = [
    pytest.param(MSE, w, 2 * X.T * (X * w - y) / m, id="mse"),
    pytest.param(LOGISTIC, w, X.T * ((X * w).applyfunc(sd.sigmoid) - y) / m, id="logistic"),
    pytest.param(SOFTMAX_CE, z, sd.softmax(z) - t, id="softmax"),
    pytest.param(LAYER, W, _r * x.T, id="layer-W"),
    pytest.param(LAYER, b, _r, id="layer-b"),
    pytest.param(LAYER, x, W.T * _r, id="layer-x"),
    pytest.param(sp.Trace(A * S), S, A.T, id="trace-AS"),
    pytest.param(sp.Trace(S.T * A * S), S, (A + A.T) * S, id="trace-SAS"),
    pytest.param(sp.log(sp.det(S)), S, sp.Inverse(S).T, id="logdet"),
]

SIZES = {m: 4, n: 3, k: 3}


@functools.cache
def _derived(loss: sp.Basic, variable: sp.MatrixSymbol) -> sd.Derivation:
    """Each derivation once per test run: the tests below read it in several ways."""
    return sd.derive(loss, variable)  # not the sizes the proofs use (2, 3, 4 by name)


def _explicit(expr: sp.Basic, values: dict[sp.Basic, sp.Basic]) -> sp.Basic:
    return expr.xreplace(SIZES).xreplace(values).doit().as_explicit() if hasattr(expr, "shape") else \
        expr.xreplace(SIZES).xreplace(values).doit()


def _random_matrix(rng: random.Random, rows: int, cols: int) -> sp.ImmutableMatrix:
    return sp.ImmutableMatrix(rows, cols, lambda i, j: sp.Rational(rng.randint(-9, 9), 10) + sp.Rational(1, 7))


def _against_scalar_derivatives(loss: sp.Basic, variable: sp.MatrixSymbol, result: sp.Basic, seed: int) -> None:
    """Entry (i, j) of ``result`` is SymPy's d loss / d variable[i, j] at random matrices."""
    rng = random.Random(seed)
    values: dict[sp.Basic, sp.Basic] = {}
    for symbol in loss.atoms(sp.MatrixSymbol) | result.atoms(sp.MatrixSymbol):
        rows, cols = (int(sp.sympify(d).xreplace(SIZES)) for d in symbol.shape)
        values[symbol.xreplace(SIZES)] = _random_matrix(rng, rows, cols)
    if t in values or t.xreplace(SIZES) in values:  # a softmax target: one-hot
        values[t.xreplace(SIZES)] = sp.ImmutableMatrix([0, 1, 0])
    if S.xreplace(SIZES) in values:  # log det needs det S > 0
        values[S.xreplace(SIZES)] = values[S.xreplace(SIZES)] + 3 * sp.eye(3)
    size = variable.xreplace(SIZES)
    entries = sp.ImmutableMatrix(*size.shape, lambda i, j: sp.Symbol(f"v{i}{j}"))
    symbolic = dict(values)
    symbolic[size] = entries
    scalar = _explicit(loss, symbolic)
    scalar = scalar[0, 0] if hasattr(scalar, "shape") else scalar
    at = {entries[i, j]: values[size][i, j] for i in range(size.shape[0]) for j in range(size.shape[1])}
    expected = entries.applyfunc(lambda e: sp.diff(scalar, e).xreplace(at))
    got = _explicit(result, values)
    assert got.shape == expected.shape == size.shape
    for g, e in zip(got, expected):
        assert abs(sp.N(g - e, 30)) < 1e-25 * max(1, abs(sp.N(e, 30)))


@pytest.mark.parametrize("loss, variable, form", RESULTS)
def test_each_result_has_the_stated_form_and_equals_sympys_scalar_derivatives(loss, variable, form):
    d = _derived(loss, variable)
    assert d.result == canonical_elementwise(form)
    assert d.result.shape == variable.shape  # denominator layout
    _against_scalar_derivatives(loss, variable, d.result, seed=hash(str(variable)) % 1000)


@pytest.mark.parametrize("loss, variable, form", RESULTS[:2])
def test_the_chain_keeps_the_contract_and_every_step_is_proven(loss, variable, form):
    d = _derived(loss, variable)
    assert d.steps[0].before == sp.Derivative(d.expr, variable)
    assert all(a.after == b.before for a, b in zip(d.steps, d.steps[1:]))
    assert d.rules[0] == "matrix_differential" and "matrix_gradient" in d.rules
    assert d.report is not None and len(d.report.proofs) == len(d.steps)
    assert all(p.points >= 4 and p.method in ("identical", "symbolic") for p in d.report.proofs)
    assert d.check().proofs == d.report.proofs


def test_the_elementwise_chain_rule_cites_the_scalar_derivative_of_the_sigmoid():
    d = sd.derive(sp.Trace(w.T * (X.T * y).applyfunc(sd.sigmoid) * 0 + (X * w).applyfunc(sd.sigmoid).T * y), w)
    chained = [s for s in d.steps if s.rule == "elementwise_chain"]
    assert chained and chained[0].substeps[0].result == sd.sigmoid(sp.Symbol("u")) * (1 - sd.sigmoid(sp.Symbol("u")))


def test_a_false_matrix_step_is_refused_entry_by_entry():
    U, V, dW = (sp.MatrixSymbol(name, 2, 2) for name in ("U", "V", "dW"))
    true = Step("matrix_gradient", sp.Derivative(sp.Trace(U * S.xreplace({n: 2})), S.xreplace({n: 2})), U.T)
    assert check_matrix_step(true).points == 4
    swapped = Step("matrix_gradient", true.before, U)  # tr(US) → U instead of Uᵀ
    with pytest.raises(sd.StepCheckError, match="entry 2 of 4"):
        check_matrix_step(swapped)


def test_a_shape_mismatch_names_both_shapes():
    v = sp.MatrixSymbol("v", m, 1)
    with pytest.raises(sd.ShapeError, match=r"cannot multiply X \(m×n\) by v \(m×1\)"):
        sd.derive(y.T * X * v, X)
    with pytest.raises(sd.ShapeError, match=r"cannot add v \(m×1\) and w \(n×1\)"):
        sd.derive(sp.Trace(w.T * (v + w)), w)
    with pytest.raises(sd.ShapeError, match=r"w is 3×1 in derive\(\) but n×1"):
        sd.derive(MSE, sp.MatrixSymbol("w", 3, 1))


def test_an_unsupported_matrix_function_is_named():
    with pytest.raises(sd.UnsupportedError, match="MatPow"):
        sd.derive(sp.Trace(S**3), S)
    with pytest.raises(sd.UnsupportedError, match="3×1 matrix"):
        sd.derive(sp.MatrixSymbol("v", 3, 1) + sp.MatrixSymbol("u", 3, 1), sp.MatrixSymbol("u", 3, 1))


def test_json_round_trip_reads_a_matrix_derivation_back_equal_and_provable():
    d = _derived(LOGISTIC, w)
    back = sd.Derivation.from_json(d.to_json())
    assert back == d and back.result == d.result
    small = _derived(sp.Trace(A * S), S)
    sd.Derivation.from_json(small.to_json()).check()  # proven again from what was read


def test_json_refuses_a_matrix_whose_shape_is_not_a_size():
    d = _derived(sp.Trace(A * S), S)
    text = d.to_json().replace('"shape": [', '"shape": [{"op": "Add", "args": [{"int": "1"}, {"int": "2"}]}, ', 1)
    with pytest.raises(sd.ParseError):
        sd.Derivation.from_json(text)


@pytest.mark.parametrize("lang", ["en", "ja", "zh", "ko"])
def test_matrices_print_bold_with_a_transpose_in_every_format(lang):
    d = _derived(sp.Trace(S.T * A * S), S)
    latex = d.to_latex(lang=lang)
    assert r"\mathbf{S}^{T}" in latex and r"\mathrm{d}\mathbf{S}" in latex
    assert "𝐒ᵀ" in d.to_text(lang=lang)
    assert r"\mathbf{A}" in d.to_markdown(lang=lang)
    assert "<mi>𝐒</mi>" in d.to_html(lang=lang)  # MathML: mathematical bold letters


@pytest.mark.parametrize("loss, variable", [
    pytest.param(y.T * (X * w).applyfunc(sp.tanh), w, id="tanh"),
    pytest.param(sp.Trace(A * S.inv()), S, id="inverse"),
    pytest.param(sp.det(S), S, id="det"),
    pytest.param(sp.Trace(A.T * sp.HadamardProduct(S, sp.MatrixSymbol("B", n, n)).applyfunc(sp.exp)), S,
                 id="hadamard"),
])
def test_the_other_matrix_functions_equal_sympys_scalar_derivatives(loss, variable):
    d = sd.derive(loss, variable)
    assert d.report is not None and d.result.shape == variable.shape
    _against_scalar_derivatives(loss, variable, d.result, seed=7)


def test_an_entrywise_function_of_a_sum_is_bracketed_as_an_operand():
    # (1 − σ(Xw)) ⊙ dZ reads as the product of a slope and a differential; without the
    # brackets it reads 1 − (σ(Xw) ⊙ dZ). Likewise 1/(𝟏 − σ(Xw)), not 1/𝟏 − σ(Xw).
    from symderiv.render.tex import to_tex
    from symderiv.render.text import inline_text

    dz = sp.MatrixSymbol("Z", m, 1)
    u = sp.Dummy("u")
    complement = (X * w).applyfunc(sp.Lambda(u, 1 - sd.sigmoid(u)))
    reciprocal = (one - _s).applyfunc(sp.Lambda(u, 1 / u))
    text = inline_text(sp.HadamardProduct(complement, dz)) + " " + inline_text(sp.HadamardProduct(reciprocal, dz))
    assert "(1 - σ(𝐗·𝐰)) ⊙ 𝐙" in text and "1/(𝟏 - σ(𝐗·𝐰)) ⊙ 𝐙" in text
    tex = to_tex(sp.HadamardProduct(complement, dz))
    assert tex.startswith(r"\left(1 - \sigma") and r"\right) \odot \mathbf{Z}" in tex


def test_the_result_box_defines_no_name_of_a_slopes_own_variable():
    document = _derived(LOGISTIC, w).to_text()
    result = document.split("Step by step")[0]
    assert "where" not in result  # a = σ(u) belongs to the slope's sub-derivation, which defines it
    assert "a = σ(u)" in document
