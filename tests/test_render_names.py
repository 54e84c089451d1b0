"""Names that could inject markup are refused by every renderer."""

from __future__ import annotations

import pytest
import sympy as sp

from symderiv.render import UnsafeNameError
from symderiv.render.names import check_name

from render_cases import UNSAFE_NAMES, power_step

FORMATS = ["to_latex", "to_mathml", "to_html", "to_markdown", "to_text", "to_json", "to_notebook"]


@pytest.mark.parametrize("name", UNSAFE_NAMES)
@pytest.mark.parametrize("method", FORMATS)
def test_unsafe_symbol_names_are_refused(name, method):
    derivation = power_step(sp.Symbol(name))
    with pytest.raises(UnsafeNameError):
        getattr(derivation, method)()


@pytest.mark.parametrize("name", UNSAFE_NAMES)
def test_unsafe_function_names_are_refused(name):
    x = sp.Symbol("x")
    f = sp.Function(name)(x)
    derivation = power_step(x)
    from symderiv.render.tex import to_tex

    with pytest.raises(UnsafeNameError):
        to_tex(f)
    assert derivation.to_latex()


@pytest.mark.parametrize("name", ["x", "x_1", "theta", "θ", "a^{(3)}", "theta^{(2)}_{12}", "y'", "z_{ij}"])
def test_ordinary_names_print(name):
    assert check_name(name) == name
    assert power_step(sp.Symbol(name)).to_html()
