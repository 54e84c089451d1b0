"""English: each rule's name and justification, and the words of the documents.

Templates name their mathematics in braces (``{law}``, ``{f}``, ``{constant}``...); see
:data:`symderiv.locales.FIELDS` for what each field holds.
"""

from __future__ import annotations

from .locale import Locale

NAME = "English"

_TABLE_NAMES = {
    "sin": "sine", "cos": "cosine", "tan": "tangent", "cot": "cotangent", "sec": "secant",
    "csc": "cosecant", "asin": "arcsine", "acos": "arccosine", "atan": "arctangent",
    "acot": "arccotangent", "asec": "arcsecant", "acsc": "arccosecant",
    "sinh": "hyperbolic sine", "cosh": "hyperbolic cosine", "tanh": "hyperbolic tangent",
    "coth": "hyperbolic cotangent", "sech": "hyperbolic secant", "csch": "hyperbolic cosecant",
    "asinh": "inverse hyperbolic sine", "acosh": "inverse hyperbolic cosine",
    "atanh": "inverse hyperbolic tangent", "acoth": "inverse hyperbolic cotangent",
}

RULES: dict[str, tuple[str, str]] = {
    "constant": ("Constant rule", "{f} does not depend on {variable}, so its derivative is 0."),
    "identity": ("Derivative of the variable", "The derivative of {variable} with respect to itself is 1."),
    "sum": ("Sum rule", "The derivative of a sum is the sum of the derivatives: differentiate term by term."),
    "constant_multiple": (
        "Constant multiple rule",
        "A constant factor comes out in front of the derivative; here the factor is {constant}.",
    ),
    "product": (
        "Product rule",
        "Differentiate one factor at a time, keep the others as they are, and add: {law}.",
    ),
    "quotient": (
        "Quotient rule",
        "With numerator {numerator} and denominator {denominator}: {law}.",
    ),
    "reciprocal": ("Reciprocal rule", "Applied to the denominator {denominator}: {law}."),
    "power": (
        "Power rule",
        "The exponent {exponent} comes down in front, and the exponent drops by one: {law}.",
    ),
    "sqrt": ("Square root", "It is the power one half, so {law}."),
    "root": ("Root", "It is the power 1/n, so {law}."),
    "exp": ("Exponential function", "Differentiating leaves it unchanged: {law}."),
    "exponential": ("Exponential function", "With base {base}: {law}."),
    "log": ("Natural logarithm", "The slope of the logarithm is one over its argument: {law}."),
    "log_differentiation": (
        "Logarithmic differentiation",
        "Both the base and the exponent vary, so differentiate through the logarithm: {law}.",
    ),
    **{
        rule: (f"Derivative of the {name}", "From the table of derivatives: {law}.")
        for rule, name in _TABLE_NAMES.items()
    },
    "tanh": (
        "Derivative of the hyperbolic tangent",
        "The derivative of tanh is written with tanh itself: {law}.",
    ),
    "abs": (
        "Absolute value",
        "{law}; at the corner 0 there is no derivative.",
    ),
    "sigmoid": (
        "Derivative of the sigmoid",
        "Its slope is written with the sigmoid itself: {law}.",
    ),
    "softplus": ("Derivative of softplus", "Its derivative is the sigmoid: {law}."),
    "relu": (
        "Derivative of ReLU",
        "ReLU has slope 1 for positive inputs and slope 0 for negative ones: {law}. At the corner 0 "
        "we take 0, as NumPy and PyTorch do.",
    ),
    "heaviside": ("Step function", "It is flat on both sides of 0: {law}."),
    "floor": (
        "Floor function",
        "The floor is flat between whole numbers and jumps at each, where it has no derivative: {law}.",
    ),
    "ceiling": (
        "Ceiling function",
        "The ceiling is flat between whole numbers and jumps at each, where it has no derivative: {law}.",
    ),
    "sign": ("Sign function", "The sign is -1, then 1: flat on both sides of 0, {law}."),
    "piecewise": ("Piecewise function", "Differentiate each piece on its own interval: {law}."),
    "max": ("Maximum", "max follows whichever argument is larger: {law}."),
    "min": ("Minimum", "min follows whichever argument is smaller: {law}."),
    "chain": (
        "Chain rule",
        "Differentiate the outer function {outer} with respect to {name}, then multiply by the derivative "
        "of the inner function {inner}: {law}.",
    ),
    "sympy": (
        "Derivative by SymPy",
        "No named rule covers {f}; SymPy takes this derivative, and symderiv checks the step.",
    ),
    "derivatives": (
        "The derivatives",
        "Each derivative is replaced by its value, derived below: {values}.",
    ),
    "higher_order": (
        "Differentiate again",
        "A derivative of higher order is the derivative of the one before: the first derivative is "
        "replaced by its value, derived below, {values}, and the derivatives left are taken of it: {law}.",
    ),
    "substitute": (
        "Substituting back",
        "Put the substitutions back, {values}, so that everything is written in {wrt}.",
    ),
    "simplify": ("Simplify", "Collect like terms and cancel common factors."),
    "expand": ("Expand", "Multiply out the products and collect like terms."),
    "factor": ("Factor", "Take out what the terms have in common."),
    "scale_fraction": (
        "Scale the fraction",
        "Multiply numerator and denominator by the same non-zero factor {factor}.",
    ),
    "add_subtract": (
        "Add and subtract",
        "{term} is added to the numerator and subtracted again; the value does not change.",
    ),
    "split_fraction": ("Split the fraction", "One fraction becomes a product of two factors: {law}."),
    "recognize_sigmoid": (
        "Recognize the sigmoid",
        "By the definition of the sigmoid, {law}, the expression is written with {sigmoid}.",
    ),
    "sigmoid_complement": ("Complement of the sigmoid", "Rewrite with {law}."),
    "trig_identities": ("Trigonometric identities", "Write the functions in sine and cosine and use {law}."),
    "softmax_component": ("Name the softmax component", "The softmax's components are named, {law}."),
}

