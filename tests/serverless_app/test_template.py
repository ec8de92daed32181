"""The SAM template against the contract: every OpenAPI operation has its route, writes are behind the authorizer."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from serverless.deploy.contract import NOT_ON_THE_GATEWAY, contract_path
from serverless.deploy.deployer import stack_params
from serverless.deploy.stack import Stack

OPENAPI = Path(__file__).resolve().parents[2] / "videocatalog" / "openapi.yaml"


def routes() -> dict[str, bool]:
    stack = Stack(stack_params(), "123456789012", "us-east-1")
    out = {}
    for r in stack.of_type("AWS::Serverless::Function"):
        for ev in (r.props.get("Events") or {}).values():
            if ev["Type"] == "HttpApi":
                p = ev["Properties"]
                out[f"{p['Method']} {p['Path']}"] = bool((p.get("Auth") or {}).get("Authorizer"))
    return out


def test_every_contract_operation_has_a_route_and_writes_need_the_authorizer():
    doc = yaml.safe_load(OPENAPI.read_text())
    declared = routes()
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            if method not in ("get", "post", "put", "delete") or (method.upper(), path) in NOT_ON_THE_GATEWAY:
                continue
            key = f"{method.upper()} {path}"
            assert key in declared, f"no route for {key}"
            needs_auth = bool(op.get("security", doc.get("security")))
            assert declared[key] is needs_auth, key
    assert declared["ANY $default"] is False  # everything else: the contract's JSON 404/405


def test_the_http_api_names_the_contract_it_is_built_from():
    stack = Stack(stack_params(), "123456789012", "us-east-1")
    assert contract_path(stack, stack.get("HttpApi")) == OPENAPI
    assert NOT_ON_THE_GATEWAY == {("PUT", "/videos/{id}/upload")}  # serverless uploads go straight to S3


def test_every_function_declares_memory_timeout_and_its_own_role():
    stack = Stack(stack_params(), "123456789012", "us-east-1")
    for r in stack.of_type("AWS::Serverless::Function"):
        assert {"MemorySize", "Timeout", "Role", "Handler"} <= set(r.props), r.logical
        assert 1 <= r.props["Timeout"] <= 900 and 128 <= r.props["MemorySize"] <= 10240


def test_one_table_covers_every_declared_type_for_deploy_teardown_and_the_leftover_check():
    from serverless.deploy import resources, teardown
    from serverless.deploy.kinds import BY_TYPE, KINDS
    from serverless.deploy.stack import Stack

    stack = Stack(stack_params(), "123456789012", "us-east-1")
    assert {r.type for r in stack.resources} <= set(BY_TYPE)  # the stack refuses any other type
    for row in KINDS:
        if row.removed_with:
            assert row.removed_with in BY_TYPE and row.type not in teardown.REMOVERS
        else:
            assert row.type in teardown.REMOVERS, row.type
        assert (row.type in teardown.LISTERS) == row.listed, row.type
    assert set(resources.CREATORS) <= set(BY_TYPE)


def test_a_type_the_table_does_not_know_stops_the_stack():
    from serverless.deploy.stack import Stack

    template = {"Resources": {"Odd": {"Type": "AWS::EC2::Instance", "Properties": {}}}}
    with pytest.raises(ValueError, match="AWS::EC2::Instance"):
        Stack(stack_params(), "123456789012", "us-east-1", template=template)
