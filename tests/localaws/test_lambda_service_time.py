"""Emulator accounting: time a function spends waiting on AWS calls is recorded as service_ms, not code."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DELAY_S, CALLS, CODE_S = 0.15, 3, 0.2

CALLER = """
import time
import boto3
def handler(event, context):
    s3 = boto3.client("s3", endpoint_url=event["url"], region_name="us-east-1")
    for _ in range(event["calls"]):
        s3.list_buckets()
    time.sleep(event["code_s"])  # time in the function's own code
    return {"ok": True}
"""

LIST_BUCKETS = (b'<?xml version="1.0" encoding="UTF-8"?><ListAllMyBucketsResult>'
                b"<Owner><ID>x</ID></Owner><Buckets></Buckets></ListAllMyBucketsResult>")


class SlowS3(BaseHTTPRequestHandler):
    """An S3 front that answers ListBuckets after sleeping DELAY_S: a slow local AWS."""

    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        time.sleep(DELAY_S)
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", str(len(LIST_BUCKETS)))
        self.end_headers()
        self.wfile.write(LIST_BUCKETS)

    def log_message(self, *args: object) -> None:
        pass


def test_slowed_service_calls_count_as_service_time_not_code(client, deploy, aws):
    server = ThreadingHTTPServer(("127.0.0.1", 0), SlowS3)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        lam = client("lambda")
        name = deploy(CALLER, Timeout=30)
        url = f"http://127.0.0.1:{server.server_address[1]}"
        for _ in range(2):  # cold, then warm: the hook's running totals are split per invocation
            resp = lam.invoke(FunctionName=name, Payload=json.dumps(
                {"url": url, "calls": CALLS, "code_s": CODE_S}).encode())
            assert "FunctionError" not in resp, resp["Payload"].read()
    finally:
        server.shutdown()
        server.server_close()
    records = [r for r in aws.invocations() if r["function"] == name]
    assert len(records) == 2
    for rec in records:
        assert rec["service_calls"] == {"s3.ListBuckets": CALLS}
        assert rec["service_ms"] >= CALLS * DELAY_S * 1000
        code_ms = rec["duration_ms"] - rec["service_ms"]
        assert code_ms >= CODE_S * 1000  # the sleep in code is not service time
        assert rec["service_ms"] < CALLS * DELAY_S * 1000 + 1000  # and is not counted twice


def test_a_function_without_aws_calls_has_no_service_time(client, deploy, aws):
    name = deploy("def handler(event, context):\n    return 1\n")
    client("lambda").invoke(FunctionName=name, Payload=b"{}")
    [rec] = [r for r in aws.invocations() if r["function"] == name]
    assert rec["service_ms"] == 0.0 and rec["service_calls"] == {}
