"""Issue 16 figure: what a restart of the local AWS keeps, with its state file and without, and what it costs.

Runs `python -m localaws serve` as a child process, fills a queue with N messages and a table with M items,
then: (a) SIGTERM and restart with the state file, (b) kill -9 after a periodic snapshot (plus a few
messages sent just before the kill, inside the snapshot interval) and restart, (c) the baseline without a
state file, kill -9 and restart. Also, in the same run: the request p50/p99 (GetItem and SendMessage,
one client) with persistence on and off, and the cost of one snapshot of that state (capture + atomic write).

    python benchmarks/localaws_restart.py [--quick] [--messages N] [--items M] [--interval S]
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import boto3

from workshop import settings

ROOT = Path(__file__).resolve().parents[1]
QUEUE, TABLE = "jobs", "items"


class Serve:
    """One `python -m localaws serve` child; a state file or none."""

    def __init__(self, work: Path, state_file: Path | None, interval: float) -> None:
        argv = [sys.executable, "-m", "localaws", "serve", "--state-dir", str(work / "run")]
        if state_file is not None:
            argv += ["--state-file", str(state_file), "--snapshot-interval", str(interval)]
        self.proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        line = self.proc.stdout.readline()  # type: ignore[union-attr]
        if "AWS_ENDPOINT_URL=" not in line:
            raise RuntimeError(f"the local AWS did not start: {line!r}")
        self.endpoint = line.strip().split("AWS_ENDPOINT_URL=")[1]

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def stop(self, sig: int) -> None:
        self.proc.send_signal(sig)
        self.proc.wait(timeout=120)


def fill(aws: Serve, messages: int, items: int) -> None:
    """N messages in the job queue (a tenth of them received, in flight), M items in the table."""
    sqs, ddb = aws.client("sqs"), aws.client("dynamodb")
    url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
    sqs.create_queue(QueueName="load")
    for start in range(0, messages, 10):
        sqs.send_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": f'{{"video_id": "v{start + i}"}}'}
                                                      for i in range(min(10, messages - start))])
    for _ in range(messages // 100):
        sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, VisibilityTimeout=600)
    ddb.create_table(TableName=TABLE, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    for start in range(0, items, 25):
        ddb.batch_write_item(RequestItems={TABLE: [
            {"PutRequest": {"Item": {"id": {"S": f"v{i}"}, "title": {"S": f"video {i}"}, "views": {"N": str(i)}}}}
            for i in range(start, min(start + 25, items))]})


def counts(aws: Serve) -> tuple[int, int]:
    """(messages in the job queue, visible or not; items in the table); (0, 0) when they are gone."""
    sqs, ddb = aws.client("sqs"), aws.client("dynamodb")
    try:
        url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
        attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
        queued = int(attrs["ApproximateNumberOfMessages"]) + int(attrs["ApproximateNumberOfMessagesNotVisible"])
    except sqs.exceptions.QueueDoesNotExist:
        queued = 0
    try:
        pages = ddb.get_paginator("scan").paginate(TableName=TABLE, Select="COUNT")
        stored = sum(page["Count"] for page in pages)
    except ddb.exceptions.ResourceNotFoundException:
        stored = 0
    return queued, stored


def latencies(servers: list[Serve], seconds: float) -> list[list[float]]:
    """Milliseconds of GetItem and SendMessage calls, one at a time, taking turns between `servers` (so both see
    the same machine) for `seconds`; the state file's snapshots run meanwhile."""
    sqs = [aws.client("sqs") for aws in servers]
    ddb = [aws.client("dynamodb") for aws in servers]
    loads = [client.get_queue_url(QueueName="load")["QueueUrl"] for client in sqs]
    out: list[list[float]] = [[] for _ in servers]
    end, i = time.monotonic() + seconds, 0
    while time.monotonic() < end:
        for k in range(len(servers)):
            started = time.perf_counter()
            if i % 2:
                sqs[k].send_message(QueueUrl=loads[k], MessageBody="x")
            else:
                ddb[k].get_item(TableName=TABLE, Key={"id": {"S": f"v{i % 100}"}})
            out[k].append((time.perf_counter() - started) * 1000)
        i += 1
    return out


def wait_for_snapshot(aws: Serve, state_file: Path) -> None:
    """Until a snapshot begun after everything sent so far is on disk."""
    mark = time.time()
    time.sleep(0.1)
    aws.client("sqs").list_queues()
    deadline = time.monotonic() + 120
    while not (state_file.exists() and state_file.stat().st_mtime > mark + 0.05):
        if time.monotonic() > deadline:
            raise RuntimeError("no snapshot was written")
        time.sleep(0.05)


def snapshot_cost(state_file: Path, repeat: int = 5) -> tuple[float, float, float]:
    """(ms per snapshot: capture + atomic write, ms to restore, MB) of the state in `state_file`, in this process."""
    from localaws.services import persistence, snapshot

    blob = state_file.read_bytes()
    snapshot.restore(blob)  # the first one imports moto's services (part of any start)
    started = time.perf_counter()
    snapshot.restore(blob)
    restore_ms = (time.perf_counter() - started) * 1000
    took = []
    for _ in range(repeat):
        started = time.perf_counter()
        persistence.write_atomically(state_file.with_name("cost.pickle"), snapshot.capture())
        took.append((time.perf_counter() - started) * 1000)
    return statistics.median(took), restore_ms, len(blob) / 1e6


