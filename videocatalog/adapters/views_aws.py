"""View counting on AWS: a Kinesis stream takes the events, a DynamoDB table keeps per-minute counts.

The counts table has partition key `video_id` and sort key `minute` (epoch minute); the analytics
function adds each batch's counts with `ADD views :n` (a new item is put whole). Trending sums the last
hour with a Scan, which is fine for a teaching-size catalog (a busy table would keep a per-hour
leaderboard item instead).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from typing import Any

from videocatalog.adapters.awsclients import client

KEEP_S = 2 * 3600  # counts older than this expire through the table's TTL attribute


class KinesisViewLog:
    """The write side of the ViewLog port: one record per view on the stream."""

    def __init__(self, stream: str) -> None:
        self.stream = stream

    def record(self, video_id: str, at: float) -> None:
        data = json.dumps({"video_id": video_id, "at": at}).encode()
        client("kinesis").put_record(StreamName=self.stream, Data=data, PartitionKey=video_id)

    def top(self, since: float, limit: int) -> list[tuple[str, int]]:
        raise NotImplementedError("the stream is write-only: read trending from CountsViewLog")

    def forget(self, video_id: str) -> None:
        return None  # nothing is kept on the stream beyond its retention


def minute_counts(events: Iterable[dict[str, Any]]) -> Counter[tuple[str, int]]:
    """Views per (video, epoch minute) in a batch of decoded view events."""
    return Counter((str(e["video_id"]), int(float(e["at"]) // 60)) for e in events)


class CountsViewLog:
    """The read side of the ViewLog port, and the counter the analytics function writes."""

    def __init__(self, table: str) -> None:
        self.table = table

    def add(self, video_id: str, minute: int, views: int) -> None:
        """Add `views` to one video's count in one minute, so a reader sees the old count or the new one.

        An existing item takes `ADD` in place. A new one is put whole, on condition that it is still
        absent: moto (and the local AWS on it) makes an `UpdateItem`'s new item by storing its key first
        and applying the expression after, and a Scan in between saw an item without `views`.
        """
        db, key = client("dynamodb"), {"video_id": {"S": video_id}, "minute": {"N": str(minute)}}
        expires = {"N": str(minute * 60 + KEEP_S)}
        while True:
            try:
                db.update_item(TableName=self.table, Key=key, UpdateExpression="ADD #v :n SET expires_at = :x",
                               ConditionExpression="attribute_exists(video_id)",
                               ExpressionAttributeNames={"#v": "views"},
                               ExpressionAttributeValues={":n": {"N": str(views)}, ":x": expires})
                return
            except db.exceptions.ConditionalCheckFailedException:
                pass  # no item yet: create it whole
            try:
                db.put_item(TableName=self.table, Item={**key, "views": {"N": str(views)}, "expires_at": expires},
                            ConditionExpression="attribute_not_exists(video_id)")
                return
            except db.exceptions.ConditionalCheckFailedException:
                continue  # another writer created it meanwhile: add to theirs

    def record(self, video_id: str, at: float) -> None:
        self.add(video_id, int(at // 60), 1)

    def top(self, since: float, limit: int) -> list[tuple[str, int]]:
        """The most viewed videos since `since`, reading each count as it was before or after any write."""
        totals: Counter[str] = Counter()
        kwargs: dict[str, Any] = {"TableName": self.table, "FilterExpression": "#m >= :m",
                                  "ProjectionExpression": "video_id, #v",
                                  "ExpressionAttributeNames": {"#m": "minute", "#v": "views"},
                                  "ExpressionAttributeValues": {":m": {"N": str(int(since // 60))}}}
        for page in client("dynamodb").get_paginator("scan").paginate(**kwargs):
            for item in page.get("Items", []):
                # An item without views is one still being made (its old count was none): count 0.
                totals[item["video_id"]["S"]] += int(item.get("views", {}).get("N", 0))
        return sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]

    def forget(self, video_id: str) -> None:
        db = client("dynamodb")
        pages = db.get_paginator("query").paginate(
            TableName=self.table, KeyConditionExpression="video_id = :v",
            ExpressionAttributeValues={":v": {"S": video_id}}, ProjectionExpression="video_id, #m",
            ExpressionAttributeNames={"#m": "minute"})
        for page in pages:
            for item in page.get("Items", []):
                db.delete_item(TableName=self.table, Key=item)