WORDS: dict[str, str] = {
    "fallback": "{law}.",
    "introduces": "Let {introduces}.",
    "constants": "Here {constants} is held constant.",
    "title": "The derivative of {expr}",
    "statement": "We differentiate {expr} with respect to {wrt}.",
    "statement_partial": "We differentiate {expr} with respect to {wrt}, holding {others} constant.",
    "title_higher": "The derivative {derivative}",
    "statement_higher": "We compute {derivative} one derivative at a time, each taken of the one before.",
    "steps": "Step by step",
    "step": "Step {n}",
    "result": "Result",
    "result_line": "Therefore {equation}.",
    "where": "where {substitutions}",
    "proof_identical": "checked: with every derivative in them taken, both sides are the same expression, and they agree at {points} random points to {digits} digits",
    "proof_symbolic": "checked: the difference of the two sides simplifies to 0, and they agree at {points} random points to {digits} digits",
    "proof_numeric": "checked at {points} random points to {digits} digits",
    "proven": "Every step above was proven by symderiv.",
    "rule": "Rule",
    "notes": "Justifications",
    "languages": "Languages",
    "formats": "Formats",
    "contents": "Contents",
    "index_title": "symderiv: derivations step by step",
    "index_intro": (
        "Each formula of logistic regression and backpropagation derived one rule at a time, every "
        "step proven, in four languages and four formats."
    ),
    "plot_sigmoid": (
        "The sigmoid $\\sigma$ and its derivative $\\sigma' = \\sigma (1 - \\sigma)$. The slope is largest at 0, where $\\sigma'(0) = \\frac{1}{4}$: "
        "a gradient passing through a sigmoid shrinks to a quarter or less."
    ),
    "plot_exp_log": (
        "The exponential $e^{x}$ passes through (0, 1) and grows without bound; the logarithm $\\log x$ is its "
        "mirror image. $-\\log$ of a probability is the cross-entropy loss."
    ),
    "doc_sigmoid_quotient": "The sigmoid's derivative by the quotient rule",
    "doc_sigmoid_quotient_intro": (
        "The sigmoid $\\sigma(x) = \\frac{1}{1 + e^{-x}}$ is a fraction, so we start with the quotient rule and then "
        "add and subtract 1 in the numerator until $\\sigma(x)$ appears twice."
    ),
    "doc_sigmoid_chain": "The sigmoid's derivative by the chain rule",
    "doc_sigmoid_chain_intro": (
        "We write the sigmoid as layers, $f = u^{-1}$ with $u = 1 + e^{v}$ and $v = -x$, and multiply the "
        "derivatives of the layers: $\\frac{\\mathrm{d}f}{\\mathrm{d}x} = \\frac{\\mathrm{d}f}{\\mathrm{d}u} \\cdot \\frac{\\mathrm{d}u}{\\mathrm{d}v} \\cdot \\frac{\\mathrm{d}v}{\\mathrm{d}x}$."
    ),
    "doc_sigmoid_reciprocal": "The sigmoid's derivative through $t = 1 + e^{-x}$",
    "doc_sigmoid_reciprocal_intro": (
        "We name the denominator $t = 1 + e^{-x}$, so that $y = 1/t$; the reciprocal rule gives "
        "$\\frac{\\mathrm{d}y}{\\mathrm{d}t} = -\\frac{1}{t^{2}}$, and the chain rule finishes the work."
    ),
    "doc_cross_entropy_z": "The gradient of the cross-entropy loss with respect to the logit",
    "doc_cross_entropy_z_intro": (
        "For a prediction $a = \\sigma(z)$ and a label y, the loss is $L = -\\left(y \\log a + (1 - y) \\log(1 - a)\\right)$. "
        "Its derivative with respect to z is the famous $a - y$."
    ),
    "doc_cross_entropy_w": "The gradient of the cross-entropy loss with respect to a weight",
    "doc_cross_entropy_w_intro": (
        "With $z = w x + b$, the same loss differentiated with respect to the weight w gives "
        "$x (a - y)$: the error times the input."
    ),
    "doc_sigmoid_squared": "The derivative of $\\sigma^{2}$",
    "doc_sigmoid_squared_intro": (
        "The chain rule and the sigmoid's derivative together: $y = \\sigma^{2}(x)$ gives $2 \\sigma(x) \\cdot \\sigma(x) \\left(1 - \\sigma(x)\\right)$; "
        "at $x = 2$ this is 0.1850, as autograd computes it."
    ),
    "doc_relu": "The derivative of ReLU",
    "doc_relu_intro": (
        "$\\operatorname{ReLU}(x) = \\max(0, x)$ passes positive inputs unchanged and stops the others; its derivative is "
        "the step function $H(x)$, taken as 0 at the corner $x = 0$."
    ),
    "doc_tanh": "The derivative of tanh",
    "doc_tanh_intro": "The hyperbolic tangent, like the sigmoid, has a derivative written with itself.",
    "doc_softplus": "The derivative of softplus",
    "doc_softplus_intro": (
        "Softplus, $\\log(1 + e^{x})$, is a smooth ReLU; its derivative is exactly the sigmoid."
    ),
}

