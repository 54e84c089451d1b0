r"""LaTeX: the steps as an ``align*`` block, or a whole document that compiles.

Each line is ``lhs &= rhs && \text{(n) rule}``; a step that introduces substitutions shows them
on its line (``u = 1 + e^{v}``). With ``standalone=True`` the block becomes a document: title,
statement, the block, each step's justification in words, and the result. English documents
compile with pdfLaTeX, XeLaTeX or LuaLaTeX; Japanese, Chinese and Korean ones with XeLaTeX, in
the fonts their :class:`~symderiv.locales.Locale` names (Noto Serif CJK where installed) with
XeTeX's line breaking for the language.

>>> import sympy as sp
>>> from symderiv.core.derivation import Derivation
>>> from symderiv.core.steps import Step
>>> x = sp.Symbol("x")
>>> d = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2*x, detail={"exponent": 2}),))
>>> print(render(d))
\begin{align*}
\frac{\mathrm{d}}{\mathrm{d}x} x^{2} &= 2 x && \text{(1) Power rule}
\end{align*}
>>> print(render(d, lang="ja"))
\begin{align*}
\frac{\mathrm{d}}{\mathrm{d}x} x^{2} &= 2 x && \text{(1) べき関数の微分}
\end{align*}
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from ..locales import Locale, locale
from ..locales.laws import LAWS
from .explain import Equalities, Law, Sentence, Tex, Words
from .outline import Line, layout
from .names import RenderError, cap_output, tex_text
from .outline import Outline, outline
from .tex import tex_lines, tex_width, to_tex

__all__ = ["render", "print_outline", "formula_tex", "check_tex", "TEX_COMMANDS", "sentence_tex", "line_note",
           "line_parts", "lhs_alone", "rows", "chain_rows", "LINE_WIDTH"]

_GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
    "varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi "
    "Pi Sigma Upsilon Phi Psi Omega"
)
_FUNCTIONS = (
    "sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth log ln exp max min operatorname"
)
_SYMBOLS = (
    "frac dfrac tfrac sqrt left right bigl bigr Bigl Bigr mathrm text partial cdot times div odot pm mp "
    "sum prod leq geq neq le ge ne approx equiv infty quad qquad bar hat tilde dot ddot prime to "
    "rightarrow Rightarrow mapsto in ldots cdots begin end nabla"
)
#: The TeX commands a formula written directly in TeX (a catalog's ``$...$``, a rule's law) may
#: use: mathematics only. Nothing that reads or writes files, defines macros, changes category
#: codes, links (``\href``, ``\url``) or styles (``\style``, ``\class``) is among them.
TEX_COMMANDS = frozenset(f"{_GREEK} {_FUNCTIONS} {_SYMBOLS}".split()) | frozenset(",;:! \\{}|_$&%#")
_ENVIRONMENTS = frozenset({"cases", "aligned", "matrix", "pmatrix", "bmatrix"})
_COMMAND = re.compile(r"\\([A-Za-z]+|.)", re.DOTALL)
_CARETS = re.compile(r"\^\s*\^")  # ^^5c is TeX's way of writing a backslash
_REFUSED = re.compile(r"[%#\x00-\x08\x0b-\x1f\x7f]")


def check_tex(source: str) -> str:
    r"""Return ``source`` if it is mathematics that only uses :data:`TEX_COMMANDS`; refuse it
    with :class:`~symderiv.render.names.RenderError` naming the command and its position if not.

    >>> check_tex(r"\sigma'(x) = \sigma(x)\left(1 - \sigma(x)\right)")
    "\\sigma'(x) = \\sigma(x)\\left(1 - \\sigma(x)\\right)"
    >>> check_tex(r"x \input{/etc/passwd}")
    Traceback (most recent call last):
    ...
    symderiv.render.names.RenderError: the TeX command \input at position 2 of 'x \\input{/etc/passwd}' is not mathematics symderiv writes
    """
    for match in _COMMAND.finditer(source):
        name = match.group(1)
        if name not in TEX_COMMANDS:
            raise RenderError(
                f"the TeX command \\{name} at position {match.start()} of {source!r} is not mathematics symderiv writes"
            )
        if name in ("begin", "end"):
            environment = re.match(r"\{([A-Za-z*]*)\}", source[match.end():])
            if environment is None or environment.group(1) not in _ENVIRONMENTS:
                raise RenderError(f"the TeX environment at position {match.start()} of {source!r} is not one symderiv writes")
    refused = _CARETS.search(source) or _REFUSED.search(_COMMAND.sub(lambda m: " " * len(m.group(0)), source))
    if refused:
        raise RenderError(f"{refused.group(0)!r} at position {refused.start()} of {source!r} is not mathematics symderiv writes")
    return source


def formula_tex(value: Any, lang: str = "en") -> str:
    r"""One formula of a sentence as TeX math.

    >>> import sympy as sp
    >>> u, x = sp.symbols("u x")
    >>> formula_tex(Equalities(((u, 1 + sp.exp(-x)),)))
    'u = 1 + e^{- x}'
    >>> formula_tex(Law("sum"))
    "\\left(u + v\\right)' = u' + v'"
    """
    if isinstance(value, Law):
        return LAWS[value.rule]
    if isinstance(value, Tex):
        return check_tex(value.source)
    if isinstance(value, Equalities):
        return r",\; ".join(f"{to_tex(k, lang)} = {to_tex(v, lang)}" for k, v in value.pairs)
    if isinstance(value, tuple):
        return ", ".join(to_tex(item, lang) for item in value)
    return to_tex(value, lang)


def sentence_tex(sentence: Sentence, lang: str = "en") -> str:
    r"""A sentence as LaTeX text with ``$...$`` formulas.

    >>> from symderiv.render.explain import Formula
    >>> sentence_tex((Words("50% of "), Formula(Tex(r"\sigma"))))
    '50\\% of $\\sigma$'
    """
    out = []
    for piece in sentence:
        if isinstance(piece, Words):
            out.append(tex_text(piece.text))
        else:
            out.append("$%s$" % formula_tex(piece.value, lang))
    return "".join(out)


def line_note(line: Line, lang: str = "en") -> str:
    r"""The justification on a line of the block: ``\text{(n) rule}``, then what it introduces."""
    note = r"\text{(%d) %s}" % (line.number, tex_text(line.rule_name))
    if line.introduces:
        note += r"\quad " + formula_tex(Equalities(tuple(line.introduces.items())), lang)
    return note


#: How wide (in rough characters, see :func:`symderiv.render.tex.tex_width`) a line may grow
#: before a long sum breaks onto the next line.
LINE_WIDTH = 42


def line_parts(line: Line, lang: str = "en", *, width: int = LINE_WIDTH) -> tuple[str, list[str]]:
    """A line's left side (empty after the first line) and its right side, broken where long."""
    lhs = to_tex(line.lhs, lang) if line.lhs is not None else ""
    return lhs, tex_lines(line.rhs, lang, width=width)


