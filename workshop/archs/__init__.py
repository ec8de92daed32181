"""One module per architecture; the harness and the CLI only use this interface.

Each module in MODULES provides:
- `up(backend: str | None = None, release: str = "v1") -> str`: start everything, wait healthy, return the base URL.
- `down() -> None`: stop everything it started (idempotent).
- `deploy(component: str | None, release: str, env: dict[str, str] | None = None) -> str`: release one
  component (monolith: the whole unit); `env` may carry `WORKSHOP_FAULT` to make it a bad release.
- `pids() -> dict[str, int]`: the processes of the system under test, for CPU and memory sampling.
- `ROLLBACK_COMPONENT: str | None`: the component the rollback scenario releases a bad version of.
- `COMPONENTS: tuple[str, ...]`: what can be released on its own.
"""

from __future__ import annotations

import importlib
from types import ModuleType

ARCHITECTURES = ("monolith", "soa", "microservices", "serverless")


MODULES = {  # architecture -> the module that runs it
    "monolith": "workshop.archs.monolith",
    "soa": "workshop.archs.soa",
    "microservices": "workshop.archs.microservices.arch",
    "serverless": "workshop.archs.serverless.arch",
}


def load(name: str) -> ModuleType:
    """The module that runs architecture `name`."""
    if name not in MODULES:
        raise SystemExit(f"unknown architecture {name!r}; choose from {', '.join(ARCHITECTURES)}")
    return importlib.import_module(MODULES[name])


def available() -> list[str]:
    """The architectures this checkout runs (all four)."""
    return list(ARCHITECTURES)
