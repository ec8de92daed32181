"""The two backends that run one instance of a microservice: a plain process, or a Docker container.

Both give an instance the service's environment from compose.yaml, its release, and a private probe
port (WORKSHOP_PROBE_PORT) next to the shared service port, so the harness can tell when *this*
instance is healthy while another one (the old release, a replica) answers on the service port.
Each instance is recorded as run/microservices/<instance>.json (pid, ports, release, container).
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import time
from pathlib import Path
from typing import Any

from videocatalog import config
from workshop import settings
from workshop.archs.microservices.spec import Service
from workshop.runtime import procs

ARCH = "microservices"
HEALTH_TIMEOUT_S = settings.ms_health_timeout_s()


def state_label() -> str:
    """A short name for this state folder: containers of two checkouts or test runs never clash."""
    return hashlib.sha256(str(config.state_dir()).encode()).hexdigest()[:8]


def record_path(instance: str) -> Path:
    return procs.run_dir(ARCH) / f"{instance}.json"


def instances() -> dict[str, dict]:
    """Every recorded service instance, by instance name."""
    return {name: rec for name, rec in procs.records(ARCH).items() if "service" in rec}


def _save(instance: str, record: dict) -> dict:
    record_path(instance).write_text(json.dumps(record))
    return record


def prepare(service: Service) -> None:
    """Make the host folders of the service's bind mounts."""
    for host, _ in service.volumes:
        os.makedirs(host, exist_ok=True)


class ProcessBackend:
    """Instances as process groups started in the service's folder with the venv's Python."""

    name = "process"

    def start(self, service: Service, instance: str, release: str, extra_env: dict[str, str]) -> dict:
        prepare(service)
        probe = procs.free_port()
        env = {**service.process_env(), "WORKSHOP_FAULT": "", **extra_env, "WORKSHOP_RELEASE": release,
               "WORKSHOP_PROBE_PORT": str(probe)}
        argv = [procs.PYTHON if service.command[0] in ("python", "python3") else service.command[0],
                *service.command[1:]]
        pid = procs.start(ARCH, instance, argv, env=env, cwd=str(service.folder))
        record = {**json.loads(record_path(instance).read_text()), "service": service.name, "backend": self.name,
                  "port": service.port, "probe_port": probe, "release": release, "env": extra_env}
        _save(instance, record)
        record["healthy_s"] = procs.wait_healthy(f"http://127.0.0.1:{probe}/health", HEALTH_TIMEOUT_S, pid=pid)
        return _save(instance, record)

    def stop(self, instance: str, record: dict, grace_s: float) -> None:
        """SIGTERM to the main process only (it drains its workers; ffmpeg children finish), then KILL the group."""
        pid = record["pid"]
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline and procs.alive(pid):
            _reap(pid)
            time.sleep(0.05)
        try:
            os.killpg(pid, signal.SIGKILL)  # whatever is left of the group, e.g. a worker's ffmpeg
        except (ProcessLookupError, PermissionError):
            pass
        _reap(pid)
        record_path(instance).unlink(missing_ok=True)

    def main_pid(self, record: dict) -> int:
        return record["pid"]


def _reap(pid: int) -> None:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


class DockerBackend:
    """Instances as containers of the service's image on the host network (see workshop.runtime.containers)."""

    name = "docker"

    def __init__(self) -> None:
        from workshop.runtime import (
            containers,  # imported here: the process backend must work without the docker SDK's engine
        )

        self.containers = containers

    def build(self, service: Service, release: str, tag: str | None = None) -> dict[str, Any]:
        """Build the service's image tagged with the release (or `tag`); returns its tag, size and build time."""
        info = self.containers.build_image(service.folder, tag or f"{service.image}:{release}")
        return {"tag": info.tag, "size_bytes": info.size_bytes, "build_s": round(info.build_s, 2)}

    def start(self, service: Service, instance: str, release: str, extra_env: dict[str, str]) -> dict:
        prepare(service)
        probe = procs.free_port()
        env = {**service.env, **extra_env, "WORKSHOP_RELEASE": release, "WORKSHOP_PROBE_PORT": str(probe)}
        volumes = {host: {"bind": inside, "mode": "rw"} for host, inside in service.volumes}
        container = self.containers.run_container(
            f"{service.image}:{release}", f"workshop-ms-{state_label()}-{instance}", env=env, command=service.command,
            arch=ARCH, volumes=volumes,
            labels={"workshop.service": service.name, "workshop.release": release, "workshop.state": state_label()})
        record = {"pid": 0, "service": service.name, "backend": self.name, "port": service.port,
                  "probe_port": probe, "release": release, "env": extra_env, "container": container.id,
                  "started": time.time()}
        _save(instance, record)
        healthy = self.containers.wait_healthy(f"http://127.0.0.1:{probe}/health", HEALTH_TIMEOUT_S, container)
        container.reload()
        record.update(pid=container.attrs["State"]["Pid"], healthy_s=round(healthy, 3))
        return _save(instance, record)

    def stop(self, instance: str, record: dict, grace_s: float) -> None:
        from docker.errors import NotFound

        try:
            container = self.containers.client().containers.get(record["container"])
            container.stop(timeout=int(grace_s))
            container.remove(force=True)
        except NotFound:
            pass
        record_path(instance).unlink(missing_ok=True)

    def main_pid(self, record: dict) -> int:
        """The service's own main process (the child of the container's init), as a host pid."""
        try:
            top = self.containers.client().containers.get(record["container"]).top(ps_args="-o pid,ppid")
            rows = [(int(r[0]), int(r[1])) for r in top["Processes"]]
            return next((pid for pid, ppid in rows if ppid == record["pid"]), record["pid"])
        except Exception:  # gone or engine down: the recorded init pid is the best we know
            return record["pid"]


def backend(name: str) -> ProcessBackend | DockerBackend:
    """The backend called `name`."""
    return DockerBackend() if name == "docker" else ProcessBackend()
