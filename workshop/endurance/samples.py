"""What the load records of each request, and how an HTTP answer becomes an outcome."""

from __future__ import annotations

from dataclasses import dataclass

import requests

CLIENT_TIMEOUT_S = 10.0  # a request slower than this counts as a timeout error, as a client would see it
OPS = ("list", "get", "view", "create", "health")  # the operations that must succeed again after a fault


@dataclass(frozen=True)
class Sample:
    """One request: when it was sent and finished (monotonic seconds), its operation and outcome."""

    sent: float
    done: float
    op: str
    outcome: str  # "ok", or what the client saw: "HTTP 503 unavailable", "ConnectionError", ...


def outcome_of(resp: requests.Response, expected: int) -> str:
    """"ok" when the status is the expected one, else the status and the contract's error code."""
    if resp.status_code == expected:
        return "ok"
    try:
        code = resp.json().get("error", {}).get("code", "")
    except ValueError:
        code = "not-json"
    return f"HTTP {resp.status_code} {code}".strip()
