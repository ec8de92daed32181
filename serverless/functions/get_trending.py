"""GET /trending: the most viewed videos of the last hour, from the counts the analytics function keeps."""

from serverless.functions.http import Request, Response, http_function, respond
from serverless.functions.wiring import catalog


@http_function("get_trending")
def handler(req: Request) -> Response:
    return respond(200, {"items": catalog().trending()})
