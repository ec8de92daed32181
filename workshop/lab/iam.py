"""IAM for the notebooks' functions: roles, resource policies, event-source wiring, and trying a policy out.

A function needs two things granted: its execution role says what the function may do, its resource
policy says who may invoke it. The local platform enforces neither, so these helpers make the calls
real AWS needs, and `try_as_role` checks policies with moto's IAM engine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, Protocol


class LabAws(Protocol):
    """What these helpers need of a lab's local AWS (`workshop.lab.aws.LabAws`): boto3 clients."""

    def client(self, service: str) -> Any:
        """A boto3 client for `service` on the lab's local AWS."""

CREDENTIALS = {"region_name": "us-east-1", "aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
REGION, ACCOUNT = "us-east-1", "123456789012"  # the local AWS's region and moto's account id


def role_arn(name: str) -> str:
    """The ARN of an IAM role in the local account (moto's account id)."""
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def trust(service: str) -> dict[str, Any]:
    """A trust policy letting `service` (e.g. lambda.amazonaws.com, apigateway.amazonaws.com) assume a role."""
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]}


TRUST_LAMBDA = trust("lambda.amazonaws.com")


def log_statement(function: str) -> dict[str, Any]:
    """What every function's role needs to write its own log group (AWSLambdaBasicExecutionRole, scoped)."""
    return {"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{function}:*"}


