"""Hostile input: nothing a user types runs code; every attack is refused with a ParseError.

SymPy's ``sympify``/``parse_expr`` call ``eval`` and run attribute chains such as
``().__class__.__base__.__subclasses__()`` even with a restricted namespace. symderiv's parsers
never evaluate text; these tests hold them to that.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import symderiv
from symderiv.errors import ParseError
from symderiv.parse.text import parse
from symderiv.parse.latex import parse_latex
from symderiv.parse.tree import SAFE_NAME

TEXT_ATTACKS = [
    "__import__('os').system('echo pwned')",
    "__import__",
    "__builtins__",
    "__builtins__.open('/etc/passwd').read()",
    "__class__",
    "().__class__.__base__.__subclasses__()",
    "().__class__.__bases__[0].__subclasses__()[0]",
    "x.__class__.__mro__",
    "x.__dict__",
    "Symbol('x').__class__",
    "sin.__globals__['__builtins__']",
    "(lambda: 0).__globals__",
    "lambda: 0",
    "lambda x: __import__('os')",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "(x for x in ())",
    "{x: 1}",
    "{1, 2}",
    "f'{x}'",
    "f\"{__import__('os').system('id')}\"",
    "@property\ndef f(): pass",
    "(y := 2)",
    "x if y else z",
    "import os",
    "from os import system",
    "x; import os",
    "x \\\n + 1",
    "'x'",
    "b'x'",
    "x[0]",
    "x.subs(x, 1)",
    "eval('1+1')",
    "exec('import os')",
    "compile('1', 'f', 'eval')",
    "getattr(x, '__class__')",
    "open('/etc/passwd')",
    "print(1)",
    "globals()",
    "breakpoint()",
    "type(x)",
    "os.system('ls')",
    "sympify('x')",
    "parse_expr('x')",
    "S('x')",
    "Function('f')(x)",
    "x\x00 + 1",
    "x\u200b+1",
    "x\u202e+1",
    "ｅｘｅｃ('1')",
    "еxec('1')",
    "𝐱 + 1",
    "x @ y",
    "x % y",
    "x // y",
    "~x",
    "x << 1",
    "`x`",
    "x # comment",
    "x and y",
    "not x",
    "assert 0",
    "0x1f",
    "\\N{LATIN SMALL LETTER X}",
    "x<script>alert(1)</script>",
    "x & y",
    "x\\immediate\\write18{rm -rf /}",
]

LATEX_ATTACKS = [
    r"\immediate\write18{rm -rf /}",
    r"\input{/etc/passwd}",
    r"\include{secret}",
    r"\def\x{1} \x",
    r"\newcommand{\x}{1}",
    r"\renewcommand{\sigma}{\input{/etc/passwd}}",
    r"\catcode`\^^5c=0",
    r"\csname input\endcsname{/etc/passwd}",
    r"\expandafter\x",
    r"\openout1=pwned",
    r"\read16 to \x",
    r"\usepackage{shellesc}",
    r"\documentclass{article}",
    r"\special{sh:rm -rf /}",
    r"\href{javascript:alert(1)}{x}",
    r"\url{http://example.com}",
    r"^^5cinput{/etc/passwd}",
    r"x^{\input{a}}",
    r"\frac{\input{a}}{2}",
    r"\mathrm{\input{a}}",
    r"\operatorname{<script>}(x)",
    r"\mathrm{<b>x</b>}",
    r"<script>alert(1)</script>",
    r"\text{<img src=x onerror=alert(1)>}",
    r"x % \input{/etc/passwd}",
    r"\begin{verbatim} x \end{verbatim}",
    r"\verb|x|",
    r"$x$ $\input{a}$",
    "x\x00",
    "x\u200b y",
    "x\u202e y",
    r"\sigma\left(x\right) \\ \input{a}",
    r"x_{\input{a}}",
    r"x_{<script>}",
    r"\theta^{(\input)}",
    r"\left( \input{a} \right)",
    r"\sqrt[\input{a}]{2}",
    r"\log_{\write18}(x)",
    r"\mathrm{a\b}",
    r"\lstinline|x|",
]


@pytest.mark.parametrize("attack", TEXT_ATTACKS, ids=repr)
def test_a_text_attack_is_refused_with_a_parse_error(attack):
    with pytest.raises(ParseError):
        parse(attack)


@pytest.mark.parametrize("attack", LATEX_ATTACKS, ids=repr)
def test_a_latex_attack_is_refused_with_a_parse_error(attack):
    with pytest.raises(ParseError):
        parse_latex(attack)


def test_there_are_at_least_forty_attacks_of_each_kind():
    assert len(set(TEXT_ATTACKS)) >= 40 and len(set(LATEX_ATTACKS)) >= 40


def canary_payloads(canary: Path) -> list[str]:
    """Python that creates the file ``canary`` when it is run."""
    return [
        f"__import__('os').system('touch {canary}')",
        f"open({str(canary)!r}, 'w').write('pwned')",
        f"exec(\"open({str(canary)!r}, 'w')\")",
        f"[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'Popen'][0](['touch', {str(canary)!r}])",
    ]


def test_the_canary_payloads_do_create_the_file_when_python_runs_them(tmp_path):
    canary = tmp_path / "canary"
    for payload in canary_payloads(canary)[:3]:  # the fourth needs subprocess imported first
        subprocess.run([sys.executable, "-c", payload], check=True, timeout=30)
        assert canary.exists(), payload
        canary.unlink()


def test_no_payload_creates_the_file_through_the_parsers(tmp_path):
    canary = tmp_path / "canary"
    payloads = canary_payloads(canary) + [rf"\immediate\write18{{touch {canary}}}"]
    for payload in payloads:
        with pytest.raises(ParseError):
            parse(payload)
        with pytest.raises(ParseError):
            parse_latex(payload)
    assert not canary.exists()


# --- names that could inject LaTeX or HTML into documents never become symbols ----------------------


@pytest.mark.parametrize(
    "text", ["x<y", "x>y", "x&y", "{x}", "x\\y", "x'", 'x"', "x$", "x#", "x%y", "<script>", "a&amp;b"]
)
def test_text_with_markup_characters_is_refused(text):
    with pytest.raises(ParseError):
        parse(text)


@pytest.mark.parametrize("name", ["x", "theta_12", "theta^(2)_12", "W_i,j", "a2", "x_alpha"])
def test_safe_names_match_the_name_pattern(name):
    assert SAFE_NAME.fullmatch(name)


@pytest.mark.parametrize("name", ["x<y", "a&b", "x\\y", "{x}", "x y", "x$", "_x", "x^2", "x^(2", "x_"])
def test_unsafe_names_do_not_match_the_name_pattern(name):
    assert not SAFE_NAME.fullmatch(name)


def test_every_symbol_the_parsers_make_has_a_safe_name():
    texts = ["θ₁₂ + a2 * W_ij - λ", "x_1*sigma + Theta"]
    latex = [r"\theta^{(2)}_{12} + W_{i,j} + x_{\alpha} + \mathrm{lr} + y^{(i)}_{k}"]
    symbols = set().union(*(parse(t).free_symbols for t in texts), *(parse_latex(t).free_symbols for t in latex))
    assert len(symbols) >= 10
    assert all(SAFE_NAME.fullmatch(s.name) for s in symbols)


# --- the parsers' source never evaluates ------------------------------------------------------------------

FORBIDDEN_NAMES = {"eval", "exec", "compile", "getattr", "__import__", "sympify", "parse_expr", "S"}
FORBIDDEN_METHODS = {"eval", "exec", "sympify", "parse_expr", "S", "__import__", "parse_latex"}


PARSER_MODULES = sorted((Path(symderiv.__file__).parent / "parse").glob("*.py"))


def test_the_parser_package_is_scanned():
    assert {"text.py", "latex.py", "tree.py"} <= {p.name for p in PARSER_MODULES}


@pytest.mark.parametrize("module", PARSER_MODULES, ids=lambda p: p.name)
def test_the_parsers_call_no_evaluating_function(module):
    source = module.read_text()
    calls = [node.func for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Call)]
    names = {f.id for f in calls if isinstance(f, ast.Name)}
    methods = {f.attr for f in calls if isinstance(f, ast.Attribute)}  # sp.sympify, sp.parsing...
    assert not names & FORBIDDEN_NAMES
    assert not methods & FORBIDDEN_METHODS
