"""The fast response path writes exactly moto's bytes: every DynamoDB call the project makes, generated items.

Each response is serialized twice, by moto's own JSONSerializer and by the fast path, and the bodies
must be equal; the test also fails when the fast path stops being used for the operations it covers
(for example a moto upgrade whose results the plan no longer understands).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import boto3
import pytest
from fastpath_items import item
from moto import mock_aws
from moto.core import serialize as moto_serialize

from localaws.services import fastpath
from videocatalog.adapters import awsclients
from videocatalog.adapters.dynamodb import DynamoRepository
from videocatalog.adapters.views_aws import CountsViewLog
from videocatalog.model import Rendition, Video
from videocatalog.ports import ListQuery

SEEN: list[tuple[str, bool, str, str]] = []  # (operation, fast plan used, fast body, moto body)


class DualSerializer(fastpath.FastJSONSerializer):
    """Answers with moto's bytes and records the fast path's bytes beside them."""

    def _serialize_result(self, resp: Any, result: Any) -> Any:
        fast = super()._serialize_result(self._create_default_response(), result)
        slow = moto_serialize.JSONSerializer._serialize_result(self, resp, result)
        SEEN.append((self.operation_name, self.used_plan, fast["body"], slow["body"]))
        assert fast["headers"] == slow["headers"]
        return slow


@pytest.fixture
def dynamodb(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    SEEN.clear()
    with mock_aws():
        undo = fastpath.install(DualSerializer)
        awsclients.reset()
        try:
            db = boto3.client("dynamodb")
            _tables(db)
            yield db
        finally:
            undo()
            awsclients.reset()


def _tables(db: Any) -> None:
    db.create_table(TableName="videos", BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"}
                                          for n in ("id", "kind", "created_key")],
                    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                    GlobalSecondaryIndexes=[{"IndexName": "newest", "Projection": {"ProjectionType": "ALL"},
                                             "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"},
                                                           {"AttributeName": "created_key", "KeyType": "RANGE"}]}])
    db.create_table(TableName="counts", BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": "video_id", "AttributeType": "S"},
                                          {"AttributeName": "minute", "AttributeType": "N"}],
                    KeySchema=[{"AttributeName": "video_id", "KeyType": "HASH"},
                               {"AttributeName": "minute", "KeyType": "RANGE"}])


def _check(covered: set[str]) -> None:
    mismatched = [(op, fast, slow) for op, _, fast, slow in SEEN if fast != slow]
    assert not mismatched, mismatched[:3]
    used = {op for op, plan, _, _ in SEEN if plan}
    assert covered <= used, f"fast path not used for {sorted(covered - used)}"


def test_the_projects_dynamodb_calls_match(dynamodb: Any) -> None:
    repo, views = DynamoRepository("videos"), CountsViewLog("counts")
    for i in range(25):
        video = Video(id=f"v{i:02}", title=f"Clip {i} 🎬", description="déjà vu", tags=("cats", f"t{i % 3}"),
                      created_at=f"2026-12-06T10:{i:02}:00Z",
                      renditions=tuple(Rendition(name=n) for n in ("240p", "480p", "720p")))
        repo.add(video)
    repo.save(replace(repo.get("v01"), title="renamed"))  # type: ignore[arg-type]
    assert repo.save_if_status(replace(repo.get("v02"), status="processing"), "awaiting_upload")  # type: ignore[arg-type]
    assert not repo.save_if_status(repo.get("v03"), "processing")  # type: ignore[arg-type]
    for query in (ListQuery(), ListQuery(limit=5), ListQuery(tag="t1"), ListQuery(q="clip 1"),
                  ListQuery(status="processing"), ListQuery(after=("2026-12-06T10:10:00Z", "v10"), limit=3)):
        repo.list(query)
    repo.update_and_settle("v02", Rendition(name="240p", status="ready", width=426, height=240, bytes=10**9, key="k"))
    for name in ("480p", "720p"):
        repo.update_and_settle("v02", Rendition(name=name, status="failed", reason="ffmpeg said ✗"))
    assert repo.update_and_settle("gone", Rendition(name="240p"))[0] is None
    assert repo.delete("v04") and not repo.delete("v04")
    for minute in range(5):
        views.add("v01", 29_000_000 + minute, 3)
        views.record("v02", 60.0 * (29_000_000 + minute))
    assert views.top(60.0 * 29_000_000, 10)[0] == ("v01", 15)
    views.forget("v01")
    _check({"PutItem", "GetItem", "Query", "UpdateItem", "DeleteItem", "Scan"})


@pytest.mark.parametrize("seed", range(4))
def test_generated_items_match(dynamodb: Any, seed: int) -> None:
    rng = random.Random(seed)
    db, keys = dynamodb, [f"g{seed}-{i}" for i in range(12)]
    for key in keys:
        db.put_item(TableName="videos", Item=item(rng, key), ReturnConsumedCapacity="TOTAL")
        db.put_item(TableName="videos", Item=item(rng, key), ReturnValues="ALL_OLD")
    for key in keys[:4]:
        db.get_item(TableName="videos", Key={"id": {"S": key}}, ConsistentRead=True, ReturnConsumedCapacity="INDEXES")
        db.get_item(TableName="videos", Key={"id": {"S": key}}, ProjectionExpression="id, kind, #c",
                    ExpressionAttributeNames={"#c": "created_key"})
        for returns in ("ALL_NEW", "UPDATED_OLD", "UPDATED_NEW", "ALL_OLD", "NONE"):
            db.update_item(TableName="videos", Key={"id": {"S": key}}, ReturnValues=returns,
                           UpdateExpression="SET n = if_not_exists(n, :z) + :one, "
                                            "l = list_append(if_not_exists(l, :e), :l)",
                           ExpressionAttributeValues={":z": {"N": "0"}, ":one": {"N": "0.5"}, ":e": {"L": []},
                                                      ":l": {"L": [{"S": "🎞"}, {"M": {}}]}})
    db.query(TableName="videos", IndexName="newest", KeyConditionExpression="kind = :k", Limit=7,
             ExpressionAttributeValues={":k": {"S": "gen"}}, ScanIndexForward=False, ReturnConsumedCapacity="INDEXES")
    db.query(TableName="videos", IndexName="newest", KeyConditionExpression="kind = :k", Select="COUNT",
             ExpressionAttributeValues={":k": {"S": "gen"}})
    db.scan(TableName="videos", Limit=5)
    db.scan(TableName="videos", FilterExpression="attribute_exists(n)")
    db.batch_get_item(RequestItems={"videos": {"Keys": [{"id": {"S": k}} for k in keys[:6]] + [{"id": {"S": "none"}}]}})
    db.batch_write_item(RequestItems={"videos": [{"PutRequest": {"Item": item(rng, k)}} for k in keys[6:9]]
                                      + [{"DeleteRequest": {"Key": {"id": {"S": keys[9]}}}}]})
    db.transact_write_items(TransactItems=[
        {"Put": {"TableName": "videos", "Item": item(rng, keys[10])}},
        {"Update": {"TableName": "videos", "Key": {"id": {"S": keys[11]}}, "UpdateExpression": "REMOVE n"}},
        {"ConditionCheck": {"TableName": "videos", "Key": {"id": {"S": keys[0]}},
                            "ConditionExpression": "attribute_exists(id)"}}])
    db.transact_get_items(TransactItems=[{"Get": {"TableName": "videos", "Key": {"id": {"S": k}}}} for k in keys[:3]])
    for key in keys[:3]:
        db.delete_item(TableName="videos", Key={"id": {"S": key}}, ReturnValues="ALL_OLD")
    _check({"PutItem", "GetItem", "UpdateItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem",
            "TransactWriteItems", "TransactGetItems", "DeleteItem"})


def test_alias_rules_are_the_ones_the_plan_reproduces() -> None:
    # The plan precomputes moto's attribute picking for plain dicts: if moto changes its picker, fail here.
    assert moto_serialize.DEFAULT_ALIAS_PROVIDERS == [
        moto_serialize.ExplicitAlias, moto_serialize.ShapeNameAlias, moto_serialize.NoAlias,
        moto_serialize.ShapePrefixAlias, moto_serialize.ClassPrefixAlias, moto_serialize.ModelAlias]


def test_sqs_kinesis_and_logs_calls_match(dynamodb: Any) -> None:
    sqs, kinesis, logs = boto3.client("sqs"), boto3.client("kinesis"), boto3.client("logs")
    url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
    for body in ("plain", "🎬 non-BMP", '{"json": [1, 2]}'):
        sqs.send_message(QueueUrl=url, MessageBody=body,
                         MessageAttributes={"kind": {"DataType": "String", "StringValue": "é"},
                                            "raw": {"DataType": "Binary", "BinaryValue": b"\x00\xff"}})
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, MessageAttributeNames=["All"],
                              MessageSystemAttributeNames=["All"])["Messages"]
    sqs.delete_message_batch(QueueUrl=url, Entries=[{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]}
                                                    for i, m in enumerate(got)])
    kinesis.create_stream(StreamName="views", ShardCount=1)
    for i in range(3):
        kinesis.put_record(StreamName="views", Data=f'{{"video_id": "v{i}"}}'.encode(), PartitionKey=f"v{i}")
    shard = kinesis.describe_stream(StreamName="views")["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(StreamName="views", ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    kinesis.get_records(ShardIterator=iterator["ShardIterator"])
    logs.create_log_group(logGroupName="/aws/lambda/f")
    logs.create_log_stream(logGroupName="/aws/lambda/f", logStreamName="s")
    logs.put_log_events(logGroupName="/aws/lambda/f", logStreamName="s",
                        logEvents=[{"timestamp": 1_765_000_000_000, "message": "REPORT ✓"}])
    logs.get_log_events(logGroupName="/aws/lambda/f", logStreamName="s")
    _check({"SendMessage", "ReceiveMessage", "DeleteMessageBatch", "PutRecord", "GetRecords"})
