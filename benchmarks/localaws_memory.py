"""Issue 18 figure: RSS growth of the local AWS per 1,000 requests, for each service call the app makes.

Each mode runs in a child process of its own (moto's state is global to a process): plain moto
(WORKSHOP_LOCALAWS_PLAIN_MOTO=1, the baseline) and the local AWS with its flat-memory fix. Calls that
store data (PutRecord, PutLogEvents, SendMessage without a delete) grow by what AWS would keep too;
the calls that only read or overwrite should stay near zero.

    python benchmarks/localaws_memory.py [--quick] [--calls N]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workshop import settings

ROOT = Path(__file__).resolve().parents[1]


def _resources(c: Callable[[str], Any]) -> dict[str, Any]:
    db = c("dynamodb")
    db.create_table(TableName="videos", BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("id", "kind", "ck")],
                    KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                    GlobalSecondaryIndexes=[{"IndexName": "newest", "Projection": {"ProjectionType": "ALL"},
                                             "KeySchema": [{"AttributeName": "kind", "KeyType": "HASH"},
                                                           {"AttributeName": "ck", "KeyType": "RANGE"}]}])
    renditions = {n: {"M": {"name": {"S": n}, "status": {"S": "ready"}, "bytes": {"N": "123456"}}}
                  for n in ("240p", "480p", "720p")}
    for i in range(21):
        db.put_item(TableName="videos", Item={"id": {"S": f"v{i}"}, "kind": {"S": "video"}, "ck": {"S": f"{i:02}"},
                                              "title": {"S": f"video {i} " * 8}, "renditions": {"M": renditions}})
    queue = c("sqs").create_queue(QueueName="jobs")["QueueUrl"]
    topic = c("sns").create_topic(Name="status")["TopicArn"]
    c("kinesis").create_stream(StreamName="views", ShardCount=1)
    c("s3").create_bucket(Bucket="media")
    c("logs").create_log_group(logGroupName="g")
    c("logs").create_log_stream(logGroupName="g", logStreamName="s")
    return {"queue": queue, "topic": topic}


def _calls(c: Callable[[str], Any], r: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    db, sqs, s3 = c("dynamodb"), c("sqs"), c("s3")

    def sqs_round_trip() -> None:
        sqs.send_message(QueueUrl=r["queue"], MessageBody="status changed")
        for m in sqs.receive_message(QueueUrl=r["queue"], MaxNumberOfMessages=10).get("Messages", []):
            sqs.delete_message(QueueUrl=r["queue"], ReceiptHandle=m["ReceiptHandle"])

    return {
        "dynamodb Query (21 items)": lambda: db.query(
            TableName="videos", IndexName="newest", KeyConditionExpression="kind = :k", Limit=21,
            ExpressionAttributeValues={":k": {"S": "video"}}, ScanIndexForward=False),
        "dynamodb Scan (21 items)": lambda: db.scan(TableName="videos"),
        "dynamodb GetItem": lambda: db.get_item(TableName="videos", Key={"id": {"S": "v3"}}, ConsistentRead=True),
        "dynamodb PutItem (overwrite)": lambda: db.put_item(
            TableName="videos", Item={"id": {"S": "w"}, "kind": {"S": "other"}, "ck": {"S": "w"}}),
        "dynamodb UpdateItem (ADD)": lambda: db.update_item(
            TableName="videos", Key={"id": {"S": "c"}}, UpdateExpression="ADD #v :n",
            ExpressionAttributeNames={"#v": "views"}, ExpressionAttributeValues={":n": {"N": "1"}}),
        "sqs Send+Receive+Delete": sqs_round_trip,
        "sns Publish": lambda: c("sns").publish(TopicArn=r["topic"], Message='{"status": "ready"}'),
        "kinesis PutRecord (stored)": lambda: c("kinesis").put_record(StreamName="views", Data=b'{"v": 1}',
                                                                      PartitionKey="v1"),
        "s3 PutObject+GetObject (overwrite)": lambda: (s3.put_object(Bucket="media", Key="k", Body=b"x" * 1024),
                                                       s3.get_object(Bucket="media", Key="k")["Body"].read()),
        "logs PutLogEvents (stored)": lambda: c("logs").put_log_events(
            logGroupName="g", logStreamName="s", logEvents=[{"timestamp": 1_765_000_000_000, "message": "REPORT"}]),
    }


def child(calls: int) -> dict[str, float]:
    """Start a local AWS in this process; RSS growth in MB per 1,000 requests for each call."""
    import boto3
    import psutil

    from localaws import start_local_aws

    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as state, start_local_aws(state) as aws:
        def c(service: str) -> Any:
            return boto3.client(service, endpoint_url=aws.endpoint, region_name="us-east-1",
                                aws_access_key_id="testing", aws_secret_access_key="testing")

        process = psutil.Process()
        for name, call in _calls(c, _resources(c)).items():
            for _ in range(max(calls // 5, 50)):  # warm-up
                call()
            gc.collect()
            before = process.memory_info().rss
            for _ in range(calls):
                call()
            gc.collect()
            out[name] = (process.memory_info().rss - before) / 1024 / 1024 * 1000 / calls
    return out


def main(argv: list[str] | None = None) -> int:
    """Run both modes in child processes and print MB per 1,000 requests side by side."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--quick", action="store_true", default=settings.quick())
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.calls)))
        return 0
    calls = 300 if args.quick else args.calls
    results = {}
    for mode, plain in (("plain moto", "1"), ("local AWS", "0")):
        env = {**os.environ, "WORKSHOP_LOCALAWS_PLAIN_MOTO": plain, "PYTHONPATH": str(ROOT)}
        done = subprocess.run([sys.executable, __file__, "--child", "--calls", str(calls)], env=env, cwd=ROOT,
                              capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"{mode} failed:\n{done.stderr[-3000:]}")
        results[mode] = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"RSS growth per 1,000 requests ({calls} measured per call, after warm-up), MB")
    print(f"{'call':40} {'plain moto':>11} {'local AWS':>10}")
    for name in results["plain moto"]:
        print(f"{name:40} {results['plain moto'][name]:11.2f} {results['local AWS'][name]:10.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
