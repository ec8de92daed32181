"""The OpenAPI document covers the whole contract and agrees with the core's error codes."""

from __future__ import annotations

from pathlib import Path

import openapi_spec_validator
import pytest
import yaml

import videocatalog
from videocatalog.errors import ERRORS_BY_CODE

SPEC_PATH = Path(videocatalog.__file__).parent / "openapi.yaml"

CONTRACT_ROUTES = [
    ("get", "/health"),
    ("post", "/videos"),
    ("get", "/videos"),
    ("get", "/videos/{id}"),
    ("delete", "/videos/{id}"),
    ("put", "/videos/{id}/upload"),
    ("post", "/videos/{id}/views"),
    ("get", "/trending"),
]
WRITES = [("post", "/videos"), ("delete", "/videos/{id}")]


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(SPEC_PATH.read_text())


def resolve(spec: dict, node: dict) -> dict:
    """Follow a local `$ref` (one level is all the document uses)."""
    ref = node.get("$ref")
    if not ref:
        return node
    target = spec
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return target


def test_is_openapi_3(spec):
    assert str(spec["openapi"]).startswith("3.")
    assert spec["info"]["title"] and spec["info"]["version"]


@pytest.mark.parametrize("method,path", CONTRACT_ROUTES)
def test_every_contract_route_is_documented(spec, method, path):
    assert method in spec["paths"][path]


@pytest.mark.parametrize("method,path", WRITES)
def test_writes_need_bearer_jwt(spec, method, path):
    assert spec["paths"][path][method]["security"] == [{"bearerAuth": []}]
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert (scheme["type"], scheme["scheme"], scheme["bearerFormat"]) == ("http", "bearer", "JWT")


def test_reads_are_public(spec):
    for method, path in CONTRACT_ROUTES:
        if (method, path) not in WRITES:
            assert spec["paths"][path][method].get("security") == [], (method, path)


def test_error_code_enum_equals_the_core_error_codes(spec):
    code = spec["components"]["schemas"]["Error"]["properties"]["error"]["properties"]["code"]
    assert sorted(code["enum"]) == sorted(ERRORS_BY_CODE)


def test_list_parameters_carry_their_limits(spec):
    nodes = spec["paths"]["/videos"]["get"]["parameters"]
    params = {p["name"]: p for p in (resolve(spec, n) for n in nodes)}
    assert set(params) == {"q", "tag", "status", "limit", "cursor"}
    limit = params["limit"]["schema"]
    assert (limit["minimum"], limit["maximum"], limit["default"]) == (1, 100, 20)
    status = resolve(spec, params["status"]["schema"])
    assert status["enum"] == ["awaiting_upload", "processing", "ready", "failed"]


def test_schemas_are_all_there(spec):
    schemas = spec["components"]["schemas"]
    for name in ("Video", "Rendition", "Source", "Upload", "Error", "VideoList", "Trending", "Health"):
        assert name in schemas, name


def test_no_gateway_integrations_in_the_contract(spec):
    # The serverless deployer adds them to its own copy; the contract stays architecture-neutral.
    assert "x-amazon-apigateway-integration" not in SPEC_PATH.read_text()


def test_every_error_response_uses_the_error_schema(spec):
    for path, item in spec["paths"].items():
        for method, op in item.items():
            if method == "parameters":
                continue
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    body = resolve(spec, response)["content"]["application/json"]["schema"]
                    assert body == {"$ref": "#/components/schemas/Error"}, (method, path, status)


def test_document_is_valid_openapi(spec):
    openapi_spec_validator.validate(spec)
