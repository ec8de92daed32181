"""The deployer against moto (in-process): it creates what the template declares, and teardown removes it all."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from moto import mock_aws

from serverless.deploy import contract, deployer, teardown
from serverless.deploy.aws import Target
from serverless.deploy.stack import Stack

ENV = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    return Path(tmp_path_factory.mktemp("build"))


@pytest.fixture(scope="module")
def deployed(build) -> Iterator[tuple[Target, Stack, dict[str, Any]]]:
    env = {k: v for k, v in os.environ.items() if k != "AWS_ENDPOINT_URL"}
    with mock.patch.dict(os.environ, {**env, **ENV}, clear=True), mock_aws():
        target = Target("aws", region="us-east-1")
        stack = Stack(deployer.stack_params(), target.account(), target.region)
        outputs = deployer.deploy(target, stack, build, log=lambda m: None)
        yield target, stack, outputs


def test_roles_carry_exactly_the_declared_policies(deployed):
    t, stack, _ = deployed
    iam = t.client("iam")
    for r in stack.of_type("AWS::IAM::Role"):
        for policy in r.props["Policies"]:
            got = iam.get_role_policy(RoleName=r.name, PolicyName=policy["PolicyName"])["PolicyDocument"]
            got = json.loads(got) if isinstance(got, str) else got
            assert got == stack.resolve(policy["PolicyDocument"]), r.name


def test_data_and_messaging_resources_exist_as_declared(deployed):
    t, stack, _ = deployed
    for r in stack.of_type("AWS::DynamoDB::Table"):
        table = t.client("dynamodb").describe_table(TableName=r.name)["Table"]
        assert table["KeySchema"] == r.props["KeySchema"]
        want = [i["IndexName"] for i in r.props.get("GlobalSecondaryIndexes", [])]
        assert [i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])] == want
    bucket = stack.get("MediaBucket").name
    tags = t.client("s3").get_bucket_tagging(Bucket=bucket)["TagSet"]
    assert {"Key": "workshop:max-upload-bytes", "Value": "104857600"} in tags
    [notify] = t.client("s3").get_bucket_notification_configuration(Bucket=bucket)["LambdaFunctionConfigurations"]
    assert notify["LambdaFunctionArn"].endswith(":function:videocatalog-probe:live")
    assert notify["Filter"]["Key"]["FilterRules"][0]["Value"] == "sources/"
    assert stack.get("ViewsStream").name in t.client("kinesis").list_streams()["StreamNames"]
    topic = stack.ctx.refs["StatusTopic"]
    [sub] = t.client("sns").list_subscriptions_by_topic(TopicArn=topic)["Subscriptions"]
    assert (sub["Protocol"], sub["Endpoint"]) == ("sqs", stack.ctx.attrs[("StatusQueue", "Arn")])


def test_functions_match_the_template_and_are_behind_live(deployed):
    t, stack, outputs = deployed
    lam = t.client("lambda")
    for r in stack.of_type("AWS::Serverless::Function"):
        cfg = lam.get_function_configuration(FunctionName=r.name)
        assert cfg["Handler"] == r.props["Handler"] and cfg["MemorySize"] == r.props["MemorySize"]
        assert cfg["Timeout"] == r.props["Timeout"] and cfg["Role"] == stack.resolve(r.props["Role"])
        assert cfg["Environment"]["Variables"]["POWERTOOLS_SERVICE_NAME"] == r.name.split("-", 1)[1]
        assert len(cfg.get("Layers", [])) == len(r.props.get("Layers", []))
        alias = lam.get_alias(FunctionName=r.name, Name="live")
        assert alias["FunctionVersion"] == outputs["versions"][r.name]
    render = stack.get("RenderFunction").name
    assert lam.get_function_concurrency(FunctionName=render)["ReservedConcurrentExecutions"] == 3
    [esm] = lam.list_event_source_mappings(EventSourceArn=stack.ctx.attrs[("ViewsStream", "Arn")])[
        "EventSourceMappings"]
    # AWS keeps the alias ARN; moto stores the version the alias pointed at when the mapping was made.
    name = stack.get("AnalyticsFunction").name
    assert esm["FunctionArn"].rsplit(":", 1)[1] in ("live", outputs["versions"][name])


def test_the_http_api_routes_the_contracts_operations(deployed):
    t, stack, outputs = deployed
    gw = t.client("apigatewayv2")
    routes = {r["RouteKey"]: r for r in gw.get_routes(ApiId=outputs["api_id"])["Items"]}
    planned = {r.key: r for r in contract.routes(stack, stack.get("HttpApi"))}
    assert set(routes) == set(planned) and "PUT /videos/{id}/upload" not in routes
    integrations = {i["IntegrationId"]: i for i in gw.get_integrations(ApiId=outputs["api_id"])["Items"]}
    for key, want in planned.items():
        assert (routes[key].get("AuthorizationType") == "CUSTOM") is bool(want.authorizer), key
        target = integrations[routes[key]["Target"].split("/", 1)[1]]["IntegrationUri"]
        assert target.endswith(f":function:{stack.get(want.function).name}:live"), key
    assert [s["StageName"] for s in gw.get_stages(ApiId=outputs["api_id"])["Items"]] == ["prod"]
    rest = t.client("apigateway")
    version = next(x for x in rest.get_resources(restApiId=outputs["meta_api_id"])["items"] if x["path"] == "/version")
    integ = rest.get_integration(restApiId=outputs["meta_api_id"], resourceId=version["id"], httpMethod="GET")
    assert integ["type"] == "MOCK"


def test_a_redeploy_keeps_the_api_and_rebuilds_its_routes(deployed, build):
    t, stack, outputs = deployed
    again = deployer.deploy(t, Stack(deployer.stack_params(), t.account(), t.region), build, log=lambda m: None)
    assert again["api_id"] == outputs["api_id"]  # the same id, so the same URL
    gw = t.client("apigatewayv2")
    keys = [r["RouteKey"] for r in gw.get_routes(ApiId=again["api_id"])["Items"]]
    assert sorted(keys) == sorted(r.key for r in contract.routes(stack, stack.get("HttpApi")))  # no duplicates
    assert len(gw.get_integrations(ApiId=again["api_id"])["Items"]) == len(keys)


def test_teardown_leaves_nothing(deployed):
    t, stack, _ = deployed
    function = next(r.name for r in stack.of_type("AWS::Serverless::Function"))
    t.client("logs").create_log_group(logGroupName=teardown.log_group(function))  # as a first invocation would
    before = teardown.leftovers(t, stack)  # the stack is there before...
    assert f"AWS::Logs::LogGroup /aws/lambda/{function}" in before and f"AWS::Serverless::Function {function}" in before
    teardown.teardown(t, stack, log=lambda m: None)
    assert teardown.leftovers(t, stack) == []  # ...and nothing of it after, found by listing every service
