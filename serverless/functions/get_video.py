"""GET /videos/{id}: one video with presigned rendition URLs."""

from serverless.functions.http import Request, Response, http_function, respond
from serverless.functions.wiring import catalog, video_json


@http_function("get_video")
def handler(req: Request) -> Response:
    return respond(200, video_json(catalog().get(req.params.get("id", ""))))
