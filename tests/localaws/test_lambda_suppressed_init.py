"""An INIT that outlives its limit is retried within the first invocation, as AWS does ("suppressed init").

AWS: "If all three tasks do not complete within 10 seconds, Lambda retries the Init phase at the time of the
first function invocation with the configured function timeout." The limit is shortened here to 0.5 s.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest

from localaws import LocalAws, PlatformConfig, start_local_aws

SLOW_INIT = """
import time
time.sleep({seconds})
def handler(event, context):
    return {{"ok": True}}
"""


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAws]:
    cfg = PlatformConfig(idle_ttl_s=300, init_timeout_s=0.5)
    with start_local_aws(tmp_path_factory.mktemp("localaws"), config=cfg) as running:
        yield running


def report_of(resp: dict) -> str:
    """The REPORT line of an invocation's tail log."""
    log = base64.b64decode(resp["LogResult"]).decode()
    return next(line for line in log.splitlines() if line.startswith("REPORT"))


def test_a_slow_init_is_finished_within_the_first_call_and_counted_in_its_duration(client, deploy):
    name = deploy(SLOW_INIT.format(seconds=1.5), Timeout=10)
    resp = client("lambda").invoke(FunctionName=name, LogType="Tail")
    assert "FunctionError" not in resp and json.loads(resp["Payload"].read()) == {"ok": True}
    line = report_of(resp)
    assert "Init Duration" not in line  # a suppressed init has none: its time is in Duration
    duration = float(line.split("\tDuration: ")[1].split(" ms")[0])
    assert duration >= 900, line  # about 1.5 s of INIT minus the 0.5 s limit, at least


def test_a_slow_init_that_outlives_the_function_timeout_is_a_timeout(client, deploy):
    name = deploy(SLOW_INIT.format(seconds=30), Timeout=1)
    resp = client("lambda").invoke(FunctionName=name, LogType="Tail")
    assert resp["FunctionError"] == "Unhandled"
    assert json.loads(resp["Payload"].read())["errorType"] == "Sandbox.Timedout"
    line = report_of(resp)
    assert line.endswith("\tStatus: timeout") and "\tDuration: 1000.00 ms\t" in line
