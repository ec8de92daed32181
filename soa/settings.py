"""The SOA's configuration: each tier reads only what it needs, peers' addresses are required."""

from __future__ import annotations

import os
from pathlib import Path

from videocatalog import config


def data_url() -> str:
    """Where the logic tier finds the data tier (required: no tier guesses its peers)."""
    return config.required("SOA_DATA_URL")


def logic_url() -> str:
    """Where the presentation tier finds the logic tier (required)."""
    return config.required("SOA_LOGIC_URL")


def data_dir() -> Path:
    """The data tier's database and media folder."""
    return Path(os.environ.get("SOA_DATA_DIR") or config.state_dir() / "soa")


def job_lease_s() -> float:
    """How long a claimed transcoding job stays hidden from other workers before it comes back."""
    return float(os.environ.get("SOA_JOB_LEASE_S", "600"))
