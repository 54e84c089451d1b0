"""derive(..., timeout=): a slow target form falls back to the proven raw steps; a slow derivation stops."""

from __future__ import annotations

import time

import pytest
import sympy as sp

import symderiv as sd
from symderiv.calculus import forms

x = sp.Symbol("x")


def test_within_budget_the_derivation_is_whole_and_proven():
    d = sd.derive(1 / (1 + sp.exp(-x)), x, timeout=30)
    assert d.result == sd.sigmoid(x) * (1 - sd.sigmoid(x))
    assert d.report is not None and not d.notes


def test_a_target_form_past_its_budget_leaves_the_proven_raw_steps_and_says_so(monkeypatch):
    def too_slow(*args, **kwargs):
        time.sleep(30)
        return []

    monkeypatch.setattr(forms, "toward_target", too_slow)
    start = time.monotonic()
    d = sd.derive(1 / (1 + sp.exp(-x)), x, timeout=2)
    assert time.monotonic() - start < 10
    assert d.result == sp.exp(-x) / (1 + sp.exp(-x)) ** 2
    assert d.report is not None and len(d.report.proofs) == len(d.steps)
    assert d.notes and "too long" in d.notes[0]


def test_a_derivation_past_the_whole_budget_is_a_limit_error():
    # 40 factors, the most one product may have: about 2.3 s of work on an idle 2-core machine
    product = sp.Mul(*[sp.sin(k * x + 1) + sp.cos(x) for k in range(1, 41)])
    with pytest.raises(sd.LimitError, match="time budget"):
        sd.derive(product, x, timeout=0.2)
