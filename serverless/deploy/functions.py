"""Functions: code, configuration, a published version and the `live` alias; and their S3/Kinesis events."""

from __future__ import annotations

import functools
from typing import Any

from serverless.deploy.aws import Target, error_code, exists, retry
from serverless.deploy.concurrency import MIN_UNRESERVED, reserve
from serverless.deploy.stack import Resource, Stack

ALIAS = "live"
ROLE_NOT_READY = ("InvalidParameterValueException",)  # "The role defined for the function cannot be assumed"


def configuration(stack: Stack, r: Resource, extra_env: dict[str, str] | None = None) -> dict[str, Any]:
    """The create/update_function_configuration arguments the template declares for a function."""
    p = stack.resolve({k: v for k, v in r.props.items() if k not in ("Events", "CodeUri", "AutoPublishAlias")})
    env = {k: str(v) for k, v in ((p.get("Environment") or {}).get("Variables") or {}).items()}
    env.update(extra_env or {})
    config: dict[str, Any] = {
        "FunctionName": r.name, "Role": p["Role"], "Handler": p["Handler"], "Runtime": p["Runtime"],
        "MemorySize": int(p.get("MemorySize", 128)), "Timeout": int(p.get("Timeout", 3)),
        "Environment": {"Variables": env}, "Layers": list(p.get("Layers") or []),
        "EphemeralStorage": {"Size": int((p.get("EphemeralStorage") or {}).get("Size", 512))},
    }
    dlq = p.get("DeadLetterQueue")
    if dlq:
        config["DeadLetterConfig"] = {"TargetArn": dlq["TargetArn"]}
    return config


def deploy_function(t: Target, stack: Stack, r: Resource, code: dict[str, str]) -> str:
    """Create or update one function, publish a version, point `live` at it; returns the version."""
    lam = t.client("lambda")
    config = configuration(stack, r)
    if exists(lambda: lam.get_function(FunctionName=r.name), ("ResourceNotFoundException",)):
        lam.update_function_code(FunctionName=r.name, **code)
        lam.get_waiter("function_updated_v2").wait(FunctionName=r.name, WaiterConfig={"Delay": 1})
        retry(lambda: lam.update_function_configuration(**config), ROLE_NOT_READY)
    else:
        # Right after create_role, AWS may refuse the role for a few seconds (IAM propagation).
        retry(lambda: lam.create_function(**config, Code=code, Publish=False,
                                          Tags={"workshop:stack": stack.prefix}), ROLE_NOT_READY,
              attempts=12, delay_s=2.0)
    lam.get_waiter("function_active_v2").wait(FunctionName=r.name, WaiterConfig={"Delay": 1})
    lam.get_waiter("function_updated_v2").wait(FunctionName=r.name, WaiterConfig={"Delay": 1})
    reserved = r.props.get("ReservedConcurrentExecutions")
    if reserved is not None:
        # Skipped, with a reason, where the account's quota cannot take it. AWS keeps 100 unreserved; the local
        # AWS checks its own scaled minimum.
        reserve(lam, r.physical, int(reserved), MIN_UNRESERVED if t.kind == "aws" else None)
    version = str(lam.publish_version(FunctionName=r.name)["Version"])
    point_alias(t, r.physical, version)
    return version


def point_alias(t: Target, name: str, version: str, canary: tuple[str, float] | None = None) -> None:
    """Move `live` to `version` (all traffic), or keep it there and send `canary` = (version, weight) some."""
    lam = t.client("lambda")
    routing = {"AdditionalVersionWeights": {canary[0]: canary[1]} if canary else {}}
    if exists(lambda: lam.get_alias(FunctionName=name, Name=ALIAS), ("ResourceNotFoundException",)):
        lam.update_alias(FunctionName=name, Name=ALIAS, FunctionVersion=version, RoutingConfig=routing)
    else:
        lam.create_alias(FunctionName=name, Name=ALIAS, FunctionVersion=version)


def alias_arn(stack: Stack, r: Resource) -> str:
    """The qualified ARN every event source and route points at (so a release is an alias move)."""
    return f"{stack.ctx.attrs[(r.logical, 'Arn')]}:{ALIAS}"


def allow(t: Target, function_alias: str, principal: str, source_arn: str, sid: str) -> None:
    """Resource policy: let a service invoke the alias (re-created on every deploy)."""
    lam = t.client("lambda")
    name, qualifier = function_alias.split(":function:", 1)[1].split(":", 1)
    try:
        lam.remove_permission(FunctionName=name, Qualifier=qualifier, StatementId=sid)
    except Exception as exc:
        if error_code(exc) != "ResourceNotFoundException":
            raise
    lam.add_permission(FunctionName=name, Qualifier=qualifier, StatementId=sid, Action="lambda:InvokeFunction",
                       Principal=principal, SourceArn=source_arn)


def s3_notifications(t: Target, stack: Stack) -> None:
    """Every S3 event of every function, grouped per bucket (one notification configuration each)."""
    per_bucket: dict[str, list[dict[str, Any]]] = {}
    for r in stack.of_type("AWS::Serverless::Function"):
        for ev_name, ev in (r.props.get("Events") or {}).items():
            if ev["Type"] != "S3":
                continue
            p = stack.resolve(ev["Properties"])
            target = alias_arn(stack, r)
            allow(t, target, "s3.amazonaws.com", f"arn:aws:s3:::{p['Bucket']}", f"s3-{ev_name}")
            events = p["Events"] if isinstance(p["Events"], list) else [p["Events"]]
            cfg: dict[str, Any] = {"Id": f"{r.logical}-{ev_name}", "LambdaFunctionArn": target, "Events": events}
            if p.get("Filter"):
                cfg["Filter"] = {"Key": {"FilterRules": p["Filter"]["S3Key"]["Rules"]}}
            per_bucket.setdefault(p["Bucket"], []).append(cfg)
    for name, configs in per_bucket.items():
        t.client("s3").put_bucket_notification_configuration(
            Bucket=name, NotificationConfiguration={"LambdaFunctionConfigurations": configs})


def stream_mappings(t: Target, stack: Stack) -> None:
    """Kinesis (and SQS) event source mappings onto each function's alias, created once."""
    lam = t.client("lambda")
    for r in stack.of_type("AWS::Serverless::Function"):
        for ev in (r.props.get("Events") or {}).values():
            if ev["Type"] not in ("Kinesis", "SQS"):
                continue
            p = stack.resolve(ev["Properties"])
            source = p.get("Stream") or p.get("Queue")
            have = lam.list_event_source_mappings(EventSourceArn=source).get("EventSourceMappings", [])
            mine = [m for m in have if f":function:{r.name}:" in m["FunctionArn"] + ":"]
            if mine:  # moto pins an alias to its version in a mapping: re-point it on every deploy
                lam.update_event_source_mapping(UUID=mine[0]["UUID"], FunctionName=alias_arn(stack, r))
                continue
            kwargs = {k: p[k] for k in ("BatchSize", "MaximumBatchingWindowInSeconds", "StartingPosition") if k in p}
            kwargs.update(EventSourceArn=source, FunctionName=alias_arn(stack, r), Enabled=True)
            retry(functools.partial(lam.create_event_source_mapping, **kwargs), ROLE_NOT_READY)
