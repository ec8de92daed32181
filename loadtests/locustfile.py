"""The journey of a catalog user, for every architecture: browse, search, open, view, trending, upload.

No host here: pass `--host http://127.0.0.1:PORT`. Choose the load with `--shape` (or WORKSHOP_SHAPE):
steady, step, spike (closed loop: CatalogUser) or open (fixed arrival rate: ArrivalUser). Requests are
named by operation (`GET /videos/{id}`) so stats group per endpoint whatever the ids are.
"""

from __future__ import annotations

import os
import random
import tempfile
import time

import gevent
import shapes  # the locustfile's folder is on sys.path when Locust loads it
from gevent.lock import Semaphore
from gevent.pool import Pool
from locust import LoadTestShape, events, tag, task
from locust.contrib.fasthttp import FastHttpUser

SEEN_IDS: list[str] = []  # ids seen in list responses, shared by the users of this process
WORDS: set[str] = {"video"}
_STALE_PARSES = [0]  # list responses in a row that taught no new id
_clip: dict[str, bytes] = {}
_clip_lock = Semaphore()


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--shape", default=os.environ.get("WORKSHOP_SHAPE", "steady"), choices=list(shapes.PROFILES))
    parser.add_argument("--think-time", default="0.5,1.5", help="seconds between tasks: 'MIN,MAX' or '0'")
    parser.add_argument("--arrival-rate", type=float, default=20.0, help="open shape: requests/s in total")
    parser.add_argument("--max-inflight", type=int, default=200, help="open shape: cap per arrival user")
    parser.add_argument("--workshop-seed", type=int, default=int(os.environ.get("WORKSHOP_SEED", "42")))


@events.init.add_listener
def _seed(environment, **_):
    # One seed per process, derived from the run's seed, so runs repeat the same journey mix.
    random.seed(environment.parsed_options.workshop_seed + getattr(environment.runner, "worker_index", 0))


def _remember(response) -> None:
    # Parsing every list response would make Locust's own CPU the limit; a full pool, or one that stopped
    # growing (a catalog of 30 videos never fills it), needs only a refresh now and then.
    if (len(SEEN_IDS) >= 100 or _STALE_PARSES[0] >= 3) and random.random() > 0.05:
        return
    try:
        items = response.json()["items"]
    except Exception:  # a failed response is already counted by Locust
        return
    before = len(SEEN_IDS)
    for item in items:
        if item["id"] not in SEEN_IDS:
            SEEN_IDS.append(item["id"])
        WORDS.update(w.lower() for w in item.get("title", "").split() if w.isalnum())
    _STALE_PARSES[0] = 0 if len(SEEN_IDS) > before else _STALE_PARSES[0] + 1
    del SEEN_IDS[:-500]


def _video_id() -> str | None:
    return random.choice(SEEN_IDS) if SEEN_IDS else None


def list_videos(user) -> None:
    """Browse the newest videos."""
    _remember(user.client.get("/videos?limit=20", name="GET /videos"))


def search(user) -> None:
    """Search by a word seen in a title."""
    word = random.choice(sorted(WORDS))
    _remember(user.client.get(f"/videos?q={word}&limit=20", name="GET /videos?q="))


def open_video(user) -> None:
    """Open one video's page."""
    video_id = _video_id()
    if video_id is None:
        return list_videos(user)
    user.client.get(f"/videos/{video_id}", name="GET /videos/{id}")


def post_view(user) -> None:
    """Record that a video was watched."""
    video_id = _video_id()
    if video_id is None:
        return list_videos(user)
    user.client.post(f"/videos/{video_id}/views", name="POST /videos/{id}/views")


def trending(user) -> None:
    """Look at what is trending."""
    user.client.get("/trending", name="GET /trending")


def clip_bytes() -> bytes:
    """A tiny generated clip, made once per Locust process."""
    with _clip_lock:
        if "mp4" not in _clip:
            from videocatalog.testmedia import make_clip

            with tempfile.TemporaryDirectory() as tmp:
                _clip["mp4"] = make_clip(f"{tmp}/clip.mp4", 160, 120, 1.0).read_bytes()
    return _clip["mp4"]


def upload(user) -> None:
    """Create a video with a token, then PUT a small clip to its upload URL (app endpoint or presigned S3)."""
    from videocatalog.auth import make_token

    body = {"title": f"load test clip {random.randrange(10**6)}", "description": "made by Locust", "tags": ["load"]}
    created = user.client.post("/videos", json=body, name="POST /videos",
                               headers={"Authorization": f"Bearer {make_token(subject='locust')}"})
    if created.status_code != 201:
        return
    target = created.json()["upload"]
    user.client.request("PUT", target["url"], data=clip_bytes(), headers=target.get("headers") or {},
                        name="PUT upload.url")


JOURNEY = [(list_videos, 30), (search, 15), (open_video, 30), (post_view, 15), (trending, 8), (upload, 2)]


class CatalogUser(FastHttpUser):
    """A closed-loop user: does one thing, waits its think time, does the next."""

    def wait_time(self):
        spec = self.environment.parsed_options.think_time
        low, _, high = spec.partition(",")
        return random.uniform(float(low), float(high or low))

    def on_start(self):
        list_videos(self)  # learn some ids before opening videos

    @tag("browse", "list")
    @task(30)
    def t_list(self):
        list_videos(self)

    @tag("browse", "search")
    @task(15)
    def t_search(self):
        search(self)

    @tag("browse", "view")
    @task(30)
    def t_open(self):
        open_video(self)

    @tag("view")
    @task(15)
    def t_view(self):
        post_view(self)

    @tag("browse", "trending")
    @task(8)
    def t_trending(self):
        trending(self)

    @tag("write", "upload")
    @task(2)
    def t_upload(self):
        upload(self)


class ArrivalUser(FastHttpUser):
    """An open-loop generator: starts requests on a fixed schedule, never waiting for earlier ones."""

    concurrency = 1000  # the session's connection pool: in-flight requests must not queue on the client

    def on_start(self):
        list_videos(self)

    @task
    def arrivals(self):
        options = self.environment.parsed_options
        interval = max(1, options.num_users or 1) / options.arrival_rate
        ops, weights = zip(*JOURNEY, strict=True)
        pool = Pool(options.max_inflight)
        due = time.perf_counter()
        while True:
            due += interval
            if pool.full():
                # Dropping is honest: queueing it here would hide the stall (coordinated omission).
                events.request.fire(request_type="ARRIVAL", name="dropped (max in-flight)", response_time=0,
                                    response_length=0, exception=RuntimeError("in-flight cap reached"))
            else:
                pool.spawn(random.choices(ops, weights)[0], self)
            gevent.sleep(max(0.0, due - time.perf_counter()))


class WorkshopShape(LoadTestShape):
    """Dispatches to the profile named by --shape; reads -u, -r and -t as its peak, spawn rate and length."""

    use_common_options = True

    def tick(self):
        options = self.runner.environment.parsed_options
        step = shapes.profile(options.shape)(self.get_run_time(), options.num_users or 1,
                                             options.spawn_rate or 1, options.run_time or 60)
        if step is None:
            return None
        user = ArrivalUser if options.shape == "open" else CatalogUser
        return step[0], step[1], [user]
