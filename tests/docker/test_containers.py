"""Build the fixture image offline, run it on the host network, and leave nothing behind."""

import socket
import uuid
from pathlib import Path

import pytest
import requests

from workshop.runtime import containers

FIXTURE = Path(__file__).parent / "fixture"
TAG = "workshop-test/fixture:latest"

pytestmark = [
    pytest.mark.docker,
    pytest.mark.slow,
    pytest.mark.skipif(not containers.engine_available(),
                       reason="no Docker engine reachable (as root: bash scripts/docker-engine.sh)"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def arch():
    """A label value of this test's own, so only its containers are found and removed."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    containers.stop_and_remove(f"workshop.arch={name}")


@pytest.fixture(scope="module")
def image():
    wheelhouse = containers.build_wheelhouse([FIXTURE / "requirements.txt"])
    return containers.build_image(FIXTURE, TAG, containers.default_base_image(), wheelhouse)


def test_build_keeps_its_stage_tagged_and_leaves_no_dangling_images(image):
    assert image.tag == TAG and image.size_bytes == containers.image_size(TAG) > 10_000_000
    engine = containers.client()
    assert engine.images.get(f"{TAG}-build").labels["workshop"] == "1"
    # An image a container still runs cannot be pruned (another suite's stack may be up): only the rest count.
    in_use = {c.attrs["Image"] for c in engine.containers.list(all=True)}
    dangling = engine.images.list(filters={"dangling": True, "label": "workshop=1"})
    assert [i for i in dangling if i.id not in in_use] == []


def test_build_run_get_and_remove(image, arch):
    port = free_port()
    container = containers.run_container(TAG, f"ws-{arch}", {"PORT": str(port), "GREETING": arch}, arch=arch)
    healthy_s = containers.wait_healthy(f"http://127.0.0.1:{port}/health", 30, container)
    assert 0 < healthy_s < 30
    body = requests.get(f"http://127.0.0.1:{port}/health", timeout=5).json()
    assert body == {"status": "ok", "greeting": arch}
    assert containers.stop_and_remove(f"workshop.arch={arch}") == 1
    left = containers.client().containers.list(all=True, filters={"label": f"workshop.arch={arch}"})
    assert left == []
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/health", timeout=2)


def test_core_package_is_installed_in_the_image(image, arch):
    code = "import videocatalog.model, sys; print(videocatalog.model.__file__, sys.version_info[:2])"
    container = containers.run_container(TAG, f"ws-{arch}", command=["python", "-c", code], arch=arch)
    assert container.wait(timeout=30)["StatusCode"] == 0
    out = container.logs().decode()
    assert "/opt/venv/lib/python3.11/site-packages/videocatalog/model.py" in out


def test_wait_healthy_reports_a_container_that_exits(image, arch):
    container = containers.run_container(TAG, f"ws-{arch}", command=["python", "-c", "raise SystemExit(3)"],
                                         arch=arch)
    with pytest.raises(RuntimeError, match="exited before healthy"):
        containers.wait_healthy(f"http://127.0.0.1:{free_port()}/health", 30, container)

