"""The fault of a bad release (videocatalog.faults) applied to a Flask app, before each matching request.

The operation is the view function's name, whatever its blueprint: every tier and service names its views
after the operation they serve.
"""

from __future__ import annotations

import time

from flask import Flask, request

from videocatalog import config
from videocatalog.faults import parse_fault
from videocatalog.web.errors import error_response


def install_faults(app: Flask) -> None:
    """Apply the configured fault, if any, before each matching request."""
    try:
        fault = parse_fault(config.fault())
    except ValueError as exc:
        raise SystemExit(str(exc)) from None  # a release with a bad spec does not start
    if fault is None:
        return

    @app.before_request
    def inject():
        operation = (request.endpoint or "").rsplit(".", 1)[-1]
        if not fault.applies_to(operation, request.endpoint):
            return None
        if fault.kind == "latency":
            time.sleep(fault.delay_s)
            return None
        return error_response(500, "internal", "injected fault of a bad release")
