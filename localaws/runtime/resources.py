"""The CPU, memory and /tmp an execution environment gets, as AWS sizes them, and how they are enforced here."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from localaws.runtime.cgroups import EnvironmentCgroup

MB_PER_VCPU = 1769  # AWS: 1,769 MB is the equivalent of one vCPU, linear in memory
MAX_VCPU = 6.0  # at 10,240 MB
INIT_BOOST_VCPU = 2.0  # measured: INIT runs on two unthrottled vCPUs up to 3,008 MB (see localaws/README.md)


def aws_vcpus(memory_mb: int) -> float:
    """The vCPUs AWS gives a function of this memory size."""
    return min(memory_mb / MB_PER_VCPU, MAX_VCPU)


def host_cores() -> int:
    """CPUs this process may run on."""
    return len(os.sched_getaffinity(0))


def init_vcpus(memory_mb: int, setting: str) -> float:
    """The vCPUs of the INIT phase: 'boost' (measured) or 'memory' (the same share as the invoke phase)."""
    share = aws_vcpus(memory_mb)
    return max(share, INIT_BOOST_VCPU) if setting == "boost" else share


class EnvironmentResources:
    """One environment's CPU quota and memory limit (cgroup) and its sized /tmp (tmpfs)."""

    def __init__(self, env_id: str, memory_mb: int, ephemeral_mb: int, tmp: Path) -> None:
        self.cgroup = EnvironmentCgroup(env_id, memory_mb)
        self.memory_mb, self.ephemeral_mb, self.tmp = memory_mb, ephemeral_mb, tmp
        self.vcpu_aws = aws_vcpus(memory_mb)
        self.vcpu = min(self.vcpu_aws, host_cores())
        self.tmp_sized = False

    def setup(self, init_cpu: str) -> None:
        """Make the cgroup at the INIT phase's CPU share and mount the sized /tmp, where the platform may."""
        if self.cgroup.enabled:
            self.cgroup.create(min(init_vcpus(self.memory_mb, init_cpu), host_cores()))
        self.tmp_sized = _mount_tmp(self.tmp, self.ephemeral_mb)

    def after_init(self) -> None:
        """Drop to the invoke phase's CPU share."""
        if self.cgroup.enabled:
            self.cgroup.set_cpu(self.vcpu)

    def wrap(self, command: list[str]) -> list[str]:
        """The runtime command, started inside the cgroup."""
        return self.cgroup.wrap(command)

    @property
    def scaled_vcpu(self) -> float | None:
        """The CPU share the kernel enforces, or None when CPU is not scaled."""
        return round(self.vcpu, 3) if self.cgroup.enabled else None

    def note(self) -> str:
        """How this environment's CPU relates to AWS's, in words for records and reports."""
        if not self.cgroup.enabled:
            return "CPU not scaled"
        text = f"{self.vcpu:.3f} vCPU ({self.cgroup.kind})"
        if self.vcpu < self.vcpu_aws:
            text += f", capped at {host_cores()} host cores (AWS: {self.vcpu_aws:.2f} vCPU)"
        return text

    def oom_killed(self) -> bool:
        """True when the kernel killed a process of this environment for going over MemorySize."""
        return self.cgroup.oom_kills() > 0

    def teardown(self) -> None:
        """Unmount /tmp (its loop device detaches with it) and delete the cgroup, after the processes are dead."""
        if self.tmp_sized:
            _run("umount", "-l", str(self.tmp))
            self.tmp_sized = False
        self.cgroup.remove()


def _mount_tmp(path: Path, size_mb: int) -> bool:
    """Mount a file system of size_mb at path so writes past it fail with ENOSPC; False where not permitted.

    'loop' (default): ext4 in a sparse image on a loop device, disk-backed like AWS's /tmp, so its pages are
    reclaimable and do not push the function over MemorySize; 'tmpfs': RAM-backed, its pages count toward
    the environment's memory cgroup (unlike AWS); 'off': a plain directory, checked after each call.
    """
    mode = os.environ.get("WORKSHOP_LAMBDA_TMP", "loop")
    if os.geteuid() != 0 or mode == "off":
        return False
    if mode == "tmpfs":
        return _run("mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=1777", "tmpfs", str(path))
    image = path.with_name("tmp.img")
    with image.open("wb") as fh:
        fh.truncate(size_mb * 1024 * 1024)  # sparse: costs disk only as the function writes
    if not (_run("mkfs.ext4", "-q", "-F", "-m", "0", "-O", "^has_journal", "-E", "nodiscard", str(image))
            and _run("mount", "-o", "loop,nosuid,nodev", str(image), str(path))):
        return False
    path.chmod(0o1777)
    return True


def _run(*command: str) -> bool:
    try:
        return subprocess.run(command, capture_output=True, check=False, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False