def create_role(aws: LabAws, name: str, statements: list[dict[str, Any]] | None = None, *,
                function: str | None = None, service: str = "lambda.amazonaws.com") -> str:
    """An IAM role `service` can assume, with an inline policy of `statements`; its ARN.

    By default the role is a Lambda execution role (what the function may do). `function` adds the statement
    that lets that function write its own logs, which AWS needs for anything to reach CloudWatch Logs; no
    statements and no `function`: a role that allows nothing. `service="apigateway.amazonaws.com"` makes
    a role an API Gateway integration assumes (its `credentials`).
    """
    iam = aws.client("iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(trust(service)))["Role"]["Arn"]
    statements = [*([log_statement(function)] if function else []), *(statements or [])]
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName=f"{name}-policy",
                            PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
    return arn


def _resource(arn: str) -> str:
    """The resource part of an ARN (after region and account): `uploads`, `stream/views`, `abc123/*`..."""
    return arn.split(":", 5)[5]


def execute_api_arn(api_id: str) -> str:
    """The execute-api ARN of every stage, route and authorizer of an API (the SourceArn of its grants)."""
    return f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api_id}/*"


def allow_invoke(aws: LabAws, function: str, principal: str, source_arn: str,
                 sid: str | None = None) -> dict[str, Any]:
    """Resource policy (WHO may invoke the function): let `principal`, a service, invoke it for `source_arn` only.

    Push sources need it (S3, SNS, EventBridge, API Gateway routes and authorizers); AWS checks it on every
    invocation, and S3 already when the notification is configured, so grant before wiring. Bucket ARNs name
    no account, so an S3 grant also pins SourceAccount. Returns the statement added.
    """
    extra = {"SourceAccount": ACCOUNT} if principal == "s3.amazonaws.com" else {}
    sid = sid or re.sub(r"[^A-Za-z0-9_.-]", "-", f"{principal.split('.')[0]}-{_resource(source_arn)}")[:100]
    statement = aws.client("lambda").add_permission(
        FunctionName=function, StatementId=sid, Action="lambda:InvokeFunction", Principal=principal,
        SourceArn=source_arn, **extra)["Statement"]
    return json.loads(statement) if isinstance(statement, str) else statement


def read_statements(source_arn: str) -> list[dict[str, Any]]:
    """What an execution role needs for an event source mapping to poll `source_arn` (SQS, Kinesis, DynamoDB stream).

    Lambda's poller reads the source with the function's own role, so these go in the execution role, not in
    a resource policy.
    """
    service = source_arn.split(":")[2]
    if service == "sqs":
        actions, resource = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], source_arn
    elif service == "kinesis":
        actions = ["kinesis:DescribeStream", "kinesis:DescribeStreamSummary", "kinesis:GetRecords",
                   "kinesis:GetShardIterator", "kinesis:ListShards"]
        resource = source_arn
    elif service == "dynamodb" and "/stream/" in source_arn:
        actions = ["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
                   "dynamodb:ListStreams"]
        resource = source_arn.split("/stream/")[0] + "/stream/*"
    else:
        raise ValueError(f"not a source an event source mapping polls: {source_arn}")
    return [{"Effect": "Allow", "Action": actions, "Resource": resource}]


def grant_read(aws: LabAws, role: str, source_arn: str) -> list[dict[str, Any]]:
    """Execution role (WHAT the function may do): add `read_statements(source_arn)` to role `role` (a name).

    Grant before `create_event_source_mapping`: AWS checks the role when the mapping is created.
    """
    statements = read_statements(source_arn)
    name = re.sub(r"[^\w+=,.@-]", "-", f"read-{source_arn.split(':')[2]}-{_resource(source_arn)}")[:128]
    aws.client("iam").put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=json.dumps(
        {"Version": "2012-10-17", "Statement": statements}))
    return statements


def wire_source(aws: LabAws, function: str, source_arn: str, **mapping: Any) -> dict[str, Any]:
    """Connect an event source to `function`, with the permission AWS needs; a row saying what was done.

    Push sources (the service invokes the function): S3 bucket (`arn:aws:s3:::BUCKET`, ObjectCreated events),
    SNS topic, EventBridge rule: first a resource-policy grant (`allow_invoke`), then the notification,
    subscription or target. Polled sources (Lambda's poller reads them): SQS queue, Kinesis stream,
    DynamoDB stream: first the read actions on the function's execution role (`grant_read`), then an event
    source mapping with `mapping` (defaults: BatchSize 10 for SQS, StartingPosition LATEST for streams).
    """
    lam = aws.client("lambda")
    config = lam.get_function_configuration(FunctionName=function)
    arn, service = config["FunctionArn"], source_arn.split(":")[2]
    if service in ("sqs", "kinesis", "dynamodb"):
        role = config["Role"].rsplit("/", 1)[-1]
        statements = grant_read(aws, role, source_arn)
        defaults = {"BatchSize": 10} if service == "sqs" else {"StartingPosition": "LATEST"}
        lam.create_event_source_mapping(EventSourceArn=source_arn, FunctionName=function, **{**defaults, **mapping})
        return {"source": service, "invoked by": "Lambda's poller", "wired with": "lambda.create_event_source_mapping",
                "permission": f"execution role {role}: {len(statements[0]['Action'])} {service} read actions"}
    principal = {"s3": "s3.amazonaws.com", "sns": "sns.amazonaws.com", "events": "events.amazonaws.com"}.get(service)
    if principal is None:
        raise ValueError(f"no wiring for {source_arn}")
    allow_invoke(aws, function, principal, source_arn)
    if service == "s3":
        s3, bucket = aws.client("s3"), source_arn.split(":::", 1)[1]
        current = s3.get_bucket_notification_configuration(Bucket=bucket)
        current.pop("ResponseMetadata", None)
        current.setdefault("LambdaFunctionConfigurations", []).append(
            {"LambdaFunctionArn": arn, "Events": ["s3:ObjectCreated:*"]})
        s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=current)
        call = "s3.put_bucket_notification_configuration"
    elif service == "sns":
        aws.client("sns").subscribe(TopicArn=source_arn, Protocol="lambda", Endpoint=arn)
        call = "sns.subscribe"
    else:
        rule = source_arn.split(":rule/", 1)[1]
        aws.client("events").put_targets(Rule=rule, Targets=[{"Id": function, "Arn": arn}])
        call = "events.put_targets"
    return {"source": service, "invoked by": principal, "wired with": call,
            "permission": f"resource policy of {function}: {principal} may invoke it"}


def try_as_role(policies: dict[str, list[dict[str, Any]]], attempts: dict[str, Callable[[Any], Any]],
                objects: dict[str, list[str]] | None = None, service: str = "s3") -> Any:
    """Try each of `attempts` as a role holding each of `policies`, with IAM checks on; a table of the outcomes.

    Runs in an in-process moto (`mock_aws`, nothing shared with a running local AWS, whose Lambda platform
    does not enforce IAM): creates the S3 `objects` ({bucket: [keys]}, default: `media` with a rendition and
    a source), then, per policy label, a role Lambda may assume with those statements. It assumes the role
    through STS, as Lambda would, and calls each attempt with a `service` client holding the role's
    credentials inside moto's `enable_iam_authentication` (which evaluates S3 resource ARNs; for other
    services it only matches actions). Returns a pandas DataFrame: one row per attempt, one column per
    policy label, each cell "allowed" or the error code (AccessDenied...).
    """
    import boto3
    import pandas as pd
    from botocore.exceptions import ClientError
    from moto import mock_aws
    from moto.core.authorization import enable_iam_authentication

    objects = objects if objects is not None else {"media": ["renditions/v1/hq.mp4", "sources/v1"]}
    rows: dict[str, dict[str, str]] = {what: {} for what in attempts}
    with mock_aws():
        s3_admin, iam, sts = (boto3.client(s, **CREDENTIALS) for s in ("s3", "iam", "sts"))
        for bucket, keys in objects.items():
            s3_admin.create_bucket(Bucket=bucket)
            for key in keys:
                s3_admin.put_object(Bucket=bucket, Key=key, Body=b"bytes")
        for i, (label, statements) in enumerate(policies.items()):
            role = f"try-as-role-{i}"
            arn = iam.create_role(RoleName=role, AssumeRolePolicyDocument=json.dumps(TRUST_LAMBDA))["Role"]["Arn"]
            iam.put_role_policy(RoleName=role, PolicyName=role,
                                PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": statements}))
            creds = sts.assume_role(RoleArn=arn, RoleSessionName="function")["Credentials"]
            as_role = boto3.client(service, region_name=REGION, aws_access_key_id=creds["AccessKeyId"],
                                   aws_secret_access_key=creds["SecretAccessKey"],
                                   aws_session_token=creds["SessionToken"])
            with enable_iam_authentication():
                for what, call in attempts.items():
                    try:
                        call(as_role)
                        rows[what][label] = "allowed"
                    except ClientError as exc:
                        rows[what][label] = exc.response["Error"]["Code"]
    return pd.DataFrame(rows).T
