"""The steady background load of the fault benchmark: paced reads, views and creates, a /health poller,
and uploaders that keep clips in flight and remember every upload the API acknowledged."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from videocatalog import auth
from workshop.endurance.samples import CLIENT_TIMEOUT_S, Sample, outcome_of


@dataclass
class SteadyLoad:
    """Fixed-rate requests on `threads` threads, `uploaders` upload loops and a /health poller at `base`."""

    base: str
    ids: list[str]
    clip: Path
    rate: float = 20.0
    threads: int = 4
    uploaders: int = 1
    pipeline_wait_s: float = 30.0  # the longest an uploader waits for its clip to settle before the next
    samples: list[Sample] = field(default_factory=list)
    acked: dict[str, float] = field(default_factory=dict)  # video id -> when the upload was acknowledged
    started: float = 0.0

    def __post_init__(self) -> None:
        self._lock, self._stop, self._next = threading.Lock(), threading.Event(), 0
        self._kicks: list[threading.Event] = [threading.Event() for _ in range(self.uploaders)]
        self._pool: list[threading.Thread] = []
        self._headers = {"Authorization": f"Bearer {auth.make_token(subject='faults')}"}

    def _record(self, sent: float, op: str, outcome: str) -> None:
        with self._lock:
            self.samples.append(Sample(sent, time.monotonic(), op, outcome))

    def _call(self, http: requests.Session, op: str, rng: random.Random) -> str:
        video = rng.choice(self.ids)
        if op == "list":
            return outcome_of(http.get(f"{self.base}/videos", params={"limit": 20}, timeout=CLIENT_TIMEOUT_S), 200)
        if op == "get":
            return outcome_of(http.get(f"{self.base}/videos/{video}", timeout=CLIENT_TIMEOUT_S), 200)
        if op == "view":
            return outcome_of(http.post(f"{self.base}/videos/{video}/views", timeout=CLIENT_TIMEOUT_S), 202)
        if op == "health":
            return outcome_of(http.get(f"{self.base}/health", timeout=CLIENT_TIMEOUT_S), 200)
        body = {"title": f"fault load {rng.randrange(10**6)}", "tags": ["faults"]}
        return outcome_of(http.post(f"{self.base}/videos", json=body, headers=self._headers,
                                    timeout=CLIENT_TIMEOUT_S), 201)

    def _one(self, http: requests.Session, op: str, rng: random.Random) -> None:
        sent = time.monotonic()
        try:
            outcome = self._call(http, op, rng)
        except requests.RequestException as exc:
            outcome = type(exc).__name__
        self._record(sent, op, outcome)

    def _paced(self, n: int) -> None:
        rng, ops = random.Random(n), ("list", "list", "get", "get", "view", "create")
        with requests.Session() as http:
            while not self._stop.is_set():
                with self._lock:
                    slot, self._next = self._next, self._next + 1
                self._stop.wait(max(0.0, self.started + slot / self.rate - time.monotonic()))
                if not self._stop.is_set():
                    self._one(http, rng.choice(ops), rng)

    def _health(self) -> None:
        rng = random.Random(-1)
        with requests.Session() as http:
            while not self._stop.wait(0.5):
                self._one(http, "health", rng)

    def _upload_once(self, http: requests.Session, n: int) -> str | None:
        """Create a video and upload the clip; returns its id once the upload was acknowledged."""
        sent, acked = time.monotonic(), None
        try:
            resp = http.post(f"{self.base}/videos", json={"title": f"fault upload {n}"}, headers=self._headers,
                             timeout=CLIENT_TIMEOUT_S)
            if resp.status_code != 201:
                self._record(sent, "upload", outcome_of(resp, 201))
                return None
            video = resp.json()
            put = http.request(video["upload"]["method"], video["upload"]["url"], data=self.clip.read_bytes(),
                               headers=video["upload"].get("headers") or {}, timeout=4 * CLIENT_TIMEOUT_S)
            outcome = "ok" if put.status_code in (200, 204) else outcome_of(put, 200)
            if outcome == "ok":
                with self._lock:
                    self.acked[video["id"]] = time.monotonic()
                acked = video["id"]
        except requests.RequestException as exc:
            outcome = type(exc).__name__
        self._record(sent, "upload", outcome)
        return acked

    def kick(self) -> None:
        """Make every uploader send its next clip now (right after a kill: uploads meet the fault too)."""
        for event in self._kicks:
            event.set()

    def _wait_settled(self, http: requests.Session, video_id: str | None, kicked: threading.Event) -> None:
        """Until the upload leaves the pipeline (or pipeline_wait_s): each uploader keeps one clip in flight,
        so the pipeline is busy at every kill without a backlog that would make the load itself the fault."""
        deadline = time.monotonic() + self.pipeline_wait_s
        while video_id and not self._stop.wait(0.3) and time.monotonic() < deadline and not kicked.is_set():
            try:
                if http.get(f"{self.base}/videos/{video_id}", timeout=CLIENT_TIMEOUT_S).json().get("status") in (
                        "ready", "failed"):
                    return
            except (requests.RequestException, ValueError):
                pass  # the fault may be on that path too: the final accounting follows every upload anyway

    def _uploader(self, n: int) -> None:
        with requests.Session() as http:
            count = 0
            while not self._stop.wait(0.2):
                count += 1
                self._kicks[n].clear()
                self._wait_settled(http, self._upload_once(http, n * 10_000 + count), self._kicks[n])

    def start(self) -> None:
        """Start every thread of the load."""
        self.started = time.monotonic()
        targets = [(self._paced, (n,)) for n in range(self.threads)] + [(self._health, ())]
        targets += [(self._uploader, (n,)) for n in range(self.uploaders)]
        self._pool = [threading.Thread(target=t, args=a, daemon=True, name="fault-load") for t, a in targets]
        for thread in self._pool:
            thread.start()

    def stop(self) -> None:
        """Stop the load and wait for the requests in flight."""
        self._stop.set()
        for thread in self._pool:
            thread.join(timeout=5 * CLIENT_TIMEOUT_S)

    def snapshot(self) -> list[Sample]:
        """The samples so far (a copy)."""
        with self._lock:
            return list(self.samples)
