"""Layered networks (moving into this package; see :mod:`symderiv.models.network.model`)."""

from __future__ import annotations

from .model import *  # noqa: F401,F403
from .model import __all__ as __all__  # noqa: F401
from .model import _local_forms  # noqa: F401
