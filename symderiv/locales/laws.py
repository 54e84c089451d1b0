r"""Each rule's law as TeX: the formula a textbook prints beside the rule's name.

Laws are mathematics, the same in every language, so they live here once; the words around them
live in the catalogs (:mod:`symderiv.locales.en` and the others). :data:`symderiv.RULES` holds
the same laws in Unicode, for terminals.

>>> LAWS["product"]
"\\left(u v\\right)' = u' v + u v'"
>>> from symderiv.core.rule_ids import RULES
>>> set(LAWS) == set(RULES)
True
"""

from __future__ import annotations

__all__ = ["LAWS"]

_D = r"\frac{\mathrm{d}}{\mathrm{d}u}"

_TABLE = {
    "sin": r"\sin u = \cos u",
    "cos": r"\cos u = -\sin u",
    "tan": r"\tan u = 1 + \tan^{2} u",
    "cot": r"\cot u = -\left(1 + \cot^{2} u\right)",
    "sec": r"\sec u = \sec u \tan u",
    "csc": r"\csc u = -\csc u \cot u",
    "asin": r"\arcsin u = \frac{1}{\sqrt{1 - u^{2}}}",
    "acos": r"\arccos u = -\frac{1}{\sqrt{1 - u^{2}}}",
    "atan": r"\arctan u = \frac{1}{1 + u^{2}}",
    "acot": r"\operatorname{arccot} u = -\frac{1}{1 + u^{2}}",
    "asec": r"\operatorname{arcsec} u = \frac{1}{u^{2} \sqrt{1 - \frac{1}{u^{2}}}}",
    "acsc": r"\operatorname{arccsc} u = -\frac{1}{u^{2} \sqrt{1 - \frac{1}{u^{2}}}}",
    "sinh": r"\sinh u = \cosh u",
    "cosh": r"\cosh u = \sinh u",
    "tanh": r"\tanh u = 1 - \tanh^{2} u",
    "coth": r"\coth u = 1 - \coth^{2} u",
    "sech": r"\operatorname{sech} u = -\operatorname{sech} u \tanh u",
    "csch": r"\operatorname{csch} u = -\operatorname{csch} u \coth u",
    "asinh": r"\operatorname{arsinh} u = \frac{1}{\sqrt{u^{2} + 1}}",
    "acosh": r"\operatorname{arcosh} u = \frac{1}{\sqrt{u^{2} - 1}}",
    "atanh": r"\operatorname{artanh} u = \frac{1}{1 - u^{2}}",
    "acoth": r"\operatorname{arcoth} u = \frac{1}{1 - u^{2}}",
}

