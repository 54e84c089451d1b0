"""The data everything else reads: σ and the other functions, the registry of rule ids, steps and derivations.

See docs/ARCHITECTURE.md for the layers and the path of one derivation through them.
"""
