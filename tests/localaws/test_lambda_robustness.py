"""Failures that must not hang or leak: an unsafe package, a runtime that exits and leaves children behind."""

from __future__ import annotations

import json
import threading
import time

import psutil
from botocore.exceptions import ClientError
from lambda_helpers import gone, zip_of

ORPHAN = """
import os, subprocess
def handler(event, context):
    child = subprocess.Popen(["sleep", "600"])  # inherits the runtime's stdout, like ffmpeg would
    with open(event["pidfile"], "w") as fh:
        fh.write(str(child.pid))
    os._exit(3)
"""


def platform_threads() -> set[str]:
    """Names of live threads that belong to execution environments (Runtime API servers, output readers)."""
    return {t.name for t in threading.enumerate() if t.name.startswith(("runtime-api-", "env-output-"))}


def invoke_with_deadline(lam, name: str, seconds: float) -> dict:
    box: dict = {}

    def run() -> None:
        try:
            box["response"] = lam.invoke(FunctionName=name, Payload=b"{}")
        except ClientError as exc:
            box["error"] = exc

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), f"invoke of {name} still waiting after {seconds} s"
    return box


def test_unsafe_package_is_an_error_reply_at_once_and_leaves_nothing(client, role, aws):
    lam = client("lambda")
    package = zip_of({"app.py": "def handler(e, c):\n    return 1\n", "../evil.py": "EVIL = True\n"})
    lam.create_function(FunctionName="zip-slip", Runtime="python3.11", Role=role, Handler="app.handler",
                        Code={"ZipFile": package})
    threads = platform_threads()
    children = {p.pid for p in psutil.Process().children(recursive=True)}
    started = time.monotonic()
    box = invoke_with_deadline(lam, "zip-slip", 15)
    assert time.monotonic() - started < 10
    error = box["error"].response
    assert error["Error"]["Code"] == "InvalidZipFileException"
    assert "../evil.py" in error["Error"]["Message"]
    assert aws.pool.environments("zip-slip") == []
    assert platform_threads() <= threads
    assert {p.pid for p in psutil.Process().children(recursive=True)} <= children
    assert not list(aws.state_dir.rglob("evil.py"))  # nothing was written outside the task root
    box = invoke_with_deadline(lam, "zip-slip", 15)  # still an error, still prompt
    assert box["error"].response["Error"]["Code"] == "InvalidZipFileException"


def test_runtime_exit_takes_its_children_and_output_reader_along(client, deploy, aws, tmp_path):
    lam = client("lambda")
    name = deploy(ORPHAN)
    pidfile = tmp_path / "child.pid"
    resp = lam.invoke(FunctionName=name, Payload=json.dumps({"pidfile": str(pidfile)}).encode())
    body = json.loads(resp["Payload"].read())
    assert resp["FunctionError"] == "Unhandled" and body["errorType"] == "Runtime.ExitError"
    child = int(pidfile.read_text())
    assert gone(child), "the handler's child outlived its execution environment"
    env_id = [r for r in aws.invocations() if r["function"] == name][-1]["env_id"]
    deadline = time.monotonic() + 3
    while f"env-output-{env_id[:8]}" in platform_threads() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert f"env-output-{env_id[:8]}" not in platform_threads()
    assert aws.pool.environments(name) == []
