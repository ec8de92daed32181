"""Run the microservices from microservices/compose.yaml: as containers, plain processes, or a Swarm stack.

`up` starts the local AWS (moto) and creates the job queue with its dead-letter queue, then each
service in dependency order; `deploy` releases one service while the others keep serving (the new
instance shares the port through SO_REUSEPORT, then the old one drains); `scale` sets the number of
instances of a service (transcode workers, typically). On the `swarm` backend (swarmarch.py) the
orchestrator does both: a release is a rolling service update, scaling the service's replicas.
See workshop/archs/__init__.py for the interface.
"""

from __future__ import annotations

import sys

from videocatalog import config
from workshop.archs.microservices import aws as ms_localaws
from workshop.archs.microservices import run as ms_run
from workshop.archs.microservices import spec as ms_spec
from workshop.archs.microservices import swarmarch, swarmrelease
from workshop.archs.microservices.run import ARCH
from workshop.archs.microservices.spec import Service
from workshop.archs.servers import coldstart_study as coldstart_study  # the serverless-only parts
from workshop.archs.servers import lambda_concurrency as lambda_concurrency
from workshop.archs.servers import lambda_invocations as lambda_invocations
from workshop.records import ArchRecord
from workshop.runtime import procs

NAME = ARCH
COMPONENTS = ("gateway", "catalog", "upload", "transcode", "analytics")
ROLLBACK_COMPONENT = "catalog"


def _answers(info: ArchRecord) -> bool:
    import requests

    if info.get("backend") == swarmarch.BACKEND:
        alive = swarmarch.answers(info)
    else:
        alive = all(procs.alive(r["pid"]) for r in ms_run.instances().values())
    try:
        return alive and requests.get(info["url"] + "/health", timeout=2).status_code == 200
    except requests.RequestException:
        return False


def _info() -> ArchRecord:
    info = procs.load_arch(ARCH)
    if info is None:
        raise SystemExit("microservices is not up; run `workshop up microservices` first")
    return info


def _services(info: ArchRecord) -> dict[str, Service]:
    return ms_spec.load(info["variables"])[0]


def _next_instance(info: ArchRecord, service: str) -> str:
    counters = info.setdefault("counters", {})
    counters[service] = counters.get(service, 0) + 1
    return f"{service}-{counters[service]}"


def _start(info: ArchRecord, service: Service, release: str, env: dict[str, str]) -> dict:
    runner = ms_run.backend(info["backend"])
    if isinstance(runner, ms_run.DockerBackend) and f"{service.name}:{release}" not in info["images"]:
        info["images"][f"{service.name}:{release}"] = runner.build(service, release)
    name = _next_instance(info, service.name)
    procs.save_arch(ARCH, info)  # the counter, before anything can fail
    record = runner.start(service, name, release, env)
    info.setdefault("healthy_s", {})[name] = record["healthy_s"]
    return record


def _of(service: str) -> dict[str, dict]:
    return {n: r for n, r in ms_run.instances().items() if r["service"] == service}


def _stop(info: ArchRecord, instance: str, record: dict, services: dict[str, Service]) -> None:
    grace = services[record["service"]].stop_grace_s if record["service"] in services else 10
    ms_run.backend(record["backend"]).stop(instance, record, grace)


def up(backend: str | None = None, release: str = "v1") -> str:
    """Start the local AWS and every service, each waited healthy; returns the gateway's URL."""
    if backend is None:
        from workshop.runtime import containers

        backend = "docker" if containers.engine_available() else "process"
    variables = {**ms_spec.referenced_environment(), "WORKSHOP_STATE_DIR": str(config.state_dir())}
    existing = procs.load_arch(ARCH)
    if existing is not None:
        if _answers(existing):
            if existing.get("backend") == backend:
                return existing["url"]  # already up (a re-run notebook cell, say): keep it
            raise procs.AlreadyUp(f"microservices is already up on the {existing.get('backend')} backend "
                                  "(workshop status); run `workshop down microservices` first")
        down()  # what a dead run left behind
    services, settings = ms_spec.load(variables)
    for service in services.values():  # preferred ports; free ones where another run holds them
        variables[ms_spec.port_variable(service.name)] = str(procs.choose_port(service.port))
    variables.update(ms_localaws.start(ms_localaws.port()))
    services = ms_spec.load(variables)[0]
    gateway = services[settings["gateway"]]  # the ports chosen above
    info: ArchRecord = {"url": f"http://127.0.0.1:{gateway.port}", "release": release, "backend": backend,
            "variables": variables, "components": {}, "env": {}, "images": {}, "counters": {}}
    procs.save_arch(ARCH, info)
    if backend == swarmarch.BACKEND:
        swarmarch.up(info, release)
        return info["url"]
    for service in _services(info).values():
        _start(info, service, release, {})
        info["components"][service.name] = release
        procs.save_arch(ARCH, info)
    return info["url"]


