"""The transcoder against real ffmpeg runs on tiny generated clips."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from videocatalog import testmedia
from videocatalog.model import Source
from videocatalog.renditions import plan
from videocatalog.transcode import (
    UnsupportedMedia,
    ffmpeg_exe,
    parse_ffmpeg_info,
    probe,
    render,
    render_all,
    render_command,
    time_direct_render,
)


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("media")
    testmedia.make_clip(folder / "landscape.mp4", 854, 480, 1)
    testmedia.make_clip(folder / "portrait.mp4", 360, 640, 1)
    testmedia.make_clip(folder / "rotated.mp4", 640, 360, 1, audio=False, rotate=90)
    testmedia.make_clip(folder / "silent.mp4", 320, 240, 1, audio=False)
    testmedia.make_clip(folder / "black_start.mp4", 320, 240, 1, audio=False, black_s=0.5)
    testmedia.make_audio(folder / "audio.m4a", 1)
    testmedia.make_image(folder / "still.png", 64, 48)
    testmedia.not_video(folder / "garbage.mp4")
    (folder / "empty.mp4").write_bytes(b"")
    return folder


def ffmpeg_says(path: Path) -> str:
    argv = [ffmpeg_exe(), "-hide_banner", "-i", str(path)]
    return subprocess.run(argv, capture_output=True, text=True).stderr


def mean_luma(path: Path, frames: int = 1) -> float:
    argv = [ffmpeg_exe(), "-v", "error", "-i", str(path), "-frames:v", str(frames), "-f", "rawvideo",
            "-pix_fmt", "gray", "-"]
    raw = subprocess.run(argv, capture_output=True, check=True).stdout
    return sum(raw) / len(raw)


def test_probe_landscape_with_audio(media: Path) -> None:
    source = probe(media / "landscape.mp4")
    assert (source.width, source.height, source.has_audio) == (854, 480, True)
    assert source.content_type == "video/mp4"
    assert source.bytes == (media / "landscape.mp4").stat().st_size
    assert source.duration_s == pytest.approx(1.0, abs=0.1)


def test_probe_portrait_and_rotated_report_portrait(media: Path) -> None:
    assert (probe(media / "portrait.mp4").width, probe(media / "portrait.mp4").height) == (360, 640)
    assert "rotation of" in ffmpeg_says(media / "rotated.mp4")  # stored landscape with a display matrix
    rotated = probe(media / "rotated.mp4")
    assert (rotated.width, rotated.height, rotated.has_audio) == (360, 640, False)


def test_probe_without_audio(media: Path) -> None:
    assert probe(media / "silent.mp4").has_audio is False


@pytest.mark.parametrize("name", ["garbage.mp4", "empty.mp4", "audio.m4a", "still.png"])
def test_probe_rejects_what_is_not_video(media: Path, name: str) -> None:
    with pytest.raises(UnsupportedMedia) as caught:
        probe(media / name)
    assert caught.value.code == "unsupported_media"


@pytest.mark.parametrize(("suffix", "codec", "content_type"), [
    (".mov", ["-c", "copy"], "video/quicktime"), (".mkv", ["-c", "copy"], "video/x-matroska"),
    (".webm", ["-c:v", "libvpx", "-deadline", "realtime", "-an"], "video/webm")])
def test_probe_names_the_container(media: Path, tmp_path: Path, suffix: str, codec: list[str],
                                   content_type: str) -> None:
    out = tmp_path / f"clip{suffix}"
    argv = [ffmpeg_exe(), "-v", "error", "-i", str(media / "silent.mp4"), *codec, str(out)]
    subprocess.run(argv, check=True, capture_output=True)
    assert probe(out).content_type == content_type


@pytest.mark.parametrize("name", ["hq", "480p", "360p", "audio", "thumbnail"])
def test_render_each_rendition(media: Path, tmp_path: Path, name: str) -> None:
    source = probe(media / "landscape.mp4")
    planned = next(r for r in plan("v1", source) if r.name == name)
    out = tmp_path / Path(str(planned.key)).name
    made = render(media / "landscape.mp4", planned, source, out)
    assert made.status == "ready", made.reason
    assert made.bytes == out.stat().st_size > 0 and made.content_type == planned.content_type
    says = ffmpeg_says(out)
    if name == "thumbnail":
        assert "Video: mjpeg" in says and (made.width, made.height) == (320, 180)
    elif name == "audio":
        assert "Audio: aac" in says and "Video:" not in says and made.width is None
    else:
        assert "Video: h264" in says and "yuv420p" in says and "Audio: aac" in says
        assert (made.width, made.height) == (planned.width, planned.height)
        data = out.read_bytes()
        assert data.index(b"moov") < data.index(b"mdat")  # +faststart: playable while downloading


def test_render_rotated_source_gives_upright_portrait(media: Path, tmp_path: Path) -> None:
    source = probe(media / "rotated.mp4")
    made = render(media / "rotated.mp4", plan("v1", source)[0], source, tmp_path / "hq.mp4")
    assert (made.status, made.width, made.height) == ("ready", 360, 640)
    assert "rotation of" not in ffmpeg_says(tmp_path / "hq.mp4")


def test_thumbnail_avoids_a_black_first_frame(media: Path, tmp_path: Path) -> None:
    clip = media / "black_start.mp4"
    assert mean_luma(clip) < 30  # the clip really opens black
    source = probe(clip)
    made = render(clip, plan("v1", source)[-1], source, tmp_path / "thumbnail.jpg")
    assert made.status == "ready" and mean_luma(tmp_path / "thumbnail.jpg") > 60


def test_failing_render_returns_failed_and_leaves_no_file(media: Path, tmp_path: Path) -> None:
    source = probe(media / "landscape.mp4")
    out = tmp_path / "hq.mp4"
    made = render(media / "garbage.mp4", plan("v1", source)[0], source, out)
    assert made.status == "failed" and made.reason and len(made.reason) <= 200
    assert not out.exists()


def test_render_timeout_returns_failed(media: Path, tmp_path: Path) -> None:
    source = probe(media / "landscape.mp4")
    hq = plan("v1", source)[0]
    made = render(media / "landscape.mp4", hq, source, tmp_path / "hq.mp4", timeout_s=0.001)
    assert made.status == "failed" and "timed out" in str(made.reason)


def test_render_command_options(monkeypatch: pytest.MonkeyPatch) -> None:
    source = Source(bytes=1, width=1280, height=720, duration_s=20.0, has_audio=False)
    hq, _, _, _, thumbnail = plan("v1", source)
    monkeypatch.delenv("WORKSHOP_FFMPEG_THREADS", raising=False)
    argv = " ".join(render_command("in.mp4", hq, source, "out.mp4"))
    assert "-preset veryfast" in argv and "-pix_fmt yuv420p" in argv and "-movflags +faststart" in argv
    assert "scale=1280:720" in argv and "-an" in argv and "-threads" not in argv
    thumb = render_command("in.mp4", thumbnail, source, "t.jpg")
    assert thumb[thumb.index("-ss") + 1] == "1.000" and thumb[-1] == "t.jpg"
    monkeypatch.setenv("WORKSHOP_FFMPEG_THREADS", "1")
    assert "-threads 1" in " ".join(render_command("in.mp4", hq, source, "out.mp4"))


def test_render_all_and_direct_timing(media: Path, tmp_path: Path) -> None:
    source, renditions = render_all(media / "silent.mp4", "v9", tmp_path)
    assert (source.width, source.height) == (320, 240)
    assert {r.name: r.status for r in renditions} == {
        "hq": "ready", "480p": "skipped", "360p": "skipped", "audio": "skipped", "thumbnail": "ready"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hq.mp4", "thumbnail.jpg"]
    direct = tmp_path / "direct"
    direct.mkdir()
    assert time_direct_render(media / "silent.mp4", direct) > 0
    assert sorted(p.name for p in direct.iterdir()) == ["hq.mp4", "thumbnail.jpg"]


def test_parse_legacy_rotate_tag_and_cover_art() -> None:
    stderr = ("Input #0, mov,mp4,m4a,3gp,3g2,mj2, from 'x.mp4':\n  Duration: 00:01:02.50, start: 0\n"
              "  Stream #0:0: Video: h264, yuv420p, 1920x1080, 25 fps\n"
              "    Metadata:\n      rotate          : 270\n"
              "  Stream #0:1: Audio: aac, 44100 Hz\n")
    info = parse_ffmpeg_info(stderr, Path("x.mp4"))
    assert (info.width, info.height, info.duration_s, info.has_audio) == (1080, 1920, 62.5, True)
    cover = stderr.replace("1920x1080, 25 fps", "600x600 (attached pic)")
    assert parse_ffmpeg_info(cover, Path("x.mp4")).has_video is False


def test_testmedia_cli(tmp_path: Path) -> None:
    out = tmp_path / "cli.mp4"
    argv = [sys.executable, "-m", "videocatalog.testmedia", str(out), "--size", "320x180", "--seconds", "1"]
    subprocess.run(argv, check=True, capture_output=True, timeout=60)
    assert (probe(out).width, probe(out).height, probe(out).has_audio) == (320, 180, True)
