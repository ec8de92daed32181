"""The service calls the app makes, one callable each, for `localaws_memory.py` (resources made first)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

import requests

HANDLER = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:"


def _table(db: Any) -> None:
    db.create_table(TableName="videos", BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("id", "kind", "ck")],
                    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                    GlobalSecondaryIndexes=[{"IndexName": "newest", "Projection": {"ProjectionType": "ALL"},
                                             "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"},
                                                           {"AttributeName": "ck", "KeyType": "RANGE"}]}])
    renditions = {n: {"M": {"name": {"S": n}, "status": {"S": "ready"}, "bytes": {"N": "123456"}}}
                  for n in ("240p", "480p", "720p")}
    for i in range(21):
        db.put_item(TableName="videos", Item={"id": {"S": f"v{i}"}, "kind": {"S": "video"}, "ck": {"S": f"{i:02}"},
                                              "title": {"S": f"video {i} " * 8}, "renditions": {"M": renditions}})


def _gateway(c: Callable[[str], Any], gateway_url: Callable[[str], str]) -> str:
    """A one-route HTTP API in front of a tiny function, as the app's API is: its GET URL."""
    role = c("iam").create_role(RoleName="bench-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as zf:
        zf.writestr("app.py", HANDLER)
    c("lambda").create_function(FunctionName="ping", Runtime="python3.11", Role=role, Handler="app.handler",
                                Code={"ZipFile": package.getvalue()})
    gw = c("apigatewayv2")
    api = gw.create_api(Name="bench", ProtocolType="HTTP")["ApiId"]
    integration = gw.create_integration(ApiId=api, IntegrationType="AWS_PROXY", IntegrationUri=LAMBDA_ARN + "ping",
                                        PayloadFormatVersion="2.0")["IntegrationId"]
    gw.create_route(ApiId=api, RouteKey="GET /ping", Target=f"integrations/{integration}")
    gw.create_stage(ApiId=api, StageName="$default")
    return gateway_url(api) + "/ping"


def resources(c: Callable[[str], Any], gateway_url: Callable[[str], str]) -> dict[str, Any]:
    """The table, queues, topic, stream, bucket, log stream and gateway route the calls use."""
    _table(c("dynamodb"))
    sqs = c("sqs")
    queue = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    held = sqs.create_queue(QueueName="held")["QueueUrl"]  # one message in flight, its visibility changed
    sqs.send_message(QueueUrl=held, MessageBody="job")
    receipt = sqs.receive_message(QueueUrl=held, VisibilityTimeout=600)["Messages"][0]["ReceiptHandle"]
    topic = c("sns").create_topic(Name="status")["TopicArn"]
    kinesis = c("kinesis")
    kinesis.create_stream(StreamName="views", ShardCount=1)
    shard = kinesis.describe_stream(StreamName="views")["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName="views", ShardId=shard, ShardIteratorType="LATEST")
    s3 = c("s3")
    s3.create_bucket(Bucket="media")
    for name in ("source", "hq", "480p", "360p", "audio", "thumbnail"):
        s3.put_object(Bucket="media", Key=f"videos/v1/{name}", Body=b"x" * 1024)
    c("logs").create_log_group(logGroupName="g")
    c("logs").create_log_stream(logGroupName="g", logStreamName="s")
    return {"queue": queue, "held": held, "receipt": receipt, "topic": topic,
            "iterator": [iterator["ShardIterator"]], "ping": _gateway(c, gateway_url)}


def _dynamodb(db: Any) -> dict[str, Callable[[], Any]]:
    def put_then_delete() -> None:
        db.put_item(TableName="videos", Item={"id": {"S": "gone"}, "kind": {"S": "other"}, "ck": {"S": "g"}})
        db.delete_item(TableName="videos", Key={"id": {"S": "gone"}})

    return {
        "dynamodb Query (21 items)": lambda: db.query(
            TableName="videos", IndexName="newest", KeyConditionExpression="kind = :k", Limit=21,
            ExpressionAttributeValues={":k": {"S": "video"}}, ScanIndexForward=False),
        "dynamodb Scan (21 items)": lambda: db.scan(TableName="videos"),
        "dynamodb GetItem": lambda: db.get_item(TableName="videos", Key={"id": {"S": "v3"}}, ConsistentRead=True),
        "dynamodb PutItem (overwrite)": lambda: db.put_item(
            TableName="videos", Item={"id": {"S": "w"}, "kind": {"S": "other"}, "ck": {"S": "w"}}),
        "dynamodb UpdateItem (ADD)": lambda: db.update_item(
            TableName="videos", Key={"id": {"S": "c"}}, UpdateExpression="ADD #v :n",
            ExpressionAttributeNames={"#v": "views"}, ExpressionAttributeValues={":n": {"N": "1"}}),
        "dynamodb PutItem+DeleteItem": put_then_delete,
    }


def _queues(c: Callable[[str], Any], r: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    sqs, kinesis = c("sqs"), c("kinesis")

    def sqs_round_trip() -> None:
        sqs.send_message(QueueUrl=r["queue"], MessageBody="status changed")
        for m in sqs.receive_message(QueueUrl=r["queue"], MaxNumberOfMessages=10).get("Messages", []):
            sqs.delete_message(QueueUrl=r["queue"], ReceiptHandle=m["ReceiptHandle"])

    def get_records() -> None:  # follows the shard as a consumer does, from the iterator each call returns
        r["iterator"][0] = kinesis.get_records(ShardIterator=r["iterator"][0], Limit=100)["NextShardIterator"]

    return {
        "sqs Send+Receive+Delete": sqs_round_trip,
        "sqs ChangeMessageVisibility": lambda: sqs.change_message_visibility(
            QueueUrl=r["held"], ReceiptHandle=r["receipt"], VisibilityTimeout=600),
        "sns Publish": lambda: c("sns").publish(TopicArn=r["topic"], Message='{"status": "ready"}'),
        "kinesis PutRecord (stored)": lambda: kinesis.put_record(StreamName="views", Data=b'{"v": 1}',
                                                                 PartitionKey="v1"),
        "kinesis GetRecords": get_records,
        "logs PutLogEvents (stored)": lambda: c("logs").put_log_events(
            logGroupName="g", logStreamName="s", logEvents=[{"timestamp": 1_765_000_000_000, "message": "REPORT"}]),
    }


def _objects(s3: Any, http: requests.Session) -> dict[str, Callable[[], Any]]:
    get_url = s3.generate_presigned_url("get_object", Params={"Bucket": "media", "Key": "videos/v1/hq"})
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": "media", "Key": "videos/v1/upload"})

    def put_then_delete_objects() -> None:
        s3.put_object(Bucket="media", Key="videos/v2/hq", Body=b"x" * 1024)
        s3.delete_objects(Bucket="media", Delete={"Objects": [{"Key": "videos/v2/hq"}, {"Key": "videos/v2/480p"}]})

    return {
        "s3 PutObject+GetObject (overwrite)": lambda: (s3.put_object(Bucket="media", Key="k", Body=b"x" * 1024),
                                                       s3.get_object(Bucket="media", Key="k")["Body"].read()),
        "s3 HeadObject": lambda: s3.head_object(Bucket="media", Key="videos/v1/source"),
        "s3 ListObjectsV2 (6 keys)": lambda: s3.list_objects_v2(Bucket="media", Prefix="videos/v1/"),
        "s3 PutObject+DeleteObjects": put_then_delete_objects,
        "s3 presigned GET": lambda: http.get(get_url, timeout=30).raise_for_status(),
        "s3 presigned PUT (overwrite)": lambda: http.put(put_url, data=b"x" * 1024, timeout=30).raise_for_status(),
    }


def calls(c: Callable[[str], Any], r: dict[str, Any], http: requests.Session) -> dict[str, Callable[[], Any]]:
    """Every call, by a name that says what it does (and whether it stores data AWS would keep too)."""
    gateway = {"gateway GET -> Lambda (HTTP API)": lambda: http.get(r["ping"], timeout=30).raise_for_status()}
    return {**_dynamodb(c("dynamodb")), **_queues(c, r), **_objects(c("s3"), http), **gateway}
