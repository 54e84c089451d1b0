"""Documents cannot be turned against their readers, and notebooks run no code of anyone else's.

Every hostile title, introduction, caption, name, figure and navigation bar below either is
refused with one of symderiv's own errors or comes out as inert text: the HTML is parsed and
holds no script, no event handler, no javascript: link; the Markdown holds no raw HTML tag;
the LaTeX holds none of the commands that read or write files, run programs or redefine TeX;
MathML holds layout only. Notebooks are run, in a subprocess and in a Jupyter kernel, next to a
canary file that a payload would create.
"""

from __future__ import annotations

import ast
import html.parser
import json
import os
import pathlib
import re
import subprocess
import sys
import textwrap

import pytest
import sympy as sp

from symderiv.errors import LimitError, ParseError, SymderivError
from symderiv.render import names
from symderiv.render.explain import Formula, Tex, Words
from symderiv.render.html import check_nav, check_svg
from symderiv.render.mathml import tex_to_mathml
from symderiv.render.names import RenderError, UnsafeNameError
from symderiv.core.derivation import Derivation
from symderiv.core.steps import Step

ROOT = pathlib.Path(__file__).resolve().parents[1]
x = sp.Symbol("x")

# A derivation written by hand (not by the engine), so these tests depend on the renderers only.
SQUARE = Derivation(x**2, x, (Step("power", sp.Derivative(x**2, x), 2 * x, detail={"exponent": 2}),))

# --- What active content looks like in each format ----------------------------------------

_ACTIVE_TAGS = {"script", "iframe", "object", "embed", "img", "svg", "a", "link", "meta", "base", "form",
                "input", "style", "foreignobject", "video", "audio", "source", "frame", "frameset"}
_TEX_DANGER = re.compile(
    r"\\(?:input|include|InputIfFileExists|write|immediate|write18|openout|openin|read|closeout|catcode|"
    r"def|edef|gdef|xdef|let|newcommand|renewcommand|providecommand|csname|expandafter|special|url|href|"
    r"usepackage|documentclass|directlua|ShellEscape|lccode|uccode|makeatletter|begingroup|endinput)"
    r"(?![A-Za-z])|\^\^"
)


