"""Fault targets of the microservices (each service instance, a busy transcode worker) and of serverless
(a warm Lambda execution environment, the render function's environment mid-job)."""

from __future__ import annotations

from typing import Any

import requests

from workshop.endurance.targets import (
    Target,
    Victim,
    answers,
    has_ffmpeg,
    kill_group,
    kill_process,
    wait_for,
)

MS_SERVICES = ("gateway", "catalog", "upload", "analytics", "transcode")


def _worker_busy(record: dict) -> bool:
    try:
        return bool(requests.get(f"http://127.0.0.1:{record['probe_port']}/health", timeout=2).json().get("busy"))
    except (requests.RequestException, ValueError):
        return False


def microservices_targets(module: Any, busy_wait_s: float) -> list[Target]:
    """One instance of each service (the transcode one while it works on a job); nothing supervises an
    instance on the process backend, so the harness restarts it with `scale` once its probe stops answering."""
    from workshop.archs.microservices import run as ms_run

    def of(service: str) -> dict[str, dict]:
        return {n: r for n, r in ms_run.instances().items() if r["service"] == service}

    def target(service: str) -> Target:
        count = max(1, len(of(service)))
        probes: dict[int, int] = {}  # victim pid -> its probe port

        def victim(name: str, record: dict, busy: bool = False) -> Victim:
            probes[record["pid"]] = record["probe_port"]
            return Victim(ms_run.backend(record["backend"]).main_pid(record), f"{name} ({record['backend']})", busy)

        def first() -> Victim:
            name, record = sorted(of(service).items())[0]
            return victim(name, record)

        def pick() -> Victim | None:
            busy = [(n, r) for n, r in sorted(of(service).items()) if _worker_busy(r)]
            return victim(*busy[0], busy=True) if busy else None

        def kill(v: Victim) -> None:
            record = next((r for r in of(service).values() if ms_run.backend(r["backend"]).main_pid(r) == v.pid), {})
            if record.get("container"):
                from workshop.runtime import containers

                containers.client().containers.get(record["container"]).kill()
            else:
                kill_group(v)

        def healthy() -> bool:
            live = of(service)
            probes_ok = (answers(f"http://127.0.0.1:{r['probe_port']}/health") for r in live.values())
            return len(live) >= count and all(probes_ok)

        find = (lambda: wait_for(pick, first, busy_wait_s)) if service == "transcode" else first
        return Target(service, "harness (operator restart: scale)" + (" + SQS redelivery" if service == "transcode"
                                                                       else ""),
                      find, kill, back=lambda _v: healthy(), restart=lambda: module.scale(service, count),
                      down=lambda v: not answers(f"http://127.0.0.1:{probes.get(v.pid, 0)}/health"))

    return [target(service) for service in MS_SERVICES]


def _envs(module: Any, function: str) -> list[int]:
    return [pid for name, pid in module.pids().items() if name.startswith(f"{function}-")]


def serverless_targets(module: Any, busy_wait_s: float) -> list[Target]:
    """A warm environment of list_videos (the platform must replace it), and a render environment mid-job
    (its async invocation fails, and the platform retries it)."""

    def warm() -> Victim:
        return wait_for(lambda: next((Victim(p, "list_videos environment") for p in _envs(module, "list_videos")),
                                     None), lambda: Victim(0, "no list_videos environment"), busy_wait_s)

    def rendering() -> Victim | None:
        return next((Victim(p, "render environment", True) for p in _envs(module, "render") if has_ffmpeg(p)), None)

    def any_render() -> Victim:
        return next((Victim(p, "render environment") for p in _envs(module, "render")), Victim(0, "no render env"))

    return [
        Target("warm environment", "Lambda platform (a new environment)", warm, kill_process,
               back=lambda v: any(p != v.pid for p in _envs(module, "list_videos"))),
        Target("render mid-job", "Lambda platform (async retry of the render event)",
               lambda: wait_for(rendering, any_render, busy_wait_s), kill_process, back=lambda _v: True),
    ]


def localaws_target(module: Any) -> Target:
    """The local AWS itself (microservices: its queues; serverless: everything), restarted by the harness."""
    from workshop.runtime import procs

    def find() -> Victim:
        record = procs.records(module.NAME).get("localaws")
        return Victim(record["pid"] if record else 0, "local AWS (moto)")

    def restart() -> None:
        if module.NAME == "microservices":
            from workshop.archs.microservices import aws as ms_localaws

            port = int((procs.load_arch(module.NAME) or {})["variables"]["WORKSHOP_LOCALAWS_PORT"])
            procs.stop(module.NAME, "localaws", timeout_s=2)
            ms_localaws.start(port)  # same port and queue names: the services' queue URLs hold again
        else:
            module.down()
            module.up()  # a new deployment: a new API id, so the load's old URL stays gone

    def back(_v: Victim) -> bool:
        return procs.alive(find().pid)

    return Target("localaws", "harness (operator restart of the local AWS; its in-memory state is gone)", find,
                  kill_group, back=back, down=lambda v: not procs.alive(v.pid), restart=restart,
                  note="moto keeps its state in memory; see localaws_crash")
