"""Control-plane calls moto lacks, answered by the platform.

GetAccountSettings, API exports, GetAuthorizers, HTTP API quick create and deployments (with UpdateStage),
TestInvokeMethod, the minimum unreserved concurrency check in front of moto's PutFunctionConcurrency, and the
not-implemented error of the deprecated InvokeAsync (moto would hand it to Docker: a 202 with nothing run, or
a 500).
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from werkzeug.wrappers import Request, Response

from localaws.apigw.deployments_api import deployment_call
from localaws.apigw.export import export_http_api, export_rest_api, get_authorizers
from localaws.apigw.invoke_method import invoke_method
from localaws.apigw.quick_create import quick_create
from localaws.config import PlatformConfig
from localaws.invoke.api import aws_error, region_of
from localaws.services.account import account_settings
from localaws.services.not_implemented import HINT, error_reply
from localaws.services.operations import service_model
from localaws.services.state import lambda_backend, reserved_total, split_name

ACCOUNT_SETTINGS = re.compile(r"^/2016-08-19/account-settings/?$")
CONCURRENCY = re.compile(r"^/2017-10-31/functions/([^/]+)/concurrency/?$")
INVOKE_ASYNC = re.compile(r"^/2014-11-13/functions/([^/]+)/invoke-async/?$")
TEST_INVOKE = re.compile(r"^/restapis/([^/]+)/resources/([^/]+)/methods/([A-Z]+)/?$")
APIS = re.compile(r"^/v2/apis/?$")
AUTHORIZERS = re.compile(r"^/v2/apis/([^/]+)/authorizers/?$")
HTTP_EXPORT = re.compile(r"^/v2/apis/([^/]+)/exports/([^/]+)/?$")
DEPLOYMENT_CALLS = re.compile(r"^/v2/apis/[^/]+/(deployments|stages)(/[^/]+)?/?$")
REST_EXPORT = re.compile(r"^/restapis/([^/]+)/stages/([^/]+)/exports/([^/]+)/?$")


def _request(environ: dict[str, Any]) -> Request:
    # Read the body once and put it back, so moto can still read it when the call goes on to moto.
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    request = Request(environ.copy())
    request.environ["wsgi.input"] = io.BytesIO(body)
    return request


def get_account_settings(cfg: PlatformConfig, request: Request) -> Response:
    """GET /2016-08-19/account-settings/ in AWS's wire shape."""
    body = account_settings(cfg, region_of(request))
    return Response(json.dumps(body), 200, content_type="application/json")


def check_reservation(cfg: PlatformConfig, request: Request, function: str) -> Response | None:
    """Refuse a PutFunctionConcurrency that leaves less than the minimum unreserved pool; None lets it through."""
    doc = request.get_json(silent=True, force=True) or {}
    wanted = doc.get("ReservedConcurrentExecutions")
    if not isinstance(wanted, int):
        return None  # moto answers the malformed request
    region, name = region_of(request), split_name(function, None)[0]
    try:
        current = lambda_backend(region).get_function(name).reserved_concurrency
    except Exception:
        return None  # moto answers 404 ResourceNotFoundException
    others = reserved_total(region) - int(current or 0)
    floor = cfg.unreserved_min
    if cfg.concurrency_limit - others - wanted >= floor:
        return None
    return aws_error(400, "InvalidParameterValueException",
                     "Specified ReservedConcurrentExecutions for function decreases account's "
                     f"UnreservedConcurrentExecution below its minimum value of [{floor}].")


def invoke_async_not_implemented() -> Response:
    """InvokeAsync (deprecated by AWS): the not-implemented error, naming the call that replaces it."""
    status, headers, body = error_reply(
        service_model("lambda"), 501, "NotImplementedException",
        "Lambda InvokeAsync is not implemented locally: AWS deprecated it for Invoke with InvocationType Event "
        f"(aws lambda invoke --invocation-type Event) ({HINT}).")
    return Response(body, int(status.split()[0]), headers=headers)


class LocalApi:
    """Answers the calls above; __call__ gives None for every other request (they go on to moto)."""

    def __init__(self, cfg: PlatformConfig, moto_app: Any, rest: Any) -> None:
        self.cfg, self.moto_app, self.rest = cfg, moto_app, rest

    def __call__(self, environ: dict[str, Any]) -> Response | None:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if method == "GET" and ACCOUNT_SETTINGS.match(path):
            return get_account_settings(self.cfg, _request(environ))
        if method == "POST" and INVOKE_ASYNC.match(path):
            return invoke_async_not_implemented()
        if method == "PUT" and (match := CONCURRENCY.match(path)):
            return check_reservation(self.cfg, _request(environ), match.group(1))
        if method == "POST" and APIS.match(path):
            request = _request(environ)
            return quick_create(self.moto_app, environ, request, region_of(request))
        if method == "POST" and (match := TEST_INVOKE.match(path)):
            request = _request(environ)
            doc = request.get_json(silent=True, force=True) or {}
            api_id, resource_id, verb = match.groups()
            return invoke_method(self.rest, region_of(request), api_id, resource_id, verb, doc)
        if DEPLOYMENT_CALLS.match(path):
            return deployment_call(self.moto_app, environ, _request(environ))
        if method == "GET" and (match := AUTHORIZERS.match(path)):
            return get_authorizers(_request(environ), match.group(1))
        if method == "GET" and (match := HTTP_EXPORT.match(path)):
            return export_http_api(_request(environ), *match.groups())
        if method == "GET" and (match := REST_EXPORT.match(path)):
            return export_rest_api(_request(environ), *match.groups())
        return None
