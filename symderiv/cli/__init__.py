"""The ``symderiv`` command: one module per command, :mod:`.main` parses and dispatches.

See docs/ARCHITECTURE.md.
"""
