"""Issue 15: Locust's rate against wrk's on the monolith's GET /videos, by number of Locust workers.

The monolith is brought up alone and seeded; then, round after round (the machine is shared, so the
configurations alternate rather than run one after the other), wrk and Locust in each configuration (one
process, then a master with 1..N workers, `--workers`) drive GET /videos with no think time. Printed: the
best rate of each and Locust/wrk; the goal is at least 80 %. Absolute rates hold only for this machine.

    python benchmarks/locust_vs_wrk.py [--quick] [--max-workers N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from workshop.archs import load as load_arch
from workshop.measure import loadrun, seed, wrkrun
from workshop.measure.saturation import worker_choices


def configurations(max_workers: int) -> list[int | None]:
    """None (one Locust process), then 1..max_workers workers."""
    return [None, *range(1, max_workers + 1)]


def measure(url: str, folder: Path, rounds: int, seconds: int, users: int, max_workers: int) -> dict:
    """Best requests/s of wrk and of each Locust configuration over alternating rounds."""
    best: dict[str, float] = {}
    for i in range(rounds):
        if wrkrun.available():
            rps = wrkrun.run(f"{url}/videos", folder / f"wrk-{i}", seconds)["rps"]
            best["wrk"] = max(best.get("wrk", 0.0), rps)
        for workers in configurations(max_workers):
            params = loadrun.LoadParams(users=users, spawn_rate=users, duration_s=seconds, think_time="0",
                                        tags="list", workers=workers)
            run = loadrun.run_load(url, folder / f"locust-{workers or 0}-{i}", params, lambda: {})
            key = f"locust workers={workers}" if workers else "locust 1 process"
            best[key] = max(best.get(key, 0.0), (run["total"] or {}).get("rps") or 0.0)
            print(f"round {i + 1}: {key}: {best[key]:.0f} req/s (best so far)", flush=True)
    return best


def main() -> int:
    """Run the comparison and print the table and the ratio."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--max-workers", type=int, default=max(worker_choices()))
    ap.add_argument("--json")
    args = ap.parse_args()
    rounds, seconds, users = (1, 5, 24) if args.quick else (3, 10, 32)
    os.environ.setdefault("WORKSHOP_STATE_DIR", tempfile.mkdtemp(prefix="locust-vs-wrk-"))
    monolith = load_arch("monolith")
    url = monolith.up()
    try:
        seed.seed(url, 30, 42, False)
        with tempfile.TemporaryDirectory() as tmp:
            best = measure(url, Path(tmp), rounds, seconds, users, args.max_workers)
    finally:
        monolith.down()
    wrk = best.pop("wrk", None)
    top = max(best, key=best.__getitem__)
    print(f"\nmonolith GET /videos, {rounds} rounds of {seconds}s, {users} Locust users, {os.cpu_count()} cores")
    for key, rps in best.items():
        print(f"  {key:24} {rps:8.0f} req/s" + (f"   {rps / wrk:5.0%} of wrk" if wrk else ""))
    print(f"  {'wrk':24} {wrk or 0:8.0f} req/s" if wrk else "  wrk not installed: no reference")
    if wrk:
        print(f"best Locust ({top}) / wrk = {best[top] / wrk:.0%} (goal >= 80%)")
    if args.json:
        Path(args.json).write_text(json.dumps({"wrk": wrk, "locust": best, "best": top}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
