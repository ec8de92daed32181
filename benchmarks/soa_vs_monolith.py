"""What the SOA's extra hops cost: GET /videos and GET /videos/{id} on the monolith and the SOA, in one run.

Each architecture is brought up alone (ports and state of its own), seeded with the same small catalog,
and driven by the same closed-loop client (threads, one requests.Session each, fixed duration). The
figures that travel are the ratios SOA/monolith and the added latency per request (p50 difference);
absolute numbers hold only for the machine that made them. Closed-loop load hides stalls (coordinated
omission): a slow answer also delays the next request, so p99 here is a floor, not the truth under a
fixed arrival rate.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import threading
import time
from pathlib import Path
from statistics import quantiles

import psutil
import requests

from workshop import settings
from workshop.archs import load as load_arch
from workshop.measure.client import CatalogClient
from workshop.runtime import procs

ENDPOINTS = ("GET /videos", "GET /videos/{id}")


def seed(base: str, count: int) -> list[str]:
    """Create `count` videos (titles, descriptions, tags) and return their ids."""
    client = CatalogClient(base)
    return [client.create(f"Benchmark video {i}", "A seeded video. " * 5, ["bench", f"group-{i % 5}"])["id"]
            for i in range(count)]


def drive(base: str, paths: list[str], threads: int, seconds: float) -> dict:
    """Closed loop: each thread sends the next request when the last one answered; latencies of 200s."""
    latencies: list[list[float]] = [[] for _ in range(threads)]
    errors = [0] * threads
    stop = time.monotonic() + seconds

    def worker(n: int) -> None:
        rng = random.Random(n)
        with requests.Session() as http:
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    ok = http.get(base + rng.choice(paths), timeout=30).status_code == 200
                except requests.RequestException:
                    ok = False
                if ok:
                    latencies[n].append(time.perf_counter() - started)
                else:
                    errors[n] += 1

    cpu0, wall0 = time.process_time(), time.monotonic()
    pool = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    wall = time.monotonic() - wall0
    all_ms = sorted(1000 * x for lat in latencies for x in lat)
    cuts = quantiles(all_ms, n=100) if len(all_ms) > 1 else [float("nan")] * 99
    return {"requests": len(all_ms), "errors": sum(errors), "rps": len(all_ms) / wall, "p50_ms": cuts[49],
            "p99_ms": cuts[98], "client_cpu": (time.process_time() - cpu0) / wall}


def server_cpu_s(pids: dict[str, int]) -> float:
    """CPU seconds used so far by the processes of the system under test and their children."""
    total = 0.0
    for pid in pids.values():
        try:
            root = psutil.Process(pid)
            for proc in [root, *root.children(recursive=True)]:
                times = proc.cpu_times()
                total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def measure(arch: str, args: argparse.Namespace) -> dict[str, dict]:
    """Bring `arch` up alone, seed it, drive each endpoint (after a warm-up) with one client, then with
    `args.threads`; bring it down."""
    module = load_arch(arch)
    try:
        base = module.up()  # inside the try: a partial up (some processes started) is brought down too
        ids = seed(base, args.videos)
        out = {}
        for endpoint, paths in zip(ENDPOINTS, (["/videos"], [f"/videos/{i}" for i in ids]), strict=True):
            drive(base, paths, args.threads, args.warmup)
            single = drive(base, paths, 1, args.duration / 2)  # no queueing: the hops' own latency
            cpu0 = server_cpu_s(module.pids())
            loaded = drive(base, paths, args.threads, args.duration)
            cpu_s = server_cpu_s(module.pids()) - cpu0
            loaded["server_cpu_per_request_ms"] = 1000 * cpu_s / max(loaded["requests"], 1)
            out[endpoint] = {**loaded, "single_client_p50_ms": single["p50_ms"], "single_client_rps": single["rps"]}
        return out
    finally:
        module.down()


def report(results: dict[str, dict[str, dict]]) -> dict[str, dict]:
    """Print each architecture's figures, then the SOA/monolith ratios; returns the ratios."""
    print(f"{'arch':9} {'endpoint':17} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} "
          f"{'client cpu':>10} {'server cpu/req ms':>17} {'1-client p50 ms':>15}")
    for arch, rows in results.items():
        for endpoint, r in rows.items():
            print(f"{arch:9} {endpoint:17} {r['rps']:8.1f} {r['p50_ms']:7.2f} {r['p99_ms']:7.2f} {r['errors']:6d} "
                  f"{r['client_cpu']:10.2f} {r['server_cpu_per_request_ms']:17.2f} {r['single_client_p50_ms']:15.2f}")
    ratios = {}
    print("\nSOA / monolith:")
    for endpoint in ENDPOINTS:
        soa, mono = results["soa"][endpoint], results["monolith"][endpoint]
        ratios[endpoint] = {"throughput": soa["rps"] / mono["rps"], "p50": soa["p50_ms"] / mono["p50_ms"],
                            "p99": soa["p99_ms"] / mono["p99_ms"],
                            "added_p50_ms": soa["p50_ms"] - mono["p50_ms"],
                            "added_p50_ms_single_client": soa["single_client_p50_ms"] - mono["single_client_p50_ms"],
                            "server_cpu": soa["server_cpu_per_request_ms"] / mono["server_cpu_per_request_ms"]}
        x = ratios[endpoint]
        print(f"  {endpoint:17} throughput x{x['throughput']:.2f}  p50 x{x['p50']:.2f}  p99 x{x['p99']:.2f}  "
              f"server CPU per request x{x['server_cpu']:.2f}")
        print(f"  {'':17} added latency per request (p50): {x['added_p50_ms']:+.2f} ms under load, "
              f"{x['added_p50_ms_single_client']:+.2f} ms with one client")
    busiest = max(r["client_cpu"] for rows in results.values() for r in rows.values())
    if busiest > 0.8:
        print(f"\nwarning: the client used {busiest:.2f} of a core (one Python process is near its limit): "
              "it may cap the throughput of the faster architecture, which shrinks the ratios")
    return ratios


def isolate(state_dir: str) -> None:
    """Private state and free ports, so a running monolith or SOA (or another run) is never disturbed."""
    os.environ["WORKSHOP_STATE_DIR"] = state_dir
    os.environ["WORKSHOP_MONOLITH_PORT"] = str(procs.free_port())
    for tier in ("presentation", "logic", "data"):
        os.environ[f"WORKSHOP_SOA_{tier.upper()}_PORT"] = str(procs.free_port())


def main(argv: list[str] | None = None) -> int:
    """Measure both architectures one after the other and print the figures and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per endpoint")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of unmeasured load first")
    parser.add_argument("--threads", type=int, default=8, help="concurrent closed-loop clients")
    parser.add_argument("--videos", type=int, default=50, help="videos seeded in each architecture")
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--json", type=Path, help="also write the raw figures and ratios here")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration, args.warmup, args.threads, args.videos = 3.0, 1.0, 4, 20
    with tempfile.TemporaryDirectory(prefix="bench-soa-vs-monolith-") as state_dir:
        isolate(state_dir)
        results = {arch: measure(arch, args) for arch in ("monolith", "soa")}
    ratios = report(results)
    if args.json:
        meta = {"args": {k: str(v) for k, v in vars(args).items()}, "cores": os.cpu_count(), "time": time.time()}
        args.json.write_text(json.dumps({"meta": meta, "results": results, "ratios": ratios}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
