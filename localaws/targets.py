"""boto3 clients for the local endpoint, and delivery of a message to an SQS/SNS/Lambda ARN."""

from __future__ import annotations

import threading
from typing import Any

import boto3
from botocore.config import Config


class Clients:
    """Cached boto3 clients pointed at the local endpoint with dummy credentials."""

    def __init__(self, endpoint: str) -> None:
        self.endpoint = endpoint
        self._cache: dict[tuple[str, str], Any] = {}
        self._lock = threading.Lock()

    def get(self, service: str, region: str = "us-east-1") -> Any:
        """A client for the service in the region."""
        with self._lock:
            if (service, region) not in self._cache:
                self._cache[(service, region)] = boto3.session.Session().client(
                    service, region_name=region, endpoint_url=self.endpoint,
                    aws_access_key_id="testing", aws_secret_access_key="testing",
                    config=Config(retries={"max_attempts": 1}, read_timeout=900))
            return self._cache[(service, region)]

    def send(self, arn: str, body: str, attributes: dict[str, str]) -> None:
        """Deliver a message to an SQS queue, SNS topic or (asynchronously) a Lambda function."""
        parts = arn.split(":")
        service, region = parts[2], parts[3]
        attrs = {k: {"DataType": "String", "StringValue": v} for k, v in attributes.items()}
        if service == "sqs":
            sqs = self.get("sqs", region)
            url = sqs.get_queue_url(QueueName=parts[5], QueueOwnerAWSAccountId=parts[4])["QueueUrl"]
            sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attrs)
        elif service == "sns":
            self.get("sns", region).publish(TopicArn=arn, Message=body, MessageAttributes=attrs)
        elif service == "lambda":
            self.get("lambda", region).invoke(FunctionName=arn, InvocationType="Event", Payload=body.encode())
        else:
            raise ValueError(f"unsupported destination: {arn}")
