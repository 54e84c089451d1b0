r"""LaTeX: the steps as an ``align*`` block, or a whole document that compiles.

Each line is ``lhs &= rhs && \text{(n) rule}``; a step that introduces substitutions shows them
on its line (``u = 1 + e^{v}``). With ``standalone=True`` the block becomes a document, in the
order every format keeps (:mod:`.outline`): title, introduction, statement; the result in a box
(in the derivation's names, then in the original variables) and the names it uses; the chain,
each line numbered and named by a ``\tag*`` that moves below the line when the line is long;
then each step's justification in words, with its sub-derivations indented under it. Long
right sides break before a top-level + or −, and a long left side gets a row of its own.

English documents compile with pdfLaTeX, XeLaTeX or LuaLaTeX; Japanese, Chinese and Korean ones
with XeLaTeX, in the fonts their :class:`~symderiv.locales.Locale` names (Noto Serif CJK where
installed) with XeTeX's line breaking for the language. The preamble defines ``\symfocus{...}``,
the mark of the part a step rewrote: a tinted box where ``xcolor`` is installed, an underline
where it is not.

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
>>> print("\n".join(tagged_rows(outline(d).lines)))
\frac{\mathrm{d}}{\mathrm{d}x} x^{2} &= 2 x \tag*{(1) Power rule}
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from ..locales import Locale, locale, word
from ..locales.laws import LAWS
import sympy as sp

from .explain import Equalities, Law, Sentence, Tex, Words
from .names import RenderError, cap_output, greek_to_ascii, tex_text
from .outline import Line, Outline, Sub, boxed, layout, outline
from .tex import Notation, tex_lines, tex_width, to_tex

__all__ = ["render", "print_outline", "formula_tex", "check_tex", "TEX_COMMANDS", "sentence_tex", "line_note",
           "line_parts", "lhs_alone", "rows", "chain_rows", "tagged_rows", "equation_rows", "box_rows",
           "definition_rows", "where_words", "LINE_WIDTH", "DISPLAY_WIDTH", "PREAMBLE_MACROS"]

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
    "rightarrow Rightarrow mapsto in ldots cdots begin end nabla lfloor rfloor lceil rceil mathbf det iff"
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


_GREEK_RUN = re.compile("([\u0391-\u03a9\u03b1-\u03c9\u03d1\u03d5\u03f5])([\u2032\u2033]*)")


def words_tex(words: str) -> str:
    r"""Words for LaTeX text mode (:func:`~symderiv.render.names.tex_text`), with each Greek
    letter a rule's words name (σ′, δ) set as mathematics, so that a document compiles and
    shows it in any engine and any font: ``\ensuremath{\sigma'}``.

    >>> words_tex("σ′ is written with σ, 50%")
    "\\ensuremath{\\sigma'} is written with \\ensuremath{\\sigma}, 50\\%"
    """
    return _GREEK_RUN.sub(lambda m: "\\ensuremath{\\%s%s}" % (greek_to_ascii(m.group(1)), "'" * len(m.group(2))),
                          tex_text(words))


#: A formula of a sentence wider than this (in :func:`~symderiv.render.tex.tex_width`'s rough
#: characters) is set as a display of its own in a standalone document, broken where long: TeX
#: cannot break a line inside ``\left( ... \right)``, so a long inline formula would overflow.
DISPLAY_WIDTH = 56


def sentence_tex(sentence: Sentence, lang: str = "en", *, display_long: bool = False) -> str:
    r"""A sentence as LaTeX text with ``$...$`` formulas.

    With ``display_long`` (for a paragraph of a standalone document), a list of equalities is
    written one ``$...$`` each, so that the paragraph may break between them, and a formula
    wider than :data:`DISPLAY_WIDTH` becomes a display of its own, ``\[ ... \]``, broken where long.

    >>> from symderiv.render.explain import Formula
    >>> sentence_tex((Words("50% of "), Formula(Tex(r"\sigma"))))
    '50\\% of $\\sigma$'
    >>> import sympy as sp
    >>> u, v, x = sp.symbols("u v x")
    >>> sentence_tex((Formula(Equalities(((u, x**2), (v, -x)))),), display_long=True)
    '$u = x^{2}$, $v = - x$'
    """
    out = []
    for piece in sentence:
        if isinstance(piece, Words):
            out.append(words_tex(piece.text))
        elif display_long and isinstance(piece.value, (sp.Expr, Equalities)):
            pairs = piece.value.pairs if isinstance(piece.value, Equalities) else ((None, piece.value),)
            out.append(", ".join(_paragraph_formula(name, value, lang) for name, value in pairs))
        else:
            out.append("$%s$" % formula_tex(piece.value, lang))
    return "".join(out)


def _paragraph_formula(name: sp.Basic | None, value: sp.Basic, lang: str) -> str:
    """``name = value`` (or ``value``) in a paragraph: inline, or a display broken into rows
    when wider than :data:`DISPLAY_WIDTH`."""
    tex = ("" if name is None else f"{to_tex(name, lang)} = ") + to_tex(value, lang)
    if tex_width(tex) <= DISPLAY_WIDTH:
        return f"${tex}$"
    rows = break_tex(tex)
    return "\n\\[\\begin{aligned}\n&" + " \\\\\n&\\quad {}".join(rows) + "\n\\end{aligned}\\]\n"


def line_note(line: Line, lang: str = "en") -> str:
    r"""The justification on a line of the block: ``\text{(n) rule}``, then what it introduces."""
    note = r"\text{(%s) %s}" % (line.label or line.number, tex_text(line.rule_name))
    if line.introduces:
        note += r"\quad " + formula_tex(Equalities(tuple(line.introduces.items())), lang)
    return note


#: How wide (in rough characters, see :func:`symderiv.render.tex.tex_width`) a line may grow
#: before a long sum breaks onto the next line.
LINE_WIDTH = 42


def line_parts(line: Line, lang: str = "en", *, width: int = LINE_WIDTH,
               notation: Notation | None = None) -> tuple[str, list[str]]:
    r"""A line's left side (empty after the first line) and its right side, broken where long:
    printed in the line's term order, with ``notation`` (∂ or d) for every derivative, the
    part the step made (and, on the left side, the part the first step rewrites) marked
    ``\symfocus{...}``."""
    options: dict[str, Any] = {"notation": notation}
    lhs = "" if line.lhs is None else to_tex(line.lhs, lang, order=line.lhs_order, mark=line.lhs_mark, **options)
    return lhs, tex_lines(line.rhs, lang, width=width, order=line.order, mark=line.mark, **options)


def lhs_alone(lhs: str, width: int = LINE_WIDTH) -> bool:
    """Whether the left side is so wide that it takes a row of its own, the = signs below it."""
    return tex_width(lhs) > width // 2


def equation_rows(lhs: str, parts: Sequence[str], *, note: str = "", width: int = LINE_WIDTH,
                  breaking: bool = False) -> list[str]:
    r"""The ``align`` rows of one equality ``lhs = parts``: the left side on a row of its own
    when it is wide (:func:`lhs_alone`), the right side continued on the rows after the first,
    ``&\quad {}+ term``; ``note`` (``&& ...`` or ``\tag*{...}``) ends the first row of the
    right side. With ``breaking``, a row still wider than ``width`` is broken further
    (:func:`break_tex`), the left side too.

    >>> equation_rows("y", ["a + b", "+ c"], note=r" \tag*{(1)}")
    ['y &= a + b \\tag*{(1)}', ' &\\quad {}+ c']
    """
    out = []
    if breaking:
        parts = [row for part in parts for row in break_tex(part, width)]
    if lhs and lhs_alone(lhs, width):
        first, *rest = break_tex(lhs, width) if breaking else [lhs]
        out.append(f"& {first}")
        out.extend(f"&\\quad {{}}{row}" for row in rest)
        lhs = ""
    out.append(f"{lhs} &= {parts[0]}{note}")
    out.extend(f" &\\quad {{}}{part}" for part in parts[1:])
    return out


def chain_rows(lines: Sequence[Line], lang: str = "en", *, notes: bool = True, notation: Notation | None = None) -> list[str]:
    """The rows of the chain, ``lhs &= rhs && note``, without the environment around them.

    A long right side continues on the rows after it, ``&\\quad {} + term``.
    """
    out = []
    for line in lines:
        lhs, parts = line_parts(line, lang, notation=notation)
        out.extend(equation_rows(lhs, parts, note=" && " + line_note(line, lang) if notes else ""))
    return out


def tagged_rows(lines: Sequence[Line], lang: str = "en", *, width: int = LINE_WIDTH,
                notation: Notation | None = None) -> list[str]:
    r"""The rows of the chain for an ``align*`` of a standalone document: each line numbered
    and named by ``\tag*{(n) rule}``, which amsmath sets at the right margin, or below the line
    when the line leaves no room for it (so a long line never pushes the name into the margin).
    The substitutions a line introduces are in its justification and the definitions."""
    out = []
    for line in lines:
        lhs, parts = line_parts(line, lang, width=width, notation=notation)
        tag = r" \tag*{(%s) %s}" % (tex_text(line.label or str(line.number)), words_tex(line.rule_name))
        out.extend(equation_rows(lhs, parts, note=tag, width=width, breaking=True))
    return out


def rows(derivation: Any, lang: str = "en", *, notes: bool = True) -> list[str]:
    """The rows of ``derivation``'s chain (:func:`chain_rows`), for a caller that has no outline."""
    return chain_rows(layout(derivation, lang), lang, notes=notes)


def box_rows(document: Outline, *, width: int = LINE_WIDTH) -> list[str]:
    r"""The rows of the result box (:func:`~symderiv.render.outline.boxed`): the derivative
    asked for, ``= `` the result in the derivation's names, ``= `` the result in the original
    variables, each broken where long."""
    lhs, sides = boxed(document)
    return _equalities([(lhs, side) if index == 0 else (None, side) for index, side in enumerate(sides)],
                       document, width)


def definition_rows(document: Outline, *, width: int = LINE_WIDTH) -> list[str]:
    r"""One row per name the derivation uses, ``z &= w x + b``, in the order they were made."""
    return _equalities(list(document.definitions), document, width)


def _equalities(pairs: list[tuple[sp.Basic | None, sp.Expr]], document: Outline, width: int) -> list[str]:
    lang, notation = document.lang, document.notation
    return [row for lhs, rhs in pairs for row in equation_rows(
        "" if lhs is None else to_tex(lhs, lang, notation=notation),
        tex_lines(rhs, lang, width=width, notation=notation), width=width, breaking=True)]


def where_words(lang: str) -> tuple[str, str]:
    """The words the language's ``where`` sentence puts before and after its list of names
    ("where", "ただし", "단,"), for a format that sets the names as a display of their own."""
    template = word("where", lang)
    before, _, after = template.partition("{substitutions}")
    return before.strip(), after.strip()


#: The macros a standalone document defines: ``\symfocus{...}``, the mark of the part a step
#: rewrote (underlined, on a tinted box where xcolor is installed: the line survives grayscale
#: printing), and ``symnotes``, the indented list of justifications that holds the
#: sub-derivations.
PREAMBLE_MACROS = r"""\makeatletter
\newcommand{\sym@focusline}[2]{\underline{#2}}
\newcommand{\sym@focusbox}[2]{{\setlength{\fboxsep}{1pt}\colorbox{symfocus}{$\m@th#1\underline{#2}$}}}
\let\sym@focus\sym@focusline
\IfFileExists{xcolor.sty}{\usepackage{xcolor}\definecolor{symfocus}{RGB}{255,228,150}\let\sym@focus\sym@focusbox}{}
\newcommand{\symfocus}[1]{\mathpalette\sym@focus{#1}}
\makeatother
\newenvironment{symnotes}{\begin{list}{}{%
  \setlength{\leftmargin}{2.2em}\setlength{\labelwidth}{1.9em}\setlength{\labelsep}{0.3em}%
  \setlength{\itemsep}{0.35em}\setlength{\parsep}{0.3em}\setlength{\topsep}{0.3em}}}{\end{list}}
\sloppy
"""

#: How deeply sub-derivations indent in LaTeX: each level is one list, and LaTeX nests six.
MAX_INDENT = 4


def _notes(lines: Sequence[Line], lang: str, depth: int, notation: Notation) -> list[str]:
    """The items of a ``symnotes`` list: each line's label, rule and justification, then its
    sub-derivations, each a ``symnotes`` list of its own inside the item (indented), down to
    :data:`MAX_INDENT` levels; deeper ones stay at that indentation."""
    items = []
    for line in lines:
        label = tex_text(line.label or str(line.number))
        item = f"\\item[({label})] \\textbf{{{words_tex(line.rule_name)}.}} {sentence_tex(line.why, lang, display_long=True)}"
        if line.proof_text:
            item += f" {{\\small\\itshape ({words_tex(line.proof_text)})}}"
        items.append(item)
        for sub in line.subs:
            items.append(_sub_block(sub, lang, depth + 1, notation))
    return items


def _sub_block(sub: Sub, lang: str, depth: int, notation: Notation) -> str:
    """A sub-derivation: what is differentiated, its chain, its justifications, indented."""
    width = max(LINE_WIDTH - 4 * min(depth, MAX_INDENT), 24)
    chain = "\\begin{align*}\n" + " \\\\\n".join(tagged_rows(sub.lines, lang, width=width, notation=notation)) + "\n\\end{align*}"
    body = [f"\\item[] {sentence_tex(sub.statement, lang, display_long=True)}\n{chain}", *_notes(sub.lines, lang, depth, notation)]
    if depth > MAX_INDENT:
        return "\n".join(body)
    return "\\begin{symnotes}\n" + "\n".join(body) + "\n\\end{symnotes}"


def print_outline(document: Outline, *, standalone: bool = False) -> str:
    """The document as an ``align*`` block, or with ``standalone=True`` a whole document:
    title, introduction, statement, the result in a box with the names it uses, the chain,
    the justifications with the sub-derivations indented, and the proof line."""
    lang = document.lang
    if not standalone:
        block = "\\begin{align*}\n" + " \\\\\n".join(chain_rows(document.lines, lang, notation=document.notation)) + "\n\\end{align*}"
        return cap_output(block, "LaTeX")
    body = [f"\\section*{{{sentence_tex(document.title, lang)}}}"]
    if document.intro:
        body.append(sentence_tex(document.intro, lang))
    body.append(sentence_tex(document.statement, lang, display_long=True))
    body.append(f"\\subsection*{{{words_tex(document.result_heading)}}}")
    body.append("\\[\n\\boxed{\\begin{aligned}\n" + " \\\\\n".join(box_rows(document)) + "\n\\end{aligned}}\n\\]")
    if document.definitions:
        before, after = where_words(lang)
        body.append(f"\\noindent {words_tex(before)}\n\\begin{{align*}}\n" + " \\\\\n".join(definition_rows(document))
                    + f"\n\\end{{align*}}{words_tex(after)}")
    body.append(f"\\subsection*{{{words_tex(document.steps_heading)}}}")
    body.append("\\begin{align*}\n" + " \\\\\n".join(tagged_rows(document.lines, lang, notation=document.notation)) + "\n\\end{align*}")
    body.append(f"\\subsection*{{{words_tex(document.notes_heading)}}}")
    body.append("\\begin{symnotes}\n" + "\n".join(_notes(document.lines, lang, 0, document.notation)) + "\n\\end{symnotes}")
    if document.proof_line:
        body.append(words_tex(document.proof_line))
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
    the language's fonts (the first one installed) and line breaking otherwise; then the
    macros of :data:`PREAMBLE_MACROS`."""
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
        PREAMBLE_MACROS,
        "\\allowdisplaybreaks",
        "\\setlength{\\parindent}{0pt}",
        "\\setlength{\\parskip}{0.6em}",
        "\\begin{document}",
        "",
    ]
    return "\n".join(lines) + "\n"


# --- Breaking a display that tex_lines leaves too wide (break_tex) ---------------------------

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\s+|.", re.S)
#: Commands whose braced groups are their arguments (the others are followed by groups of their own).
_ARGUMENTS = {"\\frac": 2, "\\dfrac": 2, "\\tfrac": 2, "\\mathrm": 1, "\\operatorname": 1, "\\text": 1,
              "\\symfocus": 1, "\\sqrt": 1, "\\boxed": 1, "\\mathbf": 1, "\\overline": 1, "\\hat": 1, "\\bar": 1}
_BINARY = {"+", "-", "\\cdot", "\\times", "=", "\\odot"}


def _group_end(tex: str, start: int) -> int:
    """The index after the ``}`` that closes the ``{`` at ``start``."""
    depth = 0
    for match in _TOKEN.finditer(tex, start):
        token = match.group(0)
        depth += (token == "{") - (token == "}")
        if depth == 0:
            return match.end()
    return len(tex)


def _left_end(tex: str, start: int) -> int:
    r"""The index after the delimiter of the ``\right`` that closes the ``\left`` at ``start``."""
    depth, index = 0, start
    while index < len(tex):
        match = _TOKEN.match(tex, index)
        assert match is not None
        token, index = match.group(0), match.end()
        if token == "{":
            index = _group_end(tex, match.start())
        elif token in ("\\left", "\\right"):
            depth += 1 if token == "\\left" else -1
            delimiter = _TOKEN.match(tex, index)
            index = delimiter.end() if delimiter else index
            if depth == 0:
                return index
    return len(tex)


def _atoms(tex: str) -> list[str]:
    """``tex`` cut at its top level into atoms: a command with its arguments, a ``\\left ...
    \\right`` group, a braced group, each with the scripts after it; an operator; a space."""
    atoms: list[str] = []
    index = 0
    while index < len(tex):
        match = _TOKEN.match(tex, index)
        assert match is not None
        token, end = match.group(0), match.end()
        if token == "{":
            end = _group_end(tex, index)
        elif token == "\\left":
            end = _left_end(tex, index)
        elif token == "\\begin":
            close = tex.find("\\end", end)
            end = len(tex) if close < 0 else _group_end(tex, close + 4)
        elif token in _ARGUMENTS:
            for _ in range(_ARGUMENTS[token]):
                while end < len(tex) and tex[end] == " ":
                    end += 1
                end = _group_end(tex, end) if tex.startswith("{", end) else end
        if token in ("^", "_") and atoms and not atoms[-1].isspace():
            end = _group_end(tex, end) if tex.startswith("{", end) else min(end + 1, len(tex))
            atoms[-1] += tex[index:end]
        else:
            atoms.append(tex[index:end])
        index = end
    return atoms


def _is_operator_name(atom: str) -> bool:
    """A derivative operator or a function's name: what must stay on the row of its operand."""
    return atom.startswith(("\\frac{\\mathrm{d}", "\\frac{\\partial", "\\frac{d}")) or (
        re.fullmatch(r"\\[A-Za-z]+", atom) is not None and atom not in _BINARY)


def _segments(atoms: list[str]) -> list[str]:
    """The atoms joined into the pieces between which a row may break: before a binary
    operator, and between two factors (the second then starting with ``\\cdot``)."""
    pieces: list[str] = []
    current, last, space = "", "", False
    for atom in atoms:
        if atom.isspace():
            space = bool(last)
            continue
        if last and atom in _BINARY and last not in _BINARY:
            pieces.append(current)
            current = f" {atom}"
        elif last and space and atom not in _BINARY and last not in _BINARY and not _is_operator_name(last):
            pieces.append(current)
            current = f" \\cdot {atom}"
        else:
            current += (" " if space else "") + atom
        last, space = atom, False
    pieces.append(current)
    return pieces


def _fence(inner: str, width: int, open_: str, close: str) -> list[str] | None:
    r"""``inner`` broken into rows between ``\Bigl`` fences (``\biggl`` around fractions)."""
    rows = break_tex(inner, width)
    if len(rows) < 2:
        return None
    size = "bigg" if "\\frac" in inner else "Big"
    return [f"\\{size}l{open_}{rows[0]}", *rows[1:-1], f"{rows[-1]}\\{size}r{close}"]


_PAREN = re.compile(r"\\left(\\\{|.)(.*)\\right(\\\}|.)((?:[\^_](?:\{[^{}]*\}|[^{}\\]))*)$", re.S)


def _open_up(atom: str, width: int) -> list[str] | None:
    """A wide atom rewritten so that it spans rows, or None when it cannot be."""
    paren = _PAREN.match(atom)
    if paren:
        rows = _fence(paren.group(2), width, paren.group(1), paren.group(3))
        return rows[:-1] + [rows[-1] + paren.group(4)] if rows else None
    if atom.startswith("\\frac{"):
        numerator_end = _group_end(atom, 5)
        rows = _fence(atom[6:numerator_end - 1], width, "(", ")")
        return [f"\\frac{{1}}{atom[numerator_end:]} {rows[0]}", *rows[1:]] if rows else None
    if atom.startswith("e^{") and atom.endswith("}"):
        rows = _fence(atom[3:-1], width, "(", ")")
        return [f"\\exp{rows[0]}", *rows[1:]] if rows else None
    if atom.startswith("{") and atom.endswith("}"):
        rows = break_tex(atom[1:-1], width)
        return rows if len(rows) > 1 else None
    return None


def _open_segment(segment: str, width: int) -> list[str]:
    """A segment with no place to break: its leading operator kept, its widest atom opened up,
    what stands before that atom on its first row and what follows it on its last."""
    operator = re.match(r"\s*(?:\\cdot|\\times|\\odot|[-+=])?\s*", segment)
    head, body = segment[: operator.end()] if operator else "", segment[operator.end():] if operator else segment
    atoms = _atoms(body)
    if not atoms:
        return [segment]
    widest = max(range(len(atoms)), key=lambda i: tex_width(atoms[i]))
    before, after = head + "".join(atoms[:widest]), "".join(atoms[widest + 1:])
    rows = _open_up(atoms[widest], max(width - tex_width(before) - 3, 8))
    if rows is None:
        return [segment]
    return [before + rows[0], *rows[1:-1], rows[-1] + after] if len(rows) > 1 else [before + rows[0] + after]


def break_tex(tex: str, width: int = LINE_WIDTH) -> list[str]:
    r"""TeX math broken into rows of about ``width`` (:func:`~symderiv.render.tex.tex_width`),
    each after the first starting with its operator; a row that cannot be broken stays whole.

    :func:`~symderiv.render.tex.tex_lines` breaks a sum before its top-level + and −; this breaks
    what it leaves whole (TeX breaks no display): between factors (the next row starting with
    ·), and inside a bracket, a fraction or an exponent, rewritten so as to span rows:
    ``\left( X \right)`` as ``\Bigl( X \Bigr)``, ``\frac{A}{B}`` as ``\frac{1}{B} \Bigl( A
    \Bigr)``, ``e^{E}`` as ``\exp\Bigl( E \Bigr)``. A marked part or cases stay whole.

    >>> break_tex(r"e^{w} \left(x^{3} + x^{2} + x + 1\right)", width=9)
    ['e^{w}', '\\cdot \\Bigl(x^{3} + x^{2} + x', '+ 1\\Bigr)']
    >>> break_tex(r"\frac{a + b + c + d + f + g + h}{m}", width=6)
    ['\\frac{1}{m} \\Bigl(a + b + c + d', '+ f + g + h\\Bigr)']
    >>> break_tex(r"\frac{\mathrm{d}}{\mathrm{d}x} e^{x^{3} + x^{2} + x + x^{5} + x^{6}}", width=8)
    ['\\frac{\\mathrm{d}}{\\mathrm{d}x} \\exp\\Bigl(x^{3} + x^{2} + x', '+ x^{5} + x^{6}\\Bigr)']
    """
    if tex_width(tex) <= width:
        return [tex]
    pieces: list[str] = []
    for segment in _segments(_atoms(tex.strip())):
        pieces.extend(_open_segment(segment, width) if tex_width(segment) > width else [segment])
    rows: list[str] = []
    for piece in pieces:
        if rows and tex_width(rows[-1]) + tex_width(piece) <= width:
            rows[-1] += piece if piece.startswith(" ") else " " + piece
        else:
            rows.append(piece.strip())
    return rows
