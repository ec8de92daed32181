"""Limits as AWS applies them: oversized responses, reservations out of the account pool, billed timeouts."""

from __future__ import annotations

import json
import time

from lambda_helpers import SLEEPY, invoke_together

from localaws.runtime.logs import billed

BIG = """
def handler(event, context):
    return "x" * (7 * 1024 * 1024)
"""
TOO_LARGE = {"errorType": "Function.ResponseSizeTooLarge",
             "errorMessage": "Response payload size exceeded maximum allowed payload size (6291556 bytes)."}


def records(aws, name, n, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [r for r in aws.invocations() if r["function"] == name]
        if len(found) >= n:
            return found
        time.sleep(0.1)
    raise AssertionError(f"{name}: fewer than {n} invocation records")


def test_oversized_response_is_a_function_error_on_every_path(client, deploy, aws):
    lam = client("lambda")
    name = deploy(BIG, MemorySize=512)
    lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0)
    resp = lam.invoke(FunctionName=name)
    assert resp["StatusCode"] == 200 and resp["FunctionError"] == "Unhandled"
    assert json.loads(resp["Payload"].read()) == TOO_LARGE
    lam.invoke(FunctionName=name, InvocationType="Event")
    sync, event = records(aws, name, 2)
    assert event["invocation_type"] == "Event"
    for rec in (sync, event):
        assert rec["status"] == "error" and rec["error_type"] == "Function.ResponseSizeTooLarge"
    assert len(aws.pool.environments(name)) == 1  # the function itself was fine: its environment stays


def test_reservations_come_out_of_the_account_pool(client, deploy, aws):
    lam = client("lambda")
    reserved, free = deploy(SLEEPY, Timeout=10), deploy(SLEEPY, Timeout=10)
    lam.put_function_concurrency(FunctionName=reserved, ReservedConcurrentExecutions=2)
    old = aws.cfg.concurrency_limit
    aws.cfg.concurrency_limit = 3  # 3 - 2 reserved = 1 left for functions without a reservation
    try:
        results = invoke_together(lam, [free] * 3 + [reserved] * 2, 1.5)
    finally:
        aws.cfg.concurrency_limit = old
        lam.delete_function_concurrency(FunctionName=reserved)
    assert sum(isinstance(r, int) for r in results[free]) == 1
    assert results[free].count("ConcurrentInvocationLimitExceeded") == 2
    assert all(isinstance(r, int) for r in results[reserved])  # the reservation is still guaranteed


def test_a_timeout_bills_the_timeout_not_more(client, deploy, aws):
    lam = client("lambda")
    name = deploy(SLEEPY, Timeout=1)
    lam.invoke(FunctionName=name)  # the cold start (its Billed Duration includes INIT)
    lam.invoke(FunctionName=name, Payload=b'{"sleep": 3}')
    rec = records(aws, name, 2)[-1]
    assert rec["status"] == "timeout" and rec["duration_ms"] == 1000
    assert rec["billed_ms"] == 1000
    report = [e["message"] for e in client("logs").filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]
              if e["message"].startswith("REPORT")][-1]
    assert "\tBilled Duration: 1000 ms\t" in report


def test_billed_rounds_up_and_respects_the_cap():
    assert billed(0.2) == 1 and billed(12.01) == 13
    assert billed(1003.7, 1000) == 1000 and billed(999.2, 1000) == 1000 and billed(10.5, 1000) == 11
