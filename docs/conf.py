"""Sphinx configuration of symderiv's API reference (built by ``bash scripts/docs.sh``).

The reference is built from the docstrings of the public API (``symderiv.__all__``), with
warnings as errors (tests/test_docs.py builds it the same way). The standard documents of
``output/`` are copied into the site under ``documents/`` and listed on the page
``documents`` (docs/documents.rst), which is generated here from :data:`symderiv.documents.DOCUMENTS`, so the list
is never out of step with the code.
"""

from __future__ import annotations

import pathlib
import shutil
import sys
from typing import Any

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import symderiv  # noqa: E402

project = "symderiv"
author = "The symderiv developers"
copyright = "2026, The symderiv developers"
release = version = symderiv.__version__

extensions = ["sphinx.ext.autodoc", "sphinx.ext.doctest"]
root_doc = "index"
exclude_patterns = ["_build", "ARCHITECTURE.md"]
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_default_options = {"members": False}
html_theme = "alabaster"
html_title = f"symderiv {release}"
html_static_path: list[str] = []
# no web fonts, no scripts from the network
html_theme_options = {"font_family": "serif", "head_font_family": "serif", "show_powered_by": False}

#: Written at each build from the code, never edited by hand (in .gitignore).
GENERATED_PAGE = HERE / "documents.rst"


def _documents_page() -> str:
    """The page that lists the standard documents, one row per document and language."""
    from symderiv.documents import DOCUMENTS
    from symderiv.locales import LANGUAGES, language_name, word
    from symderiv.render.explain import inline
    from symderiv.render.html import sentence_plain

    lines = [
        "The standard documents",
        "======================",
        "",
        "``bash scripts/build.sh`` derives, proves and writes these documents into ``output/``; "
        "each is a self-contained HTML page (MathML, no script), a LaTeX file, Markdown and a "
        "notebook. `The index of all of them <documents/index.html>`__.",
        "",
    ]
    for document in DOCUMENTS:
        title = sentence_plain(inline(word(f"doc_{document.key}", "en")), "en")
        lines += [title, "-" * (2 * len(title)), ""]
        links = []
        for lang in LANGUAGES:
            for ext, kind in (("html", "HTML"), ("tex", "LaTeX"), ("md", "Markdown"), ("ipynb", "notebook")):
                links.append(f"`{language_name(lang)} {kind} <documents/{lang}/{document.name}.{ext}>`__")
        lines += [" · ".join(links), ""]
    return "\n".join(lines)


def _write_generated(app: Any) -> None:
    page = GENERATED_PAGE
    text = _documents_page()
    if not page.exists() or page.read_text(encoding="utf-8") != text:
        page.write_text(text, encoding="utf-8")


def _copy_documents(app: Any, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = pathlib.Path(app.outdir) / "documents"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(ROOT / "output", target)


def setup(app: Any) -> None:
    app.connect("builder-inited", _write_generated)
    app.connect("build-finished", _copy_documents)
