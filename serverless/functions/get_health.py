"""GET /health: the architecture and the release of this function version (no AWS call at all)."""

import os

from serverless.functions.http import Request, Response, http_function, respond


@http_function("get_health")
def handler(req: Request) -> Response:
    return respond(200, {"status": "ok", "architecture": "serverless",
                         "release": os.environ.get("WORKSHOP_RELEASE", "v1")})
