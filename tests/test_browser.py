"""The standard HTML documents in a real browser: headless Chromium lays out their MathML.

Chromium is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``), so no
extra package is needed. Each page must load without console errors; its fractions must be laid
out as fractions (taller than a line of text); the = signs of one derivation must share an x
position; the math must be set in a math font and CJK text in a CJK font. No page may be wider
than a 1,000 px window (``document.documentElement.scrollWidth``), with its sub-derivations
closed or open: a long formula scrolls in a box of its own. Printed, every sub-derivation is
open; in dark mode the page is dark. A full-page screenshot of every standard document is
written to ``tests/_screenshots/`` (git-ignored) for review.
"""

from __future__ import annotations

import base64
import json
import pathlib
import re
import shutil
import tempfile
from typing import Any

import pytest

from symderiv.documents import DOCUMENTS, build
from symderiv.locales import LANGUAGES

from chromium import CHROMIUM, Chromium

SCREENSHOTS = pathlib.Path(__file__).resolve().parent / "_screenshots"

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed (Debian's chromium; .ci/system-deps.sh installs it)",
)

MEASURE = """(() => {
  const line = parseFloat(getComputedStyle(document.body).lineHeight);
  const cells = [...document.querySelectorAll('main > ol.chain > li.step > .lhs, main > ol.chain > li.step > .rhs')];
  const fractions = cells.map(c => c.querySelector('mfrac')).filter(f => f)
    .map(f => f.getBoundingClientRect().height);
  const equals = [...document.querySelectorAll('main > ol.chain > li.step > .rel math')]
    .map(m => m.getBoundingClientRect().left);
  const maths = [...document.querySelectorAll('math')];
  return JSON.stringify({
    line, fractions, equals,
    empty: maths.filter(m => m.getBoundingClientRect().width === 0).length,
    maths: maths.length,
    width: document.documentElement.scrollWidth,
    height: document.documentElement.scrollHeight,
  });
})()"""


