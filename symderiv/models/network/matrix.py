r"""The δ rules and the gradient in vector form, each matrix step proven entry by entry.

δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y, δ⁽ˡ⁾ = ((Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾)[1:] ⊙ a⁽ˡ⁾[1:] ⊙ (1 − a⁽ˡ⁾[1:]) (bias row dropped) and
∂J/∂Θ⁽ˡ⁾ = (1/m) δ⁽ˡ⁺¹⁾(a⁽ˡ⁾)ᵀ + (λ/m)[0 Θ⁽ˡ⁾[:, 1:]], with one column per sample. Each side
is a SymPy matrix expression over the model's matrices (:class:`_Matrices`); SymPy's own
matrix algebra writes both sides out entry by entry, and each entry equality is proven as a
scalar step. :mod:`symderiv.render.matrix` prints the chains.

>>> from symderiv.models.network.model import Model
>>> rules = backprop(Model([2, 2, 1]), check=True)
>>> print(rules.to_text().splitlines()[0])
delta^(3) = dE/dz^(3)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import sympy as sp

from ...core.derivation import Derivation
from ...core.report import StepProof
from ...core.steps import Step, where_in_scope
from ...proof.check import check_step
from ...render.matrix import chains_latex, chains_text
from .builder import focus_of
from .layer_rules import layer_rules, output_symbols, rule_symbols
from .local import local_forms
from .model import Model

__all__ = ["Backprop", "MatrixDerivation", "MatrixStep", "backprop"]


@dataclass(frozen=True)
class MatrixStep:
    """One equality between matrix expressions, proven entry by entry.

    ``elements`` are the scalar steps, one per entry in row-major order: SymPy's matrix algebra
    writes each side out entry by entry, and each entry equality is proven like any step.
    """

    rule: str
    before: sp.Basic
    after: sp.Basic
    elements: tuple[Step, ...]
    proofs: tuple[StepProof, ...] = ()
    because: tuple[str, ...] = ()
    """The keys of :attr:`Backprop.matrix_derivations` this line is instantiated from."""


@dataclass(frozen=True)
class MatrixDerivation:
    """One rule in vector form: ``name`` = ``steps[0].before`` = … = ``result``."""

    name: sp.Basic
    steps: tuple[MatrixStep, ...]

    @property
    def result(self) -> sp.Basic:
        return self.steps[-1].after

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(step.rule for step in self.steps)


@dataclass(frozen=True)
class Backprop:
    """The δ rules and the gradient of every weight matrix, in vector form.

    ``derivations`` holds δ⁽ᴸ⁾, δ⁽ᴸ⁻¹⁾, …, δ⁽²⁾, then ∂J/∂Θ⁽ᴸ⁻¹⁾, …, ∂J/∂Θ⁽¹⁾; ``local``
    the proven derivations of the local derivatives each entry of δ⁽ᴸ⁾ and g' rests on;
    ``matrix_derivations`` the rules the chains are instantiated from, each derived by the matrix
    engine (:func:`symderiv.derive` with a ``MatrixSymbol``) and proven
    (:mod:`.layer_rules`: ``output``, ``backward l``, ``slope l``, ``weights l``, ``bias l``).
    """

    network: Model
    derivations: tuple[MatrixDerivation, ...]
    local: dict[str, Derivation]
    checked: bool
    matrix_derivations: dict[str, Derivation] = field(default_factory=dict)

    @property
    def rules(self) -> tuple[tuple[sp.Basic, sp.Basic], ...]:
        """Each rule as (name, final form)."""
        return tuple((d.name, d.result) for d in self.derivations)

    @property
    def steps(self) -> tuple[MatrixStep, ...]:
        return tuple(step for d in self.derivations for step in d.steps)

    def to_text(self) -> str:
        """The rules as plain text, one equality per line with its rule id."""
        return chains_text(self.derivations, self.matrix_derivations)

    def to_latex(self, lang: str = "en") -> str:
        """The rules as one LaTeX ``align*`` block, each step with its rule's name in ``lang``."""
        return chains_latex(self.derivations, lang, self.matrix_derivations)

    def __str__(self) -> str:
        return self.to_text()