# The computational graph's backward pass (symderiv.models.graph).
RULES["backward_node"] = (
    "Backward through a node",
    "Backward through the node {node}: the gradient that reached it, {gradient}, is multiplied by its local "
    "gradient {local} and passed on to each input; what reaches an input by several paths adds up.",
)

# Layered networks and backpropagation (symderiv.models.network).
RULES["weighted_sum"] = (
    "Derivative of a weighted sum",
    "{f} is a weighted sum, {law}: only the term with {variable} depends on it, so the derivative is {result}.",
)
RULES["activation"] = ("Naming the activation", "Write the activation by its name, {law}: {part} = {result}.")
RULES["backprop"] = (
    "Backpropagation through a layer",
    "The weight reaches the loss through every unit of the next layer, so the chain rule adds up the paths: {law}.",
)
RULES["delta"] = (
    "The error of a unit (delta)",
    "Name the error of each unit, the derivative of E with respect to its weighted sum z, computed from the "
    "output back: {law}. Here {part} = {result}.",
)
RULES["output_delta"] = ("The error at the output", "At the output the local derivatives simplify: {law}.")
RULES["matrix_elementwise"] = (
    "Matrix form, entry by entry",
    "Entry by entry this is the chain rule through the weighted sums; all entries at once it is one matrix "
    "product: {law}.",
)
RULES["bias_unit"] = (
    "The bias unit",
    "The weight matrix is [b W], its bias column first, and the activation starts with the constant 1, so "
    "the rules derived for Wa + b read, with the whole matrix: {law}.",
)
RULES["regularization"] = (
    "Derivative of the regularization term",
    "The regularization term {f} adds up the squared weights, the bias weights left out: {law}. "
    "With respect to {variable} this gives {result}.",
)
RULES["log_softmax"] = ("Logarithm of the softmax", "The logarithm of a softmax splits into two terms: {law}.")
RULES["targets_sum_to_one"] = (
    "The targets sum to one",
    "A one-hot (or probability) target sums to one, so the log-sum-exp term is left once: {law}.",
)

