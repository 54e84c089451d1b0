"""Each step's justification in words: a catalog template filled with the step's own facts.

A justification is a :data:`Sentence`, a tuple of :class:`Words` and :class:`Formula` pieces,
so that each renderer can write the words as text and the formulas as its own mathematics
(TeX, MathML, Unicode). The facts come from the step: its focus, its ``where`` and its
``detail`` (see :data:`symderiv.locales.FIELDS`).

>>> import sympy as sp
>>> from symderiv.steps import Step
>>> x = sp.Symbol("x")
>>> step = Step("power", sp.Derivative(x**3, x), 3*x**2, focus=(sp.Derivative(x**3, x), 3*x**2),
...             detail={"variable": x, "exponent": 3})
>>> print(plain(justification(step, "en", wrt=x)))
Power rule [law power]: the exponent [3] comes down in front, and the exponent drops by one.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Any, Mapping, Union

import sympy as sp

from ..locales import rule_template, word
from ..steps import Step

__all__ = [
    "Words",
    "Formula",
    "Law",
    "Equalities",
    "Sentence",
    "fill",
    "justification",
    "introduced",
    "step_values",
    "plain",
    "Tex",
    "inline",
    "Line",
    "layout",
    "proof_words",
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
            pieces.append(_piece(values[name]))
    return tuple(pieces)


def _piece(value: Any) -> Words | Formula:
    if isinstance(value, str):
        return Words(value)
    if isinstance(value, Mapping):
        return Formula(Equalities(tuple((sp.sympify(k), sp.sympify(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return Formula(tuple(sp.sympify(item) for item in value))
    if isinstance(value, (Law, Equalities, sp.Basic)):
        return Formula(value)
    return Formula(sp.sympify(value))


def step_values(step: Step, *, wrt: sp.Symbol | None = None) -> dict[str, Any]:
    """The facts a template may name for ``step``: its detail, focus, law and variables."""
    values: dict[str, Any] = {"law": Law(step.rule)}
    if step.focus is not None:
        part, result = step.focus
        values["part"], values["result"] = part, result
        if isinstance(part, sp.Derivative):
            values["f"] = part.expr
            values["variable"] = part.variables[0]
    if wrt is not None:
        values["wrt"] = wrt
    for key, value in step.detail.items():
        if value is not None:
            values[key] = value
    return values


def introduced(step: Step, previous: Step | None) -> dict[sp.Symbol, sp.Expr]:
    """The substitutions ``step`` makes: its ``detail["introduces"]``, or the names new to its ``where``."""
    made = step.detail.get("introduces")
    if isinstance(made, Mapping):
        return dict(made)
    before = previous.where if previous is not None else {}
    return {name: value for name, value in step.where.items() if name not in before}


def justification(
    step: Step, lang: str, *, wrt: sp.Symbol | None = None, previous: Step | None = None
) -> Sentence:
    """Why ``step`` holds, in ``lang``: the substitutions it makes, its rule, the constants held.

    A template whose fields the step cannot fill falls back to the rule's law alone.
    """
    values = step_values(step, wrt=wrt)
    sentences: list[Sentence] = []
    made = introduced(step, previous)
    if made:
        sentences.append(fill(word("introduces", lang), {"introduces": made}))
    try:
        sentences.append(fill(rule_template(step.rule, lang), values))
    except KeyError:
        sentences.append(fill(word("fallback", lang), values))
    constants = step.detail.get("constants")
    if constants and step.rule != "constant":
        sentences.append(fill(word("constants", lang), {"constants": tuple(constants)}))
    return _join(sentences, lang)


def _join(sentences: list[Sentence], lang: str) -> Sentence:
    gap = Words(" ") if lang in ("en", "ko") else Words("")
    joined: list[Words | Formula] = []
    for index, sentence in enumerate(sentences):
        if index and gap.text:
            joined.append(gap)
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


@dataclass(frozen=True)
class Line:
    """One line of the chain of equalities, as every format lays it out.

    ``lhs`` is set on the first line only (the derivative asked for); ``rhs`` is what step
    ``number`` made; ``why`` is the step's justification and ``introduces`` the substitutions
    it makes, shown where they are made; ``proof`` is how the step was proven (or None).
    """

    number: int
    lhs: sp.Expr | None
    rhs: sp.Expr
    step: Step
    rule_name: str
    introduces: dict[sp.Symbol, sp.Expr]
    why: Sentence
    proof: Any


def layout(derivation: Any, lang: str) -> tuple[Line, ...]:
    """The lines of ``derivation`` in ``lang``: one per step, numbered from 1."""
    from ..locales import rule_name

    proofs = _proofs(derivation)
    lines = []
    previous: Step | None = None
    for index, step in enumerate(derivation.steps):
        lines.append(
            Line(
                number=index + 1,
                lhs=step.before if index == 0 else None,
                rhs=step.after,
                step=step,
                rule_name=rule_name(step.rule, lang),
                introduces=introduced(step, previous),
                why=justification(step, lang, wrt=derivation.wrt, previous=previous),
                proof=proofs[index] if proofs is not None and index < len(proofs) else None,
            )
        )
        previous = step
    return tuple(lines)


def _proofs(derivation: Any) -> tuple[Any, ...] | None:
    report = getattr(derivation, "report", None)
    return tuple(report.proofs) if report is not None else None


def proof_words(proof: Any, lang: str) -> str:
    """How a step was proven, in words: identical or symbolic, and at so many points, or numeric only."""
    method = getattr(proof, "method", None)
    if method in ("identical", "symbolic", "numeric"):
        return word(f"proof_{method}", lang).format(points=proof.points, digits=proof.digits)
    return ""


def title(derivation: Any, lang: str) -> Sentence:
    """"The derivative of f", in ``lang``."""
    return fill(word("title", lang), {"expr": derivation.expr})


def statement(derivation: Any, lang: str) -> Sentence:
    """What is differentiated and by what; for a partial derivative, what is held constant."""
    others = tuple(sorted(derivation.expr.free_symbols - {derivation.wrt}, key=lambda s: s.name))
    values = {"expr": derivation.expr, "wrt": derivation.wrt, "others": others}
    key = "statement_partial" if others else "statement"
    return fill(word(key, lang), values)
