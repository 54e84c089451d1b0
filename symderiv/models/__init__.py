"""Models built on the engine: computational graphs, layered networks, seed 003's layers, vanishing gradients.

See docs/ARCHITECTURE.md.
"""
