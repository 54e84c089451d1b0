"""The textbook level of detail: a main chain as short as a textbook's, every chain proven.

Known answers come from outside symderiv: SymPy's own ``diff`` evaluated by mpmath at random
points, the seeds' forms (σ(1 − σ), a − y, (a − y)·x), and the line counts the issue sets.
"""

from __future__ import annotations

import random

import mpmath
import pytest
import sympy as sp

import symderiv as sd
from symderiv.core.steps import resolve_where
from symderiv.render.outline import outline

x, w, b, y, z = sp.symbols("x w b y z")
sigma = sd.sigmoid
LOSS_Z = -(y * sp.log(sigma(z)) + (1 - y) * sp.log(1 - sigma(z)))
LOSS_W = -(y * sp.log(sigma(w * x + b)) + (1 - y) * sp.log(1 - sigma(w * x + b)))


def chains(derivation):
    """The derivation and every sub-derivation below it, depth first."""
    yield derivation
    for step in derivation.steps:
        for sub in step.substeps:
            yield from chains(sub)


def sympy_value(expr, where, point):
    """``expr`` with ``where`` put back and derivatives done by SymPy, at ``point``, 40 digits."""
    resolved = resolve_where(expr.doit(), where).doit()
    return sp.N(resolved.subs(point), 40)


# --- the targets ------------------------------------------------------------------------------

@pytest.mark.parametrize("strategy", sorted(sd.STRATEGIES))
def test_sigmoid_prime_from_its_formula_takes_at_most_six_lines_by_every_strategy(strategy):
    d = sd.derive(1 / (1 + sp.exp(-x)), x, strategy=strategy)
    assert len(d.steps) <= 6
    assert d.result == sigma(x) * (1 - sigma(x))


def test_the_cross_entropy_by_z_takes_at_most_five_lines_and_ends_in_a_minus_y():
    d = sd.derive(LOSS_Z, z)
    assert len(d.steps) <= 5
    assert d.result == sigma(z) - y
    a = next(name for name, value in d.where.items() if value == sigma(z))
    assert a == sp.Symbol("a")
    assert any(step.after == a - y for step in d.steps)  # the seed's δ = a − y, in the names


def test_the_cross_entropy_by_w_takes_at_most_six_lines_and_reads_a_minus_y_times_x():
    d = sd.derive(LOSS_W, w)
    assert len(d.steps) <= 6
    assert d.result == x * (sigma(w * x + b) - y)
    a, z_ = sp.Symbol("a"), sp.Symbol("z")
    assert d.where == {a: sigma(z_), z_: b + w * x}
    assert any(step.after == x * (a - y) for step in d.steps)
    first = d.steps[0].after
    variables = sorted(str(arg.variables[0]) for arg in first.args)
    assert variables == ["a", "w", "z"]  # ∂L/∂a · ∂a/∂z · ∂z/∂w


@pytest.mark.parametrize("logistic", [1 / (1 + sp.exp(-z)), sp.exp(z) / (1 + sp.exp(z))],
                         ids=["1/(1+exp(-z))", "exp(z)/(1+exp(z))"])
def test_the_cross_entropy_with_sigma_written_out_is_derived_through_sigma(logistic):
    loss = -(y * sp.log(logistic) + (1 - y) * sp.log(1 - logistic))
    d = sd.derive(loss, z)
    assert d.steps[0].rule == "recognize_sigmoid"  # σ is written first, as the seeds define it
    assert d.steps[0].after == sp.Derivative(LOSS_Z, z) or sp.simplify(d.steps[0].after.expr - LOSS_Z) == 0
    assert len(d.steps) <= 6
    assert d.result == sigma(z) - y  # the seed's ∂L/∂z = a − y
    rules = [step.rule for chain in chains(d) for step in chain.steps]
    assert rules.count("sigmoid") == 1  # σ′ = σ(1 − σ) taken once, not derived twice from exp


def test_sigma_written_out_alone_is_still_derived_by_the_seeds_route():
    d = sd.derive(1 / (1 + sp.exp(-z)), z)
    assert "recognize_sigmoid" not in [step.rule for step in d.steps[:1]]
    assert "sigmoid" not in [step.rule for chain in chains(d) for step in chain.steps]


