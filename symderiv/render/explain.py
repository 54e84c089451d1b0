r"""Each step's justification in words: a catalog template filled with the step's own facts.

A justification is a :data:`Sentence`, a tuple of :class:`Words` and :class:`Formula` pieces,
so that each renderer can write the words as text and the formulas as its own mathematics
(TeX, MathML, Unicode). The facts come from the step: its focus, its ``where`` and its
``detail`` (see :data:`symderiv.locales.FIELDS`).

Every letter a justification prints is the step's own: the law of the rule is written in the
variable of the derivative the step rewrites and the names it introduces
(:class:`StepLaw`, from :func:`symderiv.locales.laws.instantiate`), and its bound letters are
ones the step does not use. Where a law cannot be written in the step's letters (a step with no
derivative in focus), the general law is printed (:class:`Law`). Words whose form depends on
the word before them (Korean particles) are chosen by the locale (:func:`agree`).

>>> import sympy as sp
>>> from symderiv.core.steps import Step
>>> x = sp.Symbol("x")
>>> step = Step("power", sp.Derivative(x**3, x), 3*x**2, focus=(sp.Derivative(x**3, x), 3*x**2),
...             detail={"variable": x, "exponent": 3})
>>> print(plain(justification(step, "en", wrt=x)))
The exponent [3] comes down in front, and the exponent drops by one: [\frac{\mathrm{d}}{\mathrm{d}x} x^{n} = n x^{n - 1}].
"""

from __future__ import annotations

import functools
import numbers
import string
from dataclasses import dataclass
from typing import Any, Mapping, Union

import re

import sympy as sp
from sympy.printing.conventions import requires_partial

from ..core.steps import Step
from ..errors import LimitError, ParseError, UnsupportedError
from ..locales import locale, rule_template, word
from ..locales.laws import LAWS, Letters, instantiate
from ..parse.latex import parse_latex
from .names import RenderError
from .tex import to_tex

__all__ = [
    "Words",
    "Formula",
    "Law",
    "StepLaw",
    "Equalities",
    "Sentence",
    "fill",
    "justification",
    "introduced",
    "step_values",
    "step_law",
    "agree",
    "plain",
    "Tex",
    "inline",
    "prose",
    "MAX_PROSE_LENGTH",
    "title",
    "statement",
]


@dataclass(frozen=True)
class Words:
    """Text in the reader's language."""

    text: str


@dataclass(frozen=True)
class Law:
    """The law of a rule (TeX in :data:`symderiv.locales.laws.LAWS`, Unicode in ``RULES``)."""

    rule: str


@dataclass(frozen=True)
class Equalities:
    """Substitutions written out, ``u = 1 + e^{v}, v = -x``."""

    pairs: tuple[tuple[sp.Basic, sp.Basic], ...]


@dataclass(frozen=True)
class Tex:
    """A formula written directly in TeX by a catalog (``$...$`` in a document's words)."""

    source: str


@dataclass(frozen=True)
class StepLaw(Tex):
    """The law of ``rule`` written in one step's letters, as TeX (printed wherever :class:`Tex` is)."""

    rule: str = ""


@dataclass(frozen=True)
class Formula:
    """Mathematics: a SymPy object, a tuple of them (a list), :class:`Law`, :class:`Equalities`
    or :class:`Tex`."""

    value: Any


Sentence = tuple[Union[Words, Formula], ...]


def fill(template: str, values: Mapping[str, Any]) -> Sentence:
    """Fill ``template``'s fields with ``values``: words stay words, every field becomes a formula.

    >>> import sympy as sp
    >>> fill("Let {introduces}.", {"introduces": {sp.Symbol("u"): -sp.Symbol("x")}})
    (Words(text='Let '), Formula(value=Equalities(pairs=((u, -x),))), Words(text='.'))
    """
    pieces: list[Words | Formula] = []
    for literal, name, _, _ in string.Formatter().parse(template):
        if literal:
            pieces.append(Words(literal))
        if name is not None:
            pieces.append(_piece(values[name], name))
    return tuple(pieces)


