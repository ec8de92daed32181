"""The monolith's GET /videos at saturation, by Locust and by wrk in turn: is the harness the limit?"""

from __future__ import annotations

from pathlib import Path

from workshop.archs import monolith
from workshop.measure import loadrun, wrkrun
from workshop.runtime.progress import log


def saturation(url: str, folder: Path, users: int, duration_s: int, seed: int, rounds: int = 2,
               processes: int | None = None) -> dict:
    """GET /videos as fast as Locust can, then as fast as wrk can, alternating (the machine is noisy); best of each."""
    params = loadrun.LoadParams(users=users, spawn_rate=users, duration_s=duration_s, think_time="0", tags="list",
                                seed=seed, processes=processes)
    runs: dict[str, list[dict]] = {"locust": [], "wrk": []}
    for i in range(rounds):
        log(f"  saturation round {i + 1}/{rounds}: Locust, GET /videos only, no think time")
        sat = loadrun.run_load(url, folder / f"saturation-{i}", params, loadrun.safe_pids(monolith, "monolith"))
        runs["locust"].append({**sat["total"], "peak_rps": sat["peak_rps"], "resources": sat["resources"]})
        if wrkrun.available():
            log(f"  saturation round {i + 1}/{rounds}: wrk, GET /videos")
            runs["wrk"].append(wrkrun.run(f"{url}/videos", folder / f"wrk-{i}", duration_s))
    best = max(runs["locust"], key=lambda r: r["rps"] or 0)
    out = {"locust": best, "resources": best["resources"], "rounds": runs,
           "wrk": max(runs["wrk"], key=lambda r: r["rps"]) if runs["wrk"] else None}
    if not runs["wrk"]:
        out["wrk_missing"] = "wrk is not installed (Debian package wrk); no reference measurement"
    return out
