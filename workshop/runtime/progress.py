"""Progress lines of long harness steps, with the seconds since the process started them."""

from __future__ import annotations

import sys
import time

_T0 = time.monotonic()


def log(message: str) -> None:
    """Print one progress line to stderr, with the elapsed seconds."""
    print(f"[{time.monotonic() - _T0:6.1f}s] {message}", file=sys.stderr, flush=True)
