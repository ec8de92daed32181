"""The opt-in state file: SQS, S3, DynamoDB, SNS and Kinesis come back after a restart of the local AWS."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests
from botocore.exceptions import ClientError

from localaws import PlatformConfig, start_local_aws

QUEUE, BUCKET, TABLE = "jobs", "state-bucket", "items"


def _client(endpoint: str, service: str):  # type: ignore[no-untyped-def]
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def _fill(endpoint: str, messages: int = 5) -> tuple[str, str]:
    """Queue `messages` jobs (two of them received, in flight), one S3 object, one DynamoDB item."""
    sqs = _client(endpoint, "sqs")
    url = sqs.create_queue(QueueName=QUEUE)["QueueUrl"]
    for i in range(messages):
        sqs.send_message(QueueUrl=url, MessageBody=f"job-{i}")
    in_flight = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=2, VisibilityTimeout=600)["Messages"]
    s3 = _client(endpoint, "s3")
    s3.create_bucket(Bucket=BUCKET)
    s3.put_object(Bucket=BUCKET, Key="a/b.txt", Body=b"kept")
    ddb = _client(endpoint, "dynamodb")
    ddb.create_table(TableName=TABLE, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    ddb.put_item(TableName=TABLE, Item={"id": {"S": "v1"}, "views": {"N": "7"}, "tags": {"SS": ["x", "y"]}})
    return url, in_flight[0]["ReceiptHandle"]


def _bodies(endpoint: str) -> list[str]:
    sqs = _client(endpoint, "sqs")
    url = sqs.get_queue_url(QueueName=QUEUE)["QueueUrl"]
    bodies: list[str] = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        bodies += [m["Body"] for m in batch]
    return sorted(bodies)


def _assert_item_and_object(endpoint: str) -> None:
    ddb = _client(endpoint, "dynamodb")
    item = {"id": {"S": "v1"}, "views": {"N": "7"}, "tags": {"SS": ["x", "y"]}}
    assert ddb.get_item(TableName=TABLE, Key={"id": {"S": "v1"}})["Item"] == item  # through the fast path
    found = ddb.query(TableName=TABLE, KeyConditionExpression="id = :v",
                      ExpressionAttributeValues={":v": {"S": "v1"}})["Items"]
    assert found == [item]
    assert _client(endpoint, "s3").get_object(Bucket=BUCKET, Key="a/b.txt")["Body"].read() == b"kept"


def test_graceful_restart_keeps_queues_objects_items_topics_and_streams(tmp_path: Path) -> None:
    cfg = PlatformConfig(state_file=str(tmp_path / "state.pickle"), snapshot_interval_s=0)
    with start_local_aws(tmp_path / "first", config=cfg) as aws:
        _, old_handle = _fill(aws.endpoint)
        sns = _client(aws.endpoint, "sns")
        topic = sns.create_topic(Name="status")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=f"arn:aws:sqs:us-east-1:123456789012:{QUEUE}")
        kinesis = _client(aws.endpoint, "kinesis")
        kinesis.create_stream(StreamName="views", ShardCount=1)
        kinesis.put_record(StreamName="views", Data=b"view-1", PartitionKey="v1")
    with start_local_aws(tmp_path / "second", config=cfg) as aws:
        url = _client(aws.endpoint, "sqs").get_queue_url(QueueName=QUEUE)["QueueUrl"]
        with pytest.raises(ClientError, match="ReceiptHandleIsInvalid"):  # a handle from before deletes nothing
            _client(aws.endpoint, "sqs").delete_message(QueueUrl=url, ReceiptHandle=old_handle)
        assert _bodies(aws.endpoint) == [f"job-{i}" for i in range(5)]  # in flight ones visible again
        _assert_item_and_object(aws.endpoint)
        subs = _client(aws.endpoint, "sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
        assert [s["Endpoint"] for s in subs] == [f"arn:aws:sqs:us-east-1:123456789012:{QUEUE}"]
        kinesis = _client(aws.endpoint, "kinesis")
        it = kinesis.get_shard_iterator(StreamName="views", ShardId="shardId-000000000000",
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        assert [r["Data"] for r in kinesis.get_records(ShardIterator=it)["Records"]] == [b"view-1"]


def _serve(tmp_path: Path, state_file: Path) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "localaws", "serve", "--state-dir", str(tmp_path / "run"),
                             "--state-file", str(state_file), "--snapshot-interval", "0.3"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = proc.stdout.readline()  # type: ignore[union-attr]
    assert "AWS_ENDPOINT_URL=" in line, proc.stderr.read() if proc.poll() is not None else line  # type: ignore
    return proc, line.strip().split("AWS_ENDPOINT_URL=")[1]


def _wait_for_snapshot(endpoint: str, state_file: Path) -> None:
    """Until a snapshot begun after everything done so far is on disk (snapshots follow requests)."""
    mark = time.time()
    time.sleep(0.1)
    _client(endpoint, "sqs").list_queues()  # a request after `mark`: the next snapshot starts after it
    deadline = time.monotonic() + 30
    while not (state_file.exists() and state_file.stat().st_mtime > mark + 0.05):
        assert time.monotonic() < deadline, "no snapshot was written"
        time.sleep(0.05)


def test_kill_9_restart_brings_back_the_last_periodic_snapshot(tmp_path: Path) -> None:
    state_file = tmp_path / "state.pickle"
    proc, endpoint = _serve(tmp_path, state_file)
    try:
        _fill(endpoint)
        _wait_for_snapshot(endpoint, state_file)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=15)
        proc, endpoint = _serve(tmp_path, state_file)
        assert _bodies(endpoint) == [f"job-{i}" for i in range(5)]
        _assert_item_and_object(endpoint)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert "restored" in proc.stderr.read()  # type: ignore[union-attr]
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=15)


@pytest.mark.parametrize("content", [None, b"not a pickle at all", b"\x80\x05\x95half"])
def test_absent_or_corrupt_state_file_starts_empty_with_a_log_line(tmp_path: Path, content: bytes | None,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    state_file = tmp_path / "state.pickle"
    if content is not None:
        state_file.write_bytes(content)
    caplog.set_level(logging.INFO, logger="localaws.persistence")
    with start_local_aws(tmp_path / "run", config=PlatformConfig(state_file=str(state_file))) as aws:
        assert _client(aws.endpoint, "sqs").list_queues().get("QueueUrls", []) == []
        _client(aws.endpoint, "sqs").create_queue(QueueName="works")
    said = caplog.text
    if content is None:
        assert f"no state file at {state_file}; starting empty" in said
    else:
        assert "cannot be restored" in said and "starting empty" in said
        assert (tmp_path / "state.pickle.bad").read_bytes() == content  # kept aside for a look
    assert state_file.exists()  # the new state was saved at stop


RECORDER = """
import base64, os
def handler(event, context):
    with open(os.environ["OUT"], "a") as fh:
        for record in event["Records"]:
            fh.write(base64.b64decode(record["kinesis"]["data"]).decode() + "\\n")
