"""CPU and memory limits of one execution environment, enforced by the kernel's cgroups (v2 or v1)."""

from __future__ import annotations

import functools
import os
import shlex
import signal
import time
from pathlib import Path

ROOT = Path(os.environ.get("WORKSHOP_CGROUP_ROOT", "/sys/fs/cgroup"))
PERIOD_US = 100_000
GROUP = "localaws"  # made under the platform's own cgroup, so an outer limit still holds


def _own_path(controller: str) -> str:
    """This process's cgroup path for a v1 controller ('' selects the v2 hierarchy)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _id, names, path = line.split(":", 2)
        if controller in names.split(",") or (not controller and names == ""):
            return path.lstrip("/")
    return ""


def _prepare_v2() -> list[Path] | None:
    if not {"cpu", "memory"} <= set((ROOT / "cgroup.controllers").read_text().split()):
        return None
    own = ROOT / _own_path("")
    base = own / GROUP
    base.mkdir(exist_ok=True)
    # A child gets cpu.max and memory.max only if every ancestor enables the controllers for its subtree.
    ancestors = [ROOT, *(ROOT / Path(*own.relative_to(ROOT).parts[:i + 1])
                        for i in range(len(own.relative_to(ROOT).parts)))]
    for group in [*ancestors, base]:
        control = group / "cgroup.subtree_control"
        if not {"cpu", "memory"} <= set(control.read_text().split()):
            control.write_text("+cpu +memory")
    return [base]


def _prepare_v1() -> list[Path] | None:
    bases = [ROOT / c / _own_path(c) / GROUP for c in ("cpu", "memory")]
    if not (ROOT / "cpu" / "cpu.cfs_quota_us").exists() or not (ROOT / "memory").is_dir():
        return None
    for base in bases:
        base.mkdir(exist_ok=True)
    return bases


@functools.cache
def mechanism() -> tuple[str, list[Path]]:
    """('cgroup v2' or 'cgroup v1', parent groups) when this process may make cgroups, else ('none', [])."""
    if os.environ.get("WORKSHOP_LAMBDA_CGROUPS") == "off":
        return "none", []
    tries = [("cgroup v2", _prepare_v2)] if (ROOT / "cgroup.controllers").exists() else []
    tries.append(("cgroup v1", _prepare_v1))
    for name, prepare in tries:
        try:
            bases = prepare()
        except OSError:
            continue
        if bases:
            return name, bases
    return "none", []


class EnvironmentCgroup:
    """One environment's cgroup(s): a CPU quota in vCPUs and a hard memory limit."""

    def __init__(self, env_id: str, memory_mb: int) -> None:
        self.kind, bases = mechanism()
        self.paths = [base / env_id for base in bases]
        self.memory_mb = memory_mb

    @property
    def enabled(self) -> bool:
        """True when the kernel enforces this environment's CPU and memory."""
        return bool(self.paths)

    def create(self, vcpu: float) -> None:
        """Make the group(s) with the memory limit and the CPU quota."""
        for path in self.paths:
            path.mkdir(exist_ok=True)
        limit = self.memory_mb * 1024 * 1024
        if self.kind == "cgroup v2":
            (self.paths[0] / "memory.max").write_text(str(limit))
            if (self.paths[0] / "memory.swap.max").exists():  # no swapping past the limit either
                (self.paths[0] / "memory.swap.max").write_text("0")
        else:
            memory = self.paths[1]
            (memory / "memory.limit_in_bytes").write_text(str(limit))
            if (memory / "memory.memsw.limit_in_bytes").exists():  # no swapping past the limit either
                (memory / "memory.memsw.limit_in_bytes").write_text(str(limit))
        self.set_cpu(vcpu)

    def set_cpu(self, vcpu: float) -> None:
        """Give the group `vcpu` CPUs' worth of time in every 100 ms period."""
        quota = max(1000, int(vcpu * PERIOD_US))
        if self.kind == "cgroup v2":
            (self.paths[0] / "cpu.max").write_text(f"{quota} {PERIOD_US}")
        elif self.paths:
            (self.paths[0] / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (self.paths[0] / "cpu.cfs_quota_us").write_text(str(quota))

    def wrap(self, command: list[str]) -> list[str]:
        """The command run by a shell that first moves itself into the group(s), so nothing runs unlimited."""
        if not self.paths:
            return command
        moves = "; ".join(f"echo $$ > {shlex.quote(str(p / 'cgroup.procs'))} || exit 125" for p in self.paths)
        return ["/bin/sh", "-c", f'{moves}; exec "$@"', "lambda-env", *command]

    def oom_kills(self) -> int:
        """How many processes the kernel killed in this group for exceeding its memory limit."""
        if not self.paths:
            return 0
        memory = self.paths[0] if self.kind == "cgroup v2" else self.paths[1]
        name = "memory.events" if self.kind == "cgroup v2" else "memory.oom_control"
        try:
            for line in (memory / name).read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
        except OSError:
            pass
        return 0

    def remove(self) -> None:
        """Kill what is left in the group(s) (also processes that left the session), then delete them."""
        for path in self.paths:
            try:
                for pid in (path / "cgroup.procs").read_text().split():
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except (ProcessLookupError, PermissionError):
                        pass
            except OSError:
                continue
            # The kernel frees dead tasks asynchronously: rmdir succeeds once they are gone.
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.02)
