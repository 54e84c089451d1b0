"""Hostile input to ``Derivation.from_json``, the renderers of a loaded document, ``Graph.in_variables``,
codegen and the pytest plugin: no code runs, and every attack ends within its budget.

Each attack runs in a worker process under :func:`symderiv.limits.run_with_budget`, with a wall
clock of ``BUDGET`` seconds and an address-space cap (``RLIMIT_AS``) of ``MEMORY_MB`` past what the
worker holds when it starts. An attack passes when it ends inside both with a result or with one of
symderiv's own errors (``ParseError``, a ``LimitError`` of the reader's own limits,
``UnsupportedError``, ``CodegenError``); a ``RecursionError``, ``MemoryError``, any other exception,
or the budget running out fails it. Every payload that is code would create the canary file
``CANARY`` if it ran; after each test the file must not exist.
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, Callable

import pytest
import sympy as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import symderiv as sd
from symderiv.codegen import CodegenError, lambdify, source
from symderiv.errors import LimitError, ParseError, SymderivError, UnsupportedError
from symderiv.limits import run_with_budget
from symderiv.testing.plugin import pytest_assertrepr_compare
from symderiv.render.json_reader import JsonLimits, from_tree

BUDGET = 5.0  # seconds of wall clock per attack
MEMORY_MB = 1024  # address space an attack may add to the worker's
# One name per test run, the same in every pytest-xdist worker (test ids hold it, and the workers
# must collect the same tests).
_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID") or uuid.uuid4().hex
CANARY = Path(tempfile.gettempdir()) / f"symderiv-canary-{_RUN[:32]}"

#: Text that creates CANARY if anything evaluates it, then text that hangs if evaluated.
CODE = [
    f"__import__('os').system('touch {CANARY}')",
    f"open('{CANARY}', 'w').write('ran')",
    f"exec(\"open('{CANARY}', 'w')\")",
    f"eval(\"__import__('pathlib').Path('{CANARY}').touch()\")",
    f"(lambda: __import__('pathlib').Path('{CANARY}').touch())()",
    f"[c for c in ().__class__.__base__.__subclasses__() if c.__name__ == 'catch_warnings'][0]()"
    f"._module.__builtins__['__import__']('pathlib').Path('{CANARY}').touch()",
    f"Symbol('x') + __import__('pathlib').Path('{CANARY}').touch()",
]
HANGS = ["9**9**9**9", "10**10**10", "factorial(10**9)", "Float('1.5', 10**9)"]
PAYLOADS = CODE + HANGS
OURS = (ParseError, LimitError, UnsupportedError, CodegenError)
READER_LIMITS = {f for f in JsonLimits.__dataclass_fields__}


@pytest.fixture(autouse=True)
def no_code_ran():
    yield
    assert not CANARY.exists(), "a payload ran: the canary file was created"


# --- running an attack under the budget -----------------------------------------------------

def _attempt(action: Callable[..., Any], args: tuple[Any, ...]) -> tuple[str, str, Any]:
    try:
        value = action(*args)
    except OURS as error:
        return type(error).__name__, str(error)[:2000], getattr(error, "limit", None)
    except BaseException as error:  # noqa: BLE001 - what escapes is what the test reports
        return "crash", f"{type(error).__name__}: {str(error)[:500]}", None
    return "ok", type(value).__name__, value if isinstance(value, (str, int, float, type(None))) else None


def attack(action: Callable[..., Any], *args: Any, seconds: float = BUDGET) -> tuple[str, str, Any]:
    """``(kind, message, limit-or-value)`` of ``action(*args)`` run in a worker under the budget."""
    try:
        return run_with_budget(_attempt, action, args, timeout=seconds, memory_mb=MEMORY_MB)
    except LimitError as error:
        return "budget", str(error), error.limit


def assert_refused(outcome: tuple[str, str, Any], kind: str, *, limit: str | None = None, says: str = "") -> None:
    got, message, detail = outcome
    assert got == kind, outcome
    if limit is not None:
        assert detail == limit, outcome
    assert says in message, outcome


def assert_handled(outcome: tuple[str, str, Any]) -> None:
    """Ended with a result or one of our own errors; never a crash, and never past the budget."""
    kind, _, detail = outcome
    assert kind in ("ok", "ParseError", "UnsupportedError", "CodegenError", "LimitError"), outcome
    if kind == "LimitError":
        assert detail in READER_LIMITS or detail in ("length", "depth", "nodes", "digits", "number"), outcome


# --- the document attacked ------------------------------------------------------------------

@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    """A real derivation's JSON: its steps hold constants, exponent, introduces, names and values."""
    return json.loads(sd.derive("a*x**3 + sin(b*x)", "x", detail="full").to_json())


