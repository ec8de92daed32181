"""The microservices' local AWS: moto (with the project's Lambda platform) as a process, and the job queues.

It runs with a state file (localaws's opt-in persistence): moto's state is saved every few seconds and at a
graceful stop, so `restart()` after a crash (kill -9) brings back the jobs that were queued at the last snapshot.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from workshop import settings
from workshop.archs.microservices import spec as ms_spec
from workshop.archs.microservices.run import ARCH
from workshop.runtime import procs

DEFAULT_PORT = 4567  # the serverless architecture's local AWS runs on a port of its own


def port() -> int:
    """WORKSHOP_MS_LOCALAWS_PORT (default 4567), or a free port when that one is taken."""
    return procs.choose_port(settings.port("ms_localaws", DEFAULT_PORT))


def sqs_client(port: int) -> Any:
    """An SQS client of the local AWS on `port` (moto accepts any credentials)."""
    import boto3

    return boto3.client("sqs", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def state_file() -> Path:
    """Where the local AWS keeps moto's state (the job queues) between a crash or stop and the next start."""
    return procs.run_dir(ARCH) / "localaws-state" / "moto-state.pickle"


def start(port: int) -> dict[str, str]:
    """Start `python -m localaws serve` on `port` with empty queues, create the job queue and its dead-letter
    queue; returns the variables compose.yaml needs (the port and both queue URLs)."""
    state_file().unlink(missing_ok=True)  # `up` starts empty, as before; only a restart restores
    return _launch(port)


def restart() -> dict[str, str]:
    """Restart the local AWS (stopped gracefully if it runs, or what a kill -9 left) on the same port; the
    queued jobs of its last snapshot come back. Returns the same variables as start()."""
    record = procs.records(ARCH).get("localaws")
    if record is None:
        raise SystemExit("microservices' local AWS was never started (workshop up microservices)")
    procs.stop(ARCH, "localaws")  # SIGTERM saves the state on the way out; a dead one is just cleaned up
    port, deadline = int(record["port"]), time.monotonic() + 15
    while not procs.port_is_free(port) and time.monotonic() < deadline:  # the dead one's socket may linger
        time.sleep(0.1)
    return _launch(port)


def _launch(port: int) -> dict[str, str]:
    from videocatalog.adapters.sqs import ensure_queues

    state = procs.run_dir(ARCH) / "localaws-state"
    argv = [procs.PYTHON, "-m", "localaws", "serve", "--port", str(port), "--state-dir", str(state),
            "--state-file", str(state_file())]
    pid = procs.start(ARCH, "localaws", argv, cwd=str(procs.PROJECT_ROOT), port=port)
    client = sqs_client(port)
    deadline = time.monotonic() + 60
    while True:
        try:
            client.list_queues()
            break
        except Exception as exc:
            if not procs.alive(pid) or time.monotonic() > deadline:
                log = procs.run_dir(ARCH) / "localaws.log"
                raise RuntimeError(f"the local AWS did not start; see {log}") from exc
            time.sleep(0.2)
    _, settings = ms_spec.load({"WORKSHOP_LOCALAWS_PORT": str(port)})
    # Idempotent: after a restart the restored queues are kept (same URLs), or made again if never snapshotted.
    url, dlq = ensure_queues(client, settings["queue"], int(settings["max_receives"]))
    return {"WORKSHOP_LOCALAWS_PORT": str(port), "TRANSCODE_QUEUE_URL": url, "TRANSCODE_DLQ_URL": dlq}
