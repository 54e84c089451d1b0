r"""Each rule's law as TeX: the formula a textbook prints beside the rule's name.

Laws are mathematics, the same in every language, so they are written once, beside each rule id
in :data:`symderiv.core.rule_ids.RULES` (``tex``; ``law`` holds the same law in Unicode, for
terminals). This table reads them from there; the words around them live in the catalogs
(:mod:`symderiv.locales.en` and the others).

>>> LAWS["product"]
"\\left(u v\\right)' = u' v + u v'"
>>> from symderiv.core.rule_ids import RULES
>>> set(LAWS) == set(RULES)
True
"""

from __future__ import annotations

from ..core.rule_ids import RULES

__all__ = ["LAWS"]

#: Rule id → its law in TeX.
LAWS: dict[str, str] = {rule_id: info.tex for rule_id, info in RULES.items()}
