"""DynamoDB video repository: one item per video, renditions as a map so each one updates atomically.

Listing queries a global secondary index (`newest`: partition `kind`, sort `created_key` =
created_at#id) newest first, with the filters as a FilterExpression. One partition value for every
video is a hot key on a busy real table; for a teaching-size catalog it keeps the code a page long.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

from videocatalog.adapters.awsclients import client, decimals, plain
from videocatalog.model import RENDITION_NAMES, Rendition, Video, now_rfc3339, settle
from videocatalog.ports import ListQuery, Page, page_from

INDEX = "newest"
_ser, _de = TypeSerializer(), TypeDeserializer()


def to_item(video: Video) -> dict[str, Any]:
    """The DynamoDB item (attribute-value form) of a video."""
    record = video.to_record()
    record["renditions"] = {r["name"]: r for r in record["renditions"]}
    record.update(kind="video", created_key=f"{video.created_at}#{video.id}",
                  search="\x00".join([video.title.lower(), video.description.lower(), *video.tags]))
    return {k: _ser.serialize(v) for k, v in decimals(record).items()}


def from_item(item: dict[str, Any]) -> Video:
    """The video stored in an item."""
    record = plain({k: _de.deserialize(v) for k, v in item.items()})
    for extra in ("kind", "created_key", "search"):
        record.pop(extra, None)
    by_name = record.get("renditions") or {}
    record["renditions"] = [by_name[n] for n in RENDITION_NAMES if n in by_name]
    return Video.from_record(record)


class DynamoRepository:
    """VideoRepository on one DynamoDB table (partition key `id`, GSI `newest`)."""

    def __init__(self, table: str) -> None:
        self.table = table

    @property
    def db(self) -> Any:
        return client("dynamodb")

    def add(self, video: Video) -> None:
        self.db.put_item(TableName=self.table, Item=to_item(video), ConditionExpression="attribute_not_exists(id)")

    def get(self, video_id: str) -> Video | None:
        item = self.db.get_item(TableName=self.table, Key={"id": {"S": video_id}}, ConsistentRead=True).get("Item")
        return from_item(item) if item else None

    def save(self, video: Video) -> None:
        self.db.put_item(TableName=self.table, Item=to_item(video))

    def save_if_status(self, video: Video, expected: str) -> bool:
        """Write `video` only if the stored one still has status `expected` (a compare-and-set)."""
        try:
            self.db.put_item(TableName=self.table, Item=to_item(video), ConditionExpression="#s = :e",
                             ExpressionAttributeNames={"#s": "status"},
                             ExpressionAttributeValues={":e": {"S": expected}})
        except self.db.exceptions.ConditionalCheckFailedException:
            return False
        return True

    def delete(self, video_id: str) -> bool:
        old = self.db.delete_item(TableName=self.table, Key={"id": {"S": video_id}}, ReturnValues="ALL_OLD")
        return bool(old.get("Attributes"))

    def list(self, query: ListQuery) -> Page:
        names, values, filters = {"#k": "kind"}, {":k": {"S": "video"}}, []
        key = "#k = :k"
        if query.after:
            names["#c"], values[":a"] = "created_key", {"S": f"{query.after[0]}#{query.after[1]}"}
            key += " AND #c < :a"
        if query.status:
            names["#s"], values[":s"] = "status", {"S": query.status}
            filters.append("#s = :s")
        if query.tag:
            names["#t"], values[":t"] = "tags", {"S": query.tag}
            filters.append("contains(#t, :t)")
        if query.q:
            names["#q"], values[":q"] = "search", {"S": query.q.lower()}  # SEARCH is a reserved word
            filters.append("contains(#q, :q)")
        kwargs: dict[str, Any] = {"TableName": self.table, "IndexName": INDEX, "KeyConditionExpression": key,
                                  "ExpressionAttributeNames": names, "ExpressionAttributeValues": values,
                                  "ScanIndexForward": False, "Limit": query.limit + 1}
        if filters:
            kwargs["FilterExpression"] = " AND ".join(filters)
        found: list[Video] = []
        while len(found) <= query.limit:  # a filtered page may come back short: keep reading
            resp = self.db.query(**kwargs)
            found += [v for v in map(from_item, resp.get("Items", [])) if v.matches(query.q, query.tag, query.status)]
            if "LastEvaluatedKey" not in resp:
                break
            kwargs["ExclusiveStartKey"] = resp["LastEvaluatedKey"]
        return page_from(found[: query.limit + 1], query.limit)

    def update_rendition(self, video_id: str, rendition: Rendition) -> Video | None:
        return self.update_and_settle(video_id, rendition)[0]

    def update_and_settle(self, video_id: str, rendition: Rendition) -> tuple[Video | None, bool]:
        """Store one rendition atomically, then settle the status; True when this call settled the video."""
        try:
            resp = self.db.update_item(
                TableName=self.table, Key={"id": {"S": video_id}},
                UpdateExpression="SET renditions.#n = :r, updated_at = :u",
                ConditionExpression="attribute_exists(renditions.#n)",  # gone if the video was deleted
                ExpressionAttributeNames={"#n": rendition.name},
                ExpressionAttributeValues={":r": _ser.serialize(decimals(asdict(rendition))),
                                           ":u": {"S": now_rfc3339()}},
                ReturnValues="ALL_NEW")
        except self.db.exceptions.ConditionalCheckFailedException:
            return None, False
        video = from_item(resp["Attributes"])
        settled = settle(video)
        if settled.status == video.status:
            return video, False
        # Several renditions may finish together: only the status write that finds `processing` wins.
        try:
            self.db.update_item(
                TableName=self.table, Key={"id": {"S": video_id}},
                UpdateExpression="SET #s = :s, #e = :e", ConditionExpression="#s = :p",
                ExpressionAttributeNames={"#s": "status", "#e": "error"},
                ExpressionAttributeValues={":s": {"S": settled.status}, ":p": {"S": "processing"},
                                           ":e": _ser.serialize(settled.error)})
        except self.db.exceptions.ConditionalCheckFailedException:
            return self.get(video_id), False
        return settled, True
