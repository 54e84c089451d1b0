"""Matrix calculus: ∂f/∂W for a matrix symbol W, through differentials, every step proven entry by entry.

:mod:`.differentials` (the rules of d), :mod:`.gradient` (df = tr(Gᵀ dW) gives G),
:mod:`.forms` (the forms ML texts write) and :mod:`.engine` (the chain, :func:`derive_matrix`).
"""

from __future__ import annotations

from .engine import derive_matrix

__all__ = ["derive_matrix"]
