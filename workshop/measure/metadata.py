"""What a benchmark author needs to repeat a run: code version, packages, machine, parameters, seed."""

from __future__ import annotations

import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import psutil

from workshop.runtime.procs import PROJECT_ROOT

REQUIRED = ("git_commit", "git_dirty", "packages", "machine", "architecture", "backend", "release",
            "parameters", "seed", "created_at")


def git_commit() -> tuple[str, bool]:
    """The checkout's commit and whether it has uncommitted changes."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                              timeout=10).stdout.strip()
    try:
        return git("rev-parse", "HEAD") or "unknown", bool(git("status", "--porcelain"))
    except (OSError, subprocess.SubprocessError):
        return "unknown", False


def packages() -> dict[str, str]:
    """Every installed distribution and its version."""
    found = {dist.metadata["Name"]: dist.version for dist in importlib.metadata.distributions()
             if dist.metadata["Name"]}
    return dict(sorted(found.items(), key=lambda kv: kv[0].lower()))


def machine() -> dict:
    """Cores, memory, Python and OS of this machine."""
    return {"cpu_count_logical": os.cpu_count(), "cpu_count_physical": psutil.cpu_count(logical=False),
            "cpu_model": platform.processor() or _cpu_model(),
            "memory_total_mb": psutil.virtual_memory().total // 2**20,
            "python": sys.version.split()[0], "python_implementation": platform.python_implementation(),
            "os": platform.platform(), "load_average": os.getloadavg()}


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.machine()


def collect(architecture: str, backend: str | None, release: str, parameters: dict, seed: int) -> dict:
    """The metadata of one run."""
    commit, dirty = git_commit()
    return {"git_commit": commit, "git_dirty": dirty, "packages": packages(), "machine": machine(),
            "architecture": architecture, "backend": backend, "release": release, "parameters": parameters,
            "seed": seed, "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def write(folder: Path, meta: dict) -> Path:
    """Write metadata.json into `folder`."""
    path = folder / "metadata.json"
    path.write_text(json.dumps(meta, indent=2, default=str))
    return path
