"""Fixtures: the microservices up on private ports and a private state folder, on each backend."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from videocatalog import auth, testmedia
from workshop.archs.microservices import arch as microservices
from workshop.archs.microservices import run as ms_run
from workshop.runtime import procs

PORT_VARS = [f"WORKSHOP_MS_{s}_PORT" for s in ("GATEWAY", "CATALOG", "UPLOAD", "TRANSCODE", "ANALYTICS", "LOCALAWS")]
SETTINGS = {  # a short lease brings a dead worker's job back in seconds; 2 deliveries before the dead-letter queue
    "WORKSHOP_TRANSCODE_LEASE_S": "4", "WORKSHOP_SQS_MAX_RECEIVES": "2", "WORKSHOP_FFMPEG_THREADS": "1"}


@dataclass
class System:
    """A running microservices system and helpers to drive it through the gateway."""

    url: str
    backend: str
    state: Path

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {auth.make_token()}"}

    def create(self, title: str = "clip") -> dict:
        resp = requests.post(f"{self.url}/videos", json={"title": title}, headers=self.headers(), timeout=30)
        assert resp.status_code == 201, resp.text
        return resp.json()

    def upload(self, created: dict, data: bytes) -> None:
        resp = requests.put(created["upload"]["url"], data=data, timeout=60)
        assert resp.status_code in (200, 204), resp.text

    def video(self, video_id: str) -> dict:
        resp = requests.get(f"{self.url}/videos/{video_id}", timeout=30)
        assert resp.status_code == 200, resp.text
        return resp.json()

    def wait_settled(self, video_id: str, timeout_s: float = 120) -> dict:
        deadline = time.monotonic() + timeout_s
        while (video := self.video(video_id))["status"] not in ("ready", "failed"):
            assert time.monotonic() < deadline, f"{video_id} still {video['status']} after {timeout_s} s"
            time.sleep(0.3)
        return video

    def instances(self, service: str) -> dict[str, dict]:
        return {n: r for n, r in ms_run.instances().items() if r["service"] == service}


def backends() -> list:
    return ["process", pytest.param("docker", marks=[pytest.mark.docker, pytest.mark.slow])]


@pytest.fixture(scope="module", params=backends())
def system(request, tmp_path_factory) -> Iterator[System]:
    """The microservices on one backend for the module's tests; always brought down afterwards."""
    if request.param == "docker":
        from workshop.runtime import containers

        if not containers.engine_available():
            pytest.skip("no Docker engine reachable (scripts/docker-engine.sh starts one as root)")
    state = tmp_path_factory.mktemp(f"ms-{request.param}")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("WORKSHOP_STATE_DIR", str(state))
        for var in PORT_VARS:
            mp.setenv(var, str(procs.free_port()))
        for key, value in SETTINGS.items():
            mp.setenv(key, value)
        try:
            yield System(microservices.up(backend=request.param), request.param, state)
        finally:
            microservices.down()


@pytest.fixture(scope="session")
def clip(tmp_path_factory) -> bytes:
    """A 720p clip of a few seconds with audio: long enough to catch its worker mid-job."""
    path = tmp_path_factory.mktemp("clips") / "hd.mp4"
    testmedia.make_clip(path, 1280, 720, 4.0, audio=True)
    return path.read_bytes()
