"""Release one function: publish a version with the release's environment, then move or weight the alias."""

from __future__ import annotations

from typing import Any

from serverless.deploy.aws import Target
from serverless.deploy.functions import ALIAS, configuration, point_alias
from serverless.deploy.stack import Stack


def _matching_version(lam: Any, name: str, env: dict[str, str]) -> str | None:
    # A version with exactly this environment and today's code already exists: reuse it (a rollback).
    latest = lam.get_function_configuration(FunctionName=name)
    for page in lam.get_paginator("list_versions_by_function").paginate(FunctionName=name):
        for v in page["Versions"]:
            if v["Version"] == "$LATEST" or v["CodeSha256"] != latest["CodeSha256"]:
                continue
            if (v.get("Environment") or {}).get("Variables") == env:
                return str(v["Version"])
    return None


def release(endpoint: str, component: str, release_name: str, extra_env: dict[str, str], weight: float) -> str:
    """Publish (or reuse) the version for this release; a faulty one gets `weight` of the traffic only."""
    from serverless.deploy.deployer import stack_params

    t = Target("local", endpoint)
    stack = Stack(stack_params(release_name), t.account(), t.region)
    r = next(x for x in stack.of_type("AWS::Serverless::Function") if x.name == f"{stack.prefix}-{component}")
    lam = t.client("lambda")
    cfg = configuration(stack, r, extra_env)
    version = _matching_version(lam, r.physical, cfg["Environment"]["Variables"])
    if version is None:
        lam.update_function_configuration(**cfg)
        lam.get_waiter("function_updated_v2").wait(FunctionName=r.name, WaiterConfig={"Delay": 1})
        version = str(lam.publish_version(FunctionName=r.name)["Version"])
    if extra_env.get("WORKSHOP_FAULT"):
        stable = lam.get_alias(FunctionName=r.name, Name=ALIAS)["FunctionVersion"]
        point_alias(t, r.physical, stable, canary=(version, weight))
    else:
        point_alias(t, r.physical, version)
    _repoint_mappings(lam, r.physical)
    return version


def _repoint_mappings(lam: Any, name: str) -> None:
    # moto stores the alias's version in an event source mapping: point it at the alias again.
    for page in lam.get_paginator("list_event_source_mappings").paginate():
        for esm in page.get("EventSourceMappings", []):
            if f":function:{name}:" in esm["FunctionArn"] + ":" and not esm["FunctionArn"].endswith(f":{ALIAS}"):
                alias = lam.get_alias(FunctionName=name, Name=ALIAS)["AliasArn"]
                lam.update_event_source_mapping(UUID=esm["UUID"], FunctionName=alias)
