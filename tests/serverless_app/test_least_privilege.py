"""One role per function, least privilege: each policy, as written in the template, allows what its function
does and refuses what it does not.

Two checks: (1) an explicit evaluation of every role's resolved policy with moto's IAM policy evaluator
(`moto.iam.access_control.IAMPolicy`), over the exact ARNs; (2) moto's IAM enforcement on real calls with
the role's assumed credentials, for S3, the one service where moto enforces resource-level permissions
(for DynamoDB, Kinesis, SNS it checks the action against resource "*", which cannot test scoping).
"""

from __future__ import annotations

import json

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core import enable_iam_authentication
from moto.iam.access_control import IAMPolicy, PermissionResult

from serverless.deploy import resources
from serverless.deploy.aws import Target
from serverless.deploy.deployer import stack_params
from serverless.deploy.stack import Stack


@pytest.fixture(scope="module")
def stack() -> Stack:
    return Stack(stack_params(), "123456789012", "us-east-1")


def allowed(stack: Stack, role: str, action: str, resource: str) -> bool:
    """True when the role's inline policies allow `action` on `resource` (no policy allows by default)."""
    for policy in stack.get(role).props["Policies"]:
        doc = stack.resolve(policy["PolicyDocument"])
        if IAMPolicy(json.dumps(doc)).is_action_permitted(action, resource) == PermissionResult.PERMITTED:
            return True
    return False


def arns(stack: Stack) -> dict[str, str]:
    a = stack.ctx.attrs
    bucket = a[("MediaBucket", "Arn")]
    return {"videos": a[("VideosTable", "Arn")], "counts": a[("ViewCountsTable", "Arn")],
            "idem": a[("IdempotencyTable", "Arn")], "sources": f"{bucket}/sources/v1", "bucket": bucket,
            "renditions": f"{bucket}/renditions/v1/hq.mp4", "stream": a[("ViewsStream", "Arn")],
            "topic": stack.ctx.refs["StatusTopic"], "failures": a[("PipelineFailuresQueue", "Arn")],
            "render": f"{a[('RenderFunction', 'Arn')]}:live",
            "other_table": "arn:aws:dynamodb:us-east-1:123456789012:table/someone-elses"}


CASES = [  # (role, action, resource key, expected)
    ("GetVideoRole", "dynamodb:GetItem", "videos", True),
    ("GetVideoRole", "dynamodb:DeleteItem", "videos", False),
    ("GetVideoRole", "dynamodb:GetItem", "other_table", False),
    ("GetVideoRole", "s3:GetObject", "renditions", True),
    ("GetVideoRole", "s3:GetObject", "sources", False),
    ("ListVideosRole", "dynamodb:Query", "videos", False),  # only the index, not the table
    ("ListVideosRole", "dynamodb:Scan", "videos", False),
    ("CreateVideoRole", "dynamodb:PutItem", "videos", True),
    ("CreateVideoRole", "s3:PutObject", "sources", True),
    ("CreateVideoRole", "s3:PutObject", "renditions", False),
    ("DeleteVideoRole", "s3:DeleteObject", "renditions", True),
    ("DeleteVideoRole", "dynamodb:DeleteTable", "videos", False),
    ("PostViewRole", "kinesis:PutRecord", "stream", True),
    ("PostViewRole", "kinesis:GetRecords", "stream", False),
    ("ProbeRole", "lambda:InvokeFunction", "render", True),
    ("ProbeRole", "sns:Publish", "topic", True),
    ("ProbeRole", "s3:PutObject", "renditions", False),
    ("RenderRole", "s3:PutObject", "renditions", True),
    ("RenderRole", "s3:DeleteObject", "sources", False),
    ("RenderRole", "dynamodb:DeleteItem", "videos", False),
    ("RenderRole", "lambda:InvokeFunction", "render", False),
    ("PipelineFailuresRole", "sqs:DeleteMessage", "failures", True),
    ("PipelineFailuresRole", "sqs:SendMessage", "failures", False),
    ("PipelineFailuresRole", "dynamodb:PutItem", "videos", True),
    ("PipelineFailuresRole", "dynamodb:DeleteItem", "videos", False),
    ("PipelineFailuresRole", "s3:GetObject", "sources", False),
    ("AnalyticsRole", "dynamodb:UpdateItem", "counts", True),
    ("AnalyticsRole", "dynamodb:UpdateItem", "videos", False),
    ("GetHealthRole", "dynamodb:GetItem", "videos", False),
    ("AuthorizerRole", "s3:GetObject", "renditions", False),
]


@pytest.mark.parametrize("role,action,key,expected", CASES)
def test_each_policy_allows_exactly_its_functions_actions(stack, role, action, key, expected):
    assert allowed(stack, role, action, arns(stack)[key]) is expected


def test_the_list_role_may_query_the_newest_index(stack):
    assert allowed(stack, "ListVideosRole", "dynamodb:Query", arns(stack)["videos"] + "/index/newest")


def test_every_function_has_its_own_role(stack):
    roles = [stack.resolve(r.props["Role"]) for r in stack.of_type("AWS::Serverless::Function")]
    assert len(roles) == len(set(roles)) == len(stack.of_type("AWS::IAM::Role"))


def test_moto_refuses_s3_calls_outside_the_render_role(stack, monkeypatch):
    for name, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    with mock_aws():
        admin = Target("aws", region="us-east-1")
        for logical in ("MediaBucket", "RenderRole"):
            r = stack.get(logical)
            resources.CREATORS[r.type](admin, stack, r)
        creds = admin.client("sts").assume_role(RoleArn=stack.ctx.attrs[("RenderRole", "Arn")],
                                                RoleSessionName="render")["Credentials"]
        s3 = boto3.client("s3", region_name="us-east-1", aws_access_key_id=creds["AccessKeyId"],
                          aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"])
        bucket = stack.ctx.refs["MediaBucket"]
        with enable_iam_authentication():
            s3.put_object(Bucket=bucket, Key="renditions/v1/hq.mp4", Body=b"ok")  # in the policy
            for call in (lambda: s3.delete_object(Bucket=bucket, Key="sources/v1"),
                         lambda: s3.put_object(Bucket=bucket, Key="sources/v1", Body=b"no"),
                         lambda: s3.delete_bucket(Bucket=bucket)):
                with pytest.raises(ClientError) as refused:
                    call()
                assert refused.value.response["Error"]["Code"] == "AccessDenied"
