"""The harness's settings: small functions over environment variables, each with a working local default.

Every entry point (the CLI, the notebooks' helpers, the benchmarks) reads them here, so a variable means
the same thing everywhere. The app's own settings (secrets, limits, the state folder) are in
`videocatalog.config`, which the harness shares.
"""

from __future__ import annotations

import os
from pathlib import Path

from videocatalog import config

TRUE_WORDS = ("1", "true", "yes", "on")
PROJECT_ROOT = Path(__file__).resolve().parents[1]  # the checkout


def flag(name: str) -> bool:
    """True when environment variable `name` says yes (1, true, yes or on, any case)."""
    return os.environ.get(name, "").strip().lower() in TRUE_WORDS


def quick() -> bool:
    """Quick mode (WORKSHOP_QUICK): smaller loads and shorter runs, for CI and a first look."""
    return flag("WORKSHOP_QUICK")


def state_dir() -> Path:
    """Where running architectures keep databases, media, logs and pid files (WORKSHOP_STATE_DIR)."""
    return config.state_dir()


def port(name: str, default: int) -> int:
    """The preferred 127.0.0.1 port of one server, from WORKSHOP_<NAME>_PORT (another is chosen when taken)."""
    return int(os.environ.get(f"WORKSHOP_{name.upper()}_PORT", str(default)))


def load_shape() -> str:
    """The default Locust load shape of `workshop load` (WORKSHOP_SHAPE)."""
    return os.environ.get("WORKSHOP_SHAPE", "steady")


def ms_health_timeout_s() -> float:
    """How long a microservice instance may take to answer its health check (WORKSHOP_MS_HEALTH_TIMEOUT_S)."""
    return float(os.environ.get("WORKSHOP_MS_HEALTH_TIMEOUT_S", "90"))


def cache_dir() -> Path:
    """Where container wheelhouses and base images are cached between runs (WORKSHOP_CACHE_DIR)."""
    return Path(os.environ.get("WORKSHOP_CACHE_DIR", Path.home() / ".cache" / "workshop"))


def base_image() -> str | None:
    """The container base image chosen by the user (WORKSHOP_BASE_IMAGE), if any."""
    return os.environ.get("WORKSHOP_BASE_IMAGE") or None


def prices_file() -> str | None:
    """A prices file that replaces the bundled one (WORKSHOP_PRICES), if any."""
    return os.environ.get("WORKSHOP_PRICES") or None


def aws_latency_file() -> str | None:
    """A latency file whose entries replace those of workshop/data/aws_latency.json (WORKSHOP_AWS_LATENCY), if any."""
    return os.environ.get("WORKSHOP_AWS_LATENCY") or None


def executed_notebooks_dir() -> Path:
    """Where the notebook tests keep executed copies for the reference edition (WORKSHOP_EXECUTED_NOTEBOOKS).

    Default: results/notebooks-executed in the checkout.
    """
    return Path(os.environ.get("WORKSHOP_EXECUTED_NOTEBOOKS") or PROJECT_ROOT / "results" / "notebooks-executed")


def swarm_health_interval() -> str | None:
    """A faster Swarm health check than compose.yaml's, e.g. "1s" for tests (WORKSHOP_SWARM_HEALTH_INTERVAL)."""
    return os.environ.get("WORKSHOP_SWARM_HEALTH_INTERVAL") or None


def swarm_update_monitor() -> str:
    """How long Swarm watches each new task for a failure before the next (WORKSHOP_SWARM_UPDATE_MONITOR, 10s)."""
    return os.environ.get("WORKSHOP_SWARM_UPDATE_MONITOR", "10s")


def swarm_reserve() -> bool:
    """WORKSHOP_SWARM_RESERVE (default 1): keep compose's reservations in the Swarm stack; 0 drops them (limits stay).

    Swarm schedules a task only where its reservations fit: on a 2-core machine that already runs another
    stack, one more transcode worker (0.5 CPU) stays pending with "insufficient resources".
    """
    return os.environ.get("WORKSHOP_SWARM_RESERVE", "1") != "0"
