"""The `$default` route: whatever no other route matched gets the contract's 404 (or 405 on a known path)."""

import re

from serverless.functions.http import Request, Response, error, http_function

# The routes of template.yaml by path: a 405 names the methods the path does allow (RFC 9110 `Allow`).
KNOWN = [(re.compile(p), methods) for p, methods in (
    (r"^/health$", "GET"), (r"^/videos$", "GET, POST"), (r"^/videos/[^/]+$", "GET, DELETE"),
    (r"^/videos/[^/]+/views$", "POST"), (r"^/trending$", "GET"))]


@http_function("not_found")
def handler(req: Request) -> Response:
    path = req.path
    for pattern, methods in KNOWN:
        if pattern.match(path):
            resp = error(405, "validation_error", "method not allowed on this path")
            resp["headers"]["Allow"] = methods
            return resp
    return error(404, "not_found", f"no route for {req.method} {path}")
