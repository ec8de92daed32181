"""Give every architecture the same starting catalog, through the public API only."""

from __future__ import annotations

import random
import tempfile
import time

import requests

from videocatalog import auth

WORDS = ("river", "mountain", "city", "night", "cooking", "guitar", "soccer", "travel", "robot", "garden",
         "ocean", "winter", "lecture", "piano", "street", "desert", "forest", "coffee", "sunrise", "dance")
CLIP = {"width": 320, "height": 240, "seconds": 2.0}  # tiny: the machine is shared, the point is the timing


def video_body(rng: random.Random, n: int) -> dict:
    """A plausible new video (title, description, tags) drawn from a fixed vocabulary."""
    words = rng.sample(WORDS, 3)
    return {"title": f"{words[0].title()} {words[1]} {words[2]} #{n}",
            "description": f"Seeded video {n} about {', '.join(words)}.", "tags": sorted(set(words[:2]))}


def create_videos(base_url: str, count: int, seed: int = 42) -> list[str]:
    """Create `count` videos (no upload); returns their ids."""
    rng = random.Random(seed)
    headers = {"Authorization": f"Bearer {auth.make_token(subject='seed')}"}
    ids = []
    with requests.Session() as http:
        for n in range(count):
            resp = http.post(f"{base_url}/videos", json=video_body(rng, n), headers=headers, timeout=30)
            resp.raise_for_status()
            ids.append(resp.json()["id"])
    return ids


def upload_clip(base_url: str, timeout_s: float = 120) -> dict:
    """Create one video, upload a tiny generated clip, wait until ready; returns the timings."""
    from videocatalog.testmedia import make_clip

    headers = {"Authorization": f"Bearer {auth.make_token(subject='seed')}"}
    created = requests.post(f"{base_url}/videos", json={"title": "Seed clip", "tags": ["seed"]},
                            headers=headers, timeout=30)
    created.raise_for_status()
    video, target = created.json(), created.json()["upload"]
    with tempfile.TemporaryDirectory() as tmp:
        data = make_clip(f"{tmp}/seed.mp4", CLIP["width"], CLIP["height"], CLIP["seconds"]).read_bytes()
    start = time.monotonic()
    put = requests.request(target.get("method", "PUT"), target["url"], data=data,
                           headers=target.get("headers") or {}, timeout=60)
    put.raise_for_status()
    acknowledged = time.monotonic()
    status = _wait_settled(f"{base_url}/videos/{video['id']}", timeout_s)
    return {"video_id": video["id"], "status": status, "bytes": len(data), "clip_seconds": CLIP["seconds"],
            "clip_size": f"{CLIP['width']}x{CLIP['height']}", "upload_s": round(acknowledged - start, 3),
            "ack_to_ready_s": round(time.monotonic() - acknowledged, 3)}


def _wait_settled(url: str, timeout_s: float) -> str:
    deadline = time.monotonic() + timeout_s
    status = "unknown"
    while time.monotonic() < deadline:
        status = requests.get(url, timeout=10).json().get("status", "unknown")
        if status in ("ready", "failed"):
            return status
        time.sleep(0.1)
    return f"{status} (timed out after {timeout_s:.0f}s)"


def seed(base_url: str, count: int = 30, seed: int = 42, with_upload: bool = True) -> dict:
    """Create `count` videos and optionally one uploaded, transcoded clip; returns what was made."""
    ids = create_videos(base_url, count, seed)
    out: dict = {"video_ids": ids, "count": count, "seed": seed}
    if with_upload:
        out["upload"] = upload_clip(base_url)
    return out
