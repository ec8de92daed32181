"""A clip goes through the three tiers to ready; `workshop deploy soa TIER` releases one tier on its own."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from soalib import UPLOAD_LIMIT, create

from videocatalog.testmedia import make_clip
from workshop.archs import soa
from workshop.runtime import procs


def test_a_tiny_clip_is_transcoded_to_ready_through_the_soa(system, tmp_path):
    clip = make_clip(tmp_path / "tiny.mp4", 160, 120, 1)
    video = create(system).json()
    put = requests.put(video["upload"]["url"], data=clip.read_bytes(), timeout=30)
    assert put.status_code == 200 and put.json()["status"] == "processing"
    deadline = time.monotonic() + 120
    while (video := requests.get(f"{system}/videos/{video['id']}", timeout=30).json())["status"] == "processing":
        assert time.monotonic() < deadline
        time.sleep(0.3)
    assert video["status"] == "ready" and video["source"]["width"] == 160
    renditions = {r["name"]: r for r in video["renditions"]}
    assert renditions["480p"]["reason"] == "no_upscale" and renditions["hq"]["status"] == "ready"
    thumb = requests.get(renditions["thumbnail"]["url"], timeout=30)
    assert thumb.headers["Content-Type"] == "image/jpeg" and thumb.content[:2] == b"\xff\xd8"
    assert len(thumb.content) == renditions["thumbnail"]["bytes"]
    assert renditions["thumbnail"]["url"].startswith(system + "/")


def test_an_oversized_upload_is_refused_across_the_tiers(system):
    video = create(system).json()
    chunks = (b"\0" * 65536 for _ in range(UPLOAD_LIMIT // 65536 + 2))  # chunked: no length to check first
    resp = requests.put(video["upload"]["url"], data=chunks, timeout=30)
    assert resp.status_code == 413 and resp.json()["error"]["code"] == "payload_too_large"
    assert requests.get(f"{system}/videos/{video['id']}", timeout=30).json()["status"] == "awaiting_upload"


def workshop(*args: str) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("workshop")
    return subprocess.run([str(script), *args], env=dict(os.environ), capture_output=True, text=True, timeout=120)


def test_deploy_releases_one_tier_and_a_bad_release_can_be_rolled_back(system):
    video = create(system).json()
    before = procs.records("soa")
    bad = workshop("deploy", "soa", "logic", "--release", "v2", "--fault", "error:get_video")
    assert bad.returncode == 0, bad.stderr
    after = procs.records("soa")
    assert after["logic"]["pid"] != before["logic"]["pid"] and after["logic"]["release"] == "v2"
    for untouched in ("data", "presentation"):
        assert after[untouched]["pid"] == before[untouched]["pid"]
    broken = requests.get(f"{system}/videos/{video['id']}", timeout=30)
    assert broken.status_code == 500 and broken.json()["error"]["code"] == "internal"
    assert requests.get(f"{system}/videos", timeout=30).status_code == 200  # only the faulty operation fails
    rollback = workshop("deploy", "soa", "logic", "--release", "v1")
    assert rollback.returncode == 0, rollback.stderr
    assert requests.get(f"{system}/videos/{video['id']}", timeout=30).status_code == 200
    assert procs.load_arch("soa")["components"]["logic"] == "v1"
    assert workshop("deploy", "soa", "nosuchtier", "--release", "v3").returncode != 0


def test_up_takes_another_port_when_the_preferred_one_is_taken_and_refuses_a_second_up(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("SOA_WEB_WORKERS", "1")
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen(1)
        taken = squatter.getsockname()[1]
        monkeypatch.setenv("WORKSHOP_SOA_PRESENTATION_PORT", str(taken))
        for tier in ("logic", "data"):
            monkeypatch.setenv(f"WORKSHOP_SOA_{tier.upper()}_PORT", str(procs.free_port()))
        try:
            base = soa.up()
            assert base != f"http://127.0.0.1:{taken}" and procs.load_arch("soa")["url"] == base
            assert requests.get(f"{base}/videos", timeout=30).status_code == 200
            with pytest.raises(SystemExit, match="already up"):
                soa.up()
        finally:
            soa.down()
    assert procs.load_arch("soa") is None and procs.records("soa") == {}
