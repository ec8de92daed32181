"""Helpers of the microservices tests (a distinct module name: `conftest` is a name every test folder has)."""

from __future__ import annotations

import time

import requests


def worker_status(record: dict, patience_s: float = 0) -> dict | None:
    """A worker instance's /health on its own probe port, or None when it does not answer (within `patience_s`)."""
    deadline = time.monotonic() + patience_s
    while True:
        try:
            return requests.get(f"http://127.0.0.1:{record['probe_port']}/health", timeout=2).json()
        except (requests.RequestException, ValueError):
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.2)
