"""Keeps the running total where every environment sees it: an atomic ADD on a DynamoDB item."""

import os

import boto3

TABLE = boto3.resource("dynamodb").Table(os.environ["COUNTS_TABLE"])  # clients made once per environment: fine


def handler(event, context):
    """Add the event's views to the shared total atomically and return the new total."""
    item = TABLE.update_item(Key={"id": "total"}, UpdateExpression="ADD #views :n",
                             ExpressionAttributeNames={"#views": "views"},  # "views" is a reserved word
                             ExpressionAttributeValues={":n": int(event.get("views", 1))}, ReturnValues="UPDATED_NEW")
    return {"total": int(item["Attributes"]["views"])}
