"""Give every architecture the same starting catalog, through the public API only."""

from __future__ import annotations

import random
import tempfile
import time

from videocatalog import auth
from workshop.measure.client import CatalogClient

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
    client = CatalogClient(base_url, token=auth.make_token(subject="seed"))
    return [client.create(**video_body(rng, n))["id"] for n in range(count)]


def upload_clip(base_url: str, timeout_s: float = 120) -> dict:
    """Create one video, upload a tiny generated clip, wait until it settles; returns the timings."""
    from videocatalog.testmedia import make_clip

    client = CatalogClient(base_url, token=auth.make_token(subject="seed"))
    video = client.create("Seed clip", "one uploaded clip per architecture", ["seed"])
    with tempfile.TemporaryDirectory() as tmp:
        clip = make_clip(f"{tmp}/seed.mp4", int(CLIP["width"]), int(CLIP["height"]), CLIP["seconds"])
        size = clip.stat().st_size
        start = time.monotonic()
        client.upload(video, clip)
    acknowledged, acknowledged_at = time.monotonic(), time.time()
    try:
        status = client.wait_settled(video["id"], timeout_s)["status"]
    except TimeoutError:  # a stuck pipeline is a finding, not a reason to skip the rest of the bench
        status = f"not settled after {timeout_s:.0f}s"
    return {"video_id": video["id"], "status": status, "bytes": size, "clip_seconds": CLIP["seconds"],
            "clip_size": f"{CLIP['width']}x{CLIP['height']}", "upload_s": round(acknowledged - start, 3),
            "ack_to_ready_s": round(time.monotonic() - acknowledged, 3), "acknowledged_at": acknowledged_at,
            "settled_at": time.time()}


def seed(base_url: str, count: int = 30, seed: int = 42, with_upload: bool = True, timeout_s: float = 120) -> dict:
    """Create `count` videos and optionally one uploaded, transcoded clip; returns what was made."""
    ids = create_videos(base_url, count, seed)
    out: dict = {"video_ids": ids, "count": count, "seed": seed}
    if with_upload:
        out["upload"] = upload_clip(base_url, timeout_s)
    return out
