"""Unpacks each function version's zip (and its layers) once, into a folder environments share."""

from __future__ import annotations

import io
import shutil
import threading
import zipfile
from pathlib import Path

from localaws.services.state import FunctionSpec


class CodeUnavailable(Exception):
    """A deployment package or layer could not be unpacked (Lambda's InvalidZipFileException)."""


class CodeStore:
    """Per-version task roots under state_dir/code, unpacked on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root / "code"
        self._lock = threading.Lock()

    def paths(self, spec: FunctionSpec) -> tuple[Path, list[Path]]:
        """(task root, layer python paths) for the spec, unpacking if needed."""
        base = self.root / spec.name / f"{spec.version.strip('$')}-{spec.code_sha[:16] or 'nocode'}"
        if not (base / ".complete").exists():  # checked without the lock first: warm invokes never wait here
            with self._lock:
                if not (base / ".complete").exists():
                    self._unpack_safely(base, spec)
        layers = sorted(p for p in (base / "opt").glob("*") if p.is_dir())
        # Layers are extracted under /opt; Python layers put packages in python/ (AWS convention).
        return base / "task", [p / "python" for p in layers] + layers

    def _unpack_safely(self, base: Path, spec: FunctionSpec) -> None:
        try:
            self._unpack(base, spec)
        except (ValueError, zipfile.BadZipFile, OSError) as exc:
            shutil.rmtree(base, ignore_errors=True)
            raise CodeUnavailable(f"Lambda could not unpack the code of {spec.name}:{spec.version}: {exc}") from exc

    def _unpack(self, base: Path, spec: FunctionSpec) -> None:
        shutil.rmtree(base, ignore_errors=True)
        (base / "task").mkdir(parents=True)
        if spec.code:
            _extract(spec.code, base / "task")
        for i, (arn, blob) in enumerate(spec.layers):
            if blob is None:
                raise ValueError(f"layer version not found: {arn}")
            target = base / "opt" / f"{i:02d}"
            target.mkdir(parents=True)
            if blob:
                _extract(blob, target)
        (base / ".complete").touch()


def _extract(blob: bytes, target: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        for member in zf.namelist():
            # Refuse paths that would escape the folder (zip slip).
            if Path(member).is_absolute() or ".." in Path(member).parts:
                raise ValueError(f"unsafe path in zip: {member}")
        zf.extractall(target)
        for info in zf.infolist():
            mode = (info.external_attr >> 16) & 0o777
            if mode and not info.is_dir():
                # Lambda keeps the zip's permission bits (an executable in a layer stays executable).
                (target / info.filename).chmod(mode)