"""


def _delivered(out: Path, count: int) -> list[str]:
    deadline = time.monotonic() + 60
    while len(lines := (out.read_text().split() if out.exists() else [])) < count:
        assert time.monotonic() < deadline, f"only {lines} delivered"
        time.sleep(0.1)
    time.sleep(1.0)  # anything delivered twice would show up by now
    return out.read_text().split()


def test_a_trim_horizon_stream_mapping_resumes_after_a_restart_without_delivering_twice(tmp_path: Path) -> None:
    from lambda_helpers import zip_of

    out = tmp_path / "delivered.txt"
    cfg = PlatformConfig(state_file=str(tmp_path / "state.pickle"), snapshot_interval_s=0, poll_interval_s=0.05)
    with start_local_aws(tmp_path / "first", config=cfg) as aws:
        role = _client(aws.endpoint, "iam").create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        _client(aws.endpoint, "lambda").create_function(
            FunctionName="recorder", Runtime="python3.11", Role=role, Handler="app.handler",
            Code={"ZipFile": zip_of({"app.py": RECORDER})}, Environment={"Variables": {"OUT": str(out)}})
        kinesis = _client(aws.endpoint, "kinesis")
        kinesis.create_stream(StreamName="views", ShardCount=1)
        arn = kinesis.describe_stream(StreamName="views")["StreamDescription"]["StreamARN"]
        _client(aws.endpoint, "lambda").create_event_source_mapping(
            EventSourceArn=arn, FunctionName="recorder", StartingPosition="TRIM_HORIZON", BatchSize=10)
        for view in ("a", "b", "c"):
            kinesis.put_record(StreamName="views", Data=view.encode(), PartitionKey="p")
        assert _delivered(out, 3) == ["a", "b", "c"]
    with start_local_aws(tmp_path / "second", config=cfg) as aws:
        _client(aws.endpoint, "kinesis").put_record(StreamName="views", Data=b"d", PartitionKey="p")
        assert _delivered(out, 4) == ["a", "b", "c", "d"]  # d only: a, b and c are not handed over again


def test_http_api_deployments_and_stage_pointers_survive_a_graceful_restart(tmp_path: Path) -> None:
    cfg = PlatformConfig(state_file=str(tmp_path / "state.pickle"), snapshot_interval_s=0)
    fn = "arn:aws:lambda:us-east-1:123456789012:function:absent"  # a deployed route to it answers 500, not 404
    with start_local_aws(tmp_path / "first", config=cfg) as aws:
        gw = _client(aws.endpoint, "apigatewayv2")
        api = gw.create_api(Name="kept", ProtocolType="HTTP")["ApiId"]
        integ = gw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=fn,
                                      PayloadFormatVersion="2.0")["IntegrationId"]
        gw.create_route(ApiId=api, RouteKey="GET /a", Target=f"integrations/{integ}")
        gw.create_stage(ApiId=api, StageName="prod")
        deployment = gw.create_deployment(ApiId=api, StageName="prod")["DeploymentId"]
        gw.create_route(ApiId=api, RouteKey="GET /b", Target=f"integrations/{integ}")  # never deployed
    with start_local_aws(tmp_path / "second", config=cfg) as aws:
        gw = _client(aws.endpoint, "apigatewayv2")
        assert gw.get_stage(ApiId=api, StageName="prod")["DeploymentId"] == deployment
        assert [d["DeploymentId"] for d in gw.get_deployments(ApiId=api)["Items"]] == [deployment]
        url = aws.gateway_url(api, "prod")
        assert requests.get(url + "/a", timeout=30).status_code == 500
        assert requests.get(url + "/b", timeout=30).status_code == 404
