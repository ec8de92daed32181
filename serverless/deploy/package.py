"""Build the deployment artifacts: one function zip (handlers + core + pure-Python deps) and the ffmpeg layer."""

from __future__ import annotations

import hashlib
import importlib.util
import os
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Pure-Python dependencies that the Lambda Python runtime does not ship (it has boto3, botocore, jmespath).
BUNDLED = ("jwt", "aws_lambda_powertools", "typing_extensions")
SKIP_DIRS = {"__pycache__", "web"}  # videocatalog/web is the Flask edge: no function imports it


def _module_path(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or spec.origin is None:
        raise SystemExit(f"cannot package {name}: not installed")
    origin = Path(spec.origin)
    return origin.parent if origin.name == "__init__.py" else origin


def _add(zf: zipfile.ZipFile, path: Path, arcname: str) -> None:
    if path.is_file():
        info = zipfile.ZipInfo(arcname, date_time=(2020, 1, 1, 0, 0, 0))  # fixed time: same code, same hash
        info.external_attr = (os.stat(path).st_mode & 0o777) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, path.read_bytes(), compresslevel=6)
        return
    for child in sorted(path.iterdir()):
        if child.name in SKIP_DIRS or child.suffix == ".pyc":
            continue
        _add(zf, child, f"{arcname}/{child.name}")


def function_zip(out_dir: Path) -> Path:
    """The code of every function (they differ by handler only), reproducible byte for byte."""
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / "function.zip"
    with zipfile.ZipFile(out, "w") as zf:
        _add(zf, ROOT / "serverless" / "__init__.py", "serverless/__init__.py")
        _add(zf, ROOT / "serverless" / "functions", "serverless/functions")
        _add(zf, ROOT / "videocatalog", "videocatalog")
        for name in BUNDLED:
            path = _module_path(name)
            _add(zf, path, path.name)
    return out


def ffmpeg_layer_zip(out_dir: Path) -> Path:
    """imageio_ffmpeg with its static ffmpeg under python/ (a layer's import path); built once, then cached."""
    import imageio_ffmpeg

    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"ffmpeg-layer-{imageio_ffmpeg.__version__}.zip"
    if not out.exists():
        part = out.with_suffix(".part")
        with zipfile.ZipFile(part, "w") as zf:
            path = _module_path("imageio_ffmpeg")
            for child in sorted(path.rglob("*")):
                if child.is_file() and "__pycache__" not in child.parts:
                    info = zipfile.ZipInfo(f"python/imageio_ffmpeg/{child.relative_to(path)}", (2020, 1, 1, 0, 0, 0))
                    info.external_attr = (os.stat(child).st_mode & 0o777) << 16
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, child.read_bytes(), compresslevel=1)  # the binary barely compresses
        part.rename(out)
    return out


def sha256(path: Path) -> str:
    """Hex digest of a file (the S3 key of an artifact, so unchanged code is not uploaded twice)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
