"""The Docker Swarm engine calls of the `swarm` backend: the swarm itself, the stack, its services and tasks.

Stacks are deployed with the docker CLI (`docker stack deploy` has no API of its own); services and tasks
are read through the Docker SDK. Service names are `<stack>_<service>`, as `docker stack deploy` names them.
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path
from typing import Any

from workshop.runtime import containers

NAMESPACE = "com.docker.stack.namespace"
MADE_BY = "workshop.made"  # node label: a workshop harness ran `docker swarm init` on this engine
DONE = ("completed", "rollback_completed", "paused", "rollback_paused")  # an update that stopped moving


def docker(*args: str, timeout: float = 120) -> str:
    """Run `docker ARGS`; returns stdout, raises RuntimeError with stderr when it fails."""
    proc = subprocess.run(["docker", *args], capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"docker {' '.join(args[:3])} failed: {proc.stderr.strip() or proc.stdout.strip()}")
    return proc.stdout


def node_state() -> str:
    """This engine's swarm state: inactive, active, pending, error or locked."""
    return str(containers.client().info()["Swarm"]["LocalNodeState"])


def ensure_swarm() -> bool:
    """Make this engine a single-node swarm manager if it is none; True when this call did it."""
    state = node_state()
    if state == "active":
        return False
    if state != "inactive":
        raise RuntimeError(f"this engine's swarm is {state}; fix it (docker swarm leave --force) and retry")
    try:
        docker("swarm", "init", "--advertise-addr", "127.0.0.1")
    except RuntimeError:
        if node_state() == "active":  # another run initialized it a moment ago: use it, do not claim it
            return False
        raise
    # Labelled on the node, not only in this run's record: when two runs overlap, the last one down leaves.
    docker("node", "update", "--label-add", f"{MADE_BY}=1", containers.client().info()["Swarm"]["NodeID"])
    return True


def made_by_workshop() -> bool:
    """Whether a workshop harness initialized this engine's swarm (the node's label says so)."""
    node = containers.client().nodes.get(containers.client().info()["Swarm"]["NodeID"])
    return MADE_BY in (node.attrs["Spec"].get("Labels") or {})


def leave_if_unused() -> bool:
    """Leave the swarm a workshop harness made (`docker swarm leave --force`) once no service of anyone is
    left on it; a swarm that was there before is never left. True when it left."""
    if node_state() != "active" or not made_by_workshop() or containers.client().services.list():
        return False
    docker("swarm", "leave", "--force")
    return True


def deploy_stack(stack: str, stack_file: Path) -> None:
    """`docker stack deploy` the file under `stack`; local images by tag (nothing to resolve, no registry)."""
    docker("stack", "deploy", "--resolve-image", "never", "--detach=true", "-c", str(stack_file), stack,
           timeout=300)


def service(stack: str, name: str) -> Any:
    """The SDK's service `<stack>_<name>`."""
    return containers.client().services.get(f"{stack}_{name}")


def update_status(stack: str, name: str) -> dict[str, Any]:
    """The service's UpdateStatus (State, StartedAt, CompletedAt, Message); {} before any update."""
    return dict(service(stack, name).attrs.get("UpdateStatus") or {})


def running_tasks(stack: str, name: str) -> list[dict[str, Any]]:
    """The service's tasks that should run and do (healthy, since Swarm waits for the health check)."""
    tasks = service(stack, name).tasks(filters={"desired-state": "running"})
    return [t for t in tasks if t["Status"]["State"] == "running"]


def task_errors(stack: str, name: str, last: int = 3) -> str:
    """The service's latest task states and errors, for a message that says why it does not converge."""
    tasks = sorted(service(stack, name).tasks(), key=lambda t: t["Status"]["Timestamp"])[-last:]
    return "; ".join(f"{t['Status']['State']} {t['Status'].get('Err', '')}".strip() for t in tasks)


def converged(stack: str, name: str) -> bool:
    """Whether the service runs exactly its replicas, all healthy, and no update is moving."""
    attrs = service(stack, name).attrs
    replicas = attrs["Spec"]["Mode"]["Replicated"]["Replicas"]
    state = (attrs.get("UpdateStatus") or {}).get("State")
    tasks = service(stack, name).tasks(filters={"desired-state": "running"})
    ready = [t for t in tasks if t["Status"]["State"] == "running"]
    return len(ready) == len(tasks) == replicas and state in (None, *DONE)


def wait(predicate: Any, timeout_s: float, what: str, poll_s: float = 0.5) -> float:
    """Poll `predicate()` until true; returns the seconds it took, raises TimeoutError naming `what`."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout_s:
            raise TimeoutError(f"{what} not reached within {timeout_s:.0f} s")
        time.sleep(poll_s)
    return time.monotonic() - start


def update(stack: str, name: str, image: str, env: dict[str, str]) -> None:
    """Start a rolling update of the service to `image` with `env` set; returns once Swarm has begun it.

    `--force`: a release of the same image and environment still replaces the tasks, as on the other
    backends. Until Swarm starts the update, UpdateStatus still describes the previous one (or nothing),
    which would read as "converged", so this waits for a new StartedAt.
    """
    before = update_status(stack, name).get("StartedAt")
    env_args = [arg for key, value in env.items() for arg in ("--env-add", f"{key}={value}")]
    docker("service", "update", "--detach", "--force", "--no-resolve-image", "--image", image, *env_args,
           f"{stack}_{name}")
    wait(lambda: update_status(stack, name).get("StartedAt") not in (None, before), 60,
         f"the start of the update of {name}", 0.05)


def scale(stack: str, name: str, replicas: int) -> None:
    """Set the service's replica count (Swarm starts or stops tasks)."""
    docker("service", "scale", "--detach", f"{stack}_{name}={replicas}")


def task_pids(stack: str, name: str) -> dict[str, int]:
    """Host pids of the main process of each running task (the child of the container's init)."""
    out = {}
    for task in running_tasks(stack, name):
        status = task["Status"].get("ContainerStatus") or {}
        init_pid, container_id = int(status.get("PID") or 0), status.get("ContainerID")
        if not container_id:
            continue
        key = f"{name}.{task.get('Slot', 0)}.{task['ID'][:6]}"
        try:
            top = containers.client().containers.get(container_id).top(ps_args="-o pid,ppid")
            rows = [(int(r[0]), int(r[1])) for r in top["Processes"]]
            out[key] = next((pid for pid, ppid in rows if ppid == init_pid), init_pid)
        except Exception:  # the task ended between the two calls: the init pid is the best we know
            out[key] = init_pid
    return out


def remove_stack(stack: str, timeout_s: float = 120) -> None:
    """`docker stack rm`, then wait until none of its services or containers is left."""
    if node_state() != "active":
        return  # no swarm any more: leaving it removed every service and task with it
    engine = containers.client()
    if engine.services.list(filters={"label": f"{NAMESPACE}={stack}"}):
        docker("stack", "rm", stack)

    def gone() -> bool:
        return not (engine.services.list(filters={"label": f"{NAMESPACE}={stack}"})
                    or engine.containers.list(all=True, sparse=True, filters={"label": f"{NAMESPACE}={stack}"}))

    wait(gone, timeout_s, f"removal of stack {stack}")
