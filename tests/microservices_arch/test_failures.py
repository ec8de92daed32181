"""Failures stay contained: a job that keeps failing ends in the dead-letter queue and its video `failed`;
a service that is down turns into 503 `unavailable` on its endpoints only."""

from __future__ import annotations

import requests
from test_worker_crash import kill

from videocatalog import testmedia
from workshop.archs.microservices import arch as microservices


def test_job_that_keeps_failing_goes_to_the_dead_letter_queue_and_the_video_fails(system, tmp_path):
    microservices.deploy("transcode", "bad", {"WORKSHOP_FAULT": "error:transcode_video"})
    try:
        video = system.create("always-fails")
        system.upload(video, testmedia.make_clip(tmp_path / "tiny.mp4", 320, 240, 1.0).read_bytes())
        settled = system.wait_settled(video["id"], timeout_s=120)
    finally:
        microservices.deploy("transcode", "good")
    assert settled["status"] == "failed"
    assert settled["error"]["code"] == "processing_failed"
    assert "dead-letter queue" in settled["error"]["message"], settled["error"]


def test_a_service_that_is_down_is_503_on_its_endpoints_only(system):
    video = system.create("peer-down")
    (name, record), = system.instances("analytics").items()
    kill(system, record)
    try:
        resp = requests.post(f"{system.url}/videos/{video['id']}/views", timeout=30)
        assert resp.status_code == 503 and resp.json()["error"]["code"] == "unavailable", resp.text
        assert requests.get(f"{system.url}/trending", timeout=30).status_code == 503
        assert requests.get(f"{system.url}/videos/{video['id']}", timeout=30).status_code == 200
    finally:
        assert name not in microservices.scale("analytics", 1)  # replaces the dead instance
    assert requests.post(f"{system.url}/videos/{video['id']}/views", timeout=30).status_code == 202


def test_up_again_keeps_the_running_system(system):
    before = {name: r["pid"] for name, r in system.instances("gateway").items()}
    assert microservices.up(backend=system.backend) == system.url  # a re-run notebook cell, say
    assert {name: r["pid"] for name, r in system.instances("gateway").items()} == before
