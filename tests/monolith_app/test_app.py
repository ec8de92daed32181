"""The monolith's app through Flask's test client, transcoding run in-process."""

from urllib.parse import urlsplit

from monolith.app import build_unit, release_interrupted_uploads
from videocatalog import config, pipeline, testmedia
from videocatalog.adapters.leases import SqliteLeases
from videocatalog.adapters.sqlite import Database
from videocatalog.transcode import FfmpegTranscoder


def _create(client, auth_header, **body):
    resp = client.post("/videos", json={"title": "Clip", **body}, headers=auth_header)
    assert resp.status_code == 201, resp.json
    return resp.json


def _upload(client, video, data):
    url = urlsplit(video["upload"]["url"])
    return client.put(f"{url.path}?{url.query}", data=data, headers=video["upload"]["headers"])


def test_health_names_the_architecture(client):
    assert client.get("/health").json == {"status": "ok", "architecture": "monolith", "release": "v1"}


def test_writes_need_a_token(client):
    resp = client.post("/videos", json={"title": "x"})
    assert resp.status_code == 401 and resp.json["error"]["code"] == "unauthorized"


def test_errors_are_json_everywhere(client, auth_header):
    assert client.get("/nowhere").json["error"]["code"] == "not_found"
    assert client.patch("/videos").json["error"]["code"] == "validation_error"
    resp = client.post("/videos", data="not json", headers=auth_header)
    assert resp.status_code == 400 and resp.json["error"]["field"] == "body"


def test_upload_then_transcode_to_ready(client, auth_header, tmp_path):
    video = _create(client, auth_header, tags=["demo"])
    clip = testmedia.make_clip(tmp_path / "in.mp4", 640, 360, 1, audio=False)
    assert _upload(client, video, clip.read_bytes()).status_code == 200
    assert _upload(client, video, b"again").json["error"]["code"] == "conflict"
    unit = build_unit(config.state_dir() / "monolith")
    assert pipeline.work_once(unit.repo, unit.blobs, unit.jobs, FfmpegTranscoder())
    done = client.get(f"/videos/{video['id']}").json
    assert done["status"] == "ready", done
    by_name = {r["name"]: r for r in done["renditions"]}
    assert by_name["audio"]["status"] == "skipped" and by_name["audio"]["reason"] == "no_audio"
    assert by_name["480p"]["reason"] == "no_upscale"
    thumb = client.get(urlsplit(by_name["thumbnail"]["url"]).path)
    assert thumb.status_code == 200 and thumb.data[:2] == b"\xff\xd8"


def test_not_video_fails_with_unsupported_media(client, auth_header, tmp_path):
    video = _create(client, auth_header)
    _upload(client, video, testmedia.not_video(tmp_path / "x.bin").read_bytes())
    unit = build_unit(config.state_dir() / "monolith")
    pipeline.work_once(unit.repo, unit.blobs, unit.jobs, FfmpegTranscoder())
    done = client.get(f"/videos/{video['id']}").json
    assert done["status"] == "failed" and done["error"]["code"] == "unsupported_media"
    assert done["renditions"] == []


def test_oversized_upload_is_refused_and_changes_nothing(client, auth_header):
    video = _create(client, auth_header)
    resp = _upload(client, video, b"x" * (2 * 1024 * 1024 + 1))
    assert resp.status_code == 413 and resp.json["error"]["code"] == "payload_too_large"
    assert client.get(f"/videos/{video['id']}").json["status"] == "awaiting_upload"


def test_injected_fault_hits_only_its_endpoint(monkeypatch, tmp_path):
    from monolith.app import create_app

    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("WORKSHOP_FAULT", "error:list_videos")
    client = create_app().test_client()
    assert client.get("/videos").status_code == 500
    assert client.get("/health").status_code == 200


def test_an_upload_interrupted_by_a_stop_can_be_retried_after_the_restart(client, auth_header):
    video = _create(client, auth_header)
    db = Database(config.state_dir() / "monolith" / "catalog.db")
    assert SqliteLeases(db).acquire(f"upload:{video['id']}", "a worker that died", 300)  # left by the stop
    assert _upload(client, video, b"retry").json["error"]["code"] == "conflict"
    assert release_interrupted_uploads() == 1  # what gunicorn's on_starting runs
    assert _upload(client, video, b"retry").status_code == 200
