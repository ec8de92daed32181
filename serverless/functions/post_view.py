"""POST /videos/{id}/views: one view event onto the Kinesis stream (counted later by the analytics function)."""

from serverless.functions.http import Request, Response, http_function, respond
from serverless.functions.wiring import catalog


@http_function("post_view")
def handler(req: Request) -> Response:
    catalog("stream").record_view(req.params.get("id", ""))
    return respond(202, {"status": "accepted"})
