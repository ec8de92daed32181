"""Event (asynchronous) invocations: queued, two retries, then the DLQ or the on-failure destination."""

from __future__ import annotations

import json
import time

from lambda_helpers import queue, receive

FAIL = """
import json
def handler(event, context):
    print("SEEN " + json.dumps(event))
    raise RuntimeError("always fails")
"""
FLAKY = """
import json, os, tempfile
def handler(event, context):
    print("SEEN " + json.dumps(event))
    marker = os.path.join(tempfile.gettempdir(), "tried")
    if not os.path.exists(marker):
        open(marker, "w").close()
        raise RuntimeError("first attempt fails")
    return "ok"
"""




def test_event_invoke_is_queued_and_runs(client, deploy, seen):
    lam = client("lambda")
    name = deploy("import json\ndef handler(e, c):\n    print('SEEN ' + json.dumps(e))\n")
    resp = lam.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"n": 7}')
    assert resp["StatusCode"] == 202 and resp["Payload"].read() == b""
    assert seen(name, 1) == [{"n": 7}]


def test_failures_retry_twice_then_go_to_the_dead_letter_queue(client, deploy, seen, aws):
    lam = client("lambda")
    sqs, url, arn = queue(client, "async-dlq")
    name = deploy(FAIL, DeadLetterConfig={"TargetArn": arn})
    lam.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"job": 1}')
    msg = receive(sqs, url)[0]
    assert json.loads(msg["Body"]) == {"job": 1}
    assert msg["MessageAttributes"]["ErrorMessage"]["StringValue"] == "always fails"
    assert seen(name, 3) == [{"job": 1}] * 3
    time.sleep(0.5)
    assert len([r for r in aws.invocations() if r["function"] == name]) == 3  # 1 try + 2 retries


def test_on_failure_destination_gets_the_invocation_record(client, deploy):
    lam = client("lambda")
    sqs, url, arn = queue(client, "async-failures")
    name = deploy(FAIL)
    lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0,
                                         DestinationConfig={"OnFailure": {"Destination": arn}})
    lam.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"job": 2}')
    record = json.loads(receive(sqs, url)[0]["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted"
    assert record["requestContext"]["approximateInvokeCount"] == 1
    assert record["requestPayload"] == {"job": 2}
    assert record["responseContext"]["functionError"] == "Unhandled"
    assert record["responsePayload"]["errorMessage"] == "always fails"


def test_a_retry_that_succeeds_sends_nothing_to_the_dlq(client, deploy, seen):
    lam = client("lambda")
    sqs, url, arn = queue(client, "async-dlq-unused")
    name = deploy(FLAKY, DeadLetterConfig={"TargetArn": arn})
    lam.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"job": 3}')
    assert len(seen(name, 2)) == 2
    time.sleep(0.5)
    assert "Messages" not in sqs.receive_message(QueueUrl=url)