class _Matrices:
    """The network's matrices as SymPy matrix symbols, and their entries as the scalar symbols."""

    def __init__(self, net: Model) -> None:
        self.net = net
        self.n = len(net.sample_indices)
        self.leaves: dict[sp.MatrixSymbol, sp.ImmutableMatrix] = {}
        self.derivatives: dict[sp.Dummy, sp.Expr] = {}

    def matrix(self, name: str, rows: int, cols: int, entry: Callable[[int, int], sp.Expr]) -> sp.MatrixSymbol:
        """The matrix symbol ``name`` and, the first time, its entries."""
        symbol = sp.MatrixSymbol(name, rows, cols)
        if symbol not in self.leaves:
            self.leaves[symbol] = sp.ImmutableMatrix(rows, cols, lambda r, c: entry(r, c))
        return symbol

    def derivative(self, name: str, rows: int, cols: int, entry: Callable[[int, int], sp.Expr]) -> sp.MatrixSymbol:
        """A matrix of derivatives: its entries stand in as placeholders while matrices multiply."""

        def placeholder(r: int, c: int) -> sp.Expr:
            dummy = sp.Dummy(f"d{r}_{c}")
            self.derivatives[dummy] = entry(r, c)
            return dummy

        return self.matrix(name, rows, cols, placeholder)

    # the network's matrices
    def theta(self, layer: int) -> sp.MatrixSymbol:
        net = self.net
        return self.matrix(
            f"Theta^({layer})", net.sizes[layer], net.sizes[layer - 1] + 1,
            lambda r, c: net.theta(layer, r + 1, c),
        )

    def a(self, layer: int) -> sp.MatrixSymbol:
        net = self.net
        bias = 1 if layer < net.L else 0
        return self.matrix(
            f"a^({layer})", net.sizes[layer - 1] + bias, self.n,
            lambda r, c: net.a(layer, r + 1 - bias, c + 1),
        )

    def z(self, layer: int) -> sp.MatrixSymbol:
        net = self.net
        return self.matrix(f"z^({layer})", net.sizes[layer - 1], self.n, lambda r, c: net.z(layer, r + 1, c + 1))

    def y(self) -> sp.MatrixSymbol:
        net = self.net
        return self.matrix("y", net.sizes[-1], self.n, lambda r, c: net.y(r + 1, c + 1))

    def delta(self, layer: int) -> sp.MatrixSymbol:
        net = self.net
        return self.matrix(
            f"delta^({layer})", net.sizes[layer - 1], self.n, lambda r, c: net.delta(layer, r + 1, c + 1)
        )

    def dE_dz(self, layer: int) -> sp.MatrixSymbol:
        net = self.net
        losses = {s: net.loss_from(layer, s) for s in net.sample_indices}
        return self.derivative(
            f"dE/dz^({layer})", net.sizes[layer - 1], self.n,
            lambda r, c: sp.Derivative(losses[c + 1], net.z(layer, r + 1, c + 1)),
        )

    def dJ_dtheta(self, layer: int, which: str) -> sp.MatrixSymbol:
        net = self.net
        function = {
            "J": net.cost,
            "E": sp.Add(*(net.loss(s) for s in net.sample_indices)),
            "R": net.regularization_term,
        }[which]
        return self.derivative(
            f"d{which}/dTheta^({layer})", net.sizes[layer], net.sizes[layer - 1] + 1,
            lambda r, c: sp.Derivative(function, net.theta(layer, r + 1, c)),
        )

    def entries(self, expr: sp.Basic) -> sp.ImmutableMatrix:
        """``expr`` written out entry by entry by SymPy's matrix algebra."""
        explicit = expr.xreplace(dict(self.leaves))
        matrix = sp.ImmutableMatrix(explicit.as_explicit()) if not isinstance(explicit, sp.MatrixBase) else explicit
        return matrix.xreplace(self.derivatives)


def _slope_in_a(net: Model, mats: _Matrices, layer: int) -> sp.Basic:
    a = mats.a(layer)[1:, :]
    ones = sp.OneMatrix(*a.shape)
    if net.activation.name == "sigmoid":
        return sp.HadamardProduct(a, ones - a)
    return ones - sp.HadamardProduct(a, a)


def _output_matrix(net: Model, mats: _Matrices) -> sp.Basic:
    a, y = mats.a(net.L), mats.y()
    if net.head.name == "mse":
        return sp.HadamardProduct(a - y, a, sp.OneMatrix(*a.shape) - a)
    return a - y


Form = tuple[str, sp.Basic, tuple[str, ...]]


