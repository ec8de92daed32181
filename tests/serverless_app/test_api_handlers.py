"""The API functions on sample gateway events, against the stack's resources in an in-process moto."""

from __future__ import annotations

import json

from sllib import event

from serverless.functions import (
    create_video,
    delete_video,
    get_health,
    get_video,
    list_videos,
    not_found,
    post_view,
)


def body(resp: dict) -> dict:
    return json.loads(resp["body"]) if resp["body"] else {}


def create(context, title: str = "Hello serverless") -> dict:
    ev = event("api_create_video")
    ev["body"] = json.dumps({"title": title, "tags": ["sample"]})
    resp = create_video.handler(ev, context)
    assert resp["statusCode"] == 201, resp
    return body(resp)


def test_create_returns_a_presigned_put_with_its_signed_headers(aws, context):
    video = create(context)
    assert video["status"] == "awaiting_upload" and video["renditions"] == []
    upload = video["upload"]
    assert upload["method"] == "PUT"
    assert f"/{aws.bucket}/sources/{video['id']}?" in upload["url"] and "X-Amz-Signature=" in upload["url"]
    signed = upload["url"].split("X-Amz-SignedHeaders=")[1].split("&")[0]
    assert signed == "content-type%3Bhost%3Bif-none-match"
    assert upload["headers"] == {"Content-Type": "application/octet-stream", "If-None-Match": "*"}


def test_create_without_the_authorizers_approval_is_401_and_stores_nothing(aws, context):
    for approval in ({"authorized": False, "reason": "token expired"}, None):
        ev = event("api_create_video")
        if approval is None:
            del ev["requestContext"]["authorizer"]  # a route deployed without the authorizer fails closed
        else:
            ev["requestContext"]["authorizer"]["lambda"] = approval
        resp = create_video.handler(ev, context)
        assert resp["statusCode"] == 401 and body(resp)["error"]["code"] == "unauthorized"
    assert body(list_videos.handler(event("api_list_videos"), context))["items"] == []


def test_bad_bodies_are_400_naming_the_field(aws, context):
    for raw, field in (("[1]", "body"), ('{"title": ""}', "title"), ('{"title": "x", "colour": 1}', "colour")):
        ev = event("api_create_video")
        ev["body"] = raw
        resp = create_video.handler(ev, context)
        assert resp["statusCode"] == 400, resp
        assert body(resp)["error"]["code"] == "validation_error" and field in body(resp)["error"]["message"]


def test_list_filters_and_pages_newest_first(aws, context):
    ids = [create(context, f"hello {n}")["id"] for n in range(3)]
    create(context, "something else")
    page = body(list_videos.handler(event("api_list_videos"), context))  # q=hello, limit=2
    assert [v["id"] for v in page["items"]] == ids[::-1][:2] and page["next_cursor"]
    ev = event("api_list_videos")
    ev["queryStringParameters"]["cursor"] = page["next_cursor"]
    rest = body(list_videos.handler(ev, context))
    assert [v["id"] for v in rest["items"]] == ids[:1] and rest["next_cursor"] is None
    ev["queryStringParameters"] = {"limit": "0"}
    assert list_videos.handler(ev, context)["statusCode"] == 400


def test_get_delete_and_unknown_ids(aws, context):
    video = create(context)
    got = get_video.handler(event("api_get_video", VIDEO_ID=video["id"]), context)
    assert got["statusCode"] == 200 and body(got)["title"] == video["title"]
    ev = event("api_create_video")
    ev.update(routeKey="DELETE /videos/{id}", pathParameters={"id": video["id"]}, body=None)
    assert delete_video.handler(ev, context)["statusCode"] == 204
    assert delete_video.handler(ev, context)["statusCode"] == 404
    missing = get_video.handler(event("api_get_video", VIDEO_ID=video["id"]), context)
    assert missing["statusCode"] == 404 and body(missing)["error"]["code"] == "not_found"


def test_a_view_goes_onto_the_stream(aws, context):
    video = create(context)
    ev = event("api_get_video", VIDEO_ID=video["id"])
    assert post_view.handler(ev, context)["statusCode"] == 202
    kinesis = aws.client("kinesis")
    stream = aws.env["VIEWS_STREAM"]
    shard = kinesis.describe_stream(StreamName=stream)["StreamDescription"]["Shards"][0]["ShardId"]
    it = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    records = kinesis.get_records(ShardIterator=it["ShardIterator"])["Records"]
    assert [json.loads(r["Data"])["video_id"] for r in records] == [video["id"]]
    assert post_view.handler(event("api_get_video", VIDEO_ID="v-unknown"), context)["statusCode"] == 404


def test_health_unknown_routes_and_the_fault_of_a_bad_release(aws, context, monkeypatch):
    health = body(get_health.handler(event("api_list_videos"), context))
    assert health["architecture"] == "serverless" and health["release"] == "v1"
    ev = event("api_list_videos")
    ev["requestContext"]["http"]["path"] = "/prod/nope"
    assert body(not_found.handler(ev, context))["error"]["code"] == "not_found"
    ev["requestContext"]["http"].update(path="/prod/videos", method="PATCH")
    assert not_found.handler(ev, context)["statusCode"] == 405
    monkeypatch.setenv("WORKSHOP_FAULT", "error:get_video")
    resp = get_video.handler(event("api_get_video", VIDEO_ID="x"), context)
    assert resp["statusCode"] == 500 and body(resp)["error"]["code"] == "internal"
