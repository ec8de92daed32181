"""OpenAPI import to an HTTP API, one endpoint for every service, and the serve command's lifecycle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import boto3
import psutil
import requests

from localaws import start_local_aws
from localaws.apigw.openapi import import_http_api

HELLO = """
def handler(event, context):
    return {"path": event["rawPath"], "who": event["requestContext"].get("authorizer")}
"""
ALLOW_TOKEN = """
def handler(event, context):
    return {"isAuthorized": event["identitySource"] == ["let-me-in"], "context": {"role": "editor"}}
"""


def arn(name):
    return f"arn:aws:lambda:us-east-1:123456789012:function:{name}"


def test_openapi_document_with_extensions_becomes_a_routed_api(aws, client, deploy):
    fn, auth = deploy(HELLO), deploy(ALLOW_TOKEN)
    uri = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{arn(auth)}/invocations"
    doc = {
        "openapi": "3.0.1", "info": {"title": "demo", "version": "1"},
        "components": {"securitySchemes": {"token": {
            "type": "apiKey", "name": "Authorization", "in": "header",
            "x-amazon-apigateway-authorizer": {"type": "request", "authorizerUri": uri,
                                               "identitySource": "$request.header.Authorization",
                                               "authorizerPayloadFormatVersion": "2.0",
                                               "enableSimpleResponses": True}}}},
        "paths": {
            "/public/{id}": {"get": {"x-amazon-apigateway-integration": {
                "type": "aws_proxy", "uri": arn(fn), "payloadFormatVersion": "2.0"}}},
            "/private": {"post": {"security": [{"token": []}], "x-amazon-apigateway-integration": {
                "type": "aws_proxy", "uri": arn(fn), "payloadFormatVersion": "2.0"}}},
        },
    }
    api = import_http_api(client("apigatewayv2"), doc)
    base = aws.gateway_url(api)
    assert requests.get(base + "/public/7", timeout=30).json() == {"path": "/public/7", "who": None}
    assert requests.post(base + "/private", headers={"Authorization": "nope"}, timeout=30).status_code == 403
    ok = requests.post(base + "/private", headers={"Authorization": "let-me-in"}, timeout=30).json()
    assert ok["who"] == {"lambda": {"role": "editor"}}


def test_one_endpoint_serves_other_services(aws, client):
    s3, ddb, sqs = client("s3"), client("dynamodb"), client("sqs")
    s3.create_bucket(Bucket="one-endpoint")
    s3.put_object(Bucket="one-endpoint", Key="k", Body=b"v")
    assert s3.get_object(Bucket="one-endpoint", Key="k")["Body"].read() == b"v"
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "one-endpoint", "Key": "k"})
    assert url.startswith(aws.endpoint) and requests.get(url, timeout=10).content == b"v"
    ddb.create_table(TableName="one", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST")
    assert "one" in ddb.list_tables()["TableNames"]
    assert sqs.create_queue(QueueName="one")["QueueUrl"]


def test_stop_kills_every_environment(tmp_path, deploy, client):
    # A second LocalAws in the same process shares moto's state but owns its own environments.
    second = start_local_aws(tmp_path / "second", reset=False)
    try:
        name = deploy("import os\ndef handler(e, c):\n    return os.getpid()\n")
        lam = boto3.client("lambda", endpoint_url=second.endpoint, region_name="us-east-1",
                           aws_access_key_id="t", aws_secret_access_key="t")
        pid = int(lam.invoke(FunctionName=name)["Payload"].read())
        assert psutil.pid_exists(pid)
    finally:
        second.stop()
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    try:
        requests.get(second.endpoint, timeout=2)
    except requests.ConnectionError:
        pass
    else:
        raise AssertionError("front still listening after stop()")


def test_serve_command_runs_until_sigterm_and_cleans_up(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "localaws", "serve", "--port", "0",
                             "--state-dir", str(tmp_path)], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        endpoint = line.strip().split("AWS_ENDPOINT_URL=")[1]
        kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="t", aws_secret_access_key="t")
        iam, lam = boto3.client("iam", **kw), boto3.client("lambda", **kw)
        role = iam.create_role(RoleName="r", AssumeRolePolicyDocument="{}")["Role"]["Arn"]
        from lambda_helpers import zip_of

        source = "import os\ndef handler(e, c):\n    return os.getpid()\n"
        lam.create_function(FunctionName="f", Runtime="python3.11", Role=role, Handler="app.handler",
                            Code={"ZipFile": zip_of({"app.py": source})})
        env_pid = int(lam.invoke(FunctionName="f")["Payload"].read())
        assert env_pid in [c.pid for c in psutil.Process(proc.pid).children(recursive=True)]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
        deadline = time.monotonic() + 5
        while psutil.pid_exists(env_pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not psutil.pid_exists(env_pid)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
