"""Counts the records of whatever event source invoked it, and says which source that was."""

import json


def handler(event, context):
    """Print one line per record (source and a short summary); return the count."""
    records = event.get("Records", [])
    if not records:  # not a batch: an EventBridge event, or a direct invoke
        print(json.dumps({"source": event.get("source", "direct"), "summary": event.get("detail-type", "")}))
    for record in records:
        source = record.get("eventSource") or record.get("EventSource") or "direct"
        print(json.dumps({"source": source, "summary": _summary(record)}))
    return {"records": len(records)}


def _summary(record):
    if "s3" in record:
        return record["s3"]["object"]["key"]
    if "Sns" in record:
        return record["Sns"]["Message"][:60]
    if "kinesis" in record:
        return record["kinesis"]["partitionKey"]
    if "dynamodb" in record:
        return f"{record['eventName']} {record['dynamodb'].get('Keys')}"
    if "body" in record:
        return record["body"][:60]
    return str(record)[:60]
