"""Issue 4's figures: the microservices' containers (start-to-healthy, image sizes), GET /videos against
the monolith in the same run, and 4 parallel uploads to `ready` with 1 and with 2 transcode workers.

Usage: python benchmarks/microservices_figures.py [--backend docker|process] [--quick] [--json FILE]
Each architecture runs alone on private ports and state. GET /videos is driven by the closed-loop client
of soa_vs_monolith.py (same seeding, same threads); closed-loop load hides stalls, so p99 is a floor.
Ratios travel between machines; absolute numbers only describe the machine that made them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from soa_vs_monolith import drive, seed  # noqa: E402  (the same client and seeding as the SOA figures)

from videocatalog import testmedia  # noqa: E402
from workshop import settings
from workshop.archs import monolith  # noqa: E402
from workshop.archs.microservices import arch as microservices  # noqa: E402
from workshop.measure.client import CatalogClient  # noqa: E402
from workshop.runtime import procs  # noqa: E402


def isolate() -> None:
    """Private state and free ports, so nothing running (or another run) is disturbed."""
    os.environ["WORKSHOP_STATE_DIR"] = tempfile.mkdtemp(prefix="bench-microservices-")
    os.environ["WORKSHOP_MONOLITH_PORT"] = str(procs.free_port())
    for name in ("GATEWAY", "CATALOG", "UPLOAD", "TRANSCODE", "ANALYTICS", "LOCALAWS"):
        os.environ[f"WORKSHOP_MS_{name}_PORT"] = str(procs.free_port())


def get_videos(base: str, args: argparse.Namespace) -> dict:
    """Seed, warm up, then drive GET /videos with `args.threads` closed-loop clients."""
    seed(base, args.videos)
    drive(base, ["/videos"], args.threads, args.warmup)
    return drive(base, ["/videos"], args.threads, args.duration)


def parallel_uploads(base: str, clips: list[Path], timeout_s: float = 600) -> float:
    """Seconds from the start of uploading all clips at once until every video is ready."""
    client = CatalogClient(base)
    videos = [client.create(f"parallel {i}") for i in range(len(clips))]
    start = time.monotonic()
    threads = [threading.Thread(target=client.upload, args=(v, c)) for v, c in zip(videos, clips, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    pending = {v["id"] for v in videos}
    while pending:
        for video_id in list(pending):
            status = client.get(video_id)["status"]
            if status == "failed":
                raise RuntimeError(f"{video_id} failed: {client.get(video_id)['error']}")
            if status == "ready":
                pending.discard(video_id)
        if time.monotonic() - start > timeout_s:
            raise TimeoutError(f"{len(pending)} videos not ready after {timeout_s} s")
        time.sleep(0.2)
    return time.monotonic() - start


def containers_figures(info: dict, redeploys: dict[str, float]) -> dict[str, dict]:
    """Per service: image size, build time, start-to-healthy at `up` and at a redeploy."""
    out = {}
    for service in microservices.COMPONENTS:
        image = next((v for k, v in info.get("images", {}).items() if k.startswith(f"{service}:")), {})
        first = next(v for k, v in info["healthy_s"].items() if k.rsplit("-", 1)[0] == service)
        out[service] = {"size_mb": image.get("size_bytes", 0) / 1e6 or None, "build_s": image.get("build_s"),
                        "healthy_s_up": first, "healthy_s_redeploy": redeploys.get(service)}
    return out


def measure_microservices(args: argparse.Namespace, clips: list[Path]) -> dict:
    """Up (building images on docker), redeploy each service once, GET /videos, then the upload runs."""
    try:
        base = microservices.up(backend=args.backend)  # inside the try: a partial up is brought down too
        redeploys = {}
        for service in microservices.COMPONENTS:
            microservices.deploy(service, "r2")
            info = procs.load_arch(microservices.NAME) or {}
            redeploys[service] = info["healthy_s"][max((k for k in info["healthy_s"] if k.startswith(service + "-")),
                                                       key=lambda k: int(k.rsplit("-", 1)[1]))]
        info = procs.load_arch(microservices.NAME) or {}
        out = {"backend": info["backend"], "containers": containers_figures(info, redeploys),
               "get_videos": get_videos(base, args)}
        for workers in (1, 2):
            microservices.scale("transcode", workers)
            out[f"uploads_{workers}_worker_s"] = parallel_uploads(base, clips)
        return out
    finally:
        microservices.down()


def report(mono: dict, ms: dict) -> dict:
    """Print the figures and the ratios to the monolith; returns the ratios."""
    print(f"backend: {ms['backend']}\n{'service':10} {'image MB':>9} {'build s':>8} {'healthy s (up)':>15} "
          f"{'healthy s (redeploy)':>21}")
    for name, c in ms["containers"].items():
        size = f"{c['size_mb']:.0f}" if c["size_mb"] else "-"
        build = f"{c['build_s']:.1f}" if c["build_s"] is not None else "-"
        print(f"{name:10} {size:>9} {build:>8} {c['healthy_s_up']:15.2f} {c['healthy_s_redeploy']:21.2f}")
    g, m = ms["get_videos"], mono
    ratios = {"throughput": g["rps"] / m["rps"], "p50": g["p50_ms"] / m["p50_ms"], "p99": g["p99_ms"] / m["p99_ms"]}
    print(f"\nGET /videos   monolith {m['rps']:.0f} req/s p50 {m['p50_ms']:.1f} ms p99 {m['p99_ms']:.1f} ms | "
          f"microservices {g['rps']:.0f} req/s p50 {g['p50_ms']:.1f} ms p99 {g['p99_ms']:.1f} ms "
          f"(errors {m['errors']}/{g['errors']}, client CPU {max(m['client_cpu'], g['client_cpu']):.2f} core)")
    print(f"microservices / monolith: throughput x{ratios['throughput']:.2f}  p50 x{ratios['p50']:.2f}  "
          f"p99 x{ratios['p99']:.2f}")
    print(f"\n4 parallel uploads to ready: 1 worker {ms['uploads_1_worker_s']:.1f} s, "
          f"2 workers {ms['uploads_2_worker_s']:.1f} s (x{ms['uploads_1_worker_s'] / ms['uploads_2_worker_s']:.2f})")
    return ratios


def main(argv: list[str] | None = None) -> int:
    """Measure the monolith's GET /videos, then the microservices, and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["docker", "process"], default=None)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--videos", type=int, default=50)
    parser.add_argument("--clip-seconds", type=float, default=3.0)
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.threads, args.videos, args.clip_seconds = 3.0, 1.0, 4, 20, 1.0
    isolate()
    try:
        folder = Path(os.environ["WORKSHOP_STATE_DIR"]) / "clips"
        folder.mkdir()
        clips = [testmedia.make_clip(folder / f"c{i}.mp4", 1280, 720, args.clip_seconds) for i in range(4)]
        try:
            mono = get_videos(monolith.up(), args)  # up inside the try: a partial up is brought down too
        finally:
            monolith.down()
        ms = measure_microservices(args, clips)
    finally:  # the private state (databases, media, clips) goes with the run
        shutil.rmtree(os.environ["WORKSHOP_STATE_DIR"], ignore_errors=True)
    ratios = report(mono, ms)
    if args.json:
        meta = {"args": {k: str(v) for k, v in vars(args).items()}, "cores": os.cpu_count(), "time": time.time()}
        args.json.write_text(json.dumps({"meta": meta, "monolith": mono, "microservices": ms, "ratios": ratios},
                                        indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
