"""The differentiation rules: a registry of small rule objects, walked in order.

Each rule is a frozen dataclass whose docstring states its law. It has a stable ``id`` (a key
of :data:`symderiv.core.rule_ids.RULES`, where its law is written once, in Unicode and TeX),
``matches(node, context)``, which says whether it applies to one unevaluated
``Derivative(f, v)`` node, and ``apply(node, context)``, which says what the node equals, as an
:class:`Application`: the rule id, the replacement (which may hold new ``Derivative`` nodes for
the engine to work on) and the substitutions it introduces. Rules compute nothing a reader
could not check by hand, and :mod:`symderiv.proof.check` proves every one of them anyway.

:func:`pick` walks :data:`REGISTRY` in order and takes the first rule that matches: constants,
sums, products and fractions (:mod:`.algebra`), powers (:mod:`.powers`) and compositions
(:mod:`.chain`), then pieces and the functions of a textbook's table, and SymPy last for
anything else (:mod:`.functions`). What they share is in :mod:`.base`. A rule's ``matches`` may rely on the rules before it
not matching: every rule after ``identity`` sees an ``f`` that holds ``v`` and is not ``v``.
A derivative of higher order goes to SymPy at once. Where textbooks differ (how ``1/g`` is
taken, whether a composition is split at once) the rules read the fields of the
:class:`~symderiv.core.strategies.Strategy` in the context, never its name.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> context = Context(wrt=x)
>>> apply(sp.Derivative(sp.sin(x), x), context)
Application(rule='sin', result=cos(x), introduces={}, detail={'function': 'sin'})
>>> chain = apply(sp.Derivative(sp.exp(-x), x), context)
>>> chain.rule, chain.result.args, chain.introduces
('chain', (Derivative(exp(u), u), Derivative(-x, x)), {u: -x})
>>> pick(sp.Derivative(x**2, x), context)
Power(id='power')

Adding a rule, in order:

1. Register its id in :data:`symderiv.core.rule_ids.RULES`: kind ``differentiation``, its law
   in Unicode and in TeX, and an example.
2. Write it in the module of its kind: a frozen dataclass subclassing :class:`Rule`, with
   ``id``, a docstring that is its law, ``matches`` and ``apply``. A function of one argument
   needs only a line in :data:`FUNCTIONS`; a new choice between routes is a field of
   :class:`~symderiv.core.strategies.Strategy`, read by the rule.
3. Put it in :data:`REGISTRY` before any rule that would take its nodes.
4. Give it words in each catalog of :mod:`symderiv.locales` (``tests/test_locales.py`` says
   which are missing), then run ``tests/test_rules.py`` and the textbook problems.

``docs/ARCHITECTURE.md`` shows where the rules sit in the path of one derivation.
"""

from __future__ import annotations

import sympy as sp

from .algebra import Constant, ConstantMultiple, Identity, Product, Quotient, Reciprocal, Sum
from .base import Application, Context, NamePool, Rule
from .chain import Chain
from .functions import FUNCTION_RULES, FUNCTIONS, HEAVISIDE, SYMPY, Extremum, FunctionRule, Piecewise
from .powers import Exponential, LogDifferentiation, Power, Root, Sqrt

__all__ = [
    "FUNCTIONS",
    "FUNCTION_RULES",
    "REGISTRY",
    "Application",
    "Context",
    "FunctionRule",
    "NamePool",
    "Rule",
    "apply",
    "pick",
]

#: The rules in the order :func:`pick` tries them; the first that matches is applied.
REGISTRY: tuple[Rule, ...] = (
    Constant(),
    Identity(),
    Sum(),
    ConstantMultiple(),
    Quotient(),
    Reciprocal(),
    Product(),
    LogDifferentiation(),
    Chain(),
    Exponential(),
    Sqrt(),
    Root(),
    Power(),
    Piecewise(),
    Extremum("max", sp.Max),
    Extremum("min", sp.Min),
    HEAVISIDE,
    *FUNCTIONS,
    SYMPY,
)


def pick(node: sp.Derivative, context: Context) -> Rule:
    """The rule for ``node`` = ``Derivative(f, v)``: the first in :data:`REGISTRY` that matches."""
    (_variable, count), = node.variable_count
    candidates = REGISTRY if count == 1 else (SYMPY,)
    return next(rule for rule in candidates if rule.matches(node, context))


def apply(node: sp.Derivative, context: Context) -> Application:
    """``node`` rewritten by its rule, chosen by the shape of ``f`` and the strategy."""
    return pick(node, context).apply(node, context)
