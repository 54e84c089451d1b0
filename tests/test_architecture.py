"""The layout of docs/ARCHITECTURE.md holds: imports run one way, modules stay small.

The import graph is read from the source with ``ast``: module-level imports, imports inside
functions and imports under ``TYPE_CHECKING`` all count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "symderiv"
MAX_LINES = 600

#: The layer of each part of the package, from docs/ARCHITECTURE.md; the longest prefix wins.
LAYERS = {
    "symderiv.core": 0,
    "symderiv.errors": 0,
    "symderiv.limits": 0,
    "symderiv.process_budget": 0,
    "symderiv.extras": 0,
    "symderiv.parse": 1,
    "symderiv.proof": 2,
    "symderiv.render": 3,
    "symderiv.locales": 3,
    "symderiv.core.derivation": 4,
    "symderiv.codegen": 4,
    "symderiv.calculus": 5,
    "symderiv.models": 6,
    "symderiv.testing": 7,
    "symderiv.documents": 8,
    "symderiv.cli": 9,
    "symderiv.web": 9,
    "symderiv.__main__": 9,
}


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """The symderiv modules ``name`` imports, anywhere in its source."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            submodules = {f"{base}.{alias.name}" for alias in node.names} & MODULES.keys()
            # `from . import engine` imports the module engine, not the package's __init__
            targets |= submodules if len(submodules) == len(node.names) else {base} | submodules
    return {t for t in targets if t in MODULES and t != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _layer(name: str) -> int | None:
    matches = [prefix for prefix in LAYERS if name == prefix or name.startswith(prefix + ".")]
    return LAYERS[max(matches, key=len)] if matches else None


def _cycles() -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(GRAPH):
        if v not in index:
            visit(v)
    return found


def test_the_graph_is_read_from_every_module():
    assert {"symderiv.core.steps", "symderiv.calculus.engine", "symderiv.render.html"} <= MODULES.keys()
    assert "symderiv.core.steps" in GRAPH["symderiv.calculus.walk"]


def test_there_is_no_import_cycle_not_even_inside_functions():
    assert _cycles() == []


def test_every_module_has_a_layer():
    assert [name for name in MODULES if name != "symderiv" and _layer(name) is None] == []


def test_no_module_imports_a_layer_above_its_own():
    upward = [
        f"{name} (layer {_layer(name)}) imports {target} (layer {_layer(target)})"
        for name, targets in sorted(GRAPH.items()) if name != "symderiv"
        for target in sorted(targets)
        if (_layer(target) or 0) > (_layer(name) or 0)
    ]
    assert upward == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_longer_than_600_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{name} has {lines} lines"


def test_the_cycle_finder_finds_a_cycle():
    saved = dict(GRAPH)
    try:
        GRAPH["symderiv.core.steps"] = GRAPH["symderiv.core.steps"] | {"symderiv.calculus.engine"}
        assert any("symderiv.core.steps" in cycle for cycle in _cycles())
    finally:
        GRAPH.clear()
        GRAPH.update(saved)
