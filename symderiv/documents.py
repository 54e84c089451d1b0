"""The standard documents: the derivations of the seeds, in four formats and four languages.

:func:`build` writes, under ``out_dir``::

    index.html                       links to everything, with the plots
    plots/sigmoid.svg                σ with σ′ and its maximum 1/4 at 0 (seed 004)
    plots/exp_log.svg                eˣ and log x (seed 001)
    plots/graph_sigmoid.svg          σ as a computational graph at x = 1 (seed 000)
    plots/graph_shared.svg           e = (a + b)(b + 1) at a = 2, b = 1 (seed 001)
    <lang>/<name>.html .tex .md .ipynb   for lang in en, ja, zh, ko
    json/<name>.json

for the derivations of :data:`DOCUMENTS`. The bytes depend only on the derivations: no dates,
fixed notebook cell ids, plots with a fixed hash salt and no timestamps.

>>> [document.name for document in DOCUMENTS][:3]
['sigmoid-quotient', 'sigmoid-chain', 'sigmoid-reciprocal']
"""

from __future__ import annotations

import io
import pathlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import sympy as sp

from .core.functions import relu, sigmoid
from .extras import require
from .models.losses import logistic_loss
from .locales import LANGUAGES, language_name, word
from .render import html, json_format, latex, markdown, notebook
from .render.explain import inline
from .render.names import html_text
from .core.derivation import Derivation

if TYPE_CHECKING:
    from .models.network import Network

__all__ = ["Document", "DOCUMENTS", "PLOTS", "build", "plot_svg"]

x, y, z, w, b = sp.symbols("x y z w b")


def _derive(expr: sp.Expr, wrt: sp.Symbol, strategy: str = "textbook") -> Callable[[], Derivation]:
    def derive() -> Derivation:
        from .calculus.engine import derive as engine_derive

        return engine_derive(expr, wrt, strategy=strategy)

    return derive


@dataclass(frozen=True)
class Document:
    """One standard document: its file name, its catalog key (``doc_<key>`` and
    ``doc_<key>_intro``), how to derive it, which plots it shows and, for a derivation that
    ``sd.derive`` does not make, the notebook's code (build ``d``, check it)."""

    name: str
    key: str
    derive: Callable[[], Derivation]
    plots: tuple[str, ...] = ()
    code: tuple[str, str] | None = None


a = sp.Symbol("a")
_SHARED = (a + b) * (b + 1)  # seed 001: b reaches e by two paths
_SHARED_NAMES = {"c": a + b, "d": b + 1}


def _graph(expr: sp.Expr, wrt: sp.Symbol, **options: object) -> Callable[[], Derivation]:
    def derive() -> Derivation:
        from .models.graph import graph

        return graph(expr, **options).derivation(wrt)  # type: ignore[arg-type]

    return derive


def _seed_network() -> "Network":
    from .models.network import network

    return network([2, 2, 1], activation=sigmoid, loss="cross_entropy", regularization=True)


def _network_weight(layer: int, i: int, j: int) -> Callable[[], Derivation]:
    def derive() -> Derivation:
        net = _seed_network()
        return net.derive(net.theta(layer, i, j))

    return derive


_NETWORK_BUILD = (
    "import symderiv as sd\n\n"
    'net = sd.network([2, 2, 1], activation=sd.sigmoid, loss="cross_entropy", regularization=True)\n'
    "d = net.derive(net.theta({layer}, {i}, {j}))"
)
_CHECK = "report = d.check()\nprint(report)\nprint(d.result)"


_SIGMOID = 1 / (1 + sp.exp(-x))


def _matrix(name: str) -> Callable[[], Derivation]:
    """Logistic regression in matrix form (∂J/∂w) or softmax regression (∂L/∂W), derived by
    :mod:`symderiv.calculus.matrix`."""
    def derive() -> Derivation:
        from .calculus.engine import derive as engine_derive
        from .core.matrices import softmax

        m, n, k = sp.symbols("m n k", integer=True, positive=True)
        if name == "logistic":
            X, w_, y_ = sp.MatrixSymbol("X", m, n), sp.MatrixSymbol("w", n, 1), sp.MatrixSymbol("y", m, 1)
            one = sp.OneMatrix(m, 1)
            a = (X * w_).applyfunc(sigmoid)
            cost = -(y_.T * a.applyfunc(sp.log) + (one - y_).T * (one - a).applyfunc(sp.log)) / m
            return engine_derive(cost, w_)
        W, x_, b_, t = (sp.MatrixSymbol("W", k, n), sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("b", k, 1),
                        sp.MatrixSymbol("y", k, 1))
        return engine_derive(-(t.T * softmax(W * x_ + b_).applyfunc(sp.log)), W)

    return derive

