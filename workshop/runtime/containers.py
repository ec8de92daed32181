"""The `docker` backend's engine calls: build images offline, run them on the host network, clean up.

The engine comes from scripts/docker-engine.sh. Every container gets the label `workshop=1` and
`workshop.arch=<arch>`, so `stop_and_remove("workshop")` finds everything the project started.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import docker
import requests
from docker.errors import APIError, BuildError, DockerException, ImageNotFound, NotFound

from workshop import settings
from workshop.runtime import procs
from workshop.runtime.images import build_wheelhouse, core_wheel, default_cache_dir, make_context, stage_names

__all__ = ["ImageInfo", "build_image", "build_wheelhouse", "core_wheel", "default_base_image",
           "default_cache_dir", "engine_available", "image_size", "prune_images", "run_container",
           "stop_and_remove", "wait_healthy"]

LOCAL_BASE_IMAGE = "workshop-base:bookworm"  # made by scripts/docker-engine.sh
USER_BASE_IMAGE = "python:3.11-slim"
LOOPBACK = {"127.0.0.1", "localhost"}


@dataclass(frozen=True)
class ImageInfo:
    tag: str
    size_bytes: int
    build_s: float


def client(timeout: float = 60.0) -> docker.DockerClient:
    """A Docker client from the environment (DOCKER_HOST or the local socket)."""
    return docker.from_env(timeout=timeout)


def engine_available(timeout: float = 2.0) -> bool:
    """Whether a Docker engine answers a ping within `timeout` seconds."""
    try:
        return bool(client(timeout).ping())
    except (DockerException, requests.RequestException):
        return False


def default_base_image() -> str:
    """Base image: env WORKSHOP_BASE_IMAGE, else the local base if present, else python:3.11-slim."""
    if settings.base_image():
        return str(settings.base_image())
    try:
        client(5).images.get(LOCAL_BASE_IMAGE)
        return LOCAL_BASE_IMAGE
    except (ImageNotFound, DockerException, requests.RequestException):
        return USER_BASE_IMAGE


def build_image(context_dir: str | Path, tag: str, base_image: str | None = None,
                wheelhouse: str | Path | None = None, dockerfile: str = "Dockerfile",
                include_core: bool = True, extra: dict[str, str | Path] | None = None,
                nocache: bool = False) -> ImageInfo:
    """Build `context_dir` offline with `wheels/` (wheelhouse + core wheel) added and BASE_IMAGE set."""
    start = time.perf_counter()
    if wheelhouse is None:
        reqs = [p for p in [Path(context_dir) / "requirements.txt"] if p.exists()]
        wheelhouse = build_wheelhouse(reqs)
    ctx = make_context(context_dir, wheelhouse, core_wheel() if include_core else None, extra)
    engine, args = client(600), {"BASE_IMAGE": base_image or default_base_image()}
    try:
        # Named stages get tags of their own ("app:r2-build"): their cache survives, and the ones a new
        # build supersedes become dangling images labelled workshop=1, which the prune below removes.
        full_tag = tag if ":" in tag else f"{tag}:latest"
        for stage in stage_names(ctx / dockerfile):
            _build(engine, ctx, f"{full_tag}-{stage}", dockerfile, args, nocache, target=stage)
        _build(engine, ctx, tag, dockerfile, args, nocache)
    finally:
        shutil.rmtree(ctx, ignore_errors=True)
    try:
        engine.images.prune(filters={"dangling": True, "label": "workshop=1"})
    except APIError as exc:
        if exc.status_code != 409:  # 409: another prune is running; it removes the same leftovers
            raise
    return ImageInfo(tag, image_size(tag), time.perf_counter() - start)


def _build(engine: docker.DockerClient, ctx: Path, tag: str, dockerfile: str, buildargs: dict[str, str],
           nocache: bool, target: str | None = None) -> None:
    try:
        # pull=False: no registry is reachable; network host: there is no bridge network here.
        engine.images.build(path=str(ctx), tag=tag, dockerfile=dockerfile, target=target, pull=False,
                            nocache=nocache, rm=True, forcerm=True, network_mode="host",
                            buildargs=buildargs, labels={"workshop": "1"})
    except BuildError as err:
        tail = "".join(str(e.get("stream", e.get("error", ""))) for e in list(err.build_log)[-15:])
        raise RuntimeError(f"building {tag} failed: {err.msg}\n{tail}") from err


def image_size(tag: str) -> int:
    """Size in bytes of a local image, base layers included."""
    return int(client().images.get(tag).attrs["Size"])


def run_container(image: str, name: str, env: dict[str, str] | None = None,
                  command: str | list[str] | None = None, arch: str = "microservices",
                  labels: dict[str, str] | None = None, **options: Any) -> Any:
    """Start a detached container on the host network, replacing any container of the same name."""
    engine = client()
    try:
        engine.containers.get(name).remove(force=True)  # a leftover from an interrupted run
    except NotFound:
        pass
    all_labels = {"workshop": "1", "workshop.arch": arch, "workshop.name": name, **(labels or {})}
    # init: a real PID 1 forwards SIGTERM, so `stop` is graceful instead of waiting for SIGKILL.
    return engine.containers.run(image, command, name=name, environment=env or {}, labels=all_labels,
                                 network_mode="host", detach=True, init=True, **options)


def _started_at(container: Any) -> float:
    container.reload()
    return datetime.fromisoformat(container.attrs["State"]["StartedAt"]).timestamp()


def wait_healthy(url: str, timeout: float = 30.0, container: Any = None) -> float:
    """Poll `url` until it answers 200; return seconds since the container started (or since the call)."""
    if urlparse(url).hostname not in LOOPBACK:
        raise ValueError(f"health URL must be on 127.0.0.1, got {url}")
    origin = _started_at(container) if container is not None else time.time()

    def exited() -> str | None:
        if container is None:
            return None
        container.reload()
        if container.status not in ("exited", "dead"):
            return None
        logs = container.logs(tail=30).decode(errors="replace")
        return f"container {container.name} exited before healthy:\n{logs}"

    procs.wait_healthy(url, timeout, poll_s=0.05, gone=exited)
    return time.time() - origin


def prune_images() -> int:
    """Remove every dangling image, the workshop's or not (`docker image prune`); return bytes reclaimed."""
    # build_image already removes the workshop's own superseded images; this is for an explicit clean.
    return int(client().images.prune(filters={"dangling": True}).get("SpaceReclaimed") or 0)


def stop_and_remove(label: str = "workshop", timeout: int = 5) -> int:
    """Stop and remove every container carrying `label` ("key" or "key=value"); return how many."""
    containers = client().containers.list(all=True, filters={"label": label})
    for container in containers:
        try:
            container.stop(timeout=timeout)
            container.remove(force=True)
        except NotFound:
            pass  # removed concurrently; that is the goal anyway
    return len(containers)
