"""Structured logs and custom metrics with AWS Lambda Powertools (EMF: metrics written as log lines)."""

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit

logger = Logger(service="catalog")
metrics = Metrics(namespace="Workshop", service="catalog")


@metrics.log_metrics
@logger.inject_lambda_context
def handler(event, context):
    """Log one structured line and emit two custom metrics for the event's videos."""
    videos = int(event.get("videos", 1))
    logger.info("listed videos", extra={"videos": videos, "tag": event.get("tag")})
    metrics.add_metric(name="VideosListed", unit=MetricUnit.Count, value=videos)
    metrics.add_metric(name="ListRequests", unit=MetricUnit.Count, value=1)
    return {"videos": videos}
