"""The rendition rules: sizes, skips, keys and content types planned for a source."""

from __future__ import annotations

import pytest

from videocatalog.model import RENDITION_NAMES, Source
from videocatalog.renditions import even_down, even_nearest, plan, rendition_key


def sizes(width: int, height: int, audio: bool = True) -> dict[str, tuple[str, int | None, int | None]]:
    return {r.name: (r.status, r.width, r.height)
            for r in plan("v1", Source(bytes=1, width=width, height=height, has_audio=audio))}


def test_one_rendition_per_name_in_order() -> None:
    names = [r.name for r in plan("v1", Source(bytes=1, width=1280, height=720, has_audio=True))]
    assert names == list(RENDITION_NAMES)


def test_landscape_720p_with_audio() -> None:
    assert sizes(1280, 720) == {
        "hq": ("pending", 1280, 720), "480p": ("pending", 854, 480), "360p": ("pending", 640, 360),
        "audio": ("pending", None, None), "thumbnail": ("pending", 320, 180)}


def test_portrait_uses_the_shorter_side() -> None:
    assert sizes(720, 1280) == {
        "hq": ("pending", 720, 1280), "480p": ("pending", 480, 854), "360p": ("pending", 360, 640),
        "audio": ("pending", None, None), "thumbnail": ("pending", 180, 320)}


def test_odd_source_rounds_hq_down_and_scaled_sides_to_nearest_even() -> None:
    planned = sizes(1001, 601)
    assert planned["hq"] == ("pending", 1000, 600)
    assert planned["480p"] == ("pending", 800, 480)  # 1001 * 480 / 601 = 799.47
    assert planned["360p"] == ("pending", 600, 360)  # 599.6
    assert planned["thumbnail"] == ("pending", 320, 192)  # 601 * 320 / 1001 = 192.1


def test_all_planned_dimensions_are_even() -> None:
    for width, height in [(1919, 1079), (333, 777), (641, 481), (1080, 1920), (500, 500), (7, 5)]:
        for status, w, h in sizes(width, height).values():
            if status == "pending" and w is not None and h is not None:
                assert w % 2 == 0 and h % 2 == 0 and w >= 2 and h >= 2, (width, height, w, h)


def test_shorter_side_exactly_the_target_is_not_an_upscale() -> None:
    planned = sizes(640, 360)
    assert planned["360p"] == ("pending", 640, 360)
    assert planned["480p"] == ("skipped", None, None)


def test_smaller_than_360p_skips_both_with_no_upscale() -> None:
    by_name = {r.name: r for r in plan("v1", Source(bytes=1, width=320, height=240, has_audio=True))}
    for name in ("480p", "360p"):
        skipped = by_name[name]
        assert (skipped.status, skipped.reason, skipped.key) == ("skipped", "no_upscale", None)
    assert by_name["hq"].status == "pending" and (by_name["hq"].width, by_name["hq"].height) == (320, 240)
    assert (by_name["thumbnail"].width, by_name["thumbnail"].height) == (320, 240)


def test_portrait_between_360_and_480_skips_only_480p() -> None:
    planned = sizes(400, 700)
    assert planned["480p"][0] == "skipped"
    assert planned["360p"] == ("pending", 360, 630)


def test_no_audio_skips_audio_only() -> None:
    audio = next(r for r in plan("v1", Source(bytes=1, width=640, height=480, has_audio=False))
                 if r.name == "audio")
    assert (audio.status, audio.reason, audio.key) == ("skipped", "no_audio", None)
    assert sizes(640, 480, audio=False)["hq"][0] == "pending"


def test_keys_and_content_types() -> None:
    planned = {r.name: r for r in plan("abc", Source(bytes=1, width=1280, height=720, has_audio=True))}
    assert {n: r.key for n, r in planned.items()} == {
        "hq": "renditions/abc/hq.mp4", "480p": "renditions/abc/480p.mp4", "360p": "renditions/abc/360p.mp4",
        "audio": "renditions/abc/audio.m4a", "thumbnail": "renditions/abc/thumbnail.jpg"}
    assert {n: r.content_type for n, r in planned.items()} == {
        "hq": "video/mp4", "480p": "video/mp4", "360p": "video/mp4", "audio": "audio/mp4",
        "thumbnail": "image/jpeg"}
    assert rendition_key("abc", "thumbnail") == planned["thumbnail"].key


def test_source_without_dimensions_cannot_be_planned() -> None:
    with pytest.raises(ValueError):
        plan("v1", Source(bytes=10))


@pytest.mark.parametrize(("value", "down", "nearest"), [(7, 6, 8), (8, 8, 8), (853.33, None, 854),
                                                        (852.9, None, 852), (0.4, None, 2), (1, 2, 2)])
def test_even_rounding(value: float, down: int | None, nearest: int) -> None:
    if down is not None:
        assert even_down(int(value)) == down
    assert even_nearest(value) == nearest
