"""The cgroup v2 path, written into a stand-in hierarchy (this machine and CI mount v1 controllers)."""

from __future__ import annotations

import pytest

from localaws.runtime import cgroups


@pytest.fixture
def v2_root(tmp_path, monkeypatch):
    (tmp_path / "cgroup.controllers").write_text("cpuset cpu io memory pids\n")
    (tmp_path / "cgroup.subtree_control").write_text("\n")
    (tmp_path / "localaws").mkdir()  # the kernel gives every new group its control files; the stand-in cannot
    (tmp_path / "localaws" / "cgroup.subtree_control").write_text("\n")
    monkeypatch.setattr(cgroups, "ROOT", tmp_path)
    monkeypatch.setattr(cgroups, "_own_path", lambda controller: "")  # the platform at the hierarchy's root
    cgroups.mechanism.cache_clear()
    yield tmp_path
    cgroups.mechanism.cache_clear()


def test_v2_group_gets_memory_max_cpu_max_and_the_shell_joins_it(v2_root):
    assert cgroups.mechanism() == ("cgroup v2", [v2_root / "localaws"])
    for group in (v2_root, v2_root / "localaws"):  # the controllers enabled down to the platform's group
        assert (group / "cgroup.subtree_control").read_text() == "+cpu +memory"
    group = cgroups.EnvironmentCgroup("env1", 256)
    group.create(256 / 1769)
    path = v2_root / "localaws" / "env1"
    assert (path / "memory.max").read_text() == str(256 * 1024 * 1024)
    assert (path / "cpu.max").read_text() == f"{int(256 / 1769 * 100_000)} 100000"
    assert group.wrap(["python"])[:2] == ["/bin/sh", "-c"] and str(path / "cgroup.procs") in group.wrap(["x"])[2]
    (path / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert group.oom_kills() == 1
