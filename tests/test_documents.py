"""The standard documents: the committed output/ is what symderiv build writes today."""

from __future__ import annotations

import pathlib
import re

import pytest

from symderiv.documents import DOCUMENTS, PLOTS, build
from symderiv.locales import LANGUAGES

ROOT = pathlib.Path(__file__).resolve().parents[1]
COMMITTED = ROOT / "output"
_SVG = re.compile(r"<svg.*?</svg>", re.S)
_MATPLOTLIB = re.compile(r"Matplotlib v([0-9][^,<\s]*)")


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory):
    out = tmp_path_factory.mktemp("output")
    messages: list[str] = []
    written = build(out, progress=messages.append)
    return out, written, messages


def _files(root: pathlib.Path) -> set[str]:
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_the_whole_set_is_written(rebuilt):
    out, written, messages = rebuilt
    expected = {"index.html"} | {f"plots/{name}.svg" for name in PLOTS}
    for document in DOCUMENTS:
        expected.add(f"json/{document.name}.json")
        for lang in LANGUAGES:
            expected |= {f"{lang}/{document.name}.{ext}" for ext in ("html", "tex", "md", "ipynb")}
    assert _files(out) == expected
    assert sorted(str(p.relative_to(out)) for p in written) == sorted(expected)
    assert any("derive" in message for message in messages), "a long build shows progress"


def _plot_version(text: str) -> str | None:
    match = _MATPLOTLIB.search(text)
    return match.group(1) if match else None


def test_committed_output_is_not_stale(rebuilt):
    out, _, _ = rebuilt
    assert COMMITTED.is_dir(), "output/ is missing: run `symderiv build --out output` and commit it"
    assert _files(COMMITTED) == _files(out), "output/ has other files than symderiv build writes"
    committed_version = _plot_version((COMMITTED / "plots" / "sigmoid.svg").read_text(encoding="utf-8"))
    rebuilt_version = _plot_version((out / "plots" / "sigmoid.svg").read_text(encoding="utf-8"))
    stale = []
    for name in sorted(_files(out)):
        new = (out / name).read_bytes()
        old = (COMMITTED / name).read_bytes()
        if new == old:
            continue
        if committed_version != rebuilt_version and name.endswith((".svg", ".html")):
            # Another matplotlib draws the plots a little differently; everything else must match.
            strip = lambda b: _SVG.sub("<svg/>", b.decode("utf-8"))  # noqa: E731
            if strip(new) == strip(old):
                continue
        stale.append(name)
    assert not stale, f"output/ is stale: run `symderiv build --out output`; differing: {stale[:10]}"


def test_plots_are_embedded_in_the_sigmoid_pages(rebuilt):
    out, _, _ = rebuilt
    page = (out / "en" / "sigmoid-quotient.html").read_text(encoding="utf-8")
    assert page.count("<svg") == 2 and "σ′(0) = 1/4" in page
    assert "<svg" not in (out / "en" / "tanh.html").read_text(encoding="utf-8")


def test_the_index_links_every_document_in_every_language(rebuilt):
    out, _, _ = rebuilt
    index = (out / "index.html").read_text(encoding="utf-8")
    for document in DOCUMENTS:
        for lang in LANGUAGES:
            for ext in ("html", "tex", "md", "ipynb"):
                assert f'href="{lang}/{document.name}.{ext}"' in index


def test_no_timestamps(rebuilt):
    out, _, _ = rebuilt
    for path in out.rglob("*"):
        if path.is_file():
            assert not re.search(r"20\d\d-\d\d-\d\d[T ]\d\d:\d\d", path.read_text(encoding="utf-8")), path