#: Rule id → its law in TeX.
LAWS: dict[str, str] = {
    "constant": r"\frac{\mathrm{d}}{\mathrm{d}x} c = 0",
    "identity": r"\frac{\mathrm{d}}{\mathrm{d}x} x = 1",
    "sum": r"\left(u + v\right)' = u' + v'",
    "constant_multiple": r"\left(c u\right)' = c u'",
    "product": r"\left(u v\right)' = u' v + u v'",
    "quotient": r"\left(\frac{u}{v}\right)' = \frac{u' v - u v'}{v^{2}}",
    "reciprocal": r"\left(\frac{1}{u}\right)' = -\frac{u'}{u^{2}}",
    "power": _D + r" u^{n} = n u^{n - 1}",
    "sqrt": _D + r" \sqrt{u} = \frac{1}{2 \sqrt{u}}",
    "root": _D + r" u^{1/n} = \frac{u^{1/n}}{n u}",
    "exp": _D + r" e^{u} = e^{u}",
    "exponential": _D + r" a^{u} = a^{u} \log a",
    "log": _D + r" \log u = \frac{1}{u}",
    "log_differentiation": r"\left(u^{v}\right)' = u^{v} \left(v' \log u + \frac{v u'}{u}\right)",
    **{rule: _D + " " + law for rule, law in _TABLE.items()},
    "abs": _D + r" \left|u\right| = \operatorname{sign} u \quad \left(u \neq 0\right)",
    "sigmoid": _D + r" \sigma\left(u\right) = \sigma\left(u\right) \left(1 - \sigma\left(u\right)\right)",
    "softplus": _D + r" \operatorname{softplus}\left(u\right) = \sigma\left(u\right)",
    "relu": _D + r" \operatorname{ReLU}\left(u\right) = H\left(u\right)"
    r" = \begin{cases} 1 & \left(u > 0\right) \\ 0 & \left(u \leq 0\right) \end{cases}",
    "heaviside": _D + r" H\left(u\right) = 0 \quad \left(u \neq 0\right)",
    "piecewise": r"\frac{\mathrm{d}}{\mathrm{d}x} \begin{cases} f_{1} & \left(c_{1}\right) \\ f_{2} & "
    r"\left(c_{2}\right) \end{cases} = \begin{cases} f_{1}' & \left(c_{1}\right) \\ f_{2}' & "
    r"\left(c_{2}\right) \end{cases}",
    "max": r"\left(\max\left(u, v\right)\right)' = \begin{cases} u' & \left(u > v\right) \\ "
    r"v' & \left(v > u\right) \end{cases}",
    "min": r"\left(\min\left(u, v\right)\right)' = \begin{cases} u' & \left(u < v\right) \\ "
    r"v' & \left(v < u\right) \end{cases}",
    "chain": r"\frac{\mathrm{d}f}{\mathrm{d}x} = \frac{\mathrm{d}f}{\mathrm{d}u} \frac{\mathrm{d}u}{\mathrm{d}x}",
    "sympy": r"\frac{\mathrm{d}}{\mathrm{d}x} f\left(x\right) = f'\left(x\right)",
    "substitute": r"f\left(u\right) = f\left(g\left(x\right)\right) \quad \left(u = g\left(x\right)\right)",
    "simplify": r"a x + b x = \left(a + b\right) x",
    "expand": r"a \left(b + c\right) = a b + a c",
    "factor": r"a b + a c = a \left(b + c\right)",
    "scale_fraction": r"\frac{a}{b} = \frac{k a}{k b} \quad \left(k \neq 0\right)",
    "add_subtract": r"a = \left(a + b\right) - b",
    "split_fraction": r"\frac{a - b}{a^{2}} = \frac{1}{a} \left(1 - \frac{b}{a}\right)",
    "recognize_sigmoid": r"\frac{1}{1 + e^{-u}} = \sigma\left(u\right)",
    "sigmoid_complement": r"\frac{e^{-u}}{1 + e^{-u}} = 1 - \sigma\left(u\right)",
}

# The computational graph's backward pass (symderiv.models.graph).
LAWS["backward_node"] = (
    r"\bar{g} \frac{\mathrm{d}n}{\mathrm{d}x} = \sum_{i} \bar{g} \frac{\partial n}{\partial u_{i}} "
    r"\frac{\mathrm{d}u_{i}}{\mathrm{d}x}"
)

# Layered networks and backpropagation (symderiv.models.network).
LAWS["weighted_sum"] = (
    r"\frac{\partial}{\partial \theta_{j}} \sum_{k} \theta_{k} a_{k} = a_{j}, \quad "
    r"\frac{\partial}{\partial a_{j}} \sum_{k} \theta_{k} a_{k} = \theta_{j}"
)
LAWS["activation"] = r"g\left(z\right) = a"
LAWS["backprop"] = (
    r"\frac{\partial E}{\partial z^{(l)}_{i}} = \sum_{k} \frac{\partial E}{\partial z^{(l+1)}_{k}} "
    r"\theta^{(l)}_{ki} \, g'\left(z^{(l)}_{i}\right)"
)
LAWS["delta"] = (
    r"\delta^{(l)} = \frac{\partial E}{\partial z^{(l)}} = \left(\left(\Theta^{(l)}\right)^{T} \delta^{(l+1)}\right)_{i \geq 1} "
    r"\odot g'\left(z^{(l)}\right)"
)
LAWS["output_delta"] = r"\delta^{(L)} = \frac{\partial E}{\partial z^{(L)}} = a^{(L)} - y"
LAWS["matrix_elementwise"] = (
    r"\frac{\partial E}{\partial \Theta^{(l)}} = \frac{\partial E}{\partial z^{(l+1)}} \left(a^{(l)}\right)^{T}"
)
LAWS["regularization"] = (
    r"\frac{\partial}{\partial \theta^{(l)}_{ij}} \frac{\lambda}{2m} \sum \theta^{2} = \frac{\lambda}{m} \theta^{(l)}_{ij} "
    r"\quad \left(j \geq 1\right)"
)
LAWS["log_softmax"] = r"\log \frac{e^{z_{k}}}{\sum_{j} e^{z_{j}}} = z_{k} - \log \sum_{j} e^{z_{j}}"
LAWS["targets_sum_to_one"] = r"\sum_{k} y_{k} = 1"
