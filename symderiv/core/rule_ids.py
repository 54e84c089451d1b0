r"""The registry of rule ids: every kind of step symderiv can write, each with its law and an example.

A rule id is stable: documents, translations (``symderiv/locales``) and JSON exports refer to it.
The engine says *which* rule it applied; what the rule means in words lives in the locales. Each
rule's law lives here once, in Unicode for terminals (``law``) and in TeX for documents
(``tex``, read by :mod:`symderiv.locales.laws`). The differentiation rules themselves, what each
matches and what it gives, are objects in :mod:`symderiv.calculus.rules`.

>>> RULES["reciprocal"].law
'd/dx (1/u) = −u′/u²'
>>> RULES["product"].tex
"\\left(u v\\right)' = u' v + u v'"
>>> RULES["sigmoid"].kind
'differentiation'
>>> all(rule_id == info.id for rule_id, info in RULES.items())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["RULES", "RuleInfo", "RuleKind", "rule_info"]

RuleKind = Literal["differentiation", "structure", "form", "graph", "network", "matrix"]


@dataclass(frozen=True)
class RuleInfo:
    """One rule: its stable ``id``, what ``kind`` of step it makes, its ``law`` and an ``example``.

    ``law`` is written in Unicode, for terminals; ``tex`` is the same law in TeX, for documents.
    """

    id: str
    kind: RuleKind
    law: str
    example: str
    tex: str = ""


def _rules(*infos: RuleInfo) -> dict[str, RuleInfo]:
    table: dict[str, RuleInfo] = {}
    for info in infos:
        if info.id in table:
            raise ValueError(f"rule id {info.id!r} registered twice")
        if not info.tex:
            raise ValueError(f"rule id {info.id!r} has no law in TeX")
        table[info.id] = info
    return table


_D: RuleKind = "differentiation"
_DU = r"\frac{\mathrm{d}}{\mathrm{d}u} "

#: Rule id → its registry entry, in the order a reader meets the rules.
RULES: dict[str, RuleInfo] = _rules(
    # Differentiation: each rewrites one Derivative node (symderiv.calculus.rules).
    RuleInfo("constant", _D, "d/dx c = 0", "d/dx 5 = 0", r"\frac{\mathrm{d}}{\mathrm{d}x} c = 0"),
    RuleInfo("identity", _D, "d/dx x = 1", "d/dx x = 1", r"\frac{\mathrm{d}}{\mathrm{d}x} x = 1"),
    RuleInfo("sum", _D, "d/dx (u + v) = u′ + v′", "d/dx (x² + x) = d/dx x² + d/dx x",
             r"\left(u + v\right)' = u' + v'"),
    RuleInfo("constant_multiple", _D, "d/dx (c·u) = c·u′", "d/dx 3x² = 3·d/dx x²",
             r"\left(c u\right)' = c u'"),
    RuleInfo("product", _D, "d/dx (u·v) = u′·v + u·v′", "d/dx x·eˣ = eˣ + x·eˣ",
             r"\left(u v\right)' = u' v + u v'"),
    RuleInfo("quotient", _D, "d/dx (u/v) = (u′·v − u·v′)/v²", "d/dx x/(1+x) = 1/(1+x)²",
             r"\left(\frac{u}{v}\right)' = \frac{u' v - u v'}{v^{2}}"),
    RuleInfo("reciprocal", _D, "d/dx (1/u) = −u′/u²", "d/dx 1/(1+e⁻ˣ) = e⁻ˣ/(1+e⁻ˣ)²",
             r"\left(\frac{1}{u}\right)' = -\frac{u'}{u^{2}}"),
    RuleInfo("power", _D, "d/du uⁿ = n·uⁿ⁻¹", "d/dx x³ = 3x²", _DU + "u^{n} = n u^{n - 1}"),
    RuleInfo("sqrt", _D, "d/du √u = 1/(2√u)", "d/dx √x = 1/(2√x)", _DU + r"\sqrt{u} = \frac{1}{2 \sqrt{u}}"),
    RuleInfo("root", _D, "d/du u^(1/n) = u^(1/n)/(n·u)", "d/dx ∛x = 1/(3∛x²)",
             _DU + r"u^{1/n} = \frac{u^{1/n}}{n u}"),
    RuleInfo("exp", _D, "d/du eᵘ = eᵘ", "d/dx eˣ = eˣ", _DU + "e^{u} = e^{u}"),
    RuleInfo("exponential", _D, "d/du aᵘ = aᵘ·ln a", "d/dx 2ˣ = 2ˣ·ln 2", _DU + r"a^{u} = a^{u} \log a"),
    RuleInfo("log", _D, "d/du ln u = 1/u", "d/dx ln x = 1/x", _DU + r"\log u = \frac{1}{u}"),
    RuleInfo("log_differentiation", _D, "d/dx uᵛ = uᵛ·(v′·ln u + v·u′/u)", "d/dx xˣ = xˣ·(ln x + 1)",
             r"\left(u^{v}\right)' = u^{v} \left(v' \log u + \frac{v u'}{u}\right)"),
    RuleInfo("sin", _D, "d/du sin u = cos u", "d/dx sin x = cos x", _DU + r"\sin u = \cos u"),
    RuleInfo("cos", _D, "d/du cos u = −sin u", "d/dx cos x = −sin x", _DU + r"\cos u = -\sin u"),
    RuleInfo("tan", _D, "d/du tan u = 1 + tan²u", "d/dx tan x = 1 + tan²x", _DU + r"\tan u = 1 + \tan^{2} u"),
    RuleInfo("cot", _D, "d/du cot u = −(1 + cot²u)", "d/dx cot x = −1 − cot²x",
             _DU + r"\cot u = -\left(1 + \cot^{2} u\right)"),
    RuleInfo("sec", _D, "d/du sec u = sec u·tan u", "d/dx sec x = sec x tan x",
             _DU + r"\sec u = \sec u \tan u"),
    RuleInfo("csc", _D, "d/du csc u = −csc u·cot u", "d/dx csc x = −csc x cot x",
             _DU + r"\csc u = -\csc u \cot u"),
    RuleInfo("asin", _D, "d/du arcsin u = 1/√(1−u²)", "d/dx arcsin x = 1/√(1−x²)",
             _DU + r"\arcsin u = \frac{1}{\sqrt{1 - u^{2}}}"),
    RuleInfo("acos", _D, "d/du arccos u = −1/√(1−u²)", "d/dx arccos x = −1/√(1−x²)",
             _DU + r"\arccos u = -\frac{1}{\sqrt{1 - u^{2}}}"),
    RuleInfo("atan", _D, "d/du arctan u = 1/(1+u²)", "d/dx arctan x = 1/(1+x²)",
             _DU + r"\arctan u = \frac{1}{1 + u^{2}}"),
    RuleInfo("acot", _D, "d/du arccot u = −1/(1+u²)", "d/dx arccot x = −1/(1+x²)",
             _DU + r"\operatorname{arccot} u = -\frac{1}{1 + u^{2}}"),
    RuleInfo("asec", _D, "d/du arcsec u = 1/(u²·√(1−1/u²))", "d/dx arcsec x = 1/(x²√(1−1/x²))",
             _DU + r"\operatorname{arcsec} u = \frac{1}{u^{2} \sqrt{1 - \frac{1}{u^{2}}}}"),
    RuleInfo("acsc", _D, "d/du arccsc u = −1/(u²·√(1−1/u²))", "d/dx arccsc x = −1/(x²√(1−1/x²))",
             _DU + r"\operatorname{arccsc} u = -\frac{1}{u^{2} \sqrt{1 - \frac{1}{u^{2}}}}"),
    RuleInfo("sinh", _D, "d/du sinh u = cosh u", "d/dx sinh x = cosh x", _DU + r"\sinh u = \cosh u"),
    RuleInfo("cosh", _D, "d/du cosh u = sinh u", "d/dx cosh x = sinh x", _DU + r"\cosh u = \sinh u"),
    RuleInfo("tanh", _D, "d/du tanh u = 1 − tanh²u", "d/dx tanh x = 1 − tanh²x",
             _DU + r"\tanh u = 1 - \tanh^{2} u"),
    RuleInfo("coth", _D, "d/du coth u = 1 − coth²u", "d/dx coth x = 1 − coth²x",
             _DU + r"\coth u = 1 - \coth^{2} u"),
    RuleInfo("sech", _D, "d/du sech u = −sech u·tanh u", "d/dx sech x = −sech x tanh x",
             _DU + r"\operatorname{sech} u = -\operatorname{sech} u \tanh u"),
    RuleInfo("csch", _D, "d/du csch u = −csch u·coth u", "d/dx csch x = −csch x coth x",
             _DU + r"\operatorname{csch} u = -\operatorname{csch} u \coth u"),
    RuleInfo("asinh", _D, "d/du arsinh u = 1/√(u²+1)", "d/dx arsinh x = 1/√(x²+1)",
             _DU + r"\operatorname{arsinh} u = \frac{1}{\sqrt{u^{2} + 1}}"),
    RuleInfo("acosh", _D, "d/du arcosh u = 1/(√(u−1)·√(u+1)), which is 1/√(u²−1) for u > 1",
             "d/dx arcosh x = 1/(√(x−1)√(x+1))",
             _DU + r"\operatorname{arcosh} u = \frac{1}{\sqrt{u - 1} \sqrt{u + 1}}"),
    RuleInfo("atanh", _D, "d/du artanh u = 1/(1−u²)", "d/dx artanh x = 1/(1−x²)",
             _DU + r"\operatorname{artanh} u = \frac{1}{1 - u^{2}}"),
    RuleInfo("acoth", _D, "d/du arcoth u = 1/(1−u²)", "d/dx arcoth x = 1/(1−x²)",
             _DU + r"\operatorname{arcoth} u = \frac{1}{1 - u^{2}}"),
    RuleInfo("abs", _D, "d/du |u| = sign(u) for real u ≠ 0", "d/dx |x| = sign(x)",
             _DU + r"\left|u\right| = \operatorname{sign} u \quad \left(u \neq 0\right)"),
    RuleInfo("sigmoid", _D, "d/du σ(u) = σ(u)·(1 − σ(u))", "d/dx σ(x) = σ(x)(1 − σ(x))",
             _DU + r"\sigma\left(u\right) = \sigma\left(u\right) \left(1 - \sigma\left(u\right)\right)"),
    RuleInfo("softplus", _D, "d/du softplus(u) = σ(u)", "d/dx ln(1 + eˣ) = σ(x)",
             _DU + r"\operatorname{softplus}\left(u\right) = \sigma\left(u\right)"),
    RuleInfo("relu", _D, "d/du ReLU(u) = H(u), with H(0) = 0", "d/dx ReLU(x) = H(x)",
             _DU + r"\operatorname{ReLU}\left(u\right) = H\left(u\right) = \begin{cases} 1 & \left(u > "
             r"0\right) \\ 0 & \left(u \leq 0\right) \end{cases}"),
    RuleInfo("sign", _D, "d/du sign(u) = 0 where u ≠ 0; at 0 it has none", "d/dx sign(x) = 0 for x ≠ 0",
             _DU + r"\operatorname{sign}\left(u\right) = 0 \quad \left(u \neq 0\right)"),
    RuleInfo("floor", _D, "d/du ⌊u⌋ = 0 where u is not a whole number (⌊u⌋ < u); at the jumps it has none",
             "d/dx ⌊x⌋ = 0 for ⌊x⌋ < x",
             _DU + r"\left\lfloor u \right\rfloor = 0 \quad \left(\left\lfloor u \right\rfloor < u\right)"),
    RuleInfo("ceiling", _D, "d/du ⌈u⌉ = 0 where u is not a whole number (u < ⌈u⌉); at the jumps it has none",
             "d/dx ⌈x⌉ = 0 for x < ⌈x⌉",
             _DU + r"\left\lceil u \right\rceil = 0 \quad \left(u < \left\lceil u \right\rceil\right)"),
    RuleInfo("heaviside", _D, "d/du H(u) = δ(u), which is 0 for u ≠ 0", "d/dx H(x) = δ(x)",
             _DU + r"H\left(u\right) = 0 \quad \left(u \neq 0\right)"),
    RuleInfo("piecewise", _D,
             "d/dx {fᵢ if cᵢ} = {fᵢ′ if cᵢ}, away from the boundaries",
             "d/dx {x² if x > 0; 0} = {2x if x > 0; 0}",
             r"\frac{\mathrm{d}}{\mathrm{d}x} \begin{cases} f_{1} & \left(c_{1}\right) \\ f_{2} & "
             r"\left(c_{2}\right) \end{cases} = \begin{cases} f_{1}' & \left(c_{1}\right) \\ f_{2}' & "
             r"\left(c_{2}\right) \end{cases}"),
    RuleInfo("max", _D, "d/dx max(u, v) = u′ where u > v, v′ where v > u", "d/dx max(0, x) = {1 if x > 0; 0}",
             r"\left(\max\left(u, v\right)\right)' = \begin{cases} u' & \left(u > v\right) \\ v' & \left(v "
             r"> u\right) \end{cases}"),
    RuleInfo("min", _D, "d/dx min(u, v) = u′ where u < v, v′ where v < u", "d/dx min(0, x) = {1 if x < 0; 0}",
             r"\left(\min\left(u, v\right)\right)' = \begin{cases} u' & \left(u < v\right) \\ v' & \left(v "
             r"< u\right) \end{cases}"),
    RuleInfo("chain", _D, "d/dx f(g(x)) = f′(u)·g′(x) with u = g(x)", "d/dx e⁻ˣ = eᵘ·d/dx(−x), u = −x",
             r"\frac{\mathrm{d}f}{\mathrm{d}x} = \frac{\mathrm{d}f}{\mathrm{d}u} "
             r"\frac{\mathrm{d}u}{\mathrm{d}x}"),
    RuleInfo("sympy", _D, "a derivative no named rule covers, taken by SymPy", "d/dx Γ(x) = Γ(x)ψ(x)",
             r"\frac{\mathrm{d}}{\mathrm{d}x} f\left(x\right) = f'\left(x\right)"),
    # Graph: the backward pass of a computational graph (symderiv.models.graph), node by node.
    RuleInfo("backward_node", "graph",
             "through a node n = f(u₁, …, uₖ): ḡ·dn/dx = Σᵢ ḡ·(∂f/∂uᵢ)·duᵢ/dx; what reaches uᵢ by several paths adds up",
             "d/dx 1/(1+e⁻ˣ) = −y²·d/dx (1+e⁻ˣ), y = 1/(1+e⁻ˣ)",
             r"\bar{g} \frac{\mathrm{d}n}{\mathrm{d}x} = \sum_{i} \bar{g} \frac{\partial n}{\partial u_{i}} "
             r"\frac{\mathrm{d}u_{i}}{\mathrm{d}x}"),
    # Network: layered networks and backpropagation (symderiv.models.network).
    RuleInfo("weighted_sum", "network",
             "z = Σⱼ θⱼaⱼ (a₀ = 1): ∂z/∂θⱼ = aⱼ and ∂z/∂aⱼ = θⱼ",
             "∂/∂θ²₁₂ (θ²₁₀ + θ²₁₁a²₁ + θ²₁₂a²₂) = a²₂",
             r"\frac{\partial}{\partial \theta_{j}} \sum_{k} \theta_{k} a_{k} = a_{j}, \quad "
             r"\frac{\partial}{\partial a_{j}} \sum_{k} \theta_{k} a_{k} = \theta_{j}"),
    RuleInfo("activation", "network",
             "g(z) = a: the activation written by its name",
             "σ(z³)(1 − σ(z³)) = a³(1 − a³)",
             r"g\left(z\right) = a"),
    RuleInfo("backprop", "network",
             "∂E/∂z⁽ˡ⁾ᵢ = Σₖ ∂E/∂z⁽ˡ⁺¹⁾ₖ · θ⁽ˡ⁾ₖᵢ · g′(z⁽ˡ⁾ᵢ): the chain rule summed over the next layer",
             "∂E/∂θ¹₁₂ = ∂E/∂z³·θ²₁₁·σ′(z²₁)·x₂",
             r"\frac{\partial E}{\partial z^{(l)}_{i}} = \sum_{k} \frac{\partial E}{\partial z^{(l+1)}_{k}} "
             r"\theta^{(l)}_{ki} \, g'\left(z^{(l)}_{i}\right)"),
    RuleInfo("delta", "network",
             "δ⁽ˡ⁾ = ∂E/∂z⁽ˡ⁾ = ((Θ⁽ˡ⁾)ᵀδ⁽ˡ⁺¹⁾ ⊙ g′(z⁽ˡ⁾)) without the bias row; δ⁽ᴸ⁾ = ∂E/∂z⁽ᴸ⁾",
             "δ³θ²₁₁a²₁(1 − a²₁) = δ²₁",
             r"\delta^{(l)} = \frac{\partial E}{\partial z^{(l)}} = \left(\left(\Theta^{(l)}\right)^{T} "
             r"\delta^{(l+1)}\right)_{i \geq 1} \odot g'\left(z^{(l)}\right)"),
    RuleInfo("output_delta", "network",
             "δ⁽ᴸ⁾ = a⁽ᴸ⁾ − y (σ or softmax with the cross-entropy); (a⁽ᴸ⁾ − y) ⊙ a⁽ᴸ⁾ ⊙ (1 − a⁽ᴸ⁾) (σ, squared error)",
             "∂E/∂z³ = a³ − y",
             r"\delta^{(L)} = \frac{\partial E}{\partial z^{(L)}} = a^{(L)} - y"),
    RuleInfo("matrix_elementwise", "network",
             "∂E/∂Θ⁽ˡ⁾ = (∂E/∂z⁽ˡ⁺¹⁾)(a⁽ˡ⁾)ᵀ: entry (i, j) is Σₛ ∂E/∂z⁽ˡ⁺¹⁾ᵢ,ₛ · a⁽ˡ⁾ⱼ,ₛ",
             "∂E/∂θ²₁₂ = ∂E/∂z³ · a²₂",
             r"\frac{\partial E}{\partial \Theta^{(l)}} = \frac{\partial E}{\partial z^{(l+1)}} "
             r"\left(a^{(l)}\right)^{T}"),
    RuleInfo("bias_unit", "network",
             "Θ⁽ˡ⁾ = [b W], a⁽ˡ⁾ = [1; a⁽ˡ⁾[1:]]: Wᵀv = (Θᵀv)[1:] and [δ1  δ(a⁽ˡ⁾[1:])ᵀ] = δ(a⁽ˡ⁾)ᵀ",
             "(Θ²[:, 1:])ᵀδ³ = ((Θ²)ᵀδ³)[1:]",
             r"\Theta^{(l)} = \left[b \; W\right], \quad W^{T} v = \left(\Theta^{T} v\right)_{i \geq 1}, \quad "
             r"\left[\delta \mathbf{1} \;\; \delta \left(a_{i \geq 1}\right)^{T}\right] = \delta a^{T}"),
    RuleInfo("regularization", "network",
             "∂/∂θ (λ/2m) Σ θ² = (λ/m)θ; bias weights θᵢ₀ are not in the sum",
             "∂/∂θ²₁₂ (λ/2m)(… + (θ²₁₂)²) = (λ/m)θ²₁₂",
             r"\frac{\partial}{\partial \theta^{(l)}_{ij}} \frac{\lambda}{2m} \sum \theta^{2} = "
             r"\frac{\lambda}{m} \theta^{(l)}_{ij} \quad \left(j \geq 1\right)"),
    RuleInfo("log_softmax", "network",
             "log softmaxₖ(z) = zₖ − log Σⱼ e^{zⱼ}",
             "log(e^{z₁}/(e^{z₁} + e^{z₂})) = z₁ − log(e^{z₁} + e^{z₂})",
             r"\log \frac{e^{z_{k}}}{\sum_{j} e^{z_{j}}} = z_{k} - \log \sum_{j} e^{z_{j}}"),
    RuleInfo("targets_sum_to_one", "network",
             "Σₖ yₖ = 1 for a one-hot or probability target",
             "−y₁(z₁ − ℓ) − y₂(z₂ − ℓ) = ℓ − y₁z₁ − y₂z₂",
             r"\sum_{k} y_{k} = 1"),
    # Matrix calculus: differentials, matrix-cookbook style (symderiv.calculus.matrix).
    RuleInfo("matrix_differential", "matrix",
             "∂f/∂W = ∂(df)/∂(dW)",
             "∂/∂w (wᵀw) = ∂/∂(dw) d(wᵀw)",
             r"\frac{\partial f}{\partial \mathbf{W}} = \frac{\partial \left(\mathrm{d}f\right)}"
             r"{\partial \left(\mathrm{d}\mathbf{W}\right)}"),
    RuleInfo("differential_linear", "matrix",
             "d(A W B + C) = A dW B (A, B, C constant)",
             "d(Xw − y) = X dw",
             r"\mathrm{d}\left(\mathbf{A} \mathbf{W} \mathbf{B} + \mathbf{C}\right) = \mathbf{A} \, "
             r"\mathrm{d}\mathbf{W} \, \mathbf{B}"),
    RuleInfo("differential_sum", "matrix", "d(U + cV) = dU + c dV, dC = 0",
             "d(wᵀw + tr S) = d(wᵀw) + d(tr S)",
             r"\mathrm{d}\left(\mathbf{U} + c \mathbf{V}\right) = \mathrm{d}\mathbf{U} + c \, \mathrm{d}\mathbf{V}"),
    RuleInfo("matrix_product", "matrix", "d(UV) = dU·V + U·dV",
             "d(wᵀw) = (dw)ᵀw + wᵀdw",
             r"\mathrm{d}\left(\mathbf{U} \mathbf{V}\right) = \mathrm{d}\mathbf{U} \, \mathbf{V} + \mathbf{U} \, "
             r"\mathrm{d}\mathbf{V}"),
    RuleInfo("differential_transpose", "matrix", "d(Uᵀ) = (dU)ᵀ", "d((Xw)ᵀ) = (X dw)ᵀ",
             r"\mathrm{d}\left(\mathbf{U}^{T}\right) = \left(\mathrm{d}\mathbf{U}\right)^{T}"),
    RuleInfo("differential_trace", "matrix", "d tr(U) = tr(dU)", "d tr(AS) = tr(A dS)",
             r"\mathrm{d} \operatorname{tr}\left(\mathbf{U}\right) = \operatorname{tr}\left(\mathrm{d}\mathbf{U}\right)"),
    RuleInfo("differential_inverse", "matrix", "d(U⁻¹) = −U⁻¹ dU U⁻¹", "d(S⁻¹) = −S⁻¹ dS S⁻¹",
             r"\mathrm{d}\left(\mathbf{U}^{-1}\right) = -\mathbf{U}^{-1} \, \mathrm{d}\mathbf{U} \, \mathbf{U}^{-1}"),
    RuleInfo("differential_det", "matrix", "d det(U) = det(U)·tr(U⁻¹ dU)", "d det S = det S tr(S⁻¹ dS)",
             r"\mathrm{d} \det \mathbf{U} = \det \mathbf{U} \operatorname{tr}\left(\mathbf{U}^{-1} \, "
             r"\mathrm{d}\mathbf{U}\right)"),
    RuleInfo("differential_log_det", "matrix", "d log det(U) = tr(U⁻¹ dU)", "d log det S = tr(S⁻¹ dS)",
             r"\mathrm{d} \log \det \mathbf{U} = \operatorname{tr}\left(\mathbf{U}^{-1} \, \mathrm{d}\mathbf{U}\right)"),
    RuleInfo("elementwise_chain", "matrix",
             "d f(U) = f′(U) ⊙ dU",
             "d σ(Xw) = σ(Xw) ⊙ (1 − σ(Xw)) ⊙ X dw",
             r"\mathrm{d} f\left(\mathbf{U}\right) = f'\left(\mathbf{U}\right) \odot \mathrm{d}\mathbf{U}"),
    RuleInfo("hadamard_product", "matrix", "d(U ⊙ V) = dU ⊙ V + U ⊙ dV", "d(w ⊙ w) = dw ⊙ w + w ⊙ dw",
             r"\mathrm{d}\left(\mathbf{U} \odot \mathbf{V}\right) = \mathrm{d}\mathbf{U} \odot \mathbf{V} + "
             r"\mathbf{U} \odot \mathrm{d}\mathbf{V}"),
    RuleInfo("differential_scalar_chain", "matrix", "d g(s) = g′(s)·ds",
             "d log det S = (1/det S)·d det S",
             r"\mathrm{d}\, g\left(s\right) = g'\left(s\right) \mathrm{d}s"),
    RuleInfo("differential_softmax", "matrix",
             "d softmax(z) = softmax(z) ⊙ dz − softmax(z)·softmax(z)ᵀdz",
             "d softmax(z) = s ⊙ dz − s sᵀ dz, s = softmax(z)",
             r"\mathrm{d} \operatorname{softmax}\left(\mathbf{z}\right) = \mathbf{s} \odot \mathrm{d}\mathbf{z} - "
             r"\mathbf{s} \mathbf{s}^{T} \mathrm{d}\mathbf{z}, \quad \mathbf{s} = \operatorname{softmax}\left("
             r"\mathbf{z}\right)"),
    RuleInfo("differential_log_softmax", "matrix",
             "d log softmax(z) = dz − 1·softmax(z)ᵀdz",
             "d log softmax(z) = dz − 1 sᵀ dz",
             r"\mathrm{d} \log \operatorname{softmax}\left(\mathbf{z}\right) = \mathrm{d}\mathbf{z} - \mathbf{1} \, "
             r"\operatorname{softmax}\left(\mathbf{z}\right)^{T} \mathrm{d}\mathbf{z}"),
    RuleInfo("trace_form", "matrix",
             "tr(AB) = tr(BA), tr(Aᵀ(B ⊙ C)) = tr((A ⊙ B)ᵀC)",
             "(dw)ᵀXᵀr + rᵀX dw = tr((2Xᵀr)ᵀ dw)",
             r"\operatorname{tr}\left(\mathbf{A} \mathbf{B}\right) = \operatorname{tr}\left(\mathbf{B} \mathbf{A}"
             r"\right), \quad \operatorname{tr}\left(\mathbf{A}^{T} \left(\mathbf{B} \odot \mathbf{C}\right)\right) = "
             r"\operatorname{tr}\left(\left(\mathbf{A} \odot \mathbf{B}\right)^{T} \mathbf{C}\right)"),
    RuleInfo("matrix_gradient", "matrix",
             "df = tr(Gᵀ dW) ⇔ ∂f/∂W = G",
             "d tr(AS) = tr(A dS) gives ∂/∂S tr(AS) = Aᵀ",
             r"\mathrm{d}f = \operatorname{tr}\left(\mathbf{G}^{T} \mathrm{d}\mathbf{W}\right) \iff "
             r"\frac{\partial f}{\partial \mathbf{W}} = \mathbf{G}"),
    RuleInfo("target_sum", "matrix", "1ᵀy = Σⱼ yⱼ = 1",
             "softmax(z)·1ᵀy − y = softmax(z) − y",
             r"\mathbf{1}^{T} \mathbf{y} = \sum_{j} y_{j} = 1"),
    RuleInfo("elementwise_simplify", "matrix",
             "y ⊙ (1 − s) − (1 − y) ⊙ s = y − s",
             "y ⊙ (1 − s) − (1 − y) ⊙ s = y − s",
             r"\mathbf{y} \odot \left(\mathbf{1} - \mathbf{s}\right) - \left(\mathbf{1} - \mathbf{y}\right) \odot "
             r"\mathbf{s} = \mathbf{y} - \mathbf{s}"),
    # Structure: steps that manage substitutions and sub-derivations.
    RuleInfo("derivatives", "structure",
             "each derivative replaced by its value, derived below", "d/dx(x²)·d/du sin u = 2x·cos u",
             r"\frac{\mathrm{d}f}{\mathrm{d}x} = f'\left(x\right)"),
    RuleInfo("higher_order", "structure",
             "a derivative of higher order is the derivative of the one before: dⁿf/dxⁿ = dⁿ⁻¹/dxⁿ⁻¹ (df/dx)",
             "d²/dx² sin x = d/dx cos x",
             r"\frac{\mathrm{d}^{n} f}{\mathrm{d}x^{n}} = \frac{\mathrm{d}^{n-1}}{\mathrm{d}x^{n-1}} "
             r"\left(\frac{\mathrm{d}f}{\mathrm{d}x}\right)"),
    RuleInfo("substitute", "structure", "put back u = g(x) for each name", "eᵘ·(−1) = −e⁻ˣ, u = −x",
             r"f\left(u\right) = f\left(g\left(x\right)\right) \quad \left(u = g\left(x\right)\right)"),
    # Forms: rewriting the result toward what people write (symderiv.calculus.forms).
    RuleInfo("simplify", "form", "collect and cancel like terms", "x·x⁻¹·y = y",
             r"a x + b x = \left(a + b\right) x"),
    RuleInfo("expand", "form", "multiply out products", "−(y(1−σ) − (1−y)σ) = σ − y",
             r"a \left(b + c\right) = a b + a c"),
    RuleInfo("factor", "form", "take out a common factor", "xσ − xy = x(σ − y)",
             r"a b + a c = a \left(b + c\right)"),
    RuleInfo("scale_fraction", "form",
             "multiply numerator and denominator by the same non-zero factor",
             "eˣ/(1+eˣ)² = e⁻ˣ/(e⁻ˣ+1)²",
             r"\frac{a}{b} = \frac{k a}{k b} \quad \left(k \neq 0\right)"),
    RuleInfo("add_subtract", "form", "add and subtract the same term", "e⁻ˣ = (1 + e⁻ˣ) − 1",
             r"a = \left(a + b\right) - b"),
    RuleInfo("split_fraction", "form",
             "(a − b)/a² = (1/a)·(1 − b/a)",
             "(1+e⁻ˣ−1)/(1+e⁻ˣ)² = 1/(1+e⁻ˣ)·(1 − 1/(1+e⁻ˣ))",
             r"\frac{a - b}{a^{2}} = \frac{1}{a} \left(1 - \frac{b}{a}\right)"),
    RuleInfo("recognize_sigmoid", "form", "1/(1 + e⁻ᵘ) = σ(u)", "1/(1+e⁻ˣ) = σ(x)",
             r"\frac{1}{1 + e^{-u}} = \sigma\left(u\right)"),
    RuleInfo("sigmoid_complement", "form", "e⁻ᵘ/(1 + e⁻ᵘ) = 1 − σ(u)", "e⁻ˣ/(1+e⁻ˣ) = 1 − σ(x)",
             r"\frac{e^{-u}}{1 + e^{-u}} = 1 - \sigma\left(u\right)"),
    RuleInfo("trig_identities", "form",
             "tan u = sin u/cos u, sec u = 1/cos u, sin²u + cos²u = 1 (and cosh²u − sinh²u = 1)",
             "cos x/(1 + sin x)·… : (−(1 + sin x) sin x − cos²x)/(1 + sin x)² = −1/(1 + sin x)",
             r"\tan u = \frac{\sin u}{\cos u}, \quad \sec u = \frac{1}{\cos u}, \quad "
             r"\sin^{2} u + \cos^{2} u = 1"),
    RuleInfo("softmax_component", "form",
             "sₖ = e^{zₖ}/Σⱼ e^{zⱼ}, the softmax's components, with Σₖ sₖ = 1",
             "e^{z₁}e^{z₂}/(e^{z₁} + e^{z₂})² = s(1 − s), s = e^{z₁}/(e^{z₁} + e^{z₂})",
             r"s_{k} = \frac{e^{z_{k}}}{\sum_{j} e^{z_{j}}}, \quad \sum_{k} s_{k} = 1"),
)


def rule_info(rule_id: str) -> RuleInfo:
    """The registry entry for ``rule_id``; a KeyError names the known ids when it is unknown.

    >>> rule_info("chain").example
    'd/dx e⁻ˣ = eᵘ·d/dx(−x), u = −x'
    """
    try:
        return RULES[rule_id]
    except KeyError:
        known = ", ".join(sorted(RULES))
        raise KeyError(f"unknown rule id {rule_id!r}; known ids: {known}") from None
