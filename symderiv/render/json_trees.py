"""Reading symderiv's expression trees back, without evaluating any text, within :class:`JsonLimits`.

The schema is in :mod:`symderiv.render.json_format`, which writes it. Trees build only the
operators of :data:`~symderiv.render.json_format.OPERATORS`; every detail that holds mathematics
must be a tree; names must be ones every renderer prints safely; and the limits bound the
document's size, nesting, numbers and names before any work is done.

>>> import sympy as sp
>>> from symderiv.render.json_format import to_tree
>>> x = sp.Symbol("x")
>>> from_tree(to_tree(sp.Add(1, sp.exp(-x), -1, evaluate=False))) == sp.Add(1, sp.exp(-x), -1, evaluate=False)
True
>>> from_tree({"op": "__import__", "args": []})
Traceback (most recent call last):
...
symderiv.errors.ParseError: the expression: unknown operator '__import__'
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from typing import Any, Mapping

import sympy as sp
from sympy.core.assumptions import _assume_defined
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from ..core.functions import softplus
from ..errors import LimitError, ParseError
from ..limits import expression_size
from ..parse.limits import DEFAULT_LIMITS, LOG2_10
from ..core.matrices import DifferentialSymbol
from .json_format import _CONSTANTS, MATRIX_OPERATORS, OPERATORS
from .names import UnsafeNameError, check_name

__all__ = ["from_tree", "JsonLimits", "DEFAULT_JSON_LIMITS"]


@dataclass(frozen=True)
class JsonLimits:
    """What :func:`load` reads before it refuses a document, each checked before the work it bounds.

    - ``max_bytes``: size of the document (UTF-8 bytes).
    - ``max_nesting``: how deeply JSON arrays and objects nest, checked before ``json.loads``
      (a tree of ``max_depth`` takes twice as many levels; Python's reader stops near 1000).
    - ``max_steps``: steps of the derivation, its sub-derivations' steps included.
    - ``max_sub_depth``: how deeply sub-derivations nest (a step's sub-derivation is 1).
    - ``max_nodes``: expression-tree nodes in the whole document.
    - ``max_depth``: how deeply one expression tree nests.
    - ``max_args``: arguments of one operation (terms of one sum, factors of one product).
    - ``max_digits``: digits of an integer or of a rational's numerator or denominator.
    - ``max_float_precision``: bits of precision of a Float (a Float of 1000 digits has 3322).
    - ``max_number_bits``: how large (in bits) a number that SymPy would compute from the tree
      may grow: ``9**(9**9)`` written as a tree of powers is refused before anything is computed.
    - ``max_root_digits``: digits of a number under a fractional power (SymPy factors it).
    - ``max_name_length``: characters of a symbol's or function's name.
    - ``max_detail_items``: values in one step's ``detail`` (containers' items counted).
    - ``max_text_length``: characters of a rule id, strategy or other word.
    - ``max_order``: the order of one derivative, its variables' counts together (a tree's
      ``Derivative``, a derivation's ``variables``).

    Past a limit, a :class:`~symderiv.LimitError` whose ``limit`` is the field's name. Raise one
    with ``Derivation.from_json(text, limits=JsonLimits(max_bytes=...))``.

    >>> JsonLimits().max_depth
    200
    """

    max_bytes: int = 8_000_000
    max_nesting: int = 500
    max_steps: int = 2_000
    max_sub_depth: int = 8
    max_nodes: int = 400_000
    max_depth: int = 200
    max_args: int = 5_000
    max_digits: int = DEFAULT_LIMITS.max_digits
    max_float_precision: int = math.ceil(DEFAULT_LIMITS.max_bits) + 64
    max_number_bits: int = 10 * math.ceil(DEFAULT_LIMITS.max_bits)
    max_root_digits: int = DEFAULT_LIMITS.max_root_digits
    max_name_length: int = 200
    max_detail_items: int = 10_000
    max_text_length: int = 1_000
    max_order: int = 100


DEFAULT_JSON_LIMITS = JsonLimits()

#: SymPy's assumption names: the only keys a symbol's ``assumptions`` may hold.
_ASSUMPTIONS = frozenset(_assume_defined)
#: Functions whose value SymPy may compute as exp(a) would (exact powers of e and of numbers).
_EXPONENTIAL = (sp.exp, sp.sinh, sp.cosh, softplus)
_LN2 = math.log(2)


class _Reader:
    """Builds SymPy objects from trees under :class:`JsonLimits`; ``path`` names the place read."""

    def __init__(self, limits: JsonLimits = DEFAULT_JSON_LIMITS) -> None:
        self.limits = limits
        self.nodes = 0
        self.steps = 0  # steps read so far, in every chain of the document
        self.path = "the expression"
        self.bits: dict[int, float] = {}

    # --- errors, naming where ---------------------------------------------------------------
    def error(self, message: str) -> ParseError:
        return ParseError(f"{self.path}: {message}")

    def limit(self, field: str, message: str) -> LimitError:
        value = getattr(self.limits, field)
        return LimitError(
            f"{self.path}: {message}, more than {field} = {value} allows "
            f"(raise it with limits=JsonLimits({field}=...))",
            limit=field,
        )

    def text(self, value: Any, what: str, *, limit: int | None = None) -> str:
        if not isinstance(value, str):
            raise self.error(f"{what} must be a string, not {_kind(value)}")
        if len(value) > (limit or self.limits.max_text_length):
            field = "max_name_length" if limit else "max_text_length"
            raise self.limit(field, f"{what} has {len(value)} characters")
        if not value.isprintable():
            raise self.error(f"{what} {value[:40]!r} holds characters that do not print")
        return value

    def name(self, value: Any, what: str) -> str:
        """A symbol's or function's name: one that every renderer prints safely, or a ParseError here."""
        name = self.text(value, what, limit=self.limits.max_name_length)
        try:
            return check_name(name)
        except UnsafeNameError as error:
            raise self.error(str(error)) from None

    def integer(self, value: Any, what: str, low: int, high: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.error(f"{what} must be a whole number from {low} to {high}, not {value!r:.60}")
        return value

    def digits(self, value: Any, what: str) -> int:
        """A decimal integer written as a string (``"-12"``), its length checked before ``int``."""
        if not isinstance(value, str):
            raise self.error(f"{what} must be written as a string of digits, not {_kind(value)}")
        body = value[1:] if value[:1] == "-" else value
        if len(body) > self.limits.max_digits:
            raise self.limit("max_digits", f"{what} has {len(body)} digits")
        if not body or not body.isascii() or not body.isdigit():
            raise self.error(f"{what} must be a string of digits, not {value[:40]!r}")
        return int(value)

    # --- trees ------------------------------------------------------------------------------
    def tree(self, node: Any, depth: int = 0) -> sp.Basic:
        self.nodes += 1
        if self.nodes > self.limits.max_nodes:
            raise self.limit("max_nodes", f"the document holds over {self.limits.max_nodes} tree nodes")
        if depth > self.limits.max_depth:
            raise self.limit("max_depth", f"an expression nests over {self.limits.max_depth} deep")
        if not isinstance(node, dict):
            raise self.error(f"an expression tree must be an object, not {_kind(node)}")
        expr, bits = self._build(node, depth)
        if bits > self.limits.max_number_bits:
            raise self.limit("max_number_bits", f"{_shown(expr)} would compute a number of about {_amount(bits)} bits")
        self.bits[id(expr)] = bits
        return expr

    def _build(self, node: dict[str, Any], depth: int) -> tuple[sp.Basic, float]:
        """One node: a number or a name (a leaf), else an operation on its ``args``."""
        for key, reader in _LEAVES:
            if key in node:
                return getattr(self, reader)(node[key], node)
        args = self.trees(node.get("args", []), "args", depth)
        if "function" in node:
            return self._function(node["function"], args)
        op = node.get("op")
        if op == "Derivative":
            return self._derivative(node, args, depth)
        if op == "Piecewise":
            return self._piecewise(node, depth)
        if op == "ElementwiseApplyFunction":
            return self._elementwise(node, args, depth)
        return self._operation(op, args)

    # The leaf readers (see _LEAVES): each gets its key's content and the whole node.
    def _integer(self, content: Any, node: dict[str, Any]) -> tuple[sp.Basic, float]:
        value = self.digits(content, "an integer")
        return sp.Integer(value), _log2(value)

    def _rational(self, pair: Any, node: dict[str, Any]) -> tuple[sp.Basic, float]:
        if not isinstance(pair, list) or len(pair) != 2:
            raise self.error("a rational must be [numerator, denominator]")
        p, q = self.digits(pair[0], "a numerator"), self.digits(pair[1], "a denominator")
        if q == 0:
            raise self.error("a rational's denominator is 0")
        return sp.Rational(p, q), max(_log2(p), _log2(q))

    def _constant(self, name: Any, node: dict[str, Any]) -> tuple[sp.Basic, float]:
        if not isinstance(name, str) or name not in _CONSTANTS:
            raise self.error(f"unknown constant {name!r:.60}")
        return _CONSTANTS[name], 2.0

    def _named_symbol(self, name: Any, node: dict[str, Any]) -> tuple[sp.Basic, float]:
        return self._symbol(node), 0.0

    def _matrix_symbol(self, name: Any, node: dict[str, Any]) -> tuple[sp.Basic, float]:
        name = self.name(name, "a matrix's name")
        shape = node.get("shape")
        if not isinstance(shape, list) or len(shape) != 2:
            raise self.error(f"matrix {name!r}: its shape must be [rows, columns]")
        rows, cols = (self.tree(d) for d in shape)
        if not all(isinstance(d, (sp.Integer, sp.Symbol)) and d.is_positive is not False for d in (rows, cols)):
            raise self.error(f"matrix {name!r}: its rows and columns must be positive whole numbers or symbols")
        cls = DifferentialSymbol if node.get("differential") is True else sp.MatrixSymbol
        return cls(name, rows, cols), 0.0

    def _elementwise(self, node: dict[str, Any], args: list[sp.Basic], depth: int) -> tuple[sp.Basic, float]:
        """f.(U): a function applied entry by entry, given as its bound symbol and its body."""
        if len(args) != 1 or not isinstance(node.get("bound"), dict) or not isinstance(node.get("body"), dict):
            raise self.error("an ElementwiseApplyFunction is {bound, body, args: [matrix]}")
        bound = self.tree(node["bound"], depth + 1)
        body = self.tree(node["body"], depth + 1)
        if not isinstance(bound, sp.Symbol) or not isinstance(args[0], sp.MatrixExpr) or isinstance(body, sp.MatrixExpr):
            raise self.error("an ElementwiseApplyFunction applies a scalar body in one symbol to a matrix")
        return ElementwiseApplyFunction(sp.Lambda(bound, body), args[0]), max(self._most(args), self.bits[id(body)])

    def _function(self, name: Any, args: list[sp.Basic]) -> tuple[sp.Basic, float]:
        name = self.name(name, "a function's name")
        try:
            return sp.Function(name)(*args), self._most(args)
        except (TypeError, ValueError) as error:
            raise self.error(f"function {name[:40]!r}: {str(error)[:100]}") from None

    def _piecewise(self, node: dict[str, Any], depth: int) -> tuple[sp.Basic, float]:
        pieces = node.get("pieces")
        if not isinstance(pieces, list) or not all(isinstance(p, list) and len(p) == 2 for p in pieces):
            raise self.error("a Piecewise's pieces must be [[value, condition], ...]")
        built = [(self.tree(e, depth + 1), self.tree(c, depth + 1)) for e, c in pieces]
        parts = [part for piece in built for part in piece]
        try:
            return sp.Piecewise(*built, evaluate=False), self._most(parts)
        except (TypeError, ValueError, AttributeError) as error:
            raise self.error(f"Piecewise: {str(error)[:100]}") from None

    def _operation(self, op: Any, args: list[sp.Basic]) -> tuple[sp.Basic, float]:
        if not isinstance(op, str) or op not in OPERATORS:
            raise self.error(f"unknown operator {op!r:.60}")
        cls = OPERATORS[op]
        bits = self._bits(cls, args)
        try:
            if cls is sp.UnevaluatedExpr or op in MATRIX_OPERATORS:
                return cls(*args), bits
            return cls(*args, evaluate=False), bits
        except (TypeError, ValueError, AttributeError, IndexError) as error:
            raise self.error(f"{op} cannot be built from {len(args)} argument(s): {str(error)[:100]}") from None

    def trees(self, items: Any, what: str, depth: int) -> list[sp.Basic]:
        if not isinstance(items, list):
            raise self.error(f"{what} must be a list of trees, not {_kind(items)}")
        if len(items) > self.limits.max_args:
            raise self.limit("max_args", f"an operation has {len(items)} arguments")
        return [self.tree(item, depth + 1) for item in items]

    def _float(self, content: Any, node: dict[str, Any] | None = None) -> tuple[sp.Float, float]:
        if not isinstance(content, dict) or not isinstance(content.get("mpf"), list) or len(content["mpf"]) != 4:
            raise self.error('a float must be {"mpf": [sign, "mantissa", exponent, bits], "precision": n}')
        precision = self.integer(content.get("precision"), "a float's precision", 1, 10**18)
        if precision > self.limits.max_float_precision:
            raise self.limit("max_float_precision", f"a float asks for {precision} bits of precision")
        sign, mantissa, exponent, bits = content["mpf"]
        sign = self.integer(sign, "a float's sign", 0, 1)
        mantissa = self.digits(mantissa, "a float's mantissa")
        exponent = self.integer(exponent, "a float's exponent", -10**18, 10**18)
        bits = self.integer(bits, "a float's bit count", 0, precision)
        if mantissa < 0 or bits != mantissa.bit_length() or (mantissa and not mantissa & 1) or (
            not mantissa and (sign, exponent) != (0, 0)
        ):
            raise self.error("a float's mpf is not normalized (an odd mantissa of the given bit count, or 0)")
        magnitude = abs(exponent + bits) if mantissa else 0
        if magnitude > self.limits.max_number_bits:
            raise self.limit("max_number_bits", f"a float of about 2^{exponent + bits}")
        return sp.Float._new((sign, mantissa, exponent, bits), precision), float(max(magnitude, bits))

    def _symbol(self, node: dict[str, Any]) -> sp.Symbol:
        name = self.name(node["symbol"], "a symbol's name")
        if not name:
            raise self.error("a symbol's name is empty")
        assumptions = node.get("assumptions", {})
        if not isinstance(assumptions, dict) or not all(
            k in _ASSUMPTIONS and isinstance(v, bool) for k, v in assumptions.items()
        ):
            raise self.error(f"symbol {name!r}: assumptions must map SymPy's assumption names to true or false")
        try:
            return sp.Symbol(name, **assumptions)
        except ValueError as error:  # InconsistentAssumptions
            raise self.error(f"symbol {name!r}: {error}") from None

    def _derivative(self, node: dict[str, Any], args: list[sp.Basic], depth: int) -> tuple[sp.Basic, float]:
        if len(args) != 1:
            raise self.error("a Derivative has one argument")
        variables = node.get("variables")
        if not isinstance(variables, list) or not variables or not all(
            isinstance(v, list) and len(v) == 2 for v in variables
        ):
            raise self.error("a Derivative's variables must be [[symbol, count], ...]")
        pairs = []
        for variable, count in variables:
            symbol = self.tree(variable, depth + 1)
            if not isinstance(symbol, (sp.Symbol, sp.MatrixSymbol)):
                raise self.error(f"a Derivative is taken with respect to a symbol, not {_shown(symbol)}")
            pairs.append((symbol, self.integer(count, "a derivative's order", 1, self.limits.max_order)))
        total = sum(count for _, count in pairs)
        if total > self.limits.max_order:
            raise self.limit("max_order", f"a Derivative has order {total}")
        try:
            return sp.Derivative(args[0], *pairs, evaluate=False), self._most(args)
        except (TypeError, ValueError, AttributeError) as error:
            raise self.error(f"Derivative: {str(error)[:100]}") from None

    # --- how big would SymPy's numbers get? --------------------------------------------------
    def _most(self, args: list[sp.Basic]) -> float:
        return max((self.bits[id(a)] for a in args), default=0.0)

    def _bits(self, cls: type, args: list[sp.Basic]) -> float:
        """An upper bound, in bits, on the numbers SymPy computes when it evaluates ``cls(*args)``.

        Products combine their numbers, and sums their numeric terms (a sum of fractions multiplies
        denominators); terms with symbols keep their own coefficients; a
        power with a numeric exponent raises its base's numbers to it; exp(a) computes e^a's exact
        powers (``exp(c*log(n)) = n**c``). Each argument's own bound was checked when it was read,
        so the magnitudes used here are bounded too.
        """
        sizes = [self.bits[id(a)] for a in args]
        if cls is sp.Mul:
            return sum(sizes)
        if cls is sp.Add:
            numeric = sum(size for arg, size in zip(args, sizes) if not arg.free_symbols)
            return max(sizes, default=0.0) + numeric + math.log2(len(args) + 1)
        if cls is sp.Pow and len(args) == 2:
            base, exponent = args
            if exponent.free_symbols:
                return max(sizes)
            reach = _reach(exponent, sizes[1])
            if isinstance(exponent, sp.Rational) and exponent.q != 1 and sizes[0] / LOG2_10 > self.limits.max_root_digits:
                raise self.limit("max_root_digits", f"{_shown(base)} would be factored for a fractional power")
            return sizes[0] * reach + sizes[1]
        if cls in _EXPONENTIAL and len(args) == 1:
            terms = sp.Add.make_args(args[0])
            constants = [self.bits.get(id(t), sizes[0]) for t in terms if not t.free_symbols]
            return max([sizes[0]] + [_reach(None, size) / _LN2 for size in constants])
        return max(sizes, default=0.0)

    # --- detail values ----------------------------------------------------------------------
    def value(self, value: Any, *, math_field: bool, budget: list[int]) -> Any:
        """A detail value. In a field that holds mathematics (any key but :data:`WORD_DETAILS`),
        every leaf is an expression tree (or a JSON integer): text there is an error, never parsed."""
        budget[0] -= 1
        if budget[0] < 0:
            raise self.limit("max_detail_items", "the step's detail holds too many values")
        if isinstance(value, (bool, int, str, float)) or value is None:
            return self._plain_value(value, math_field)
        if not isinstance(value, dict) or len(value) != 1:
            raise self.error(f"cannot read the detail value {_shown(value)}")
        (kind, content), = value.items()
        if kind == "expr":
            return self.tree(content)
        if kind in ("tuple", "list", "map"):
            return self._sequence_value(kind, content, math_field, budget)
        if kind == "dict":
            if math_field:
                raise self.error("holds a 'dict' (text keys) where expressions are expected; use 'map'")
            if not isinstance(content, dict):
                raise self.error(f"a 'dict' detail value must hold an object, not {_kind(content)}")
            return {self.text(k, "a detail key"): self.value(v, math_field=False, budget=budget)
                    for k, v in content.items()}
        raise self.error(f"unknown detail value kind {kind!r:.60}")

    def _plain_value(self, value: bool | int | str | float | None, math_field: bool) -> Any:
        """A JSON scalar: an integer becomes SymPy's in a mathematics field; text, a float or
        true/false there is an error."""
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return sp.Integer(self.digits(str(value), "an integer")) if math_field else value
        if math_field:
            if isinstance(value, bool):
                raise self.error(f"holds {value!r} where an expression tree is expected")
            raise self.error(
                f"holds {_kind(value)} {value!r:.60} where an expression tree is expected "
                '(write {"expr": TREE}; text is never evaluated)'
            )
        return self.text(value, "a detail word") if isinstance(value, str) else value

    def _sequence_value(self, kind: str, content: Any, math_field: bool, budget: list[int]) -> Any:
        """A ``tuple``, ``list`` or ``map`` ([key, value] pairs) detail value."""
        if not isinstance(content, list):
            raise self.error(f"a {kind!r} detail value must hold a list, not {_kind(content)}")
        if kind == "map":
            if not all(isinstance(pair, list) and len(pair) == 2 for pair in content):
                raise self.error("a 'map' detail value must hold [key, value] pairs")
            items = [(self.value(k, math_field=math_field, budget=budget),
                      self.value(v, math_field=math_field, budget=budget)) for k, v in content]
            try:
                return dict(items)
            except TypeError:
                raise self.error("a 'map' detail value has a key that cannot be a key") from None
        items = [self.value(v, math_field=math_field, budget=budget) for v in content]
        return tuple(items) if kind == "tuple" else items


#: The leaf keys of an expression tree, in the order they are looked for, and their _Reader methods.
_LEAVES = (("int", "_integer"), ("rational", "_rational"), ("float", "_float"),
           ("const", "_constant"), ("symbol", "_named_symbol"), ("matrix", "_matrix_symbol"))


def _reach(exponent: sp.Basic | None, bits: float) -> float:
    """An upper bound on |exponent|: exact for a number, 2^bits for anything else numeric."""
    if isinstance(exponent, sp.Rational):
        p, q = abs(exponent.p), exponent.q
        if p.bit_length() - q.bit_length() > 1000:
            return math.inf
        return p / q if q < p else 1.0
    if isinstance(exponent, sp.Float):
        return abs(float(exponent)) if abs(exponent._mpf_[2] + exponent._mpf_[3]) < 1000 else math.inf
    return 2.0 ** bits if bits < 1000 else math.inf


def _log2(n: int) -> float:
    return float(abs(n).bit_length())


def _amount(bits: float) -> str:
    return "infinitely many" if math.isinf(bits) else f"{bits:.3g}"


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _shown(value: Any) -> str:
    text = str(value) if isinstance(value, sp.Basic) and _small(value) else repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _small(expr: sp.Basic) -> bool:
    return expression_size(expr, stop=50)[0] <= 50


def _check_text_shape(text: str, limits: JsonLimits) -> None:
    """Refuse a document too large, with far too many objects, or nested too deeply for
    ``json.loads``, before parsing it."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise LimitError(
            f"the JSON document has {size} bytes, more than max_bytes = {limits.max_bytes} allows "
            "(raise it with limits=JsonLimits(max_bytes=...))",
            limit="max_bytes",
        )
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    objects = brackets.count("{")  # each tree node is an object; a step adds a few of its own
    if objects > 3 * limits.max_nodes + 16 * limits.max_steps:
        raise LimitError(
            f"the JSON document holds {objects} objects, far more than max_nodes = {limits.max_nodes} "
            "tree nodes need (raise it with limits=JsonLimits(max_nodes=...))",
            limit="max_nodes",
        )
    steps = map(_NESTING.__getitem__, brackets)
    if brackets and max(itertools.accumulate(steps)) > limits.max_nesting:
        raise LimitError(
                f"the JSON document nests over max_nesting = {limits.max_nesting} arrays and objects "
                "deep (raise it with limits=JsonLimits(max_nesting=...))",
                limit="max_nesting",
            )


#: A JSON string, or an unterminated one up to the end: it always matches where it starts, so
#: stripping strings stays linear (a failed match at each quote would make it quadratic).
_STRINGS = re.compile(r'"(?:[^"\\]+|\\.?)*+(?:"|\Z)', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_NESTING = {"[": 1, "{": 1, "]": -1, "}": -1}


def from_tree(tree: Mapping[str, Any], *, limits: JsonLimits = DEFAULT_JSON_LIMITS) -> sp.Basic:
    """Build the SymPy expression a tree describes, from the allowed operators only."""
    return _Reader(limits).tree(tree)
