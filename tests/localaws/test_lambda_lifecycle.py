"""Execution environment lifecycle: timeout, scale-out and throttles, idle reclaim, /tmp, memory, layers."""

from __future__ import annotations

import json
import time

from lambda_helpers import SLEEPY, gone, invoke_together, zip_of


def call(lam, name, payload=None, **kw):
    resp = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}).encode(), **kw)
    return resp, json.loads(resp["Payload"].read())


def test_timeout_kills_the_environment(client, deploy, aws, seen):
    lam, logs = client("lambda"), client("logs")
    name = deploy(SLEEPY, Timeout=1)
    _, warm = call(lam, name)
    started = time.monotonic()
    resp, body = call(lam, name, {"sleep": 5})
    assert time.monotonic() - started < 3
    assert resp["FunctionError"] == "Unhandled" and body["errorType"] == "Sandbox.Timedout"
    assert "Task timed out after 1.00 seconds" in body["errorMessage"]
    assert gone(warm["pid"])
    _, after = call(lam, name)
    assert after["pid"] != warm["pid"]
    messages = [e["message"] for e in logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]]
    assert any(m.startswith("REPORT") and m.endswith("\tStatus: timeout") for m in messages)


def test_reserved_concurrency_scales_out_then_throttles(client, deploy, aws):
    lam = client("lambda")
    name = deploy(SLEEPY, Timeout=10)
    lam.put_function_concurrency(FunctionName=name, ReservedConcurrentExecutions=2)
    try:
        results = invoke_together(lam, [name] * 4, 1.5)[name]
    finally:  # a reservation comes out of the account pool the other tests use
        lam.delete_function_concurrency(FunctionName=name)
    pids = [r for r in results if isinstance(r, int)]
    assert len(pids) == 2 and len(set(pids)) == 2  # two environments side by side
    assert results.count("ReservedFunctionConcurrentInvocationLimitExceeded") == 2


def test_platform_wide_limit_throttles(client, deploy, aws):
    lam = client("lambda")
    name = deploy(SLEEPY, Timeout=10)
    old = aws.cfg.concurrency_limit
    aws.cfg.concurrency_limit = 1
    try:
        results = invoke_together(lam, [name] * 3, 1.0)[name]
    finally:
        aws.cfg.concurrency_limit = old
    assert sum(isinstance(r, int) for r in results) == 1
    assert results.count("ConcurrentInvocationLimitExceeded") == 2


def test_idle_environments_are_reclaimed_after_ttl(client, deploy, aws):
    lam = client("lambda")
    name = deploy(SLEEPY)
    pid = call(lam, name)[1]["pid"]
    old = aws.cfg.idle_ttl_s
    aws.cfg.idle_ttl_s = 0.3
    try:
        deadline = time.monotonic() + 5
        while aws.pool.environments(name) and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        aws.cfg.idle_ttl_s = old
    assert aws.pool.environments(name) == []
    assert gone(pid)
    assert call(lam, name)[1]["pid"] != pid


def test_a_warm_environment_that_died_while_idle_is_replaced_not_handed_out(client, deploy):
    # kill -9 of an idle environment (a crash, an OOM kill): the next request gets a new one, no error.
    import os
    import signal

    lam = client("lambda")
    name = deploy(SLEEPY)
    pid = call(lam, name)[1]["pid"]
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    resp, body = call(lam, name)
    assert "FunctionError" not in resp, body
    assert body["pid"] != pid


TMP = """
import os, tempfile
def handler(event, context):
    path = os.path.join(tempfile.gettempdir(), "cache.bin")
    hit = os.path.exists(path)
    with open(path, "ab") as fh:  # allocated, not sparse: fails with ENOSPC on a sized /tmp, cheap to write
        os.posix_fallocate(fh.fileno(), 0, event.get("size_mb", 1) * 1024 * 1024)
    return {"hit": hit, "tmp": tempfile.gettempdir()}
"""


def test_tmp_is_per_environment_cached_while_warm_and_size_limited(client, deploy, aws):
    lam = client("lambda")
    name = deploy(TMP)
    first, second = call(lam, name)[1], call(lam, name)[1]
    assert first["hit"] is False and second["hit"] is True and first["tmp"] == second["tmp"]
    other = deploy(TMP)
    assert call(lam, other)[1]["tmp"] != first["tmp"]
    sized = aws.pool.environments(name)[0].resources.tmp_sized  # root: /tmp is a 512 MB file system
    resp, body = call(lam, name, {"size_mb": 600})  # default ephemeral storage is 512 MB
    assert resp["FunctionError"] == "Unhandled" and "No space left on device" in body["errorMessage"]
    # With a sized /tmp the write itself fails inside the function, as on AWS, and the environment lives on;
    # without one the platform notices after the call and replaces the environment.
    assert body["errorType"] == ("OSError" if sized else "Runtime.ExitError")
    assert call(lam, name)[1]["hit"] is sized


MEMORY = """
def handler(event, context):
    block = b"\x01" * (event["mb"] * 1024 * 1024)
    return len(block)
"""


def test_peak_memory_is_measured_and_the_limit_enforced(client, deploy, aws):
    lam = client("lambda")
    name = deploy(MEMORY, MemorySize=128)
    resp, _ = call(lam, name, {"mb": 60})
    rec = [r for r in aws.invocations() if r["function"] == name][-1]
    assert 60 <= rec["max_memory_mb"] < 128
    resp, body = call(lam, name, {"mb": 200})
    assert resp["FunctionError"] == "Unhandled" and body["errorType"] == "Runtime.OutOfMemory"


def test_layers_are_on_the_path(client, deploy, role):
    lam = client("lambda")
    layer = lam.publish_layer_version(LayerName="helpers", Content={"ZipFile": zip_of(
        {"python/helperlib.py": "def shout(s):\n    return s.upper()\n"})})["LayerVersionArn"]
    name = deploy("import helperlib\ndef handler(e, c):\n    return helperlib.shout('hi')\n", Layers=[layer])
    assert call(lam, name)[1] == "HI"


def test_code_from_s3_and_the_projects_own_runtime_client(client, deploy, aws, role):
    lam, s3 = client("lambda"), client("s3")
    s3.create_bucket(Bucket="code-bucket")
    s3.put_object(Bucket="code-bucket", Key="fn.zip", Body=zip_of(
        {"app.py": "import sys\ndef handler(e, c):\n    return {'argv': sys.argv, 'rid': c.aws_request_id}\n"}))
    aws.cfg.fallback_runtime = True
    try:
        lam.create_function(FunctionName="from-s3", Runtime="python3.11", Role=role, Handler="app.handler",
                            Code={"S3Bucket": "code-bucket", "S3Key": "fn.zip"})
        resp, body = call(lam, "from-s3")
        assert body["argv"][0].endswith("fallback_ric.py") and len(body["rid"]) == 36
        resp, body = call(lam, deploy("def handler(e, c):\n    raise KeyError('k')\n"))
        assert resp["FunctionError"] == "Unhandled" and body["errorType"] == "KeyError"
    finally:
        aws.cfg.fallback_runtime = False