@pytest.fixture(scope="module")
def browser():
    profile = tempfile.mkdtemp(prefix="symderiv-chromium-")
    chrome = Chromium(profile)
    try:
        target = chrome.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = chrome.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "DOM", "CSS"):
            chrome.send(f"{domain}.enable", session=session)
        chrome.send("Emulation.setDeviceMetricsOverride",
                    {"width": 1000, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, session=session)
        yield chrome, session
    finally:
        chrome.close()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    build(out)
    return out


def _open(chrome: Chromium, session: str, path: pathlib.Path) -> dict[str, Any]:
    chrome.events.clear()
    chrome.send("Page.navigate", {"url": path.as_uri()}, session=session)
    chrome.wait_for("Page.loadEventFired")
    chrome.send("Runtime.evaluate", {"expression": "document.fonts.ready.then(() => 1)",
                                     "awaitPromise": True}, session=session)
    measured = chrome.send("Runtime.evaluate", {"expression": MEASURE, "returnByValue": True}, session=session)
    return json.loads(measured["result"]["value"])


def _errors(chrome: Chromium) -> list[str]:
    errors = []
    for event in chrome.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            errors.append(str(params.get("exceptionDetails", {}).get("text")))
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            errors.append(str(params.get("args")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            errors.append(params["entry"].get("text", ""))
    return errors


def _fonts(chrome: Chromium, session: str, selector: str) -> set[str]:
    root = chrome.send("DOM.getDocument", {"depth": -1}, session=session)["root"]["nodeId"]
    node = chrome.send("DOM.querySelector", {"nodeId": root, "selector": selector}, session=session)["nodeId"]
    if not node:
        return set()
    fonts = chrome.send("CSS.getPlatformFontsForNode", {"nodeId": node}, session=session)["fonts"]
    return {font["familyName"] for font in fonts}


def _screenshot(chrome: Chromium, session: str, name: str, height: int) -> pathlib.Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    chrome.send("Emulation.setDeviceMetricsOverride",
                {"width": 1000, "height": min(max(height, 600), 12000), "deviceScaleFactor": 1,
                 "mobile": False}, session=session)
    shot = chrome.send("Page.captureScreenshot", {"format": "png"}, session=session)
    chrome.send("Emulation.setDeviceMetricsOverride",
                {"width": 1000, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, session=session)
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


_CJK = {"ja": "JP", "zh": "SC", "ko": "KR"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_standard_documents_render_as_textbook_pages(browser, site, lang):
    chrome, session = browser
    problems = []
    for document in DOCUMENTS:
        path = site / lang / f"{document.name}.html"
        page = _open(chrome, session, path)
        label = f"{lang}/{document.name}"
        errors = _errors(chrome)
        if errors:
            problems.append(f"{label}: console errors {errors}")
        if page["empty"]:
            problems.append(f"{label}: {page['empty']} of {page['maths']} <math> elements have no width")
        if not page["fractions"] and document.name not in ("relu", "tanh"):
            problems.append(f"{label}: no fraction was laid out")
        short = [h for h in page["fractions"] if h <= page["line"]]
        if short:
            problems.append(f"{label}: fractions no taller than a line ({page['line']}px): {short[:5]}")
        if max(page["equals"]) - min(page["equals"]) > 0.5:
            problems.append(f"{label}: = signs at x = {sorted(set(page['equals']))}")
        math_fonts = _fonts(chrome, session, ".chain .rhs math mi")
        if not math_fonts & {"Latin Modern Math", "STIX Two Math"}:
            problems.append(f"{label}: math set in {math_fonts}, not a math font")
        if lang in _CJK:
            text_fonts = _fonts(chrome, session, "h1")
            if not any("CJK" in font for font in text_fonts):
                problems.append(f"{label}: heading set in {text_fonts}, no CJK font")
        shot = _screenshot(chrome, session, f"{lang}_{document.name}", page["height"])
        assert shot.stat().st_size > 10_000
    assert not problems, "\n".join(problems)


def test_index_links_resolve_and_render(browser, site):
    chrome, session = browser
    page = _open(chrome, session, site / "index.html")
    assert not _errors(chrome)
    assert page["maths"] > 0 and not page["empty"]
    _screenshot(chrome, session, "index", page["height"])
    root = chrome.send("DOM.getDocument", {"depth": -1}, session=session)["root"]["nodeId"]
    links = chrome.send("DOM.querySelectorAll", {"nodeId": root, "selector": "a[href]"}, session=session)["nodeIds"]
    hrefs = []
    for node in links:
        attributes = chrome.send("DOM.getAttributes", {"nodeId": node}, session=session)["attributes"]
        hrefs.append(dict(zip(attributes[::2], attributes[1::2]))["href"])
    missing = [href for href in hrefs if not (site / href).exists()]
    assert len(hrefs) >= len(DOCUMENTS) * len(LANGUAGES) * 4 and not missing, missing


# --- Layout: no page wider than its window ---------------------------------------------------

WINDOW = 1000
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; }); 1"
WIDTH = "document.documentElement.scrollWidth"


def _evaluate(chrome: Chromium, session: str, expression: str) -> Any:
    reply = chrome.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=session)
    return reply["result"].get("value")


def _widths(chrome: Chromium, session: str, path: pathlib.Path) -> tuple[int, int]:
    """The page's width as the browser lays it out at a 1,000 px window: as it opens (every
    sub-derivation closed), and with every sub-derivation opened."""
    closed = _open(chrome, session, path)["width"]
    _evaluate(chrome, session, OPEN_ALL)
    return closed, _evaluate(chrome, session, WIDTH)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_standard_page_is_wider_than_the_window(browser, site, lang):
    chrome, session = browser
    widths = {document.name: _widths(chrome, session, site / lang / f"{document.name}.html")
              for document in DOCUMENTS}
    wide = {name: width for name, width in widths.items() if max(width) > WINDOW}
    assert not wide, f"{lang}: pages wider than the {WINDOW} px window (closed, open): {wide}"


def _page(tmp_path: pathlib.Path, name: str, html_text: str) -> pathlib.Path:
    path = tmp_path / f"{name}.html"
    path.write_text(html_text, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_formula_longer_than_the_window_scrolls_in_its_own_box(browser, tmp_path, lang):
    from test_render_outline import long_formula

    chrome, session = browser
    path = _page(tmp_path, f"long-{lang}", long_formula(40).to_html(lang=lang))
    assert _widths(chrome, session, path) == (WINDOW, WINDOW)
    scrolling = _evaluate(chrome, session, """[...document.querySelectorAll('.rhs, .lhs, .wide')]
        .filter(e => e.scrollWidth > e.clientWidth + 1).length""")
    assert scrolling >= 3  # the left side, the result in the box, the last line of the chain


@pytest.mark.parametrize("window", [600, 800])
def test_narrower_windows_do_not_scroll_sideways_either(browser, tmp_path, window):
    from test_render_outline import long_formula

    chrome, session = browser
    path = _page(tmp_path, "long", long_formula(40).to_html())
    chrome.send("Emulation.setDeviceMetricsOverride",
                {"width": window, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, session=session)
    try:
        assert _open(chrome, session, path)["width"] == window
    finally:
        chrome.send("Emulation.setDeviceMetricsOverride",
                    {"width": WINDOW, "height": 1200, "deviceScaleFactor": 1, "mobile": False}, session=session)


_VISIBLE = """JSON.stringify([...document.querySelectorAll('details.sub > ol.chain')].map(e => e.checkVisibility()))"""


def test_sub_derivations_are_closed_on_screen_and_open_in_print(browser, tmp_path):
    from test_render_outline import nested

    chrome, session = browser
    _open(chrome, session, _page(tmp_path, "nested", nested().to_html()))
    try:
        screen = json.loads(_evaluate(chrome, session, _VISIBLE))
        chrome.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        printed = json.loads(_evaluate(chrome, session, _VISIBLE))
    finally:
        chrome.send("Emulation.setEmulatedMedia", {"media": ""}, session=session)
    assert len(screen) == 4 and not any(screen)  # 2a, 2b, and 2b's own two
    assert printed == [True] * 4


def _luminance(colour: str) -> float:
    red, green, blue = (int(part) / 255 for part in re.findall(r"\d+", colour)[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


_COLOURS = "JSON.stringify([getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color])"


def test_dark_mode_turns_the_page_dark_and_keeps_the_text_readable(browser, site):
    chrome, session = browser
    _open(chrome, session, site / "ja" / "cross-entropy-w.html")
    light = json.loads(_evaluate(chrome, session, _COLOURS))
    try:
        chrome.send("Emulation.setEmulatedMedia",
                    {"features": [{"name": "prefers-color-scheme", "value": "dark"}]}, session=session)
        dark = json.loads(_evaluate(chrome, session, _COLOURS))
    finally:
        chrome.send("Emulation.setEmulatedMedia", {"features": []}, session=session)
    assert _luminance(light[0]) > 0.9 and _luminance(light[1]) < 0.2
    assert _luminance(dark[0]) < 0.15 and _luminance(dark[1]) > 0.8


_FOCUS = """JSON.stringify([...document.querySelectorAll('.focus')].map(e => { const s = getComputedStyle(e);
  return [s.backgroundColor, s.borderBottomStyle, parseFloat(s.borderBottomWidth), s.borderBottomColor]; }))"""


def test_the_focus_is_a_tint_with_an_underline_that_survives_grayscale_printing(browser, tmp_path):
    from test_render_outline import focused

    chrome, session = browser
    _open(chrome, session, _page(tmp_path, "focused", focused().to_html()))
    screen = json.loads(_evaluate(chrome, session, _FOCUS))
    try:
        chrome.send("Emulation.setEmulatedMedia", {"media": "print"}, session=session)
        printed = json.loads(_evaluate(chrome, session, _FOCUS))
    finally:
        chrome.send("Emulation.setEmulatedMedia", {"media": ""}, session=session)
    assert len(screen) == 2  # 2x and eˣ, what steps 2 and 3 made
    for background, style, width, _ in screen:
        alpha = float(re.findall(r"[\d.]+", background)[3]) if background.startswith("rgba") else 1.0
        assert 0 < alpha < 1 and style == "solid" and width >= 1
    # Printed in gray, the tint may vanish; the line stays: solid, at least 1 px, nearly black.
    assert all(style == "solid" and width >= 1 and _luminance(colour) < 0.25 for _, style, width, colour in printed)
