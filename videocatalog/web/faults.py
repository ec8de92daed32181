"""Deliberate faults of a bad release, switched on by WORKSHOP_FAULT, for the rollback scenarios.

Forms: `error:ENDPOINT` answers 500 on that endpoint; `latency:ENDPOINT:MS` delays it;
ENDPOINT is an operation name such as `get_video` (the view function's name, whatever its blueprint;
every tier and service names its views after the operation they serve), or `*` for all.
"""

from __future__ import annotations

import time

from flask import Flask, request

from videocatalog import config
from videocatalog.web.errors import error_response


def parse_fault(spec: str) -> tuple[str, str, float] | None:
    """(kind, endpoint, delay seconds) of a fault spec, or None."""
    if not spec:
        return None
    kind, _, rest = spec.partition(":")
    endpoint, _, ms = rest.partition(":")
    if kind not in ("error", "latency") or not endpoint:
        raise SystemExit(f"bad WORKSHOP_FAULT {spec!r}")
    return kind, endpoint, float(ms or 0) / 1000


def install_faults(app: Flask) -> None:
    """Apply the configured fault, if any, before each matching request."""
    fault = parse_fault(config.fault())
    if fault is None:
        return
    kind, endpoint, delay_s = fault

    @app.before_request
    def inject():
        operation = (request.endpoint or "").rsplit(".", 1)[-1]
        if endpoint not in ("*", operation, request.endpoint):
            return None
        if kind == "latency":
            time.sleep(delay_s)
            return None
        return error_response(500, "internal", "injected fault of a bad release")
