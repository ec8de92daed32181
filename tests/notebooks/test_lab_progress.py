"""workshop.lab.progress: the progress lines of long notebook cells, and the helpers that show them."""

from __future__ import annotations

import time

import pytest

from workshop.lab import progress
from workshop.lab import session as lab


def test_a_quick_block_prints_nothing(capsys):
    with progress.ticker("quick work", status=lambda: "never shown"):
        pass
    assert capsys.readouterr().err == ""


def test_a_slow_block_shows_elapsed_time_its_total_and_status(capsys):
    with progress.ticker("slow work", total_s=2, status=lambda: "step 3", every_s=0.05, after_s=0):
        time.sleep(0.3)
    err = capsys.readouterr().err
    assert "slow work:" in err and "of about 2 s" in err and "step 3" in err


def test_a_failing_status_never_breaks_the_work(capsys):
    def broken() -> str:
        raise KeyError("not yet")

    with progress.ticker("work", status=broken, every_s=0.05, after_s=0):
        time.sleep(0.2)
    assert "work:" in capsys.readouterr().err


class ScriptedClient:
    """A catalog client whose videos go through the statuses given, one per GET."""

    def __init__(self, script: dict[str, list[str]]) -> None:
        self.script = script

    def get(self, video_id: str) -> dict:
        statuses = self.script[video_id]
        status = statuses.pop(0) if len(statuses) > 1 else statuses[0]
        return {"id": video_id, "status": status}


def test_wait_settled_returns_every_video_once_settled_in_the_order_given():
    client = ScriptedClient({"a": ["processing", "processing", "ready"], "b": ["failed"]})
    videos = lab.wait_settled(client, "a", "b", poll_s=0.01)  # type: ignore[arg-type]
    assert [(v["id"], v["status"]) for v in videos] == [("a", "ready"), ("b", "failed")]


def test_wait_settled_gives_up_after_its_timeout():
    client = ScriptedClient({"a": ["processing"]})
    with pytest.raises(TimeoutError, match="1 video"):
        lab.wait_settled(client, "a", timeout_s=0.2, poll_s=0.01)  # type: ignore[arg-type]


def test_cli_returns_what_the_command_printed():
    token = lab.cli("token").strip()
    assert token.count(".") == 2  # a JWT: header.payload.signature


def test_cli_raises_with_the_command_s_complaint():
    with pytest.raises(RuntimeError, match="(?s)exited 2.*invalid choice"):
        lab.cli("no-such-command")
