"""The ``symderiv build`` command: write the standard derivation documents into a folder.

    symderiv build --out output [--quiet]

writes every document of :func:`symderiv.documents.build` (HTML, LaTeX, Markdown, notebooks, in
every language), showing its progress on standard error unless ``--quiet``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .options import output_folder

__all__ = ["add_command"]


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """Register ``build``."""
    command = subparsers.add_parser(
        "build",
        help="write the standard derivation documents",
        description="Write the standard derivation documents (HTML, LaTeX, Markdown, notebooks).",
    )
    command.add_argument("--out", type=output_folder, default=Path("output"), help="the folder (default: output)")
    command.add_argument("--quiet", action="store_true", help="do not show progress")
    command.set_defaults(handler=_build)


def _build(args: argparse.Namespace) -> int:
    from ..documents import build

    progress = None if args.quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    written = build(args.out, progress=progress)
    print(f"wrote {len(written)} files to {args.out}")
    return 0
