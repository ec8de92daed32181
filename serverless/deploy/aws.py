"""Clients for the deploy target, and retries for what AWS makes eventually consistent (IAM propagation)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

T = TypeVar("T")
LOCAL_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class Target:
    """Where a deploy goes: the local AWS (an endpoint, dummy credentials) or AWS (the user's credentials)."""

    def __init__(self, kind: str, endpoint: str | None = None, region: str | None = None) -> None:
        if kind not in ("local", "aws"):
            raise SystemExit(f"unknown target {kind!r}: choose local or aws")
        if kind == "local" and not endpoint:
            raise SystemExit("target local needs the local AWS endpoint (is `workshop up serverless` running?)")
        self.kind, self.endpoint = kind, endpoint
        self.region = region or "us-east-1"
        extra = dict(LOCAL_CREDENTIALS) if kind == "local" else {}
        # On AWS: the default credential chain (profile, env, SSO) of the user who asked for it.
        self.session = boto3.session.Session(region_name=self.region, **extra)
        self._extra = {"endpoint_url": endpoint} if kind == "local" else {}
        self._clients: dict[str, Any] = {}

    def client(self, service: str) -> Any:
        """A cached client for the service."""
        if service not in self._clients:
            cfg = Config(retries={"max_attempts": 5, "mode": "standard"}, read_timeout=300)
            if service == "s3":
                cfg = cfg.merge(Config(signature_version="s3v4", s3={"addressing_style": "path"}))
            self._clients[service] = self.session.client(service, config=cfg, **self._extra)
        return self._clients[service]

    def account(self) -> str:
        """The account id of the credentials in use."""
        return str(self.client("sts").get_caller_identity()["Account"])


def error_code(exc: Exception) -> str:
    """The AWS error code of a ClientError ('' for anything else)."""
    return exc.response.get("Error", {}).get("Code", "") if isinstance(exc, ClientError) else ""


def retry(fn: Callable[[], T], codes: tuple[str, ...], attempts: int = 10, delay_s: float = 1.0,
          message: str = "") -> T:
    """Call `fn`, retrying on the given error codes (or message fragment) with a growing delay."""
    for attempt in range(attempts):
        try:
            return fn()
        except ClientError as exc:
            text = str(exc)
            if attempt == attempts - 1 or not (error_code(exc) in codes or (message and message in text)):
                raise
            time.sleep(delay_s * (1.5 ** attempt))
    raise AssertionError("unreachable")


def exists(fn: Callable[[], Any], missing: tuple[str, ...]) -> bool:
    """True when `fn` succeeds, False when it fails with one of the `missing` codes."""
    try:
        fn()
    except ClientError as exc:
        if error_code(exc) in missing:
            return False
        raise
    return True
