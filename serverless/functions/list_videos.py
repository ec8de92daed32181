"""GET /videos: a page of the catalog, newest first, with the contract's filters and cursor."""

from videocatalog.validation import encode_cursor, parse_list_query

from .http import Request, Response, http_function, respond
from .wiring import catalog, video_json


@http_function("list_videos")
def handler(req: Request) -> Response:
    page = catalog().list(parse_list_query(req.query))
    return respond(200, {"items": [video_json(v) for v in page.items], "next_cursor": encode_cursor(page.next_after)})
