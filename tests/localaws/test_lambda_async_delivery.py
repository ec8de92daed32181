"""Async delivery: a long invocation holds up no other event; a failure reaches destination and DLQ both."""

from __future__ import annotations

import json
import time

from lambda_helpers import queue, receive

SLOW = """
import json, time
def handler(event, context):
    print("SEEN " + json.dumps(event))
    time.sleep(event["sleep"])
"""
RECORDER = """
import json
def handler(event, context):
    print("SEEN " + json.dumps(event))
"""
FAIL = """
def handler(event, context):
    raise RuntimeError("always fails")
"""




def test_long_invocations_do_not_hold_up_other_events(client, deploy, seen, aws):
    lam = client("lambda")
    slow, fast = deploy(SLOW, Timeout=30), deploy(RECORDER)
    for i in range(5):  # more than the 4 workers all events used to share
        lam.invoke(FunctionName=slow, InvocationType="Event", Payload=json.dumps({"sleep": 6, "i": i}).encode())
    assert len(seen(slow, 5, timeout=10)) == 5  # all five run side by side
    sent = time.monotonic()
    lam.invoke(FunctionName=fast, InvocationType="Event", Payload=b'{"n": 1}')
    assert seen(fast, 1, timeout=10) == [{"n": 1}]
    assert time.monotonic() - sent < 4  # not after the slow ones
    assert aws.async_invoker.wait_idle(timeout=20)


def test_on_failure_destination_and_dead_letter_queue_both_get_the_failure(client, deploy):
    lam = client("lambda")
    dlq, dlq_url, dlq_arn = queue(client, "both-dlq")
    dest, dest_url, dest_arn = queue(client, "both-destination")
    name = deploy(FAIL, DeadLetterConfig={"TargetArn": dlq_arn})
    lam.put_function_event_invoke_config(FunctionName=name, MaximumRetryAttempts=0,
                                         DestinationConfig={"OnFailure": {"Destination": dest_arn}})
    lam.invoke(FunctionName=name, InvocationType="Event", Payload=b'{"job": 9}')
    record = json.loads(receive(dest, dest_url)[0]["Body"])
    assert record["requestContext"]["condition"] == "RetriesExhausted" and record["requestPayload"] == {"job": 9}
    dead = receive(dlq, dlq_url)[0]
    assert json.loads(dead["Body"]) == {"job": 9}
    assert dead["MessageAttributes"]["ErrorMessage"]["StringValue"] == "always fails"
