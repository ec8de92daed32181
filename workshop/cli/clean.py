"""`workshop clean`: remove what earlier `up`s of serverless left in the state folder."""

from __future__ import annotations

import argparse
import sys


def cmd_clean(args: argparse.Namespace) -> int:
    """Remove unpacked function code, environment folders, records and stale build packages of serverless."""
    from workshop.archs.serverless import arch as serverless
    from workshop.runtime import cleanup

    try:
        paths, freed = cleanup.clean(serverless.state_dir(), records=True)
    except RuntimeError as exc:
        print(f"workshop clean: {exc}", file=sys.stderr)
        return 1
    for path in paths:
        print(f"removed {path}")
    print(f"freed {freed / 2**20:.1f} MB ({freed} bytes)" if paths else "nothing to remove")
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add the `clean` subcommand."""
    clean = sub.add_parser("clean", help="remove the local AWS's code and records left by earlier `up`s "
                                         "(serverless must be down)")
    clean.set_defaults(func=cmd_clean)
