"""Remove everything the template declares (newest dependencies first), then prove it by listing."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from serverless.deploy.aws import Target, error_code
from serverless.deploy.kinds import kind
from serverless.deploy.stack import Resource, Stack

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


def _http_api(t: Target, stack: Stack, r: Resource) -> None:
    gw = t.client("apigatewayv2")
    for api in gw.get_apis().get("Items", []):
        if api["Name"] == r.name:
            gw.delete_api(ApiId=api["ApiId"])


def _rest_api(t: Target, stack: Stack, r: Resource) -> None:
    gw = t.client("apigateway")
    for api in gw.get_rest_apis().get("items", []):
        if api["name"] == r.name:
            gw.delete_rest_api(restApiId=api["id"])


def _layer(t: Target, stack: Stack, r: Resource) -> None:
    lam = t.client("lambda")
    for v in lam.list_layer_versions(LayerName=r.name).get("LayerVersions", []):
        lam.delete_layer_version(LayerName=r.name, VersionNumber=v["Version"])


def _topic(t: Target, stack: Stack, r: Resource) -> None:
    sns, arn = t.client("sns"), stack.ctx.attrs[(r.logical, "Arn")]
    for sub in sns.list_subscriptions().get("Subscriptions", []):
        if sub["TopicArn"] == arn and sub["SubscriptionArn"].startswith("arn:"):
            sns.unsubscribe(SubscriptionArn=sub["SubscriptionArn"])
    sns.delete_topic(TopicArn=arn)


Remover = Callable[[Target, Stack, Resource], None]
REMOVERS: dict[str, Remover] = {  # one per type of kinds.KINDS that is not removed with another
    "AWS::IAM::Role": lambda t, stack, r: _role(t, r.physical),
    "AWS::DynamoDB::Table": lambda t, stack, r: _quietly(
        functools.partial(t.client("dynamodb").delete_table, TableName=r.physical)),
    "AWS::S3::Bucket": lambda t, stack, r: _quietly(functools.partial(_delete_bucket, t, r.physical)),
    "AWS::Kinesis::Stream": lambda t, stack, r: _quietly(
        functools.partial(t.client("kinesis").delete_stream, StreamName=r.physical, EnforceConsumerDeletion=True)),
    "AWS::SNS::Topic": _topic,
    "AWS::SQS::Queue": lambda t, stack, r: _quietly(functools.partial(_delete_queue, t.client("sqs"), r.physical)),
    "AWS::Serverless::LayerVersion": _layer,
    "AWS::Serverless::Function": lambda t, stack, r: _function(t, r.physical),
    "AWS::Serverless::HttpApi": _http_api,
    "AWS::ApiGateway::RestApi": _rest_api,
}


def teardown(t: Target, stack: Stack, log: Callable[[str], None] = print) -> None:
    """Delete the stack's resources in the table's order backwards; the artifacts bucket last."""
    for r in reversed(stack.resources):
        row = kind(r.type)
        if row.removed_with:
            continue  # goes with its parent
        log(f"delete {r.type} {r.name or r.logical}")
        REMOVERS[r.type](t, stack, r)
    _quietly(functools.partial(_delete_bucket, t, stack.artifacts_bucket()))


Lister = Callable[[Callable[[str], Any]], set[str]]
LISTERS: dict[str, Lister] = {  # one per type of kinds.KINDS marked `listed`: the names present now
    "AWS::IAM::Role": lambda c: {x["RoleName"] for x in _every(c("iam"), "list_roles", "Roles")},
    "AWS::DynamoDB::Table": lambda c: set(_every(c("dynamodb"), "list_tables", "TableNames")),
    "AWS::S3::Bucket": lambda c: {b["Name"] for b in _every(c("s3"), "list_buckets", "Buckets")},
    "AWS::Kinesis::Stream": lambda c: set(_every(c("kinesis"), "list_streams", "StreamNames")),
    "AWS::SNS::Topic": lambda c: {x["TopicArn"].rsplit(":", 1)[1] for x in _every(c("sns"), "list_topics", "Topics")},
    "AWS::SQS::Queue": lambda c: {u.rsplit("/", 1)[1] for u in _every(c("sqs"), "list_queues", "QueueUrls")},
    "AWS::Serverless::Function": lambda c: {f["FunctionName"] for f in _every(c("lambda"), "list_functions",
                                                                               "Functions")},
    "AWS::Serverless::LayerVersion": lambda c: {x["LayerName"] for x in _every(c("lambda"), "list_layers", "Layers")},
    "AWS::Serverless::HttpApi": lambda c: {x["Name"] for x in _every(c("apigatewayv2"), "get_apis", "Items")},
    "AWS::ApiGateway::RestApi": lambda c: {x["name"] for x in _every(c("apigateway"), "get_rest_apis", "items")},
}


def leftovers(t: Target, stack: Stack) -> list[str]:
    """Whatever of the stack still exists, found by listing each service (empty when teardown worked)."""
    wanted: dict[str, set[str]] = {}
    for r in stack.resources:
        if r.name and kind(r.type).listed:
            wanted.setdefault(r.type, set()).add(r.name)
    c = t.client
    found = {kind_name: LISTERS[kind_name](c) for kind_name in wanted}
    left = [f"{k} {name}" for k, names in wanted.items() for name in sorted(names & found[k])]
    buckets = found.get("AWS::S3::Bucket") or LISTERS["AWS::S3::Bucket"](c)
    if stack.artifacts_bucket() in buckets:
        left.append(f"AWS::S3::Bucket {stack.artifacts_bucket()}")
    subs = _every(c("sns"), "list_subscriptions", "Subscriptions")
    left += [f"AWS::SNS::Subscription {s['SubscriptionArn']}" for s in subs if stack.prefix in s["TopicArn"]]
    groups = {g["logGroupName"] for g in _every(c("logs"), "describe_log_groups", "logGroups")}
    left += [f"AWS::Logs::LogGroup {log_group(n)}" for n in sorted(wanted.get("AWS::Serverless::Function", set()))
             if log_group(n) in groups]
    return left
