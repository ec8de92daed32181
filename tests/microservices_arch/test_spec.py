"""compose.yaml as the harness reads it: interpolation, start order, the process backend's paths."""

from __future__ import annotations

import pytest

from workshop.archs.microservices import spec as ms_spec


@pytest.fixture(autouse=True)
def default_ports(monkeypatch):
    for name in ("GATEWAY", "CATALOG", "UPLOAD", "TRANSCODE", "ANALYTICS"):
        monkeypatch.delenv(f"WORKSHOP_MS_{name}_PORT", raising=False)
    monkeypatch.delenv("WORKSHOP_JWT_SECRET", raising=False)


def test_interpolation_prefers_given_values_then_environment_then_default(monkeypatch):
    monkeypatch.setenv("MS_TEST_B", "from-env")
    monkeypatch.delenv("MS_TEST_C", raising=False)
    text = ["${MS_TEST_A:-x}", "${MS_TEST_B:-y}", "${MS_TEST_C:-z}", "${MS_TEST_C}", "{not_a_var}"]
    assert ms_spec.interpolate(text, {"MS_TEST_A": "given"}) == ["given", "from-env", "z", "", "{not_a_var}"]


def test_services_start_after_their_dependencies_with_ports_and_required_peers():
    services, settings = ms_spec.load({"WORKSHOP_STATE_DIR": "/state"})
    order = list(services)
    for name, service in services.items():
        assert all(order.index(dep) < order.index(name) for dep in service.depends_on)
    assert {s.name: s.port for s in services.values()} == {
        "catalog": 8022, "analytics": 8025, "upload": 8023, "transcode": 8024, "gateway": 8021}
    assert settings["gateway"] == "gateway" and int(settings["max_receives"]) >= 1
    assert services["gateway"].env["CATALOG_URL"] == "http://127.0.0.1:8022"
    assert "WORKSHOP_JWT_SECRET" not in services["gateway"].env  # empty: the service's own default applies


def test_every_port_comes_from_its_variable_so_up_can_move_it():
    services, _ = ms_spec.load({ms_spec.port_variable(name): str(9000 + i) for i, name in enumerate(
        ("gateway", "catalog", "upload", "transcode", "analytics"))})
    assert [services[n].port for n in ("gateway", "catalog", "upload", "transcode", "analytics")] == [
        9000, 9001, 9002, 9003, 9004]
    assert services["gateway"].env["CATALOG_URL"] == "http://127.0.0.1:9001"
    assert services["transcode"].env["UPLOAD_URL"] == "http://127.0.0.1:9002"


def test_process_backend_maps_container_paths_to_the_state_folder():
    services, _ = ms_spec.load({"WORKSHOP_STATE_DIR": "/state"})
    assert services["catalog"].env["DATA_DIR"] == "/data"
    assert services["catalog"].process_env()["DATA_DIR"] == "/state/microservices/catalog"
