"""Pure pieces of the local control-plane additions: the unreserved floor, naming operations, error bodies,
the deprecated InvokeAsync."""

from __future__ import annotations

import io
import json

import botocore.session
import pytest
from botocore.parsers import create_parser

from localaws.config import PlatformConfig
from localaws.config import default_unreserved_min as minimum_unreserved
from localaws.local_api import LocalApi
from localaws.services.not_implemented import not_implemented
from localaws.services.operations import resolve_operation, service_model

AUTH = "AWS4-HMAC-SHA256 Credential=testing/20261206/us-east-1/{}/aws4_request, SignedHeaders=host, Signature=0"


def environ(service: str, method: str, path: str, query: str = "", **headers: str) -> dict[str, object]:
    env: dict[str, object] = {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query,
                              "HTTP_AUTHORIZATION": AUTH.format(service), "wsgi.input": io.BytesIO()}
    env.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
    return env


@pytest.mark.parametrize(("limit", "floor"), [(1, 1), (10, 1), (11, 2), (100, 10), (1000, 100)])
def test_minimum_unreserved_is_awss_tenth_at_least_one(limit: int, floor: int) -> None:
    assert minimum_unreserved(limit) == floor


@pytest.mark.parametrize(("service", "method", "path", "query", "expected"), [
    ("lambda", "GET", "/2019-09-30/functions/f/provisioned-concurrency", "List=ALL",
     "ListProvisionedConcurrencyConfigs"),
    ("lambda", "GET", "/2019-09-30/functions/f/provisioned-concurrency", "Qualifier=live",
     "GetProvisionedConcurrencyConfig"),
    ("lambda", "GET", "/2016-08-19/account-settings", "", "GetAccountSettings"),
    ("apigateway", "GET", "/v2/apis/abc/exports/OAS30", "outputType=YAML", "ExportApi"),
    ("apigateway", "GET", "/restapis/abc/stages/prod/exports/oas30", "", "GetExport"),
])
def test_rest_operations_are_named_from_method_and_uri(service: str, method: str, path: str, query: str,
                                                      expected: str) -> None:
    assert resolve_operation(environ(service, method, path, query), b"")[1] == expected


def test_json_and_query_operations_are_named_from_target_and_action() -> None:
    dynamo = environ("dynamodb", "POST", "/", X_AMZ_TARGET="DynamoDB_20120810.DescribeContributorInsights")
    assert resolve_operation(dynamo, b"{}")[1] == "DescribeContributorInsights"
    sns = environ("sns", "POST", "/")
    assert resolve_operation(sns, b"Action=ListOriginationNumbers&Version=2010-03-31")[1] == "ListOriginationNumbers"


def _parsed(service: str, operation: str, reply: tuple[str, list[tuple[str, str]], bytes]) -> dict[str, object]:
    """What botocore makes of the reply, as the SDKs and the CLI see it."""
    model = botocore.session.get_session().get_service_model(service)
    status, headers, body = reply
    parser = create_parser(model.metadata["protocol"])
    response = {"status_code": int(status.split()[0]), "headers": dict(headers), "body": body}
    return parser.parse(response, model.operation_model(operation).output_shape)["Error"]


@pytest.mark.parametrize(("service", "operation", "code"), [
    ("lambda", "ListProvisionedConcurrencyConfigs", "NotImplementedException"),
    ("dynamodb", "DescribeContributorInsights", "NotImplementedException"),
    ("sns", "ListOriginationNumbers", "NotImplemented"),
    ("s3", "GetBucketAnalyticsConfiguration", "NotImplemented"),
])
def test_not_implemented_errors_parse_in_each_protocol(service: str, operation: str, code: str) -> None:
    reply = not_implemented(service_model(service), operation, environ(service, "GET", "/"))
    assert reply[0].startswith("501")
    error = _parsed(service, operation, reply)
    assert error["Code"] == code and f"{operation} is not implemented locally" in str(error["Message"])


def test_an_unknown_operation_is_named_by_its_path() -> None:
    status, headers, body = not_implemented(service_model("lambda"), None, environ("lambda", "GET", "/nope"))
    assert status.startswith("404") and dict(headers)["x-amzn-ErrorType"] == "UnknownOperationException"
    assert "Lambda GET /nope" in json.loads(body)["message"]


def test_invoke_async_is_not_implemented_and_names_its_replacement() -> None:
    api = LocalApi(PlatformConfig(), moto_app=None, rest=None)  # the route needs neither
    reply = api(environ("lambda", "POST", "/2014-11-13/functions/my-function/invoke-async/"))
    assert reply is not None and reply.status_code == 501
    error = _parsed("lambda", "InvokeAsync", (reply.status, list(reply.headers.items()), reply.get_data()))
    assert error["Code"] == "NotImplementedException"
    assert "Lambda InvokeAsync is not implemented locally" in str(error["Message"])
    assert "--invocation-type Event" in str(error["Message"])
    assert api(environ("lambda", "GET", "/2014-11-13/functions/my-function/invoke-async/")) is None  # on to moto
