"""Graph pictures are laid out with symderiv's own font: the same bytes on every machine, labels inside their boxes.

Graphviz sizes each box from its label's width in the font fontconfig finds. These tests lay the
same DOT text out in child processes whose fontconfig sees no system font at all, or only other
fonts, and require the very same SVG; then they measure every label with DejaVu Sans's own advance
widths (read from the font file with fontTools, not from Graphviz) and require it inside its box.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import sympy as sp

import symderiv as sd
from symderiv.render import layout
from symderiv.errors import SymderivError
from symderiv.render.graph_picture import layout_engine

SVG = "{http://www.w3.org/2000/svg}"
x, a, b, w = sp.symbols("x a b w")


def _pygraphviz_available() -> bool:
    try:
        return layout_engine("pygraphviz") == "pygraphviz"
    except SymderivError:
        return False


needs_pygraphviz = pytest.mark.skipif(not _pygraphviz_available(), reason="pygraphviz not installed")


def pictures() -> list:
    """The two graphs of the standard documents, and one with long labels, Greek and a bold σ."""
    return [
        pytest.param(sd.graph(sd.sigmoid(x), expand=True), {x: 1}, id="sigmoid-expanded"),
        pytest.param(sd.graph((a + b) * (b + 1), names={"c": a + b, "d": b + 1, "e": (a + b) * (b + 1)}),
                     {a: 2, b: 1}, id="shared-paths"),
        pytest.param(sd.graph(sd.softplus(w * x + b) * sd.sigmoid(w * x - b) + sp.log(1 + x**2)),
                     {w: sp.Rational(7, 3), x: -0.123456789, b: 12345.678}, id="long-labels"),
    ]


# --- The same bytes whatever fonts the machine has ---------------------------------------------------

_CHILD = (
    "import sys\n"
    "from symderiv.render.graph_picture import svg_from_dot\n"
    "sys.stdout.buffer.write(svg_from_dot(sys.stdin.buffer.read().decode('utf-8'), engine='pygraphviz')"
    ".encode('utf-8'))\n"
)
_RAW_PYGRAPHVIZ = (
    "import sys, pygraphviz\n"
    "sys.stdout.buffer.write(pygraphviz.AGraph(string=sys.stdin.buffer.read().decode('utf-8'))"
    ".draw(format='svg', prog='dot'))\n"
)


def _no_system_fonts(tmp: Path) -> dict[str, str]:
    """fontconfig pointed at an empty configuration, an empty directory and an empty home."""
    (tmp / "empty").mkdir()
    (tmp / "empty.conf").write_text("<fontconfig></fontconfig>\n")
    return {"FONTCONFIG_FILE": str(tmp / "empty.conf"), "FONTCONFIG_PATH": str(tmp / "empty")}


def _other_fonts(tmp: Path) -> dict[str, str]:
    """fontconfig that sees matplotlib's fonts (DejaVu Sans 2.35, Computer Modern) and the system's,
    and takes Computer Modern for every sans-serif name; FC_DEBUG would print onto standard output."""
    matplotlib = pytest.importorskip("matplotlib")
    fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    (tmp / "other.conf").write_text(
        "<fontconfig>\n"
        f"  <dir>{fonts}</dir>\n  <dir>/usr/share/fonts</dir>\n"
        '  <match target="pattern"><edit name="family" mode="prepend" binding="strong">'
        "<string>cmr10</string></edit></match>\n"
        "</fontconfig>\n"
    )
    return {"FONTCONFIG_FILE": str(tmp / "other.conf"), "FONTCONFIG_PATH": str(tmp), "FC_DEBUG": "1"}


def _run(code: str, dot: str, env: dict[str, str], tmp: Path) -> str:
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    child_env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home), "XDG_DATA_HOME": str(home),
                 "XDG_CACHE_HOME": str(home), **env}
    done = subprocess.run([sys.executable, "-c", code], input=dot.encode("utf-8"), capture_output=True,
                          env=child_env, timeout=120)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode("utf-8")


def _geometry(svg: str) -> list[str]:
    """The coordinates of every box, edge and text in the picture: what the fonts would change."""
    return re.findall(r'(?:points|d|x)="([^"]*)"', svg)


@needs_pygraphviz
@pytest.mark.parametrize("fonts", [_no_system_fonts, _other_fonts], ids=["no-system-fonts", "other-fonts"])
def test_the_picture_is_the_same_bytes_whatever_fonts_fontconfig_sees(fonts, tmp_path):
    g = sd.graph(sd.sigmoid(x), expand=True)
    dot = g.to_dot({x: 1})
    here = g.to_svg({x: 1}, engine="pygraphviz")
    env = fonts(tmp_path)
    # the environment does change Graphviz's own layout, so the comparison below could fail
    assert _geometry(_run(_RAW_PYGRAPHVIZ, dot, env, tmp_path)) != _geometry(here)
    assert _run(_CHILD, dot, env, tmp_path) == here


@needs_pygraphviz
def test_laying_out_leaves_this_process_fontconfig_environment_alone(monkeypatch):
    monkeypatch.setenv("FONTCONFIG_FILE", "/nonexistent/fonts.conf")
    sd.graph(x * x).to_svg({x: 2}, engine="pygraphviz")
    assert os.environ["FONTCONFIG_FILE"] == "/nonexistent/fonts.conf"


def test_a_missing_font_file_is_an_error_that_names_it(monkeypatch, tmp_path):
    (tmp_path / "fonts.conf").write_text("<fontconfig></fontconfig>\n")
    monkeypatch.setattr(layout, "FONT_DIR", tmp_path)
    with pytest.raises(SymderivError, match=r"DejaVuSans\.ttf is missing.*pip install"):
        layout.font_config()


# --- Every label inside its box ---------------------------------------------------------------------

class _Metrics:
    """Advance widths of the vendored DejaVu Sans, read from the font files by fontTools."""

    def __init__(self) -> None:
        ttLib = pytest.importorskip("fontTools.ttLib")
        self.fonts = {weight: ttLib.TTFont(layout.FONT_DIR / name)
                      for weight, name in zip(("normal", "bold"), layout.FONT_FILES)}

    def width(self, text: str, weight: str, size: float) -> float:
        """Unhinted width in points: the sum of the glyphs' advances, as a browser without hinting draws it."""
        font = self.fonts[weight]
        cmap, advances, units = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
        missing = [ch for ch in text if ord(ch) not in cmap]
        assert not missing, f"DejaVu Sans has no glyph for {missing} in {text!r}"
        return sum(advances[cmap[ord(ch)]][0] for ch in text) * size / units


