"""The upload pipeline (S3 event -> probe -> one render per rendition -> SNS) and the analytics consumer,
run in-process on sample events; the probe's fan-out is captured instead of invoking Lambda."""

from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
from sllib import LambdaContext, event

from serverless.functions import analytics, authorizer, get_trending, probe, render
from videocatalog import auth, testmedia
from videocatalog.service import source_key
from videocatalog.validation import NewVideo


class Invocations:
    """Stands in for the Lambda client the probe uses: records each async invoke."""

    def __init__(self) -> None:
        self.payloads: list[dict[str, Any]] = []

    def invoke(self, FunctionName: str, InvocationType: str, Payload: bytes) -> dict:  # noqa: N803 (boto3 names)
        assert InvocationType == "Event" and FunctionName.endswith(":live")
        self.payloads.append(json.loads(Payload))
        return {"StatusCode": 202}


@pytest.fixture
def fanout(monkeypatch) -> Invocations:
    calls = Invocations()
    real = probe.client
    monkeypatch.setattr(probe, "client", lambda service: calls if service == "lambda" else real(service))
    return calls


def upload(aws, data: bytes) -> str:
    from serverless.functions.wiring import catalog

    video = catalog().create(NewVideo("pipeline", "", ("p",)))
    aws.client("s3").put_object(Bucket=aws.bucket, Key=source_key(video.id), Body=data)
    return video.id


def status_messages(aws) -> list[dict]:
    sqs = aws.client("sqs")
    url = sqs.get_queue_url(QueueName=f"{aws.stack.prefix}-status-events")["QueueUrl"]
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    return [json.loads(m["Body"]) for m in got]


def test_a_clip_is_probed_fanned_out_rendered_and_announced(aws, fanout, tmp_path):
    clip = testmedia.make_clip(tmp_path / "clip.mp4", 320, 240, 1.0)
    video_id = upload(aws, clip.read_bytes())
    ev = event("s3_object_created", BUCKET=aws.bucket, VIDEO_ID=video_id)
    assert probe.handler(ev, LambdaContext())["outcomes"] == ["planned"]
    assert probe.handler(ev, LambdaContext())["outcomes"] == ["planned"]  # redelivered: idempotent, no new fan-out
    assert sorted(p["rendition"] for p in fanout.payloads) == ["audio", "hq", "thumbnail"]
    assert event("render_invoke", VIDEO_ID=video_id) in fanout.payloads  # the sample event is what the probe sends
    results = [render.handler(p, LambdaContext()) for p in fanout.payloads]
    assert [r["video_status"] for r in results] == ["processing", "processing", "ready"]
    assert render.handler(fanout.payloads[0], LambdaContext()) == {"outcome": "nothing to do"}
    [message] = status_messages(aws)
    assert (message["id"], message["status"]) == (video_id, "ready")
    keys = {o["Key"] for o in aws.client("s3").list_objects_v2(Bucket=aws.bucket)["Contents"]}
    assert {f"renditions/{video_id}/{n}" for n in ("hq.mp4", "audio.m4a", "thumbnail.jpg")} <= keys


def test_not_a_video_fails_with_unsupported_media_and_is_announced(aws, fanout, tmp_path):
    video_id = upload(aws, b"\0" * 4096)
    probe.handler(event("s3_object_created", BUCKET=aws.bucket, VIDEO_ID=video_id), LambdaContext())
    from serverless.functions.wiring import repo

    video = repo().get(video_id)
    assert (video.status, video.error["code"], video.renditions) == ("failed", "unsupported_media", ())
    assert fanout.payloads == []
    assert status_messages(aws)[0]["status"] == "failed"


def test_an_oversized_source_fails_with_payload_too_large(aws, fanout, monkeypatch):
    monkeypatch.setenv("WORKSHOP_MAX_UPLOAD_BYTES", "1000")
    video_id = upload(aws, b"\0" * 1001)
    probe.handler(event("s3_object_created", BUCKET=aws.bucket, VIDEO_ID=video_id), LambdaContext())
    from serverless.functions.wiring import repo

    assert repo().get(video_id).error["code"] == "payload_too_large"
    assert "Contents" not in aws.client("s3").list_objects_v2(Bucket=aws.bucket, Prefix=source_key(video_id))


