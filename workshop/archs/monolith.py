"""Run the monolith: one gunicorn unit; a release replaces the whole unit."""

from __future__ import annotations

import signal
import tempfile
import time

from workshop import settings
from workshop.archs.servers import coldstart_study as coldstart_study  # the serverless-only parts
from workshop.archs.servers import lambda_concurrency as lambda_concurrency
from workshop.archs.servers import lambda_invocations as lambda_invocations
from workshop.archs.unorchestrated import orchestrated as orchestrated  # the harness rolls back
from workshop.archs.unorchestrated import self_rollback as self_rollback
from workshop.runtime import procs

NAME = "monolith"
ROOT = procs.PROJECT_ROOT


def preferred_port() -> int:
    """The monolith's usual port on 127.0.0.1 (another free one is used when it is taken)."""
    return settings.port("monolith", 8001)


def _start(release: str, port: int, extra_env: dict[str, str] | None = None) -> str:
    env = {"PORT": str(port), "WORKSHOP_RELEASE": release, **(extra_env or {})}
    argv = [procs.PYTHON, "-m", "gunicorn", "-c", str(ROOT / "monolith" / "gunicorn.conf.py"),
            "monolith.app:create_app()"]
    pid = procs.start(NAME, "web", argv, env=env, cwd=str(ROOT), port=port)
    url = f"http://127.0.0.1:{port}"
    procs.wait_healthy(f"{url}/health", timeout_s=60, pid=pid)
    procs.save_arch(NAME, {"url": url, "port": port, "release": release, "backend": "process",
                           "components": {"web": release}})
    return url


def up(backend: str | None = None, release: str = "v1") -> str:
    """Start the monolith and wait until it is healthy; returns its base URL."""
    if procs.load_arch(NAME):
        raise procs.AlreadyUp("the monolith is already up (workshop status); run `workshop down monolith` first")
    return _start(release, procs.choose_port(preferred_port()))


def down() -> None:
    """Stop the monolith and everything it started."""
    procs.stop_all(NAME)


def deploy(component: str | None, release: str, env: dict[str, str] | None = None) -> str:
    """Replace the whole unit with `release` (the component is always the whole monolith)."""
    info = procs.load_arch(NAME)
    if info is None:
        raise SystemExit("the monolith is not up")
    procs.stop(NAME, "web")
    return _start(release, info["port"], env)


def pids() -> dict[str, int]:
    """The process ids of the running unit, by name."""
    return {name: rec["pid"] for name, rec in procs.records(NAME).items()}


ROLLBACK_COMPONENT = None  # a release replaces the whole unit
COMPONENTS = ("monolith",)


def new_capacity() -> float:
    """Start one more monolith unit, time it to its first 200 on GET /videos, stop it.

    The extra unit has an empty catalog of its own, so it cannot take the running unit's jobs.
    """
    port = procs.free_port()
    argv = [procs.PYTHON, "-m", "gunicorn", "-c", str(procs.PROJECT_ROOT / "monolith" / "gunicorn.conf.py"),
            "monolith.app:create_app()"]
    with tempfile.TemporaryDirectory(prefix="coldstart-") as state:
        start = time.monotonic()
        pid = procs.start(NAME, f"extra-{port}", argv, port=port, cwd=str(procs.PROJECT_ROOT),
                          env={"PORT": str(port), "WORKSHOP_STATE_DIR": state, "WORKSHOP_RELEASE": "coldstart"})
        try:
            return procs.wait_healthy(f"http://127.0.0.1:{port}/videos", 60, pid, start=start, poll_s=0.01)
        finally:
            procs.stop(NAME, f"extra-{port}", timeout_s=3, leader_signal=signal.SIGINT)
