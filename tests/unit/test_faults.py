"""The one parser of WORKSHOP_FAULT that every architecture uses."""

import pytest

from videocatalog.faults import Fault, parse_fault


def test_the_two_forms_and_none():
    assert parse_fault("") is None
    assert parse_fault("error:get_video") == Fault("error", "get_video", 0.0)
    assert parse_fault("latency:*:250") == Fault("latency", "*", 0.25)
    assert parse_fault("unhealthy:get_video") == Fault("unhealthy", "get_video", 0.0)


@pytest.mark.parametrize("spec", ["boom", "error:", "latency:get_video:soon", "latency:x:-5", "error:x:10",
                                  "crash:get_video", "latency:x:nan", "unhealthy:", "unhealthy:x:10"])
def test_a_bad_spec_is_refused_with_its_text(spec):
    with pytest.raises(ValueError, match="bad WORKSHOP_FAULT"):
        parse_fault(spec)


def test_a_fault_applies_to_its_operation_its_aliases_or_everything():
    assert parse_fault("error:get_video").applies_to("videos.get_video", "get_video")
    assert not parse_fault("error:get_video").applies_to("list_videos")
    assert parse_fault("error:*").applies_to("anything")


def test_an_unhealthy_fault_fails_its_operation_and_the_health_check_only():
    fault = parse_fault("unhealthy:get_video")
    assert fault.applies_to("get_video") and fault.applies_to("health.get_health") and fault.applies_to("get_health")
    assert not fault.applies_to("list_videos")
    assert not parse_fault("error:get_video").applies_to("get_health")


def test_a_fault_with_a_delay_names_its_kind():
    with pytest.raises(ValueError, match="an unhealthy fault takes no delay"):
        parse_fault("unhealthy:get_video:10")
