"""The Kubernetes manifests of `workshop k8s`: valid against the API schemas (offline), and true to compose.yaml.

No cluster runs here: kubernetes-validate checks each object against the JSON schemas of the Kubernetes
API that ship inside the package (strict: an unknown field is an error).
"""

from __future__ import annotations

import json

import kubernetes_validate
import pytest
import yaml

from videocatalog.web import serve
from workshop.archs.microservices import k8s
from workshop.archs.microservices import spec as ms_spec
from workshop.cli import main as cli

K8S_VERSIONS = ("1.30.0", kubernetes_validate.latest_version())


def by_kind(docs: list[dict], kind: str) -> dict[str, dict]:
    return {d["metadata"]["name"]: d for d in docs if d["kind"] == kind}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("k8s")
    assert cli.main(["k8s", "--out", str(out), "--release", "v3"]) == 0
    return [doc for path in sorted(out.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text())]


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_every_written_object_validates_strictly_against_the_api_schemas(written, version):
    assert len(written) >= 15
    for doc in written:
        kubernetes_validate.validate(doc, version, strict=True)


def test_the_validator_rejects_a_misspelt_field(written):
    broken = json.loads(json.dumps(by_kind(written, "Deployment")["catalog"]))
    container = broken["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbe"]["httpGet"]["prot"] = container["readinessProbe"]["httpGet"].pop("port")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSIONS[-1], strict=True)


def test_each_compose_service_is_a_deployment_and_a_service_on_its_port_with_probes(written):
    services, settings = ms_spec.load(environ={})
    deployments, svcs = by_kind(written, "Deployment"), by_kind(written, "Service")
    for name, svc in services.items():
        pod = deployments[name]["spec"]["template"]["spec"]
        container = pod["containers"][0]
        assert container["image"] == f"{svc.image}:v3" and container["command"] == svc.command
        assert svcs[name]["spec"]["ports"][0]["port"] == svc.port == container["ports"][0]["containerPort"]
        for probe in ("readinessProbe", "livenessProbe"):
            assert container[probe]["httpGet"] == {"path": "/health", "port": svc.port}
        assert container["livenessProbe"]["initialDelaySeconds"] == 10  # compose's start_period
        assert container["resources"]["requests"]["cpu"].endswith("m")
        assert deployments[name]["spec"]["strategy"]["rollingUpdate"] == {"maxSurge": 1, "maxUnavailable": 0}
        assert pod["terminationGracePeriodSeconds"] == int(svc.stop_grace_s)
        assert {"name": "WORKSHOP_RELEASE", "value": "v3"} in container["env"]
    assert "replicas" not in deployments["transcode"]["spec"]  # the HPA owns it
    assert by_kind(written, "HorizontalPodAutoscaler")["transcode"]["spec"]["scaleTargetRef"]["name"] == "transcode"
    assert set(by_kind(written, "PersistentVolumeClaim")) == {"catalog-data", "analytics-data", "upload-data"}


def test_peer_addresses_are_service_names_in_the_configmap_and_loopback_is_gone(written):
    peers = by_kind(written, "ConfigMap")[k8s.CONFIGMAP]["data"]
    svcs = {name: d["spec"]["ports"][0]["port"] for name, d in by_kind(written, "Service").items()}
    assert peers["CATALOG_URL"] == f"http://catalog:{svcs['catalog']}"
    assert peers["AWS_ENDPOINT_URL"] == f"http://localaws:{svcs['localaws']}"
    assert peers["TRANSCODE_QUEUE_URL"].startswith(peers["AWS_ENDPOINT_URL"] + "/")
    assert peers["WORKSHOP_BIND_HOST"] == "0.0.0.0"
    assert "127.0.0.1" not in yaml.safe_dump_all(written).replace("127.0.0.1:{os.environ", "")
    gateway = by_kind(written, "Deployment")["gateway"]["spec"]["template"]["spec"]["containers"][0]
    refs = {e["name"] for e in gateway["env"] if "valueFrom" in e}
    assert refs == {"CATALOG_URL", "UPLOAD_URL", "ANALYTICS_URL", "WORKSHOP_BIND_HOST"}


def test_the_queue_users_create_the_queues_before_they_start(written):
    deployments = by_kind(written, "Deployment")
    for name in ("upload", "transcode"):
        init = deployments[name]["spec"]["template"]["spec"]["initContainers"][0]
        assert "ensure_queues" in init["command"][-1] and init["envFrom"][0]["configMapRef"]["name"] == k8s.CONFIGMAP
    assert "initContainers" not in deployments["catalog"]["spec"]["template"]["spec"]


def test_this_shells_settings_do_not_leak_into_the_manifests(monkeypatch):
    before = k8s.manifests()
    monkeypatch.setenv("WORKSHOP_MS_CATALOG_PORT", "9999")
    monkeypatch.setenv("WORKSHOP_JWT_SECRET", "a-secret-of-this-machine")
    assert k8s.manifests() == before


def test_services_bind_loopback_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv("WORKSHOP_BIND_HOST", raising=False)
    assert serve.gunicorn_options(8000)["bind"] == ["127.0.0.1:8000"]
    monkeypatch.setenv("WORKSHOP_BIND_HOST", "0.0.0.0")
    assert serve.gunicorn_options(8000)["bind"] == ["0.0.0.0:8000"]
