"""A small bench folder with the files a real run writes (Locust CSV columns, monitor, samples), for report tests."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from workshop.cost import usage as costrun
from workshop.endurance import soak, trend
from workshop.measure import metadata

PCTS = ["50%", "66%", "75%", "80%", "90%", "95%", "98%", "99%", "99.9%", "99.99%", "100%"]
STATS = ["Type", "Name", "Request Count", "Failure Count", "Median Response Time", "Average Response Time",
         "Min Response Time", "Max Response Time", "Average Content Size", "Requests/s", "Failures/s", *PCTS]
HISTORY = ["Timestamp", "User Count", "Type", "Name", "Requests/s", "Failures/s", *PCTS, "Total Request Count",
           "Total Failure Count", "Total Median Response Time", "Total Average Response Time",
           "Total Min Response Time", "Total Max Response Time", "Total Average Content Size"]
T0 = 1_800_000_000


def _csv(path: Path, header: list[str], rows: list[list]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)


def locust_files(folder: Path, rps: float, p99: float, fails_from: int = 99) -> None:
    """Stats and full history for two endpoints over 10 seconds."""
    pct = [p99 / 4, p99 / 3, p99 / 3, p99 / 2, p99 / 2, p99 * 0.8, p99 * 0.9, p99, p99, p99, p99]
    _csv(folder / "locust_stats.csv", STATS, [
        ["GET", "GET /videos/{id}", 600, 6, pct[0], 9, 1, p99, 900, rps / 2, 0.6, *pct],
        ["", "Aggregated", 1200, 6, pct[0], 9, 1, p99, 900, rps, 0.6, *pct]])
    rows = []
    for s in range(10):
        failures = 3 * max(0, s - fails_from)
        for name, share in (("GET /videos/{id}", 0.5), ("GET /videos", 0.5), ("Aggregated", 1.0)):
            rows.append([T0 + s, 5, "", name, rps * share, failures * share, *pct,
                         int(s * rps * share), int(failures * share), pct[0], 9, 1, p99, 900])
    _csv(folder / "locust_stats_history.csv", HISTORY, rows)
    _csv(folder / "locust_failures.csv", ["Method", "Name", "Error", "Occurrences"],
         [["GET", "GET /videos/{id}", "LocustBadStatusCode(code=429)", 6]])


def resources(folder: Path, locust_cpu: float) -> None:
    rows = [[T0 + s / 2, g, g, pid, cpu, 50] for s in range(1, 20)
            for g, pid, cpu in (("sut", 10, 80.0), ("locust", 11, locust_cpu), ("machine", 0, 150.0))]
    _csv(folder / "resources.csv", ["t", "group", "name", "pid", "cpu_percent", "rss_mb"], rows)  # pre-wait format


def rollback_folder(folder: Path) -> dict:
    locust_files(folder, 40.0, 30.0, fails_from=3)
    monitor = [[T0 + i * 0.2, 500 if 20 <= i < 30 else 200, 5.0, int(not 20 <= i < 30)] for i in range(50)]
    _csv(folder / "monitor.csv", ["t", "status", "latency_ms", "ok"], monitor)
    events = {"start": T0, "deploy": T0 + 3.8, "deployed": T0 + 4.0, "detected": T0 + 4.6, "rollback": T0 + 4.6,
              "rolled_back": T0 + 5.8, "recovered": T0 + 6.0, "end": T0 + 10}
    summary = {"component": "whole unit", "fault": "error:get_video", "threshold_ms": 250.0, "detection_rule": "r",
               "events_epoch": events, "events": {k: round(v - T0, 3) for k, v in events.items()},
               "time_to_detect_s": 0.6, "time_to_recover_s": 1.4, "bad_window_s": 2.2,
               "monitor": {"samples": 50, "failed_in_window": 10},
               "blast_radius": {"GET /videos/{id}": {"requests": 40, "failures": 10, "error_rate": 0.25}},
               "locust": {"failures": 12}}
    (folder / "rollback.json").write_text(json.dumps(summary))
    return summary


def soak_folder(folder: Path, rss_growth: float) -> dict:
    """A 30 s soak: the web process grows by `rss_growth` MiB after its 6 s warm-up, the gunicorn master is flat."""
    samples = [{"t": t, "components": {"web": {"rss_mib": 100 + rss_growth * max(0, t - 6) / 24, "fds": 12,
                                               "threads": 5},
                                       "master": {"rss_mib": 40.0, "fds": 8, "threads": 1}},
                "requests": 60, "errors": 0, "error_kinds": {}, "p50_ms": 8.0, "p99_ms": 40.0 + t / 3}
               for t in range(0, 31, 3)]
    record = {"params": {"hold_s": 30.0}, "capacity_rps": 300.0, "rate_rps": 150.0, "warmup_s": 6.0,
              "requests": 660, "errors": 0, "error_kinds": {}, "errors_after_warmup": 0,
              "p99_first_ms": 43.0, "p99_last_ms": 50.0,
              "p99_drift": 50 / 43, "growth": trend.growth(samples, 6.0)}
    record["goals_met"] = trend.verdict(record)
    soak.write(folder, record, samples)
    return record


def make(out: Path, locust_cpu: float = 20.0, soak_rss_growth: float = 4.0) -> dict:
    """Write a one-architecture bench folder (monolith) and return bench.json's content."""
    arch = out / "monolith"
    locust_files(arch / "load", 123.4, 87.0)
    resources(arch / "load", locust_cpu)
    rb = rollback_folder(arch / "rollback-0")
    _csv(arch / "coldstart" / "coldstart.csv", ["arch", "attempt", "seconds"], [["monolith", 0, 0.31],
                                                                               ["monolith", 1, 0.29]])
    limit = locust_cpu > 90
    res = {"locust": {"cpu_percent_mean": locust_cpu}, "locust_busiest_process_cpu_median": locust_cpu,
           "locust_busiest_process_wait_median": 0.0, "locust_busiest_process_demand_median": locust_cpu,
           "locust_was_limit": limit}
    result = {"arch": "monolith", "status": "ok", "stage": "done", "components": ["monolith"],
              "load": {"total": {"requests": 1200, "failures": 6, "rps": 123.4, "error_rate": 0.005, "p50_ms": 21.75,
                                 "p95_ms": 69.6, "p99_ms": 87.0, "avg_bytes": 900}, "sut_cpu_seconds": 2.4,
                       "resources": res, "peak_rps": 130.0, "started": T0, "finished": T0 + 10},
              "seed": {"video_ids": ["v1"], "upload": {"status": "ready", "ack_to_ready_s": 0.5, "clip_seconds": 2}},
              "saturation": {"locust": {"rps": 590.5, "p50_ms": 25, "p99_ms": 91, "peak_rps": 600},
                             "wrk": {"rps": 612.25, "p50_ms": 24, "p99_ms": 80}, "resources": res},
              "open_loop": {"total": {"requests": 200, "failures": 0, "rps": 24.9, "error_rate": 0.0, "p50_ms": 30.0,
                                      "p95_ms": 300.0, "p99_ms": 432.1}, "endpoints": {}},
              "rollback": [rb], "coldstart": {"method": "m", "seconds": [0.31, 0.29]},
              "soak": soak_folder(arch / "soak", soak_rss_growth)}
    (arch / "result.json").write_text(json.dumps(result))
    bench = {"config": {"quick": True}, "archs": {"monolith": result},
             "skipped": {"serverless": "its module fails to import: ImportError"}, "total_s": 61.0}
    bench["cost"] = costrun.write(out, bench["archs"])
    (out / "bench.json").write_text(json.dumps(bench))
    metadata.write(out, metadata.collect("monolith", "process", "v1", {"quick": True}, 42))
    return bench
