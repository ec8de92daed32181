"""Helpers of the SOA tests (a module of its own: `conftest` is a name every test folder has)."""

from __future__ import annotations

import requests

from videocatalog.auth import make_token

UPLOAD_LIMIT = 4 * 1024 * 1024  # the upload limit the SOA under test runs with


def create(base: str, title: str = "clip", timeout: float = 30) -> requests.Response:
    """POST /videos with a valid token."""
    return requests.post(f"{base}/videos", json={"title": title}, timeout=timeout,
                         headers={"Authorization": f"Bearer {make_token()}"})
