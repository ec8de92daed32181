"""python -m workshop.archs.serverless.localaws_server --port N --state-dir DIR: the local AWS plus the S3 edge.

The same as `python -m localaws serve`, with the app's upload_guard.UploadGuard wrapped around moto so
presigned URLs are checked and the contract's upload rules (413, 409) hold for the serverless app.
"""

from __future__ import annotations

import argparse
import sys

from localaws.launcher import serve_until_signal
from serverless.deploy.upload_guard import UploadGuard


def main(argv: list[str] | None = None) -> int:
    """Start the local AWS with the upload guard; block until SIGTERM/SIGINT, then stop everything."""
    parser = argparse.ArgumentParser(prog="python -m workshop.archs.serverless.localaws_server")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--state-dir", required=True)
    args = parser.parse_args(argv)
    serve_until_signal(args.state_dir, args.port or None, wrap_moto=UploadGuard)
    return 0


if __name__ == "__main__":
    sys.exit(main())