def lhs_alone(lhs: str, width: int = LINE_WIDTH) -> bool:
    """Whether the left side is so wide that it takes a row of its own, the = signs below it."""
    return tex_width(lhs) > width // 2


def chain_rows(lines: Sequence[Line], lang: str = "en", *, notes: bool = True) -> list[str]:
    """The rows of the chain, ``lhs &= rhs && note``, without the environment around them.

    A long right side continues on the rows after it, ``&\\quad {} + term``.
    """
    out = []
    for line in lines:
        lhs, parts = line_parts(line, lang)
        if lhs_alone(lhs):
            out.append(f"& {lhs}")
            lhs = ""
        row = f"{lhs} &= {parts[0]}"
        if notes:
            row += " && " + line_note(line, lang)
        out.append(row)
        out.extend(f" &\\quad {{}}{part}" for part in parts[1:])
    return out


def rows(derivation: Any, lang: str = "en", *, notes: bool = True) -> list[str]:
    """The rows of ``derivation``'s chain (:func:`chain_rows`), for a caller that has no outline."""
    return chain_rows(layout(derivation, lang), lang, notes=notes)


def print_outline(document: Outline, *, standalone: bool = False) -> str:
    """The document as an ``align*`` block, or with ``standalone=True`` a whole document: title,
    introduction, statement, the block, the justifications as a list, the result, the proof line."""
    lang = document.lang
    block = "\\begin{align*}\n" + " \\\\\n".join(chain_rows(document.lines, lang)) + "\n\\end{align*}"
    if not standalone:
        return cap_output(block, "LaTeX")
    body = [f"\\section*{{{sentence_tex(document.title, lang)}}}"]
    if document.intro:
        body.append(sentence_tex(document.intro, lang))
    body.append(sentence_tex(document.statement, lang))
    body.append(block)
    body.append(f"\\subsection*{{{tex_text(document.notes_heading)}}}")
    items = []
    for line in document.lines:
        item = f"  \\item[({line.number})] \\textbf{{{tex_text(line.rule_name)}.}} {sentence_tex(line.why, lang)}"
        if line.proof_text:
            item += f" {{\\small\\itshape ({tex_text(line.proof_text)})}}"
        items.append(item)
    body.append("\\begin{enumerate}\n" + "\n".join(items) + "\n\\end{enumerate}")
    body.append(f"\\subsection*{{{tex_text(document.result_heading)}}}")
    body.append(f"\\[ {to_tex(document.result, lang)} \\]")
    if document.proof_line:
        body.append(tex_text(document.proof_line))
    return cap_output(_preamble(locale(lang)) + "\n\n".join(body) + "\n\n\\end{document}\n", "LaTeX")


