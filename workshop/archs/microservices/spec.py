"""The microservices' one description, microservices/compose.yaml, read for both backends.

Interpolation follows compose for `${VAR}` and `${VAR:-default}`; values come from the harness's
settings first, then the environment. Variables that end up empty are left out, so a service falls
back to its own development default.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from workshop.runtime import procs

COMPOSE_DIR = procs.PROJECT_ROOT / "microservices"
COMPOSE_FILE = COMPOSE_DIR / "compose.yaml"
_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def interpolate(value: Any, variables: dict[str, str], environ: Mapping[str, str] | None = None) -> Any:
    """`value` with every ${VAR} and ${VAR:-default} replaced, recursively through lists and dicts."""
    env = os.environ if environ is None else environ
    if isinstance(value, str):
        return _VAR.sub(lambda m: variables.get(m.group(1)) or env.get(m.group(1)) or (m.group(2) or ""), value)
    if isinstance(value, list):
        return [interpolate(v, variables, env) for v in value]
    if isinstance(value, dict):
        return {k: interpolate(v, variables, env) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Service:
    """One service of the compose file, as both backends run it."""

    name: str
    folder: Path
    image: str
    command: list[str]
    env: dict[str, str]
    volumes: list[tuple[str, str]]  # (host path, container path)
    depends_on: tuple[str, ...] = ()
    stop_grace_s: float = 10.0

    @property
    def port(self) -> int:
        """The service's port on 127.0.0.1 (its PORT variable)."""
        return int(self.env["PORT"])

    def process_env(self) -> dict[str, str]:
        """The environment for the process backend: container paths of volumes become host paths."""
        env = dict(self.env)
        for host, inside in self.volumes:
            for key, value in env.items():
                if value == inside or value.startswith(inside + "/"):
                    env[key] = host + value[len(inside):]
        return env


def _duration_s(text: str | None, default: float) -> float:
    if not text:
        return default
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(ms|s|m)?", str(text))
    if not match:
        return default
    return float(match.group(1)) * {"ms": 0.001, "s": 1, "m": 60, None: 1}[match.group(2)]


def duration_s(text: str | None, default: float) -> float:
    """A compose duration ("10s", "1m", "500ms") in seconds; `default` when it is missing or unreadable."""
    return _duration_s(text, default)


def _service(name: str, raw: dict[str, Any]) -> Service:
    env = {k: str(v) for k, v in (raw.get("environment") or {}).items() if v is not None and str(v) != ""}
    volumes = []
    for spec in raw.get("volumes") or []:
        host, inside = spec.split(":")[:2]
        volumes.append((str((COMPOSE_DIR / host).resolve()), inside))
    return Service(name=name, folder=COMPOSE_DIR / raw["build"]["context"], image=raw["image"],
                   command=list(raw["command"]), env=env, volumes=volumes,
                   depends_on=tuple(raw.get("depends_on") or ()),
                   stop_grace_s=_duration_s(raw.get("stop_grace_period"), 10.0))


def port_variable(service: str) -> str:
    """The variable compose.yaml takes a service's port from (WORKSHOP_MS_<SERVICE>_PORT)."""
    return f"WORKSHOP_MS_{service.upper()}_PORT"


def referenced_environment(path: Path = COMPOSE_FILE) -> dict[str, str]:
    """The variables the compose file refers to that are set now (saved at `up`, so later calls agree)."""
    names = {match.group(1) for match in _VAR.finditer(path.read_text())}
    return {name: os.environ[name] for name in sorted(names) if os.environ.get(name)}


def read(variables: dict[str, str] | None = None, path: Path = COMPOSE_FILE,
         environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The compose file as data, interpolated (`environ={}`: from `variables` and the defaults only)."""
    return interpolate(yaml.safe_load(path.read_text()), variables or {}, environ)


def load(variables: dict[str, str] | None = None, path: Path = COMPOSE_FILE,
         environ: Mapping[str, str] | None = None) -> tuple[dict[str, Service], dict]:
    """The services in start order (dependencies first) and the `x-workshop` settings."""
    raw = read(variables, path, environ)
    services = {name: _service(name, spec) for name, spec in raw["services"].items()}
    return _ordered(services), raw.get("x-workshop") or {}


def _ordered(services: dict[str, Service]) -> dict[str, Service]:
    done: dict[str, Service] = {}

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in path:
            raise ValueError(f"dependency cycle: {' -> '.join((*path, name))}")
        if name not in done:
            for dep in services[name].depends_on:
                visit(dep, (*path, name))
            done[name] = services[name]

    for name in services:
        visit(name, ())
    return done
