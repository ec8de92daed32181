"""GET /trending: the most viewed videos of the last hour, from the counts the analytics function keeps."""

from .http import Request, Response, http_function, respond
from .wiring import catalog


@http_function("get_trending")
def handler(req: Request) -> Response:
    return respond(200, {"items": catalog().trending()})