def _piece(value: Any, field: str = "value") -> Words | Formula:
    if isinstance(value, str):
        return Words(value)
    if isinstance(value, Mapping):
        return Formula(Equalities(tuple((_expr(k, field), _expr(v, field)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return Formula(tuple(_expr(item, field) for item in value))
    if isinstance(value, (Law, Equalities, Tex)):
        return Formula(value)
    return Formula(_expr(value, field))


def _expr(value: Any, field: str) -> sp.Basic:
    """``value`` as a SymPy object without reading any text: SymPy objects stay, Python numbers
    become SymPy numbers, anything else (text included) is refused.

    >>> _expr(3, "exponent"), _expr(sp.Symbol("x"), "variable")
    (3, x)
    >>> _expr("__import__('os')", "constants")
    Traceback (most recent call last):
    ...
    symderiv.errors.UnsupportedError: the step's detail 'constants' holds text ("__import__('os')") where a SymPy expression is expected; text is never evaluated
    """
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, bool):
        return sp.true if value else sp.false
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, float):
        return sp.Float(value)
    if isinstance(value, numbers.Rational):
        return sp.Rational(int(value.numerator), int(value.denominator))
    kind = "text" if isinstance(value, str) else type(value).__name__
    raise UnsupportedError(
        f"the step's detail {field!r} holds {kind} ({str(value)[:60]!r}) where a SymPy expression is "
        "expected; text is never evaluated"
    )


def step_values(
    step: Step,
    *,
    wrt: sp.Symbol | None = None,
    names: tuple[sp.Symbol, ...] | None = None,
    notation: str | None = None,
) -> dict[str, Any]:
    """The facts a template may name for ``step``: its detail, focus, law and variables.

    The variable is the one of the derivative in focus, which the step rewrites; ``name`` is the
    first name the step introduces (``names``, by default its ``detail["introduces"]``).
    """
    values: dict[str, Any] = {}
    for key, value in step.detail.items():
        if value is not None:
            values[key] = value
    named = step.detail.get("names")
    if step.focus is None and isinstance(named, Mapping) and len(named) == 1:
        [(name, value)] = named.items()  # a step that names one thing: its part is the value
        values["part"], values["result"] = value, name
    if step.focus is not None:
        part, result = step.focus
        values["part"], values["result"] = part, result
        if isinstance(part, sp.Derivative):
            values["f"] = part.expr
            values["variable"] = part.variables[0]
    if wrt is not None:
        values["wrt"] = wrt
    made = _outermost_first(tuple(names) if names is not None else _names(step), step)
    if made:
        values["name"] = made[0]
    values["law"] = step_law(step, wrt=wrt, names=made, notation=notation)
    return values


def _names(step: Step) -> tuple[sp.Symbol, ...]:
    """The names ``step`` introduces (or, substituting back, puts back); failing those, the
    variables of the derivatives it writes that were not there before (a chain through names
    defined once, at the top: ∂J/∂θ = ∂J/∂a · ∂a/∂z · ∂z/∂θ)."""
    for key in ("introduces", "names"):
        made = step.detail.get(key)
        if isinstance(made, (Mapping, tuple, list)) and made:
            return tuple(made)
    before, after = step.focus if step.focus is not None else (step.before, step.after)
    old = {v for d in before.atoms(sp.Derivative) for v in d.variables}
    return tuple(dict.fromkeys(
        v for d in _derivatives_in_order(after) for v in d.variables if v not in old and isinstance(v, sp.Symbol)
    ))


def _derivatives_in_order(expr: sp.Basic) -> list[sp.Derivative]:
    """The derivatives in ``expr``, in the order its tree holds them."""
    return [node for node in sp.preorder_traversal(expr) if isinstance(node, sp.Derivative)]


def _outermost_first(names: tuple[sp.Symbol, ...], step: Step) -> tuple[sp.Symbol, ...]:
    """``names`` ordered along the chain: each name's value holds the next (a = σ(z), z = wx + b)."""
    values: Mapping[Any, Any] = step.detail.get("introduces") or step.where
    values = values if isinstance(values, Mapping) else step.where
    remaining, ordered = list(names), []
    while remaining:
        inner = {symbol for name in remaining if name in values for symbol in _free(values[name])}
        outer = next((name for name in remaining if name not in inner), remaining[0])
        ordered.append(outer)
        remaining.remove(outer)
    return tuple(ordered)


def _free(value: Any) -> set[Any]:
    return set(value.free_symbols) if isinstance(value, sp.Basic) else set()


def step_law(
    step: Step,
    *,
    wrt: sp.Symbol | None = None,
    names: tuple[sp.Symbol, ...] = (),
    notation: str | None = None,
) -> Law | StepLaw:
    r"""The law of ``step``'s rule in the step's letters, or the general law when it cannot be.

    ``notation`` is the derivation's choice of ∂ or d (``"partial"`` or ``"upright"``); by
    default a derivative with respect to the step's variable takes ∂ when the derivative in
    focus has other variables.

    >>> a = sp.Symbol("a")
    >>> step_law(Step("log", sp.Derivative(sp.log(a), a), 1 / a, focus=(sp.Derivative(sp.log(a), a), 1 / a)))
    StepLaw(source='\\frac{\\mathrm{d}}{\\mathrm{d}a} \\log a = \\frac{1}{a}', rule='log')
    >>> step_law(Step("chain", sp.Derivative(sp.log(a**2), a), 2 / a))  # which name? none given
    Law(rule='chain')
    """
    try:
        letters = _letters(step, wrt, names, notation)
    except RenderError:  # a name no format prints: the renderer refuses the step itself
        return Law(step.rule)
    tex = instantiate(step.rule, letters)
    return StepLaw(tex, step.rule) if tex is not None else Law(step.rule)


def _letters(step: Step, wrt: sp.Symbol | None, names: tuple[sp.Symbol, ...], notation: str | None) -> Letters:
    part = step.focus[0] if step.focus is not None else step.before
    derivative = part if isinstance(part, sp.Derivative) else None
    variable = derivative.variables[0] if derivative is not None else step.detail.get("variable", wrt)
    argument = step.detail.get("argument")
    partial = notation == "partial" if notation else derivative is not None and requires_partial(derivative)
    return Letters(
        variable=_tex(variable),
        names=tuple(to_tex(name) for name in names if isinstance(name, sp.Symbol)),
        argument=_tex(argument) if isinstance(argument, sp.Symbol) else None,
        taken=_taken(step, wrt),
        partial=partial,
    )


def _tex(symbol: Any) -> str | None:
    return to_tex(symbol) if isinstance(symbol, sp.Symbol) else None


def _taken(step: Step, wrt: sp.Symbol | None) -> frozenset[str]:
    """Every letter ``step`` uses: the names of its symbols, and the letters they are written
    with (``theta^{(2)}_{12}`` takes theta, ``x_1`` takes x)."""
    exprs: list[Any] = [step.before, step.after, wrt, *step.where, *step.where.values(), *(step.focus or ())]
    exprs.extend(_detail_exprs(step.detail.values()))
    taken: set[str] = set()
    for expr in exprs:
        if isinstance(expr, sp.Basic):
            for symbol in expr.free_symbols:
                name = getattr(symbol, "name", "")
                base = re.match(r"[A-Za-z]+", name)
                taken.update({name, base.group(0)} if base else {name})
    return frozenset(taken)


def _detail_exprs(values: Any) -> list[Any]:
    """The SymPy objects inside a step's detail (mappings and sequences opened)."""
    found: list[Any] = []
    for value in values:
        if isinstance(value, Mapping):
            found.extend(_detail_exprs([*value.keys(), *value.values()]))
        elif isinstance(value, (tuple, list)):
            found.extend(_detail_exprs(value))
        elif isinstance(value, sp.Basic):
            found.append(value)
    return found


def introduced(step: Step, previous: Step | None) -> dict[sp.Symbol, sp.Expr]:
    """The substitutions ``step`` makes: its ``detail["introduces"]``, or the names new to its ``where``."""
    made = step.detail.get("introduces")
    if isinstance(made, Mapping):
        return {_expr(k, "introduces"): _expr(v, "introduces") for k, v in made.items()}
    before = previous.where if previous is not None else {}
    return {name: value for name, value in step.where.items() if name not in before}


def justification(
    step: Step,
    lang: str,
    *,
    wrt: sp.Symbol | None = None,
    previous: Step | None = None,
    notation: str | None = None,
) -> Sentence:
    """Why ``step`` holds, in ``lang``: the substitutions it makes, its rule, the constants held.

    The rule's name is not repeated: the document prints it as the line's label. A template
    whose fields the step cannot fill falls back to the rule's law alone. ``notation`` is the
    derivation's ∂ or d (``"partial"``, ``"upright"``), for the law's derivatives.
    """
    made = introduced(step, previous)
    names = tuple(made) if made and step.rule == "chain" else None
    values = step_values(step, wrt=wrt, names=names, notation=notation)
    sentences: list[Sentence] = []
    if made:
        sentences.append(fill(word("introduces", lang), {"introduces": made}))
    try:
        sentences.append(fill(rule_template(step.rule, lang), values))
    except KeyError:
        sentences.append(fill(word("fallback", lang), values))
    constants = step.detail.get("constants")
    if constants and step.rule != "constant":
        sentences.append(fill(word("constants", lang), {"constants": tuple(constants)}))
    return agree(_join(sentences, lang), lang)


def agree(sentence: Sentence, lang: str) -> Sentence:
    """``sentence`` with every word that depends on the word before it (a Korean particle,
    은/는) chosen by the locale for what precedes it; unchanged in other languages.

    >>> agree(fill("{f}은(는) 상수이다.", {"f": sp.Symbol("n")}), "ko")[1]
    Words(text='은 상수이다.')
    """
    particles = locale(lang).particles
    if particles is None:
        return sentence
    out: list[Words | Formula] = []
    for piece in sentence:
        if isinstance(piece, Words):
            before: Words | Formula = out[-1] if out else Words("")
            piece = Words(particles(piece.text, functools.partial(_spoken, before, lang)))
        out.append(piece)
    return tuple(out)


def _spoken(piece: Words | Formula, lang: str) -> tuple[str, bool]:
    """A piece as the text that is read aloud before the next word: words, or a formula's TeX."""
    if isinstance(piece, Words):
        return piece.text, False
    value = piece.value
    if isinstance(value, Law):
        return LAWS[value.rule], True
    if isinstance(value, Tex):
        return value.source, True
    if isinstance(value, Equalities):
        value = value.pairs[-1][1] if value.pairs else sp.S.Zero
    elif isinstance(value, tuple):
        value = value[-1] if value else sp.S.Zero
    try:
        return to_tex(value, lang), True
    except RenderError:
        return "", False


def _join(sentences: list[Sentence], lang: str) -> Sentence:
    """The sentences one after the other, with the language's space between sentences."""
    gap = locale(lang).sentence_gap
    joined: list[Words | Formula] = []
    for index, sentence in enumerate(sentences):
        if index and gap:
            joined.append(Words(gap))
        joined.extend(sentence)
    return tuple(joined)


def plain(sentence: Sentence) -> str:
    """A sentence with its formulas as placeholders, for tests and debugging.

    >>> plain((Words("By "), Formula(Law("sum")), Words(".")))
    'By [law sum].'
    """
    out = []
    for piece in sentence:
        if isinstance(piece, Words):
            out.append(piece.text)
        elif isinstance(piece.value, Law):
            out.append(f"[law {piece.value.rule}]")
        elif isinstance(piece.value, Tex):
            out.append(f"[{piece.value.source}]")
        else:
            out.append(f"[{piece.value}]")
    return "".join(out)


def inline(text: str) -> Sentence:
    r"""Split catalog words with ``$...$`` formulas (the documents' prose) into a sentence.

    >>> inline(r"The sigmoid $\sigma(x)$ is smooth.")
    (Words(text='The sigmoid '), Formula(value=Tex(source='\\sigma(x)')), Words(text=' is smooth.'))
    """
    pieces: list[Words | Formula] = []
    for index, part in enumerate(text.split("$")):
        if not part:
            continue
        pieces.append(Formula(Tex(part)) if index % 2 else Words(part))
    if text.count("$") % 2:
        raise ValueError(f"unbalanced $ in catalog text: {text!r}")
    return tuple(pieces)


#: The longest title, introduction or caption a document takes, in characters.
MAX_PROSE_LENGTH = 20_000


def prose(text: str | Sentence, *, field: str = "title") -> Sentence:
    r"""A caller's words with ``$...$`` formulas (a title, an introduction, a caption), made safe.

    Words stay words: each format escapes them (no markup of the caller's ever reaches a
    document). Each formula is read by :func:`symderiv.parse_latex`, the same whitelist as
    every formula, and printed from the expression it reads to, never copied; one ``=`` may
    join two sides. TeX that it cannot read (``\href``, ``\input``, ``\style``, ...) is
    refused with :class:`~symderiv.ParseError` at its position in the text. ``\$`` is a dollar
    sign. A title's line breaks become spaces. A :data:`Sentence` built by the caller (catalog
    words through :func:`inline`) is returned as it is.

    >>> prose(r"The slope of $\sigma(x)$ costs \$5")
    (Words(text='The slope of '), Formula(value=sigmoid(x)), Words(text=' costs $5'))
    >>> prose(r"$\href{javascript:alert(1)}{x}$")
    Traceback (most recent call last):
    ...
    symderiv.errors.ParseError: in the title: unknown LaTeX command \href at position 1
      $\href{javascript:alert(1)}{x}$
       ^
    """
    if isinstance(text, tuple):
        if not all(isinstance(piece, (Words, Formula)) for piece in text):
            raise TypeError(f"the {field} must be text, or a sentence of Words and Formula pieces")
        return text
    if not isinstance(text, str):
        raise TypeError(f"the {field} must be text (str), not {type(text).__name__}")
    if len(text) > MAX_PROSE_LENGTH:
        raise LimitError(
            f"the {field} has {len(text)} characters; the limit is {MAX_PROSE_LENGTH}",
            text=text, position=MAX_PROSE_LENGTH, limit="length",
        )
    pieces: list[Words | Formula] = []
    words: list[str] = []
    index, opened = 0, None
    while index < len(text):
        char = text[index]
        if char == "\\" and text.startswith("\\$", index) and opened is None:
            words.append("$")
            index += 2
            continue
        if char == "$":
            if opened is None:
                if words:
                    pieces.append(Words(_collapse("".join(words), field)))
                words, opened = [], index
            else:
                pieces.append(_math(text, opened + 1, index, field))
                opened = None
            index += 1
            continue
        if opened is None:
            words.append(char)
        index += 1
    if opened is not None:
        raise ParseError(f"in the {field}: this $ opens a formula that no $ closes", text=text, position=opened)
    if words:
        pieces.append(Words(_collapse("".join(words), field)))
    return tuple(piece for piece in pieces if not isinstance(piece, Words) or piece.text)


def _collapse(words: str, field: str) -> str:
    return " ".join(words.splitlines()) if field == "title" else words


def _math(text: str, start: int, end: int, field: str) -> Formula:
    """The formula ``text[start:end]``, read by the safe LaTeX parser; ``a = b`` as an equality."""
    source = text[start:end]
    sides, depth, last = [], 0, 0
    for offset, char in enumerate(source):
        depth += char in "{(["
        depth -= char in "})]"
        if char == "=" and depth == 0:
            sides.append((last, source[last:offset]))
            last = offset + 1
    sides.append((last, source[last:]))
    if not source.strip():
        raise ParseError(f"in the {field}: an empty formula $$", text=text, position=start - 1)
    if len(sides) > 2:
        raise ParseError(f"in the {field}: a formula holds at most one =", text=text, position=start + sides[2][0] - 1)
    exprs = []
    for offset, side in sides:
        try:
            exprs.append(parse_latex(side))
        except (ParseError, LimitError) as error:
            where = start + offset + (error.position or 0)
            kind = type(error)
            extra = {"limit": error.limit} if isinstance(error, LimitError) else {}
            raise kind(f"in the {field}: {error.message}", text=text, position=where, **extra) from None
    if len(exprs) == 2:
        return Formula(Equalities(((exprs[0], exprs[1]),)))
    return Formula(exprs[0])


def title(derivation: Any, lang: str) -> Sentence:
    """"The derivative of f", in ``lang``; "The derivative ∂²/∂y∂x f" for one of higher order."""
    if _higher(derivation):
        return agree(fill(word("title_higher", lang), {"derivative": derivation.start}), lang)
    return agree(fill(word("title", lang), {"expr": derivation.expr}), lang)


def statement(derivation: Any, lang: str) -> Sentence:
    """What is differentiated and by what; for a partial derivative, what is held constant; for
    one of higher order, that it is taken one derivative at a time."""
    if _higher(derivation):
        return agree(fill(word("statement_higher", lang), {"derivative": derivation.start}), lang)
    others = tuple(sorted(derivation.expr.free_symbols - {derivation.wrt}, key=lambda s: s.name))
    values = {"expr": derivation.expr, "wrt": derivation.wrt, "others": others}
    key = "statement_partial" if others else "statement"
    return agree(fill(word(key, lang), values), lang)


def _higher(derivation: Any) -> bool:
    """Whether ``derivation`` is of higher order than 1 (:attr:`~symderiv.Derivation.variables`)."""
    return len(getattr(derivation, "variables", ())) > 1
