"""`workshop bench`: each architecture up, seeded, loaded, rolled back, cold-started and always down again.

One folder per bench (default `results/<timestamp>-bench/`): `report.html` (self-contained), `bench.json`
(everything below, summarized), `metadata.json`, `charts/*.png`, `cost/` (curves.csv, crossovers.csv,
transcode.csv, inputs.json), `tune/` (serverless: the power-tuning sweep's tune-list_videos.csv, .json and
.png), and per architecture `<arch>/`: `metadata.json`, `result.json`, `load/` and
`open/` (Locust CSVs with full history, resources.csv, locust.log), `rollback-N/` (the same plus monitor.csv
and rollback.json), `coldstart/`, and for the monolith `saturation-N/` and `wrk-N/`. `state/` holds the
architectures' private data while they run. Quick mode shrinks users and durations so the bench fits in CI.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

from workshop import archs
from workshop.endurance.soak import SoakParams
from workshop.endurance.soak import run as run_soak
from workshop.measure import loadrun, metadata, seed
from workshop.measure.saturation import saturation
from workshop.records import ArchResult, BenchRecord
from workshop.runtime import procs
from workshop.runtime.progress import log
from workshop.scenarios import coldstart, orchestrated, rollback
from workshop.tune.run import TuneParams


@dataclass
class BenchConfig:
    """Every parameter of a bench run (recorded in metadata.json)."""

    out: Path
    archs: list[str]
    quick: bool = False
    seed: int = 42
    seed_videos: int = 100
    load: loadrun.LoadParams = field(default_factory=lambda: loadrun.LoadParams(
        shape="step", users=40, spawn_rate=10, duration_s=60, think_time="0.2,1.0"))
    rollback: rollback.RollbackParams = field(default_factory=lambda: rollback.RollbackParams(
        baseline_s=10, detect_timeout_s=20, recover_timeout_s=30, tail_s=5,
        load=loadrun.LoadParams(users=20, think_time="0.2,0.6")))
    open_loop: loadrun.LoadParams = field(default_factory=lambda: loadrun.LoadParams(
        shape="open", users=2, spawn_rate=2, duration_s=30, arrival_rate=25))
    faults: tuple[str, ...] = ("error:get_video", "latency:get_video:400")
    coldstart_repeats: int = 10
    saturation_s: int = 10  # per tool and round
    saturation_users: int = 32
    backend: str | None = None  # microservices: docker or process (None: the module's default)
    soak: SoakParams | None = field(default_factory=lambda: SoakParams(hold_s=180))  # None: no soak
    kill_faults: bool = True  # faults under load: kill -9 each component with uploads in flight (endurance/faults.py)
    tune: TuneParams | None = field(default_factory=TuneParams)  # serverless: power-tuning sweep (None: none)

    @classmethod
    def quick_mode(cls, out: Path, names: list[str], seed_: int = 42) -> BenchConfig:
        """Few users, short runs, one fault, microservices as plain processes (image builds take minutes)."""
        return cls(out=out, archs=names, quick=True, seed=seed_, seed_videos=20, backend="process",
                   load=loadrun.LoadParams(users=8, spawn_rate=8, duration_s=15, think_time="0.1,0.5", seed=seed_),
                   rollback=rollback.RollbackParams(baseline_s=3, detect_timeout_s=8, recover_timeout_s=10, tail_s=2,
                                                    load=loadrun.LoadParams(users=5, think_time="0.1,0.4", seed=seed_)),
                   open_loop=loadrun.LoadParams(shape="open", users=2, spawn_rate=2, duration_s=8, arrival_rate=25,
                                                seed=seed_),
                   faults=("error:get_video",), coldstart_repeats=3, saturation_s=5, saturation_users=24,
                   soak=SoakParams.quick(hold_s=30), tune=TuneParams.quick())

    def as_dict(self) -> dict:
        """The parameters as plain data."""
        return json.loads(json.dumps(asdict(self), default=str))


def run_arch(name: str, cfg: BenchConfig) -> ArchResult:
    """Every step for one architecture; it is always brought down, whatever happens."""
    folder = cfg.out / name
    folder.mkdir(parents=True, exist_ok=True)
    result: ArchResult = {"arch": name, "status": "failed", "stage": "up"}
    if procs.load_arch(name):
        return {**result, "status": "skipped", "reason": f"already up; run `workshop down {name}` first"}
    module = archs.load(name)
    result["components"] = list(module.COMPONENTS)
    try:
        log(f"{name}: up")
        started = time.monotonic()
        url = module.up(backend=cfg.backend) if cfg.backend else module.up()
        info = procs.load_arch(name) or {}
        result["url"], result["backend"], result["release"] = url, info.get("backend"), info.get("release", "v1")
        result["up_s"], result["stage"] = round(time.monotonic() - started, 2), "seed"
        log(f"{name}: up in {result['up_s']}s at {url}; seeding {cfg.seed_videos} videos and one clip")
        result["seed"] = seed.seed(url, cfg.seed_videos, cfg.seed, timeout_s=30 if cfg.quick else 120)
        if result["seed"]["upload"]["status"] != "ready":
            log(f"{name}: the seed clip is {result['seed']['upload']['status']} (no transcoding figure)")
        result["stage"] = "load"
        log(f"{name}: load, {cfg.load.shape} {cfg.load.users} users for {cfg.load.duration_s}s")
        result["load"] = loadrun.run_load(url, folder / "load", cfg.load, loadrun.safe_pids(module, name))
        log(f"{name}: open loop, {cfg.open_loop.arrival_rate:g} requests/s for {cfg.open_loop.duration_s}s")
        result["open_loop"] = loadrun.run_load(url, folder / "open", cfg.open_loop, loadrun.safe_pids(module, name))
        if cfg.soak:
            result["stage"] = "soak"
            log(f"{name}: soak, half of the capacity for {cfg.soak.hold_s:g}s")
            result["soak"] = run_soak(module.pids, url, result["seed"]["video_ids"], folder / "soak", cfg.soak)
        if name == "monolith":
            result["saturation"] = saturation(url, folder, cfg.saturation_users, cfg.saturation_s, cfg.seed,
                                              processes=cfg.load.processes)
        result["stage"], result["rollback"] = "rollback", []
        for i, fault in enumerate(cfg.faults):
            log(f"{name}: rollback scenario, bad release with fault {fault}")
            params = rollback.RollbackParams(**{**asdict(cfg.rollback), "fault": fault, "load": cfg.rollback.load})
            scenario = orchestrated.run if orchestrated.applies(module, fault) else rollback.run
            result["rollback"].append(scenario(module, url, result["seed"]["video_ids"][0],
                                               folder / f"rollback-{i}", params))
        result["stage"] = "coldstart"
        log(f"{name}: cold start x{cfg.coldstart_repeats}")
        result["coldstart"] = coldstart.run(module, name, folder / "coldstart", cfg.coldstart_repeats, cfg.quick,
                                            result["seed"]["video_ids"][0])
        from workshop.cost.usage import lambda_usages  # the serverless billing records, when the arch has them

        result["lambda"], result["lambda_transcode"] = lambda_usages(module, result)
        from workshop.measure.lambda_peak import lambda_peaks  # serverless: environments needed at the peak

        result["lambda_concurrency"] = lambda_peaks(module, result)
        if cfg.tune and name == "serverless":
            result["stage"] = "tune"
            result["tune"] = _tune(cfg.tune, cfg.out / "tune")
        from workshop.measure.lambda_cpu import lambda_cpu  # serverless: whether CPU followed memory

        result["lambda_cpu"] = lambda_cpu(module)
        if cfg.kill_faults:  # last: it kills components, and the operator restarts leave new processes behind
            from workshop.endurance import faults

            result["stage"] = "faults"
            log(f"{name}: faults under load, kill -9 of each component")
            result["faults_under_load"] = faults.run(module, url, folder / "faults", cfg.quick)
        result["status"], result["stage"] = "ok", "done"
    except Exception as exc:
        result["reason"] = f"{type(exc).__name__}: {exc}"
        (folder / "error.txt").write_text(traceback.format_exc())
        log(f"{name}: FAILED at {result['stage']}: {result['reason']}")
    finally:
        log(f"{name}: down")
        try:
            module.down()
        except Exception as exc:  # keep going: the other architectures and the report still matter
            result["down_error"] = f"{type(exc).__name__}: {exc}"
            log(f"{name}: down FAILED ({result['down_error']}); check `workshop status`")
        metadata.write(folder, metadata.collect(name, result.get("backend"), result.get("release", "v1"),
                                                cfg.as_dict(), cfg.seed))
        (folder / "result.json").write_text(json.dumps(result, indent=2, default=str))
    return result


def _tune(params: TuneParams, out: Path) -> dict:
    """The power-tuning sweep of one function into out (the report embeds its chart), with the seconds it took."""
    from workshop.tune.run import run as run_tune

    log(f"serverless: power tuning of {params.function} at {', '.join(map(str, params.memories))} MB, "
        f"{params.n} invocations each")
    done = run_tune(params.function, list(params.memories), params.n, out, log=lambda line: log(f"  tune: {line}"))
    log(f"serverless: power tuning took {done['seconds']} s")
    return done


def run_bench(cfg: BenchConfig, skipped: dict[str, str] | None = None) -> BenchRecord:
    """Run every requested architecture, then the cost model, charts and report; returns bench.json's content."""
    from workshop.cost import usage as costrun
    from workshop.report import charts
    from workshop.report import html as report

    cfg.out.mkdir(parents=True, exist_ok=True)
    os.environ["WORKSHOP_STATE_DIR"] = str(cfg.out / "state")  # a fresh catalog for every architecture
    bench: BenchRecord = {"config": cfg.as_dict(), "archs": {}, "skipped": skipped or {}, "started": time.time()}
    metadata.write(cfg.out, metadata.collect(",".join(cfg.archs), None, "v1", cfg.as_dict(), cfg.seed))
    try:
        for name in cfg.archs:
            bench["archs"][name] = run_arch(name, cfg)
    except KeyboardInterrupt:
        bench["interrupted"] = True  # run_arch already brought the current architecture down
        log("interrupted: writing the report of what was measured")
    bench["finished"] = time.time()
    bench["total_s"] = round(bench["finished"] - bench["started"], 1)
    bench["cost"] = costrun.write(cfg.out, bench["archs"])
    (cfg.out / "bench.json").write_text(json.dumps(bench, indent=2, default=str))
    log("charts")
    charts.make_all(cfg.out)
    log("report")
    report.build(cfg.out)
    return bench
