"""Helpers shared by the local Lambda platform tests (a distinctive name: conftest is a shared one)."""

from __future__ import annotations

import io
import json
import textwrap
import threading
import time
import zipfile

import psutil

SLEEPY = """
import os, time
def handler(event, context):
    time.sleep(event.get("sleep", 0))
    return {"pid": os.getpid()}
"""  # a handler that sleeps `sleep` seconds and answers with its environment's pid


def zip_of(files: dict[str, str]) -> bytes:
    """A deployment package holding the given files (sources are dedented)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, text in files.items():
            zf.writestr(name, textwrap.dedent(text))
    return buf.getvalue()


def gone(pid: int, timeout: float = 3.0) -> bool:
    """True once the process has exited (a zombie counts: it runs no more), within the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


def queue(client, name: str):
    """A new SQS queue on the local AWS: its client, URL and ARN."""
    sqs = client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sqs, url, arn


def receive(sqs, url: str, timeout: float = 15.0) -> list:
    """The messages waiting in a queue, polled until some arrive (AssertionError when none do in time)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        msgs = sqs.receive_message(QueueUrl=url, MessageAttributeNames=["All"], MaxNumberOfMessages=10)
        if msgs.get("Messages"):
            return msgs["Messages"]
        time.sleep(0.1)
    raise AssertionError("no message arrived")


def invoke_together(lam, names: list[str], sleep: float) -> dict[str, list[object]]:
    """Invoke SLEEPY functions `names` all at once (a thread each); per name, each answer's pid or throttle reason."""
    results: dict[str, list[object]] = {name: [] for name in names}

    def one(name: str) -> None:
        try:
            resp = lam.invoke(FunctionName=name, Payload=json.dumps({"sleep": sleep}).encode())
            results[name].append(json.loads(resp["Payload"].read())["pid"])
        except lam.exceptions.TooManyRequestsException as exc:
            results[name].append(exc.response["Reason"])

    threads = [threading.Thread(target=one, args=(name,)) for name in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results
