"""Proving steps: mpmath evaluation in a context per call, the one symbolic/numeric comparison, the step checker.

See docs/ARCHITECTURE.md.
"""
