"""One module per architecture, each implementing `Architecture`; the harness and the CLI only use this interface."""

from __future__ import annotations

import importlib
from typing import Any, Protocol, cast


class Architecture(Protocol):
    """What the harness needs of an architecture; each module in MODULES implements it."""

    NAME: str
    COMPONENTS: tuple[str, ...]  # what can be released on its own
    ROLLBACK_COMPONENT: str | None  # what the rollback scenario releases a bad version of (None: the whole unit)

    def up(self, backend: str | None = None, release: str = "v1") -> str:
        """Start everything, wait until healthy, return the base URL."""

    def down(self) -> None:
        """Stop everything it started (idempotent)."""

    def deploy(self, component: str | None, release: str, env: dict[str, str] | None = None) -> str:
        """Release one component (None: the whole unit); `env` may carry WORKSHOP_FAULT for a bad release."""

    def pids(self) -> dict[str, int]:
        """The processes of the system under test, for CPU and memory sampling."""

    def new_capacity(self) -> float:
        """Seconds from "new capacity is needed" to its first 200."""

    def lambda_invocations(self) -> list[dict[str, Any]]:
        """The billing records of every function invocation so far (empty where nothing is billed per call)."""

    def lambda_concurrency(self, since: float, until: float) -> dict[str, Any] | None:
        """Peak concurrent function environments and throttles between two times (None: not serverless)."""

    def coldstart_study(self, quick: bool = False) -> Any:
        """A DataFrame of the architecture's own cold-start study, or None where it has none."""

    def orchestrated(self) -> bool:
        """Whether an orchestrator runs it now and rolls a failing release back by itself (Docker Swarm)."""

    def self_rollback(self, component: str, release: str, env: dict[str, str]) -> dict | None:
        """On an orchestrator: release, wait until it finished or rolled back; the update's times (None elsewhere)."""


ARCHITECTURES = ("monolith", "soa", "microservices", "serverless")


MODULES = {  # architecture -> the module that runs it
    "monolith": "workshop.archs.monolith",
    "soa": "workshop.archs.soa",
    "microservices": "workshop.archs.microservices.arch",
    "serverless": "workshop.archs.serverless.arch",
}


def load(name: str) -> Architecture:
    """The module that runs architecture `name`."""
    if name not in MODULES:
        raise SystemExit(f"unknown architecture {name!r}; choose from {', '.join(ARCHITECTURES)}")
    return cast(Architecture, importlib.import_module(MODULES[name]))
