"""Responses match the schemas of the OpenAPI document (videocatalog/openapi.yaml) itself."""

from __future__ import annotations

from pathlib import Path

import openapi_schema_validator as oas
import pytest
import yaml
from contractlib import SMALL_UPLOAD_LIMIT, bearer, unique, wait_settled

import videocatalog

SPEC = yaml.safe_load((Path(videocatalog.__file__).parent / "openapi.yaml").read_text())


def check(instance, schema_name: str) -> None:
    """Validate `instance` against components/schemas/`schema_name` of the contract."""
    schema = {"components": SPEC["components"], "$ref": f"#/components/schemas/{schema_name}"}
    oas.validate(instance, schema, cls=oas.OAS30Validator)


def test_reads_match_their_schemas(api):
    video = api.create(title=unique("Schema"), description="d", tags=[unique("schema")])
    check(video, "CreatedVideo")
    check(api.video(video["id"]), "Video")
    check(api.list(limit=5), "VideoList")
    check(api.get("/health").json(), "Health")
    api.request("POST", f"/videos/{video['id']}/views")
    check(api.get("/trending").json(), "Trending")


def test_errors_match_the_error_schema(api, media):
    video = api.create()
    responses = [
        api.request("POST", "/videos", json={"title": ""}, headers=bearer()),
        api.request("POST", "/videos", json={"title": "x"}),
        api.get("/videos/no-such-video"),
        api.get("/videos", params={"limit": 0}),
        api.upload(video, b"\0" * (SMALL_UPLOAD_LIMIT + 1)),
    ]
    assert api.upload(video, media.bytes("tiny")).status_code in (200, 204)
    responses.append(api.upload(video, media.bytes("tiny")))
    assert [r.status_code for r in responses] == [400, 401, 404, 400, 413, 409]
    for resp in responses:
        check(resp.json(), "Error")


@pytest.mark.slow
def test_settled_videos_match_the_video_schema(api, cascade):
    for clip in cascade.values():
        check(wait_settled(api, clip["id"]), "Video")
