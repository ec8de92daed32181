"""The HTTP API's routes planned from the contract (serverless/deploy/contract.py), without any server."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from serverless.deploy import deployer
from serverless.deploy.contract import NOT_ON_THE_GATEWAY, ContractError, operations, routes, served
from serverless.deploy.stack import Stack
from serverless.deploy.template import Tag, load

OPENAPI = Path(__file__).resolve().parents[2] / "videocatalog" / "openapi.yaml"


def stack(change: Callable[[dict[str, Any]], None] = lambda t: None) -> Stack:
    template = load()
    change(template)
    return Stack(deployer.stack_params(), "123456789012", "us-east-1", template)


def planned(change: Callable[[dict[str, Any]], None] = lambda t: None) -> list:
    s = stack(change)
    return routes(s, s.get("HttpApi"))


def event(template: dict[str, Any], function: str) -> dict[str, Any]:
    return template["Resources"][function]["Properties"]["Events"]["Api"]["Properties"]


def test_the_template_yields_exactly_the_contracts_served_operations():
    doc = yaml.safe_load(OPENAPI.read_text())
    got = {r.key: r for r in planned()}
    want = {f"{op.method} {op.path}": op for op in served(doc)}
    assert set(got) == set(want) | {"$default"}
    assert "PUT /videos/{id}/upload" not in got and ("PUT", "/videos/{id}/upload") in NOT_ON_THE_GATEWAY
    for key, op in want.items():
        assert got[key].operation == op.operation_id
        assert got[key].authorizer == ("BearerJwt" if op.secured else None), key
    assert {k for k, r in got.items() if r.authorizer} == {"POST /videos", "DELETE /videos/{id}"}
    assert got["GET /videos/{id}"].function == "GetVideoFunction" and got["$default"].function == "NotFoundFunction"
    assert got["$default"].authorizer is None and got["$default"].operation is None


def test_a_contract_operation_without_a_function_fails():
    def drop(t):
        del t["Resources"]["GetTrendingFunction"]["Properties"]["Events"]

    with pytest.raises(ContractError, match=r"GET /trending \(getTrending .*has no function"):
        planned(drop)


@pytest.mark.parametrize("method, path", [("GET", "/extra"), ("PUT", "/videos/{id}/upload"), ("PATCH", "/videos")])
def test_an_event_that_is_not_in_the_contract_fails(method, path):
    def add(t):
        t["Resources"]["ListVideosFunction"]["Properties"]["Events"]["Extra"] = {
            "Type": "HttpApi", "Properties": {"ApiId": Tag("Ref", "HttpApi"), "Method": method, "Path": path}}

    why = "is not (an operation of|served by the gateway)"
    with pytest.raises(ContractError, match=f"ListVideosFunction.Extra: {method} .* {why}"):
        planned(add)


def test_a_write_without_the_authorizer_fails():
    with pytest.raises(ContractError, match=r"POST /videos .*security says the authorizer BearerJwt"):
        planned(lambda t: event(t, "CreateVideoFunction").pop("Auth"))


def test_a_public_operation_behind_the_authorizer_fails():
    with pytest.raises(ContractError, match=r"GET /videos .*security says no authorizer"):
        planned(lambda t: event(t, "ListVideosFunction").update(Auth={"Authorizer": "BearerJwt"}))


def test_an_event_naming_another_authorizer_fails():
    with pytest.raises(ContractError, match="names the authorizer Other"):
        planned(lambda t: event(t, "DeleteVideoFunction").update(Auth={"Authorizer": "Other"}))


def test_security_needs_exactly_one_authorizer_on_the_api():
    def second(t):
        auth = t["Resources"]["HttpApi"]["Properties"]["Auth"]["Authorizers"]
        auth["Other"] = dict(auth["BearerJwt"])

    with pytest.raises(ContractError, match="needs the one authorizer"):
        planned(second)


def test_the_http_api_must_name_its_contract():
    with pytest.raises(ContractError, match="Metadata.Contract"):
        planned(lambda t: t["Resources"]["HttpApi"].pop("Metadata"))


def test_operation_security_overrides_the_documents():
    doc = {"security": [{"bearerAuth": []}], "paths": {
        "/a": {"get": {"operationId": "inherits"}, "put": {"operationId": "public", "security": []},
               "post": {"operationId": "optional", "security": [{}, {"bearerAuth": []}]}, "parameters": []}}}
    assert {op.operation_id: op.secured for op in operations(doc)} == {
        "inherits": True, "public": False, "optional": False}


def test_a_mismatch_fails_the_deploy_before_anything_is_created(tmp_path):
    class NoCalls:
        def client(self, service: str) -> Any:
            raise AssertionError(f"the deploy called {service} before checking the contract")

    bad = stack(lambda t: t["Resources"]["PostViewFunction"]["Properties"].pop("Events"))
    with pytest.raises(ContractError, match=re.escape("POST /videos/{id}/views")):
        deployer.deploy(NoCalls(), bad, tmp_path, log=lambda m: None)  # type: ignore[arg-type]
    with pytest.raises(ContractError):
        deployer.plan(bad)


def test_the_dry_run_plan_says_the_routes_come_from_the_contract():
    lines = deployer.plan(stack())
    assert any("HttpApi" in line and "routes from the contract videocatalog/openapi.yaml" in line for line in lines)
    route_lines = [line for line in lines if line.startswith("route ")]
    assert "route    DELETE /videos/{id} -> DeleteVideoFunction (deleteVideo) authorizer BearerJwt" in route_lines
    assert any("none for PUT /videos/{id}/upload" in line for line in route_lines)
