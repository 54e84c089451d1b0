"""Reading a derivation's JSON document back, without evaluating any text, within :class:`JsonLimits`.

The schema is in :mod:`symderiv.render.json_format`, which writes it; the expression trees and
detail values are read by :mod:`symderiv.render.json_trees`. A document is a chain of steps,
each with its proof and its sub-derivations (chains of their own, nested at most
``max_sub_depth`` deep); ``max_steps`` bounds the steps of all chains together.
"""

from __future__ import annotations

import json
import math
from typing import Any

import sympy as sp

from ..core.report import CheckReport, StepProof
from ..core.rule_ids import RULES
from ..core.steps import Step
from ..errors import LimitError, ParseError
from .json_format import FORMAT, VERSION, WORD_DETAILS
from .json_trees import DEFAULT_JSON_LIMITS, JsonLimits, _check_text_shape, _kind, _Reader, _shown, from_tree

__all__ = ["load", "from_tree", "JsonLimits", "DEFAULT_JSON_LIMITS"]


def load(text: str, derivation_class: type, *, limits: JsonLimits = DEFAULT_JSON_LIMITS) -> Any:
    """Read a derivation written by :func:`render` back into an equal ``derivation_class``.

    ``derivation_class`` is :class:`~symderiv.Derivation` (``Derivation.from_json`` passes
    itself: render/ sits below the class and does not import it).

    Nothing in the text is evaluated: trees build only the operators of :data:`OPERATORS`, every
    detail that holds mathematics must be a tree, and ``limits`` (:class:`JsonLimits`) bound the
    document's size, nesting, numbers and names before any work is done. A malformed document
    raises :class:`~symderiv.ParseError`, one past a limit :class:`~symderiv.LimitError`; each
    names the step and key where the problem is.
    """
    if not isinstance(text, str):
        raise ParseError(f"from_json reads JSON text, not {type(text).__name__}")
    _check_text_shape(text, limits)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ParseError(f"not JSON: {error.msg}", text=text, position=error.pos) from None
    except (ValueError, RecursionError) as error:  # integers past Python's 4300 digits
        raise LimitError(f"the JSON document holds a value too large to read: {error}", limit="max_digits") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ParseError(f"not a symderiv derivation (expected \"format\": \"{FORMAT}\")")
    if document.get("version") != VERSION:
        raise ParseError(f"unsupported version {document.get('version')!r:.40}; this symderiv reads {VERSION}")
    return _chain(_Reader(limits), document, derivation_class, depth=0, place="")


def _chain(reader: _Reader, entry: dict[str, Any], derivation_class: type, *, depth: int, place: str) -> Any:
    """One chain: the document itself (``depth`` 0) or a step's sub-derivation, with its steps'
    proofs as its report and their sub-derivations read in turn. ``place`` prefixes every
    position named in an error ("step 3, sub-derivation 1, ")."""
    entries = _field(reader, entry, "steps", list)
    reader.steps += len(entries)
    if reader.steps > reader.limits.max_steps:
        raise reader.limit("max_steps", f"the document has {reader.steps} or more steps")
    steps, proofs = [], []
    for index, item in enumerate(entries, start=1):
        reader.path = f"{place}step {index}"
        if not isinstance(item, dict):
            raise reader.error(f"a step must be an object, not {_kind(item)}")
        subs = _subs(reader, item, derivation_class, depth=depth, place=f"{place}step {index}, ")
        reader.path = f"{place}step {index}"
        steps.append(_step(reader, item, Step, subs))
        reader.path = f"{place}step {index}, proof"
        proofs.append(_proof(reader, item.get("proof")))
    reader.path = f"{place}the derivation"
    expr = _read(reader, entry, "expr")
    wrt = _read(reader, entry, "wrt")
    if not isinstance(wrt, (sp.Symbol, sp.MatrixSymbol)):
        raise ParseError(f"{place}the derivation: 'wrt' must be a symbol or a matrix symbol, not {_shown(wrt)}")
    variables = _variables(reader, entry, wrt, place)
    strategy = reader.text(entry.get("strategy", "textbook"), "'strategy'")
    if steps and steps[0].before != sp.Derivative(expr, *variables):
        raise ParseError(f"{place}the derivation: its first step starts from {_shown(steps[0].before)}, "
                         f"not from the derivative of {_shown(expr)} with respect to "
                         f"{', '.join(str(v) for v in variables)}")
    try:
        derivation = derivation_class(expr=expr, wrt=wrt, steps=tuple(steps), strategy=strategy,
                                      variables=variables)
    except ValueError as error:
        raise ParseError(f"{place}the derivation: {error}") from None
    if proofs and all(proof is not None for proof in proofs):
        report = CheckReport(tuple(
            StepProof(index=i, rule=steps[i].rule, method=p["method"], points=p["points"],
                      max_error=p["max_error"], digits=p["digits"])
            for i, p in enumerate(proofs) if p is not None
        ))
        derivation = derivation.with_report(report)
    return derivation


def _variables(reader: _Reader, entry: dict[str, Any], wrt: sp.Symbol, place: str) -> tuple[sp.Symbol, ...]:
    """A derivative of higher order's ``variables``, one symbol per differentiation, the first
    ``wrt``, at most ``max_order``; ``(wrt,)`` when the key is absent (a first derivative)."""
    if "variables" not in entry:
        return (wrt,)
    items = _field(reader, entry, "variables", list)
    if len(items) > reader.limits.max_order:
        raise reader.limit("max_order", f"the derivation has order {len(items)}")
    variables = tuple(reader.tree(item, 0) for item in items)
    if not variables or not all(isinstance(v, sp.Symbol) for v in variables) or variables[0] != wrt:
        raise ParseError(f"{place}the derivation: 'variables' must be symbols, the first of them 'wrt'")
    return variables  # type: ignore[return-value]


