"""How a derivation was proven: one :class:`StepProof` per step, gathered in a :class:`CheckReport`.

Plain data: :mod:`symderiv.proof.check` makes them, renderers and JSON print them. A report
exists only for a derivation whose every step was proven; a step that fails raises instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["Method", "StepProof", "CheckReport"]

Method = Literal["identical", "symbolic", "numeric"]


@dataclass(frozen=True)
class StepProof:
    """How one step was proven.

    ``method`` is ``"identical"`` (the same tree after differentiation and substitution),
    ``"symbolic"`` (the difference cancels to 0) or ``"numeric"`` (only the numbers agree);
    ``points`` is how many random points agreed, ``max_error`` the largest relative
    difference seen there, at ``digits`` digits.
    """

    index: int
    rule: str
    method: Method
    points: int
    max_error: float
    digits: int


@dataclass(frozen=True)
class CheckReport:
    """The proof of every step of a derivation, in order; ``subs[i]`` holds the reports of step
    i's sub-derivations (empty when no step has any)."""

    proofs: tuple[StepProof, ...]
    subs: tuple[tuple["CheckReport", ...], ...] = ()

    def count(self, method: Method) -> int:
        return sum(proof.method == method for proof in self.proofs)

    def __str__(self) -> str:
        lines = [f"{len(self.proofs)} steps proven"]
        for proof in self.proofs:
            lines.append(
                f"  {proof.index + 1:>2}. {proof.rule:<20} {proof.method:<9} "
                f"{proof.points} points, max relative error {proof.max_error:.1e}"
            )
        return "\n".join(lines)
