"""DELETE /videos/{id} (behind the authorizer): the item, its source, its renditions and its view counts."""

from serverless.functions.http import Request, Response, http_function, respond
from serverless.functions.wiring import catalog


@http_function("delete_video")
def handler(req: Request) -> Response:
    req.require_writer()
    catalog().delete(req.params.get("id", ""))
    return respond(204)