#: The standard set, in the order the index lists it.
DOCUMENTS: tuple[Document, ...] = (
    Document("sigmoid-quotient", "sigmoid_quotient", _derive(_SIGMOID, x, "quotient"), ("sigmoid", "exp_log")),
    Document("sigmoid-chain", "sigmoid_chain", _derive(_SIGMOID, x, "chain"), ("sigmoid",)),
    Document("sigmoid-reciprocal", "sigmoid_reciprocal", _derive(_SIGMOID, x, "reciprocal"), ("sigmoid",)),
    Document("cross-entropy-z", "cross_entropy_z", _derive(logistic_loss(z, y), z), ("exp_log",)),
    Document("cross-entropy-w", "cross_entropy_w", _derive(logistic_loss(w * x + b, y), w)),
    Document("sigmoid-squared", "sigmoid_squared", _derive(sigmoid(x) ** 2, x)),
    Document("relu", "relu", _derive(relu(x), x)),
    Document("tanh", "tanh", _derive(sp.tanh(x), x)),
    Document("softplus", "softplus", _derive(sp.log(1 + sp.exp(x)), x)),
    Document("sigmoid-slope", "sigmoid_slope", _derive(sigmoid(x) * (1 - sigmoid(x)), x), ("sigmoid",)),
    Document(
        "sigmoid-graph",
        "sigmoid_graph",
        _graph(_SIGMOID, x, expand=True),
        ("graph_sigmoid",),
        (
            "import sympy as sp\nimport symderiv as sd\n\n"
            'x = sp.Symbol("x")\nd = sd.graph(1 / (1 + sp.exp(-x)), expand=True).derivation(x)',
            _CHECK.replace("print(d.result)", "assert d.result == sd.sigmoid(x) * (1 - sd.sigmoid(x))"),
        ),
    ),
    Document(
        "shared-paths",
        "shared_paths",
        _graph(_SHARED, b, names=_SHARED_NAMES),
        ("graph_shared",),
        (
            "import sympy as sp\nimport symderiv as sd\n\n"
            'a, b = sp.symbols("a b")\n'
            'd = sd.graph((a + b) * (b + 1), names={"c": a + b, "d": b + 1}).derivation(b)',
            _CHECK.replace("print(d.result)", "assert d.result == a + 2 * b + 1"),
        ),
    ),
    Document("logistic-regression-matrix", "logistic_matrix", _matrix("logistic")),
    Document("softmax-regression", "softmax_regression", _matrix("softmax")),
    Document(
        "network-output-weight",
        "network_output_weight",
        _network_weight(2, 1, 2),
        (),
        (_NETWORK_BUILD.format(layer=2, i=1, j=2), _CHECK),
    ),
    Document(
        "network-hidden-weight",
        "network_hidden_weight",
        _network_weight(1, 1, 2),
        (),
        (_NETWORK_BUILD.format(layer=1, i=1, j=2), _CHECK),
    ),
)

#: Plot name → catalog key of its caption.
PLOTS = {
    "sigmoid": "plot_sigmoid",
    "exp_log": "plot_exp_log",
    "graph_sigmoid": "plot_graph_sigmoid",
    "graph_shared": "plot_graph_shared",
}

_FORMATS = (("html", "HTML"), ("tex", "LaTeX"), ("md", "Markdown"), ("ipynb", "Notebook"))


