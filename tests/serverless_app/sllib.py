"""Helpers of the serverless unit tests: sample events and a Lambda context (a distinct module name:
`conftest` is a name every test folder has, so importing from it picks whichever was loaded first)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).with_name("events")


@dataclass
class LambdaContext:
    """The attributes of the Lambda context object that the handlers and Powertools read."""

    function_name: str = "videocatalog-test"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:us-east-1:123456789012:function:videocatalog-test:live"
    aws_request_id: str = ""

    def __post_init__(self) -> None:
        self.aws_request_id = self.aws_request_id or str(uuid.uuid4())

    def get_remaining_time_in_millis(self) -> int:
        return 30_000


def event(name: str, **subs: str) -> dict[str, Any]:
    """A sample event from events/NAME.json with placeholders (e.g. VIDEO_ID) replaced."""
    text = (EVENTS / f"{name}.json").read_text()
    for key, value in subs.items():
        text = text.replace(key, value)
    return json.loads(text)