def _step_with(document: dict[str, Any], key: str) -> int:
    return next(i for i, s in enumerate(document["steps"]) if key in s["detail"])


def _with_detail(document: dict[str, Any], key: str, value: Any) -> str:
    changed = copy.deepcopy(document)
    index = _step_with(changed, key) if any(key in s["detail"] for s in changed["steps"]) else 0
    changed["steps"][index]["detail"][key] = value
    return json.dumps(changed)


def _with_tree(document: dict[str, Any], tree: Any) -> str:
    """The document with its last step's result replaced by ``tree`` (the chain stays whole)."""
    changed = copy.deepcopy(document)
    changed["steps"][-1]["after"] = {"placeholder": True}
    return json.dumps(changed).replace('{"placeholder": true}', _dumps(tree))


def _dumps(tree: Any) -> str:
    """JSON of a tree nested deeper than ``json.dumps`` recurses: a chain of one-argument ops."""
    chain = []
    while isinstance(tree, dict) and tree.get("args") and len(tree["args"]) == 1 and "op" in tree:
        chain.append(tree["op"])
        tree = tree["args"][0]
    if len(chain) < 100:
        for op in reversed(chain):
            tree = {"op": op, "args": [tree]}
        return json.dumps(tree)
    return "".join(f'{{"op": "{op}", "args": [' for op in chain) + json.dumps(tree) + "]}" * len(chain)


DETAIL_KEYS = ["constants", "introduces", "exponent", "values", "names", "variable"]
FORMS = {
    "scalar": lambda p: p,
    "list": lambda p: {"list": [p]},
    "tuple": lambda p: {"tuple": [{"expr": {"symbol": "x"}}, p]},
    "map key": lambda p: {"map": [[p, {"expr": {"symbol": "x"}}]]},
    "map value": lambda p: {"map": [[{"expr": {"symbol": "u"}}, p]]},
    "dict": lambda p: {"dict": {"u": p}},
}
DETAIL_CASES = [
    (DETAIL_KEYS[n % len(DETAIL_KEYS)], form, payload)
    for n, (form, payload) in enumerate((f, p) for f in FORMS for p in PAYLOADS)
]


@pytest.mark.parametrize("key, form, payload", DETAIL_CASES)
def test_text_where_a_detail_holds_mathematics_is_refused_never_parsed(document, key, form, payload):
    text = _with_detail(document, key, FORMS[form](payload))
    outcome = attack(sd.Derivation.from_json, text)
    assert_refused(outcome, "ParseError", says=f"detail {key!r}")
    assert "step " in outcome[1]


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("render", ["to_text", "to_markdown", "to_latex", "to_json"])
def test_a_document_with_text_in_its_words_renders_without_running_it(document, payload, render):
    """Text is allowed where a document holds words (a function's name in ``detail``, the rule's
    name and explanation, which are rebuilt from the catalog): it is shown or dropped, never run."""
    changed = copy.deepcopy(document)
    step = _step_with(changed, "function")
    changed["steps"][step]["detail"]["function"] = payload
    changed["steps"][step]["name"] = payload
    changed["steps"][step]["explanation"] = payload
    changed["steps"][step]["before_latex"] = payload
    changed["latex"]["expr"] = payload

    def load_and_render(text: str) -> str:
        return getattr(sd.Derivation.from_json(text), render)()

    outcome = attack(load_and_render, json.dumps(changed))
    assert_handled(outcome)
    assert outcome[0] == "ok", outcome


