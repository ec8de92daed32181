"""Cold start: time from "start a new unit of capacity" to its first successful response, per architecture.

Optional functions an architecture module may provide (this scenario calls them when present):
- `new_capacity() -> float`: start one more unit of capacity (an SOA tier process, a microservice container
  or process, a Lambda environment...), return the seconds until its first successful response, stop it.
- `lambda_coldstart_study(quick: bool = False) -> pandas.DataFrame`: the Lambda study (cold vs warm, package
  size, memory size, a burst that forces scale-out) with one row per invocation and columns
  `scenario` (str, e.g. "light-128MB", "heavy-imports", "burst"), `kind` ("cold" or "warm"),
  `latency_ms` (client-side), `init_ms` (Init Duration of the REPORT line; NaN when warm), `memory_mb`.
Every architecture module of this checkout provides `new_capacity()`; a module without it gets a labelled
fallback: its rollback component is redeployed and timed to its first 200.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path
from types import ModuleType

from workshop.runtime import procs

STUDY_COLUMNS = ["scenario", "kind", "latency_ms", "init_ms", "memory_mb"]


def first_ok(url: str, pid: int | None, start: float, timeout_s: float = 60) -> float:
    """Seconds from `start` (monotonic) to the first 200 from `url`, polling every 10 ms."""
    return procs.wait_healthy(url, timeout_s, pid, start=start, poll_s=0.01)


def redeploy_to_first_ok(module: ModuleType, arch: str, path: str) -> float:
    """Seconds to release the rollback component again (a new unit of it) until `path` answers 200."""
    info = procs.load_arch(arch) or {}
    start = time.monotonic()
    url = module.deploy(getattr(module, "ROLLBACK_COMPONENT", None), info.get("release", "v1"), {})
    return first_ok(f"{(info.get('url') or url).rstrip('/')}{path}", None, start)


def _measurer(module: ModuleType, arch: str, video_id: str | None):
    if hasattr(module, "new_capacity"):
        return (lambda: module.new_capacity()), "new_capacity() of the architecture module"
    # GET /videos/{id} is served by the rollback component in every architecture (unit, logic tier, catalog
    # service, get_video function), so its first 200 is the new unit's.
    component = getattr(module, "ROLLBACK_COMPONENT", None) or "the whole unit"
    path = f"/videos/{video_id}" if video_id else "/videos"
    return (lambda: redeploy_to_first_ok(module, arch, path)), (
        f"fallback (no new_capacity() in the module): redeploy {component} to first 200 on GET {path}")


def run(module: ModuleType, arch: str, folder: Path, repeats: int = 3, quick: bool = False,
        video_id: str | None = None) -> dict:
    """Measure new-capacity start times (and the Lambda study when offered); writes CSVs and coldstart.json."""
    folder.mkdir(parents=True, exist_ok=True)
    measure, how = _measurer(module, arch, video_id)
    seconds = [round(measure(), 4) for _ in range(repeats)] if measure else []
    with (folder / "coldstart.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["arch", "attempt", "seconds"])
        out.writerows((arch, i, s) for i, s in enumerate(seconds))
    result = {"arch": arch, "method": how, "seconds": seconds, "lambda_study": None}
    if hasattr(module, "lambda_coldstart_study"):
        try:
            result["lambda_study"] = _lambda_study(module, folder, quick)
        except Exception as exc:  # the study is optional: say why it is missing, keep the rest
            result["lambda_study_error"] = f"{type(exc).__name__}: {exc}"
    (folder / "coldstart.json").write_text(json.dumps(result, indent=2))
    return result


def _lambda_study(module: ModuleType, folder: Path, quick: bool) -> str:
    """Run the module's Lambda study, check its shape, save it as lambda_study.csv; returns the file name."""
    frame = module.lambda_coldstart_study(quick=quick)
    missing = [c for c in STUDY_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"lambda_coldstart_study() lacks columns {missing}")
    frame.to_csv(folder / "lambda_study.csv", index=False)
    return "lambda_study.csv"
