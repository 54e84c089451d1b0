"""``symderiv completion SHELL``: the shell completion script of the command line, printed.

The script is generated from the parser itself by shtab (the ``completion`` extra), so it
completes every command, option and choice there is::

    symderiv completion bash > ~/.local/share/bash-completion/completions/symderiv
    symderiv completion zsh > "${fpath[1]}/_symderiv"
"""

from __future__ import annotations

import argparse

from ..errors import SymderivError

__all__ = ["SHELLS", "add_command"]

#: The shells shtab writes completion scripts for.
SHELLS = ("bash", "zsh", "tcsh")


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """Register ``completion``."""
    command = subparsers.add_parser(
        "completion",
        help="print the shell completion script (bash, zsh or tcsh)",
        description="Print the completion script of the symderiv command for a shell.",
    )
    command.add_argument("shell", choices=SHELLS)
    command.set_defaults(handler=_completion)


def _completion(args: argparse.Namespace) -> int:
    try:
        import shtab
    except ImportError:
        raise SymderivError(
            "shell completion needs shtab: pip install 'symderiv[completion]'"
        ) from None
    from .main import parser

    print(shtab.complete(parser(), shell=args.shell), end="")
    return 0