@pytest.mark.parametrize("payload", CODE)
def test_code_as_a_symbol_or_function_name_is_only_a_name(document, payload):
    """A name is never evaluated: a code-shaped name is refused when the document is read."""
    tree = {"op": "Add", "args": [document["steps"][-1]["after"],
                                  {"function": payload, "args": [{"symbol": "x"}]},
                                  {"symbol": payload}]}
    text = _with_tree(document, tree)

    def load_render_and_compile(text: str) -> str:
        derivation = sd.Derivation.from_json(text)
        for render in ("to_text", "to_markdown", "to_latex", "to_json"):
            try:
                getattr(derivation, render)()
            except SymderivError:
                pass  # a renderer may refuse a name it cannot write (UnsafeNameError); it must not run it
        return source(list(derivation.result.free_symbols), derivation.result, backend="math")

    outcome = attack(load_render_and_compile, text)
    if len(payload) > JsonLimits().max_name_length:
        assert_refused(outcome, "LimitError", limit="max_name_length")
    else:  # refused where it is read: a loaded document is one every renderer can print
        assert_refused(outcome, "ParseError", says="cannot be printed safely")


# --- trees: what they may name, and how large their numbers may grow ---------------------------

X = {"symbol": "x"}


def _int(n: int | str) -> dict[str, str]:
    return {"int": str(n)}


def _pow(base: Any, exponent: Any) -> dict[str, Any]:
    return {"op": "Pow", "args": [base, exponent]}


def _nest(op: str, depth: int, leaf: Any = X) -> dict[str, Any]:
    tree = leaf
    for _ in range(depth):
        tree = {"op": op, "args": [tree]}
    return tree


