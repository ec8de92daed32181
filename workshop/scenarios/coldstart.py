"""Cold start: time from "start a new unit of capacity" to its first successful response, per architecture.

It calls two members of the `Architecture` protocol:
- `new_capacity() -> float`: start one more unit of capacity (an SOA tier process, a microservice container
  or process, a Lambda environment...), return the seconds until its first successful response, stop it.
- `coldstart_study(quick) -> pandas.DataFrame | None`: the architecture's own study, if any (serverless: cold
  vs warm, package size, memory size, a burst that forces scale-out) with one row per invocation and columns
  `scenario` (str, e.g. "light-128MB", "heavy-imports", "burst"), `kind` ("cold" or "warm"),
  `latency_ms` (client-side), `init_ms` (Init Duration of the REPORT line; NaN when warm), `memory_mb`.
"""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

from workshop.archs import Architecture
from workshop.runtime import procs

STUDY_COLUMNS = ["scenario", "kind", "latency_ms", "init_ms", "memory_mb"]


def first_ok(url: str, pid: int | None, start: float, timeout_s: float = 60) -> float:
    """Seconds from `start` (monotonic) to the first 200 from `url`, polling every 10 ms."""
    return procs.wait_healthy(url, timeout_s, pid, start=start, poll_s=0.01)


def redeploy_to_first_ok(module: Architecture, arch: str, path: str) -> float:
    """Seconds to release the rollback component again (a new unit of it) until `path` answers 200."""
    info = procs.load_arch(arch) or {}
    start = time.monotonic()
    url = module.deploy(module.ROLLBACK_COMPONENT, info.get("release", "v1"), {})
    return first_ok(f"{(info.get('url') or url).rstrip('/')}{path}", None, start)




def run(module: Architecture, arch: str, folder: Path, repeats: int = 3, quick: bool = False,
        video_id: str | None = None) -> dict:
    """Measure new-capacity start times (and the Lambda study when offered); writes CSVs and coldstart.json."""
    folder.mkdir(parents=True, exist_ok=True)
    how = "new_capacity() of the architecture module"
    seconds = [round(module.new_capacity(), 4) for _ in range(repeats)]
    with (folder / "coldstart.csv").open("w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["arch", "attempt", "seconds"])
        out.writerows((arch, i, s) for i, s in enumerate(seconds))
    result = {"arch": arch, "method": how, "seconds": seconds, "lambda_study": None}
    try:
        result["lambda_study"] = _lambda_study(module, folder, quick)
    except Exception as exc:  # the study is optional: say why it is missing, keep the rest
        result["lambda_study_error"] = f"{type(exc).__name__}: {exc}"
    (folder / "coldstart.json").write_text(json.dumps(result, indent=2))
    return result


def _lambda_study(module: Architecture, folder: Path, quick: bool) -> str | None:
    """Run the architecture's own cold-start study, if it has one; save it as lambda_study.csv."""
    frame = module.coldstart_study(quick=quick)
    if frame is None:
        return None
    missing = [c for c in STUDY_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"coldstart_study() lacks columns {missing}")
    frame.to_csv(folder / "lambda_study.csv", index=False)
    return "lambda_study.csv"
