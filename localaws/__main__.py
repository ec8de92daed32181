"""python -m localaws serve [--port N] [--state-dir DIR] [--state-file F]: run the local AWS until SIGTERM/Ctrl-C."""

from __future__ import annotations

import argparse
import os
import sys

from localaws.config import PlatformConfig
from localaws.launcher import serve_until_signal


def config_from(args: argparse.Namespace) -> PlatformConfig:
    """The platform's settings from the environment, with the state file options of the command line on top."""
    cfg = PlatformConfig()
    if args.state_file:
        cfg.state_file = args.state_file
    if args.snapshot_interval is not None:
        cfg.snapshot_interval_s = args.snapshot_interval
    return cfg


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, start the local AWS, block until a signal, stop everything."""
    parser = argparse.ArgumentParser(prog="python -m localaws")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run moto and the Lambda platform on 127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("WORKSHOP_LOCALAWS_PORT", "0")))
    serve.add_argument("--state-dir", default=os.environ.get("WORKSHOP_LOCALAWS_STATE", "state/localaws"))
    serve.add_argument("--state-file", default=None,
                       help="keep moto's state in this file: restored at start, saved periodically and at stop")
    serve.add_argument("--snapshot-interval", type=float, default=None,
                       help="seconds between snapshots while requests come in (0: only at stop)")
    args = parser.parse_args(argv)
    serve_until_signal(args.state_dir, args.port or None, config=config_from(args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