def _boxes(svg: str) -> list[tuple[str, float, float, list[ET.Element]]]:
    """Each drawn node box as (title, left, right, its texts); the plain-text input nodes have none."""
    boxes = []
    for node in ET.fromstring(svg).iter(f"{SVG}g"):
        if node.get("class") != "node":
            continue
        outline = node.find(f"{SVG}path")
        if outline is None:
            outline = node.find(f"{SVG}polygon")
        if outline is None:
            continue
        points = outline.get("d") or outline.get("points")
        xs = [float(v) for v in re.findall(r"(-?\d+(?:\.\d+)?),", points)]
        boxes.append((node.findtext(f"{SVG}title"), min(xs), max(xs), node.findall(f"{SVG}text")))
    return boxes


@needs_pygraphviz
@pytest.mark.parametrize("g, at", pictures())
def test_every_label_fits_inside_its_box_in_the_font_it_names(g, at):
    metrics = _Metrics()
    svg = g.to_svg(at, engine="pygraphviz")
    boxes = _boxes(svg)
    assert len(boxes) == sum(1 for node in g.nodes if not node.is_input)
    for title, left, right, texts in boxes:
        assert texts, title
        for text in texts:
            assert text.get("font-family") == layout.FONTNAME
            assert text.get("text-anchor") == "start"
            start = float(text.get("x"))
            end = start + metrics.width(text.text, text.get("font-weight", "normal"), float(text.get("font-size")))
            assert left < start and end < right, f"{title}: {text.text!r} spans {start:.2f}–{end:.2f}, box {left:.2f}–{right:.2f}"


def test_laying_out_writes_nothing_into_the_working_directory_or_the_package(tmp_path, monkeypatch):
    # fontconfig writes a .uuid marker into every folder it scans; a relative <dir> once made it
    # scan (and mark) whatever folder the user ran symderiv in, and the installed package.
    if not _pygraphviz_available():
        pytest.skip("pygraphviz is not installed")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "notes").mkdir()
    before_package = sorted(p.name for p in layout.FONT_DIR.iterdir())
    subprocess.run([sys.executable, "-c", "import symderiv as sd; sd.graph('x*y + x').to_svg()"],
                   check=True, cwd=tmp_path, timeout=120)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["notes"]
    assert sorted(p.name for p in layout.FONT_DIR.iterdir()) == before_package
