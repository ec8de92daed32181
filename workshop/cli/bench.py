"""`workshop bench`, `workshop load`, `workshop seed` and `workshop report` subcommands."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from workshop import archs, settings
from workshop.measure import loadcheck, loadrun, metadata
from workshop.records import ArchRecord
from workshop.report import faults_section
from workshop.report.accounting import accounting_rows
from workshop.report.html import locust_label
from workshop.report.soak_section import soak_summary_rows
from workshop.report.text import format_table, lambda_cpu_lines, summary_rows, warnings
from workshop.report.tune_section import tune_rows
from workshop.runtime import procs

if TYPE_CHECKING:  # the bench's modules load only when a bench runs
    from workshop.bench import BenchConfig


def quick_from_env() -> bool:
    """True when WORKSHOP_QUICK asks for quick mode (the notebooks read it too)."""
    return settings.quick()


def results_dir(label: str) -> Path:
    """A new results folder `results/<timestamp>-<label>` in the checkout."""
    return procs.PROJECT_ROOT / "results" / f"{time.strftime('%Y%m%d-%H%M%S')}-{label}"


def usable(names: list[str]) -> tuple[list[str], dict[str, str]]:
    """The architectures whose module loads, and why each other one does not."""
    ok, missing = [], {}
    for name in names:
        try:
            archs.load(name)
            ok.append(name)
        except SystemExit as exc:  # an unknown name
            missing[name] = str(exc)
        except Exception as exc:  # built but broken: say so, measure the others
            missing[name] = f"its module fails to import: {type(exc).__name__}: {exc}"
    return ok, missing


def _interrupt(*_):
    raise KeyboardInterrupt  # SIGTERM ends the bench like Ctrl-C: everything it started is brought down


def bench_config(args: argparse.Namespace, names: list[str]) -> BenchConfig:
    """The bench's parameters from the command line: quick or full mode, then each option's change."""
    from workshop.bench import BenchConfig

    out = Path(args.out) if args.out else results_dir("bench")
    quick = args.quick or quick_from_env()
    cfg = BenchConfig.quick_mode(out, names, args.seed) if quick else BenchConfig(out=out, archs=names, seed=args.seed)
    if args.processes:  # every Locust run of the bench, the saturation test included
        for params in (cfg.load, cfg.open_loop, cfg.rollback.load):
            params.processes = args.processes
    if args.workers:  # Locust distributed: a master and N local workers for every load run
        for params in (cfg.load, cfg.open_loop, cfg.rollback.load):
            params.workers = args.workers
    if args.backend:
        cfg.backend = args.backend
    cfg.kill_faults = not args.no_faults
    if args.no_tune:
        cfg.tune = None
    if args.soak_minutes is not None and cfg.soak:  # 0: no soak
        cfg.soak = replace(cfg.soak, hold_s=args.soak_minutes * 60) if args.soak_minutes > 0 else None
    return cfg


def cmd_bench(args: argparse.Namespace) -> int:
    """Run the whole benchmark and print its summary table."""
    from workshop.bench import run_bench
    from workshop.runtime.progress import log

    wanted = args.archs.split(",") if args.archs else list(archs.ARCHITECTURES)
    loadable, missing = usable(wanted)
    for name, why in missing.items():
        log(f"skipped {name}: {why}")
    cfg = bench_config(args, [n for n in wanted if n in loadable])
    signal.signal(signal.SIGTERM, _interrupt)
    if args.target:  # the serverless bench on a deploy target (the local AWS or an AWS account)
        from workshop.cli.target import bench_on_target

        return bench_on_target(args, cfg.load, Path(args.out) if args.out else results_dir(f"serverless-{args.target}"))
    bench = run_bench(cfg, missing)
    print(format_table(summary_rows(bench)))
    split = accounting_rows(bench)
    if split:
        print("serverless: function code vs local AWS services, and a PROJECTION for AWS (see report.html)")
        print(format_table(split))
    sat = (bench["archs"].get("monolith") or {}).get("saturation")
    if sat:
        wrk = f"{sat['wrk']['rps']:.0f} req/s" if sat.get("wrk") else "not installed"
        print(f"monolith GET /videos at saturation: {locust_label(sat)} {sat['locust']['rps']:.0f} req/s "
              f"(highest rolling rate {sat['locust']['peak_rps']:.0f}), wrk {wrk}")
    soaks = {a: r["soak"] for a, r in bench["archs"].items() if r.get("soak")}
    if soaks:
        print("soak: half of the capacity held; growth after warm-up (see report.html)")
        print(format_table(soak_summary_rows(soaks)))
    tuned = (bench["archs"].get("serverless") or {}).get("tune")
    if tuned:
        print(f"power tuning: {tuned['function']}, {tuned['n']} invocations per memory size (see report.html)")
        print(format_table(tune_rows(tuned["summary"])))
    killed = {a: r["faults_under_load"] for a, r in bench["archs"].items() if r.get("faults_under_load")}
    if killed:
        print("faults under load: kill -9 of each component (see report.html)")
        print(faults_section.text(killed))
    for line in lambda_cpu_lines(bench):
        print(line)
    for line in warnings(bench):
        print(f"WARNING: {line}")
    print(f"total {bench['total_s']} s; report: {cfg.out / 'report.html'}")
    return 1 if not any(r.get("status") == "ok" for r in bench["archs"].values()) else 0


def cmd_load(args: argparse.Namespace) -> int:
    """One Locust run against an architecture (brought up and down here unless it is already up)."""
    module, info = archs.load(args.arch), procs.load_arch(args.arch)
    out = Path(args.out) if args.out else results_dir(args.arch)
    params = loadrun.LoadParams(shape=args.shape, users=args.users, spawn_rate=args.spawn_rate,
                                duration_s=args.duration, think_time=args.think_time, arrival_rate=args.arrival_rate,
                                tags=args.tags, processes=args.processes, workers=args.workers, seed=args.seed)
    try:
        loadcheck.check(params.shape, params.tags)  # refused before the architecture is brought up
    except loadcheck.LoadRunError as exc:
        print(f"workshop load: {exc}", file=sys.stderr)
        return 2
    url = info["url"] if info else module.up()
    try:
        summary = loadrun.run_load(url, out, params, module.pids)
    except loadcheck.LoadRunError as exc:
        print(f"workshop load: FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if not info:
            module.down()
    recorded: ArchRecord = info or {"release": "v1"}
    metadata.write(out, metadata.collect(args.arch, recorded.get("backend"), recorded.get("release", "v1"),
                                         params.as_dict(), args.seed))
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary["total"], indent=2))
    if summary["resources"].get("locust_was_limit"):
        print("WARNING: Locust used more than 90% of a core: it, not the system, may be the limit", file=sys.stderr)
    print(out)
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    """Seed a running architecture with the bench's catalog."""
    from workshop.measure import seed

    info = procs.load_arch(args.arch)
    if not info:
        raise SystemExit(f"{args.arch} is not up: run `workshop up {args.arch} --detach` first")
    print(json.dumps(seed.seed(info["url"], args.count, args.seed, not args.no_upload), indent=2))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Redraw the charts and rebuild report.html of a bench folder."""
    from workshop.cost import usage as costrun
    from workshop.report import charts
    from workshop.report import html as report

    out = Path(args.folder)
    if not (out / "bench.json").exists():
        # A bench that was killed before its end: assemble what each architecture wrote.
        results = {a: json.loads((out / a / "result.json").read_text()) for a in archs.ARCHITECTURES
                   if (out / a / "result.json").exists()}
        bench = {"archs": results, "interrupted": True, "cost": costrun.write(out, results)}
        (out / "bench.json").write_text(json.dumps(bench, indent=2, default=str))
    charts.make_all(out)
    print(report.build(out))
    return 0


def add(sub: argparse._SubParsersAction) -> None:
    """Add the measurement subcommands to the `workshop` parser."""
    bench = sub.add_parser("bench", help="measure every architecture and write the report")
    bench.add_argument("--quick", action="store_true", help="small and short (also WORKSHOP_QUICK=1)")
    bench.add_argument("--archs", help="comma-separated subset, e.g. monolith,soa")
    bench.add_argument("--out", help="results folder (default results/<timestamp>-bench)")
    bench.add_argument("--seed", type=int, default=42)
    bench.add_argument("--processes", type=int, help="Locust worker processes for the load runs (-1: one per core)")
    bench.add_argument("--workers", type=int, help="Locust distributed: a master and N worker processes per load run "
                       "(the saturation test picks its own count)")
    bench.add_argument("--backend", choices=["process", "docker", "swarm"],
                       help="microservices: containers, plain processes or a Swarm stack "
                            "(default: process with --quick, else docker if reachable)")
    bench.add_argument("--target", choices=["local", "aws"],
                       help="serverless only: deploy to this target with the deployer, load it, bill it from "
                            "CloudWatch Logs, tear it down (aws: your account, at a cost printed first)")
    bench.add_argument("--yes", action="store_true", help="with --target: do not ask before deploying")
    bench.add_argument("--no-faults", action="store_true",
                       help="skip the faults under load (kill -9 of each component with uploads in flight)")
    bench.add_argument("--no-tune", action="store_true",
                       help="skip the serverless power-tuning sweep (the list function at several memory sizes)")
    bench.add_argument("--soak-minutes", type=float,
                       help="soak of each architecture at half its capacity (default 3; quick 0.5; 0: none)")
    bench.set_defaults(func=cmd_bench)
    load = sub.add_parser("load", help="one Locust run against an architecture")
    load.add_argument("arch", choices=archs.ARCHITECTURES)
    load.add_argument("--shape", default=settings.load_shape(),
                      choices=["steady", "step", "spike", "open"])
    load.add_argument("-u", "--users", type=int, default=10)
    load.add_argument("-r", "--spawn-rate", type=float, default=10)
    load.add_argument("-t", "--duration", type=int, default=20, help="seconds")
    load.add_argument("--think-time", default="0.5,1.5")
    load.add_argument("--arrival-rate", type=float, default=20, help="open shape: requests/s")
    load.add_argument("--tags", help="comma-separated Locust tags, e.g. browse")
    load.add_argument("--processes", type=int)
    load.add_argument("--workers", type=int, help="Locust distributed: a master and N worker processes on 127.0.0.1")
    load.add_argument("--seed", type=int, default=42)
    load.add_argument("--out")
    load.set_defaults(func=cmd_load)
    seed = sub.add_parser("seed", help="create the bench's catalog on a running architecture")
    seed.add_argument("arch", choices=archs.ARCHITECTURES)
    seed.add_argument("--count", type=int, default=30)
    seed.add_argument("--seed", type=int, default=42)
    seed.add_argument("--no-upload", action="store_true")
    seed.set_defaults(func=cmd_seed)
    rep = sub.add_parser("report", help="rebuild the charts and report.html of a bench folder")
    rep.add_argument("folder")
    rep.set_defaults(func=cmd_report)
