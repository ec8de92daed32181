"""Run the tiered SOA: data, logic and presentation tiers, each its own gunicorn, port and release.

A release of one tier stops it and starts the new one on the same port while the other two keep
serving; during the gap the tiers above it answer 503 `unavailable`, which is what the lesson shows.
"""

from __future__ import annotations

import time

from workshop import settings
from workshop.archs.servers import coldstart_study as coldstart_study  # the serverless-only parts
from workshop.archs.servers import lambda_concurrency as lambda_concurrency
from workshop.archs.servers import lambda_invocations as lambda_invocations
from workshop.archs.unorchestrated import orchestrated as orchestrated  # the harness rolls back
from workshop.archs.unorchestrated import self_rollback as self_rollback
from workshop.runtime import procs

NAME = "soa"
TIERS = ("data", "logic", "presentation")  # start order: each tier needs the one below it
DEFAULT_PORTS = {"presentation": 8011, "logic": 8012, "data": 8013}
ROOT = procs.PROJECT_ROOT


def preferred_port(tier: str) -> int:
    """The tier's usual port on 127.0.0.1 (WORKSHOP_SOA_<TIER>_PORT, else its default); a free one when taken."""
    return settings.port(f"soa_{tier}", DEFAULT_PORTS[tier])


def ports() -> dict[str, int]:
    """The ports the running SOA uses, by tier (as recorded by `up`), else the preferred ones."""
    info = procs.load_arch(NAME) or {}
    return info.get("ports") or {tier: preferred_port(tier) for tier in TIERS}


def url(tier: str) -> str:
    """The tier's base URL."""
    return f"http://127.0.0.1:{ports()[tier]}"


def tier_env(tier: str, release: str) -> dict[str, str]:
    """The configuration of one tier: its port and release, and the address of the tier below."""
    env = {"SOA_TIER": tier, "PORT": str(ports()[tier]), "WORKSHOP_RELEASE": release}
    if tier == "presentation":
        env["SOA_LOGIC_URL"] = url("logic")
    elif tier == "logic":
        env["SOA_DATA_URL"] = url("data")
    return env


def start_tier(tier: str, release: str = "v1", extra_env: dict[str, str] | None = None) -> str:
    """Start one tier on its recorded port, wait until it answers /health, and return its URL."""
    env = {**tier_env(tier, release), **(extra_env or {})}
    argv = [procs.PYTHON, "-m", "gunicorn", "-c", str(ROOT / "soa" / "gunicorn.conf.py"),
            f"soa.{tier}_tier:create_app()"]
    pid = procs.start(NAME, tier, argv, env=env, cwd=str(ROOT), port=ports()[tier])
    procs.wait_healthy(f"{url(tier)}/health", timeout_s=60, pid=pid)
    return url(tier)


def stop_tier(tier: str, timeout_s: float = 20) -> None:
    """Stop one tier gracefully: its gunicorn master first, then whatever is left of its process group."""
    procs.stop(NAME, tier, timeout_s)


def _record(tier_ports: dict[str, int], releases: dict[str, str]) -> None:
    procs.save_arch(NAME, {"url": f"http://127.0.0.1:{tier_ports['presentation']}", "ports": tier_ports,
                           "release": releases["presentation"], "backend": "process", "components": releases})


def _choose_ports() -> dict[str, int]:
    chosen: dict[str, int] = {}
    for tier in TIERS:
        port = procs.choose_port(preferred_port(tier))
        while port in chosen.values():  # two "any free port" picks can coincide
            port = procs.free_port()
        chosen[tier] = port
    return chosen


def up(backend: str | None = None, release: str = "v1") -> str:
    """Start the three tiers bottom up and wait until each is healthy; returns the public URL."""
    if procs.load_arch(NAME):
        raise procs.AlreadyUp("the SOA is already up (workshop status); run `workshop down soa` first")
    _record(_choose_ports(), {tier: release for tier in TIERS})  # first, so each tier finds the one below
    for tier in TIERS:
        start_tier(tier, release)
    return url("presentation")


def down() -> None:
    """Stop every tier, the edge first."""
    for tier in reversed(TIERS):
        stop_tier(tier)
    procs.stop_all(NAME)


def deploy(component: str | None, release: str, env: dict[str, str] | None = None) -> str:
    """Replace one tier with `release` on its port while the other two keep serving; returns the public URL."""
    if component not in TIERS:
        raise SystemExit(f"soa: deploy which tier? one of {', '.join(COMPONENTS)}")
    info = procs.load_arch(NAME)
    if info is None:
        raise SystemExit("the SOA is not up")
    stop_tier(component)
    start_tier(component, release, env)
    _record(info["ports"], {**info["components"], component: release})
    return url("presentation")


def pids() -> dict[str, int]:
    """The process ids of the running tiers, by tier."""
    return {name: rec["pid"] for name, rec in procs.records(NAME).items()}


ROLLBACK_COMPONENT = "logic"  # the tier with the business logic is the one a bad release usually hits
COMPONENTS = ("presentation", "logic", "data")


def new_capacity() -> float:
    """Seconds from starting one more logic-tier process to its first healthy answer (it is then stopped)."""
    port = procs.free_port()
    env = {**tier_env("logic", "v1"), "PORT": str(port), "SOA_EXTRA_INSTANCE": "1"}
    argv = [procs.PYTHON, "-m", "gunicorn", "-c", str(ROOT / "soa" / "gunicorn.conf.py"), "soa.logic_tier:create_app()"]
    started = time.monotonic()
    pid = procs.start(NAME, "logic-extra", argv, env=env, cwd=str(ROOT), port=port)
    try:
        procs.wait_healthy(f"http://127.0.0.1:{port}/health", timeout_s=60, pid=pid)
        return time.monotonic() - started
    finally:
        procs.stop(NAME, "logic-extra")
