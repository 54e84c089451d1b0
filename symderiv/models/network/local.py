"""The local derivatives of one kind of network, each derived once and proven by the core engine.

Reverse mode multiplies a handful of local derivatives: the output's error ∂E/∂z⁽ᴸ⁾ₖ, the
activation's slope g'(z), ∂z/∂θⱼ = aⱼ, ∂z/∂aⱼ = θⱼ and the penalty's ∂R/∂θ. They do not depend
on the network's size, so :func:`local_forms` derives them once per activation, head and number
of classes (cached), in symbols of their own; :class:`LocalForms` instantiates them for one unit.

>>> forms = local_forms("sigmoid", "cross_entropy", 1)
>>> forms.derivations["slope"].result
a*(1 - a)
>>> import sympy as sp
>>> forms.output(1, sp.Symbol("h"), sp.Symbol("t"))
h - t
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from ...calculus.engine import derive
from ...core.derivation import Derivation
from ...core.functions import sigmoid
from ...core.report import CheckReport
from ...core.steps import Step
from ...proof.check import check_derivation, check_step
from .kinds import ACTIVATIONS, LOSSES
from .softmax import softmax_output

__all__ = ["LocalForms", "local_forms"]


@dataclass(frozen=True)
class LocalForms:
    """The local derivatives reverse mode multiplies, each derived and proven by the core engine.

    ``derivations`` maps a name to its :class:`Derivation`; the methods instantiate the results
    for one unit: ``output`` (∂E/∂z⁽ᴸ⁾ₖ), ``slope`` (g'(z) in terms of a and z), ``by_weight``
    (∂z/∂θⱼ = aⱼ), ``by_input`` (∂z/∂aⱼ = θⱼ) and ``penalty`` (∂R/∂θ).
    """

    derivations: dict[str, Derivation]
    symbols: dict[str, sp.Symbol]
    output_forms: tuple[sp.Expr, ...]

    def _form(self, name: str) -> sp.Expr:
        return self.derivations[name].result

    def output(self, k: int, a: sp.Expr, y: sp.Expr) -> sp.Expr:
        """∂E/∂z⁽ᴸ⁾ₖ of output unit k, in its activation ``a`` and its target ``y``."""
        s = self.symbols
        if "output" in self.derivations:  # one form for every unit of a sigmoid output
            return self.output_forms[0].xreplace({s["a"]: a, s["y"]: y})
        return self.output_forms[k - 1].xreplace({s[f"a{k}"]: a, s[f"y{k}"]: y})

    def slope(self, a: sp.Expr, z: sp.Expr) -> sp.Expr:
        """g'(z) of a hidden unit, written with its activation ``a`` where the textbooks do."""
        s = self.symbols
        return self._form("slope").xreplace({s["a"]: a, s["z"]: z})

    def by_weight(self, a: sp.Expr) -> sp.Expr:
        """∂z/∂θⱼ: the input ``a`` that the weight multiplies."""
        s = self.symbols
        return self._form("by_weight").xreplace({s["v"]: a})

    def by_input(self, theta: sp.Expr) -> sp.Expr:
        """∂z/∂aⱼ: the weight ``theta`` on that input."""
        s = self.symbols
        return self._form("by_input").xreplace({s["w"]: theta})

    def penalty(self, theta: sp.Expr, lam: sp.Expr, m: sp.Expr) -> sp.Expr:
        """∂R/∂θ of the penalty (λ/2m) Σ θ²: (λ/m) θ."""
        s = self.symbols
        return self._form("penalty").xreplace({s["w"]: theta, s["lambda"]: lam, s["m"]: m})


@lru_cache(maxsize=None)
def local_forms(activation: str, head: str, classes: int) -> LocalForms:
    """Derive the local derivatives of one kind of network (cached: they do not depend on size)."""
    a, y, z, v, w, b = sp.symbols("a y z v w b")
    lam, m = sp.symbols("lambda m")
    g = ACTIVATIONS[activation]
    derivations: dict[str, Derivation] = {}
    symbols = {"a": a, "y": y, "z": z, "v": v, "w": w, "b": b, "lambda": lam, "m": m}

    # g'(z), written with a = g(z) where the textbooks do: σ' = a(1 − a), tanh' = 1 − a².
    slope = derive(g.function(z), z)
    if g.named:
        slope = _named(slope, {g.function(z): a})
    derivations["slope"] = slope
    derivations["by_weight"] = derive(b + w * v, w)
    derivations["by_input"] = derive(b + w * v, v)
    derivations["penalty"] = derive(lam / (2 * m) * (w**2 + b**2), w)

    output_head = LOSSES[head]
    if output_head.output == "sigmoid":
        loss = output_head.loss([sigmoid(z)], [y])
        output = _named(derive(loss, z), {sigmoid(z): a})
        derivations["output"] = output
        forms: tuple[sp.Expr, ...] = (output.result,)
    else:
        zs = sp.symbols(f"z1:{classes + 1}")
        ys = sp.symbols(f"y1:{classes + 1}")
        as_ = sp.symbols(f"a1:{classes + 1}")
        for index in range(classes):
            symbols[f"a{index + 1}"] = as_[index]
            symbols[f"y{index + 1}"] = ys[index]
        forms_list = []
        for k in range(1, classes + 1):
            derivation = softmax_output(zs, ys, as_, k)
            derivations[f"output{k}"] = derivation
            forms_list.append(derivation.result)
        forms = tuple(forms_list)
    return LocalForms(derivations, symbols, forms)


def _named(derivation: Derivation, names: Mapping[sp.Expr, sp.Symbol]) -> Derivation:
    """``derivation`` (proven) with one more step: each activation g(z) written by its name a."""
    steps = list(derivation.steps)
    proofs = list(derivation.report.proofs) if derivation.report is not None else []
    current = derivation.result
    for value, name in names.items():
        after = current.xreplace({value: name})
        if after != current:
            step = Step("activation", current, after, where={name: value}, focus=(value, name),
                        detail={"names": {name: value}})
            steps.append(step)
            proofs.append(check_step(step, index=len(steps) - 1))
            current = after
    named = Derivation(expr=derivation.expr, wrt=derivation.wrt, steps=tuple(steps), strategy=derivation.strategy)
    if len(proofs) != len(steps):
        return named.with_report(check_derivation(named))
    return named.with_report(CheckReport(tuple(proofs)))
