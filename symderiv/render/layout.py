"""Graphviz lays out the graph pictures with symderiv's own font, so they are the same bytes everywhere.

Graphviz sizes every box from the width of its label, measured with the font fontconfig finds for
the label's font name. Left to the system, that font is whatever the machine has (Liberation Sans
here, DejaVu Sans there), and the same DOT text gives different pictures.

So symderiv ships one font, DejaVu Sans 2.37 (``symderiv/fonts``, regular and bold, under the
Bitstream Vera license in ``symderiv/fonts/LICENSE``), and a fontconfig file of its own,
``symderiv/fonts/fonts.conf``. That file lists only the fonts beside it, includes no system
configuration, maps every family to DejaVu Sans and states every setting that changes a glyph's
advance (hinting off, 96 dpi).

Graphviz runs in a child process whose ``FONTCONFIG_FILE`` names that file. A child process, because
fontconfig reads its configuration once per process: setting the variable in this process would
do nothing once any code had laid out a graph, and would leak into every other program it starts.

The pictures name the same font (:data:`FONTNAME`), so a browser that has DejaVu Sans draws the
labels exactly as they were measured. One that lacks it falls back to its sans-serif font, and
the common ones (Arial, Helvetica, Liberation Sans) are narrower than DejaVu Sans, so the labels
still fit their boxes.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Mapping
from xml.sax.saxutils import escape as xml_escape

from ..errors import LimitError, SymderivError

__all__ = ["FONT_FAMILY", "FONTNAME", "FONT_DIR", "FONT_FILES", "LAYOUT_TIMEOUT", "font_config",
           "layout_environment", "run_layout"]

FONT_FAMILY = "DejaVu Sans"
"""The one font the pictures are laid out with."""

FONTNAME = f"{FONT_FAMILY},sans-serif"
"""The ``fontname`` written in the DOT text, and so the ``font-family`` of the SVG's text."""

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
LAYOUT_TIMEOUT = 60.0
"""Seconds Graphviz may take to lay out one picture."""

