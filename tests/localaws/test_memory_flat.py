"""The local AWS keeps a flat memory profile: 1,000 DynamoDB Queries of 21 items grow RSS by < 10 MB."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from typing import Any

import psutil

from localaws import LocalAws
from localaws.services.tracking import WeakInstances

MB = 1024 * 1024


def _table_of_21(db: Any) -> None:
    db.create_table(TableName="mem", BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("id", "kind", "ck")],
                    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                    GlobalSecondaryIndexes=[{"IndexName": "newest", "Projection": {"ProjectionType": "ALL"},
                                             "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"},
                                                           {"AttributeName": "ck", "KeyType": "RANGE"}]}])
    renditions = {n: {"M": {"name": {"S": n}, "status": {"S": "ready"}, "bytes": {"N": "123456"}}}
                  for n in ("240p", "480p", "720p")}
    for i in range(21):
        db.put_item(TableName="mem", Item={"id": {"S": f"v{i}"}, "kind": {"S": "video"}, "ck": {"S": f"2026#{i:02}"},
                                           "title": {"S": f"video {i} " * 8}, "tags": {"L": [{"S": "a"}, {"S": "b"}]},
                                           "renditions": {"M": renditions}})


def test_thousand_queries_keep_rss_flat(aws: LocalAws, client: Callable[[str], Any]) -> None:
    db = client("dynamodb")
    _table_of_21(db)

    def query() -> None:
        got = db.query(TableName="mem", IndexName="newest", KeyConditionExpression="kind = :k", Limit=21,
                       ExpressionAttributeValues={":k": {"S": "video"}}, ScanIndexForward=False)
        assert got["Count"] == 21

    process = psutil.Process(os.getpid())
    for _ in range(200):  # warm-up: caches, pools, allocator arenas
        query()
    gc.collect()
    before = process.memory_info().rss
    for _ in range(1000):
        query()
    gc.collect()
    grown = process.memory_info().rss - before
    assert grown < 10 * MB, f"1,000 queries grew RSS by {grown / MB:.1f} MB"


def test_weak_instances_forget_garbage_and_keep_live_objects() -> None:
    class Model:
        pass

    tracked, kept = WeakInstances(), Model()
    tracked.append(kept)
    for _ in range(100):
        tracked.append(Model())
    tracked.append(1)  # an int cannot be weakly referenced: kept as moto would
    gc.collect()
    assert list(tracked) == [kept, 1] and len(tracked) == 2


def test_sns_topics_keep_only_their_last_messages_and_still_deliver_all(client: Callable[[str], Any]) -> None:
    from moto.sns.models import sns_backends

    from localaws.services.tracking import SNS_NOTIFICATIONS_KEPT

    sns, sqs = client("sns"), client("sqs")
    topic = sns.create_topic(Name="kept")["TopicArn"]
    queue = sqs.create_queue(QueueName="kept-sub")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    sent = SNS_NOTIFICATIONS_KEPT + 50
    for i in range(sent):
        sns.publish(TopicArn=topic, Message=f"m{i}")
    kept = sns_backends[topic.split(":")[4]]["us-east-1"].topics[topic].sent_notifications
    assert [m[1] for m in kept] == [f"m{i}" for i in range(50, sent)]
    attrs = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])["Attributes"]
    assert int(attrs["ApproximateNumberOfMessages"]) == sent