TREE_ATTACKS = [
    # (name, tree, expected error, limit)
    ("eval operator", {"op": "eval", "args": [X]}, "ParseError", None),
    ("__import__ operator", {"op": "__import__", "args": [{"symbol": "os"}]}, "ParseError", None),
    ("getattr operator", {"op": "getattr", "args": [X, X]}, "ParseError", None),
    ("Function operator", {"op": "Function", "args": [X]}, "ParseError", None),
    ("Lambda operator", {"op": "Lambda", "args": [X, X]}, "ParseError", None),
    ("builtins constant", {"const": "__builtins__"}, "ParseError", None),
    ("integer as Python text", {"int": "9**9**9**9"}, "ParseError", None),
    ("integer with exponent", {"int": "1e5"}, "ParseError", None),
    ("integer as a JSON number", {"int": 5}, "ParseError", None),
    ("integer of 5000 digits", _int("9" * 5000), "LimitError", "max_digits"),
    ("rational over zero", {"rational": ["1", "0"]}, "ParseError", None),
    ("rational of 2000-digit denominator", {"rational": ["1", "7" * 2000]}, "LimitError", "max_digits"),
    ("float of precision 10**9", {"float": {"mpf": [0, "3", 0, 2], "precision": 10**9}}, "LimitError",
     "max_float_precision"),
    ("float of exponent 10**15", {"float": {"mpf": [0, "3", 10**15, 2], "precision": 53}}, "LimitError",
     "max_number_bits"),
    ("float mantissa as text code", {"float": {"mpf": [0, CODE[0], 0, 2], "precision": 53}}, "ParseError", None),
    ("float not normalized", {"float": {"mpf": [0, "4", 0, 3], "precision": 53}}, "ParseError", None),
    ("float with bits past its precision", {"float": {"mpf": [0, str(2**99 + 1), 0, 100], "precision": 53}},
     "ParseError", None),
    ("power tower 9^9^9^9", _pow(_int(9), _pow(_int(9), _pow(_int(9), _int(9)))), "LimitError", "max_number_bits"),
    ("2^(10^6)", _pow(_int(2), _int(10**6)), "LimitError", "max_number_bits"),
    ("(1+1)^(10^999)", _pow({"op": "Add", "args": [_int(1), _int(1)]}, _int(10**999)), "LimitError",
     "max_number_bits"),
    ("(2x)^(10^9)", _pow({"op": "Mul", "args": [_int(2), X]}, _int(10**9)), "LimitError", "max_number_bits"),
    ("2^(2^(2^5))", _pow(_int(2), _pow(_int(2), _pow(_int(2), _int(5)))), "LimitError", "max_number_bits"),
    ("exp(10^9 log 2)", {"op": "exp", "args": [{"op": "Mul", "args": [_int(10**9), {"op": "log", "args": [_int(2)]}]}]},
     "LimitError", "max_number_bits"),
    ("exp(exp(exp(exp(100))))", _nest("exp", 4, _int(100)), "LimitError", "max_number_bits"),
    ("cosh tower", _nest("cosh", 4, _int(100)), "LimitError", "max_number_bits"),
    ("square root of a 200-digit number", _pow(_int(10**200 + 1), {"rational": ["1", "2"]}), "LimitError",
     "max_root_digits"),
    ("230 nested exp", _nest("exp", 230), "LimitError", "max_depth"),
    ("230 nested Add", _nest("Add", 230), "LimitError", "max_depth"),
    ("5000 nested exp", _nest("exp", 5000), "LimitError", "max_nesting"),
    ("symbol of 10000 characters", {"symbol": "x" * 10_000}, "LimitError", "max_name_length"),
    ("symbol with a newline", {"symbol": "x\nimport os"}, "ParseError", None),
    ("symbol with a NUL", {"symbol": "x\x00"}, "ParseError", None),
    ("empty symbol", {"symbol": ""}, "ParseError", None),
    ("symbol with a dunder assumption", {"symbol": "x", "assumptions": {"__class__": True}}, "ParseError", None),
    ("symbol with a text assumption", {"symbol": "x", "assumptions": {"real": CODE[0]}}, "ParseError", None),
    ("symbol with contradicting assumptions", {"symbol": "x", "assumptions": {"positive": True, "negative": True}},
     "ParseError", None),
    ("symbol named by a number", {"symbol": 5}, "ParseError", None),
    ("derivative of order 10^9", {"op": "Derivative", "args": [X], "variables": [[X, 10**9]]}, "ParseError", None),
    ("derivative by a number", {"op": "Derivative", "args": [X], "variables": [[_int(2), 1]]}, "ParseError", None),
    ("piecewise of text", {"op": "Piecewise", "pieces": [[CODE[0], CODE[1]]]}, "ParseError", None),
    ("args as text", {"op": "Add", "args": CODE[0]}, "ParseError", None),
    ("tree as text", CODE[0], "ParseError", None),
    ("tree as a list", [X, X], "ParseError", None),
    ("function named by an object", {"function": {"op": "exec"}, "args": []}, "ParseError", None),
]


@pytest.mark.parametrize("name, tree, kind, limit", TREE_ATTACKS, ids=[case[0] for case in TREE_ATTACKS])
def test_hostile_trees_are_refused_before_any_work(document, name, tree, kind, limit):
    outcome = attack(sd.Derivation.from_json, _with_tree(document, tree))
    assert_refused(outcome, kind, limit=limit, says="step " if limit != "max_nesting" else "")


def test_refusals_name_the_step_and_the_key(document):
    outcome = attack(sd.Derivation.from_json, _with_detail(document, "exponent", "x**2"))
    step = _step_with(document, "exponent") + 1
    assert_refused(outcome, "ParseError", says=f"step {step} (power), detail 'exponent'")
    outcome = attack(sd.Derivation.from_json, _with_tree(document, {"op": "eval", "args": []}))
    assert_refused(outcome, "ParseError", says=f"step {len(document['steps'])} ")
    assert "'after'" in outcome[1]