def test_the_named_result_is_shown_beside_the_result_in_the_original_variables():
    document = outline(sd.derive(LOSS_W, w), "en")
    a = sp.Symbol("a")
    assert document.named_result == sp.Eq(sp.Derivative(LOSS_W, w), x * (a - y), evaluate=False)
    names = [name for name, _ in document.definitions]
    assert len(names) == len(set(names))  # each name defined once, sub-derivations' included
    assert names[:2] == [a, sp.Symbol("z")]
    assert dict(document.definitions)[a] == sigma(sp.Symbol("z"))


# --- every chain, main or sub, keeps the contract --------------------------------------------

PROBLEMS = [
    (LOSS_W, w), (LOSS_Z, z), (1 / (1 + sp.exp(-x)), x), (sp.exp(x) / (1 + sp.exp(x)), x),
    (x**2 * sp.sin(x), x), (sp.sin(x**2) * sp.exp(-x), x), (sp.log(1 + sp.exp(w * x + b)), w),
    (sp.tanh(w * x + b) ** 2 / 2, w), ((sigma(w * x + b) - y) ** 2 / 2, w), (sp.sqrt(1 + x**2) / x, x),
]


@pytest.mark.parametrize(("expr", "wrt"), PROBLEMS, ids=[f"d/d{v} {e}" for e, v in PROBLEMS])
def test_every_chain_starts_at_its_derivative_chains_and_holds_against_sympy(expr, wrt):
    d = sd.derive(expr, wrt)
    rng = random.Random(7)
    for chain in chains(d):
        assert chain.steps[0].before == sp.Derivative(chain.expr, chain.wrt)
        for before, after in zip(chain.steps, chain.steps[1:]):
            assert before.after == after.before
        symbols = sorted(chain.expr.free_symbols | {chain.wrt}, key=str)
        point = {s: sp.Rational(rng.randint(11, 19), 10) for s in symbols}
        truth = sp.N(sp.diff(chain.expr, chain.wrt).subs(point), 40)
        assert abs(sympy_value(chain.result, {}, point) - truth) <= 1e-30 * max(1, abs(truth))
        for step in chain.steps:  # each step, its names put back, is SymPy's derivative too
            where = dict(step.where)
            value = sympy_value(step.after, where, point)
            assert abs(value - truth) <= 1e-30 * max(1, abs(truth)), (step.rule, step.after)


@pytest.mark.parametrize(("expr", "wrt"), PROBLEMS[:4])
def test_the_main_chain_and_every_sub_derivation_are_proven(expr, wrt):
    d = sd.derive(expr, wrt)
    report = d.check()
    assert len(report.proofs) == len(d.steps)
    for chain in chains(d):
        assert chain.report is not None and len(chain.report.proofs) == len(chain.steps)


def test_a_main_step_with_sub_derivations_replaces_each_derivative_by_its_sub_result():
    d = sd.derive(LOSS_W, w)
    line = next(step for step in d.steps if step.substeps)
    assert line.rule == "derivatives"
    for sub in line.substeps:
        node = sp.Derivative(sub.expr, sub.wrt)
        assert line.before.has(node)
        assert not line.after.has(node)


# --- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("expr", "wrt"), PROBLEMS, ids=[f"d/d{v} {e}" for e, v in PROBLEMS])
def test_one_subexpression_has_one_name_and_one_name_one_subexpression(expr, wrt):
    d = sd.derive(expr, wrt)
    meaning: dict[sp.Symbol, sp.Expr] = {}
    for chain in chains(d):
        for step in chain.steps:
            for name, value in step.where.items():
                full = resolve_where(value, step.where)
                assert meaning.setdefault(name, full) == full, f"{name} means two things"
    values = list(meaning.values())
    assert len(values) == len(set(values)), f"one subexpression has two names: {meaning}"