def backprop(net: Model, *, check: bool) -> Backprop:
    """The δ rules and the gradient of every weight matrix of ``net``, proven entry by entry when ``check``.

    The lines of the chains that apply a rule of matrix calculus are the results of
    :func:`.layer_rules.layer_rules` (derived and proven by the matrix engine) with the network's
    matrices put in: W⁽ˡ⁾ = Θ⁽ˡ⁾[:, 1:], a⁽ˡ⁾ without its bias row = a⁽ˡ⁾[1:, :], δ⁽ˡ⁺¹⁾ = ∂E/∂z⁽ˡ⁺¹⁾;
    a ``bias_unit`` line then writes them the seed's way, with Θ⁽ˡ⁾ whole and a⁽ˡ⁾ with its 1.
    """
    mats = _Matrices(net)
    where = net.bindings
    L = net.L
    sizes = tuple(net.sizes)
    columns = mats.n
    rules = layer_rules(sizes, columns, net.activation.name, net.head.name, check=check)
    derivations: list[MatrixDerivation] = []

    def chain(name: sp.Basic, *forms: Form) -> None:
        steps = []
        for (_, before, _), (rule, after, because) in zip(forms, forms[1:]):
            steps.append(_matrix_step(mats, where, rule, before, after, check=check, index=len(derivations),
                                      because=because))
        derivations.append(MatrixDerivation(name, tuple(steps)))

    output = rules["output"]
    out = output_symbols(sizes, output.wrt.shape[1])
    if output.wrt.shape == mats.z(L).shape:  # the softmax's rule is one column's: cited, not put in
        engine_form = output.result.xreplace({out["z"]: mats.z(L), out["y"]: mats.y()})
        chain(mats.delta(L), ("", mats.dE_dz(L), ()), ("output_delta", engine_form, ("output",)),
              ("activation", _output_matrix(net, mats), ()))
    else:
        chain(mats.delta(L), ("", mats.dE_dz(L), ()), ("output_delta", _output_matrix(net, mats), ("output",)))
    for layer in range(L - 1, 1, -1):
        s = rule_symbols(sizes, columns, layer)
        theta, above = mats.theta(layer), mats.dE_dz(layer + 1)
        error = rules[f"backward {layer}"].result.xreplace({s["W"]: theta[:, 1:], s["delta"]: above})
        slope = rules[f"slope {layer}"].result.xreplace({s["z"]: mats.z(layer)})
        back_d = (theta.T * mats.delta(layer + 1))[1:, :]
        forms: list[Form] = [
            ("", mats.dE_dz(layer), ()),
            ("backprop", slope.xreplace({s["e"]: error}), (f"backward {layer}", f"slope {layer}")),
            ("bias_unit", slope.xreplace({s["e"]: (theta.T * above)[1:, :]}), ()),
            ("delta", slope.xreplace({s["e"]: back_d}), ()),
        ]
        if net.activation.named:
            forms.append(("activation", sp.HadamardProduct(back_d, _slope_in_a(net, mats, layer)), ()))
        chain(mats.delta(layer), *forms)
    inverse = 1 / net.m
    for layer in range(L - 1, 0, -1):
        s = rule_symbols(sizes, columns, layer)
        theta = mats.theta(layer)
        penalty: sp.Basic = sp.ZeroMatrix(*theta.shape)
        regular: sp.Basic = sp.ZeroMatrix(*theta.shape)
        if net.regularization:
            regular = mats.dJ_dtheta(layer, "R")
            penalty = (net.lam / net.m) * sp.BlockMatrix([[sp.ZeroMatrix(theta.shape[0], 1), theta[:, 1:]]])

        def plus(term: sp.Basic, regular: sp.Basic = regular) -> sp.Basic:
            return term + regular if net.regularization else term

        dJ = mats.dJ_dtheta(layer, "J")
        weights_forms: list[Form] = [("", dJ, ())]
        if net.regularization:
            weights_forms.append(("sum", inverse * mats.dJ_dtheta(layer, "E") + regular, ()))
        else:
            weights_forms.append(("constant_multiple", inverse * mats.dJ_dtheta(layer, "E"), ()))
        put_in = {s["delta"]: mats.dE_dz(layer + 1), s["a"]: mats.a(layer)[1:, :]}
        blocks = sp.BlockMatrix([[rules[f"bias {layer}"].result.xreplace(put_in),
                                  rules[f"weights {layer}"].result.xreplace(put_in)]])
        weights_forms.append(("matrix_elementwise", plus(inverse * blocks), (f"bias {layer}", f"weights {layer}")))
        weights_forms.append(("bias_unit", plus(inverse * mats.dE_dz(layer + 1) * mats.a(layer).T), ()))
        product = inverse * mats.delta(layer + 1) * mats.a(layer).T
        weights_forms.append(("delta", plus(product), ()))
        if net.regularization:
            weights_forms.append(("regularization", product + penalty, ()))
        chain(dJ, *weights_forms)
    local = local_forms(net.activation.name, net.head.name, net.sizes[-1])
    return Backprop(net, tuple(derivations), dict(local.derivations), check, rules)


def _matrix_step(
    mats: _Matrices, where: Mapping[sp.Symbol, sp.Expr], rule: str, before: sp.Basic, after: sp.Basic,
    *, check: bool, index: int, because: tuple[str, ...] = (),
) -> MatrixStep:
    left, right = mats.entries(before), mats.entries(after)
    if left.shape != right.shape:
        raise AssertionError(f"{rule}: shapes differ, {left.shape} against {right.shape}")
    elements = []
    proofs = []
    for r in range(left.rows):
        for c in range(left.cols):
            b, a = left[r, c], right[r, c]  # every entry, those written the same too (proven identical)
            step = Step(rule, b, a, where=where_in_scope(where, b, a), focus=focus_of(b, a),
                        detail={"entry": (r, c)})
            elements.append(step)
            if check:
                proofs.append(check_step(step, index=index * 1000 + r * left.cols + c))
    return MatrixStep(rule, before, after, tuple(elements), tuple(proofs), because)