def test_from_tree_alone_is_bounded_too():
    assert_refused(attack(from_tree, _pow(_int(9), _pow(_int(9), _pow(_int(9), _int(9))))), "LimitError",
                   limit="max_number_bits")
    assert_refused(attack(from_tree, _nest("exp", 20_000)), "LimitError", limit="max_depth")


# --- documents: size, nesting, counts ----------------------------------------------------------

def _nested_text(document: dict[str, Any], depth: int) -> str:
    text = json.dumps(document)
    return text[:-1] + ', "padding": ' + "[" * depth + "]" * depth + "}"


def _wide(document: dict[str, Any], count: int) -> str:
    return _with_tree(document, {"op": "Add", "args": [{"int": "1"}] * count})


def _many_steps(document: dict[str, Any], count: int) -> str:
    changed = copy.deepcopy(document)
    changed["steps"] = [changed["steps"][0]] * count
    return json.dumps(changed)


def _large(document: dict[str, Any], size: int) -> str:
    changed = copy.deepcopy(document)
    changed["steps"][0]["explanation"] = "x" * size
    return json.dumps(changed)


DOCUMENT_ATTACKS = [
    ("100000 nested arrays", lambda d: _nested_text(d, 100_000), "LimitError", "max_nesting"),
    ("1000000 nested objects", lambda d: '{"a":' * 1_000_000 + "1" + "}" * 1_000_000, "LimitError", "max_nesting"),
    ("3 MB of escaped quotes, unterminated", lambda d: '"' + '\\"' * 3_000_000, "ParseError", None),
    ("escaped quotes ending in a backslash", lambda d: '"' + '\\"' * 3_000_000 + "\\", "ParseError", None),
    ("1300000 empty objects", lambda d: json.dumps(d)[:-1] + ', "pad": [' + ",".join(["{}"] * 1_300_000) + "]}",
     "LimitError", "max_nodes"),
    ("a sum of 450000 terms", lambda d: _wide(d, 450_000), "LimitError", "max_args"),
    ("120 sums of 4000 terms", lambda d: _with_tree(d, {"op": "Add", "args": [
        {"op": "Add", "args": [{"int": "1"}] * 4000}] * 120}), "LimitError", "max_nodes"),
    ("9 MB of text", lambda d: _large(d, 9_000_000), "LimitError", "max_bytes"),
    ("3000 steps", lambda d: _many_steps(d, 3000), "LimitError", "max_steps"),
    ("20000 detail items", lambda d: _with_detail(d, "constants", {"list": [{"expr": X}] * 20_000}), "LimitError",
     "max_detail_items"),
    ("a 5000-digit JSON number", lambda d: json.dumps(d)[:-1] + ', "n": ' + "9" * 5000 + "}", "LimitError",
     "max_digits"),
    ("negative proof digits", lambda d: json.dumps(_set(d, ["steps", 0, "proof", "digits"], -10**6)),
     "ParseError", None),
    ("proof points as text", lambda d: json.dumps(_set(d, ["steps", 0, "proof", "points"], CODE[0])),
     "ParseError", None),
    ("proof method as code", lambda d: json.dumps(_set(d, ["steps", 0, "proof", "method"], CODE[0])),
     "ParseError", None),
    ("unknown rule", lambda d: json.dumps(_set(d, ["steps", 0, "rule"], "__import__")), "ParseError", None),
    ("strategy as a list", lambda d: json.dumps(_set(d, ["strategy"], [CODE[0]])), "ParseError", None),
    ("wrt as a number", lambda d: json.dumps(_set(d, ["wrt"], _int(2))), "ParseError", None),
    ("steps that do not chain", lambda d: json.dumps(_set(d, ["steps", 0, "after"], X)), "ParseError", None),
    ("steps as an object", lambda d: json.dumps(_set(d, ["steps"], {"0": {}})), "ParseError", None),
    ("no steps", lambda d: json.dumps(_set(d, ["steps"], [])), "ParseError", None),
    ("a step as text", lambda d: json.dumps(_set(d, ["steps", 0], CODE[0])), "ParseError", None),
    ("where as text", lambda d: json.dumps(_set(d, ["steps", 0, "where"], CODE[0])), "ParseError", None),
    ("focus as text", lambda d: json.dumps(_set(d, ["steps", 0, "focus"], CODE[0])), "ParseError", None),
    ("detail as a list", lambda d: json.dumps(_set(d, ["steps", 0, "detail"], [CODE[0]])), "ParseError", None),
    ("unknown detail kind", lambda d: _with_detail(d, "constants", {"eval": CODE[0]}), "ParseError", None),
    ("bytes instead of text", lambda d: json.dumps(d).encode(), "ParseError", None),
    ("not JSON", lambda d: CODE[0], "ParseError", None),
]


