"""The Lambda Invoke REST endpoint (POST /2015-03-31/functions/{name}/invocations) in AWS's wire shape."""

from __future__ import annotations

import base64
import json
import re
from typing import TYPE_CHECKING
from urllib.parse import unquote

from werkzeug.wrappers import Request, Response

from localaws.config import default_region
from localaws.runtime.codestore import CodeUnavailable
from localaws.runtime.pool import ShuttingDown, Throttled
from localaws.services.state import FunctionNotFound, resolve, split_name

if TYPE_CHECKING:
    from localaws.invoke.asynchronous import AsyncInvoker
    from localaws.invoke.sync import InvokeService

INVOKE_PATH = re.compile(r"^/2015-03-31/functions/([^/]+)/invocations/?$")
CREDENTIAL = re.compile(r"Credential=[^/]+/\d+/([a-z0-9-]+)/")


def region_of(request: Request) -> str:
    """The region a SigV4-signed request was signed for."""
    match = CREDENTIAL.search(request.headers.get("Authorization", ""))
    return match.group(1) if match else default_region()


def aws_error(status: int, code: str, message: str, **extra: str) -> Response:
    """An error the SDKs decode into the named exception."""
    body = {"Type": "User", "message": message, **extra}
    return Response(json.dumps(body), status, {"x-amzn-ErrorType": code}, content_type="application/json")


class InvokeApi:
    """Decodes Invoke requests, runs them and encodes the replies."""

    def __init__(self, service: InvokeService, async_invoker: AsyncInvoker) -> None:
        self.service, self.async_invoker = service, async_invoker

    def __call__(self, request: Request) -> Response:
        name = unquote(INVOKE_PATH.match(request.path).group(1))  # type: ignore[union-attr]
        name, qualifier = split_name(name, request.args.get("Qualifier"))  # name:alias or an alias ARN
        if request.args.get("Qualifier") not in (None, qualifier):
            return aws_error(400, "InvalidParameterValueException",
                             "The derived qualifier from the function name does not match the specified qualifier.")
        kind = request.headers.get("X-Amz-Invocation-Type", "RequestResponse")
        payload = request.get_data()
        region = region_of(request)
        if payload:
            try:
                json.loads(payload)
            except ValueError:
                return aws_error(400, "InvalidRequestContentException", "Could not parse request body into json")
        try:
            if kind == "DryRun":
                resolve(region, name, qualifier)
                return Response(b"", 204)
            if kind == "Event":
                return self._event(region, name, qualifier, payload)
            return self._sync(request, region, name, qualifier, payload)
        except FunctionNotFound as exc:
            return aws_error(404, "ResourceNotFoundException", f"Function not found: {exc}")
        except Throttled as exc:
            return aws_error(429, "TooManyRequestsException", "Rate Exceeded.", Reason=exc.reason)
        except CodeUnavailable as exc:
            return aws_error(502, "InvalidZipFileException", str(exc))
        except ShuttingDown as exc:
            return aws_error(503, "ServiceException", str(exc))

    def _event(self, region: str, name: str, qualifier: str | None, payload: bytes) -> Response:
        if len(payload) > self.service.cfg.async_payload_limit:
            return aws_error(413, "RequestTooLargeException", "Request must be smaller than 1048576 bytes")
        spec = resolve(region, name, qualifier)
        request_id = self.async_invoker.submit(spec, payload or b"{}", qualifier)
        return Response(b"", 202, {"x-amzn-RequestId": request_id})

    def _sync(self, request: Request, region: str, name: str, qualifier: str | None, payload: bytes) -> Response:
        if len(payload) > self.service.cfg.sync_payload_limit:
            return aws_error(413, "RequestTooLargeException", "Request must be smaller than 6291456 bytes")
        result = self.service.invoke(region, name, qualifier, payload, "RequestResponse",
                                     request.headers.get("X-Amz-Client-Context"))
        headers = {"X-Amz-Executed-Version": result.executed_version, "x-amzn-RequestId": result.request_id}
        if result.function_error:
            headers["X-Amz-Function-Error"] = result.function_error
        if request.headers.get("X-Amz-Log-Type") == "Tail":
            headers["X-Amz-Log-Result"] = base64.b64encode(result.log_tail().encode()).decode()
        return Response(result.payload, 200, headers, content_type="application/json")
