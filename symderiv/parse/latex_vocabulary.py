"""The words of the LaTeX a formula may use: which commands are functions, letters, spacing, or refused.

Only what is named here is read; every other command is refused as unknown
(:mod:`symderiv.parse.latex` describes the language as a whole).

>>> LATEX_FUNCTIONS["arcsin"], OPERATOR_NAMES["softplus"], "varphi" in GREEK_COMMANDS
('asin', 'softplus', True)
"""

from __future__ import annotations

from .text import TEXT_FUNCTIONS
from .tree import GREEK_LETTERS

__all__ = [
    "BARE_WORDS",
    "FRACTIONS",
    "GREEK_COMMANDS",
    "LATEX_FUNCTIONS",
    "LETTER_CONSTANTS",
    "MULTIPLY",
    "NAME_WORDS",
    "OPERATOR_NAMES",
    "POWERABLE",
    "REFUSED_CHARACTERS",
    "REFUSED_COMMANDS",
    "SIZES",
    "SPACING",
    "UNICODE_OPERATORS",
]

LATEX_FUNCTIONS: dict[str, str] = {
    "exp": "exp", "log": "log", "ln": "log",
    **{name: name for name in ("sin", "cos", "tan", "cot", "sec", "csc", "sinh", "cosh", "tanh", "coth")},
    "arcsin": "asin", "arccos": "acos", "arctan": "atan", "max": "Max", "min": "Min",
    "Re": "re", "Im": "im",
}
"""LaTeX function commands (``\\sin``) and the canonical function each calls."""

OPERATOR_NAMES: dict[str, str] = {name: f for name, f in TEXT_FUNCTIONS.items() if name != "sigma"}
"""Names read inside ``\\operatorname{...}`` or ``\\mathrm{...}``: those of :func:`symderiv.parse`."""

GREEK_COMMANDS = frozenset(GREEK_LETTERS.values()) | {
    "varepsilon", "vartheta", "varphi", "varrho", "varsigma", "varpi", "varkappa",
}
"""Greek letter commands (``\\theta``, ``\\varphi``): each one a variable, ``\\pi`` the constant."""

SPACING = frozenset({"quad", "qquad", "displaystyle", "textstyle", "scriptstyle", "scriptscriptstyle", ",", ";", ":", "!", " "})
"""Commands that only space or style the formula: skipped like whitespace."""
SIZES = frozenset(
    size + side
    for size in ("big", "Big", "bigg", "Bigg")
    for side in ("", "l", "r", "m")
)
"""Bracket sizes (``\\bigl``, ``\\Bigr``): skipped like whitespace."""
MULTIPLY = frozenset({"cdot", "times", "div"})
"""Commands that multiply or divide."""
LETTER_CONSTANTS = {"e": "E", "i": "I"}
"""Letters that are constants, as ``sp.latex`` prints ``E`` and ``I``: ``e_{1}`` is a variable."""
POWERABLE = frozenset({"number", "group", "function", "constant", "word"})
"""Kinds of factor a ``^`` may follow (a letter reads its own superscript)."""
NAME_WORDS = frozenset({"mathrm", "operatorname", "mathit", "textrm"})
"""Commands whose braces hold a word: a function name, ``e``, or a longer variable name."""
FRACTIONS = frozenset({"frac", "dfrac", "tfrac"})

#: The commands that open a bracket with a function of its own: |x|, ⌊x⌋, ⌈x⌉ → (closing, function).
BRACKET_FUNCTIONS: dict[str, tuple[str, str]] = {
    "lvert": ("rvert", "Abs"), "lfloor": ("rfloor", "floor"), "lceil": ("rceil", "ceiling"),
}
"""The fraction commands."""

REFUSED_COMMANDS: dict[str, str] = {
    "partial": "derivative notation (\\partial) is not read: give the function itself, symderiv differentiates it",
    "nabla": "gradients (\\nabla) are not supported",
    "sum": "sums (\\sum) are not supported: write the terms out",
    "prod": "products (\\prod) are not supported: write the factors out",
    "int": "integrals are not supported",
    "iint": "integrals are not supported",
    "oint": "integrals are not supported",
    "lim": "limits are not supported",
    "infty": "infinity cannot appear in a formula",
    "top": "transposes are not supported: symderiv works with scalars",
    "intercal": "transposes are not supported: symderiv works with scalars",
    "text": "text is not part of a formula",
    "begin": "environments (\\begin ... \\end) are not supported: give one expression",
    "end": "environments (\\begin ... \\end) are not supported: give one expression",
    "right": "\\right without a matching \\left",
    "rvert": "\\rvert without a matching \\lvert",
    "rfloor": "\\rfloor without a matching \\lfloor",
    "rceil": "\\rceil without a matching \\lceil",
    "\\": "line breaks are not allowed: give one expression",
    "{": "braces as delimiters (\\{ \\}) are not supported: use ( ) or [ ]",
    "}": "braces as delimiters (\\{ \\}) are not supported: use ( ) or [ ]",
    "|": "norms (\\|) are not supported",
    **{cmd: "relations are not supported: give an expression, not an equation"
       for cmd in ("le", "ge", "leq", "geq", "neq", "ne", "approx", "equiv", "sim", "to",
                   "rightarrow", "Rightarrow", "mapsto", "in", "lt", "gt")},
    **{cmd: "ellipses are not supported: write the terms out"
       for cmd in ("cdots", "ldots", "dots", "vdots", "ddots")},
    **{cmd: "decorated symbols (\\mathbf, \\hat, ...) are not supported: use a plain name such as w or w_1"
       for cmd in ("mathbf", "boldsymbol", "bm", "vec", "hat", "bar", "tilde", "dot", "ddot",
                   "overline", "underline", "widehat", "mathcal", "mathbb")},
}
"""Commands refused wherever they appear, and why."""

REFUSED_CHARACTERS = {
    "=": "'=' is not allowed: give an expression, not an equation",
    "<": "relations are not supported: give an expression",
    ">": "relations are not supported: give an expression",
    "&": "'&' (alignment) is not allowed: give one expression",
    "%": "'%' starts a LaTeX comment, which would hide the rest of the line: remove it",
    "#": "'#' is not allowed in a formula",
    "$": "'$' can only surround the whole formula",
    '"': "quotes are not allowed in a formula",
    "'": "primes (f') are derivative notation, which is not read: give the function itself",
    ";": "';' is not allowed in a formula",
    ":": "':' is not allowed in a formula",
    ".": "'.' can only appear inside a number",
}
"""Characters refused, and why (all but ``%`` where the parser reaches them, so that the
message is about the first problem in reading order)."""

BARE_WORDS: dict[str, str] = {
    **{name: f"\\{name}" for name in LATEX_FUNCTIONS},
    **{name: f"\\operatorname{{{name}}}" for name in ("asin", "acos", "atan", "sech", "csch", "sign", "softplus", "relu", "ReLU")},
    "sigmoid": "\\sigma", "sqrt": "\\sqrt", "frac": "\\frac", "cdot": "\\cdot", "left": "\\left",
    **{name: f"\\{name}" for name in GREEK_COMMANDS if name.islower() and len(name) >= 2},
}
"""Words that, typed without a backslash, mean a command but read as a product of letters."""

UNICODE_OPERATORS = {"−": ("op", "-"), "·": ("cmd", "cdot"), "⋅": ("cmd", "cdot"), "×": ("cmd", "times"), "÷": ("cmd", "div")}
"""Unicode operators pasted into LaTeX and the token each stands for."""
