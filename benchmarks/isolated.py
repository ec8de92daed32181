"""Bring one architecture up for a benchmark on private state and free ports, and always down again."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from types import ModuleType

from workshop.archs import load as load_arch
from workshop.runtime import procs

PORT_VARIABLES = ["WORKSHOP_MONOLITH_PORT", "WORKSHOP_LOCALAWS_PORT", "WORKSHOP_MS_LOCALAWS_PORT",
                  *(f"WORKSHOP_SOA_{tier}_PORT" for tier in ("PRESENTATION", "LOGIC", "DATA")),
                  *(f"WORKSHOP_MS_{svc}_PORT" for svc in ("GATEWAY", "CATALOG", "UPLOAD", "TRANSCODE", "ANALYTICS"))]


def isolate(state_dir: str) -> None:
    """Private state and free ports, so a running copy (or another developer's) is never disturbed."""
    os.environ["WORKSHOP_STATE_DIR"] = state_dir
    for name in PORT_VARIABLES:
        os.environ[name] = str(procs.free_port())


@contextlib.contextmanager
def running(arch: str) -> Iterator[tuple[ModuleType, str]]:
    """`arch` ("monolith", "microservices:process"...) up on private state: yields (module, base URL)."""
    base, _, backend = arch.partition(":")
    module = load_arch(base)
    with tempfile.TemporaryDirectory(prefix=f"bench-{base}-") as state_dir:
        isolate(state_dir)
        try:
            yield module, module.up(backend=backend or None)  # a partial up is brought down too
        finally:
            module.down()
