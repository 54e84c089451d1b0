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
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ...core.derivation import Derivation
from ...core.functions import sigmoid
from ...core.report import StepProof
from ...core.steps import Step, where_in_scope
from ...proof.check import check_step
from ...render.matrix import chains_latex, chains_text
from .builder import focus_of
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
    the proven derivations of the local derivatives each entry of δ⁽ᴸ⁾ and g' rests on.
    """

    network: Model
    derivations: tuple[MatrixDerivation, ...]
    local: dict[str, Derivation]
    checked: bool

    @property
    def rules(self) -> tuple[tuple[sp.Basic, sp.Basic], ...]:
        """Each rule as (name, final form)."""
        return tuple((d.name, d.result) for d in self.derivations)

    @property
    def steps(self) -> tuple[MatrixStep, ...]:
        return tuple(step for d in self.derivations for step in d.steps)

    def to_text(self) -> str:
        """The rules as plain text, one equality per line with its rule id."""
        return chains_text(self.derivations)

    def to_latex(self, lang: str = "en") -> str:
        """The rules as one LaTeX ``align*`` block, each step with its rule's name in ``lang``."""
        return chains_latex(self.derivations, lang)

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


def _slope_matrix(net: Model, mats: _Matrices, layer: int) -> sp.Basic:
    """g'(z⁽ˡ⁾) entry by entry, as the derivative rule writes it in g: σ(z) ⊙ (1 − σ(z)), ..."""
    z = mats.z(layer)
    ones = sp.OneMatrix(*z.shape)
    name = net.activation.name
    if name == "sigmoid":
        s = ElementwiseApplyFunction(sigmoid, z)
        return sp.HadamardProduct(s, ones - s)
    if name == "tanh":
        s = ElementwiseApplyFunction(sp.tanh, z)
        return ones - sp.HadamardProduct(s, s)
    t = sp.Dummy("t")
    return ElementwiseApplyFunction(sp.Lambda(t, sp.Heaviside(t, 0)), z)


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


def backprop(net: Model, *, check: bool) -> Backprop:
    """The δ rules and the gradient of every weight matrix of ``net``, proven entry by entry when ``check``."""
    mats = _Matrices(net)
    where = net.bindings
    L = net.L
    derivations: list[MatrixDerivation] = []

    def chain(name: sp.Basic, *forms: tuple[str, sp.Basic]) -> None:
        steps = []
        for (_, before), (rule, after) in zip(forms, forms[1:]):
            steps.append(_matrix_step(mats, where, rule, before, after, check=check, index=len(derivations)))
        derivations.append(MatrixDerivation(name, tuple(steps)))

    chain(mats.delta(L), ("", mats.dE_dz(L)), ("output_delta", _output_matrix(net, mats)))
    for layer in range(L - 1, 1, -1):
        back_z = (mats.theta(layer).T * mats.dE_dz(layer + 1))[1:, :]
        back_d = (mats.theta(layer).T * mats.delta(layer + 1))[1:, :]
        forms = [
            ("", mats.dE_dz(layer)),
            ("backprop", sp.HadamardProduct(back_z, _slope_matrix(net, mats, layer))),
            ("delta", sp.HadamardProduct(back_d, _slope_matrix(net, mats, layer))),
        ]
        if net.activation.named:
            forms.append(("activation", sp.HadamardProduct(back_d, _slope_in_a(net, mats, layer))))
        chain(mats.delta(layer), *forms)
    inverse = 1 / net.m
    for layer in range(L - 1, 0, -1):
        theta = mats.theta(layer)
        penalty: sp.Basic = sp.ZeroMatrix(*theta.shape)
        regular: sp.Basic = sp.ZeroMatrix(*theta.shape)
        if net.regularization:
            regular = mats.dJ_dtheta(layer, "R")
            penalty = (net.lam / net.m) * sp.BlockMatrix([[sp.ZeroMatrix(theta.shape[0], 1), theta[:, 1:]]])
        dJ = mats.dJ_dtheta(layer, "J")
        forms = [("", dJ)]
        if net.regularization:
            forms.append(("sum", inverse * mats.dJ_dtheta(layer, "E") + regular))
        else:
            forms.append(("constant_multiple", inverse * mats.dJ_dtheta(layer, "E")))
        outer = inverse * mats.dE_dz(layer + 1) * mats.a(layer).T
        forms.append(("matrix_elementwise", outer + regular if net.regularization else outer))
        product = inverse * mats.delta(layer + 1) * mats.a(layer).T
        forms.append(("delta", product + regular if net.regularization else product))
        if net.regularization:
            forms.append(("regularization", product + penalty))
        chain(dJ, *forms)
    local = local_forms(net.activation.name, net.head.name, net.sizes[-1])
    return Backprop(net, tuple(derivations), dict(local.derivations), check)


def _matrix_step(
    mats: _Matrices, where: Mapping[sp.Symbol, sp.Expr], rule: str, before: sp.Basic, after: sp.Basic,
    *, check: bool, index: int,
) -> MatrixStep:
    left, right = mats.entries(before), mats.entries(after)
    if left.shape != right.shape:
        raise AssertionError(f"{rule}: shapes differ, {left.shape} against {right.shape}")
    elements = []
    proofs = []
    for r in range(left.rows):
        for c in range(left.cols):
            b, a = left[r, c], right[r, c]
            if b == a:
                continue
            step = Step(rule, b, a, where=where_in_scope(where, b, a), focus=focus_of(b, a),
                        detail={"entry": (r, c)})
            elements.append(step)
            if check:
                proofs.append(check_step(step, index=index * 1000 + r * left.cols + c))
    return MatrixStep(rule, before, after, tuple(elements), tuple(proofs))
