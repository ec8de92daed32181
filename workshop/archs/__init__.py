"""One module per architecture; the harness and the CLI only use this interface.

Each module `workshop.archs.<name>` provides:
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


def load(name: str) -> ModuleType:
    """The module that runs architecture `name`."""
    if name not in ARCHITECTURES:
        raise SystemExit(f"unknown architecture {name!r}; choose from {', '.join(ARCHITECTURES)}")
    try:
        return importlib.import_module(f"workshop.archs.{name}")
    except ModuleNotFoundError as exc:
        if exc.name == f"workshop.archs.{name}":
            raise SystemExit(f"architecture {name!r} is not built yet") from exc
        raise


def available() -> list[str]:
    """The architectures that exist in this checkout."""
    out = []
    for name in ARCHITECTURES:
        try:
            load(name)
            out.append(name)
        except SystemExit:
            pass
    return out
