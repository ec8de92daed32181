"""Fixtures of the serverless unit tests: an in-process moto (mock_aws) holding the stack's data resources,
created by the deployer itself, sample events, and a Lambda context."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from moto import mock_aws
from sllib import LambdaContext

# The probe and analytics modules make their Powertools idempotency client at import, as in Lambda's INIT:
# it needs a region and credentials (moto's dummies) before any test imports them.
for _name, _value in (("AWS_DEFAULT_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "testing"),
                      ("AWS_SECRET_ACCESS_KEY", "testing")):
    os.environ.setdefault(_name, _value)
DATA_TYPES = ("AWS::DynamoDB::Table", "AWS::S3::Bucket", "AWS::Kinesis::Stream", "AWS::SNS::Topic",
              "AWS::SQS::Queue", "AWS::SQS::QueuePolicy", "AWS::SNS::Subscription")


def _clear_caches() -> None:
    from serverless.functions import wiring
    from videocatalog.adapters import awsclients

    awsclients.reset()
    for fn in (wiring.repo, wiring.blobs, wiring.notifier, wiring.catalog):
        fn.cache_clear()


@dataclass
class Stack:
    """The deployed data resources and the function environment that names them."""

    stack: Any
    target: Any
    env: dict[str, str]

    @property
    def bucket(self) -> str:
        return self.env["MEDIA_BUCKET"]

    def client(self, service: str) -> Any:
        return self.target.client(service)


@pytest.fixture
def aws(monkeypatch) -> Iterator[Stack]:
    """mock_aws with the template's tables, bucket, stream, topic and queues; the function env set."""
    for name in ("AWS_ENDPOINT_URL", "AWS_PROFILE", "WORKSHOP_FAULT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                        "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
                        "POWERTOOLS_METRICS_NAMESPACE": "VideoCatalogTest",
                        "POWERTOOLS_SERVICE_NAME": "test"}.items():
        monkeypatch.setenv(name, value)
    with mock_aws():
        from serverless.deploy import resources
        from serverless.deploy.aws import Target
        from serverless.deploy.deployer import stack_params
        from serverless.deploy.functions import configuration
        from serverless.deploy.stack import Stack as DeclaredStack

        _clear_caches()
        target = Target("aws", region="us-east-1")
        stack = DeclaredStack(stack_params(), "123456789012", "us-east-1")
        for r in stack.resources:
            if r.type in DATA_TYPES:
                resources.CREATORS[r.type](target, stack, r)
        env = configuration(stack, stack.get("ListVideosFunction"))["Environment"]["Variables"]
        for name, value in env.items():
            if name != "POWERTOOLS_SERVICE_NAME":
                monkeypatch.setenv(name, value)
        yield Stack(stack, target, env)
        _clear_caches()


@pytest.fixture
def context() -> LambdaContext:
    return LambdaContext()
