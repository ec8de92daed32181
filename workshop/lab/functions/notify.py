"""A mobile backend's API function: publishes the request's message to an SNS topic for the devices."""

import json
import os

import boto3

SNS = boto3.client("sns")  # made once per environment, reused by warm invocations


def handler(event, context):
    """Publish the body's `message` for device group `{group}` to TOPIC_ARN; answer 202 with the message id."""
    body = json.loads(event.get("body") or "{}")
    if not isinstance(body.get("message"), str) or not body["message"]:
        return {"statusCode": 400, "headers": {"Content-Type": "application/json"},
                "body": json.dumps({"error": {"code": "validation_error", "field": "message",
                                              "message": "message must be a non-empty string"}})}
    group = (event.get("pathParameters") or {}).get("group", "all")
    sent = SNS.publish(TopicArn=os.environ["TOPIC_ARN"], Message=json.dumps({"group": group, "text": body["message"]}),
                       MessageAttributes={"group": {"DataType": "String", "StringValue": group}})
    return {"statusCode": 202, "headers": {"Content-Type": "application/json"},
            "body": json.dumps({"message_id": sent["MessageId"]})}
