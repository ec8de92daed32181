"""What an image build needs from the host: a wheelhouse, a wheel of the core package, a build context.

Nothing can reach a package registry from inside a build here, so every wheel a Dockerfile installs
is made on the host and copied into the build context as `wheels/`.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

import videocatalog
from workshop import settings

# The local base image is Debian bookworm: CPython 3.11 and glibc 2.36.
TARGET_PYTHON = "3.11"
TARGET_GLIBC_MINOR = 36
CORE_DIR = Path(videocatalog.__file__).resolve().parent
_ZIP_DATE = (2020, 1, 1, 0, 0, 0)  # fixed, so an unchanged core wheel keeps Docker's layer cache


def default_cache_dir() -> Path:
    """Folder for wheelhouses and core wheels (env WORKSHOP_CACHE_DIR, default ~/.cache/workshop)."""
    return settings.cache_dir()


def _host_matches_target() -> bool:
    # Wheels pip builds on the host only fit the container when the host is Linux CPython 3.11.
    return (sys.platform == "linux" and sys.implementation.name == "cpython"
            and f"{sys.version_info[0]}.{sys.version_info[1]}" == TARGET_PYTHON)


def _pip_command(req_files: list[Path], dest: Path) -> list[str]:
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    reqs = [arg for f in req_files for arg in ("-r", str(f))]
    if _host_matches_target():
        # pip wheel also turns sdist-only packages into wheels, which `pip download` cannot.
        return [*pip, "wheel", "-q", "-w", str(dest), *reqs]
    arch = platform.machine().lower().replace("amd64", "x86_64").replace("arm64", "aarch64")
    platforms = [f"manylinux_2_{m}_{arch}" for m in range(17, TARGET_GLIBC_MINOR + 1)]
    plat_args = [arg for p in [*platforms, f"manylinux2014_{arch}"] for arg in ("--platform", p)]
    return [*pip, "download", "-q", "-d", str(dest), "--only-binary=:all:", "--implementation", "cp",
            "--python-version", TARGET_PYTHON, *plat_args, *reqs]


def build_wheelhouse(requirements_files: Iterable[str | Path], dest: str | Path | None = None) -> Path:
    """Download (or build) wheels for the requirement files into a folder cached by their content."""
    req_files = [Path(f).resolve() for f in requirements_files]
    digest = hashlib.sha256(f"{TARGET_PYTHON} {platform.machine()} {_host_matches_target()}".encode())
    for f in sorted(req_files):
        digest.update(f.read_bytes())
    base = Path(dest) if dest else default_cache_dir() / "wheelhouse"
    house = base / digest.hexdigest()[:16]
    if (house / ".complete").exists():
        return house
    if house.exists():
        shutil.rmtree(house)  # a half-made wheelhouse from an interrupted run
    house.mkdir(parents=True)
    if any(_has_requirements(f) for f in req_files):
        subprocess.run(_pip_command(req_files, house), check=True)
    (house / ".complete").write_text("\n".join(str(f) for f in req_files) + "\n")
    return house


def _has_requirements(path: Path) -> bool:
    lines = (line.split("#", 1)[0].strip() for line in path.read_text().splitlines())
    return any(lines)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def core_wheel(dest: str | Path | None = None) -> Path:
    """Write a pure-Python wheel of the core package `videocatalog` (no dependencies declared)."""
    try:
        version = importlib.metadata.version("video-catalog-workshop")
    except importlib.metadata.PackageNotFoundError:
        version = "0.0.0"
    files = sorted(p for p in CORE_DIR.rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    entries = [(f"videocatalog/{p.relative_to(CORE_DIR).as_posix()}", p.read_bytes()) for p in files]
    info = f"videocatalog-{version}.dist-info"
    entries.append((f"{info}/METADATA", f"Metadata-Version: 2.1\nName: videocatalog\nVersion: {version}\n"
                    .encode()))
    entries.append((f"{info}/WHEEL", b"Wheel-Version: 1.0\nGenerator: workshop\nRoot-Is-Purelib: true\n"
                    b"Tag: py3-none-any\n"))
    record = "\n".join([*(_record_line(n, d) for n, d in entries), f"{info}/RECORD,,"]) + "\n"
    entries.append((f"{info}/RECORD", record.encode()))
    out_dir = Path(dest) if dest else default_cache_dir() / "core"
    out_dir.mkdir(parents=True, exist_ok=True)
    wheel = out_dir / f"videocatalog-{version}-py3-none-any.whl"
    tmp = wheel.with_name(f"{wheel.name}.{os.getpid()}.tmp")  # per process: two builds at once must not share it
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries:
            zf.writestr(zipfile.ZipInfo(name, _ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    tmp.replace(wheel)  # atomic, so a parallel build never sees half a wheel
    return wheel


def make_context(context_dir: str | Path, wheelhouse: str | Path, core: Path | None,
                 extra: dict[str, str | Path] | None = None) -> Path:
    """Copy a service folder (plus `extra` {name: path}) into a temporary build context with `wheels/`."""
    src = Path(context_dir)
    if (src / "wheels").exists() or "wheels" in (extra or {}):
        raise ValueError(f"{src}: `wheels` is reserved, the build adds its own wheels/ folder")
    ctx = Path(tempfile.mkdtemp(prefix="workshop-build-"))
    skip = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(src, ctx, dirs_exist_ok=True, ignore=skip)
    for name, path in (extra or {}).items():
        # Shared code that lives outside the service folder, e.g. {"common": "microservices/common"}.
        if Path(path).is_dir():
            shutil.copytree(path, ctx / name, dirs_exist_ok=True, ignore=skip)
        else:
            shutil.copy2(path, ctx / name)
    wheels = ctx / "wheels"
    shutil.copytree(wheelhouse, wheels, ignore=shutil.ignore_patterns(".complete"))
    if core is not None:
        shutil.copy2(core, wheels / core.name)
    return ctx


def stage_names(dockerfile: Path) -> list[str]:
    """Names of the Dockerfile's named stages (`FROM image AS name`), in order."""
    return re.findall(r"(?im)^\s*FROM\s+\S+\s+AS\s+(\S+)", dockerfile.read_text())