def down() -> None:
    """Stop every instance, the local AWS, and any container this architecture left behind."""
    info = procs.load_arch(ARCH) or {}
    services = _services(info) if "variables" in info else {}
    errors = []
    if info.get("backend") == swarmarch.BACKEND:
        try:
            note = swarmarch.down(info)
            if note:
                print(f"microservices: {note}")
        except Exception as exc:
            errors.append(f"stack: {exc}")
    for name, record in ms_run.instances().items():
        try:
            _stop(info, name, record, services)
        except Exception as exc:  # keep stopping the rest; report at the end
            errors.append(f"{name}: {exc}")
    if info.get("backend") == "docker" or any(r.get("container") for r in ms_run.instances().values()):
        from workshop.runtime import containers

        try:  # whatever this state folder's runs left behind, and nothing of other checkouts' runs
            containers.stop_and_remove(f"workshop.state={ms_run.state_label()}")
        except Exception as exc:
            errors.append(f"containers: {exc}")
    for name in ms_run.instances():
        ms_run.record_path(name).unlink(missing_ok=True)
    procs.stop_all(ARCH)  # the local AWS
    if errors:
        raise RuntimeError("microservices: some instances could not be stopped: " + "; ".join(errors))


def deploy(component: str | None, release: str, env: dict[str, str] | None = None) -> str:
    """Release one service (all of them, one by one, when None): new instances first, then the old drain."""
    info = _info()
    services = _services(info)
    for name in [component] if component else list(services):
        if name not in services:
            raise SystemExit(f"unknown service {name!r}; choose from {', '.join(services)}")
        if info.get("backend") == swarmarch.BACKEND:  # Swarm rolls it out (and back, if it fails)
            status = swarmrelease.deploy(info, name, release, dict(env or {}))
            if status.get("State") != "completed":
                print(f"microservices: Swarm rolled {name} back to {info['components'][name]} by itself "
                      f"({status.get('State')}: {status.get('Message')})", file=sys.stderr)
            continue
        old = _of(name)
        for _ in range(max(1, len(old))):
            _start(info, services[name], release, dict(env or {}))
        for instance, record in old.items():
            _stop(info, instance, record, services)
        info["components"][name], info["env"][name] = release, dict(env or {})
        procs.save_arch(ARCH, info)
    return info["url"]


def scale(service: str, count: int) -> list[str]:
    """Run exactly `count` healthy instances of `service` (dead ones are replaced); returns their names."""
    if count < 1:
        raise SystemExit("count must be at least 1 (use `workshop down` to stop everything)")
    info = _info()
    services = _services(info)
    if service not in services:
        raise SystemExit(f"unknown service {service!r}; choose from {', '.join(services)}")
    if info.get("backend") == swarmarch.BACKEND:
        return swarmarch.scale(info, service, count)
    current = _of(service)
    for instance, record in list(current.items()):
        if not procs.alive(record["pid"]) and record["pid"]:
            _stop(info, instance, record, services)  # clean up what died, then count again
            del current[instance]
    for _ in range(count - len(current)):
        _start(info, services[service], info["components"][service], info["env"].get(service, {}))
    for instance in sorted(current, key=lambda n: int(n.rsplit("-", 1)[1]))[count:]:
        _stop(info, instance, current[instance], services)
    procs.save_arch(ARCH, info)
    return sorted(_of(service))


def pids() -> dict[str, int]:
    """The main process of every running instance (docker: the service's process, as a host pid)."""
    out = {}
    info = procs.load_arch(ARCH) or {}
    if info.get("backend") == swarmarch.BACKEND:
        out.update(swarmarch.pids(info))
    for name, record in ms_run.instances().items():
        out[name] = ms_run.backend(record["backend"]).main_pid(record)
    localaws = procs.records(ARCH).get("localaws")
    if localaws:
        out["localaws"] = localaws["pid"]
    return out


def restart_local_aws() -> None:
    """Restart the local AWS (after a kill -9, say) on its port; the jobs queued at its last snapshot come back."""
    ms_localaws.restart()


def new_capacity(service: str = "catalog") -> float:
    """Seconds from starting one more instance of `service` to its first healthy answer (it is then removed)."""
    info = _info()
    if info.get("backend") == swarmarch.BACKEND:
        return swarmarch.new_capacity(info, service)
    before = set(_of(service))
    scale(service, len(before) + 1)
    try:
        (added,) = set(_of(service)) - before
        return float(ms_run.instances()[added]["healthy_s"])
    finally:
        scale(service, len(before))


def orchestrated() -> bool:
    """Whether an orchestrator (Docker Swarm) runs the services and rolls a failing release back by itself."""
    info = procs.load_arch(ARCH) or {}
    return info.get("backend") == swarmarch.BACKEND


def self_rollback(component: str, release: str, env: dict[str, str]) -> dict | None:
    """On an orchestrator (swarm): release, and wait until it finished or rolled back by itself; the update's
    epoch times (deployed, detected, rolled_back) and final state. None elsewhere: the harness rolls back."""
    info = _info()
    if info.get("backend") != swarmarch.BACKEND:
        return None
    return swarmrelease.release_and_watch(info, component, release, env)