def _set(document: dict[str, Any], path: list[Any], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    place = changed
    for key in path[:-1]:
        place = place[key]
    place[path[-1]] = value
    return changed


@pytest.mark.parametrize("name, make, kind, limit", DOCUMENT_ATTACKS, ids=[case[0] for case in DOCUMENT_ATTACKS])
def test_hostile_documents_are_refused_within_budget(document, name, make, kind, limit):
    text = make(document)
    started = time.monotonic()
    outcome = attack(sd.Derivation.from_json, text)
    assert_refused(outcome, kind, limit=limit)
    assert time.monotonic() - started < BUDGET


def test_the_caller_sets_the_limits(document):
    text = _wide(document, 300)
    assert attack(sd.Derivation.from_json, text)[0] == "ok"
    outcome = attack(lambda t: sd.Derivation.from_json(t, limits=JsonLimits(max_nodes=200)), text)
    assert_refused(outcome, "LimitError", limit="max_nodes", says="JsonLimits(max_nodes=...)")
    many = _with_detail(document, "constants", {"list": [{"expr": X}] * 20_000})
    assert_refused(attack(sd.Derivation.from_json, many), "LimitError", limit="max_detail_items")
    raised = JsonLimits(max_detail_items=30_000)
    assert attack(lambda t: sd.Derivation.from_json(t, limits=raised), many)[0] == "ok"


def test_the_committed_documents_still_read_back_equal():
    folder = Path(__file__).resolve().parent.parent / "output" / "json"
    files = sorted(folder.glob("*.json"))
    if not files:
        pytest.skip("output/json is not built")
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert sd.Derivation.from_json(text).to_json() == text, path.name


# --- the other entry points: Graph.in_variables, graph names, codegen, the pytest plugin --------

@pytest.mark.parametrize("payload", PAYLOADS)
def test_in_variables_reads_text_with_the_safe_parser_only(payload):
    outcome = attack(lambda p: sd.graph("x^2 + 1").in_variables(p), payload)
    assert outcome[0] in ("ParseError", "LimitError"), outcome


@pytest.mark.parametrize("payload", CODE[:4])
def test_graph_names_and_named_parts_are_never_evaluated(payload):
    assert attack(lambda p: sd.graph("sin(x^2)", names={p: "x^2"}), payload)[0] in ("UnsupportedError", "ParseError")
    outcome = attack(lambda p: sd.graph("sin(x^2)", names={"z": p}), payload)
    assert outcome[0] in ("ParseError", "LimitError"), outcome


def test_in_variables_still_reads_a_formula_in_the_node_names():
    g = sd.graph("1/(1 + exp(-x))")
    assert g.in_variables(g.output.local_gradients[0]) == -1 / (1 + sp.exp(-sp.Symbol("x"))) ** 2
    assert g.in_variables("x + 1") == sp.Symbol("x") + 1


@pytest.mark.parametrize("payload", CODE[:4] + HANGS[:2])
def test_codegen_reads_text_with_the_safe_parser_only(payload):
    outcome = attack(lambda p: lambdify("x", p, backend="math"), payload)
    assert outcome[0] in ("ParseError", "LimitError"), outcome
    outcome = attack(lambda p: source([p], "x", backend="math"), payload)
    assert outcome[0] in ("CodegenError", "UnsupportedError"), outcome


@pytest.mark.parametrize("name", ["exec", "eval", "open", "__import__", CODE[0], "os.system"])
def test_codegen_refuses_undefined_functions_whose_names_would_be_code(name):
    x = sp.Symbol("x")
    expr = sp.Function(name)(x) + x
    outcome = attack(lambda e: lambdify(x, e, backend="math")(f"open('{CANARY}', 'w')"), expr)
    assert_refused(outcome, "CodegenError", says="undefined function")


def test_codegen_keeps_odd_argument_names_out_of_the_code():
    odd = sp.Symbol(f"x); open('{CANARY}', 'w'); (y")
    written = source([odd], odd + 1, backend="math")
    assert "open" not in written
    assert lambdify([odd], odd + 1, backend="math")(1.0) == 2.0


@pytest.mark.parametrize("payload", CODE[:3] + HANGS[:1])
def test_the_pytest_plugin_never_evaluates_the_other_side(payload):
    outcome = attack(lambda p: pytest_assertrepr_compare(None, "==", p, sp.Symbol("x")), payload)
    assert outcome[0] == "ok", outcome
    outcome = attack(lambda p: sd.binary_cross_entropy(p, "y"), payload)
    assert outcome[0] in ("ParseError", "LimitError"), outcome


# --- fuzzing: random and mutated documents ------------------------------------------------------

JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(PAYLOADS), st.sampled_from(["9" * 3000, "-1", "0", "x", "Add", "exec"]),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(
        st.sampled_from(["int", "op", "args", "symbol", "expr", "map", "tuple", "list", "dict", "const",
                         "float", "function", "rational", "variables", "pieces", "x"]) | st.text(max_size=6),
        inner, max_size=4)),
    max_leaves=12,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, path + (index,))
    return found