def plot_svg(name: str) -> str:
    """One plot as SVG text, drawn the same way every time: graphs by Graphviz, curves by matplotlib."""
    if name == "graph_sigmoid":
        from .models.graph import graph

        return graph(_SIGMOID, expand=True).to_svg(at={x: 1})
    if name == "graph_shared":
        from .models.graph import graph

        return graph(_SHARED, names=_SHARED_NAMES).to_svg(at={a: 2, b: 1})
    require("matplotlib", "the plots of the standard documents")
    np = require("numpy", "the plots of the standard documents")
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    settings: dict[str, Any] = {"svg.hashsalt": "symderiv", "svg.fonttype": "none", "font.size": 11,
                "font.family": "DejaVu Sans", "axes.spines.top": False, "axes.spines.right": False}
    with matplotlib.rc_context(settings):  # type: ignore[arg-type]  # matplotlib types keys as Literals
        figure = Figure(figsize=(6.4, 3.6))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        if name == "sigmoid":
            t = np.linspace(-6, 6, 241)
            s = 1 / (1 + np.exp(-t))
            axes.plot(t, s, color="#1f4e8c", lw=2, label="σ(x)")
            axes.plot(t, s * (1 - s), color="#a33", lw=2, label="σ′(x) = σ(x)(1 − σ(x))")
            axes.axhline(0.25, color="#a33", lw=0.8, ls=":")
            axes.plot([0], [0.25], "o", color="#a33")
            axes.annotate("σ′(0) = 1/4", (0, 0.25), xytext=(0.6, 0.36), color="#a33")
            axes.set_ylim(-0.05, 1.05)
        elif name == "exp_log":
            t = np.linspace(-3, 3, 241)
            axes.plot(t, np.exp(t), color="#1f4e8c", lw=2, label="eˣ")
            u = np.linspace(0.02, 3, 240)
            axes.plot(u, np.log(u), color="#3b6e45", lw=2, label="log x")
            axes.plot([0], [1], "o", color="#1f4e8c")
            axes.plot([1], [0], "o", color="#3b6e45")
            axes.set_ylim(-3.5, 6)
        else:
            raise ValueError(f"unknown plot {name!r}; choose one of: {', '.join(PLOTS)}")
        axes.axhline(0, color="#888", lw=0.6)
        axes.axvline(0, color="#888", lw=0.6)
        axes.set_xlabel("x")
        axes.grid(alpha=0.25)
        axes.legend(frameon=False, loc="upper left")
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def _write(path: pathlib.Path, text: str, written: list[pathlib.Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    written.append(path)


def _nav(document: Document, lang: str) -> str:
    links = ['<a href="../index.html">symderiv</a>']
    for other in LANGUAGES:
        current = ' aria-current="page"' if other == lang else ""
        links.append(f'<a href="../{other}/{document.name}.html" hreflang="{other}" lang="{other}"{current}>'
                     f"{html_text(language_name(other))}</a>")
    links.append(f'<a href="{document.name}.tex">LaTeX</a>')
    links.append(f'<a href="{document.name}.md">Markdown</a>')
    links.append(f'<a href="{document.name}.ipynb">Notebook</a>')
    links.append(f'<a href="../json/{document.name}.json">JSON</a>')
    return " ".join(links)


def _index(derivations: dict[str, Derivation], plots: dict[str, str]) -> str:
    rows = []
    for document in DOCUMENTS:
        cells = []
        for lang in LANGUAGES:
            title = html.sentence_html(inline(word(f"doc_{document.key}", lang)), lang)
            formats = " · ".join(
                f'<a href="{lang}/{document.name}.{ext}">{label}</a>' for ext, label in _FORMATS
            )
            cells.append(f'<td lang="{lang}"><a href="{lang}/{document.name}.html">{title}</a>'
                         f'<br><small>{formats}</small></td>')
        cells.append(f'<td><a href="json/{document.name}.json">JSON</a></td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    header = "".join(f'<th lang="{lang}">{html_text(language_name(lang))}</th>' for lang in LANGUAGES)
    figures = "".join(
        f"<figure>\n{svg}\n<figcaption>{html.sentence_html(inline(word(PLOTS[name], 'en')), 'en')}"
        "</figcaption>\n</figure>\n"
        for name, svg in plots.items()
    )
    body = (
        f"<p>{html_text(word('index_intro', 'en'))}</p>\n"
        + "".join(f'<p lang="{lang}">{html_text(word("index_intro", lang))}</p>\n' for lang in LANGUAGES[1:])
        + '<div class="scroll">\n<table class="index">\n'
        + f"<tr>{header}<th></th></tr>\n"
        + "\n".join(rows)
        + "\n</table>\n</div>\n"
        + figures
    )
    style = ("<style>table.index { border-collapse: collapse; font-size: .95rem; } "
             "table.index td, table.index th { border-top: 1px solid #ddd; padding: .5rem .6rem; "
             "vertical-align: top; text-align: left; } table.index small a { color: #555; }</style>\n")
    return html.page(lang="en", title=inline(word("index_title", "en")), body=style + body)


def build(out_dir: pathlib.Path, *, progress: Callable[[str], None] | None = None) -> list[pathlib.Path]:
    """Write the standard documents under ``out_dir``; return the paths written, in order.

    ``progress`` is called with a short line before each piece of work.
    """
    out_dir = pathlib.Path(out_dir)
    say = progress or (lambda message: None)
    written: list[pathlib.Path] = []
    plots: dict[str, str] = {}
    for name in PLOTS:
        say(f"plot {name}")
        plots[name] = plot_svg(name)
        _write(out_dir / "plots" / f"{name}.svg", plots[name], written)
    derivations: dict[str, Derivation] = {}
    for number, document in enumerate(DOCUMENTS, start=1):
        say(f"[{number}/{len(DOCUMENTS)}] {document.name}: derive and prove")
        derivation = document.derive()
        derivations[document.name] = derivation
        _write(out_dir / "json" / f"{document.name}.json", json_format.render(derivation), written)
        for lang in LANGUAGES:
            say(f"[{number}/{len(DOCUMENTS)}] {document.name}: {lang}")
            # The catalog's own words, with its own TeX: sentences, not a caller's text to parse.
            title = inline(word(f"doc_{document.key}", lang))
            intro = inline(word(f"doc_{document.key}_intro", lang))
            figures = [(plots[name], inline(word(PLOTS[name], lang))) for name in document.plots]
            base = out_dir / lang / document.name
            _write(base.with_suffix(".html"), html.render(
                derivation, lang=lang, title=title, intro=intro, figures=figures, nav=_nav(document, lang)
            ), written)
            _write(base.with_suffix(".tex"), latex.render(
                derivation, lang=lang, standalone=True, title=title, intro=intro
            ), written)
            md_figures = [(f"../plots/{name}.svg", inline(word(PLOTS[name], lang))) for name in document.plots]
            _write(base.with_suffix(".md"), markdown.render(
                derivation, lang=lang, title=title, intro=intro, figures=md_figures
            ), written)
            _write(base.with_suffix(".ipynb"), notebook.render(
                derivation, lang=lang, title=title, intro=intro, code=document.code
            ), written)
    say("index.html")
    _write(out_dir / "index.html", _index(derivations, plots), written)
    return written
