"""The quick bench part of `serverless_emulator.py`: the harness's own quick bench, its figures, or a saved folder.

The monolith and serverless go through `workshop.bench.run_arch` with `BenchConfig.quick_mode` (the code
`workshop bench --quick` runs), less the steps that come after the load and do not change its figures
(rollback scenarios, soak, faults under load). Serverless runs once per local AWS mode, the monolith once.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workshop import archs
from workshop.bench import BenchConfig, run_arch
from workshop.records import ArchResult

WARM_S = 5.0  # seconds into the quick bench's load after which environments count as warm (8 users spawn in 1 s)


@contextmanager
def local_aws_mode(plain_moto: bool) -> Iterator[None]:
    """Within the block, a local AWS started here is plain moto (the baseline) or has its fast path."""
    os.environ["WORKSHOP_LOCALAWS_PLAIN_MOTO"] = "1" if plain_moto else "0"
    try:
        yield
    finally:
        os.environ.pop("WORKSHOP_LOCALAWS_PLAIN_MOTO", None)


def quick_config(out: Path) -> BenchConfig:
    """The quick bench's configuration without rollbacks, soak and faults under load."""
    cfg = BenchConfig.quick_mode(out, ["monolith", "serverless"])
    cfg.soak, cfg.kill_faults, cfg.faults = None, False, ()
    return cfg


def _epoch(stamp: str | None) -> float | None:
    if not stamp:
        return None
    return datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC).timestamp()


def failures(load_folder: Path, started: float) -> list[dict[str, Any]]:
    """Locust's failure log of one load run: endpoint, HTTP status (0: no answer), count, first/last seen (s in)."""
    path = load_folder / "locust_failures.csv"
    if not path.exists():
        return []
    rows = []
    with path.open(newline="") as fh:
        for row in csv.DictReader(fh):
            error = row["Error"]
            first, last = _epoch(row.get("First Seen")), _epoch(row.get("Last Seen"))
            rows.append({"endpoint": row["Name"], "occurrences": int(row["Occurrences"]),
                         "status": int(error.split("code=")[1].split(")")[0]) if "code=" in error else 0,
                         "error": error[:80], "first_s": None if first is None else round(first - started, 1),
                         "last_s": None if last is None else round(last - started, 1)})
    return rows


def throttles_after_warmup(state: Path, load: dict[str, Any]) -> int | None:
    """Lambda throttles the local AWS recorded from WARM_S into the load to its end (None: no records)."""
    saved = os.environ.get("WORKSHOP_STATE_DIR")
    os.environ["WORKSHOP_STATE_DIR"] = str(state)  # the serverless module reads its records under it
    try:
        seen = archs.load("serverless").lambda_concurrency(load["started"] + WARM_S, load["finished"] + 1)
    except (OSError, ValueError, KeyError):
        return None
    finally:
        if saved is None:
            os.environ.pop("WORKSHOP_STATE_DIR", None)
        else:
            os.environ["WORKSHOP_STATE_DIR"] = saved
    return None if seen.get("limit") is None else int(seen["throttles"])


def figures(result: ArchResult, load_folder: Path, state: Path | None) -> dict[str, Any]:
    """The quick bench's figures of one architecture: p50, error rate, 429 and 5xx, throttles after warm-up."""
    load: dict[str, Any] = dict(result.get("load") or {})
    total = load.get("total") or {}
    if result.get("status") != "ok" or not total:
        return {"status": result.get("status"), "reason": result.get("reason", "no load figures")}
    failed = failures(load_folder, load["started"])
    peak = ((result.get("lambda_concurrency") or {}).get("load")) or {}
    return {"status": "ok", "requests": total["requests"], "p50_ms": total["p50_ms"], "error_rate": total["error_rate"],
            "status_429": sum(f["occurrences"] for f in failed if f["status"] == 429),
            "status_5xx": sum(f["occurrences"] for f in failed if f["status"] >= 500),
            "no_answer": sum(f["occurrences"] for f in failed if f["status"] == 0),
            "failures": failed, "throttles": peak.get("throttles"), "peak_environments": peak.get("peak"),
            "limit": peak.get("unreserved_limit"),
            "throttles_after_warmup": throttles_after_warmup(state, load) if state else None}


def run(out: Path, state: Path, modes: dict[str, bool]) -> dict[str, dict[str, Any]]:
    """Quick-bench the monolith once and serverless per mode (name: plain moto?); figures by name."""
    out.mkdir(parents=True, exist_ok=True)
    os.environ["WORKSHOP_STATE_DIR"] = str(state / "monolith")
    mono = run_arch("monolith", quick_config(out / "monolith"))
    got = {"monolith": figures(mono, out / "monolith" / "monolith" / "load", None)}
    for name, plain in modes.items():
        folder, run_state = out / name.replace(" ", "-"), state / name.replace(" ", "-")
        os.environ["WORKSHOP_STATE_DIR"] = str(run_state)
        with local_aws_mode(plain):
            result = run_arch("serverless", quick_config(folder))
        got[name] = figures(result, folder / "serverless" / "load", run_state)
        (folder / "bench.json").write_text(json.dumps({"archs": {"monolith": mono, "serverless": result}},
                                                      indent=2, default=str))
    (out / "figures.json").write_text(json.dumps(got, indent=2))
    return got


def read(folder: Path) -> dict[str, dict[str, Any]]:
    """Figures of a saved run: this script's --out folder (figures.json), or a `workshop bench` folder."""
    if (folder / "figures.json").exists():
        return json.loads((folder / "figures.json").read_text())
    bench = json.loads((folder / "bench.json").read_text())["archs"]
    got = {}
    if "monolith" in bench:
        got["monolith"] = figures(bench["monolith"], folder / "monolith" / "load", None)
    if "serverless" in bench:  # its local AWS mode is not recorded: "as run"; its state (throttles) is in state/
        got["as run"] = figures(bench["serverless"], folder / "serverless" / "load", folder / "state")
    return got
