"""The one parser of WORKSHOP_FAULT that every architecture uses."""

import pytest

from videocatalog.faults import Fault, parse_fault


def test_the_two_forms_and_none():
    assert parse_fault("") is None
    assert parse_fault("error:get_video") == Fault("error", "get_video", 0.0)
    assert parse_fault("latency:*:250") == Fault("latency", "*", 0.25)


@pytest.mark.parametrize("spec", ["boom", "error:", "latency:get_video:soon", "latency:x:-5", "error:x:10",
                                  "crash:get_video", "latency:x:nan"])
def test_a_bad_spec_is_refused_with_its_text(spec):
    with pytest.raises(ValueError, match="bad WORKSHOP_FAULT"):
        parse_fault(spec)


def test_a_fault_applies_to_its_operation_its_aliases_or_everything():
    assert parse_fault("error:get_video").applies_to("videos.get_video", "get_video")
    assert not parse_fault("error:get_video").applies_to("list_videos")
    assert parse_fault("error:*").applies_to("anything")
