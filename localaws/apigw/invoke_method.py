"""TestInvokeMethod for REST APIs: one request through a method's integration, without a deployed stage."""

from __future__ import annotations

import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from localaws.apigw.rest_api import RestApi, load_rest_api
from localaws.invoke.api import aws_error

STAGE = "test-invoke-stage"  # the stage name AWS gives test invocations


def _log(request_id: str, method: str, path: str, status: int, latency_ms: int) -> str:
    now = datetime.now(UTC).strftime("%a %b %d %H:%M:%S UTC %Y")
    return (f"Execution log for request {request_id}\n{now} : Starting execution for request: {request_id}\n"
            f"{now} : HTTP Method: {method}, Resource Path: {path}\n"
            f"{now} : Method completed with status: {status} ({latency_ms} ms, local gateway)\n")


def invoke_method(rest: RestApi, region: str, api_id: str, resource_id: str, method: str,
                       doc: dict[str, Any]) -> Response:
    """POST /restapis/{id}/resources/{rid}/methods/{verb}: run the method as the gateway would, AWS's answer shape."""
    api = load_rest_api(region, api_id)
    if api is None or resource_id not in api.resources:
        return aws_error(404, "NotFoundException", "Invalid Resource identifier specified")
    resource = api.resources[resource_id]
    if method not in resource.resource_methods:
        return aws_error(404, "NotFoundException", "Invalid Method identifier specified")
    path, _, query = str(doc.get("pathWithQueryString") or resource.get_path()).partition("?")
    headers = {str(k): str(v) for k, v in (doc.get("headers") or {}).items()}
    builder = EnvironBuilder(method=method, path=f"/{STAGE}{path}", query_string=query, headers=list(headers.items()),
                             data=str(doc.get("body") or "").encode())
    started = time.perf_counter()
    out = rest.handle(Request(builder.get_environ()), region, api_id, api, f"/{STAGE}{path}",
                      test_stage_variables={str(k): str(v) for k, v in (doc.get("stageVariables") or {}).items()})
    latency = int((time.perf_counter() - started) * 1000)
    reply = {"status": out.status, "body": out.body.decode("utf-8", "replace"), "headers": dict(out.headers),
             "multiValueHeaders": {k: [v] for k, v in out.headers.items()},
             "log": _log(str(uuid.uuid4()), method, resource.get_path(), out.status, latency), "latency": latency}
    return Response(json.dumps(reply), 200, content_type="application/json")