class _Page(html.parser.HTMLParser):
    """Every start tag with its attributes, and whether it sits inside <math> or <nav>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None], tuple[str, ...]]] = []
        self.open: list[str] = []
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs), tuple(self.open)))
        if tag not in ("meta", "br", "mspace", "link"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if self.open:
            self.text[self.open[-1]] = self.text.get(self.open[-1], "") + data


def assert_inert_html(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    for tag, attrs, ancestors in parser.tags:
        ours = (tag == "a" and "nav" in ancestors) or (tag in ("meta", "style") and ancestors == ("html", "head"))
        assert tag not in _ACTIVE_TAGS or ours, f"<{tag}> in the page"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} on <{tag}>"
            assert not (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:")), value
            if "math" in ancestors or tag == "math":
                # class="focus" is the printer's own mark of a step's rewritten part; nothing else
                allowed = name == "class" and value == "focus" and tag == "mrow"
                assert allowed or name not in ("href", "style", "class", "id", "src"), f"{name} on <{tag}> in MathML"
    assert "<script" not in page.lower()
    return parser


def assert_inert_markdown(text: str) -> None:
    assert not re.search(r"<[A-Za-z!/?]", text), "raw HTML in the Markdown"
    assert not re.search(r"(?<!\\)\]\(\s*(?:javascript|data|vbscript):", text, re.IGNORECASE), "a javascript: link"


def assert_inert_latex(text: str) -> None:
    body = text.split("\\begin{document}", 1)[-1]
    assert not _TEX_DANGER.search(body), _TEX_DANGER.search(body).group(0)
    assert text.count("\\begin{document}") <= 1 and text.count("\\end{document}") <= 1


def notebook_markdown(notebook: str) -> str:
    cells = json.loads(notebook)["cells"]
    return "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "markdown")


def notebook_code(notebook: str) -> str:
    cells = json.loads(notebook)["cells"]
    return "\n\n".join("".join(cell["source"]) for cell in cells if cell["cell_type"] == "code")


# --- Titles and introductions ------------------------------------------------------------

#: Words with markup in them: each format must print them as words, never as markup.
WORD_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '"><script>alert(document.cookie)</script>',
    "'><img src=x onerror=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "<!-- --><script>alert(1)</script>",
    "<style>body{background:url(//evil.example)}</style>",
    "<math><mi href=\"javascript:alert(1)\">x</mi></math>",
    "[click](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "\\input{/etc/passwd}",
    "\\immediate\\write18{touch /tmp/pwned}",
    "\\catcode`\\^^M=13 \\def\\x{y}",
    "\\openout1=pwned.tex \\write1{x}",
    "\\url{javascript:alert(1)}",
    "\\href{javascript:alert(1)}{click}",
    "}\\input{/etc/passwd}{",
    "%\n\\input{/etc/passwd}",
    "\\end{document}\\input{/etc/passwd}",
    "^^5cinput{/etc/passwd}",
    "\\csname input\\endcsname{/etc/passwd}",
    "Title\n\n<script>alert(1)</script>",
    "Title\n# heading\n<img src=x onerror=alert(1)>",
    "a\u202e>tpircs/<",
    "tab\tand\x00nul\x1b[31m",
    "50% of \\$5 & more #1 ~ _ ^ {}",
]

#: Mathematics that is not a formula the safe parser reads: refused with ParseError.
MATH_PAYLOADS = [
    r"$\href{javascript:alert(1)}{x}$",
    r"$\url{javascript:alert(1)}$",
    r"$\style{color:red}{x}$",
    r"$\class{evil}{x}$",
    r"$\cssId{evil}{x}$",
    r"$\toggle{a}{b}\endtoggle$",
    r"$\input{/etc/passwd}$",
    r"$\include{/etc/passwd}$",
    r"$\immediate\write18{rm -rf /}$",
    r"$\write18{id}$",
    r"$\catcode`\^^M=13$",
    r"$^^5cinput{/etc/passwd}$",
    r"$\def\x{y}\x$",
    r"$\openout1=x$",
    r"$x}\input{/etc/passwd}{$",
    r"$\text{<script>alert(1)</script>}$",
    r"$\mathrm{<img src=x onerror=alert(1)>}$",
    r"$\operatorname{evil}(x)$",
    r"$\begin{document}$",
    "$x\\end{document}$",
    "The $x$ and $ unbalanced",
]

TITLE_FORMATS = {
    "html": lambda **kw: SQUARE.to_html(**kw),
    "markdown": lambda **kw: SQUARE.to_markdown(**kw),
    "latex": lambda **kw: SQUARE.to_latex(standalone=True, **kw),
    "notebook": lambda **kw: SQUARE.to_notebook(**kw),
}
CHECKS = {
    "html": assert_inert_html,
    "markdown": assert_inert_markdown,
    "latex": assert_inert_latex,
    "notebook": lambda text: assert_inert_markdown(notebook_markdown(text)),
}


@pytest.mark.parametrize("field", ["title", "intro"])
@pytest.mark.parametrize("fmt", sorted(TITLE_FORMATS))
@pytest.mark.parametrize("payload", WORD_PAYLOADS)
def test_markup_in_words_comes_out_as_inert_text(payload, fmt, field):
    output = TITLE_FORMATS[fmt](**{field: payload})
    CHECKS[fmt](output)


@pytest.mark.parametrize("payload", WORD_PAYLOADS[:14])
def test_an_html_title_shows_the_words_the_caller_wrote(payload):
    page = assert_inert_html(SQUARE.to_html(title=payload))
    assert page.text["h1"] == " ".join(payload.splitlines())


@pytest.mark.parametrize("field", ["title", "intro"])
@pytest.mark.parametrize("fmt", sorted(TITLE_FORMATS))
@pytest.mark.parametrize("payload", MATH_PAYLOADS)
def test_mathematics_the_safe_parser_does_not_read_is_refused(payload, fmt, field):
    with pytest.raises((ParseError, LimitError)) as error:
        TITLE_FORMATS[fmt](**{field: payload})
    assert "position" in str(error.value)
    assert ("title" if field == "title" else "introduction") in str(error.value)


def test_a_refusal_points_at_the_command_in_the_title():
    with pytest.raises(ParseError) as error:
        SQUARE.to_html(title=r"Why $\sigma(x) + \href{javascript:alert(1)}{x}$")
    assert error.value.position == len(r"Why $\sigma(x) + ")
    assert "\\href" in error.value.message


def test_formulas_in_a_title_are_read_and_printed_from_the_expression():
    page = SQUARE.to_html(title=r"The slope of $\sigma(x)$ at $x = 0$")
    assert page.count("<math") >= 2 and "\\sigma" in page
    assert SQUARE.to_latex(standalone=True, title=r"$\frac{1}{4}$").count(r"\section*{$\frac{1}{4}$}") == 1
    assert SQUARE.to_markdown(title=r"Cost \$5, slope $e^{x}$").startswith("# Cost \\$5, slope $e^{x}$")


def test_a_title_past_the_length_limit_is_refused():
    with pytest.raises(LimitError) as error:
        SQUARE.to_markdown(title="a" * 20_001)
    assert error.value.limit == "length"


# A sentence built by a caller bypasses the parser, but not the TeX whitelist or the MathML check.
@pytest.mark.parametrize("tex", [r"\href{javascript:alert(1)}{x}", r"\input{/etc/passwd}", r"\style{color:red}{x}",
                                 r"\class{a}{x}", r"x^^5cinput{y}", r"\immediate\write18{id}", "x % comment"])
@pytest.mark.parametrize("fmt", ["html", "markdown", "latex"])
def test_tex_in_a_built_sentence_passes_the_command_whitelist(tex, fmt):
    with pytest.raises(RenderError):
        TITLE_FORMATS[fmt](title=(Words("A "), Formula(Tex(tex))))


@pytest.mark.parametrize("tex", [r"\href{javascript:alert(1)}{x}", r"\style{color:red}{x}", r"\class{evil}{x}"])
def test_mathml_is_layout_only(tex):
    with pytest.raises(RenderError):
        tex_to_mathml(tex)


# --- Captions, figures and navigation -----------------------------------------------------

HOSTILE_SVG = [
    '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect onmouseover="alert(1)"/></svg>',
    ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
     '<a xlink:href="javascript:alert(1)"><rect/></a></svg>'),
    '<svg xmlns="http://www.w3.org/2000/svg"><use href="https://evil.example/x.svg#a"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/x.png"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://evil.example/x.css);</style></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://evil.example/#a)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="onmouseover" to="alert(1)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><animate attributeName="href" to="javascript:alert(1)"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><!--><script>alert(1)</script>--></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg"><text><![CDATA[</text><script>alert(1)</script>]]></text></svg>',
    '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>',
    "<script>alert(1)</script>",
    '<svg xmlns="http://www.w3.org/2000/svg"><rect></svg>',
]


@pytest.mark.parametrize("svg", HOSTILE_SVG)
def test_a_figure_that_could_act_is_refused(svg):
    with pytest.raises(RenderError):
        SQUARE.to_html(figures=[(svg, "A figure")])


@pytest.mark.parametrize("path", sorted((ROOT / "output" / "plots").glob("*.svg")), ids=lambda p: p.name)
def test_symderivs_own_plots_are_drawing_only(path):
    svg = path.read_text(encoding="utf-8")
    assert check_svg(svg) == svg
    assert_inert_html(SQUARE.to_html(figures=[(svg, "A plot")]).replace(svg, ""))


@pytest.mark.parametrize("caption", WORD_PAYLOADS[:10])
def test_captions_are_words(caption):
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    assert_inert_html(SQUARE.to_html(figures=[(svg, caption)]).replace(svg, ""))
    assert_inert_markdown(SQUARE.to_markdown(figures=[("plots/a.svg", caption)]))


@pytest.mark.parametrize("path", ["javascript:alert(1)", "x) ![a](javascript:alert(1)", "//evil.example/a.svg",
                                  "data:image/svg+xml,<svg onload=alert(1)>", "a.svg\"onerror=\"alert(1)", "a b.svg"])
def test_a_markdown_figure_path_is_a_plain_relative_path_or_address(path):
    with pytest.raises(RenderError):
        SQUARE.to_markdown(figures=[(path, "A figure")])


@pytest.mark.parametrize("nav", ['<script>alert(1)</script>', '<a href="javascript:alert(1)">x</a>',
                                 '<a href="x.html" onclick="alert(1)">x</a>', '<img src=x onerror=alert(1)>',
                                 '<a href="//evil.example">x</a>', '<!--><script>alert(1)</script>-->'])
def test_a_navigation_bar_holds_links_only(nav):
    with pytest.raises(RenderError):
        check_nav(nav)


# --- Names ---------------------------------------------------------------------------------

HOSTILE_NAMES = ["<script>", "x}\\input{/etc/passwd}", "a&b", "x\ny", "__import__('os')", "x\u202e", "x;y",
                 "x_{<b>}", "\\href{javascript:alert(1)}{x}", "x\"onload=\"alert(1)"]
ALL_FORMATS = ["to_latex", "to_mathml", "to_html", "to_markdown", "to_text", "to_json", "to_notebook"]


@pytest.mark.parametrize("fmt", ALL_FORMATS)
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_name_that_is_not_a_safe_name_is_refused_by_every_format(name, fmt):
    s = sp.Symbol(name)
    derivation = Derivation(s**2, s, (Step("power", sp.Derivative(s**2, s), 2 * s),))
    with pytest.raises(UnsafeNameError):
        getattr(derivation, fmt)()


# --- Notebooks: code built from data, run next to a canary -------------------------------

#: Names the safe-name grammar accepts (letters, digits, ' ( ) , in braces) that pasted into
#: source would have run code: each would create the file "canary" in the working directory.
CODE_NAMES = ["x_{'),open('canary','w'),('}", "x_{'),open(\"canary\",'w'),('}", "y'", "x_{'}", "x^{(')}"]
#: Assumption keys that pasted into sp.Symbol(...) would have run code.
CODE_ASSUMPTIONS = ["real=True);open('canary','w');dict(a", "positive=True),open('canary','w'),dict(a"]


def _run(code: str, cwd: pathlib.Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, check=False)


def _symbol_derivation(symbol: sp.Symbol) -> Derivation:
    return Derivation(symbol**2, symbol, (Step("power", sp.Derivative(symbol**2, symbol), 2 * symbol,
                                                detail={"exponent": 2}),))


def _statements(code: str) -> str:
    """The code without its comments and without the lines of the JSON string literal."""
    kept, in_literal = [], False
    for line in code.splitlines():
        if line.startswith("derivation_json = ("):
            in_literal = True
        elif in_literal and line == ")":
            in_literal = False
        elif in_literal:
            assert isinstance(ast.literal_eval(line.strip()), str), line  # each line is one string literal
        elif not line.lstrip().startswith("#"):
            kept.append(line)
    return "\n".join(kept)


def _clean_failure(result: subprocess.CompletedProcess) -> bool:
    return result.returncode != 0 and "symderiv.errors" in result.stderr


@pytest.mark.parametrize("name", CODE_NAMES)
def test_a_notebook_with_a_code_shaped_name_runs_no_code(name, tmp_path):
    try:
        notebook = _symbol_derivation(sp.Symbol(name)).to_notebook(title=f"d/d{name}")
    except SymderivError:
        return  # refused before anything was written: nothing can run
    code = notebook_code(notebook)
    assert "open(" not in _statements(code), "a name was written into code"
    result = _run(code, tmp_path)
    assert not (tmp_path / "canary").exists(), "a name ran as code"
    assert result.returncode == 0 or _clean_failure(result), result.stderr
    if result.returncode == 0:
        assert "steps proven" in result.stdout


def test_a_name_with_a_quote_gives_a_notebook_that_rebuilds_and_proves(tmp_path):
    notebook = _symbol_derivation(sp.Symbol("y'")).to_notebook()
    result = _run(notebook_code(notebook) + "\nprint(repr(d.wrt.name))", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "steps proven" in result.stdout and "\"y'\"" in result.stdout


@pytest.mark.parametrize("key", CODE_ASSUMPTIONS)
def test_a_notebook_with_a_code_shaped_assumption_runs_no_code(key, tmp_path):
    symbol = sp.Symbol("x", **{key: True})
    try:
        notebook = _symbol_derivation(symbol).to_notebook()
    except SymderivError:
        return
    code = notebook_code(notebook)
    assert "open(" not in _statements(code), "an assumption was written into code"
    result = _run(code, tmp_path)
    assert not (tmp_path / "canary").exists(), "an assumption ran as code"
    assert result.returncode == 0 or _clean_failure(result), result.stderr


def test_a_loaded_json_document_gives_a_notebook_that_runs_no_code(tmp_path):
    document = json.loads(SQUARE.to_json())
    payload = "x_{'),open('canary','w'),('}"
    text = json.dumps(document).replace('"symbol": "x"', json.dumps({"symbol": payload})[1:-1])
    try:
        notebook = Derivation.from_json(text).to_notebook()
    except SymderivError:
        return
    result = _run(notebook_code(notebook), tmp_path)
    assert not (tmp_path / "canary").exists()
    assert result.returncode == 0 or _clean_failure(result), result.stderr


def test_a_loaded_json_document_with_a_code_shaped_strategy_gives_a_notebook_that_runs_no_code(tmp_path):
    document = json.loads(SQUARE.to_json())
    document["strategy"] = "textbook'); open('canary', 'w'); ('"
    try:
        notebook = Derivation.from_json(json.dumps(document)).to_notebook()
    except SymderivError:
        return
    assert "open(" not in _statements(notebook_code(notebook))
    result = _run(notebook_code(notebook), tmp_path)
    assert not (tmp_path / "canary").exists()
    assert result.returncode == 0 or _clean_failure(result), result.stderr


def test_a_hostile_notebook_runs_in_a_jupyter_kernel_without_running_its_payload(tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="nbformat is a test dependency")
    nbclient = pytest.importorskip("nbclient", reason="nbclient is a test dependency")
    pytest.importorskip("ipykernel", reason="ipykernel is a test dependency")
    name = "x_{'),open('canary','w'),('}"
    text = _symbol_derivation(sp.Symbol(name)).to_notebook(title="<img src=x onerror=alert(1)> $x^{2}$")
    notebook = nbformat.reads(text, as_version=4)
    notebook.cells.insert(0, nbformat.v4.new_code_cell(f"import sys; sys.path.insert(0, {str(ROOT)!r})"))
    client = nbclient.NotebookClient(notebook, timeout=240, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    assert not (tmp_path / "canary").exists()
    assert "steps proven" in "".join(o.get("text", "") for o in notebook.cells[3].outputs)


# --- Rendering cost ------------------------------------------------------------------------

def _wide_sum(n: int) -> Derivation:
    symbols = sp.symbols(f"a_0:{n}")
    total = sp.Add(*[s * x for s in symbols])
    return Derivation(total, x, (Step("sympy", sp.Derivative(total, x), sp.Add(*symbols)),))


def test_a_sum_of_12000_terms_prints_as_text_in_bounded_time_and_memory(tmp_path):
    # Before: 83 s and 2.3 GB (SymPy's lexicographic order builds terms x generators entries).
    script = textwrap.dedent(f"""
        import resource, time
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        import sympy as sp
        import sys; sys.path.insert(0, {str(ROOT)!r}); sys.path.insert(0, {str(ROOT / 'tests')!r})
        from test_security_documents import _wide_sum
        d = _wide_sum(12000)
        start = time.perf_counter()
        text = d.to_text()
        print(round(time.perf_counter() - start, 1), len(text))
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    seconds, length = result.stdout.split()
    assert float(seconds) < 60 and int(length) > 12000 * 4


