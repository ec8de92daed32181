"""Invoke API against real execution environments: results, errors, logs, versions, aliases."""

from __future__ import annotations

import base64
import json

ECHO = """
import os
print("init phase")
def handler(event, context):
    print("got", event)
    return {"event": event, "request_id": context.aws_request_id,
            "memory": os.environ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"], "pid": os.getpid(),
            "greeting": os.environ.get("GREETING"), "tmp": os.environ["TMPDIR"]}
"""


def invoke(lam, name, payload=None, **kw):
    resp = lam.invoke(FunctionName=name, Payload=json.dumps(payload or {}).encode(), **kw)
    return resp, json.loads(resp["Payload"].read())


def test_request_response_runs_the_handler_with_config(client, deploy):
    lam = client("lambda")
    name = deploy(ECHO, MemorySize=256, Environment={"Variables": {"GREETING": "hi"}})
    resp, body = invoke(lam, name, {"n": 1})
    assert resp["StatusCode"] == 200 and "FunctionError" not in resp
    assert body["event"] == {"n": 1} and body["memory"] == "256" and body["greeting"] == "hi"
    assert resp["ExecutedVersion"] == "$LATEST"


def test_warm_environment_is_reused_one_request_at_a_time(client, deploy, aws):
    lam = client("lambda")
    name = deploy(ECHO)
    pids = {invoke(lam, name)[1]["pid"] for _ in range(3)}
    assert len(pids) == 1
    records = [r for r in aws.invocations() if r["function"] == name]
    assert [r["init_ms"] is not None for r in records] == [True, False, False]


def test_function_error_has_the_aws_shape(client, deploy):
    lam = client("lambda")
    name = deploy("def handler(event, context):\n    raise ValueError('bad input')\n")
    resp, body = invoke(lam, name)
    assert resp["FunctionError"] == "Unhandled"
    assert body["errorType"] == "ValueError" and body["errorMessage"] == "bad input"
    assert isinstance(body["stackTrace"], list)


def test_import_error_is_an_init_failure(client, deploy):
    lam = client("lambda")
    name = deploy("import not_a_module\ndef handler(e, c):\n    return 1\n")
    resp, body = invoke(lam, name)
    assert resp["FunctionError"] == "Unhandled"
    assert "not_a_module" in body["errorMessage"]


def test_tail_log_and_cloudwatch_have_start_end_report(client, deploy, aws):
    lam, logs = client("lambda"), client("logs")
    name = deploy(ECHO)
    resp, body = invoke(lam, name, {"k": "v"}, LogType="Tail")
    tail = base64.b64decode(resp["LogResult"]).decode()
    rid = body["request_id"]
    assert f"START RequestId: {rid} Version: $LATEST" in tail and "got {'k': 'v'}" in tail
    report = next(line for line in tail.splitlines() if line.startswith("REPORT"))
    fields = report.split("\t")
    assert fields[0] == f"REPORT RequestId: {rid}" and fields[-1] == ""  # AWS ends it with a tab
    assert [f.split(":")[0] for f in fields[1:-1]] == [
        "Duration", "Billed Duration", "Memory Size", "Max Memory Used", "Init Duration"]
    events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
    messages = [e["message"] for e in events]
    assert "init phase" in messages and report in messages and f"END RequestId: {rid}" in messages
    stream = logs.describe_log_streams(logGroupName=f"/aws/lambda/{name}")["logStreams"][0]["logStreamName"]
    assert stream.split("/")[3].startswith("[$LATEST]") and len(stream.split("]")[1]) == 32
    rec = [r for r in aws.invocations() if r["request_id"] == rid][0]
    cold_ms = rec["duration_ms"] + rec["init_ms"]  # a cold start bills INIT too (since 1 Aug 2025)
    assert rec["billed_ms"] >= cold_ms and rec["billed_ms"] - cold_ms < 1
    assert 0 < rec["max_memory_mb"] < 128


def test_dry_run_and_unknown_function(client, deploy):
    lam = client("lambda")
    name = deploy(ECHO)
    assert lam.invoke(FunctionName=name, InvocationType="DryRun")["StatusCode"] == 204
    try:
        lam.invoke(FunctionName="does-not-exist")
    except lam.exceptions.ResourceNotFoundException:
        pass
    else:
        raise AssertionError("expected ResourceNotFoundException")


def test_versions_and_aliases_resolve_to_their_code(client, deploy, role):
    from lambda_helpers import zip_of

    lam = client("lambda")
    name = deploy("def handler(e, c):\n    return 'one'\n")
    v1 = lam.publish_version(FunctionName=name)["Version"]
    lam.update_function_code(FunctionName=name, ZipFile=zip_of({"app.py": "def handler(e, c):\n    return 'two'\n"}))
    v2 = lam.publish_version(FunctionName=name)["Version"]
    lam.create_alias(FunctionName=name, Name="live", FunctionVersion=v1)
    assert invoke(lam, name, Qualifier=v1)[1] == "one"
    assert invoke(lam, name)[1] == "two"
    resp, body = invoke(lam, name, Qualifier="live")
    assert body == "one" and resp["ExecutedVersion"] == v1
    lam.update_alias(FunctionName=name, Name="live", FunctionVersion=v1,
                     RoutingConfig={"AdditionalVersionWeights": {v2: 0.5}})
    seen = [invoke(lam, name, Qualifier="live") for _ in range(30)]
    versions = [r["ExecutedVersion"] for r, _ in seen]
    assert set(versions) == {v1, v2}
    assert all((b == "one") == (r["ExecutedVersion"] == v1) for r, b in seen)


def test_sync_payload_over_6_mb_is_rejected(client, deploy):
    lam = client("lambda")
    name = deploy(ECHO)
    big = json.dumps({"blob": "x" * (6 * 1024 * 1024)}).encode()
    try:
        lam.invoke(FunctionName=name, Payload=big)
    except lam.exceptions.RequestTooLargeException:
        pass
    else:
        raise AssertionError("expected RequestTooLargeException")
