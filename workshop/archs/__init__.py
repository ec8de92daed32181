"""One module per architecture, each with `up`, `down`, `deploy` and `describe`."""

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