def test_the_upload_of_a_deleted_video_is_removed_not_revived(aws, fanout):
    aws.client("s3").put_object(Bucket=aws.bucket, Key="sources/v-gone", Body=b"late")
    out = probe.handler(event("s3_object_created", BUCKET=aws.bucket, VIDEO_ID="v-gone"), LambdaContext())
    assert out["outcomes"] == ["orphan"]
    assert "Contents" not in aws.client("s3").list_objects_v2(Bucket=aws.bucket, Prefix="sources/v-gone")


def kinesis_batch(views: dict[str, int], first_seq: int = 1) -> dict:
    records = []
    now = time.time()
    for video_id, count in views.items():
        for _ in range(count):
            data = base64.b64encode(json.dumps({"video_id": video_id, "at": now}).encode()).decode()
            seq = first_seq + len(records)
            records.append({"kinesis": {"data": data, "sequenceNumber": str(seq), "partitionKey": video_id},
                            "eventID": f"shardId-000000000000:{seq}", "eventSource": "aws:kinesis"})
    return {"Records": records}


def test_views_are_counted_once_per_batch_and_trend(aws):
    from serverless.functions.wiring import catalog

    a, b = (catalog().create(NewVideo(t)) for t in ("A", "B"))
    batch = kinesis_batch({a.id: 2, b.id: 3})
    assert analytics.handler(batch, LambdaContext())["views"] == 5
    analytics.handler(batch, LambdaContext())  # the same batch again (a retry): not counted twice
    trending = json.loads(get_trending.handler(event("api_list_videos"), LambdaContext())["body"])["items"]
    assert trending == [{"id": b.id, "title": "B", "views": 3}, {"id": a.id, "title": "A", "views": 2}]


def test_the_sample_kinesis_event_decodes(aws):
    data = {k: base64.b64encode(json.dumps({"video_id": v, "at": 1.0}).encode()).decode()
            for k, v in (("DATA_A1", "va"), ("DATA_A2", "va"), ("DATA_B1", "vb"))}
    records = event("kinesis_views", **data)["Records"]
    assert [e["video_id"] for e in analytics.decode(records)] == ["va", "va", "vb"]


@pytest.mark.parametrize("header,allowed", [(None, True), ("Bearer nope", False), ("", False)])
def test_authorizer_reports_its_decision_in_the_context(header, allowed):
    ev = event("authorizer_request", TOKEN=auth.make_token())
    if header is not None:
        ev["headers"]["authorization"] = header
    out = authorizer.handler(ev, LambdaContext())
    assert out["isAuthorized"] is True and out["context"]["authorized"] is allowed
    assert bool(out["context"]["reason"]) is not allowed


def test_dead_lettered_pipeline_events_fail_their_videos_with_a_reason(aws):
    from serverless.functions import pipeline_failures
    from serverless.functions.wiring import catalog, repo

    probed, rendered, done = (catalog().create(NewVideo(t)) for t in ("probed", "rendered", "done"))
    repo().save(repo().get(rendered.id).touch(status="processing"))
    repo().save(repo().get(done.id).touch(status="ready"))
    ev = event("sqs_pipeline_failures", PROBED_ID=probed.id, RENDERED_ID=rendered.id)
    assert pipeline_failures.handler(ev, LambdaContext()) == {"marked_failed": 2, "skipped": 1}  # one body is not JSON
    for video_id, error in ((probed.id, "Task timed out"), (rendered.id, "Runtime.ExitError")):
        video = repo().get(video_id)
        assert video.status == "failed" and video.error["code"] == "processing_failed"
        assert error in video.error["message"] and "dead-letter queue" in video.error["message"]
    assert sorted((m["id"], m["status"]) for m in status_messages(aws)) == sorted(
        [(probed.id, "failed"), (rendered.id, "failed")])
    redelivered = event("sqs_pipeline_failures", PROBED_ID=done.id, RENDERED_ID=rendered.id)
    assert pipeline_failures.handler(redelivered, LambdaContext())["marked_failed"] == 0  # settled: left alone
    assert repo().get(done.id).status == "ready"
