"""The monolith's GET /videos at saturation, by Locust and by wrk in turn: is the harness the limit?"""

from __future__ import annotations

import os
from pathlib import Path

from workshop.archs import monolith
from workshop.measure import loadrun, wrkrun
from workshop.runtime.progress import log


def worker_choices(cores: int | None = None) -> list[int]:
    """Locust worker counts worth trying here: 1 up to one per core but the one the system under test needs."""
    cores = cores or os.cpu_count() or 1
    return list(range(1, max(2, cores - 1) + 1))


def _locust(url: str, folder: Path, params: loadrun.LoadParams) -> dict:
    sat = loadrun.run_load(url, folder, params, loadrun.safe_pids(monolith, "monolith"))
    return {**sat["total"], "peak_rps": sat["peak_rps"], "resources": sat["resources"], "workers": params.workers}


def saturation(url: str, folder: Path, users: int, duration_s: int, seed: int, rounds: int = 2,
               processes: int | None = None, workers: int | list[int | None] | None = None) -> dict:
    """GET /videos as fast as Locust can, then as fast as wrk can, alternating (the machine is noisy); best of each.

    `workers`: a Locust worker count, or the counts to try (None in the list: one plain process). Given a
    list, the first round tries each and the later rounds use the fastest: as many workers as help here.
    Default: the list of one process and worker_choices(), unless `processes` asks for Locust's --processes.
    """
    if workers is None:
        workers = [None] if processes else [None, *worker_choices()]
    choices = workers if isinstance(workers, list) else [workers]
    runs: dict[str, list[dict]] = {"locust": [], "wrk": []}
    for i in range(rounds):
        for count in choices if i == 0 else [max(runs["locust"], key=lambda r: r["rps"] or 0)["workers"]]:
            label = f"{count} worker{'s' if count > 1 else ''}" if count else "one process"
            log(f"  saturation round {i + 1}/{rounds}: Locust ({label}), GET /videos only, no think time")
            params = loadrun.LoadParams(users=users, spawn_rate=users, duration_s=duration_s, think_time="0",
                                        tags="list", seed=seed, processes=None if count else processes,
                                        workers=count)
            runs["locust"].append(_locust(url, folder / f"saturation-{len(runs['locust'])}", params))
        if wrkrun.available():
            log(f"  saturation round {i + 1}/{rounds}: wrk, GET /videos")
            runs["wrk"].append(wrkrun.run(f"{url}/videos", folder / f"wrk-{i}", duration_s))
    best = max(runs["locust"], key=lambda r: r["rps"] or 0)
    out = {"locust": best, "resources": best["resources"], "rounds": runs, "workers": best["workers"],
           "wrk": max(runs["wrk"], key=lambda r: r["rps"]) if runs["wrk"] else None}
    if not runs["wrk"]:
        out["wrk_missing"] = "wrk is not installed (Debian package wrk); no reference measurement"
    return out
