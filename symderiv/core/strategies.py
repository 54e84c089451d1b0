"""The strategies: the routes a derivation may take where textbooks differ, written as data.

A :class:`Strategy` names each choice a route makes (how ``1/g`` is taken, whether a
composition is split into all its layers at once, ...); the rules
(:mod:`symderiv.calculus.rules`) read those fields and never a strategy's name. Every route
ends in the same form. :func:`strategy_named` is the one place a name is checked.

Adding a strategy: a :class:`Strategy` in :data:`ROUTES` (id, description, its choices); a
choice no route made before becomes a new field, read by the rule it concerns in
:mod:`symderiv.calculus.rules`; ``tests/test_contract.py`` then derives every standard problem
by the new route too (see ``docs/ARCHITECTURE.md``).

>>> strategy_named("quotient").fractions_by_quotient
True
>>> STRATEGIES["textbook"]
'the route a textbook prints: 1/g by the reciprocal rule, f(g) by the chain rule'
>>> strategy_named("magic")
Traceback (most recent call last):
...
ValueError: unknown strategy 'magic'; choose one of: textbook, quotient, chain, reciprocal
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DETAILS", "ROUTES", "STRATEGIES", "Strategy", "strategy_named"]


@dataclass(frozen=True)
class Strategy:
    """One route through the rules: its stable ``id``, a ``description``, and the choices it makes.

    - ``fractions_by_quotient``: every fraction by the quotient rule, ``1/g`` included, read as
      ``(0·g − 1·g′)/g²``. Otherwise a product holding only reciprocals, ``1/(g·h)``, goes by the
      reciprocal rule, and a power ``g⁻¹`` as the next fields say.
    - ``reciprocal_rule_for_one_over_g``: ``1/g``, ``g`` not the variable, by the reciprocal rule
      at once. Otherwise ``1/g`` is a composition, ``u⁻¹`` with ``u = g``, for the chain rule.
    - ``reciprocal_rule_for_one_over_x``: ``1/x`` by the reciprocal rule; otherwise by the power
      rule, ``x⁻¹``.
    - ``denominator_name``: the name the chain rule prefers for ``g`` when it takes ``1/g``
      (``t = g``); None takes the next free name.
    - ``compositions_at_once``: the chain rule names every layer of a composition in one step
      (``f = u⁻¹, u = 1 + eᵛ, v = −x``); otherwise one layer per step.
    """

    id: str
    description: str
    fractions_by_quotient: bool = False
    reciprocal_rule_for_one_over_g: bool = False
    reciprocal_rule_for_one_over_x: bool = False
    denominator_name: str | None = None
    compositions_at_once: bool = False


#: The routes ``derive`` takes, by id, in the order they are offered.
ROUTES: dict[str, Strategy] = {
    route.id: route
    for route in (
        Strategy(
            "textbook",
            "the route a textbook prints: 1/g by the reciprocal rule, f(g) by the chain rule",
            reciprocal_rule_for_one_over_g=True,
        ),
        Strategy(
            "quotient",
            "every fraction by the quotient rule, 1/g as (0·g − 1·g′)/g² (seed 001)",
            fractions_by_quotient=True,
        ),
        Strategy(
            "chain",
            "every composition split into named layers at once, f = u⁻¹, u = 1 + eᵛ, v = −x (seed 000)",
            compositions_at_once=True,
        ),
        Strategy(
            "reciprocal",
            "1/g through a name for the denominator, t = g, and d/dt (1/t) = −1/t² (seed 003)",
            reciprocal_rule_for_one_over_x=True,
            denominator_name="t",
        ),
    )
}

#: Strategy id → what the route does, in words: the public ``symderiv.STRATEGIES``.
STRATEGIES: dict[str, str] = {route.id: route.description for route in ROUTES.values()}


#: The levels of detail ``derive`` writes, and what each gives (``derive(..., detail=...)``).
DETAILS: dict[str, str] = {
    "textbook": "the main chain a textbook prints, each line's derivatives derived below it",
    "full": "every fine step, one rule at a time, in one flat chain",
}


def strategy_named(name: str) -> Strategy:
    """The strategy called ``name``; a ValueError naming the choices when there is none.

    >>> strategy_named("chain").compositions_at_once
    True
    """
    try:
        return ROUTES[name]
    except KeyError:
        raise ValueError(f"unknown strategy {name!r}; choose one of: {', '.join(ROUTES)}") from None
