"""The SOA's logic tier: the core `Catalog` on the data tier's HTTP ports, behind an internal JSON API.

Records travel as `Video.to_record()`; URLs, auth and request validation belong to the presentation
tier. Views are named after the catalog operation, so `WORKSHOP_FAULT=error:get_video` works here too.
The transcoding worker runs in a thread of each gunicorn worker (see gunicorn.conf.py).
"""

from __future__ import annotations

from typing import IO, cast

from flask import Flask, current_app, request

from soa import settings
from soa.leases import HttpLeases
from videocatalog import config
from videocatalog.adapters.http_data import http_ports, page_json, parse_list_params
from videocatalog.adapters.http_peer import Peer
from videocatalog.errors import AppError
from videocatalog.service import Catalog, Uploads
from videocatalog.validation import parse_new_video
from videocatalog.web import install_error_handlers
from videocatalog.web.api import common
from videocatalog.web.faults import install_faults
from videocatalog.web.wire import body, drain, int_arg


def _catalog() -> Catalog:
    return current_app.extensions["catalog"]


def register_logic_api(app: Flask) -> None:
    """Serve the catalog operations on `app` (records as JSON, for the presentation tier only)."""
    app.register_blueprint(common)  # renditions and views: the same views as the public edge

    @app.get("/health")
    def health():
        return {"status": "ok", "tier": "logic", "release": config.release()}

    @app.get("/videos")
    def list_videos():
        return page_json(_catalog().list(parse_list_params(request.args)))

    @app.post("/videos")
    def create_video():
        return _catalog().create(parse_new_video(body())).to_record(), 201

    @app.get("/videos/<video_id>")
    def get_video(video_id: str):
        return _catalog().get(video_id).to_record()

    @app.delete("/videos/<video_id>")
    def delete_video(video_id: str):
        _catalog().delete(video_id)
        return "", 204

    @app.put("/videos/<video_id>/upload")
    def upload_source(video_id: str):
        declared = request.args.get("declared_bytes", type=int)
        try:
            uploads: Uploads = current_app.extensions["uploads"]
            return uploads.accept_upload(video_id, cast(IO[bytes], request.stream), declared).to_record()
        except AppError:
            drain()
            raise

    @app.get("/trending")
    def get_trending():
        return {"items": _catalog().trending(int_arg("limit", 1, 100, default=10))}


def create_app() -> Flask:
    """The logic tier's Flask app; needs SOA_DATA_URL."""
    app = Flask(__name__)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    data = Peer(settings.data_url(), name="data tier")
    # The upload leases live in the data tier, so one upload of a video proceeds across our processes.
    repo, blobs, jobs, views = http_ports(data)
    app.extensions["catalog"] = Catalog(repo, blobs, views)
    app.extensions["uploads"] = Uploads(repo, blobs, jobs, HttpLeases(data))
    install_error_handlers(app)
    install_faults(app)
    register_logic_api(app)
    return app
