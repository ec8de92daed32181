"""The web page's files and how the Flask edges serve them under /ui/ (without shadowing a contract path)."""

from __future__ import annotations

import re

import pytest

from monolith.app import create_app
from serverless.deploy.website import config_js
from videocatalog.web.ui import WEBUI_DIR


@pytest.fixture
def client(tmp_path):
    return create_app(str(tmp_path)).test_client()


def test_index_and_assets_are_served_under_ui(client):
    page = client.get("/ui/")
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert b"<title>Video catalog</title>" in page.data
    for name in re.findall(r'(?:src|href)="([\w.-]+\.(?:js|css))"', page.get_data(as_text=True)):
        asset = client.get(f"/ui/{name}")
        assert asset.status_code == 200 and asset.data == (WEBUI_DIR / name).read_bytes(), name
    assert client.get("/ui").headers["Location"].endswith("/ui/")


@pytest.mark.parametrize("path", ["/", "/ui/nope.js", "/ui/../openapi.yaml", "/ui/%2e%2e/openapi.yaml",
                                  "/ui/..%2fopenapi.yaml"])
def test_anything_else_stays_a_json_404(client, path):
    resp = client.get(path)
    assert resp.status_code == 404 and resp.json["error"]["code"] == "not_found"


def test_other_methods_on_the_page_are_json_405(client):
    resp = client.post("/ui/")
    assert resp.status_code == 405 and "error" in resp.json


def test_every_file_the_page_loads_is_in_the_package():
    html = (WEBUI_DIR / "index.html").read_text()
    loaded = set(re.findall(r'(?:src|href)="([\w.-]+)"', html))
    assert loaded == {"style.css", "config.js", "api.js", "app.js"}
    assert all((WEBUI_DIR / name).is_file() for name in loaded)


def test_the_default_config_means_same_origin_and_the_deploy_names_the_api():
    assert 'window.CATALOG_CONFIG = {api: ""};' in (WEBUI_DIR / "config.js").read_text()
    assert config_js("http://127.0.0.1:4566/_aws/execute-api/abc/prod") == (
        b'window.CATALOG_CONFIG = {"api": "http://127.0.0.1:4566/_aws/execute-api/abc/prod"};\n')
