"""Locust distributed: one master and N worker processes for one load (`--workers N`).

The master runs the headless test (shape, duration, CSVs) and waits for its workers; each worker runs the
users the master hands it, on a core of its own when there is one. Here every worker runs on this machine
and the master listens on 127.0.0.1 only; workers on other machines join a master that listens on an
address they reach (`--master-bind-host`), see loadtests/README.md.
"""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path
from typing import IO

from workshop.runtime import procs

READY_TIMEOUT_S = 60  # how long the master waits for its workers before it gives up


def master_args(workers: int, port: int) -> list[str]:
    """The options that make a headless Locust run the master of `workers` workers on 127.0.0.1:port."""
    return ["--master", "--master-bind-host", "127.0.0.1", "--master-bind-port", str(port),
            "--expect-workers", str(workers), "--expect-workers-max-wait", str(READY_TIMEOUT_S)]


def worker_argv(locustfile: Path, port: int, master_host: str = "127.0.0.1") -> list[str]:
    """The command line of one worker (the master sends it the run's options, the seed and shape included)."""
    return [procs.PYTHON, "-m", "locust", "-f", str(locustfile), "--worker", "--master-host", master_host,
            "--master-port", str(port), "--loglevel", "WARNING"]


class Workers:
    """N local worker processes of one master; stop() ends those still running once the master is done."""

    def __init__(self, count: int, locustfile: Path, port: int, cwd: Path, log: IO[bytes]):
        if count < 1:
            raise ValueError(f"a distributed run needs at least one worker, not {count}")
        self.procs = [subprocess.Popen(worker_argv(locustfile, port), cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True) for _ in range(count)]

    def pids(self) -> dict[str, int]:
        """The workers' pids by name (locust-worker-1...), for resource sampling."""
        return {f"locust-worker-{i + 1}": p.pid for i, p in enumerate(self.procs)}

    def stop(self, grace_s: float = 10) -> None:
        """Wait for the workers to quit (the master tells them to at its end), then interrupt the rest."""
        for proc in self.procs:
            try:
                proc.wait(timeout=grace_s)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGINT)
                try:
                    proc.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            grace_s = 0.5  # the first wait covered the time they all had to quit
