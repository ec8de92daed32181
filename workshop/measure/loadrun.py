"""Run Locust as a subprocess (never imported here: its gevent patching breaks Jupyter kernels).

Writes Locust's raw CSVs (with full history), its log and the CPU/memory samples of the system under test
and of Locust into one folder, and returns a summary read back from those files.
"""

from __future__ import annotations

import csv
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from workshop.measure import distributed, loadcheck, sampler
from workshop.runtime import procs

LOCUSTFILE = loadcheck.LOCUSTFILE
PREFIX = "locust"


@dataclass
class LoadParams:
    """Every knob of one Locust run (all recorded in the metadata)."""

    shape: str = "steady"
    users: int = 10
    spawn_rate: float = 10.0
    duration_s: int = 20
    think_time: str = "0.5,1.5"
    arrival_rate: float = 20.0
    tags: str | None = None
    processes: int | None = None  # Locust worker processes (-1: one per core); None: a single process
    workers: int | None = None  # Locust distributed: a master and this many worker processes (see distributed.py)
    seed: int = 42

    def as_dict(self) -> dict:
        """The parameters as plain data."""
        return asdict(self)


def locust_argv(base_url: str, folder: Path, params: LoadParams, master_port: int | None = None) -> list[str]:
    """The Locust command line of a headless run writing CSVs into `folder`."""
    argv = [procs.PYTHON, "-m", "locust", "-f", str(LOCUSTFILE), "--headless", "--host", base_url,
            "-u", str(params.users), "-r", str(params.spawn_rate), "-t", f"{params.duration_s}s",
            "--csv", str(folder / PREFIX), "--csv-full-history", "--only-summary", "--stop-timeout", "2",
            "--shape", params.shape, "--think-time", params.think_time, "--arrival-rate", str(params.arrival_rate),
            "--workshop-seed", str(params.seed), "--loglevel", "WARNING", "--exit-code-on-error", "0"]
    if params.tags:
        argv += ["--tags", *params.tags.split(",")]
    # The master listens for its workers on loopback only (Locust's default is every interface); --workers wins.
    if params.processes and not params.workers:
        argv += ["--processes", str(params.processes), "--master-bind-host", "127.0.0.1"]
    if params.workers and master_port:
        argv += distributed.master_args(params.workers, master_port)
    return argv


