"""The API functions' shared edge: proxy event in, contract JSON out, every error in the contract's shape.

Handles the HTTP API proxy event (payload format 2.0) and, for the REST API style, format 1.0.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

from videocatalog import config
from videocatalog.errors import AppError, Unauthorized, ValidationError, error_body
from videocatalog.faults import parse_fault

logger = Logger()  # service name from POWERTOOLS_SERVICE_NAME, set per function by the deployer
metrics = Metrics(namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "VideoCatalog"))  # EMF, into the log

Response = dict[str, Any]


@dataclass
class Request:
    """What a handler needs from a proxy event."""

    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    authorizer: dict[str, Any] = field(default_factory=dict)

    def require_writer(self) -> None:
        """Raise the contract's 401 unless the gateway's Lambda authorizer accepted the bearer token."""
        # Fail closed: a route deployed without the authorizer carries no decision at all.
        if self.authorizer.get("authorized") is not True:
            raise Unauthorized(str(self.authorizer.get("reason") or "missing bearer token"))

    @classmethod
    def from_event(cls, event: dict[str, Any]) -> Request:
        """Decode an API gateway proxy event (format 2.0 or 1.0)."""
        http = (event.get("requestContext") or {}).get("http") or {}
        method = http.get("method") or event.get("httpMethod") or "GET"
        path = http.get("path") or event.get("rawPath") or event.get("path") or "/"
        stage = (event.get("requestContext") or {}).get("stage") or "$default"
        if stage != "$default" and path.startswith(f"/{stage}/"):
            path = path[len(stage) + 1:]  # HTTP API paths carry a named stage's prefix
        raw = event.get("body") or ""
        if "\ufffd" in raw and not event.get("isBase64Encoded"):
            # The local gateway hands invalid UTF-8 over as U+FFFD; refuse it rather than store mangled text.
            raise ValidationError("body", "must be valid UTF-8")
        body = base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode("utf-8", "surrogateescape")
        headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
        authorizer = ((event.get("requestContext") or {}).get("authorizer") or {})
        return cls(method.upper(), path, dict(event.get("pathParameters") or {}),
                   dict(event.get("queryStringParameters") or {}), headers, body,
                   dict(authorizer.get("lambda") or {}))


def respond(status: int, body: Any = None, headers: dict[str, str] | None = None) -> Response:
    """A proxy integration response with a JSON body (no body for 204)."""
    head = {"Content-Type": "application/json", **(headers or {})}
    if status == 204:
        head.pop("Content-Type")
    return {"statusCode": status, "headers": head, "isBase64Encoded": False,
            "body": "" if body is None else json.dumps(body)}


def error(status: int, code: str, message: str) -> Response:
    """A response with the contract's error body."""
    return respond(status, error_body(code, message))


def _fault(operation: str) -> Response | None:
    # A bad release for the rollback scenarios (videocatalog.faults); a bad spec fails the call loudly.
    fault = parse_fault(config.fault())
    if fault is None or not fault.applies_to(operation):
        return None
    if fault.kind == "latency":
        time.sleep(fault.delay_s)
        return None
    return error(500, "internal", "injected fault of a bad release")


def http_function(operation: str) -> Callable[[Callable[[Request], Response]], Callable[..., Response]]:
    """Wrap a use-case function into a Lambda handler with logging, metrics and contract errors."""

    def wrap(fn: Callable[[Request], Response]) -> Callable[..., Response]:
        @functools.wraps(fn)
        def run(event: dict[str, Any], context: Any) -> Response:
            started = time.perf_counter()
            try:
                resp = _fault(operation) or fn(Request.from_event(event))
            except AppError as exc:
                resp = respond(exc.status, exc.to_dict())
            except Exception:  # never a traceback to the client; the log keeps it
                logger.exception("unhandled error", extra={"operation": operation})
                resp = error(500, "internal", "internal error")
            metrics.add_dimension(name="operation", value=operation)
            metrics.add_metric(name="Requests", unit=MetricUnit.Count, value=1)
            if resp["statusCode"] >= 500:
                metrics.add_metric(name="Errors", unit=MetricUnit.Count, value=1)
            metrics.add_metric(name="HandlerLatency", unit=MetricUnit.Milliseconds,
                               value=(time.perf_counter() - started) * 1000)
            logger.info("request", extra={"operation": operation, "status": resp["statusCode"],
                                          "release": os.environ.get("WORKSHOP_RELEASE", "")})
            return resp

        return logger.inject_lambda_context(clear_state=True)(metrics.log_metrics(run, capture_cold_start_metric=True))

    return wrap