def render(
    derivation: Any,
    *,
    lang: str = "en",
    standalone: bool = False,
    title: str | Sentence | None = None,
    intro: str | Sentence | None = None,
) -> str:
    """The derivation as an ``align*`` block, or with ``standalone=True`` a whole document.

    ``title`` and ``intro`` (text with ``$...$`` formulas, read by
    :func:`~symderiv.render.explain.prose`: words escaped, formulas through the safe LaTeX
    parser) replace the document's default title and add a paragraph before the statement.
    """
    return print_outline(outline(derivation, lang, title=title, intro=intro), standalone=standalone)


def _preamble(language: Locale) -> str:
    """The document's preamble: any TeX engine for a language in TeX's own fonts, XeTeX with
    the language's fonts (the first one installed) and line breaking otherwise."""
    lines = [
        "% Written by symderiv.",
        "% " + ("Compile with xelatex." if language.needs_xetex else "Compile with pdflatex, xelatex or lualatex."),
        "\\documentclass[11pt]{article}",
        "\\usepackage{iftex}",
    ]
    if not language.needs_xetex:
        lines += ["\\ifPDFTeX\\else", "  \\usepackage{fontspec}", "\\fi"]
    else:
        choice = ""
        for font in reversed(language.tex_fonts):
            choice = f"\\IfFontExistsTF{{{font}}}{{\\setmainfont{{{font}}}}}{{{choice}}}"
        lines += [
            "\\RequireXeTeX",
            "\\usepackage{fontspec}",
            choice,
            f'\\XeTeXlinebreaklocale "{language.code}"',
            "\\XeTeXlinebreakskip = 0pt plus 1pt",
        ]
    lines += [
        "\\usepackage{amsmath,amssymb}",
        "\\usepackage[a4paper,margin=2cm]{geometry}",
        "\\allowdisplaybreaks",
        "\\setlength{\\parindent}{0pt}",
        "\\setlength{\\parskip}{0.6em}",
        "\\begin{document}",
        "",
    ]
    return "\n".join(lines) + "\n"
