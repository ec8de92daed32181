"""Qualifiers: name:alias and alias ARNs reach the context and destination records; mappings follow aliases."""

from __future__ import annotations

import json
import time

ARN_ECHO = """
import json, os
def handler(event, context):
    print("SEEN " + json.dumps([os.environ["AWS_LAMBDA_FUNCTION_VERSION"], context.invoked_function_arn]))
    return context.invoked_function_arn
"""


def versioned(client, deploy, **config):
    """A function with version 1 behind the alias 'live'; returns (name, alias ARN)."""
    lam = client("lambda")
    name = deploy(ARN_ECHO, **config)
    version = lam.publish_version(FunctionName=name)["Version"]
    alias_arn = lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)["AliasArn"]
    return name, alias_arn


def publish_and_move(lam, name, stage):
    lam.update_function_configuration(FunctionName=name, Environment={"Variables": {"STAGE": stage}})
    version = lam.publish_version(FunctionName=name)["Version"]
    lam.update_alias(FunctionName=name, Name="live", FunctionVersion=version)
    return version


def test_a_qualifier_inside_the_function_name_reaches_the_context(client, deploy):
    lam = client("lambda")
    name, alias_arn = versioned(client, deploy)
    for function in (f"{name}:live", alias_arn):
        resp = lam.invoke(FunctionName=function)
        assert json.loads(resp["Payload"].read()) == alias_arn and resp["ExecutedVersion"] == "1"
    by_version = json.loads(lam.invoke(FunctionName=f"{name}:1")["Payload"].read())
    assert by_version == alias_arn.rsplit(":", 1)[0] + ":1"
    try:
        lam.invoke(FunctionName=f"{name}:live", Qualifier="1")
    except lam.exceptions.InvalidParameterValueException:
        pass
    else:
        raise AssertionError("a qualifier that contradicts the name was accepted")


def test_the_destination_record_names_the_alias_that_ran(client, deploy):
    lam, sqs = client("lambda"), client("sqs")
    url = sqs.create_queue(QueueName="alias-success")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    name = deploy(ARN_ECHO)
    lam.put_function_event_invoke_config(FunctionName=name, DestinationConfig={"OnSuccess": {"Destination": queue_arn}})
    version = lam.publish_version(FunctionName=name)["Version"]
    alias_arn = lam.create_alias(FunctionName=name, Name="live", FunctionVersion=version)["AliasArn"]
    lam.invoke(FunctionName=alias_arn, InvocationType="Event", Payload=b"{}")
    deadline, msgs = time.monotonic() + 15, []
    while not msgs and time.monotonic() < deadline:
        msgs = sqs.receive_message(QueueUrl=url).get("Messages", [])
        time.sleep(0.1)
    record = json.loads(msgs[0]["Body"])
    assert record["requestContext"]["functionArn"] == alias_arn
    assert record["responseContext"]["executedVersion"] == version and record["responsePayload"] == alias_arn


def test_a_mapping_on_an_alias_follows_the_alias(client, deploy, seen):
    lam, sqs = client("lambda"), client("sqs")
    name, alias_arn = versioned(client, deploy)
    url = sqs.create_queue(QueueName="alias-mapping")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    uuid = lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName=alias_arn, BatchSize=1)["UUID"]
    sqs.send_message(QueueUrl=url, MessageBody="a")
    assert seen(name, 1) == [["1", alias_arn]]
    second = publish_and_move(lam, name, "two")
    sqs.send_message(QueueUrl=url, MessageBody="b")
    assert seen(name, 2)[1] == [second, alias_arn]  # moto still says version 1; the alias decides
    # What serverless/deploy/release.py does after moving an alias keeps working.
    lam.update_event_source_mapping(UUID=uuid, FunctionName=alias_arn)
    third = publish_and_move(lam, name, "three")
    sqs.send_message(QueueUrl=url, MessageBody="c")
    assert seen(name, 3)[2] == [third, alias_arn]
    lam.delete_event_source_mapping(UUID=uuid)
