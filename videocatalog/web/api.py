"""The contract's public HTTP API as Flask blueprints over any catalog-like backend.

The backend is the local `Catalog` in the monolith, a client of the logic tier in the SOA, and a
router over services in the microservices gateway; the edge (auth, validation, URLs) stays the same.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, Flask, Response, current_app, jsonify, request

from videocatalog import auth, config
from videocatalog.errors import AppError
from videocatalog.model import Rendition, Video
from videocatalog.validation import encode_cursor, parse_json_object, parse_list_query, parse_new_video
from videocatalog.web.ui import register_ui
from videocatalog.web.wire import drain


def _backend() -> Any:
    return current_app.extensions["catalog"]


def _base_url() -> str:
    return request.host_url.rstrip("/")


def rendition_url(video: Video, rendition: Rendition) -> str:
    """The public URL that fetches a rendition's bytes."""
    return f"{_base_url()}/videos/{video.id}/renditions/{rendition.name}"


def video_json(video: Video) -> dict[str, Any]:
    """The contract's Video object with URLs for this edge."""
    return video.to_api(rendition_url)


health = Blueprint("health", __name__)
videos = Blueprint("videos", __name__)
trending = Blueprint("trending", __name__)
# Operations whose HTTP form is the same at the public edge and inside the SOA (no auth, no URLs in the
# answer): the SOA's logic tier serves this blueprint too, on its local Catalog.
common = Blueprint("common", __name__)


@health.get("/health")
def get_health():
    return {"status": "ok", "architecture": current_app.config["ARCHITECTURE"], "release": config.release()}


@videos.get("/videos")
def list_videos():
    page = _backend().list(parse_list_query(request.args))
    return {"items": [video_json(v) for v in page.items], "next_cursor": encode_cursor(page.next_after)}


@videos.post("/videos")
def create_video():
    auth.check_bearer(request.headers.get("Authorization"))
    new = parse_new_video(parse_json_object(request.get_data()))
    video = _backend().create(new)
    token, expires = auth.make_upload_token(video.id)
    body = video_json(video)
    body["upload"] = {
        "url": f"{_base_url()}/videos/{video.id}/upload?token={token}",
        "method": "PUT",
        "headers": {"Content-Type": "application/octet-stream"},
        "expires_at": datetime.fromtimestamp(expires, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "token": token,  # the URL's own token, for the contract's link from createVideo to uploadSource
    }
    return body, 201, {"Location": f"/videos/{video.id}"}


@videos.get("/videos/<video_id>")
def get_video(video_id: str):
    return video_json(_backend().get(video_id))


@videos.delete("/videos/<video_id>")
def delete_video(video_id: str):
    auth.check_bearer(request.headers.get("Authorization"))
    _backend().delete(video_id)
    return "", 204


@videos.put("/videos/<video_id>/upload")
def upload_source(video_id: str):
    try:
        auth.check_upload_token(request.args.get("token"), video_id)
        video = current_app.extensions["uploads"].accept_upload(video_id, request.stream, request.content_length)
    except AppError:
        # Read what the client is still sending (up to a bound), so it gets to read our error and the
        # kept-alive connection stays usable for its next request.
        drain(config.max_upload_bytes() + (1 << 20))
        raise
    return video_json(video), 200


@common.get("/videos/<video_id>/renditions/<name>")
def get_rendition(video_id: str, name: str):
    chunks, content_type = _backend().open_rendition(video_id, name)
    return Response(chunks, content_type=content_type)


@common.post("/videos/<video_id>/views")
def post_view(video_id: str):
    _backend().record_view(video_id)
    return {"status": "accepted"}, 202


@trending.get("/trending")
def get_trending():
    return jsonify({"items": _backend().trending()})


def register_api(app: Flask, backend: Any, architecture: str, uploads: Any = None) -> None:
    """Serve the contract on `app` from `backend`; `uploads` accepts sources (default: the backend itself)."""
    app.config["ARCHITECTURE"] = architecture
    app.extensions["catalog"] = backend
    app.extensions["uploads"] = backend if uploads is None else uploads
    for blueprint in (health, videos, common, trending):
        app.register_blueprint(blueprint)
    register_ui(app)  # the web page, under /ui/ (not a contract path)
