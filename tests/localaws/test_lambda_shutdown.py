"""Stopping: no environment is created once the pool is shut, and the HTTP front closes before the pool.

These tests start their own local AWS (no module-wide `aws` fixture here, so only one runs at a time).
"""

from __future__ import annotations

import socket

import pytest
from lambda_helpers import zip_of

from localaws import PlatformConfig, start_local_aws
from localaws.runtime.pool import EnvironmentPool, ShuttingDown
from localaws.services.state import FunctionSpec


def spec() -> FunctionSpec:
    return FunctionSpec(
        name="after-stop", arn="arn:aws:lambda:us-east-1:123456789012:function:after-stop", version="$LATEST",
        region="us-east-1", handler="app.handler", runtime="python3.11", timeout=3, memory_mb=128,
        ephemeral_mb=512, env={}, code=zip_of({"app.py": "def handler(e, c):\n    return 1\n"}), code_sha="abc",
        layers=(), reserved_concurrency=1, last_modified="now", dead_letter_arn=None, on_failure_arn=None,
        on_success_arn=None, max_retries=2)


def test_pool_refuses_new_environments_once_shut_down(tmp_path):
    pool = EnvironmentPool(PlatformConfig(), tmp_path, "http://127.0.0.1:9")
    pool.shutdown()
    try:
        with pytest.raises(ShuttingDown):
            pool.acquire(spec())
        assert pool.environments() == [] and pool.created == 0
    finally:  # had one been created, nothing else would ever kill it
        for env in pool.environments():
            env.kill()


def test_stop_closes_the_front_before_shutting_the_pool(tmp_path, monkeypatch):
    states: list[str] = []
    original = EnvironmentPool.shutdown

    def shutdown(self: EnvironmentPool) -> None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            states.append("front open")
        except OSError:
            states.append("front closed")
        original(self)

    monkeypatch.setattr(EnvironmentPool, "shutdown", shutdown)
    aws = start_local_aws(tmp_path)
    port = aws.port
    aws.stop()
    assert states and set(states) == {"front closed"}