# The documents on graphs, networks and vanishing gradients (symderiv.documents).
WORDS.update({
    'doc_sigmoid_slope': "Why gradients vanish: the sigmoid's slope is at most 1/4",
    'doc_sigmoid_slope_intro': "Differentiating $\\sigma' = \\sigma (1 - \\sigma)$ once more gives $\\sigma'' = \\sigma (1 - \\sigma)(1 - 2\\sigma)$, which is zero inside $(0, 1)$ only where $\\sigma = \\frac{1}{2}$, that is at $x = 0$. There the slope is largest, $\\sigma'(0) = \\frac{1}{4}$, so a gradient that passes through $n$ sigmoid layers is scaled by at most $(\\frac{1}{4})^{n}$: the vanishing-gradient argument (seed 004).",
    'doc_sigmoid_graph': "The sigmoid's derivative through its computational graph",
    'doc_sigmoid_graph_intro': "The sigmoid drawn as four nodes, $\\times(-1)$, $\\exp$, $+1$ and $\\div$ (seed 000). The backward pass goes through the graph from the output: the $\\div$ node multiplies the gradient by $-y^{2}$, the $+$ node passes it on, the $\\exp$ node multiplies by $e^{-x}$, the $\\times(-1)$ node by $-1$, which reaches $y (1 - y)$.",
    'doc_shared_paths': "Why backpropagation stores partial derivatives: two paths to one variable",
    'doc_shared_paths_intro': "In $e = (a + b)(b + 1)$ with $c = a + b$ and $d = b + 1$ (seed 001), $b$ reaches $e$ by two paths. Going backward from $e$, each local derivative is computed once and the gradients arriving by both paths are added: $\\frac{\\partial e}{\\partial b} = d + c$. At $a = 2$, $b = 1$: $e = 6$, $\\frac{\\partial e}{\\partial a} = 2$, $\\frac{\\partial e}{\\partial b} = 5$.",
    'doc_network_output_weight': "A network's cost: the gradient of an output weight",
    'doc_network_output_weight_intro': "The three-layer sigmoid network of seed 001, with the regularized cross-entropy cost $J(\\Theta)$. For a weight of the output layer the chain goes through $a^{(3)} = \\sigma(z^{(3)})$ and $z^{(3)} = \\sum \\theta a^{(2)}$ and ends at $\\frac{1}{m}(a^{(3)} - y)\\, a^{(2)}$, plus $\\frac{\\lambda}{m}\\theta$ for the regularization.",
    'doc_network_hidden_weight': "A network's cost: the gradient of a hidden weight, and $\\delta$",
    'doc_network_hidden_weight_intro': "For a weight of the hidden layer the chain goes on through $z^{(2)}$; the part it shares with every weight of that layer is named $\\delta^{(2)}$, so that it is computed once: $\\delta^{(3)} = a^{(3)} - y$, $\\delta^{(2)} = (\\Theta^{(2)})^{T} \\delta^{(3)} \\odot a^{(2)} (1 - a^{(2)})$ (seed 001).",
    'plot_graph_sigmoid': "The computational graph of $\\frac{1}{1 + e^{-x}}$ at $x = 1$: each node with its value and the gradient that reaches it, each edge with its local gradient.",
    'plot_graph_shared': "The computational graph of $e = (a + b)(b + 1)$ at $a = 2$, $b = 1$: $b$ reaches $e$ through $c$ and through $d$.",
})

