r"""Rule texts use the step's own letters (issue 13, item 6).

Every law a justification prints is written in the letters of its step: the variable of the
derivative it rewrites, the names it introduces, and bound letters that mean nothing else in that
step. No justification repeats its rule's name (the document prints it as the label). Korean
particles agree with the word they follow. The four languages say the same mathematics.

The letters of a law are read here by a small TeX reader of this file's own
(:func:`letters_of_tex`), not by the code under test.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pytest
import sympy as sp

import symderiv as sd
from symderiv.core.derivation import Derivation
from symderiv.core.functions import relu, sigmoid, softplus
from symderiv.core.rule_ids import RULES
from symderiv.core.steps import Step
from symderiv.locales import LANGUAGES, catalog, rule_name
from symderiv.locales.laws import BOUND_LETTERS, LAWS, NOTATION_LETTERS, ROLES, Letters, instantiate
from symderiv.render.explain import Formula, Law, StepLaw, Tex, Words, agree, fill, justification
from symderiv.render.latex import check_tex, formula_tex
from symderiv.render.mathml import tex_to_mathml
from symderiv.render.tex import to_tex

from render_cases import standard

x, y, z, w, b, a, t, u, v, f, n = sp.symbols("x y z w b a t u v f n")

# --- the corpus: the standard documents and a few problems of the round-trip corpus -------------

#: Problems from tests/formula_corpus.py that exercise rules the standard documents do not.
EXTRA = {
    "product x·eˣ": (x * sp.exp(x), x),
    "quotient x/(x + 1)": (x / (x + 1), x),
    "chain sin x²": (sp.sin(x**2), x),
    "sqrt": (sp.sqrt(x**2 + 1), x),
    "power of a sum": ((x**2 + 1) ** 3, x),
    "exponential 2ˣ": (2**x, x),
    "xˣ": (x**x, x),
    "tanh(wx + b)": (sp.tanh(w * x + b), w),
    "softplus(wx + b)": (softplus(w * x + b), w),
    "relu(wx + b)": (relu(w * x + b), w),
    "σ(σ(x))": (sigmoid(sigmoid(x)), x),
    "log(x + 1) in f": (f * sp.log(x + 1), x),
    "x·log x": (x * sp.log(x), x),
}


@lru_cache(maxsize=None)
def corpus() -> dict[str, Derivation]:
    """Every derivation the tests read: the standard documents, the extra problems at both levels."""
    found = dict(standard())
    for name, (expr, wrt) in EXTRA.items():
        found[name] = sd.derive(expr, wrt)
        found[name + " (full)"] = sd.derive(expr, wrt, detail="full")
    return found


def steps_of(derivation: Derivation, depth: int = 0):
    """(step, previous step, the chain's variable) for every step, sub-derivations included."""
    previous = None
    for step in derivation.steps:
        yield step, previous, derivation.wrt
        previous = step
        for sub in step.substeps:
            yield from steps_of(sub, depth + 1)


def corpus_steps():
    for name, derivation in corpus().items():
        for step, previous, wrt in steps_of(derivation):
            yield name, step, previous, wrt


# --- a TeX reader of the tests' own --------------------------------------------------------------

#: TeX commands that are operators, functions or layout, not letters.
_NOT_LETTERS = {
    "frac", "mathrm", "operatorname", "partial", "left", "right", "sqrt", "log", "ln", "exp", "sin", "cos",
    "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "coth", "sigma",
    "quad", "qquad", "neq", "leq", "geq", "begin", "end", "cases", "text", "sum", "bar", "odot", "cdot",
    "max", "min", "prime", "lfloor", "rfloor", "lceil", "rceil", "mathbf", "det", "iff",
}


def letters_of_tex(tex: str) -> set[str]:
    r"""The letters a formula prints: single Latin letters and Greek letters, without the words of
    ``\operatorname{...}``, ``\mathrm{d}``, ``\text{...}``, function names, and Euler's e in ``e^{...}``.

    The sigmoid σ is a function here, so ``\sigma`` is not a letter; ``H`` (the step function)
    is read as a function where it is applied.
    """
    tex = re.sub(r"\\(?:operatorname|mathrm|text|begin|end)\{[^{}]*\}", " ", tex)
    tex = re.sub(r"\be\^", " ^", tex)
    tex = re.sub(r"H\\left\(", r"\\left(", tex)
    found = set()
    for command, letter in re.findall(r"\\([A-Za-z]+)|([A-Za-z])", tex):
        if command and command not in _NOT_LETTERS:
            found.add(command)
        elif letter:
            found.add(letter)
    return found


def step_letters(step: Step, wrt: sp.Symbol) -> set[str]:
    """The letters the step's own symbols are written with (θ⁽²⁾₁₂ is written with θ)."""
    exprs = [step.before, step.after, wrt, *step.where, *step.where.values(), *(step.focus or ())]
    for value in step.detail.values():
        if isinstance(value, dict):
            exprs.extend([*value.keys(), *value.values()])
        elif isinstance(value, (tuple, list)):
            exprs.extend(value)
        else:
            exprs.append(value)
    symbols = set()
    for expr in exprs:
        if isinstance(expr, sp.Basic):
            symbols |= {s for s in expr.free_symbols if isinstance(s, sp.Symbol)}
    return {letter for symbol in symbols for letter in letters_of_tex(to_tex(symbol))}


def given_letters(step: Step, wrt: sp.Symbol) -> set[str]:
    """The letters the step hands its law: the variables of the derivatives it rewrites and
    writes (the x of d/dx, the u of du), the names, the argument."""
    given = set()
    for expr in (step.before, step.after, *(step.focus or ())):
        for derivative in expr.atoms(sp.Derivative):
            given |= {letter for v in derivative.variables for letter in letters_of_tex(to_tex(v))}
    for key in ("introduces", "values"):
        value = step.detail.get(key)
        if isinstance(value, dict):
            given |= {letter for name in value if isinstance(name, sp.Symbol) for letter in letters_of_tex(to_tex(name))}
    for key in ("variable", "argument"):
        if isinstance(step.detail.get(key), sp.Symbol):
            given |= letters_of_tex(to_tex(step.detail[key]))
    if step.rule == "substitute":
        given |= letters_of_tex(to_tex(wrt))
    return given


def laws_in(sentence) -> list[Law | StepLaw]:
    return [piece.value for piece in sentence if isinstance(piece, Formula) and isinstance(piece.value, (Law, Tex))]


def law_tex(law) -> str:
    return LAWS[law.rule] if isinstance(law, Law) else law.source


def words_of(sentence) -> str:
    return "".join(piece.text for piece in sentence if isinstance(piece, Words))


# --- the brief's examples, with the answers written by hand -------------------------------------


def test_the_chain_rule_is_written_in_the_steps_variable_and_new_name():
    # A ∂/∂w step that introduces v = b + wx: ∂f/∂w = (df/dv)(∂v/∂w), not df/dx = df/du du/dx.
    node = sp.Derivative(sigmoid(b + w * x), w)
    after = sp.Mul(sp.Derivative(sigmoid(v), v), sp.Derivative(b + w * x, w), evaluate=False)
    step = Step("chain", node, after, where={v: b + w * x}, focus=(node, after),
                detail={"variable": w, "introduces": {v: b + w * x}, "outer": sigmoid(v), "inner": b + w * x})
    [law] = laws_in(justification(step, "en", wrt=w))
    assert isinstance(law, StepLaw)
    assert law.source == (r"\frac{\partial f}{\partial w} = \frac{\mathrm{d}f}{\mathrm{d}v} "
                          r"\frac{\partial v}{\partial w}")


def test_the_logarithm_is_differentiated_in_its_own_variable_not_in_u():
    # Where u already names σ(b + wx), d/da log a = 1/a: never "d/du log u".
    node = sp.Derivative(sp.log(a), a)
    step = Step("log", node, 1 / a, where={u: sigmoid(b + w * x)}, focus=(node, 1 / a),
                detail={"variable": a, "function": "log"})
    [law] = laws_in(justification(step, "en", wrt=w))
    assert law_tex(law) == r"\frac{\mathrm{d}}{\mathrm{d}a} \log a = \frac{1}{a}"
    assert "u" not in letters_of_tex(law_tex(law))


def test_the_constant_rule_names_the_derivatives_own_variable():
    # The focus is ∂/∂w 1; a stale detail naming p must not reach the text.
    p = sp.Symbol("p")
    node = sp.Derivative(sp.Integer(1), w)
    step = Step("constant", node, sp.Integer(0), focus=(node, sp.Integer(0)), detail={"variable": p, "constants": ()})
    sentence = justification(step, "en", wrt=w)
    formulas = [piece.value for piece in sentence if isinstance(piece, Formula)]
    assert w in formulas and p not in formulas


def test_bound_letters_avoid_the_letters_the_step_uses():
    # ∂/∂x (f·log(x + 1)), f held constant: the product law's two functions cannot be called f.
    node = sp.Derivative(f * sp.log(x + 1), x)
    after = f * sp.Derivative(sp.log(x + 1), x)
    step = Step("product", node, after, focus=(node, after), detail={"factors": (f, sp.log(x + 1))})
    [law] = laws_in(justification(step, "en", wrt=x))
    assert law_tex(law) == (r"\frac{\partial}{\partial x}\left(g h\right) = "
                            r"\frac{\partial g}{\partial x} h + g \frac{\partial h}{\partial x}")
    # the same law in a step of one variable is written with d
    node = sp.Derivative(x * sp.log(x + 1), x)
    step = Step("product", node, node, focus=(node, node), detail={"factors": (x, sp.log(x + 1))})
    [law] = laws_in(justification(step, "en", wrt=x))
    assert law_tex(law) == (r"\frac{\mathrm{d}}{\mathrm{d}x}\left(f g\right) = "
                            r"\frac{\mathrm{d}f}{\mathrm{d}x} g + f \frac{\mathrm{d}g}{\mathrm{d}x}")


def test_a_chain_through_several_names_multiplies_them_outermost_first():
    # a = σ(z), z = wx + b, recorded inner name first: ∂f/∂w = df/da · da/dz · ∂z/∂w.
    node = sp.Derivative(sp.log(sigmoid(w * x + b)), w)
    step = Step("chain", node, node, where={z: w * x + b, a: sigmoid(z)},
                detail={"variable": w, "introduces": {z: w * x + b, a: sigmoid(z)}, "outer": sp.log(a),
                        "inner": w * x + b})
    [law] = laws_in(justification(step, "en", wrt=w))
    assert law_tex(law) == (r"\frac{\partial f}{\partial w} = \frac{\mathrm{d}f}{\mathrm{d}a} "
                            r"\frac{\mathrm{d}a}{\mathrm{d}z} \frac{\partial z}{\partial w}")


def test_a_law_without_the_letters_it_needs_is_the_general_law():
    # A chain step that names nothing: no letter for u, so the general law, as the registry writes it.
    node = sp.Derivative(sp.log(x**2), x)
    [law] = laws_in(justification(Step("chain", node, 2 / x, detail={"outer": sp.log(u), "inner": x**2}), "en"))
    assert isinstance(law, Law) and law_tex(law) == RULES["chain"].tex


# --- over the corpus ------------------------------------------------------------------------------


def test_every_law_in_the_corpus_uses_only_the_steps_letters_and_declared_bound_ones():
    failures = []
    for name, step, previous, wrt in corpus_steps():
        own = step_letters(step, wrt)
        for law in laws_in(justification(step, "en", wrt=wrt, previous=previous)):
            extra = letters_of_tex(law_tex(law)) - own - BOUND_LETTERS
            if extra:
                failures.append((name, step.rule, law_tex(law), sorted(extra)))
    assert not failures, failures[:5]


def test_no_letter_of_a_law_means_something_else_in_its_step():
    # The bug of issue 13: "d/du log u" where u names σ(b + wx). Every letter of a law that the
    # step did not hand it is one the step does not use. (Network laws are written in the
    # network's own notation, where θ, a and z mean what they mean in the step.)
    failures = []
    for name, step, previous, wrt in corpus_steps():
        if RULES[step.rule].kind == "network":
            continue
        own, given = step_letters(step, wrt), given_letters(step, wrt)
        for law in laws_in(justification(step, "en", wrt=wrt, previous=previous)):
            clash = (letters_of_tex(law_tex(law)) - given) & own
            if clash:
                failures.append((name, step.rule, law_tex(law), sorted(clash)))
    assert not failures, failures[:5]


def test_every_differentiation_law_names_the_variable_of_its_derivative():
    checked = 0
    for name, step, previous, wrt in corpus_steps():
        part = step.focus[0] if step.focus is not None else None
        if not isinstance(part, sp.Derivative) or "variable" not in ROLES.get(step.rule, {}).values():
            continue
        for law in laws_in(justification(step, "en", wrt=wrt, previous=previous)):
            assert isinstance(law, StepLaw), (name, step.rule)
            assert to_tex(part.variables[0]) in law.source, (name, step.rule, law.source)
            checked += 1
    assert checked > 20


def test_every_law_of_the_corpus_is_instantiated_where_its_step_gives_the_letters():
    general = [
        (name, step.rule)
        for name, step, previous, wrt in corpus_steps()
        for law in laws_in(justification(step, "en", wrt=wrt, previous=previous))
        if isinstance(law, Law) and step.rule in ROLES and (step.focus is not None or step.detail.get("introduces"))
    ]
    assert not general, general[:5]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_justification_repeats_its_rule_name(lang):
    repeated = []
    for name, step, previous, wrt in corpus_steps():
        label = rule_name(step.rule, lang).casefold()
        text = words_of(justification(step, lang, wrt=wrt, previous=previous)).casefold()
        if label in text:
            repeated.append((name, step.rule, text))
    assert not repeated, repeated[:3]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_template_contains_its_rule_name(lang):
    # The document prints the name as the label; "Quotient rule. Quotient rule ..." never again.
    for rule, (label, template) in catalog(lang).RULES.items():
        assert label.casefold() not in template.casefold(), (lang, rule, template)


def test_the_four_languages_print_the_same_mathematics():
    for name, step, previous, wrt in corpus_steps():
        formulas = {
            lang: [repr(piece.value) for piece in justification(step, lang, wrt=wrt, previous=previous)
                   if isinstance(piece, Formula)]
            for lang in LANGUAGES
        }
        for lang in LANGUAGES[1:]:
            assert set(formulas[lang]) == set(formulas["en"]), (name, step.rule, lang)


def test_every_instantiated_law_of_the_corpus_is_valid_tex_and_mathml():
    seen = set()
    for _name, step, previous, wrt in corpus_steps():
        for law in laws_in(justification(step, "en", wrt=wrt, previous=previous)):
            source = law_tex(law)
            if source not in seen:
                seen.add(source)
                assert check_tex(source) == source and formula_tex(law) == source
                assert "<math" in tex_to_mathml(source), source
    assert len(seen) > 10


@pytest.mark.parametrize("rule", sorted(ROLES))
def test_every_rule_with_roles_instantiates_to_valid_tex(rule):
    letters = Letters(variable=r"\theta^{(2)}_{12}", names=("a^{(3)}_{1}", "z^{(3)}_{1}"), argument="z",
                      taken=frozenset({"a", "z", "theta", "x", "u", "f", "c"}), partial=True)
    source = instantiate(rule, letters)
    assert source is not None
    check_tex(source)
    assert "<math" in tex_to_mathml(source)
    extra = letters_of_tex(source) - {"theta", "a", "z"} - BOUND_LETTERS
    assert not extra, (rule, source)
    clash = letters_of_tex(source) & {"x", "u", "f", "c"}
    assert not clash, (rule, source)


def test_declared_bound_letters_hold_the_network_notation():
    assert {"theta", "a", "z", "delta", "E"} <= NOTATION_LETTERS <= BOUND_LETTERS


# --- Korean particles ------------------------------------------------------------------------------

#: Nouns and the particle each takes, from a Korean grammar reference (the standard examples of
#: 표준국어대사전, National Institute of Korean Language, for 은/는, 이/가, 을/를, 과/와, 으로/로
#: and the copula 이라/라): the first form after a final consonant, the second after a vowel;
#: 으로/로 takes 로 after ㄹ as after a vowel (연필로, 칼로, 서울로).
GRAMMAR = [
    ("책", "은(는)", "은"), ("사과", "은(는)", "는"), ("물", "은(는)", "은"), ("나무", "은(는)", "는"),
    ("선생님", "이(가)", "이"), ("바다", "이(가)", "가"), ("달", "이(가)", "이"),
    ("밥", "을(를)", "을"), ("우유", "을(를)", "를"), ("물", "을(를)", "을"), ("커피", "을(를)", "를"),
    ("책", "과(와)", "과"), ("연필", "과(와)", "과"), ("우유", "과(와)", "와"),
    ("집", "(으)로", "으로"), ("손", "(으)로", "으로"), ("연필", "(으)로", "로"), ("칼", "(으)로", "로"),
    ("서울", "(으)로", "로"), ("학교", "(으)로", "로"), ("버스", "(으)로", "로"),
    ("학생", "(이)라", "이라"), ("친구", "(이)라", "라"),
]

#: Symbols and how Korean mathematics reads them aloud (letter names as Korean textbooks spell
#: them, Sino-Korean numbers), with the particle each reading takes.
SPOKEN = [
    (x, "은(는)", "는"),            # 엑스
    (n, "은(는)", "은"),            # 엔
    (sp.Symbol("l"), "을(를)", "을"),  # 엘
    (sp.Symbol("m"), "이(가)", "이"),  # 엠
    (sp.Symbol("r"), "(으)로", "로"),  # 알: ㄹ takes 로
    (y, "을(를)", "를"),            # 와이
    (sp.Integer(1), "은(는)", "은"),  # 일
    (sp.Integer(1), "(으)로", "로"),  # 일: ㄹ takes 로
    (sp.Integer(2), "은(는)", "는"),  # 이
    (sp.Integer(3), "(으)로", "으로"),  # 삼
    (sp.Integer(6), "(으)로", "으로"),  # 육
    (sp.Integer(10), "이(가)", "이"),  # 십
    (sp.Integer(100), "을(를)", "을"),  # 백
    (x**2, "은(는)", "은"),          # 엑스 제곱
    (1 / u, "을(를)", "을"),         # 유 분의 일: the numerator is read last
    (sigmoid(z), "(으)로", "로"),    # 시그마 제트
    (sp.Symbol("theta"), "은(는)", "는"),   # 세타
    (sp.Symbol("lambda"), "과(와)", "와"),  # 람다
    (b + w * x, "(이)라", "라"),     # ... 더블유 엑스
    (sp.Symbol("x_1"), "은(는)", "은"),    # 엑스 일
]


@pytest.mark.parametrize("word, marker, expected", GRAMMAR)
def test_a_korean_particle_after_a_word_follows_its_final_consonant(word, marker, expected):
    sentence = agree((Words("여기서 " + word), Words(marker + " 끝이다.")), "ko")
    assert sentence[1].text == expected + " 끝이다."
    inside = agree((Words(word + marker + " 끝이다."),), "ko")
    assert inside[0].text == word + expected + " 끝이다."


@pytest.mark.parametrize("symbol, marker, expected", SPOKEN)
def test_a_korean_particle_after_a_formula_follows_how_it_is_read(symbol, marker, expected):
    sentence = agree(fill("{f}" + marker + " 끝이다.", {"f": symbol}), "ko")
    assert sentence[-1].text == expected + " 끝이다."


def test_korean_justifications_leave_no_particle_undecided():
    undecided = []
    for name, step, previous, wrt in corpus_steps():
        text = words_of(justification(step, "ko", wrt=wrt, previous=previous))
        if re.search(r"\((?:는|가|를|와|으|이)\)", text):
            undecided.append((name, step.rule, text))
    assert not undecided, undecided[:3]


@pytest.mark.parametrize("lang", ["en", "ja", "zh"])
def test_other_languages_are_left_as_written(lang):
    sentence = (Words("x"), Words("은(는) stays"))
    assert agree(sentence, lang) == sentence
