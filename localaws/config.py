"""Platform settings read from environment variables, each with a working local default."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

ACCOUNT_ID = "123456789012"  # moto's default account


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _float(name: str, default: float) -> float:
    return float(os.environ.get(name, default))


@dataclass
class PlatformConfig:
    """Knobs of the local Lambda platform (env vars WORKSHOP_LAMBDA_*)."""

    # Account-wide concurrent executions: AWS's default is 1,000; 10 is a new account's reduced quota, and what
    # a laptop can run (each environment is a process on the same cores). README.md says why.
    concurrency_limit: int = field(default_factory=lambda: _int("WORKSHOP_LAMBDA_CONCURRENCY", 10))
    # Reservations must leave this many unreserved (AWS: 100 of 1,000); by default the same tenth of the limit.
    unreserved_min: int = field(default_factory=lambda: _int("WORKSHOP_LAMBDA_UNRESERVED_MIN", -1))
    # Idle environments are reclaimed after this many seconds (AWS: unspecified, minutes).
    idle_ttl_s: float = field(default_factory=lambda: _float("WORKSHOP_LAMBDA_IDLE_TTL", 300.0))
    init_timeout_s: float = field(default_factory=lambda: _float("WORKSHOP_LAMBDA_INIT_TIMEOUT", 10.0))
    # Force the project's own runtime client even where awslambdaric imports.
    fallback_runtime: bool = field(default_factory=lambda: os.environ.get("WORKSHOP_LAMBDA_RIC") == "own")
    # CPU of the INIT phase: "boost" (2 vCPUs, as published measurements show) or "memory" (the invoke share).
    init_cpu: str = field(default_factory=lambda: os.environ.get("WORKSHOP_LAMBDA_INIT_CPU", "boost"))
    async_retry_delay_s: float = field(default_factory=lambda: _float("WORKSHOP_LAMBDA_RETRY_DELAY", 0.2))
    poll_interval_s: float = field(default_factory=lambda: _float("WORKSHOP_LAMBDA_POLL_INTERVAL", 0.2))
    # 1.0 = real time; 0.01 makes rate(1 minute) fire every 0.6 s (demos and tests).
    schedule_time_scale: float = field(default_factory=lambda: _float("WORKSHOP_SCHEDULE_TIME_SCALE", 1.0))
    # HTTP APIs: at most 30 s, which AWS does not raise; REST APIs: 29 s by default, raisable since June 2024.
    integration_timeout_s: float = field(default_factory=lambda: _float("WORKSHOP_APIGW_TIMEOUT", 30.0))
    rest_timeout_s: float = field(default_factory=lambda: _float("WORKSHOP_APIGW_REST_TIMEOUT", 29.0))
    # 1.0 = real time; tests shorten every integration timeout (0.1: the HTTP API's 30 s becomes 3 s).
    apigw_time_scale: float = field(default_factory=lambda: _float("WORKSHOP_APIGW_TIME_SCALE", 1.0))
    # Opt-in persistence of moto's state (services/persistence.py): None keeps everything in memory only.
    state_file: str | None = field(default_factory=lambda: os.environ.get("WORKSHOP_LOCALAWS_STATE_FILE") or None)
    # Seconds between snapshots while requests come in (0: only at graceful shutdown).
    snapshot_interval_s: float = field(default_factory=lambda: _float("WORKSHOP_LOCALAWS_SNAPSHOT_INTERVAL", 2.0))
    gateway_payload_limit: int = 10 * 1024 * 1024
    sync_payload_limit: int = 6 * 1024 * 1024
    # What a function may return; AWS's error message names 6291556 bytes (6 MB + 100).
    response_payload_limit: int = 6 * 1024 * 1024 + 100
    async_payload_limit: int = 1024 * 1024

    def __post_init__(self) -> None:
        if self.unreserved_min < 0:  # not set: the same share of the limit as AWS's 100 of 1,000
            self.unreserved_min = default_unreserved_min(self.concurrency_limit)

def default_region() -> str:
    """Region used when a request does not name one."""
    return os.environ.get("AWS_DEFAULT_REGION", "us-east-1")


def default_unreserved_min(concurrency_limit: int) -> int:
    """The unreserved concurrency no reservation may eat into: AWS keeps 100 of 1,000; here a tenth, at least 1."""
    return max(1, math.ceil(concurrency_limit / 10))
