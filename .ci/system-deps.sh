#!/usr/bin/env bash
# System packages for the browser and LaTeX tests (tests/test_browser.py, tests/test_render_latex.py):
# headless Chromium, math fonts (Latin Modern Math, STIX), CJK fonts, and XeLaTeX.
# Called by .ci/run as root; skips the download when everything is already there.
# The graph pictures need no system font: Graphviz lays them out with symderiv's own DejaVu Sans
# (symderiv/fonts, symderiv/layout.py); tests/test_graph_fonts.py checks that with no system fonts.
set -euo pipefail

have_all() {
    local fonts
    fonts="$(fc-list : family 2>/dev/null || true)"
    command -v chromium >/dev/null 2>&1 &&
    command -v xelatex >/dev/null 2>&1 &&
    command -v pdflatex >/dev/null 2>&1 &&
    kpsewhich geometry.sty >/dev/null 2>&1 &&
    [[ "$fonts" == *"Latin Modern Math"* ]] &&
    [[ "$fonts" == *"Noto Serif CJK"* ]]
}

if have_all; then
    echo "system-deps: chromium, fonts and XeLaTeX already installed"
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "system-deps: not root, cannot apt-get install; the browser and LaTeX tests will skip" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends \
    chromium \
    fonts-lmodern fonts-stix fonts-noto-cjk fonts-dejavu-core \
    texlive-xetex texlive-latex-base texlive-latex-recommended \
    >/dev/null
echo "system-deps: installed chromium, fonts and XeLaTeX"
