"""Safe names: which symbol and function names the renderers print, and the escaping of words.

A symbol's name goes into LaTeX, MathML, HTML, Markdown and terminals. A name such as
``x}\\input{/etc/passwd`` or ``<script>`` must never reach them as markup, so every renderer
checks every name first and refuses, with :class:`UnsafeNameError`, what it cannot print safely.
Names are letters (Latin or Greek) and digits, with TeX-style sub- and superscripts:
``x``, ``theta``, ``θ``, ``x_1``, ``a^{(3)}``, ``theta^{(2)}_{12}``, ``y'``.

Words (never names) are escaped for each format instead: :func:`tex_text`, :func:`html_text`.

>>> check_name("theta^{(2)}_{12}")
'theta^{(2)}_{12}'
>>> check_name("x}\\\\input{secret")
Traceback (most recent call last):
...
symderiv.render.names.UnsafeNameError: the name 'x}\\\\input{secret' cannot be printed safely: ...
>>> tex_text("50% & more")
'50\\\\% \\\\& more'
>>> html_text("a < b & c")
'a &lt; b &amp; c'
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any, Iterable, Mapping

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.pretty.pretty_symbology import greek_unicode

from ..errors import LimitError, SymderivError
from ..locales import locale

__all__ = [
    "UnsafeNameError",
    "RenderError",
    "check_name",
    "check_names",
    "check_renderable",
    "tex_text",
    "tex_text_unescape",
    "html_text",
    "greek_to_ascii",
    "cap_output",
    "MAX_RENDER_NODES",
    "MAX_OUTPUT_CHARS",
]

#: Rendering limits, checked by every renderer. A derivation whose expressions hold more than
#: ``MAX_RENDER_NODES`` tree nodes in all (every step's two sides, substitutions and focus,
#: counted as printed, shared subexpressions once per use) is refused before any output is
#: written; a document longer than ``MAX_OUTPUT_CHARS`` characters is refused instead of
#: returned. Both raise :class:`~symderiv.LimitError` (``limit="render_nodes"`` or
#: ``"output_chars"``). To render something larger, raise them:
#: ``symderiv.render.names.MAX_OUTPUT_CHARS = 100_000_000``.
MAX_RENDER_NODES = 200_000
MAX_OUTPUT_CHARS = 20_000_000


class RenderError(SymderivError, ValueError):
    """A derivation could not be written in the asked format (an unsupported construct)."""


class UnsafeNameError(RenderError):
    """A symbol or function name holds characters that could be read as markup."""


_GREEK = "\u0370-\u03ff"
_WORD = rf"[A-Za-z0-9{_GREEK}]+"
_NAME = re.compile(rf"^[A-Za-z{_GREEK}][A-Za-z0-9{_GREEK}]*'*(?:[_^](?:{_WORD}|\{{[A-Za-z0-9{_GREEK}(),']+\}}))*'*$")


def check_name(name: str) -> str:
    """Return ``name`` if every renderer can print it safely; raise :class:`UnsafeNameError` if not.

    >>> check_name("x_1")
    'x_1'
    >>> check_name("<b>")
    Traceback (most recent call last):
    ...
    symderiv.render.names.UnsafeNameError: the name '<b>' cannot be printed safely: ...
    """
    if not isinstance(name, str) or not _NAME.match(name) or not _balanced(name):
        raise UnsafeNameError(
            f"the name {name!r} cannot be printed safely: a name is letters (Latin or Greek) and "
            "digits, with sub- and superscripts such as x_1 or a^{(3)}; rename the symbol"
        )
    return name


def _balanced(name: str) -> bool:
    depth = 0
    for char in name:
        depth += char == "{"
        depth -= char == "}"
        if depth < 0 or depth > 1:
            return False
    return depth == 0


def check_names(exprs: Iterable[sp.Basic]) -> None:
    """Check the name of every symbol and undefined function in ``exprs``.

    >>> import sympy as sp
    >>> check_names([sp.Symbol("x") + sp.Function("f")(sp.Symbol("y"))])
    >>> check_names([sp.Symbol("a&b")])
    Traceback (most recent call last):
    ...
    symderiv.render.names.UnsafeNameError: the name 'a&b' cannot be printed safely: ...
    """
    for expr in exprs:
        if not isinstance(expr, sp.Basic):
            continue
        for atom in expr.atoms(sp.Symbol):
            check_name(atom.name)
        for application in expr.atoms(AppliedUndef):
            check_name(type(application).__name__)


_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\textasciicircum{}",
    "~": r"\textasciitilde{}",
}
_TEX_UNESCAPE = {value: key for key, value in _TEX_SPECIALS.items()}
_TEX_UNESCAPE_RE = re.compile("|".join(re.escape(k) for k in sorted(_TEX_UNESCAPE, key=len, reverse=True)))


def tex_text(words: str) -> str:
    """Escape words for LaTeX text mode (``\\text{...}`` or a paragraph); control characters go.

    >>> tex_text("a_b {c} \\\\")
    'a\\\\_b \\\\{c\\\\} \\\\textbackslash{}'
    """
    cleaned = _printable(words)
    return "".join(_TEX_SPECIALS.get(char, char) for char in cleaned)


def tex_text_unescape(tex: str) -> str:
    """Undo :func:`tex_text`: the words that ``tex`` shows.

    >>> tex_text_unescape(tex_text("50% of {x} & ~y"))
    '50% of {x} & ~y'
    """
    return _TEX_UNESCAPE_RE.sub(lambda m: _TEX_UNESCAPE[m.group(0)], tex)


def html_text(words: str) -> str:
    """Escape words for HTML text and attribute values; control characters go.

    >>> html_text('"quoted" <tag>')
    '&quot;quoted&quot; &lt;tag&gt;'
    """
    return html.escape(_printable(words), quote=True)


def _printable(words: str) -> str:
    """Drop control and bidirectional-override characters, which can hide or reorder text."""
    return "".join(
        char
        for char in words
        if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co")
    )


_GREEK_NAMES = {
    char: name for name, char in greek_unicode.items()
}


def greek_to_ascii(name: str) -> str:
    """Spell Greek letters out, as SymPy's LaTeX printer expects: ``θ_1`` → ``theta_1``.

    >>> greek_to_ascii("θ_1"), greek_to_ascii("Δx")
    ('theta_1', 'Deltax')
    """
    return "".join(_GREEK_NAMES.get(char, char) for char in name)


def check_renderable(derivation: Any, lang: str) -> None:
    """Refuse, before any output, an unknown language or a name no format can print safely.

    Every renderer calls this first, on every expression of every step.
    """
    locale(lang)  # refuses an unknown language with ValueError
    exprs: list[Any] = []
    details: list[Any] = []
    chains = [derivation]
    while chains:  # the derivation and its sub-derivations, at every level
        chain = chains.pop()
        exprs += [chain.expr, chain.wrt]
        for step in chain.steps:
            exprs += [step.before, step.after, *step.where, *step.where.values()]
            if step.focus is not None:
                exprs += list(step.focus)
            details += _detail_exprs(step.detail)
            chains.extend(getattr(step, "substeps", ()))
    _check_size(exprs + details)
    check_names(exprs)


def _detail_exprs(detail: Any) -> list[sp.Basic]:
    """The expressions inside a step's ``detail`` (its justification prints them)."""
    found, pending, seen = [], [detail], set()
    while pending:
        value = pending.pop()
        if id(value) in seen:  # a container that holds itself is read once
            continue
        seen.add(id(value))
        if isinstance(value, sp.Basic):
            found.append(value)
        elif isinstance(value, Mapping):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            pending.extend(value)
    return found


def _check_size(exprs: Iterable[Any]) -> None:
    """Refuse, after at most ``MAX_RENDER_NODES`` visits, expressions too large to print."""
    budget = MAX_RENDER_NODES
    for expr in exprs:
        if not isinstance(expr, sp.Basic):
            continue
        pending = [expr]
        while pending:
            node = pending.pop()
            budget -= 1
            if budget < 0:
                raise LimitError(
                    f"the derivation's expressions hold more than {MAX_RENDER_NODES} nodes in all, "
                    "too many to print (symderiv.render.names.MAX_RENDER_NODES)",
                    limit="render_nodes",
                )
            pending.extend(node.args)


def cap_output(text: str, format_name: str) -> str:
    """Return a rendered document, or refuse one longer than ``MAX_OUTPUT_CHARS`` characters.

    >>> cap_output("x", "text")
    'x'
    """
    if len(text) > MAX_OUTPUT_CHARS:
        raise LimitError(
            f"the {format_name} output has {len(text)} characters; the limit is {MAX_OUTPUT_CHARS} "
            "(symderiv.render.names.MAX_OUTPUT_CHARS)",
            limit="output_chars",
        )
    return text