def restart(aws: Serve, work: Path, state_file: Path | None, sig: int, interval: float) -> tuple[int, int]:
    """Stop `aws` with `sig`, start it again on the same files; returns what came back."""
    aws.stop(sig)
    again = Serve(work, state_file, interval)
    try:
        return counts(again)
    finally:
        again.stop(signal.SIGTERM)


def graceful_and_baseline(tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    """(a) and (c), and the latency with and without the state file, from two servers side by side."""
    state_file = tmp / "a" / "state.pickle"
    on, off = Serve(tmp / "a", state_file, args.interval), Serve(tmp / "c", None, args.interval)
    try:
        for aws in (on, off):
            fill(aws, args.messages, args.items)
        taken = latencies([on, off], args.seconds)
        before = counts(on), counts(off)
    except BaseException:
        for aws in (on, off):
            aws.stop(signal.SIGKILL)
        raise
    return {"a": (before[0], restart(on, tmp / "a", state_file, signal.SIGTERM, args.interval)),
            "c": (before[1], restart(off, tmp / "c", None, signal.SIGKILL, args.interval)),
            "on": taken[0], "off": taken[1], "state_file": state_file}


def crash(tmp: Path, args: argparse.Namespace, late: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """(b): a periodic snapshot after the fill, then `late` messages and at once kill -9; returns before/after."""
    state_file = tmp / "b" / "state.pickle"
    aws = Serve(tmp / "b", state_file, args.interval)
    try:
        fill(aws, args.messages, args.items)
        wait_for_snapshot(aws, state_file)
        sqs = aws.client("sqs")
        url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
        before = counts(aws)
        for i in range(late):  # inside the snapshot interval: what a crash can lose even with the state file
            sqs.send_message(QueueUrl=url, MessageBody=f"late-{i}")
    except BaseException:
        aws.stop(signal.SIGKILL)
        raise
    return (before[0] + late, before[1]), restart(aws, tmp / "b", state_file, signal.SIGKILL, args.interval)


def pct(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def main(argv: list[str] | None = None) -> int:
    """Run the three restarts and the cost figures; print one table."""
    parser = argparse.ArgumentParser(prog="python benchmarks/localaws_restart.py")
    parser.add_argument("--quick", action="store_true", help="500 messages, 1,000 items, 3 s of latency")
    parser.add_argument("--messages", type=int, default=None)
    parser.add_argument("--items", type=int, default=None)
    parser.add_argument("--interval", type=float, default=2.0, help="seconds between snapshots (default 2)")
    parser.add_argument("--seconds", type=float, default=None, help="latency sampling time per case")
    args = parser.parse_args(argv)
    quick = args.quick or settings.quick()
    # moto's SendMessage scans the whole queue (its visible-messages list), so a queue of N costs O(N) per send:
    # 2,000 is already about a second per batch of 10 on a busy 2-core machine.
    args.messages = args.messages or (500 if quick else 2000)
    args.items = args.items or (1000 if quick else 10000)
    args.seconds = args.seconds or (3.0 if quick else 10.0)
    late = 20
    with tempfile.TemporaryDirectory(prefix="localaws-restart-") as name:
        tmp = Path(name)
        side_by_side = graceful_and_baseline(tmp, args)
        cost_ms, restore_ms, size_mb = snapshot_cost(side_by_side["state_file"])
        killed = crash(tmp, args, late)
    print(f"local AWS restart: {args.messages} messages (a tenth in flight) in a queue, {args.items} items "
          f"in a table; snapshot every {args.interval:g} s")
    print(f"{'case':48} {'messages back':>16} {'items back':>14}")
    for label, (before, after) in (("(a) SIGTERM + restart, state file", side_by_side["a"]),
                                   (f"(b) kill -9 + restart, state file ({late} sent late)", killed),
                                   ("(c) kill -9 + restart, no state file", side_by_side["c"])):
        print(f"{label:48} {after[0]:>7} of {before[0]:<6} {after[1]:>6} of {before[1]:<6}")
    print(f"snapshot: {cost_ms:.1f} ms each (capture + atomic write of {size_mb:.2f} MB), restore {restore_ms:.0f} ms")
    on, off = side_by_side["on"], side_by_side["off"]
    print(f"request latency, one client taking turns (GetItem/SendMessage), {len(on)} calls each:")
    print(f"  persistence on : p50 {pct(on, 0.5):.2f} ms, p99 {pct(on, 0.99):.2f} ms, max {max(on):.1f} ms")
    print(f"  persistence off: p50 {pct(off, 0.5):.2f} ms, p99 {pct(off, 0.99):.2f} ms, max {max(off):.1f} ms")
    print(f"  p50 ratio on/off: {pct(on, 0.5) / pct(off, 0.5):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
