"""HTTP and REST APIs (inspection and export), S3, DynamoDB, SQS, SNS and Kinesis through the AWS CLI v1.

The APIs are built with boto3 (as the notebooks do); the CLI reads and exports them, and every answer is
checked against AWS's documented output shape (botocore's model).
"""

from __future__ import annotations

import base64
import json
import re
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from aws_cli import Cli, CliResult, check_shape, cli_error
from lambda_helpers import zip_of
from openapi_spec_validator import validate

from localaws import LocalAws
from localaws.apigw.openapi import import_http_api

ACCOUNT = "123456789012"
HANDLER = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'hi ' + event.get('rawPath', '')}\n"
FN_ARN = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:hello"
INVOKE_URI = f"arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/{FN_ARN}/invocations"


@pytest.fixture(scope="module")
def apis(client: Callable[[str], Any], role: str) -> dict[str, str]:
    """A Lambda function behind an HTTP API (two routes, one with a REQUEST authorizer) and a REST API."""
    client("lambda").create_function(FunctionName="hello", Runtime="python3.11", Role=role, Handler="app.handler",
                                     Code={"ZipFile": zip_of({"app.py": HANDLER})})
    v2 = client("apigatewayv2")
    http = v2.create_api(Name="videos-http", ProtocolType="HTTP")["ApiId"]
    integ = v2.create_integration(ApiId=http, IntegrationType="AWS_PROXY", IntegrationUri=FN_ARN,
                                  PayloadFormatVersion="2.0")["IntegrationId"]
    auth = v2.create_authorizer(ApiId=http, Name="token", AuthorizerType="REQUEST", AuthorizerUri=INVOKE_URI,
                                IdentitySource=["$request.header.Authorization"],
                                AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True)["AuthorizerId"]
    v2.create_route(ApiId=http, RouteKey="GET /items/{id}", Target=f"integrations/{integ}")
    v2.create_route(ApiId=http, RouteKey="POST /items", Target=f"integrations/{integ}",
                    AuthorizationType="CUSTOM", AuthorizerId=auth)
    v2.create_stage(ApiId=http, StageName="$default", AutoDeploy=True)
    ag = client("apigateway")
    rest = ag.create_rest_api(name="videos-rest")["id"]
    root = ag.get_resources(restApiId=rest)["items"][0]["id"]
    items = ag.create_resource(restApiId=rest, parentId=root, pathPart="items")["id"]
    ag.put_method(restApiId=rest, resourceId=items, httpMethod="GET", authorizationType="NONE")
    ag.put_method_response(restApiId=rest, resourceId=items, httpMethod="GET", statusCode="200")
    ag.put_integration(restApiId=rest, resourceId=items, httpMethod="GET", type="AWS_PROXY",
                       integrationHttpMethod="POST", uri=INVOKE_URI)
    ag.create_deployment(restApiId=rest, stageName="prod")
    return {"http": http, "rest": rest, "items": items}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli")
    (path / "hello.txt").write_text("hello from the CLI\n")
    return path


