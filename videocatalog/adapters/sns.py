"""Publishing a video's settled status to an SNS topic (the mobile-backend pattern: clients subscribe)."""

from __future__ import annotations

import json

from videocatalog.adapters.awsclients import client
from videocatalog.model import Video


class SnsNotifier:
    """Tells subscribers (an SQS queue, a phone, an email) that a video became ready or failed."""

    def __init__(self, topic_arn: str) -> None:
        self.topic_arn = topic_arn

    def video_settled(self, video: Video) -> str:
        """Publish {id, title, status, error}; the `status` attribute lets subscribers filter. Returns the id."""
        message = {"id": video.id, "title": video.title, "status": video.status, "error": video.error,
                   "updated_at": video.updated_at}
        resp = client("sns").publish(
            TopicArn=self.topic_arn, Subject=f"video {video.status}", Message=json.dumps(message),
            MessageAttributes={"status": {"DataType": "String", "StringValue": video.status}})
        return str(resp["MessageId"])