def test_small_sums_keep_the_textbook_order():
    from symderiv.render.tex import to_tex

    assert to_tex(x**3 + x**2 + x + 1) == "x^{3} + x^{2} + x + 1"


def test_a_derivation_too_large_to_print_is_refused_before_any_work(monkeypatch):
    monkeypatch.setattr(names, "MAX_RENDER_NODES", 100)
    for fmt in ALL_FORMATS:
        with pytest.raises(LimitError) as error:
            getattr(_wide_sum(60), fmt)()
        assert error.value.limit == "render_nodes" and "MAX_RENDER_NODES" in str(error.value)


def test_expressions_in_a_steps_detail_count_toward_the_render_limit(monkeypatch):
    monkeypatch.setattr(names, "MAX_RENDER_NODES", 100)
    u = sp.Symbol("u")
    loop: list = []
    loop.append(loop)
    step = Step("power", sp.Derivative(x**2, x), 2 * x, detail={"introduces": {u: sp.Add(*sp.symbols("a_0:200"))},
                                                                "loop": loop})
    with pytest.raises(LimitError) as error:
        Derivation(x**2, x, (step,)).to_text()
    assert error.value.limit == "render_nodes"


@pytest.mark.parametrize("fmt", ALL_FORMATS[:-2] + ["to_notebook"])
def test_output_past_the_size_limit_is_refused(fmt, monkeypatch):
    monkeypatch.setattr(names, "MAX_OUTPUT_CHARS", 40)
    with pytest.raises(LimitError) as error:
        getattr(SQUARE, fmt)()
    assert error.value.limit == "output_chars" and "MAX_OUTPUT_CHARS" in str(error.value)
