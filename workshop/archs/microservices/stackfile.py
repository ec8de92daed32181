"""The Docker Swarm stack file derived from microservices/compose.yaml (pure: no engine needed).

What changes from compose.yaml, and why: images by tag (no registry here: the harness builds them and a
single node runs local images); the host network as an external network (stack deploy ignores
`network_mode`); each task's health check asks its own container, on a probe port the kernel picked and the
service wrote to a file in the container's own /tmp, because every task of a service shares the service's
port (SO_REUSEPORT) and environment, so the port would answer for whichever task the kernel picks; and a
`deploy:` section saying what Swarm does for a release: start-first rolling updates, one task at a time,
rolled back by Swarm itself when a new task fails.
"""

from __future__ import annotations

from typing import Any

import yaml

from workshop import settings
from workshop.archs.microservices.spec import Service, duration_s

PROBE_PORT_FILE = "/tmp/workshop-probe-port"  # in the container's own file system, so private to one task
HOST_NETWORK = "hostnet"
MIN_PROBE_TIMEOUT_S = 10.0
# GET /health on this task's probe port over a bare socket (python -S, no urllib: the probe is a new process
# every interval, so it should start fast even on a busy machine); exit 0 only on a 200.
PROBE_SCRIPT = ("import socket, sys; port = int(open('" + PROBE_PORT_FILE + "').read()); "
                "s = socket.create_connection(('127.0.0.1', port), 5); "
                "s.sendall(b'GET /health HTTP/1.0\\r\\nHost: probe\\r\\n\\r\\n'); "
                "sys.exit(0 if s.makefile('rb').readline().split()[1:2] == [b'200'] else 1)")


def stack_name(label: str) -> str:
    """The stack's name for one state folder's label (run.state_label()): two checkouts never share a stack."""
    return f"workshop-ms-{label}"


def image_tag(image: str, release: str, label: str) -> str:
    """The stack's own tag of a release's image (`workshop/ms-catalog:v1-<label>`).

    Tags are global to the engine: the docker backend of another checkout or test run rebuilds
    `workshop/ms-catalog:v1` from its own code, and a task Swarm starts later would run that. A tag private
    to the state folder keeps the stack on the images it built (the layers are shared through the cache).
    """
    return f"{image}:{release}-{label}"


def service_env(service: Service, release: str, extra: dict[str, str]) -> dict[str, str]:
    """A task's environment: compose's (as the docker backend resolves it), the release, the probe port file."""
    return {**service.env, "WORKSHOP_FAULT": "", **extra, "WORKSHOP_RELEASE": release,
            "WORKSHOP_PROBE_PORT_FILE": PROBE_PORT_FILE}


def healthcheck(raw: dict[str, Any]) -> dict[str, Any]:
    """compose.yaml's timings, with the test replaced by the probe of this task's own probe port.

    The timeout is at least MIN_PROBE_TIMEOUT_S: a probe that only runs slowly on a busy machine must not
    get a good task killed, and a bad release answers its 500 at once, so the floor does not delay detection.
    """
    check = {k: v for k, v in (raw or {}).items() if k in ("interval", "timeout", "retries", "start_period")}
    check["timeout"] = f"{max(MIN_PROBE_TIMEOUT_S, duration_s(check.get('timeout'), 0)):g}s"
    interval = settings.swarm_health_interval()
    if interval:
        check.update(interval=interval, start_period=interval)
    return {"test": ["CMD", "python", "-S", "-c", PROBE_SCRIPT], **check}


def deploy_section(raw: dict[str, Any], replicas: int) -> dict[str, Any]:
    """Replicas, compose's resources, and how Swarm rolls a release out and back."""
    reserve = settings.swarm_reserve()
    resources = {k: v for k, v in (raw.get("resources") or {}).items() if k != "reservations" or reserve}
    rollout = {"parallelism": 1, "order": "start-first", "monitor": settings.swarm_update_monitor(), "delay": "0s"}
    return {
        "replicas": replicas,
        **({"resources": resources} if resources else {}),
        "update_config": {**rollout, "failure_action": "rollback", "max_failure_ratio": 0},
        "rollback_config": {**rollout, "failure_action": "pause"},
        "restart_policy": {"condition": "any", "delay": "2s"},  # any: a worker exits 0 on SIGTERM
    }


def service_entry(service: Service, raw: dict[str, Any], release: str, extra_env: dict[str, str],
                  replicas: int, label: str) -> dict[str, Any]:
    """One service of the stack file."""
    grace = duration_s(raw.get("stop_grace_period"), service.stop_grace_s)
    return {
        "image": image_tag(service.image, release, label),
        "command": list(service.command),
        # stack deploy interpolates ${VAR} itself: a literal $ (a secret's, say) must reach the task as is
        "environment": {k: v.replace("$", "$$") for k, v in service_env(service, release, extra_env).items()},
        "volumes": [{"type": "bind", "source": host, "target": inside} for host, inside in service.volumes],
        "networks": [HOST_NETWORK],
        "init": True,  # a real PID 1 forwards SIGTERM, so a task drains instead of being killed
        "stop_grace_period": f"{grace:g}s",
        "healthcheck": healthcheck(raw.get("healthcheck") or {}),
        "labels": {"workshop": "1", "workshop.arch": "microservices", "workshop.state": label,
                   "workshop.service": service.name},
        "deploy": deploy_section(raw.get("deploy") or {}, replicas),
    }


def stack(services: dict[str, Service], compose: dict[str, Any], releases: dict[str, str],
          envs: dict[str, dict[str, str]], replicas: dict[str, int], label: str) -> dict[str, Any]:
    """The whole stack file: every service of compose.yaml on the host network."""
    raw = compose["services"]
    return {
        "version": "3.8",
        "services": {name: service_entry(svc, raw[name], releases[name], envs.get(name, {}),
                                         replicas.get(name, 1), label) for name, svc in services.items()},
        "networks": {HOST_NETWORK: {"external": True, "name": "host"}},
    }


def dump(data: dict[str, Any]) -> str:
    """The stack file as YAML text."""
    return yaml.safe_dump(data, sort_keys=False, width=200)
