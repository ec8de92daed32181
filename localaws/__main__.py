"""python -m localaws serve [--port N] [--state-dir DIR]: run the local AWS until SIGTERM/Ctrl-C."""

from __future__ import annotations

import argparse
import os
import sys

from localaws.launcher import serve_until_signal


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, start the local AWS, block until a signal, stop everything."""
    parser = argparse.ArgumentParser(prog="python -m localaws")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="run moto and the Lambda platform on 127.0.0.1")
    serve.add_argument("--port", type=int, default=int(os.environ.get("WORKSHOP_LOCALAWS_PORT", "0")))
    serve.add_argument("--state-dir", default=os.environ.get("WORKSHOP_LOCALAWS_STATE", "state/localaws"))
    args = parser.parse_args(argv)
    serve_until_signal(args.state_dir, args.port or None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
