"""GET /videos: a page of the catalog, newest first, with the contract's filters and cursor."""

from serverless.functions.http import Request, Response, http_function, respond
from serverless.functions.wiring import catalog, video_json
from videocatalog.validation import encode_cursor, parse_list_query


@http_function("list_videos")
def handler(req: Request) -> Response:
    page = catalog().list(parse_list_query(req.query))
    return respond(200, {"items": [video_json(v) for v in page.items], "next_cursor": encode_cursor(page.next_after)})
