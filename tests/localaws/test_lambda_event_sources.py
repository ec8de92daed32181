"""Event sources: S3 notifications, SQS mappings (batches, partial failures, redrive), Kinesis, SNS."""

from __future__ import annotations

import json
import time

RECORDER = """
import json
def handler(event, context):
    print("SEEN " + json.dumps(event))
"""
SQS_PARTIAL = """
import json
def handler(event, context):
    print("SEEN " + json.dumps([r["body"] for r in event["Records"]]))
    return {"batchItemFailures": [{"itemIdentifier": r["messageId"]} for r in event["Records"] if r["body"] == "bad"]}
"""
KINESIS = """
import base64, json
def handler(event, context):
    print("SEEN " + json.dumps([base64.b64decode(r["kinesis"]["data"]).decode() for r in event["Records"]]))
"""


def arn(name: str) -> str:
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


def test_s3_object_created_notifies_lambda(client, deploy, seen):
    s3 = client("s3")
    name = deploy(RECORDER)
    s3.create_bucket(Bucket="uploads-bucket")
    s3.put_bucket_notification_configuration(Bucket="uploads-bucket", NotificationConfiguration={
        "LambdaFunctionConfigurations": [{"LambdaFunctionArn": arn(name), "Events": ["s3:ObjectCreated:*"],
                                          "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "in/"}]}}}]})
    s3.put_object(Bucket="uploads-bucket", Key="other/skip.txt", Body=b"x")
    s3.put_object(Bucket="uploads-bucket", Key="in/clip.mp4", Body=b"video")
    record = seen(name, 1)[0]["Records"][0]
    assert record["eventSource"] == "aws:s3" and record["eventName"].startswith("ObjectCreated:")
    assert record["s3"]["bucket"]["name"] == "uploads-bucket" and record["s3"]["object"]["key"] == "in/clip.mp4"
    time.sleep(0.5)
    assert len(seen(name, 1)) == 1  # the filtered-out key did not invoke


def test_sqs_mapping_batches_and_partial_failures_redrive_to_dlq(client, deploy, seen):
    sqs, lam = client("sqs"), client("lambda")
    dlq = sqs.create_queue(QueueName="work-dlq")["QueueUrl"]
    dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    url = sqs.create_queue(QueueName="work", Attributes={
        "VisibilityTimeout": "1", "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 2})
    })["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for body in ["a", "b", "bad", "c", "d", "e", "f"]:
        sqs.send_message(QueueUrl=url, MessageBody=body)
    name = deploy(SQS_PARTIAL)
    lam.create_event_source_mapping(EventSourceArn=queue_arn, FunctionName=name, BatchSize=5,
                                    FunctionResponseTypes=["ReportBatchItemFailures"])
    deadline = time.monotonic() + 20
    dead = []
    while not dead and time.monotonic() < deadline:
        dead = sqs.receive_message(QueueUrl=dlq).get("Messages", [])
        time.sleep(0.2)
    assert [m["Body"] for m in dead] == ["bad"]
    batches = seen(name, 3)
    assert max(len(b) for b in batches) <= 5
    delivered = [body for batch in batches for body in batch]
    assert sorted(set(delivered)) == ["a", "b", "bad", "c", "d", "e", "f"]
    assert delivered.count("bad") == 2 and all(delivered.count(x) == 1 for x in "abcdef")
    assert "Messages" not in sqs.receive_message(QueueUrl=url)


def test_kinesis_batches_in_order_per_shard(client, deploy, seen):
    kinesis, lam = client("kinesis"), client("lambda")
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    stream_arn = kinesis.describe_stream(StreamName="clicks")["StreamDescription"]["StreamARN"]
    for i in range(10):
        kinesis.put_record(StreamName="clicks", Data=str(i).encode(), PartitionKey="k")
    name = deploy(KINESIS)
    lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName=name, BatchSize=4,
                                    StartingPosition="TRIM_HORIZON")
    batches = seen(name, 3)
    assert [len(b) for b in batches] == [4, 4, 2]
    assert [x for b in batches for x in b] == [str(i) for i in range(10)]


def test_kinesis_latest_skips_older_records(client, deploy, seen, aws):
    kinesis, lam = client("kinesis"), client("lambda")
    kinesis.create_stream(StreamName="views", ShardCount=1)
    stream_arn = kinesis.describe_stream(StreamName="views")["StreamDescription"]["StreamARN"]
    kinesis.put_record(StreamName="views", Data=b"old", PartitionKey="k")
    name = deploy(KINESIS)
    uuid = lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName=name,
                                           StartingPosition="LATEST")["UUID"]
    deadline = time.monotonic() + 10
    while uuid not in aws.events.running() and time.monotonic() < deadline:
        time.sleep(0.05)
    kinesis.put_record(StreamName="views", Data=b"new", PartitionKey="k")
    assert seen(name, 1) == [["new"]]


def test_sns_delivers_to_lambda_and_to_sqs(client, deploy, seen):
    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name="renditions")["TopicArn"]
    name = deploy(RECORDER)
    sns.subscribe(TopicArn=topic, Protocol="lambda", Endpoint=arn(name))
    url = sqs.create_queue(QueueName="rendition-events")["QueueUrl"]
    q_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=q_arn)
    sns.publish(TopicArn=topic, Message="480p ready", Subject="done")
    record = seen(name, 1)[0]["Records"][0]
    assert record["EventSource"] == "aws:sns" and record["Sns"]["Message"] == "480p ready"
    assert record["Sns"]["TopicArn"] == topic and record["Sns"]["Subject"] == "done"
    body = json.loads(sqs.receive_message(QueueUrl=url, WaitTimeSeconds=2)["Messages"][0]["Body"])
    assert body["Message"] == "480p ready" and body["TopicArn"] == topic


DDB_STREAM = """
import json
def handler(event, context):
    print("SEEN " + json.dumps([[r["eventName"], r["dynamodb"]["Keys"]["id"]["S"]] for r in event["Records"]]))
"""


def test_dynamodb_stream_changes_reach_lambda_in_order(client, deploy, seen):
    ddb, lam = client("dynamodb"), client("lambda")
    stream_arn = ddb.create_table(
        TableName="views-table", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"},
    )["TableDescription"]["LatestStreamArn"]
    name = deploy(DDB_STREAM)
    lam.create_event_source_mapping(EventSourceArn=stream_arn, FunctionName=name, StartingPosition="TRIM_HORIZON",
                                    BatchSize=10)
    ddb.put_item(TableName="views-table", Item={"id": {"S": "v1"}, "n": {"N": "1"}})
    ddb.put_item(TableName="views-table", Item={"id": {"S": "v1"}, "n": {"N": "2"}})
    ddb.delete_item(TableName="views-table", Key={"id": {"S": "v1"}})
    deadline = time.monotonic() + 15
    changes: list = []
    while len(changes) < 3 and time.monotonic() < deadline:
        changes = [c for batch in seen(name, 1) for c in batch]
        time.sleep(0.1)
    assert changes == [["INSERT", "v1"], ["MODIFY", "v1"], ["REMOVE", "v1"]]