# The web page of symderiv serve (symderiv.web).
WORDS.update({
    "web_tagline": "Type a formula and read its derivation, every step proven.",
    "web_formula": "Formula",
    "web_notation": "Written as",
    "web_text": "text",
    "web_latex": "LaTeX",
    "web_variable": "Variable",
    "web_variable_hint": "empty: the formula's only variable",
    "web_strategy": "Route",
    "web_detail": "Detail",
    "web_language": "Language",
    "web_derive": "Derive",
    "web_examples": "Examples",
    "web_check": "Check my answer",
    "web_answer": "Your derivative",
    "web_check_button": "Check",
    "web_right": "Right: {answer} is the derivative of {expr} with respect to {wrt}.",
    "web_method_identical": "It is the same expression as the derivative.",
    "web_method_symbolic": "Its difference from the derivative cancels to 0.",
    "web_method_numeric": "It agrees with the derivative at {points} points to 30 digits.",
    "web_wrong": "Wrong: {answer} is not the derivative of {expr} with respect to {wrt}.",
    "web_true": "The derivative is {result}.",
    "web_counterexample": "Counterexample: at {point}, your answer is {yours} and the derivative is {true}.",
    "web_departs": (
        "Your answer departs at step {step} ({rule}): there {node} = {correct}, and your answer is "
        "what comes out if {node} is taken as {yours}."
    ),
    "web_no_departure": "No single slip at one step explains your answer.",
    "web_downloads": "Downloads",
    "web_permalink": "Permalink",
    "web_api": "JSON API",
    "web_graph": "Computational graph",
    "web_error": "The input cannot be read",
    "web_limit": "This is more than one request may ask",
    "web_busy": "The server is busy",
    "web_internal": "Something went wrong inside symderiv (please report it)",
    "web_not_found": "There is no such page",
})


# The matrix-calculus documents (symderiv.documents).
WORDS.update({
    "doc_logistic_matrix": "Logistic regression in matrix form: $\\frac{\\partial J}{\\partial \\mathbf{w}} = \\frac{1}{m} \\mathbf{X}^{T} (\\sigma(\\mathbf{X} \\mathbf{w}) - \\mathbf{y})$",
    "doc_logistic_matrix_intro": "The mean cross-entropy over $m$ examples, the rows of $\\mathbf{X}$, written with a column of ones and with the logarithm and the sigmoid taken entry by entry. We take its differential, as the Matrix Cookbook does, until it reads $\\mathrm{d}J = \\operatorname{tr}(\\mathbf{G}^{T} \\mathrm{d}\\mathbf{w})$; then the gradient is $\\mathbf{G}$. Gradients are in denominator layout: the gradient has the shape of the variable, here the column $\\mathbf{w}$.",
    "doc_softmax_regression": "Softmax regression: $\\frac{\\partial L}{\\partial \\mathbf{W}} = (\\operatorname{softmax}(\\mathbf{z}) - \\mathbf{y}) \\mathbf{x}^{T}$",
    "doc_softmax_regression_intro": "For one example $\\mathbf{x}$ with a one-hot target $\\mathbf{y}$, the loss is $-\\mathbf{y}^{T} \\log \\operatorname{softmax}(\\mathbf{z})$ with $\\mathbf{z} = \\mathbf{W} \\mathbf{x} + \\mathbf{b}$. Through the differential of the log-softmax, and because the targets sum to one, the error at the output is $\\delta = \\operatorname{softmax}(\\mathbf{z}) - \\mathbf{y}$ and the gradient is $\\delta \\mathbf{x}^{T}$, of the shape of $\\mathbf{W}$ (denominator layout).",
})

