"""sd.gradient, sd.jacobian, sd.hessian: matrices of derivatives, each entry a proven derivation.

Known answers come from outside symderiv: ``sympy.hessian`` and SymPy's ``Matrix.jacobian``,
the Hessian A + Aᵀ of the quadratic form xᵀAx, and the logistic loss's gradient (σ − y)·(x, 1).
"""

from __future__ import annotations

import pytest
import sympy as sp

import symderiv as sd
from conftest import chains

x, y, z, w, b = sp.symbols("x y z w b")
sigma = sd.sigmoid


def assert_every_entry_keeps_the_chain(matrix):
    for _, entry in matrix.entries():
        for chain in chains(entry):
            assert chain.steps[0].before == sp.Derivative(chain.expr, *chain.variables)
            for previous, following in zip(chain.steps, chain.steps[1:]):
                assert previous.after == following.before
            assert chain.report is not None and len(chain.report.proofs) == len(chain.steps)


def test_hessian_of_a_quadratic_form_is_a_plus_a_transposed():
    A = sp.Matrix([[3, 1, 0], [2, 5, -1], [4, 0, -2]])
    v = sp.Matrix([x, y, z])
    f = sp.expand((v.T * A * v)[0] + 7 * x - y)
    h = sd.hessian(f, [x, y, z])
    assert h.kind == "hessian" and h.shape == (3, 3) and h.proven
    assert h.matrix == sp.hessian(f, [x, y, z]) == A + A.T
    assert_every_entry_keeps_the_chain(h)


def test_hessian_entries_share_the_first_derivative_but_prove_symmetry_separately():
    f = sp.sin(x) * sp.exp(x * y)
    h = sd.hessian(f, [x, y])
    assert sp.simplify(h.matrix - sp.hessian(f, [x, y])) == sp.zeros(2, 2)
    first_x = h[0, 0].steps[0].substeps[0]
    assert first_x.start == sp.Derivative(f, x)
    assert h[0, 1].steps[0].substeps[0] is first_x  # row 0 differentiates ∂f/∂x once more
    assert h[0, 1].start == sp.Derivative(f, x, y) and h[1, 0].start == sp.Derivative(f, y, x)
    assert h[0, 1].steps[-1].substeps[0].expr != h[1, 0].steps[-1].substeps[0].expr  # two derivations
    assert_every_entry_keeps_the_chain(h)


def test_gradient_of_the_logistic_loss_is_the_error_times_the_input():
    loss = sd.logistic_loss(w * x + b, y)
    g = sd.gradient(loss, [w, b])
    assert g.shape == (2, 1)
    error = sigma(w * x + b) - y
    assert g.matrix == sp.Matrix([x * error, error])
    assert_every_entry_keeps_the_chain(g)


def test_jacobian_is_sympys():
    functions = [sp.sin(x * y), sp.exp(x) + y**2, x / (1 + y**2)]
    j = sd.jacobian(functions, ["x", "y"])
    assert j.shape == (3, 2)
    assert sp.simplify(j.matrix - sp.Matrix(functions).jacobian([x, y])) == sp.zeros(3, 2)
    assert j[0, 1].start == sp.Derivative(sp.sin(x * y), y)
    assert_every_entry_keeps_the_chain(j)


def test_a_budget_covers_the_whole_matrix():
    g = sd.gradient("x^2*y + sin(y)", ["x", "y"], timeout=60)
    assert g.matrix == sp.Matrix([2 * x * y, x**2 + sp.cos(y)]) and g.proven


def test_bad_variables_and_sizes_are_refused_before_any_work():
    with pytest.raises(ValueError, match="distinct"):
        sd.hessian(x * y, [x, x])
    with pytest.raises(ValueError, match="list of variables"):
        sd.gradient(x * y, "x")
    with pytest.raises(ValueError, match="list of functions"):
        sd.jacobian(x * y, [x, y])
    with pytest.raises(sd.LimitError, match="max_matrix_entries"):
        sd.hessian(x * y, sp.symbols("a0:9"))  # 81 entries
    with pytest.raises(ValueError, match="unknown detail"):
        sd.gradient(x * y, [x], detail="verbose")


def test_hessian_of_the_logistic_loss_is_the_variance_times_the_outer_product():
    h = sd.hessian(sd.logistic_loss(w * x + b, y), [w, b])
    a = sigma(w * x + b)
    assert h.matrix == a * (1 - a) * sp.Matrix([[x**2, x], [x, 1]])  # σ(1 − σ)·(x, 1)(x, 1)ᵀ


def test_the_matrix_prints_as_tex_and_proves_again():
    g = sd.gradient(sigma(x) * y, [x, y])
    assert g.to_latex() == r"\left[\begin{matrix}y \sigma(x) \left(1 - \sigma(x)\right)\\\sigma(x)\end{matrix}\right]"
    g.check()
