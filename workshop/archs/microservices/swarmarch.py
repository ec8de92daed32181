"""The microservices as a Docker Swarm stack: `workshop up microservices --backend swarm`.

The harness builds each service's image (as the docker backend does), writes the stack file derived from
compose.yaml (stackfile.py) and deploys it; from then on Swarm does the releases: `deploy` is a
`docker service update` (new image tag, new environment), which Swarm rolls out task by task, start-first,
health-checked, and rolls back by itself when a new task fails (swarmrelease.py); `scale` sets the
replicas. The local AWS (moto) stays a harness process, as on the other backends.
"""

from __future__ import annotations

from workshop import settings
from workshop.archs.microservices import run as ms_run
from workshop.archs.microservices import spec as ms_spec
from workshop.archs.microservices import stackfile, swarm
from workshop.archs.microservices.run import ARCH
from workshop.records import ArchRecord
from workshop.runtime import procs

BACKEND = "swarm"


def timeout_s() -> float:
    """How long a deploy or an update may take to converge (twice the instance health timeout)."""
    return 2 * settings.ms_health_timeout_s()


def build(info: ArchRecord, name: str, release: str) -> str:
    """Build a release of a service under the stack's own tag (once per run); returns the tag."""
    service = ms_spec.load(info["variables"])[0][name]
    tag = stackfile.image_tag(service.image, release, ms_run.state_label())
    if tag not in info["images"]:
        info["images"][tag] = ms_run.DockerBackend().build(service, release, tag)
        procs.save_arch(ARCH, info)
    return tag


def remove_images(info: ArchRecord) -> None:
    """Remove the stack's own tags (the images, where nothing else tags them), build stages included."""
    from docker.errors import ImageNotFound

    from workshop.runtime import containers

    engine, mine = containers.client(), f"-{ms_run.state_label()}"
    repos = {tag.split(":")[0] for tag in info.get("images", {})}
    for image in (i for repo in repos for i in engine.images.list(name=repo)):
        for tag in image.tags:
            if mine in tag.split(":")[-1]:
                try:
                    engine.images.remove(tag)
                except ImageNotFound:
                    pass  # removed a moment ago through another of its tags


def write_stack(info: ArchRecord) -> None:
    """Write the stack file of the recorded releases, environments and replicas, and deploy it."""
    services, _ = ms_spec.load(info["variables"])
    compose = ms_spec.read(info["variables"])
    data = stackfile.stack(services, compose, info["components"], info["env"], info.get("replicas", {}),
                           ms_run.state_label())
    path = procs.run_dir(ARCH) / "stack.yaml"
    path.write_text(stackfile.dump(data))
    swarm.deploy_stack(info["stack"], path)


def up(info: ArchRecord, release: str) -> None:
    """Build the images, deploy the stack and wait until every service runs its replicas, healthy."""
    services = ms_spec.load(info["variables"])[0]
    for service in services.values():
        ms_run.prepare(service)  # bind mounts need their host folders
        build(info, service.name, release)
        info["components"][service.name] = release
    info["stack"] = stackfile.stack_name(ms_run.state_label())
    info["swarm_initialized"] = swarm.ensure_swarm()  # down leaves only a swarm a workshop harness made
    info["replicas"] = {name: 1 for name in services}
    procs.save_arch(ARCH, info)
    write_stack(info)
    for name in services:
        try:
            took = swarm.wait(lambda n=name: swarm.converged(info["stack"], n), timeout_s(), f"{name} healthy")
        except TimeoutError as exc:
            raise TimeoutError(f"{exc}; its tasks: {swarm.task_errors(info['stack'], name)}") from None
        info.setdefault("healthy_s", {})[name] = round(took, 3)
    procs.save_arch(ARCH, info)


def answers(info: ArchRecord) -> bool:
    """Whether the stack still runs every service (the gateway's answer is checked by the caller)."""
    try:
        return all(swarm.running_tasks(info["stack"], name) for name in info["components"])
    except Exception:
        return False


def down(info: ArchRecord) -> str | None:
    """Remove the stack and wait for its tasks to go; leave the swarm if we made it and nothing else runs."""
    if info.get("stack"):
        swarm.remove_stack(info["stack"])
    remove_images(info)
    if swarm.leave_if_unused():
        return "left the swarm a workshop harness had initialized (no service is left on it)"
    return None


def scale(info: ArchRecord, name: str, count: int) -> list[str]:
    """Set the service's replicas and wait until that many tasks run healthy; returns the tasks' names."""
    info.setdefault("replicas", {})[name] = count
    procs.save_arch(ARCH, info)
    swarm.scale(info["stack"], name, count)
    try:
        swarm.wait(lambda: swarm.converged(info["stack"], name), timeout_s(), f"{count} replicas of {name}")
    except TimeoutError as exc:  # e.g. "no suitable node (insufficient resources on 1 node)"
        raise TimeoutError(f"{exc}; its tasks: {swarm.task_errors(info['stack'], name)}") from None
    return sorted(swarm.task_pids(info["stack"], name))


def pids(info: ArchRecord) -> dict[str, int]:
    """The main process of every running task, as host pids."""
    out: dict[str, int] = {}
    for name in info["components"]:
        out.update(swarm.task_pids(info["stack"], name))
    return out


def new_capacity(info: ArchRecord, name: str) -> float:
    """Seconds from asking Swarm for one more replica of `name` until it runs healthy (then scaled back)."""
    count = info.get("replicas", {}).get(name, 1)
    swarm.scale(info["stack"], name, count + 1)
    try:
        return swarm.wait(lambda: swarm.converged(info["stack"], name), timeout_s(), f"a new {name} task", 0.1)
    finally:
        scale(info, name, count)
