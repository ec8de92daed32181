"""The host side of image builds: wheelhouse cache, core wheel, build context (no engine needed)."""

import shutil
import subprocess
import sys
import zipfile

import pytest

from workshop.runtime import containers
from workshop.runtime import images as containers_build


def test_engine_unavailable_is_false_quickly(monkeypatch, tmp_path):
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-such.sock")
    assert containers.engine_available(timeout=1) is False


def test_wheelhouse_is_cached_by_requirement_content(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("# nothing pinned yet\n")
    first = containers.build_wheelhouse([req], tmp_path / "cache")
    assert (first / ".complete").exists() and containers.build_wheelhouse([req], tmp_path / "cache") == first
    req.write_text("# changed\n")
    assert containers.build_wheelhouse([req], tmp_path / "cache") != first


def test_core_wheel_installs_and_imports(tmp_path):
    wheel = containers.core_wheel(tmp_path)
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "videocatalog/model.py" in names and not any("__pycache__" in n for n in names)
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-index",
                    "--target", str(target), str(wheel)], check=True)
    # -S and cwd: neither the editable install nor the checkout may shadow the wheel.
    out = subprocess.run([sys.executable, "-S", "-c", "import videocatalog.model as m; print(m.__file__)"],
                         env={"PYTHONPATH": str(target)}, cwd=tmp_path, capture_output=True, text=True,
                         check=True)
    assert out.stdout.startswith(str(target))


def test_core_wheel_is_byte_identical_when_unchanged(tmp_path):
    first = containers.core_wheel(tmp_path / "a").read_bytes()
    assert containers.core_wheel(tmp_path / "b").read_bytes() == first


def test_context_gets_wheels_and_rejects_a_wheels_folder(tmp_path):
    service = tmp_path / "svc"
    (service / "wheels").mkdir(parents=True)
    with pytest.raises(ValueError):
        containers_build.make_context(service, tmp_path, None)
    (service / "wheels").rmdir()
    (service / "Dockerfile").write_text("FROM scratch\n")
    house = tmp_path / "house"
    house.mkdir()
    (house / "x-1-py3-none-any.whl").write_bytes(b"x")
    (house / ".complete").write_text("")
    core = containers.core_wheel(tmp_path / "core")
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "util.py").write_text("X = 1\n")
    ctx = containers_build.make_context(service, house, core, extra={"common": tmp_path / "shared"})
    try:
        assert (ctx / "common" / "util.py").read_text() == "X = 1\n"
        names = sorted(p.name for p in (ctx / "wheels").iterdir())
        assert names == sorted([core.name, "x-1-py3-none-any.whl"])
        assert (ctx / "Dockerfile").read_text() == "FROM scratch\n"
    finally:
        shutil.rmtree(ctx)


def test_wait_healthy_refuses_non_loopback_urls():
    with pytest.raises(ValueError):
        containers.wait_healthy("http://example.invalid/health", 1)


def test_stage_names_reads_named_stages(tmp_path):
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text("ARG BASE_IMAGE=x\nFROM $BASE_IMAGE AS build\nRUN true\nfrom $BASE_IMAGE as Tools\n"
                          "FROM $BASE_IMAGE\n")
    assert containers_build.stage_names(dockerfile) == ["build", "Tools"]
