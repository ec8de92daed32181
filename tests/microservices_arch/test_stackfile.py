"""The Swarm stack file derived from compose.yaml, and the per-task probe its health check reads (no engine)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import yaml

from videocatalog.web import serve
from workshop.archs.microservices import spec as ms_spec
from workshop.archs.microservices import stackfile

VARIABLES = {"WORKSHOP_STATE_DIR": "/srv/state", "WORKSHOP_MS_CATALOG_PORT": "9122", "WORKSHOP_LOCALAWS_PORT": "9567"}


@pytest.fixture
def stack(monkeypatch) -> dict:
    monkeypatch.delenv("WORKSHOP_SWARM_HEALTH_INTERVAL", raising=False)
    monkeypatch.delenv("WORKSHOP_SWARM_UPDATE_MONITOR", raising=False)
    monkeypatch.delenv("WORKSHOP_SWARM_RESERVE", raising=False)
    services, _ = ms_spec.load(VARIABLES, environ={})
    compose = ms_spec.read(VARIABLES, environ={})
    releases = {name: "v1" for name in services} | {"catalog": "v2-bad"}
    data = stackfile.stack(services, compose, releases, {"catalog": {"WORKSHOP_FAULT": "unhealthy:get_video"}},
                           {"transcode": 3}, "abcd1234")
    return yaml.safe_load(stackfile.dump(data))  # what `docker stack deploy` reads


def test_every_service_runs_its_release_image_on_the_host_network(stack):
    assert set(stack["services"]) == {"catalog", "analytics", "upload", "transcode", "gateway"}
    assert stack["networks"] == {"hostnet": {"external": True, "name": "host"}}
    for name, service in stack["services"].items():
        assert service["networks"] == ["hostnet"] and "network_mode" not in service
        assert service["image"] == f"workshop/ms-{name}:{'v2-bad' if name == 'catalog' else 'v1'}-abcd1234"
        assert "build" not in service and service["init"] is True
        assert service["labels"]["workshop.state"] == "abcd1234"


def test_the_environment_is_compose_s_resolved_plus_release_fault_and_probe_file(stack):
    catalog, upload = stack["services"]["catalog"]["environment"], stack["services"]["upload"]["environment"]
    assert catalog["PORT"] == "9122" and catalog["DATA_DIR"] == "/data"
    assert catalog["WORKSHOP_RELEASE"] == "v2-bad" and catalog["WORKSHOP_FAULT"] == "unhealthy:get_video"
    assert upload["WORKSHOP_FAULT"] == "" and upload["CATALOG_URL"] == "http://127.0.0.1:9122"
    assert upload["AWS_ENDPOINT_URL"] == "http://127.0.0.1:9567"
    assert all(s["environment"]["WORKSHOP_PROBE_PORT_FILE"] == stackfile.PROBE_PORT_FILE
               for s in stack["services"].values())
    assert stack["services"]["catalog"]["volumes"] == [
        {"type": "bind", "source": "/srv/state/microservices/catalog", "target": "/data"}]


def test_rollout_is_start_first_one_at_a_time_and_rolled_back_by_swarm(stack, monkeypatch):
    deploy = stack["services"]["catalog"]["deploy"]
    assert deploy["update_config"] == {"parallelism": 1, "order": "start-first", "monitor": "10s", "delay": "0s",
                                       "failure_action": "rollback", "max_failure_ratio": 0}
    assert deploy["rollback_config"]["order"] == "start-first"
    assert deploy["restart_policy"]["condition"] == "any"
    assert deploy["resources"] == {"reservations": {"cpus": "0.1", "memory": "128M"}, "limits": {"memory": "512M"}}
    monkeypatch.setenv("WORKSHOP_SWARM_RESERVE", "0")
    assert stackfile.deploy_section({"resources": {"reservations": {"cpus": "1"}, "limits": {"memory": "1G"}}},
                                    1)["resources"] == {"limits": {"memory": "1G"}}
    assert deploy["replicas"] == 1 and stack["services"]["transcode"]["deploy"]["replicas"] == 3
    assert stack["services"]["transcode"]["stop_grace_period"] == "60s"


def test_the_health_check_keeps_compose_s_timings_and_probes_the_task_itself(stack, monkeypatch):
    check = stack["services"]["gateway"]["healthcheck"]
    assert check["test"][:4] == ["CMD", "python", "-S", "-c"] and stackfile.PROBE_PORT_FILE in check["test"][4]
    # compose's timings; the timeout has a floor, so a probe that is merely slow on a busy machine passes
    assert (check["interval"], check["timeout"], check["retries"], check["start_period"]) == ("5s", "10s", 3, "10s")
    monkeypatch.setenv("WORKSHOP_SWARM_HEALTH_INTERVAL", "1s")
    assert stackfile.healthcheck({"interval": "5s", "retries": 3})["interval"] == "1s"


def test_the_stack_name_differs_per_state_folder():
    assert stackfile.stack_name("abcd1234") != stackfile.stack_name("abcd1235")


def _answering(status: int) -> HTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(status if self.path == "/health" else 404)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.mark.parametrize("status, healthy", [(200, True), (500, False)])
def test_the_probe_script_passes_only_on_200_from_the_port_in_the_file(tmp_path, status, healthy):
    server, port_file = _answering(status), tmp_path / "probe-port"
    try:
        port_file.write_text(str(server.server_address[1]))
        script = stackfile.PROBE_SCRIPT.replace(stackfile.PROBE_PORT_FILE, str(port_file))
        assert (subprocess.run([sys.executable, "-S", "-c", script], capture_output=True, timeout=30).returncode == 0) \
            is healthy
    finally:
        server.shutdown()
        server.server_close()


def test_a_service_binds_a_kernel_chosen_probe_port_and_writes_it(tmp_path, monkeypatch):
    port_file = tmp_path / "probe-port"
    monkeypatch.setenv("WORKSHOP_PROBE_PORT_FILE", str(port_file))
    binds = serve.gunicorn_options(0)["bind"]
    fds = [int(b.removeprefix("fd://")) for b in binds]
    try:
        assert len(fds) == 2 and all(b.startswith("fd://") for b in binds)
        probe = socket.socket(fileno=os.dup(fds[1]))
        assert probe.getsockname() == ("127.0.0.1", int(port_file.read_text()))
        probe.close()
    finally:
        for fd in fds:
            os.close(fd)