# fontconfig variables that would make it read other files or print onto the SVG (FC_DEBUG writes
# to standard output); the child process runs without them.
_FONTCONFIG_VARIABLES = ("FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "FC_DEBUG", "FC_DEBUG_FILE")

# The child reads the DOT text from standard input and writes the SVG to standard output; no data
# is part of the code it runs.
_PYGRAPHVIZ_CHILD = """\
import sys
import pygraphviz
dot = sys.stdin.buffer.read().decode("utf-8")
try:
    svg = pygraphviz.AGraph(string=dot).draw(format="svg", prog="dot")
except Exception as error:
    sys.stderr.write(f"{type(error).__name__}: {error}\\n")
    sys.exit(1)
sys.stdout.buffer.write(svg)
"""


def font_config() -> Path:
    """The path of symderiv's own fontconfig file for this process, after checking its fonts.

    The file in ``symderiv/fonts/`` is a template: fontconfig resolves a relative ``<dir>``
    against the working directory in some builds (the one inside pygraphviz among them) and
    writes ``.uuid`` marker files into every folder it scans. So the fonts are linked into a
    private temporary folder, made once per process and removed at exit, and the file written
    there names that folder and a cache folder beside it by absolute path. Fontconfig then
    reads and writes nothing else: not the working directory, not the installed package.
    Raises :class:`SymderivError` naming the missing file when the package data is incomplete.

    >>> font_config().name
    'fonts.conf'
    """
    global _CONFIG
    for name in (*FONT_FILES, "fonts.conf"):
        if not (FONT_DIR / name).is_file():
            raise SymderivError(
                f"symderiv's layout font file {FONT_DIR / name} is missing; the graph pictures are "
                f"laid out with it. Reinstall symderiv: pip install --force-reinstall symderiv"
            )
    if _CONFIG is None or not _CONFIG.is_file():
        _CONFIG = _private_config()
    return _CONFIG


_CONFIG: Path | None = None


def _private_config() -> Path:
    """Write the fontconfig file and the font links into a fresh private folder."""
    home = Path(tempfile.mkdtemp(prefix="symderiv-fonts-"))
    atexit.register(shutil.rmtree, home, ignore_errors=True)
    fonts = home / "fonts"
    fonts.mkdir()
    for name in FONT_FILES:
        try:
            os.symlink(FONT_DIR / name, fonts / name)
        except OSError:  # a file system without symbolic links
            shutil.copyfile(FONT_DIR / name, fonts / name)
    template = (FONT_DIR / "fonts.conf").read_text(encoding="utf-8")
    places = (f"<dir>{xml_escape(str(fonts))}</dir>\n"
              f"  <cachedir>{xml_escape(str(home / 'cache'))}</cachedir>")
    config = home / "fonts.conf"
    config.write_text(template.replace(_TEMPLATE_DIR, places), encoding="utf-8")
    return config


# The line of the template that the private file replaces with absolute folders.
_TEMPLATE_DIR = '<dir prefix="relative">.</dir>'


def layout_environment(base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment Graphviz runs in: ``base`` (default ``os.environ``) with symderiv's fontconfig file.

    >>> env = layout_environment({"FONTCONFIG_PATH": "/etc/fonts", "HOME": "/home/ada"})
    >>> env["FONTCONFIG_FILE"] == str(font_config()), "FONTCONFIG_PATH" in env, env["HOME"]
    (True, False, '/home/ada')
    """
    env = {key: value for key, value in (os.environ if base is None else base).items()
           if key not in _FONTCONFIG_VARIABLES}
    env["FONTCONFIG_FILE"] = str(font_config())
    # pango's fontconfig backend, also where it would otherwise use the platform's own (macOS, Windows)
    env["PANGOCAIRO_BACKEND"] = "fc"
    return env


def run_layout(dot: str, engine: str) -> str:
    """Lay out ``dot`` with Graphviz's dot in a child process and return the SVG document it writes.

    ``engine`` is ``"pygraphviz"`` (the Graphviz inside the pygraphviz wheel, run by this Python)
    or ``"dot"`` (the program of an installed Graphviz). Raises :class:`LimitError` after
    :data:`LAYOUT_TIMEOUT` seconds and :class:`SymderivError` with Graphviz's message when it fails.
    """
    if engine == "pygraphviz":
        if not sys.executable:
            raise SymderivError("cannot run pygraphviz: this Python does not know its own executable")
        command = [sys.executable, "-P", "-c", _PYGRAPHVIZ_CHILD]
    elif engine == "dot":
        command = ["dot", "-Tsvg"]
    else:
        raise ValueError(f"unknown layout engine {engine!r}; choose pygraphviz or dot")
    try:
        done = subprocess.run(command, input=dot.encode("utf-8"), capture_output=True,
                              env=layout_environment(), timeout=LAYOUT_TIMEOUT)
    except subprocess.TimeoutExpired as error:
        raise LimitError(f"Graphviz took more than {LAYOUT_TIMEOUT:g} s to lay out the graph",
                         limit="time") from error
    except OSError as error:
        raise SymderivError(f"could not start Graphviz ({engine}): {error}") from error
    messages = _graphviz_messages(done.stderr)
    if done.returncode != 0:
        # the first line only: on a large graph Graphviz's message runs to pages
        first = messages.splitlines()[0][:300] if messages else f"{engine} exited with {done.returncode}"
        raise SymderivError(f"Graphviz could not draw the graph: {first}")
    if messages:
        print(messages, file=sys.stderr)
    return done.stdout.decode("utf-8")


def _graphviz_messages(stderr: bytes) -> str:
    """Graphviz's own messages, without fontconfig's warnings about the system's newer configuration.

    fontconfig lists (never applies) the system's ``conf.avail`` files and warns about elements it
    is too old to know.

    >>> _graphviz_messages(b'Fontconfig warning: "/usr/share/x.conf", line 6: unknown element\\nWarning: big\\n')
    'Warning: big'
    """
    lines = stderr.decode("utf-8", "replace").splitlines()
    return "\n".join(line for line in lines if line.strip() and not line.startswith("Fontconfig "))
