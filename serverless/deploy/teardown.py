"""Remove everything the template declares (newest dependencies first), then prove it by listing."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from serverless.deploy.aws import Target, error_code
from serverless.deploy.stack import Stack

GONE = ("ResourceNotFoundException", "NoSuchEntity", "NoSuchBucket", "NotFoundException", "NotFound",
        "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist", "404")


def _quietly(fn: Callable[[], Any]) -> None:
    try:
        fn()
    except Exception as exc:
        if error_code(exc) not in GONE:
            raise


def _delete_queue(sqs: Any, name: str) -> None:
    sqs.delete_queue(QueueUrl=sqs.get_queue_url(QueueName=name)["QueueUrl"])


def _delete_bucket(t: Target, name: str) -> None:
    _empty_bucket(t, name)
    t.client("s3").delete_bucket(Bucket=name)


def _empty_bucket(t: Target, name: str) -> None:
    s3 = t.client("s3")
    for page in s3.get_paginator("list_object_versions").paginate(Bucket=name):
        doomed = [{"Key": o["Key"], "VersionId": o["VersionId"]}
                  for o in page.get("Versions", []) + page.get("DeleteMarkers", [])]
        if doomed:
            s3.delete_objects(Bucket=name, Delete={"Objects": doomed, "Quiet": True})


def _function(t: Target, name: str) -> None:
    lam = t.client("lambda")
    for page in lam.get_paginator("list_event_source_mappings").paginate():
        for esm in page.get("EventSourceMappings", []):  # the function's own and its aliases'
            if f":function:{name}:" in esm["FunctionArn"] + ":":
                _quietly(functools.partial(lam.delete_event_source_mapping, UUID=esm["UUID"]))
    _quietly(lambda: lam.delete_function(FunctionName=name))  # versions and aliases go with it
    # Lambda made its log group on first invocation; on AWS it never expires, so it goes with the function.
    _quietly(lambda: t.client("logs").delete_log_group(logGroupName=log_group(name)))


def log_group(function_name: str) -> str:
    """Where Lambda writes a function's logs."""
    return f"/aws/lambda/{function_name}"


def _every(client: Any, operation: str, key: str, **kwargs: Any) -> list[Any]:
    """Every item of a list call, across all its pages (a real account may have more than one page)."""
    if client.can_paginate(operation):
        return [item for page in client.get_paginator(operation).paginate(**kwargs) for item in page.get(key, [])]
    return list(getattr(client, operation)(**kwargs).get(key, []))


def _role(t: Target, name: str) -> None:
    iam = t.client("iam")
    try:
        policies = iam.list_role_policies(RoleName=name)["PolicyNames"]
    except Exception as exc:
        if error_code(exc) in GONE:
            return
        raise
    for policy in policies:
        iam.delete_role_policy(RoleName=name, PolicyName=policy)
    iam.delete_role(RoleName=name)


def teardown(t: Target, stack: Stack, log: Callable[[str], None] = print) -> None:
    """Delete the stack's resources; the artifacts bucket last."""
    lam, sns, sqs, gwv2, gw = (t.client(s) for s in ("lambda", "sns", "sqs", "apigatewayv2", "apigateway"))
    for r in reversed(stack.resources):
        log(f"delete {r.type} {r.name or r.logical}")
        if r.type == "AWS::Serverless::HttpApi":
            for api in gwv2.get_apis().get("Items", []):
                if api["Name"] == r.name:
                    gwv2.delete_api(ApiId=api["ApiId"])
        elif r.type == "AWS::ApiGateway::RestApi":
            for api in gw.get_rest_apis().get("items", []):
                if api["name"] == r.name:
                    gw.delete_rest_api(restApiId=api["id"])
        elif r.type == "AWS::Serverless::Function":
            _function(t, r.physical)
        elif r.type == "AWS::Serverless::LayerVersion":
            for v in lam.list_layer_versions(LayerName=r.name).get("LayerVersions", []):
                lam.delete_layer_version(LayerName=r.name, VersionNumber=v["Version"])
        elif r.type == "AWS::SNS::Topic":
            arn = stack.ctx.attrs[(r.logical, "Arn")]
            for sub in sns.list_subscriptions().get("Subscriptions", []):
                if sub["TopicArn"] == arn and sub["SubscriptionArn"].startswith("arn:"):
                    sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
            sns.delete_topic(TopicArn=arn)
        elif r.type == "AWS::SQS::Queue":
            _quietly(functools.partial(_delete_queue, sqs, r.physical))
        elif r.type == "AWS::Kinesis::Stream":
            _quietly(functools.partial(t.client("kinesis").delete_stream, StreamName=r.physical,
                                       EnforceConsumerDeletion=True))
        elif r.type == "AWS::S3::Bucket":
            _quietly(functools.partial(_delete_bucket, t, r.physical))
        elif r.type == "AWS::DynamoDB::Table":
            _quietly(functools.partial(t.client("dynamodb").delete_table, TableName=r.physical))
        elif r.type == "AWS::IAM::Role":
            _role(t, r.physical)
    art = stack.artifacts_bucket()
    _quietly(functools.partial(_delete_bucket, t, art))


def leftovers(t: Target, stack: Stack) -> list[str]:
    """Whatever of the stack still exists, found by listing each service (empty when teardown worked)."""
    names: dict[str, set[str]] = {r.type: set() for r in stack.resources}
    for r in stack.resources:
        if r.name:
            names[r.type].add(r.name)
    c = t.client
    s3 = {b["Name"] for b in _every(c("s3"), "list_buckets", "Buckets")}
    functions = {f["FunctionName"] for f in _every(c("lambda"), "list_functions", "Functions")}
    found = {
        "AWS::IAM::Role": {x["RoleName"] for x in _every(c("iam"), "list_roles", "Roles")},
        "AWS::DynamoDB::Table": set(_every(c("dynamodb"), "list_tables", "TableNames")),
        "AWS::S3::Bucket": s3,
        "AWS::Kinesis::Stream": set(_every(c("kinesis"), "list_streams", "StreamNames")),
        "AWS::SNS::Topic": {x["TopicArn"].rsplit(":", 1)[1] for x in _every(c("sns"), "list_topics", "Topics")},
        "AWS::SQS::Queue": {u.rsplit("/", 1)[1] for u in _every(c("sqs"), "list_queues", "QueueUrls")},
        "AWS::Serverless::Function": functions,
        "AWS::Serverless::LayerVersion": {x["LayerName"] for x in _every(c("lambda"), "list_layers", "Layers")},
        "AWS::Serverless::HttpApi": {x["Name"] for x in _every(c("apigatewayv2"), "get_apis", "Items")},
        "AWS::ApiGateway::RestApi": {x["name"] for x in _every(c("apigateway"), "get_rest_apis", "items")},
    }
    left = [f"{kind} {name}" for kind, wanted in names.items() for name in sorted(wanted & found.get(kind, set()))]
    if stack.artifacts_bucket() in s3:
        left.append(f"AWS::S3::Bucket {stack.artifacts_bucket()}")
    subs = _every(c("sns"), "list_subscriptions", "Subscriptions")
    left += [f"AWS::SNS::Subscription {s['SubscriptionArn']}" for s in subs if stack.prefix in s["TopicArn"]]
    groups = {g["logGroupName"] for g in _every(c("logs"), "describe_log_groups", "logGroups")}
    left += [f"AWS::Logs::LogGroup {log_group(n)}" for n in sorted(names.get("AWS::Serverless::Function", set()))
             if log_group(n) in groups]
    return left