@st.composite
def mutated(draw: Any, document: dict[str, Any]) -> str:
    changed = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in _paths(changed) if p]
        path = draw(st.sampled_from(paths))
        parent = changed
        for key in path[:-1]:
            parent = parent[key]
        key = path[-1]
        how = draw(st.sampled_from(["replace", "delete", "wrap", "nest", "duplicate"]))
        if how == "replace":
            parent[key] = draw(JSON_VALUES)
        elif how == "delete" and isinstance(parent, dict):
            del parent[key]
        elif how == "wrap":
            parent[key] = [parent[key]]
        elif how == "nest":
            parent[key] = {draw(st.sampled_from(["expr", "op", "list", "map", "args"])): parent[key]}
        elif how == "duplicate" and isinstance(parent, list):
            parent.insert(key, copy.deepcopy(parent[key]))
    return json.dumps(changed)


def _load_and_check(text: str) -> str:
    """Load; if it loads, it must render and read back equal."""
    derivation = sd.Derivation.from_json(text)
    again = sd.Derivation.from_json(derivation.to_json())
    assert again == derivation
    derivation.to_text()
    return "loaded"


_FUZZ = settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck), database=None)


@pytest.fixture(scope="module")
def small_document() -> dict[str, Any]:
    """The textbook level: the mutations reach into sub-derivations too."""
    return json.loads(sd.derive("a*x**3 + sin(b*x)", "x").to_json())


@_FUZZ
@given(data=st.data())
def test_fuzz_mutated_documents_load_or_raise_our_errors(small_document, data):
    text = data.draw(mutated(small_document))
    outcome = attack(_load_and_check, text)
    assert_handled(outcome)


@_FUZZ
@given(value=JSON_VALUES)
def test_fuzz_random_documents_raise_our_errors(value):
    document = {"format": "symderiv.derivation", "version": 1, "expr": value, "wrt": value,
                "steps": [value] if not isinstance(value, list) else value}
    for text in (json.dumps(value), json.dumps(document)):
        outcome = attack(sd.Derivation.from_json, text)
        assert_handled(outcome)
        assert outcome[0] != "ok", outcome