# Matrix calculus (symderiv.calculus.matrix).
RULES.update({
    'matrix_differential': ('Through the differential', 'We compute the differential df, which is linear in d{wrt}; once it is written as the trace of G transposed times d{wrt}, the gradient is G: {law}.'),
    'differential_linear': ('Differential of a linear expression', 'The expression is linear in its variable, so its differential replaces the variable by its differential and drops the constant terms: {law}.'),
    'differential_sum': ('Sum rule for differentials', 'The differential of a sum is the sum of the differentials, constant factors stay, constants have differential 0: {law}.'),
    'matrix_product': ('Product rule for matrices', 'Differentiate one factor at a time and keep the order of the factors, since matrices do not commute: {law}.'),
    'differential_transpose': ('Differential of a transpose', 'Transposing is linear: {law}.'),
    'differential_trace': ('Differential of a trace', 'The trace is linear: {law}.'),
    'differential_inverse': ('Differential of an inverse', 'Differentiate U times its inverse, which is I, with the product rule: {law}.'),
    'differential_det': ('Differential of a determinant', "Jacobi's formula: {law}."),
    'differential_log_det': ('Differential of log det', "Jacobi's formula divided by det U: {law}."),
    'elementwise_chain': ('Chain rule, entry by entry', "The function acts on each entry on its own, so each entry is multiplied by its own slope: the chain rule with the Hadamard (entrywise) product, {law}. The slope f' is derived below."),
    'hadamard_product': ('Product rule for the Hadamard product', 'Entry by entry this is the product rule for numbers: {law}.'),
    'differential_scalar_chain': ('Chain rule for a scalar', 'A function of one scalar: {law}; its derivative is derived below.'),
    'differential_softmax': ('Differential of softmax', 'The Jacobian of softmax is diag(s) minus s times s transposed: {law}.'),
    'differential_log_softmax': ('Differential of log softmax', 'The logarithm of a softmax is z minus the logarithm of the sum of the exponentials, in every entry, so {law}.'),
    'trace_form': ('Trace form', "A scalar equals its trace; everything around the differential moves to its left by the cyclic property of the trace, transposition and the Hadamard product's rule for inner products: {law}."),
    'matrix_gradient': ('Reading off the gradient', '{law}: the gradient has the shape of the variable (denominator layout).'),
    'target_sum': ('The targets sum to one', 'A one-hot (or probability) target sums to one: {law}.'),
    'elementwise_simplify': ('Simplify entry by entry', 'Entry by entry, the sum and the Hadamard product are the addition and multiplication of numbers, so the expression simplifies as numbers do: {law}.'),
})

# Everything else symderiv knows about the language (see symderiv.locales.locale.Locale).
LOCALE = Locale(
    code="en",
    name=NAME,
    rules=RULES,
    words=WORDS,
    sentence_gap=" ",  # sentences are separated by a space
    otherwise="otherwise",
    page_font="Noto Serif CJK JP",
)

WORDS["backprop_rules"] = "The rules, derived by matrix calculus (every step proven entry by entry)"
