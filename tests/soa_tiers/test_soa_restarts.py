"""Done when: each tier restarts under load; the tiers above answer 503 `unavailable` during the gap
(promptly, never hanging), recover by themselves, and nothing acknowledged is lost."""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
import requests
from soalib import create

from videocatalog.auth import make_token
from videocatalog.testmedia import make_clip
from workshop.archs import soa

CLIENT_TIMEOUT_S = 30
PROMPT_S = 12  # connect (1 s) + read (10 s) timeouts of one hop, and some slack for a busy machine


@dataclass
class Load:
    """A background client: lists, gets and some creates, recording every outcome and its duration."""

    base: str
    known_id: str
    outcomes: list[tuple[str, object, float]] = field(default_factory=list)
    created: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        session, i = requests.Session(), 0
        while not self.stop.is_set():
            op = ("list", "get", "list", "create")[i % 4]
            i += 1
            started = time.monotonic()
            try:
                if op == "create":
                    resp = session.post(f"{self.base}/videos", json={"title": f"load {i}"}, timeout=CLIENT_TIMEOUT_S,
                                        headers={"Authorization": f"Bearer {make_token()}"})
                else:
                    path = "/videos" if op == "list" else f"/videos/{self.known_id}"
                    resp = session.get(self.base + path, timeout=CLIENT_TIMEOUT_S)
                error = resp.json().get("error") if resp.status_code >= 400 else None
                outcome: object = (resp.status_code, (error or {}).get("code"))
                if resp.status_code == 201:
                    self.created.append(resp.json()["id"])
            except requests.ConnectionError:
                outcome = "refused"  # only the edge itself being down gives this
            except requests.Timeout:
                outcome = "timeout"
            except Exception as exc:  # recorded, so the test reports it instead of losing the thread
                outcome = repr(exc)
            self.outcomes.append((op, outcome, time.monotonic() - started))
            time.sleep(0.01)


def probe_gap(base: str) -> None:
    """While a tier below the edge is down, reads and writes at the edge are prompt 503 `unavailable`."""
    for resp in (requests.get(f"{base}/videos", timeout=CLIENT_TIMEOUT_S), create(base, "in the gap")):
        assert resp.status_code == 503, resp.text
        assert resp.json()["error"]["code"] == "unavailable"
        assert resp.elapsed.total_seconds() < PROMPT_S


def assert_recovered(base: str) -> None:
    """The edge serves reads and writes again, with no other tier restarted."""
    assert requests.get(f"{base}/videos", timeout=CLIENT_TIMEOUT_S).status_code == 200
    assert create(base, "after the gap").status_code == 201


def test_each_tier_restarts_under_load_without_losing_acknowledged_work(system, tmp_path):
    base = system
    seeded = create(base, "seed").json()
    clip = make_clip(tmp_path / "tiny.mp4", 160, 120, 1)
    uploading = create(base, "uploaded before the restarts").json()
    assert requests.put(uploading["upload"]["url"], data=clip.read_bytes(), timeout=CLIENT_TIMEOUT_S).ok
    load = Load(base, seeded["id"])
    thread = threading.Thread(target=load.run, daemon=True)
    thread.start()
    try:
        for tier in ("data", "logic", "presentation"):
            time.sleep(0.5)
            soa.stop_tier(tier)
            if tier == "presentation":  # the edge has no tier above it: clients see a refused connection
                try:
                    requests.get(f"{base}/health", timeout=CLIENT_TIMEOUT_S)
                    raise AssertionError("the stopped edge still answered")
                except requests.ConnectionError:
                    pass
            else:
                probe_gap(base)
            time.sleep(0.5)  # keep the gap open long enough for the background load to meet it
            soa.start_tier(tier, release="v2")
            assert_recovered(base)
        time.sleep(0.5)
    finally:
        load.stop.set()
        thread.join(CLIENT_TIMEOUT_S + 5)

    tally = Counter((op, outcome) for op, outcome, _ in load.outcomes)
    print("background load outcomes:", dict(tally))
    kinds = {outcome for _, outcome, _ in load.outcomes}
    assert kinds <= {(200, None), (201, None), (503, "unavailable"), "refused"}, kinds
    assert (503, "unavailable") in kinds and (200, None) in kinds
    assert max(seconds for _, _, seconds in load.outcomes) < PROMPT_S
    assert len(load.created) >= 5
    for video_id in [seeded["id"], *load.created]:
        assert requests.get(f"{base}/videos/{video_id}", timeout=CLIENT_TIMEOUT_S).status_code == 200
    # The upload acknowledged before the restarts still reaches the end of its cascade.
    deadline = time.monotonic() + 120
    while (status := requests.get(f"{base}/videos/{uploading['id']}", timeout=30).json()["status"]) == "processing":
        assert time.monotonic() < deadline, "acknowledged upload stuck in processing"
        time.sleep(0.3)
    assert status == "ready"
    assert requests.get(f"{base}/health", timeout=30).json()["release"] == "v2"


@pytest.mark.parametrize("tier", ["logic", "data"])
def test_a_restart_mid_transcode_still_ends_ready(system, tmp_path, tier):
    clip = make_clip(tmp_path / "longer.mp4", 640, 480, 5)
    video = create(system, "interrupted").json()
    assert requests.put(video["upload"]["url"], data=clip.read_bytes(), timeout=CLIENT_TIMEOUT_S).ok
    deadline = time.monotonic() + 30
    while not (planned := requests.get(f"{system}/videos/{video['id']}", timeout=30).json())["renditions"]:
        assert time.monotonic() < deadline, "the worker never started on the clip"
        time.sleep(0.05)
    assert any(r["status"] == "pending" for r in planned["renditions"])  # so the restart lands mid-cascade
    soa.deploy(tier, "v2")
    deadline = time.monotonic() + 180
    while (body := requests.get(f"{system}/videos/{video['id']}", timeout=30).json())["status"] == "processing":
        assert time.monotonic() < deadline, "acknowledged upload stuck in processing after the restart"
        time.sleep(0.3)
    assert body["status"] == "ready", body["error"]


def test_a_tier_that_hangs_is_cut_off_by_the_timeout_above_it(system):
    # A tier that is up but never answers in time: only the caller's read timeout protects the edge.
    soa.deploy("logic", "slow", {"WORKSHOP_FAULT": "latency:list_videos:4000"})
    soa.deploy("presentation", "short-timeout", {"WORKSHOP_PEER_READ_TIMEOUT_S": "1"})
    try:
        started = time.monotonic()
        resp = requests.get(f"{system}/videos", timeout=CLIENT_TIMEOUT_S)
        assert time.monotonic() - started < 3
        assert resp.status_code == 503 and resp.json()["error"] == {
            "code": "unavailable", "message": "logic tier did not answer within 1 s"}
        assert requests.get(f"{system}/trending", timeout=CLIENT_TIMEOUT_S).status_code == 200  # the rest is fine
    finally:
        soa.deploy("logic", "v1")
        soa.deploy("presentation", "v1")
    assert requests.get(f"{system}/videos", timeout=CLIENT_TIMEOUT_S).status_code == 200
