"""The `workshop` command: the parser built from one explicit list of subcommand groups."""

from __future__ import annotations

import argparse

from workshop.cli import bench, clean, endurance, faults, lifecycle, microservices, serverless, tune

# Each group adds its subcommands to the parser; the order is the order of `workshop --help`.
SUBCOMMANDS = (lifecycle.add, bench.add, endurance.add, faults.add, microservices.add, serverless.add, tune.add,
               clean.add)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the `workshop` command."""
    parser = argparse.ArgumentParser(prog="workshop", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for add in SUBCOMMANDS:
        add(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the `workshop` command."""
    args = build_parser().parse_args(argv)
    return int(args.func(args))
