"""The engine: differentiation rules, routes (strategies), the rewrites toward target forms, and derive().

See docs/ARCHITECTURE.md.
"""
