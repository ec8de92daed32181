"""The microservices' local AWS: moto (with the project's Lambda platform) as a process, and the job queues."""

from __future__ import annotations

import time
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


def start(port: int) -> dict[str, str]:
    """Start `python -m localaws serve` on `port`, create the job queue and its dead-letter queue;
    returns the variables compose.yaml needs (the port and both queue URLs)."""
    from videocatalog.adapters.sqs import ensure_queues

    state = procs.run_dir(ARCH) / "localaws-state"
    argv = [procs.PYTHON, "-m", "localaws", "serve", "--port", str(port), "--state-dir", str(state)]
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
    url, dlq = ensure_queues(client, settings["queue"], int(settings["max_receives"]))
    return {"WORKSHOP_LOCALAWS_PORT": str(port), "TRANSCODE_QUEUE_URL": url, "TRANSCODE_DLQ_URL": dlq}
