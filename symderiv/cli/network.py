"""The ``symderiv network`` command: ∂J/∂θ for one weight of a network, or the δ rules.

    symderiv network 2 2 1 [--weight 2,1,2] [--activation sigmoid] [--loss cross_entropy]
                           [--no-regularization] [--samples N] [--detail full] [--backprop] [--lang ja]

prints the derivation of ∂J/∂θ for one weight (seed 001): by default the chain rule through the
named layers, each factor derived below its line; with ``--detail full`` every fine step from the
cost written out; with ``--backprop`` the δ rules in vector form. Every step is proven.
"""

from __future__ import annotations

import argparse

from ..models.network import ACTIVATIONS, DETAILS, LOSSES, NetworkError, network
from .options import LANGUAGES

__all__ = ["add_command"]


def add_command(subparsers: argparse._SubParsersAction) -> None:
    """``symderiv network 2 2 1 --weight 2,1,2``: derive ∂J/∂θ for one weight of a network."""
    command = subparsers.add_parser(
        "network",
        help="derive the gradient of a network's cost for one weight, or the δ rules",
        description=(
            "Derive ∂J/∂θ for one weight of a fully connected network step by step (seed 001), "
            "or with --backprop the δ rules in vector form. Every step is proven."
        ),
    )
    command.add_argument("sizes", nargs="+", type=int, help="units per layer, input first, e.g. 2 2 1")
    command.add_argument("--weight", default=None, help="l,i,j of the weight θ⁽ˡ⁾ᵢⱼ (default: the seed's 2,1,2 or the last weight)")
    command.add_argument("--activation", default="sigmoid", choices=sorted(ACTIVATIONS))
    command.add_argument("--loss", default="cross_entropy", choices=sorted(LOSSES))
    command.add_argument("--no-regularization", action="store_true", help="leave out (λ/2m) Σ θ²")
    command.add_argument("--samples", type=int, default=None, help="count the samples (default: one, m a symbol)")
    command.add_argument(
        "--detail", default="textbook", choices=sorted(DETAILS),
        help="textbook: the chain through the named layers (default); full: every fine step",
    )
    command.add_argument("--backprop", action="store_true", help="print the δ rules in vector form instead")
    command.add_argument("--lang", default="en", choices=LANGUAGES)
    command.set_defaults(handler=_command)


def _command(args: argparse.Namespace) -> int:
    net = network(
        args.sizes,
        activation=args.activation,
        loss=args.loss,
        regularization=not args.no_regularization,
        samples=args.samples,
    )
    if args.backprop:
        print(net.backprop().to_text())
        return 0
    if args.weight is None:
        weight = net.theta(2, 1, 2) if tuple(net.sizes[:3]) == (2, 2, 1) else net.weights[-1]
    else:
        try:
            layer, i, j = (int(part) for part in args.weight.split(","))
        except ValueError:
            raise NetworkError(f"--weight takes l,i,j (three integers), got {args.weight!r}") from None
        weight = net.theta(layer, i, j)
    print(net.derive(weight, detail=args.detail).to_text(lang=args.lang))
    return 0