def test_the_user_chooses_the_names_of_intermediates():
    d = sd.derive(LOSS_W, w, names={"h": w * x + b, "p": sigma(w * x + b)})
    h, p = sp.symbols("h p")
    assert d.where == {p: sigma(h), h: b + w * x}
    assert any(step.after == x * (p - y) for step in d.steps)
    assert d.result == x * (sigma(w * x + b) - y)


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ({"x": x + 1}, "already a symbol"),
        ({"1a": x + 1}, "not a variable's name"),
        ({"h": "x + 1"}, "text is never parsed"),
        ({"h": x + 1, "k": x + 1}, "name the same subexpression"),
        ({"h": x**3}, "not a subexpression"),
        ("h", "must map names"),
    ],
)
def test_bad_names_are_refused_before_any_work(names, message):
    with pytest.raises(sd.UnsupportedError, match=message):
        sd.derive(sp.sin(x + 1), x, names=names)


# --- the two levels ---------------------------------------------------------------------------

def test_full_detail_is_one_flat_chain_and_reaches_the_same_result():
    textbook, full = sd.derive(LOSS_W, w), sd.derive(LOSS_W, w, detail="full")
    assert textbook.result == full.result
    assert not any(step.substeps for step in full.steps)
    assert len(full.steps) > 2 * len(textbook.steps)
    assert set(full.rules) <= set(textbook.all_rules) | {"simplify", "expand", "factor", "substitute"}


def test_an_unknown_detail_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="textbook, full"):
        sd.derive(x**2, x, detail="short")


def test_sub_derivations_survive_a_json_round_trip():
    d = sd.derive(LOSS_W, w)
    back = sd.Derivation.from_json(d.to_json())
    assert back.steps == d.steps
    assert [c.expr for c in chains(back)] == [c.expr for c in chains(d)]


def test_sub_derivations_nest_no_deeper_than_the_json_reader_allows():
    too_deep = sd.Derivation.from_json
    d = sd.derive(sp.exp(sp.sin(sp.log(1 + x**2))), x)
    depth = max(_depth(d), 1)
    assert depth <= sd.JsonLimits().max_sub_depth
    assert too_deep(d.to_json()).steps == d.steps


def _depth(derivation, level=0):
    return max([level] + [_depth(sub, level + 1) for step in derivation.steps for sub in step.substeps])


def test_the_textbook_result_agrees_with_mpmath_finite_differences():
    d = sd.derive(LOSS_W, w)
    f = sp.lambdify((w, x, b, y), LOSS_W.rewrite(sp.exp), "mpmath")
    g = sp.lambdify((w, x, b, y), d.result.rewrite(sp.exp), "mpmath")
    mpmath.mp.dps = 30
    try:
        for values in [("0.3", "1.2", "-0.4", 1), ("-1.1", "0.5", "0.2", 0), ("2.0", "-0.7", "0.9", 1)]:
            point = tuple(mpmath.mpf(v) for v in values)
            numeric = mpmath.diff(lambda t, rest=point[1:]: f(t, *rest), point[0])
            assert abs(numeric - g(*point)) < 1e-20
    finally:
        mpmath.mp.dps = 15


@pytest.mark.parametrize("expr", [sigma(x) + sigma(-x), sp.sec(x) ** 2 - sp.tan(x) ** 2, sp.log(sp.exp(x) / (1 + sp.exp(x))) - sp.log(sigma(x))])
def test_the_derivative_of_a_constant_in_disguise_is_written_0(expr):
    assert sp.simplify(sp.diff(expr, x).rewrite(sp.exp)) == 0  # SymPy agrees it is constant
    d = sd.derive(expr, x)
    assert d.result == 0
    assert d.report is not None


@pytest.mark.parametrize(("expr", "named"), [
    (sp.log(sp.cosh(x)), sp.tanh(x)), (sp.log(sp.cos(x)), -sp.tan(x)),
    (sp.log(sp.sin(x)), sp.cot(x)), (sp.log(sp.sinh(x)), sp.coth(x)),
])
def test_a_quotient_with_a_name_of_its_own_is_written_by_it(expr, named):
    d = sd.derive(expr, x)
    assert d.result == named
    assert sp.simplify(d.result - sp.diff(expr, x)) == 0  # SymPy's own derivative