def _subs(reader: _Reader, item: dict[str, Any], derivation_class: type, *, depth: int, place: str) -> tuple[Any, ...]:
    """A step's ``substeps``: a list of chains, each read by :func:`_chain` one level deeper."""
    if "substeps" not in item:
        return ()
    entries = item["substeps"]
    if not isinstance(entries, list):
        raise reader.error(f"'substeps' must be a list of derivations, not {_kind(entries)}")
    if entries and depth + 1 > reader.limits.max_sub_depth:
        raise reader.limit("max_sub_depth", f"sub-derivations nest {depth + 1} deep")
    chains = []
    for number, sub in enumerate(entries, start=1):
        where = f"{place}sub-derivation {number}, "
        if not isinstance(sub, dict):
            reader.path = where.rstrip(", ")
            raise reader.error(f"a sub-derivation must be an object, not {_kind(sub)}")
        chains.append(_chain(reader, sub, derivation_class, depth=depth + 1, place=where))
    return tuple(chains)


def _field(reader: _Reader, entry: dict[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
    if key not in entry:
        raise reader.error(f"the key {key!r} is missing")
    value = entry[key]
    if not isinstance(value, kind):
        wanted = {dict: "an object", list: "a list", str: "text"}.get(kind, "a number")  # type: ignore[call-overload]
        raise reader.error(f"{key!r} must be {wanted}, not {_kind(value)}")
    return value


def _read(reader: _Reader, entry: dict[str, Any], key: str) -> sp.Basic:
    """The tree at ``entry[key]``, with ``key`` named in any error."""
    place = reader.path
    reader.path = f"{place}, {key!r}"
    value = reader.tree(_field(reader, entry, key, dict))
    reader.path = place
    return value


def _step(reader: _Reader, entry: dict[str, Any], step_class: type, substeps: tuple[Any, ...] = ()) -> Any:
    place = reader.path
    rule = reader.text(_field(reader, entry, "rule", str), "'rule'")
    if rule not in RULES:
        raise reader.error(f"unknown rule {rule!r:.60}")
    reader.path = f"{place} ({rule})"
    before, after = _read(reader, entry, "before"), _read(reader, entry, "after")
    where = {}
    for pair in entry.get("where", []) if isinstance(entry.get("where", []), list) else [None]:
        reader.path = f"{place} ({rule}), 'where'"
        if not isinstance(pair, dict):
            raise reader.error("'where' must be a list of {\"symbol\": TREE, \"value\": TREE}")
        symbol = _read(reader, pair, "symbol")
        if not isinstance(symbol, sp.Symbol):
            raise reader.error(f"a substitution names a symbol, not {_shown(symbol)}")
        where[symbol] = _read(reader, pair, "value")
    focus = entry.get("focus")
    if focus is not None:
        reader.path = f"{place} ({rule}), 'focus'"
        if not isinstance(focus, dict):
            raise reader.error("'focus' must be {\"part\": TREE, \"replacement\": TREE} or null")
        focus = (_read(reader, focus, "part"), _read(reader, focus, "replacement"))
    parts_in = entry.get("parts", [])
    reader.path = f"{place} ({rule}), 'parts'"
    if not isinstance(parts_in, list) or len(parts_in) > reader.limits.max_detail_items:
        raise reader.error(f"'parts' must be a list of at most {reader.limits.max_detail_items} "
                           "{\"part\": TREE, \"replacement\": TREE}")
    parts = []
    for pair in parts_in:
        if not isinstance(pair, dict):
            raise reader.error("'parts' must be a list of {\"part\": TREE, \"replacement\": TREE}")
        parts.append((_read(reader, pair, "part"), _read(reader, pair, "replacement")))
    detail_in = entry.get("detail", {})
    if not isinstance(detail_in, dict):
        raise ParseError(f"{place} ({rule}): 'detail' must be an object, not {_kind(detail_in)}")
    budget = [reader.limits.max_detail_items]
    detail = {}
    for key, value in detail_in.items():
        reader.path = f"{place} ({rule}), detail {key!r:.60}"
        key = reader.text(key, "a detail key")
        detail[key] = reader.value(value, math_field=key not in WORD_DETAILS, budget=budget)
    reader.path = place
    return step_class(rule=rule, before=before, after=after, where=where, focus=focus, detail=detail,
                      substeps=substeps, parts=tuple(parts))


def _proof(reader: _Reader, proof: Any) -> dict[str, Any] | None:
    if proof is None:
        return None
    if not isinstance(proof, dict):
        raise reader.error(f"must be an object or null, not {_kind(proof)}")
    method = reader.text(_field(reader, proof, "method", str), "'method'")
    if method not in ("identical", "symbolic", "numeric"):
        raise reader.error(f"unknown proof method {method!r:.60}")
    error = _field(reader, proof, "max_error", (int, float))
    if isinstance(error, bool) or not (error >= 0 or math.isnan(error)):
        raise reader.error(f"'max_error' must be a number from 0, not {error!r}")
    return {
        "method": method,
        "points": reader.integer(proof.get("points"), "'points'", 0, 10**6),
        "max_error": float(error),
        "digits": reader.integer(proof.get("digits"), "'digits'", 1, 100_000),
    }
