"""The API reference site (docs/, Sphinx) builds from the docstrings with warnings as errors,
documents every public name and links every standard document (issue 11, item 9)."""

from __future__ import annotations

import pathlib
import re
import subprocess
import sys

import pytest

import symderiv as sd
from symderiv.documents import DOCUMENTS
from symderiv.locales import LANGUAGES

ROOT = pathlib.Path(__file__).resolve().parents[1]

pytest.importorskip("sphinx", reason="the test extra installs Sphinx: pip install -e '.[test]'")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(ROOT / "docs"), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, f"Sphinx warned or failed:\n{build.stderr[-4000:]}"
    return out


def test_every_public_name_is_documented(site: pathlib.Path) -> None:
    api = (site / "api.html").read_text(encoding="utf-8")
    documented = set(re.findall(r'id="symderiv\.(?:[\w.]+\.)?(\w+)"', api))
    missing = sorted(set(sd.__all__) - documented)
    assert not missing, f"public names with no entry in docs/api.rst: {missing}"


def test_public_entries_carry_their_docstrings(site: pathlib.Path) -> None:
    api = (site / "api.html").read_text(encoding="utf-8")
    first_line = sd.derive.__doc__.strip().splitlines()[0].replace("``", "")
    words = re.sub(r"<[^>]+>", "", api)
    assert first_line.split(",")[0] in words


def test_every_standard_document_is_linked_and_copied(site: pathlib.Path) -> None:
    page = (site / "documents.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="(documents/[^"#]+)"', page))
    for document in DOCUMENTS:
        for lang in LANGUAGES:
            for ext in ("html", "tex", "md", "ipynb"):
                link = f"documents/{lang}/{document.name}.{ext}"
                assert link in links, f"{link} is not linked from the documents page"
                assert (site / link).is_file(), f"{link} is linked but not in the site"
    assert (site / "documents" / "index.html").is_file()
