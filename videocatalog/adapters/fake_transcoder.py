"""A Transcoder without ffmpeg, for fast tests of the pipeline's resume, retry and failure paths."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from videocatalog.mediainfo import UnsupportedMedia
from videocatalog.model import Rendition, Source


class FakeTranscoder:
    """Probes every source as `source` (or refuses it), renders by writing a few bytes, fails or crashes on cue."""

    def __init__(self, source: Source | None = None, failing: tuple[str, ...] = (),
                 crashing: tuple[str, ...] = ()) -> None:
        self.source = source  # None: the source is not decodable video
        self.failing = set(failing)  # rendition names that come back failed (as ffmpeg failing would)
        self.crashing = set(crashing)  # rendition names whose render raises (as a killed worker would)
        self.rendered: list[str] = []

    def probe(self, path: str) -> Source:
        """The configured source, with the file's real size."""
        if self.source is None:
            raise UnsupportedMedia("no video stream")
        return replace(self.source, bytes=Path(path).stat().st_size)

    def render(self, src_path: str, rendition: Rendition, source: Source, out_path: str) -> Rendition:
        """Write `rendition.name` as the output's bytes; failed or raising when told so."""
        if rendition.status == "skipped":
            return rendition
        if rendition.name in self.crashing:
            raise RuntimeError(f"render of {rendition.name} crashed")
        self.rendered.append(rendition.name)
        if rendition.name in self.failing:
            return replace(rendition, status="failed", reason="fake failure")
        Path(out_path).write_bytes(rendition.name.encode())
        return replace(rendition, status="ready", reason=None, bytes=len(rendition.name))
