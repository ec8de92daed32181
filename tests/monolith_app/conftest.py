"""The flaskr-style `app` and `client` fixtures for the monolith, on a temporary data folder."""

import pytest

from monolith.app import create_app
from videocatalog.auth import make_token


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_STATE_DIR", str(tmp_path))
    monkeypatch.setenv("WORKSHOP_MAX_UPLOAD_BYTES", str(2 * 1024 * 1024))
    return create_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth_header():
    return {"Authorization": f"Bearer {make_token()}"}
