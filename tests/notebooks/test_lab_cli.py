"""workshop.lab.cli: the AWS CLI run as a subprocess against a local endpoint (a threaded moto server here)."""

from __future__ import annotations

import pytest
from moto.server import ThreadedMotoServer

from workshop.lab import aws as lab_aws
from workshop.runtime import procs


@pytest.fixture(scope="module")
def endpoint():
    port = procs.free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def test_cli_talks_to_the_endpoint_with_dummy_credentials(endpoint, monkeypatch):
    monkeypatch.setenv("AWS_PROFILE", "a-profile-that-does-not-exist")  # a learner's shell must not leak in
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nor another endpoint
    made = lab_aws.cli(endpoint, "s3api", "create-bucket", "--bucket", "clips")
    assert made.rc == 0, made.stderr
    listed = lab_aws.cli(endpoint, "s3api", "list-buckets")
    assert [b["Name"] for b in listed.json["Buckets"]] == ["clips"]
    assert repr(listed).startswith("$ aws s3api list-buckets --output json\n{")


def test_sqs_gets_the_endpoint_flag_and_text_output(endpoint):
    made = lab_aws.cli(endpoint, "sqs", "create-queue", "--queue-name", "jobs", output="text")
    assert made.shown == f"$ aws sqs create-queue --queue-name jobs --endpoint-url {endpoint} --output text"
    assert made.rc == 0 and made.stdout.strip().endswith("/jobs"), made.stderr


def test_a_refusal_shows_the_error_and_json_raises(endpoint):
    missing = lab_aws.cli(endpoint, "lambda", "get-function", "--function-name", "nothing-here")
    assert missing.rc != 0
    assert "ResourceNotFoundException" in missing.stderr
    assert "ResourceNotFoundException" in repr(missing) and "(exit code" in repr(missing)
    with pytest.raises(RuntimeError, match="nothing-here"):
        _ = missing.json
