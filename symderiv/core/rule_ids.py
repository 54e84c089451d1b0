"""The registry of rule ids: every kind of step symderiv can write, each with its law and an example.

A rule id is stable: documents, translations (``symderiv/locales``) and JSON exports refer to it.
The engine says *which* rule it applied; what the rule means in words lives in the locales.

>>> RULES["reciprocal"].law
'd/dx (1/u) = −u′/u²'
>>> RULES["sigmoid"].kind
'differentiation'
>>> all(rule_id == info.id for rule_id, info in RULES.items())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["RuleInfo", "RULES", "rule_info"]

RuleKind = Literal["differentiation", "structure", "form", "graph", "network"]


@dataclass(frozen=True)
class RuleInfo:
    """One rule: its stable ``id``, what ``kind`` of step it makes, its ``law`` and an ``example``."""

    id: str
    kind: RuleKind
    law: str
    example: str


def _rules(*infos: RuleInfo) -> dict[str, RuleInfo]:
    table: dict[str, RuleInfo] = {}
    for info in infos:
        if info.id in table:
            raise ValueError(f"rule id {info.id!r} registered twice")
        table[info.id] = info
    return table


_D = "differentiation"

RULES: dict[str, RuleInfo] = _rules(
    # Differentiation rules: each rewrites one Derivative node.
    RuleInfo("constant", _D, "d/dx c = 0", "d/dx 5 = 0"),
    RuleInfo("identity", _D, "d/dx x = 1", "d/dx x = 1"),
    RuleInfo("sum", _D, "d/dx (u + v) = u′ + v′", "d/dx (x² + x) = d/dx x² + d/dx x"),
    RuleInfo("constant_multiple", _D, "d/dx (c·u) = c·u′", "d/dx 3x² = 3·d/dx x²"),
    RuleInfo("product", _D, "d/dx (u·v) = u′·v + u·v′", "d/dx x·eˣ = eˣ + x·eˣ"),
    RuleInfo("quotient", _D, "d/dx (u/v) = (u′·v − u·v′)/v²", "d/dx x/(1+x) = 1/(1+x)²"),
    RuleInfo("reciprocal", _D, "d/dx (1/u) = −u′/u²", "d/dx 1/(1+e⁻ˣ) = e⁻ˣ/(1+e⁻ˣ)²"),
    RuleInfo("power", _D, "d/du uⁿ = n·uⁿ⁻¹", "d/dx x³ = 3x²"),
    RuleInfo("sqrt", _D, "d/du √u = 1/(2√u)", "d/dx √x = 1/(2√x)"),
    RuleInfo("root", _D, "d/du u^(1/n) = u^(1/n)/(n·u)", "d/dx ∛x = 1/(3∛x²)"),
    RuleInfo("exp", _D, "d/du eᵘ = eᵘ", "d/dx eˣ = eˣ"),
    RuleInfo("exponential", _D, "d/du aᵘ = aᵘ·ln a", "d/dx 2ˣ = 2ˣ·ln 2"),
    RuleInfo("log", _D, "d/du ln u = 1/u", "d/dx ln x = 1/x"),
    RuleInfo(
        "log_differentiation",
        _D,
        "d/dx uᵛ = uᵛ·(v′·ln u + v·u′/u)",
        "d/dx xˣ = xˣ·(ln x + 1)",
    ),
    RuleInfo("sin", _D, "d/du sin u = cos u", "d/dx sin x = cos x"),
    RuleInfo("cos", _D, "d/du cos u = −sin u", "d/dx cos x = −sin x"),
    RuleInfo("tan", _D, "d/du tan u = 1 + tan²u", "d/dx tan x = 1 + tan²x"),
    RuleInfo("cot", _D, "d/du cot u = −(1 + cot²u)", "d/dx cot x = −1 − cot²x"),
    RuleInfo("sec", _D, "d/du sec u = sec u·tan u", "d/dx sec x = sec x tan x"),
    RuleInfo("csc", _D, "d/du csc u = −csc u·cot u", "d/dx csc x = −csc x cot x"),
    RuleInfo("asin", _D, "d/du arcsin u = 1/√(1−u²)", "d/dx arcsin x = 1/√(1−x²)"),
    RuleInfo("acos", _D, "d/du arccos u = −1/√(1−u²)", "d/dx arccos x = −1/√(1−x²)"),
    RuleInfo("atan", _D, "d/du arctan u = 1/(1+u²)", "d/dx arctan x = 1/(1+x²)"),
    RuleInfo("acot", _D, "d/du arccot u = −1/(1+u²)", "d/dx arccot x = −1/(1+x²)"),
    RuleInfo("asec", _D, "d/du arcsec u = 1/(u²·√(1−1/u²))", "d/dx arcsec x = 1/(x²√(1−1/x²))"),
    RuleInfo("acsc", _D, "d/du arccsc u = −1/(u²·√(1−1/u²))", "d/dx arccsc x = −1/(x²√(1−1/x²))"),
    RuleInfo("sinh", _D, "d/du sinh u = cosh u", "d/dx sinh x = cosh x"),
    RuleInfo("cosh", _D, "d/du cosh u = sinh u", "d/dx cosh x = sinh x"),
    RuleInfo("tanh", _D, "d/du tanh u = 1 − tanh²u", "d/dx tanh x = 1 − tanh²x"),
    RuleInfo("coth", _D, "d/du coth u = 1 − coth²u", "d/dx coth x = 1 − coth²x"),
    RuleInfo("sech", _D, "d/du sech u = −sech u·tanh u", "d/dx sech x = −sech x tanh x"),
    RuleInfo("csch", _D, "d/du csch u = −csch u·coth u", "d/dx csch x = −csch x coth x"),
    RuleInfo("asinh", _D, "d/du arsinh u = 1/√(u²+1)", "d/dx arsinh x = 1/√(x²+1)"),
    RuleInfo("acosh", _D, "d/du arcosh u = 1/√(u²−1)", "d/dx arcosh x = 1/√(x²−1)"),
    RuleInfo("atanh", _D, "d/du artanh u = 1/(1−u²)", "d/dx artanh x = 1/(1−x²)"),
    RuleInfo("acoth", _D, "d/du arcoth u = 1/(1−u²)", "d/dx arcoth x = 1/(1−x²)"),
    RuleInfo("abs", _D, "d/du |u| = sign(u) for real u ≠ 0", "d/dx |x| = sign(x)"),
    RuleInfo("sigmoid", _D, "d/du σ(u) = σ(u)·(1 − σ(u))", "d/dx σ(x) = σ(x)(1 − σ(x))"),
    RuleInfo("softplus", _D, "d/du softplus(u) = σ(u)", "d/dx ln(1 + eˣ) = σ(x)"),
    RuleInfo("relu", _D, "d/du ReLU(u) = H(u), with H(0) = 0", "d/dx ReLU(x) = H(x)"),
    RuleInfo("heaviside", _D, "d/du H(u) = δ(u), which is 0 for u ≠ 0", "d/dx H(x) = δ(x)"),
    RuleInfo(
        "piecewise",
        _D,
        "d/dx {fᵢ if cᵢ} = {fᵢ′ if cᵢ}, away from the boundaries",
        "d/dx {x² if x > 0; 0} = {2x if x > 0; 0}",
    ),
    RuleInfo(
        "max",
        _D,
        "d/dx max(u, v) = u′ where u > v, v′ where v > u",
        "d/dx max(0, x) = {1 if x > 0; 0}",
    ),
    RuleInfo(
        "min",
        _D,
        "d/dx min(u, v) = u′ where u < v, v′ where v < u",
        "d/dx min(0, x) = {1 if x < 0; 0}",
    ),
    RuleInfo("chain", _D, "d/dx f(g(x)) = f′(u)·g′(x) with u = g(x)", "d/dx e⁻ˣ = eᵘ·d/dx(−x), u = −x"),
    RuleInfo("sympy", _D, "a derivative no named rule covers, taken by SymPy", "d/dx Γ(x) = Γ(x)ψ(x)"),
    # Graph: the backward pass of a computational graph (symderiv.models.graph), node by node.
    RuleInfo(
        "backward_node",
        "graph",
        "through a node n = f(u₁, …, uₖ): ḡ·dn/dx = Σᵢ ḡ·(∂f/∂uᵢ)·duᵢ/dx; what reaches uᵢ by several paths adds up",
        "d/dx 1/(1+e⁻ˣ) = −y²·d/dx (1+e⁻ˣ), y = 1/(1+e⁻ˣ)",
    ),
    # Network: layered networks and backpropagation (symderiv.models.network).
    RuleInfo(
        "weighted_sum",
        "network",
        "z = Σⱼ θⱼaⱼ (a₀ = 1): ∂z/∂θⱼ = aⱼ and ∂z/∂aⱼ = θⱼ",
        "∂/∂θ²₁₂ (θ²₁₀ + θ²₁₁a²₁ + θ²₁₂a²₂) = a²₂",
    ),
    RuleInfo("activation", "network", "g(z) = a: the activation written by its name", "σ(z³)(1 − σ(z³)) = a³(1 − a³)"),
    RuleInfo(
        "backprop",
        "network",
        "∂E/∂z⁽ˡ⁾ᵢ = Σₖ ∂E/∂z⁽ˡ⁺¹⁾ₖ · θ⁽ˡ⁾ₖᵢ · g′(z⁽ˡ⁾ᵢ): the chain rule summed over the next layer",
        "∂E/∂θ¹₁₂ = ∂E/∂z³·θ²₁₁·σ′(z²₁)·x₂",
    ),
    RuleInfo(
        "delta",
        "network",
        "δ⁽ˡ⁾ = ∂E/∂z⁽ˡ⁾ = ((Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ ⊙ g′(z⁽ˡ⁾)) without the bias row; δ⁽ᴸ⁾ = ∂E/∂z⁽ᴸ⁾",
        "δ³θ²₁₁a²₁(1 − a²₁) = δ²₁",
    ),
    RuleInfo(
        "output_delta",
        "network",
        "δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y (σ or softmax with the cross-entropy); (a⁽ᴸ⁾ − y) ⊙ a⁽ᴸ⁾ ⊙ (1 − a⁽ᴸ⁾) (σ, squared error)",
        "∂E/∂z³ = a³ − y",
    ),
    RuleInfo(
        "matrix_elementwise",
        "network",
        "∂E/∂Θ⁽ˡ⁾ = (∂E/∂z⁽ˡ⁺¹⁾)(a⁽ˡ⁾)ᵀ: entry (i, j) is Σₛ ∂E/∂z⁽ˡ⁺¹⁾ᵢ,ₛ · a⁽ˡ⁾ⱼ,ₛ",
        "∂E/∂θ²₁₂ = ∂E/∂z³ · a²₂",
    ),
    RuleInfo(
        "regularization",
        "network",
        "∂/∂θ (λ/2m) Σ θ² = (λ/m)θ; bias weights θᵢ₀ are not in the sum",
        "∂/∂θ²₁₂ (λ/2m)(… + (θ²₁₂)²) = (λ/m)θ²₁₂",
    ),
    RuleInfo(
        "log_softmax",
        "network",
        "log softmaxₖ(z) = zₖ − log Σⱼ e^{zⱼ}",
        "log(e^{z₁}/(e^{z₁} + e^{z₂})) = z₁ − log(e^{z₁} + e^{z₂})",
    ),
    RuleInfo(
        "targets_sum_to_one",
        "network",
        "Σₖ yₖ = 1 for a one-hot or probability target",
        "−y₁(z₁ − ℓ) − y₂(z₂ − ℓ) = ℓ − y₁z₁ − y₂z₂",
    ),
    # Structure: steps that manage substitutions.
    RuleInfo("substitute", "structure", "put back u = g(x) for each name", "eᵘ·(−1) = −e⁻ˣ, u = −x"),
    # Forms: rewriting the result toward what people write.
    RuleInfo("simplify", "form", "collect and cancel like terms", "x·x⁻¹·y = y"),
    RuleInfo("expand", "form", "multiply out products", "−(y(1−σ) − (1−y)σ) = σ − y"),
    RuleInfo("factor", "form", "take out a common factor", "xσ − xy = x(σ − y)"),
    RuleInfo(
        "scale_fraction",
        "form",
        "multiply numerator and denominator by the same non-zero factor",
        "eˣ/(1+eˣ)² = e⁻ˣ/(e⁻ˣ+1)²",
    ),
    RuleInfo("add_subtract", "form", "add and subtract the same term", "e⁻ˣ = (1 + e⁻ˣ) − 1"),
    RuleInfo(
        "split_fraction",
        "form",
        "(a − b)/a² = (1/a)·(1 − b/a)",
        "(1+e⁻ˣ−1)/(1+e⁻ˣ)² = 1/(1+e⁻ˣ)·(1 − 1/(1+e⁻ˣ))",
    ),
    RuleInfo("recognize_sigmoid", "form", "1/(1 + e⁻ᵘ) = σ(u)", "1/(1+e⁻ˣ) = σ(x)"),
    RuleInfo(
        "sigmoid_complement",
        "form",
        "e⁻ᵘ/(1 + e⁻ᵘ) = 1 − σ(u)",
        "e⁻ˣ/(1+e⁻ˣ) = 1 − σ(x)",
    ),
)


def rule_info(rule_id: str) -> RuleInfo:
    """The registry entry for ``rule_id``; a KeyError names the known ids when it is unknown."""
    try:
        return RULES[rule_id]
    except KeyError:
        known = ", ".join(sorted(RULES))
        raise KeyError(f"unknown rule id {rule_id!r}; known ids: {known}") from None
