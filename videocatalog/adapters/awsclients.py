"""boto3 clients made on first use; boto3 itself reads AWS_ENDPOINT_URL, so the local AWS needs no code."""

from __future__ import annotations

import threading
from decimal import Decimal
from typing import Any

import boto3
from botocore.config import Config

_lock = threading.Lock()
_clients: dict[str, Any] = {}


def client(service: str) -> Any:
    """A shared client for `service` (thread-safe; created lazily so importing an adapter costs nothing)."""
    with _lock:
        if service not in _clients:
            # Few retries: a Lambda has its own retry story, and a stuck call should fail inside the timeout.
            cfg = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=60)
            if service == "s3":  # SigV4 presigned URLs (what S3 requires today), path style for local endpoints
                cfg = cfg.merge(Config(signature_version="s3v4", s3={"addressing_style": "path"}))
            _clients[service] = boto3.session.Session().client(service, config=cfg)
        return _clients[service]


def reset() -> None:
    """Forget every client (tests switch endpoints between cases)."""
    with _lock:
        _clients.clear()


def plain(value: Any) -> Any:
    """DynamoDB's Decimals back to int/float, recursively."""
    if isinstance(value, Decimal):
        return int(value) if value.as_tuple().exponent >= 0 else float(value)  # type: ignore[operator]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def decimals(value: Any) -> Any:
    """Floats to Decimal, recursively (DynamoDB refuses floats)."""
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: decimals(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [decimals(v) for v in value]
    return value