@pytest.fixture(scope="module")
def session(cli: Cli, apis: dict[str, str], aws: LocalAws,
            client: Callable[[str], Any]) -> dict[str, CliResult]:
    """Every call of the module in one CLI process, keyed by a short label."""
    http, rest, sqs_url = apis["http"], apis["rest"], ["--endpoint-url", aws.endpoint]  # see test_aws_cli_lambda
    kinesis = client("kinesis")  # the stream and a TRIM_HORIZON iterator exist before the batch, so it can read
    kinesis.create_stream(StreamName="clicks", ShardCount=1)
    iterator = kinesis.get_shard_iterator(StreamName="clicks", ShardId="shardId-000000000000",
                                          ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    doomed = client("apigatewayv2").create_api(Name="doomed", ProtocolType="HTTP")["ApiId"]  # for delete-api
    calls = {
        "quick-create": ["apigatewayv2", "create-api", "--name", "quick", "--protocol-type", "HTTP",
                         "--target", FN_ARN],
        "get-apis": ["apigatewayv2", "get-apis"],
        "get-api": ["apigatewayv2", "get-api", "--api-id", http],
        "get-routes": ["apigatewayv2", "get-routes", "--api-id", http],
        "get-integrations": ["apigatewayv2", "get-integrations", "--api-id", http],
        "get-authorizers": ["apigatewayv2", "get-authorizers", "--api-id", http],
        "get-stages-v2": ["apigatewayv2", "get-stages", "--api-id", http],
        "export-yaml": ["apigatewayv2", "export-api", "--api-id", http, "--specification", "OAS30",
                        "--output-type", "YAML", "http.yaml"],
        "export-json": ["apigatewayv2", "export-api", "--api-id", http, "--specification", "OAS30",
                        "--output-type", "JSON", "--no-include-extensions", "http.json"],
        "export-missing": ["apigatewayv2", "export-api", "--api-id", "nope", "--specification", "OAS30",
                           "--output-type", "YAML", "missing.yaml"],
        "get-rest-apis": ["apigateway", "get-rest-apis"],
        "test-invoke": ["apigateway", "test-invoke-method", "--rest-api-id", rest, "--resource-id", apis["items"],
                        "--http-method", "GET", "--path-with-query-string", "/items?page=2"],
        "get-resources": ["apigateway", "get-resources", "--rest-api-id", rest],
        "get-stages": ["apigateway", "get-stages", "--rest-api-id", rest],
        "swagger": ["apigateway", "get-export", "--rest-api-id", rest, "--stage-name", "prod", "--export-type",
                    "swagger", "--parameters", "extensions=integrations", "rest-swagger.json"],
        "oas30": ["apigateway", "get-export", "--rest-api-id", rest, "--stage-name", "prod", "--export-type",
                  "oas30", "--accepts", "application/yaml", "rest-oas30.yaml"],
        "oas30-integrations": ["apigateway", "get-export", "--rest-api-id", rest, "--stage-name", "prod",
                               "--export-type", "oas30", "--parameters", "extensions=integrations",
                               "rest-oas30-integrations.json"],
        "delete-api": ["apigatewayv2", "delete-api", "--api-id", doomed],
        "get-deleted-api": ["apigatewayv2", "get-api", "--api-id", doomed],
        "mb": ["s3", "mb", "s3://cli-bucket"],
        "cp": ["s3", "cp", "hello.txt", "s3://cli-bucket/notes/hello.txt"],
        "list-objects": ["s3api", "list-objects-v2", "--bucket", "cli-bucket"],
        "head-object": ["s3api", "head-object", "--bucket", "cli-bucket", "--key", "notes/hello.txt"],
        "get-object": ["s3api", "get-object", "--bucket", "cli-bucket", "--key", "notes/hello.txt", "got.txt"],
        "ls": ["s3", "ls"],
        "ls-bucket": ["s3", "ls", "s3://cli-bucket"],
        "ls-prefix": ["s3", "ls", "s3://cli-bucket/notes/"],
        "create-table": ["dynamodb", "create-table", "--table-name", "Videos", "--billing-mode", "PAY_PER_REQUEST",
                         "--attribute-definitions", "AttributeName=id,AttributeType=S",
                         "--key-schema", "AttributeName=id,KeyType=HASH"],
        "put-item": ["dynamodb", "put-item", "--table-name", "Videos",
                     "--item", '{"id": {"S": "v1"}, "title": {"S": "Intro"}, "views": {"N": "3"}}'],
        "get-item": ["dynamodb", "get-item", "--table-name", "Videos", "--key", '{"id": {"S": "v1"}}'],
        "query": ["dynamodb", "query", "--table-name", "Videos", "--key-condition-expression", "id = :id",
                  "--expression-attribute-values", '{":id": {"S": "v1"}}'],
        "scan": ["dynamodb", "scan", "--table-name", "Videos"],
        "describe-table": ["dynamodb", "describe-table", "--table-name", "Videos"],
        "create-queue": ["sqs", "create-queue", "--queue-name", "notes", *sqs_url],
        "create-topic": ["sns", "create-topic", "--name", "events"],
        "subscribe": ["sns", "subscribe", "--topic-arn", f"arn:aws:sns:us-east-1:{ACCOUNT}:events", "--protocol",
                      "sqs", "--notification-endpoint", f"arn:aws:sqs:us-east-1:{ACCOUNT}:notes"],
        "publish": ["sns", "publish", "--topic-arn", f"arn:aws:sns:us-east-1:{ACCOUNT}:events", "--message", "hi"],
        "list-topics": ["sns", "list-topics"],
        "list-subscriptions": ["sns", "list-subscriptions-by-topic", "--topic-arn",
                               f"arn:aws:sns:us-east-1:{ACCOUNT}:events"],
        "get-queue-attributes": ["sqs", "get-queue-attributes", "--queue-url", f"{aws.endpoint}/{ACCOUNT}/notes",
                                 "--attribute-names", "All", *sqs_url],
        "receive-message": ["sqs", "receive-message", "--queue-url", f"{aws.endpoint}/{ACCOUNT}/notes", *sqs_url],
        "put-record": ["kinesis", "put-record", "--stream-name", "clicks", "--partition-key", "k", "--data", "click"],
        "describe-stream": ["kinesis", "describe-stream", "--stream-name", "clicks"],
        "list-shards": ["kinesis", "list-shards", "--stream-name", "clicks"],
        "iterator": ["kinesis", "get-shard-iterator", "--stream-name", "clicks", "--shard-id",
                     "shardId-000000000000", "--shard-iterator-type", "TRIM_HORIZON"],
        "get-records": ["kinesis", "get-records", "--shard-iterator", iterator],
        "contributor-insights": ["dynamodb", "describe-contributor-insights", "--table-name", "Videos"],
        "origination-numbers": ["sns", "list-origination-numbers"],
    }
    return dict(zip(calls, cli(list(calls.values())), strict=True))


def test_http_api_inspection(session: dict[str, CliResult], apis: dict[str, str]) -> None:
    listed = check_shape("apigatewayv2", "GetApis", session["get-apis"].json, ("Items.0.ApiId",))
    assert apis["http"] in [a["ApiId"] for a in listed["Items"]]
    api = check_shape("apigatewayv2", "GetApi", session["get-api"].json, ("ApiId", "Name", "ProtocolType"))
    assert api["ProtocolType"] == "HTTP"
    routes = check_shape("apigatewayv2", "GetRoutes", session["get-routes"].json, ("Items.0.RouteKey",))
    assert {r["RouteKey"] for r in routes["Items"]} == {"GET /items/{id}", "POST /items"}
    integrations = check_shape("apigatewayv2", "GetIntegrations", session["get-integrations"].json,
                               ("Items.0.IntegrationType", "Items.0.IntegrationUri"))
    assert integrations["Items"][0]["IntegrationType"] == "AWS_PROXY"
    check_shape("apigatewayv2", "GetAuthorizers", session["get-authorizers"].json, ("Items.0.AuthorizerType",))
    stages = check_shape("apigatewayv2", "GetStages", session["get-stages-v2"].json, ("Items.0.StageName",))
    assert [s["StageName"] for s in stages["Items"]] == ["$default"]


def test_http_api_quick_create_routes_everything_to_the_function(session: dict[str, CliResult], aws: LocalAws,
                                                                 client: Callable[[str], Any]) -> None:
    api = check_shape("apigatewayv2", "CreateApi", session["quick-create"].json, ("ApiId", "ApiEndpoint", "Name"))
    routes = client("apigatewayv2").get_routes(ApiId=api["ApiId"])["Items"]
    assert [r["RouteKey"] for r in routes] == ["$default"]  # as AWS's quick create makes it
    with urllib.request.urlopen(f"{aws.gateway_url(api['ApiId'])}/any/path", timeout=60) as reply:
        assert reply.status == 200 and reply.read() == b"hi /any/path"


def test_http_api_export_is_openapi_with_extensions(session: dict[str, CliResult], workdir: Path,
                                                    apis: dict[str, str], client: Callable[[str], Any],
                                                    aws: LocalAws) -> None:
    assert session["export-yaml"].rc == 0 and session["export-json"].rc == 0, session["export-yaml"].stderr
    doc = yaml.safe_load((workdir / "http.yaml").read_text())
    validate(doc)  # a valid OpenAPI 3.0 document
    assert doc["openapi"].startswith("3.0") and doc["info"]["title"] == "videos-http"
    get_item = doc["paths"]["/items/{id}"]["get"]["x-amazon-apigateway-integration"]
    assert get_item == {"type": "aws_proxy", "uri": INVOKE_URI, "httpMethod": "POST",
                        "payloadFormatVersion": "2.0", "connectionType": "INTERNET", "timeoutInMillis": 30000}
    assert doc["paths"]["/items/{id}"]["parameters"][0]["name"] == "id"
    assert doc["paths"]["/items"]["post"]["security"] == [{"token": []}]
    scheme = doc["components"]["securitySchemes"]["token"]["x-amazon-apigateway-authorizer"]
    assert scheme["type"] == "request" and scheme["authorizerUri"] == INVOKE_URI
    plain = json.loads((workdir / "http.json").read_text())  # --no-include-extensions
    validate(plain)
    assert "x-amazon-apigateway-integration" not in json.dumps(plain)
    missing = cli_error(session["export-missing"])
    assert "(NotFoundException)" in missing and "ExportApi" in missing
    # The export is a deployable document: import it as a new API and call it through the gateway.
    copy = import_http_api(client("apigatewayv2"), (workdir / "http.yaml").read_text())
    with urllib.request.urlopen(f"{aws.gateway_url(copy)}/items/42", timeout=60) as reply:
        assert reply.status == 200 and reply.read() == b"hi /items/42"


def test_rest_api_inspection_and_export(session: dict[str, CliResult], workdir: Path, apis: dict[str, str]) -> None:
    listed = check_shape("apigateway", "GetRestApis", session["get-rest-apis"].json, ("items.0.id",))
    assert apis["rest"] in [a["id"] for a in listed["items"]]
    resources = check_shape("apigateway", "GetResources", session["get-resources"].json, ("items.0.path",))
    assert {r["path"] for r in resources["items"]} == {"/", "/items"}
    stages = check_shape("apigateway", "GetStages", session["get-stages"].json, ("item.0.stageName",))
    assert [s["stageName"] for s in stages["item"]] == ["prod"]
    check_shape("apigateway", "GetExport", session["swagger"].json, ("contentType",))
    swagger = json.loads((workdir / "rest-swagger.json").read_text())
    validate(swagger)  # a valid Swagger 2.0 document
    assert swagger["swagger"] == "2.0" and swagger["basePath"] == "/prod"
    integration = swagger["paths"]["/items"]["get"]["x-amazon-apigateway-integration"]
    assert integration["type"] == "aws_proxy" and integration["uri"] == INVOKE_URI
    assert check_shape("apigateway", "GetExport", session["oas30"].json)["contentType"] == "application/yaml"
    oas = yaml.safe_load((workdir / "rest-oas30.yaml").read_text())
    validate(oas)
    assert oas["openapi"].startswith("3.0") and oas["servers"][0]["variables"]["basePath"]["default"] == "prod"
    assert "x-amazon-apigateway-integration" not in oas["paths"]["/items"]["get"]  # not asked for
    check_shape("apigateway", "GetExport", session["oas30-integrations"].json, ("contentType",))
    with_integrations = json.loads((workdir / "rest-oas30-integrations.json").read_text())  # JSON: the default
    validate(with_integrations)
    assert with_integrations["openapi"].startswith("3.0")
    integration = with_integrations["paths"]["/items"]["get"]["x-amazon-apigateway-integration"]
    assert integration["type"] == "aws_proxy" and integration["uri"] == INVOKE_URI
    assert integration["httpMethod"] == "POST"


def test_http_api_delete(session: dict[str, CliResult], client: Callable[[str], Any]) -> None:
    deleted = session["delete-api"]
    assert deleted.rc == 0 and deleted.stdout == "", deleted.stderr  # DeleteApi: 204, no output shape
    gone = cli_error(session["get-deleted-api"])
    assert "(NotFoundException) when calling the GetApi operation" in gone
    assert "doomed" not in [a["Name"] for a in client("apigatewayv2").get_apis()["Items"]]


def test_rest_api_test_invoke_method(session: dict[str, CliResult]) -> None:
    tested = check_shape("apigateway", "TestInvokeMethod", session["test-invoke"].json,
                         ("status", "body", "headers", "log", "latency"))
    assert tested["status"] == 200 and tested["body"] == "hi "  # a REST (payload 1.0) event has no rawPath
    assert "Method completed with status: 200" in tested["log"]


def test_s3(session: dict[str, CliResult], workdir: Path) -> None:
    assert session["mb"].rc == 0 and "make_bucket: cli-bucket" in session["mb"].stdout
    assert session["cp"].rc == 0 and "upload:" in session["cp"].stdout
    listed = check_shape("s3", "ListObjectsV2", session["list-objects"].json, ("Contents.0.Key", "Contents.0.Size"))
    assert [o["Key"] for o in listed["Contents"]] == ["notes/hello.txt"]
    head = check_shape("s3", "HeadObject", session["head-object"].json, ("ContentLength", "ETag", "LastModified"))
    assert head["ContentLength"] == len("hello from the CLI\n")
    check_shape("s3", "GetObject", session["get-object"].json, ("ContentLength", "ETag"))
    assert (workdir / "got.txt").read_text() == "hello from the CLI\n"
    # `aws s3 ls` prints text, as AWS's reference shows it: "DATE TIME BUCKET", "PRE PREFIX/", "DATE TIME SIZE KEY".
    stamp = r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"
    assert session["ls"].rc == 0 and re.search(rf"^{stamp} cli-bucket$", session["ls"].stdout, re.M), session["ls"]
    assert session["ls-bucket"].rc == 0 and session["ls-bucket"].stdout.splitlines() == [" " * 27 + "PRE notes/"]
    [line] = session["ls-prefix"].stdout.splitlines()
    assert re.fullmatch(rf"{stamp} +{len('hello from the CLI')+1} hello\.txt", line), line


def test_dynamodb(session: dict[str, CliResult]) -> None:
    check_shape("dynamodb", "CreateTable", session["create-table"].json, ("TableDescription.TableName",))
    check_shape("dynamodb", "PutItem", session["put-item"].json or {})
    item = check_shape("dynamodb", "GetItem", session["get-item"].json, ("Item.id.S", "Item.views.N"))
    assert item["Item"]["title"] == {"S": "Intro"}
    assert check_shape("dynamodb", "Query", session["query"].json, ("Items", "Count"))["Count"] == 1
    assert check_shape("dynamodb", "Scan", session["scan"].json, ("Items", "ScannedCount"))["ScannedCount"] == 1
    table = check_shape("dynamodb", "DescribeTable", session["describe-table"].json,
                        ("Table.TableStatus", "Table.KeySchema", "Table.TableArn"))
    assert table["Table"]["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"


def test_sqs_and_sns(session: dict[str, CliResult]) -> None:
    check_shape("sqs", "CreateQueue", session["create-queue"].json, ("QueueUrl",))
    check_shape("sns", "CreateTopic", session["create-topic"].json, ("TopicArn",))
    check_shape("sns", "Subscribe", session["subscribe"].json, ("SubscriptionArn",))
    check_shape("sns", "Publish", session["publish"].json, ("MessageId",))
    assert check_shape("sns", "ListTopics", session["list-topics"].json, ("Topics.0.TopicArn",))
    subs = check_shape("sns", "ListSubscriptionsByTopic", session["list-subscriptions"].json,
                       ("Subscriptions.0.Protocol", "Subscriptions.0.Endpoint"))
    assert subs["Subscriptions"][0]["Protocol"] == "sqs"
    attrs = check_shape("sqs", "GetQueueAttributes", session["get-queue-attributes"].json,
                        ("Attributes.QueueArn", "Attributes.ApproximateNumberOfMessages"))
    assert attrs["Attributes"]["QueueArn"].endswith(":notes")
    received = check_shape("sqs", "ReceiveMessage", session["receive-message"].json,
                           ("Messages.0.Body", "Messages.0.ReceiptHandle", "Messages.0.MD5OfBody"))
    assert json.loads(received["Messages"][0]["Body"])["Message"] == "hi"  # the SNS envelope


def test_kinesis_reads(session: dict[str, CliResult]) -> None:
    put = check_shape("kinesis", "PutRecord", session["put-record"].json, ("ShardId", "SequenceNumber"))
    check_shape("kinesis", "DescribeStream", session["describe-stream"].json,
                ("StreamDescription.StreamStatus", "StreamDescription.Shards.0.ShardId"))
    check_shape("kinesis", "ListShards", session["list-shards"].json, ("Shards.0.ShardId",))
    check_shape("kinesis", "GetShardIterator", session["iterator"].json, ("ShardIterator",))
    records = session["get-records"].json
    check_shape("kinesis", "GetRecords", records, ("Records.0.Data", "Records.0.SequenceNumber", "NextShardIterator"))
    assert records["Records"][0]["SequenceNumber"] == put["SequenceNumber"]
    assert base64.b64decode(records["Records"][0]["Data"]) == b"click"


def test_unimplemented_operations_answer_in_the_services_protocol(session: dict[str, CliResult]) -> None:
    dynamo = cli_error(session["contributor-insights"])  # JSON protocol
    assert "(NotImplementedException) when calling the DescribeContributorInsights operation" in dynamo
    assert "DynamoDB DescribeContributorInsights is not implemented locally" in dynamo
    sns = cli_error(session["origination-numbers"])  # query protocol: an XML error body
    assert "(NotImplemented) when calling the ListOriginationNumbers operation" in sns
    assert "SNS ListOriginationNumbers is not implemented locally" in sns and "<html" not in sns
