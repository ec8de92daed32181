"""Configuration as small functions over environment variables, each with a working local default."""

from __future__ import annotations

import os
from pathlib import Path

DEFAULT_JWT_SECRET = "workshop-dev-secret-not-for-production-use"  # development only; set WORKSHOP_JWT_SECRET elsewhere


def jwt_secret() -> str:
    """The HS256 secret that signs and checks bearer tokens and upload URLs."""
    return os.environ.get("WORKSHOP_JWT_SECRET", DEFAULT_JWT_SECRET)


def max_upload_bytes() -> int:
    """The largest accepted source upload (default 100 MiB)."""
    return int(os.environ.get("WORKSHOP_MAX_UPLOAD_BYTES", str(100 * 1024 * 1024)))


def upload_lease_s() -> float:
    """The longest one upload holds its video (a holder that dies stops blocking retries after this)."""
    return float(os.environ.get("WORKSHOP_UPLOAD_LEASE_S", "300"))


def release() -> str:
    """The release name this process reports on /health."""
    return os.environ.get("WORKSHOP_RELEASE", "v1")


def state_dir() -> Path:
    """Where running architectures keep databases, media, logs and pid files."""
    default = Path(__file__).resolve().parent.parent / "var"  # the checkout's var/, wherever we run from
    return Path(os.environ.get("WORKSHOP_STATE_DIR", default)).resolve()


def upload_url_ttl_s() -> int:
    """How long an upload URL stays valid."""
    return int(os.environ.get("WORKSHOP_UPLOAD_TTL_S", "3600"))


def fault() -> str:
    """A deliberate fault of a bad release (for the rollback scenarios); empty means none."""
    return os.environ.get("WORKSHOP_FAULT", "")


def required(name: str) -> str:
    """The value of a variable a deployable cannot run without; fails fast when missing."""
    value = os.environ.get(name)
    if not value:
        raise SystemExit(f"missing required environment variable {name}")
    return value
