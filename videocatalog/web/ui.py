"""The catalog's web page (`videocatalog/webui/`) served under `/ui/`, a path the contract does not use.

The page is static and talks only to the contract's API, so every Flask edge (monolith, SOA presentation
tier, microservices gateway) serves the same files; serverless puts them in an S3 website bucket instead.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Flask, redirect, send_from_directory

WEBUI_DIR = Path(__file__).resolve().parent.parent / "webui"
PAGE_PATH = "/ui/"

ui = Blueprint("ui", __name__)


@ui.get("/ui")
def ui_root():
    return redirect(PAGE_PATH, code=301)  # the page's relative links need the trailing slash


@ui.get(PAGE_PATH, defaults={"name": "index.html"})
@ui.get(f"{PAGE_PATH}<path:name>")
def ui_file(name: str):
    # send_from_directory refuses paths outside the folder (404, as JSON through the error handlers).
    return send_from_directory(WEBUI_DIR, name, max_age=60)


def register_ui(app: Flask) -> None:
    """Serve the web page on `app` under /ui/."""
    app.register_blueprint(ui)
