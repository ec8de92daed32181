"""`workshop scale microservices SERVICE N`: run N instances of one service (transcode workers, typically)."""

from __future__ import annotations

import argparse


def cmd_scale(args: argparse.Namespace) -> int:
    """Scale one service of a running architecture and print its instances."""
    if args.arch != "microservices":
        raise SystemExit(f"{args.arch} cannot be scaled by service; only microservices can")
    from workshop.archs.microservices import arch as microservices

    for name in microservices.scale(args.service, args.count):
        print(name)
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add the `scale` subcommand to the `workshop` parser."""
    scale = sub.add_parser("scale", help="run N instances of one service (microservices)")
    scale.add_argument("arch", choices=["microservices"])
    scale.add_argument("service", help="e.g. transcode")
    scale.add_argument("count", type=int)
    scale.set_defaults(func=cmd_scale)
