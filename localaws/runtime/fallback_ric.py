"""A minimal Lambda runtime client (stdlib only), used where awslambdaric does not import.

Run as a script: python fallback_ric.py module.handler   (AWS_LAMBDA_RUNTIME_API=host:port)
"""

from __future__ import annotations

import http.client
import importlib
import json
import os
import sys
import time
import traceback

API = "/2018-06-01/runtime"


class Context:
    """The subset of the Lambda context object that handlers commonly use."""

    def __init__(self, headers: dict[str, str]) -> None:
        self.aws_request_id = headers.get("Lambda-Runtime-Aws-Request-Id", "")
        self.invoked_function_arn = headers.get("Lambda-Runtime-Invoked-Function-Arn", "")
        self._deadline_ms = int(headers.get("Lambda-Runtime-Deadline-Ms", "0"))
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME", "")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "128")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME", "")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")

    def get_remaining_time_in_millis(self) -> int:
        return max(self._deadline_ms - int(time.time() * 1000), 0)


def _error(exc: BaseException) -> bytes:
    return json.dumps({
        "errorMessage": str(exc),
        "errorType": type(exc).__name__,
        "stackTrace": traceback.format_tb(exc.__traceback__),
    }).encode()


def main(handler_name: str) -> None:
    host, port = os.environ["AWS_LAMBDA_RUNTIME_API"].split(":")
    conn = http.client.HTTPConnection(host, int(port))

    def call(method: str, path: str, body: bytes | None = None) -> tuple[bytes, dict[str, str]]:
        conn.request(method, API + path, body=body, headers={"Content-Type": "application/json"})
        resp = conn.getresponse()
        return resp.read(), dict(resp.getheaders())

    try:
        module_name, func_name = handler_name.rsplit(".", 1)
        handler = getattr(importlib.import_module(module_name), func_name)
    except Exception as exc:
        call("POST", "/init/error", _error(exc))
        sys.exit(1)
    while True:
        body, headers = call("GET", "/invocation/next")
        request_id = headers["Lambda-Runtime-Aws-Request-Id"]
        try:
            result = handler(json.loads(body or b"null"), Context(headers))
            call("POST", f"/invocation/{request_id}/response", json.dumps(result).encode())
        except Exception as exc:
            call("POST", f"/invocation/{request_id}/error", _error(exc))


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # a TextIOWrapper when run
    main(sys.argv[1])