@_FUZZ
@given(tree=JSON_VALUES)
def test_fuzz_random_trees_build_or_raise_our_errors(tree):
    assert_handled(attack(from_tree, tree))


def test_the_canary_would_be_seen():
    """The check itself works: running a payload does create the file the tests look for."""
    exec(compile(CODE[1], "<payload>", "exec"), {})  # noqa: S102 - proving the canary, on purpose
    try:
        assert CANARY.exists()
    finally:
        os.remove(CANARY)


@pytest.mark.parametrize("name", [f"k) or open('{CANARY}', 'w') or (k", "lambda", "k; import os"])
def test_codegen_refuses_bound_variables_whose_names_would_be_code(name):
    x, n, k = sp.Symbol("x"), sp.Symbol("n"), sp.Symbol(name)
    outcome = attack(lambda: lambdify([x, n], sp.Sum(x**k, (k, 1, n)), backend="math")(2.0, 3))
    assert_refused(outcome, "CodegenError", says="binds a variable")


def test_codegen_still_writes_sums_with_plain_bound_names():
    x, n, k = sp.symbols("x n k")
    assert lambdify([x, n], sp.Sum(x**k, (k, 1, n)), backend="math")(2.0, 3) == 14.0


# --- sub-derivations --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def nested() -> dict[str, Any]:
    """A textbook derivation's JSON: line 2 holds the sub-derivations of the factors."""
    return json.loads(sd.derive("-(y*log(sigmoid(w*x+b)) + (1-y)*log(1-sigmoid(w*x+b)))", "w").to_json())


def _first_sub(document: dict[str, Any]) -> dict[str, Any]:
    return next(step for step in document["steps"] if step.get("substeps"))["substeps"][0]


def test_a_payload_inside_a_sub_derivation_is_refused_naming_where(nested):
    document = copy.deepcopy(nested)
    _first_sub(document)["steps"][0]["detail"]["constants"] = "__import__('os').system('touch /tmp/x')"
    with pytest.raises(ParseError, match=r"step 2, sub-derivation 1, step 1 \(\w+\), detail 'constants'"):
        sd.Derivation.from_json(json.dumps(document))


def test_a_sub_derivation_that_does_not_chain_is_refused(nested):
    document = copy.deepcopy(nested)
    sub = _first_sub(document)
    sub["steps"][0]["before"] = {"int": "1"}
    with pytest.raises(ParseError, match="sub-derivation 1, the derivation"):
        sd.Derivation.from_json(json.dumps(document))


def test_sub_derivations_nested_past_the_limit_are_refused_before_reading_them(nested):
    document = copy.deepcopy(nested)
    chain = _first_sub(document)
    innermost = chain
    for _ in range(JsonLimits().max_sub_depth + 2):  # each level one step whose sub is the next
        level = copy.deepcopy(chain)
        level["steps"][0]["substeps"] = [innermost]
        innermost = level
    step = next(step for step in document["steps"] if step.get("substeps"))
    step["substeps"] = [innermost]
    with pytest.raises(LimitError, match="max_sub_depth") as error:
        sd.Derivation.from_json(json.dumps(document))
    assert error.value.limit == "max_sub_depth"


def test_steps_are_counted_across_every_sub_derivation(nested):
    text = json.dumps(nested)
    total = text.count('"rule":')
    sd.Derivation.from_json(text, limits=JsonLimits(max_steps=total))
    with pytest.raises(LimitError, match="max_steps"):
        sd.Derivation.from_json(text, limits=JsonLimits(max_steps=total - 1))


def test_substeps_must_be_a_list_of_objects(nested):
    document = copy.deepcopy(nested)
    step = next(step for step in document["steps"] if step.get("substeps"))
    for bad in ("x", [1], {"steps": []}):
        step["substeps"] = bad
        with pytest.raises(ParseError, match="sub-derivation|substeps"):
            sd.Derivation.from_json(json.dumps(document))
