"""The `$default` route: whatever no other route matched gets the contract's 404 (or 405 on a known path)."""

import re

from serverless.functions.http import Request, Response, error, http_function

KNOWN = [re.compile(p) for p in (r"^/health$", r"^/videos$", r"^/videos/[^/]+$", r"^/videos/[^/]+/views$",
                                 r"^/trending$")]


@http_function("not_found")
def handler(req: Request) -> Response:
    path = req.path
    if any(p.match(path) for p in KNOWN):
        return error(405, "validation_error", "method not allowed on this path")
    return error(404, "not_found", f"no route for {req.method} {path}")
