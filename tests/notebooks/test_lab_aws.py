"""workshop.lab.aws: the permission helpers of notebooks 05 and 06, and the least-privilege experiment of 12.

In-process moto only (no local AWS process, no kernel): fast.
"""

from __future__ import annotations

import json

import boto3
import pytest
from moto import mock_aws

from workshop.lab import aws as lab_aws


class InProcessAws:
    """Stands in for a LabAws: clients of the in-process moto that `mock_aws` is running."""

    def client(self, service: str, retries: bool = True):
        return boto3.client(service, **lab_aws.CREDENTIALS)


@pytest.fixture
def aws():
    with mock_aws():
        yield InProcessAws()


def test_read_statements_name_what_each_poller_needs():
    queue = "arn:aws:sqs:us-east-1:123456789012:jobs"
    assert lab_aws.read_statements(queue) == [{"Effect": "Allow", "Resource": queue, "Action": [
        "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"]}]
    stream = "arn:aws:kinesis:us-east-1:123456789012:stream/views"
    assert "kinesis:GetRecords" in lab_aws.read_statements(stream)[0]["Action"]
    table_stream = "arn:aws:dynamodb:us-east-1:123456789012:table/videos/stream/2026-01-01T00:00:00.000"
    (ddb,) = lab_aws.read_statements(table_stream)
    assert ddb["Resource"] == "arn:aws:dynamodb:us-east-1:123456789012:table/videos/stream/*"
    assert "dynamodb:GetRecords" in ddb["Action"]
    with pytest.raises(ValueError):
        lab_aws.read_statements("arn:aws:s3:::uploads")  # S3 pushes: a resource policy, not role actions


def test_roles_trust_their_service_and_can_log(aws):
    lab_aws.create_role(aws, "fn-role", function="fn")
    lab_aws.create_role(aws, "gw-role", [{"Effect": "Allow", "Action": "dynamodb:PutItem", "Resource": "*"}],
                        service="apigateway.amazonaws.com")
    iam = aws.client("iam")
    principals = {name: iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
                  for name in ("fn-role", "gw-role")}
    assert principals == {"fn-role": {"Service": "lambda.amazonaws.com"},
                          "gw-role": {"Service": "apigateway.amazonaws.com"}}
    logs = iam.get_role_policy(RoleName="fn-role", PolicyName="fn-role-policy")["PolicyDocument"]["Statement"]
    assert logs[0]["Resource"].endswith(":log-group:/aws/lambda/fn:*")


def test_wire_source_grants_before_wiring(aws):
    role = lab_aws.create_role(aws, "fanout-role", function="fanout")
    aws.client("lambda").create_function(FunctionName="fanout", Runtime="python3.11", Handler="fanout.handler",
                                         Role=role, Code={"ZipFile": lab_aws.function_zip("fanout")})
    aws.client("s3").create_bucket(Bucket="uploads")
    queue = aws.client("sqs").create_queue(QueueName="jobs")["QueueUrl"]
    queue_arn = aws.client("sqs").get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])[
        "Attributes"]["QueueArn"]

    pushed = lab_aws.wire_source(aws, "fanout", "arn:aws:s3:::uploads")
    polled = lab_aws.wire_source(aws, "fanout", queue_arn)

    assert pushed["invoked by"] == "s3.amazonaws.com" and polled["invoked by"] == "Lambda's poller"
    (statement,) = json.loads(aws.client("lambda").get_policy(FunctionName="fanout")["Policy"])["Statement"]
    assert statement["Principal"] == {"Service": "s3.amazonaws.com"}
    assert statement["Condition"]["ArnLike"]["AWS:SourceArn"] == "arn:aws:s3:::uploads"
    assert statement["Condition"]["StringEquals"]["AWS:SourceAccount"] == lab_aws.ACCOUNT
    config = aws.client("s3").get_bucket_notification_configuration(Bucket="uploads")
    assert [c["LambdaFunctionArn"].split(":")[-1] for c in config["LambdaFunctionConfigurations"]] == ["fanout"]
    read = aws.client("iam").get_role_policy(RoleName="fanout-role", PolicyName="read-sqs-jobs")["PolicyDocument"]
    assert read["Statement"] == lab_aws.read_statements(queue_arn)
    mappings = aws.client("lambda").list_event_source_mappings(FunctionName="fanout")["EventSourceMappings"]
    assert [m["EventSourceArn"] for m in mappings] == [queue_arn]


def test_allow_invoke_lets_an_api_call_a_function(aws):
    role = lab_aws.create_role(aws, "echo-role", function="echo")
    aws.client("lambda").create_function(FunctionName="echo", Runtime="python3.11", Handler="echo.handler",
                                         Role=role, Code={"ZipFile": lab_aws.function_zip("echo")})
    source = lab_aws.execute_api_arn("abc123")
    assert source == "arn:aws:execute-api:us-east-1:123456789012:abc123/*"  # every stage, route and authorizer
    added = lab_aws.allow_invoke(aws, "echo", "apigateway.amazonaws.com", source)
    assert added["Sid"] == "apigateway-abc123--"
    (statement,) = json.loads(aws.client("lambda").get_policy(FunctionName="echo")["Policy"])["Statement"]
    assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
    assert statement["Condition"] == {"ArnLike": {"AWS:SourceArn": source}}


def test_try_as_role_refuses_what_the_policy_does_not_allow():
    policies = {
        "least": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::media/renditions/*"}],
        "broad": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
    }
    attempts = {
        "read a rendition": lambda c: c.get_object(Bucket="media", Key="renditions/v1/hq.mp4"),
        "read a source": lambda c: c.get_object(Bucket="media", Key="sources/v1"),
        "delete a rendition": lambda c: c.delete_object(Bucket="media", Key="renditions/v1/hq.mp4"),
    }
    table = lab_aws.try_as_role(policies, attempts)
    assert table.to_dict() == {
        "least": {"read a rendition": "allowed", "read a source": "AccessDenied", "delete a rendition": "AccessDenied"},
        "broad": {"read a rendition": "allowed", "read a source": "allowed", "delete a rendition": "allowed"},
    }
