"""A local AWS per test module (not running while other folders' tests run), function deploy helpers, and the
AWS CLI run against it."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import boto3
import pytest
from aws_cli import Cli, cli_env, run_batch
from botocore.config import Config
from lambda_helpers import zip_of

from localaws import LocalAws, PlatformConfig, start_local_aws


@pytest.fixture(scope="module")
def aws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalAws]:
    cfg = PlatformConfig(idle_ttl_s=300, async_retry_delay_s=0.05, poll_interval_s=0.05)
    with start_local_aws(tmp_path_factory.mktemp("localaws"), config=cfg) as running:
        yield running


@pytest.fixture(scope="module")
def client(aws: LocalAws) -> Callable[[str], object]:
    def make(service: str) -> object:
        return boto3.client(service, endpoint_url=aws.endpoint, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing",
                            # no SDK retries: the tests want to see throttles, not hide them
                            config=Config(retries={"total_max_attempts": 1}, read_timeout=60))
    return make


@pytest.fixture(scope="module")
def cli(aws: LocalAws, workdir: Path) -> Cli:
    """AWS CLI v1 commands, a batch in one process, against the module's local AWS; files live in its `workdir`."""
    env = cli_env(aws.endpoint, workdir)
    return lambda commands: run_batch(env, commands, workdir)


@pytest.fixture(scope="module")
def role(client: Callable[[str], object]) -> str:
    iam = client("iam")
    return iam.create_role(RoleName="test-lambda-role", AssumeRolePolicyDocument="{}")["Role"]["Arn"]  # type: ignore[attr-defined]


@pytest.fixture
def deploy(client: Callable[[str], object], role: str) -> Callable[..., str]:
    """Create a function from handler source (module app.py, handler app.handler); return its name."""
    lam = client("lambda")

    def make(source: str, name: str | None = None, files: dict[str, str] | None = None, **config: object) -> str:
        name = name or f"fn-{uuid.uuid4().hex[:8]}"
        lam.create_function(  # type: ignore[attr-defined]
            FunctionName=name, Runtime="python3.11", Role=role, Handler=config.pop("Handler", "app.handler"),
            Code={"ZipFile": zip_of({"app.py": source, **(files or {})})}, **config)
        return name

    return make


@pytest.fixture
def seen(client: Callable[[str], object]) -> Callable[..., list[object]]:
    """Wait until a function has printed n 'SEEN <json>' lines; return the decoded values in log order."""
    import json
    import time

    logs = client("logs")

    def wait(name: str, n: int, timeout: float = 20.0) -> list[object]:
        deadline = time.monotonic() + timeout
        found: list[object] = []
        while time.monotonic() < deadline:
            try:
                events = logs.filter_log_events(logGroupName=f"/aws/lambda/{name}")["events"]  # type: ignore[attr-defined]
            except Exception:
                events = []
            found = [json.loads(e["message"][5:]) for e in events if e["message"].startswith("SEEN ")]
            if len(found) >= n:
                return found
            time.sleep(0.1)
        raise AssertionError(f"{name}: saw {len(found)} of {n}: {found}")

    return wait