class LocustProcess:
    """A running Locust subprocess; stop() ends it early with SIGINT, which makes Locust flush its CSVs."""

    def __init__(self, base_url: str, folder: Path, params: LoadParams):
        # Before anything starts: options that leave Locust no task would measure nothing.
        loadcheck.check(params.shape, params.tags)
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.params = folder, params
        self.log = (folder / "locust.log").open("ab")
        port = procs.free_port() if params.workers else None
        self.proc = subprocess.Popen(locust_argv(base_url, folder, params, port), cwd=folder, stdout=self.log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.workers = distributed.Workers(params.workers, LOCUSTFILE, port, folder, self.log) \
            if params.workers and port else None
        self.started = time.time()

    def pids(self) -> dict[str, int]:
        """The Locust processes to sample: the master (or the only process) and any local workers."""
        return {"locust": self.proc.pid, **(self.workers.pids() if self.workers else {})}

    def wait(self, extra_s: float = 30) -> int:
        """Wait for the run to end by itself (its run time plus `extra_s`), then stop it."""
        try:
            return self.proc.wait(timeout=self.params.duration_s + extra_s)
        except subprocess.TimeoutExpired:
            return self.stop()

    def stop(self) -> int:
        """End the run now, letting Locust write its final CSVs."""
        if self.proc.poll() is None:
            # Not SIGTERM: Locust 2.47 then dies without flushing the last seconds of its history CSV.
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.workers:
            self.workers.stop()
        self.log.close()  # closing twice is harmless: stop() also ends runs that wait() already saw end
        return self.proc.returncode


def safe_pids(module, arch: str) -> Callable[[], dict[str, int]]:
    """The module's pids() for sampling, falling back to the recorded processes when it fails."""
    def pids() -> dict[str, int]:
        try:
            return module.pids()
        except Exception:  # sampling must not stop because an arch module hit a bad record
            return {name: rec["pid"] for name, rec in procs.records(arch).items() if "pid" in rec}
    return pids


def run_load(base_url: str, folder: Path, params: LoadParams, sut_pids: Callable[[], dict[str, int]]) -> dict:
    """One blocking Locust run with resource sampling; returns the summary (also in summary.json).

    Raises loadcheck.LoadRunError, with no summary, when the options leave no task or locust.log shows
    tasks that failed to run (the CSVs and the log stay in `folder` to look at).
    """
    locust = LocustProcess(base_url, folder, params)
    groups = lambda: {"sut": sut_pids(), "locust": locust.pids()}  # noqa: E731
    with sampler.Sampler(groups) as samples:
        try:
            code = locust.wait()
        finally:  # Ctrl-C or SIGTERM here must not leave Locust (in its own session) loading on
            locust.stop()
    finished = time.time()
    samples.write(folder / "resources.csv")
    broken = loadcheck.task_errors(folder)
    if broken:
        raise loadcheck.LoadRunError(f"Locust's tasks failed during the run, so its figures measure nothing "
                                     f"meant (see {folder / 'locust.log'}): " + " | ".join(broken))
    out = summary(folder)
    out.update(started=locust.started, finished=finished, exit_code=code,
               resources=sampler.summarize(samples.rows), sut_cpu_seconds=sut_cpu_seconds(samples.rows))
    return out


def sut_cpu_seconds(rows: list[dict]) -> float | None:
    """CPU seconds the system under test used during the run (from the sampled rates).

    None (not measured) when no sample of the system under test covers a time interval: then its
    processes were never seen, and 0 would read as an idle system.
    """
    times = sorted({r["t"] for r in rows})
    gaps = {t: (t - prev) for prev, t in zip(times, times[1:], strict=False)}
    sut = [r for r in rows if r["group"] == "sut" and r["t"] in gaps]
    if not sut:
        return None
    return round(sum(r["cpu_percent"] / 100 * gaps[r["t"]] for r in sut), 2)


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def read_stats(folder: Path) -> list[dict]:
    """Rows of Locust's final stats CSV (one per endpoint, then Aggregated), numbers as floats."""
    path = folder / f"{PREFIX}_stats.csv"
    if not path.exists():
        return []
    with path.open() as fh:
        return [{k: (v if k in ("Type", "Name") else _number(v)) for k, v in row.items()} for row in csv.DictReader(fh)]


def summary(folder: Path) -> dict:
    """Requests, failures, throughput, p50/p95/p99 overall and per endpoint, and the highest rolling throughput."""
    def pick(row: dict) -> dict:
        count = row["Request Count"] or 0
        return {"requests": count, "failures": row["Failure Count"], "rps": row["Requests/s"],
                "error_rate": (row["Failure Count"] or 0) / count if count else 0.0,
                "p50_ms": row["50%"], "p95_ms": row["95%"], "p99_ms": row["99%"],
                "avg_ms": row["Average Response Time"], "avg_bytes": row["Average Content Size"]}
    rows = read_stats(folder)
    total = next((pick(r) for r in rows if r["Name"] == "Aggregated"), None)
    endpoints = {f"{r['Name']}": pick(r) for r in rows if r["Name"] != "Aggregated"}
    return {"total": total, "endpoints": endpoints, "peak_rps": peak_rps(folder)}


def peak_rps(folder: Path) -> float:
    """The highest throughput in Locust's history: its "current RPS", a rolling average of the last seconds.

    Being an average over a short window that includes ramp-up and the final partial second, it can sit
    below the whole run's mean; it shows bursts, not a ceiling.
    """
    path = folder / f"{PREFIX}_stats_history.csv"
    if not path.exists():
        return 0.0
    with path.open() as fh:
        rates = [_number(r["Requests/s"]) or 0.0 for r in csv.DictReader(fh) if r["Name"] == "Aggregated"]
    return round(max(rates, default=0.0), 1)
