"""POST /videos (behind the authorizer): create the entry and hand out a presigned S3 PUT URL for the source."""

from datetime import UTC, datetime

from serverless.functions import settings
from serverless.functions.http import Request, Response, http_function, metrics, respond
from serverless.functions.wiring import blobs, catalog, video_json
from videocatalog.service import source_key
from videocatalog.validation import parse_json_object, parse_new_video


@http_function("create_video")
def handler(req: Request) -> Response:
    req.require_writer()
    video = catalog().create(parse_new_video(parse_json_object(req.body)))
    ttl = settings.url_ttl_s()
    url, headers = blobs().presign_put(source_key(video.id), ttl)
    body = video_json(video)
    expires = datetime.fromtimestamp(datetime.now(UTC).timestamp() + ttl, UTC)
    body["upload"] = {"url": url, "method": "PUT", "headers": headers,
                      "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ")}
    metrics.add_metric(name="VideosCreated", unit="Count", value=1)
    return respond(201, body, {"Location": f"/videos/{video.id}"})
