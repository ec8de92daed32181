"""Lambda through the AWS CLI v1, as AWS's getting-started guide, the notebooks and the seminar use it.

Each answer is checked against AWS's documented output shape (botocore's model of the API), not only for success.
"""

from __future__ import annotations

import base64
import json
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aws_cli import Cli, CliResult, aws_executable, check_shape, cli_env, cli_error
from lambda_helpers import zip_of

from localaws import LocalAws
from localaws.config import default_unreserved_min as minimum_unreserved

FN = "my-function"
ROLE = "arn:aws:iam::123456789012:role/lambda-ex"
TRUST = json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                            "Principal": {"Service": "lambda.amazonaws.com"}}]})
HANDLER = """
import json, os
def handler(event, context):
    print("EVENT " + json.dumps(event))
    return {"statusCode": 200, "stage": os.environ.get("STAGE", "none"), "got": event}
"""
CONFIG = ("FunctionName", "FunctionArn", "Runtime", "Role", "Handler", "CodeSize", "Timeout", "MemorySize",
          "LastModified", "CodeSha256", "Version")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli")
    (path / "function.zip").write_bytes(zip_of({"app.py": HANDLER}))
    (path / "args.json").write_text('{"deprecated": true}')
    return path


@pytest.fixture(scope="module")
def session(cli: Cli, aws: LocalAws) -> list[CliResult]:
    """The guide's walk-through, in one CLI process: role, function, invokes, versions, aliases, concurrency."""
    return cli([
        ["iam", "create-role", "--role-name", "lambda-ex", "--assume-role-policy-document", TRUST],
        ["lambda", "create-function", "--function-name", FN, "--zip-file", "fileb://function.zip",
         "--handler", "app.handler", "--runtime", "python3.11", "--role", ROLE],
        ["lambda", "get-function", "--function-name", FN],                                          # 2
        ["lambda", "list-functions"],
        ["lambda", "invoke", "--function-name", FN, "--payload", '{"name": "cli"}', "--log-type", "Tail",
         "sync.json"],                                                                              # 4
        ["lambda", "invoke", "--function-name", FN, "--invocation-type", "Event", "--payload", '{"async": 1}',
         "async.json"],
        ["lambda", "update-function-configuration", "--function-name", FN, "--environment",
         "Variables={STAGE=v1}"],                                                                   # 6
        ["lambda", "publish-version", "--function-name", FN, "--description", "first"],
        ["lambda", "list-versions-by-function", "--function-name", FN],                             # 8
        ["lambda", "create-alias", "--function-name", FN, "--name", "live", "--function-version", "1"],
        ["lambda", "get-alias", "--function-name", FN, "--name", "live"],                           # 10
        ["lambda", "list-aliases", "--function-name", FN],
        ["lambda", "invoke", "--function-name", FN, "--qualifier", "live", "alias.json"],           # 12
        ["lambda", "add-permission", "--function-name", FN, "--statement-id", "apigw", "--action",
         "lambda:InvokeFunction", "--principal", "apigateway.amazonaws.com"],
        ["lambda", "get-policy", "--function-name", FN],                                            # 14
        ["lambda", "put-function-concurrency", "--function-name", FN, "--reserved-concurrent-executions", "1000"],
        ["lambda", "put-function-concurrency", "--function-name", FN, "--reserved-concurrent-executions", "3"],
        ["lambda", "get-function-concurrency", "--function-name", FN],                              # 17
        ["lambda", "get-account-settings"],
        ["lambda", "delete-function-concurrency", "--function-name", FN],                           # 19
        ["lambda", "get-account-settings"],
        # CLI v1 sends `aws sqs` to AWS's queue endpoint of the region (queue.amazonaws.com in us-east-1; 26
        # regions, awscli/customizations/overridesslcommonname.py) unless --endpoint-url is on the command line:
        # AWS_ENDPOINT_URL is ignored there, so SQS calls name it.
        ["sqs", "create-queue", "--queue-name", "jobs", "--endpoint-url", aws.endpoint],         # 21
        ["lambda", "create-event-source-mapping", "--function-name", FN, "--batch-size", "5",
         "--event-source-arn", "arn:aws:sqs:us-east-1:123456789012:jobs"],
        ["lambda", "list-event-source-mappings", "--function-name", FN],                            # 23
        ["lambda", "list-provisioned-concurrency-configs", "--function-name", FN],
        ["sqs", "send-message", "--queue-url", f"{aws.endpoint}/123456789012/jobs", "--message-body",
         "from-the-queue", "--endpoint-url", aws.endpoint],                                         # 25
        ["lambda", "wait", "function-active-v2", "--function-name", FN],
        ["lambda", "update-function-code", "--function-name", FN, "--zip-file", "fileb://function.zip"],  # 27
        ["lambda", "get-function-configuration", "--function-name", FN],
        ["lambda", "tag-resource", "--resource", f"arn:aws:lambda:us-east-1:123456789012:function:{FN}",
         "--tags", "course=workshop"],                                                              # 29
        ["lambda", "list-tags", "--resource", f"arn:aws:lambda:us-east-1:123456789012:function:{FN}"],
        ["lambda", "put-function-event-invoke-config", "--function-name", FN, "--maximum-retry-attempts", "0"],
        ["lambda", "invoke-async", "--function-name", FN, "--invoke-args", "args.json"],          # 32
        ["lambda", "create-function", "--function-name", "scratch", "--zip-file", "fileb://function.zip",
         "--handler", "app.handler", "--runtime", "python3.11", "--role", ROLE],
        ["lambda", "delete-function", "--function-name", "scratch"],                                # 34
        ["lambda", "get-function", "--function-name", "scratch"],
        ["lambda", "list-functions"],                                                               # 36
    ])


def test_create_and_read_a_function(session: list[CliResult]) -> None:
    check_shape("iam", "CreateRole", session[0].json, ("Role.Arn", "Role.RoleName", "Role.CreateDate"))
    created = check_shape("lambda", "CreateFunction", session[1].json, CONFIG)
    assert created["Runtime"] == "python3.11" and created["Role"] == ROLE and created["Version"] == "$LATEST"
    got = check_shape("lambda", "GetFunction", session[2].json, ("Configuration.FunctionName", "Code.Location"))
    assert got["Configuration"]["CodeSha256"] == created["CodeSha256"]
    listed = check_shape("lambda", "ListFunctions", session[3].json, ("Functions",))
    assert [f["FunctionName"] for f in listed["Functions"]] == [FN]


def test_invoke_sync_with_log_tail_and_async(session: list[CliResult], workdir: Path) -> None:
    sync = check_shape("lambda", "Invoke", session[4].json, ("StatusCode", "ExecutedVersion", "LogResult"))
    assert sync["StatusCode"] == 200 and sync["ExecutedVersion"] == "$LATEST"
    tail = base64.b64decode(sync["LogResult"]).decode()
    assert 'EVENT {"name": "cli"}' in tail and "REPORT RequestId:" in tail and "Billed Duration:" in tail
    assert json.loads((workdir / "sync.json").read_text())["got"] == {"name": "cli"}
    queued = check_shape("lambda", "Invoke", session[5].json, ("StatusCode",))
    assert queued["StatusCode"] == 202 and (workdir / "async.json").read_text() == ""


def test_versions_aliases_and_policy(session: list[CliResult], workdir: Path) -> None:
    updated = check_shape("lambda", "UpdateFunctionConfiguration", session[6].json, CONFIG)
    assert updated["Environment"]["Variables"] == {"STAGE": "v1"}
    version = check_shape("lambda", "PublishVersion", session[7].json, CONFIG)
    assert version["Version"] == "1" and version["Description"] == "first"
    versions = check_shape("lambda", "ListVersionsByFunction", session[8].json, ("Versions",))
    assert {v["Version"] for v in versions["Versions"]} == {"$LATEST", "1"}
    alias = check_shape("lambda", "CreateAlias", session[9].json, ("AliasArn", "Name", "FunctionVersion"))
    assert alias["AliasArn"].endswith(f":function:{FN}:live")
    assert check_shape("lambda", "GetAlias", session[10].json)["FunctionVersion"] == "1"
    assert [a["Name"] for a in check_shape("lambda", "ListAliases", session[11].json)["Aliases"]] == ["live"]
    assert check_shape("lambda", "Invoke", session[12].json)["ExecutedVersion"] == "1"
    assert json.loads((workdir / "alias.json").read_text())["stage"] == "v1"
    check_shape("lambda", "AddPermission", session[13].json, ("Statement",))
    policy = json.loads(check_shape("lambda", "GetPolicy", session[14].json, ("Policy", "RevisionId"))["Policy"])
    assert policy["Statement"][0]["Principal"] == {"Service": "apigateway.amazonaws.com"}


def test_concurrency_and_account_settings(session: list[CliResult], aws: LocalAws) -> None:
    limit = aws.cfg.concurrency_limit
    refused = cli_error(session[15])
    assert "(InvalidParameterValueException)" in refused and "PutFunctionConcurrency" in refused
    assert f"below its minimum value of [{minimum_unreserved(limit)}]" in refused  # [1] for the default 10
    assert check_shape("lambda", "PutFunctionConcurrency", session[16].json)["ReservedConcurrentExecutions"] == 3
    assert check_shape("lambda", "GetFunctionConcurrency", session[17].json)["ReservedConcurrentExecutions"] == 3
    keys = ("AccountLimit.TotalCodeSize", "AccountLimit.CodeSizeUnzipped", "AccountLimit.CodeSizeZipped",
            "AccountLimit.ConcurrentExecutions", "AccountLimit.UnreservedConcurrentExecutions",
            "AccountUsage.TotalCodeSize", "AccountUsage.FunctionCount")
    reserved = check_shape("lambda", "GetAccountSettings", session[18].json, keys)
    assert reserved["AccountLimit"]["ConcurrentExecutions"] == limit
    assert reserved["AccountLimit"]["UnreservedConcurrentExecutions"] == limit - 3
    usage = reserved["AccountUsage"]  # $LATEST and version 1 each store the package, as AWS counts them
    assert usage["FunctionCount"] == 1 and usage["TotalCodeSize"] == 2 * len(zip_of({"app.py": HANDLER}))
    assert session[19].rc == 0
    freed = check_shape("lambda", "GetAccountSettings", session[20].json, keys)
    assert freed["AccountLimit"]["UnreservedConcurrentExecutions"] == limit


def test_event_source_mapping_and_logs(session: list[CliResult], cli: Cli,
                                       aws: LocalAws, client: Callable[[str], Any]) -> None:
    check_shape("sqs", "CreateQueue", session[21].json, ("QueueUrl",))
    mapping = check_shape("lambda", "CreateEventSourceMapping", session[22].json,
                          ("UUID", "EventSourceArn", "FunctionArn", "BatchSize", "State"))
    assert mapping["BatchSize"] == 5
    listed = check_shape("lambda", "ListEventSourceMappings", session[23].json, ("EventSourceMappings",))
    assert [m["UUID"] for m in listed["EventSourceMappings"]] == [mapping["UUID"]]
    check_shape("sqs", "SendMessage", session[25].json, ("MessageId", "MD5OfMessageBody"))
    deadline = time.monotonic() + 30  # sync, async, alias and the SQS batch: wait for their billing records
    while len(aws.invocations()) < 4 and time.monotonic() < deadline:
        time.sleep(0.2)
    group = f"/aws/lambda/{FN}"
    stream = client("logs").describe_log_streams(logGroupName=group)["logStreams"][0]["logStreamName"]
    found = cli([["lambda", "get-event-source-mapping", "--uuid", mapping["UUID"]],
                 ["logs", "describe-log-streams", "--log-group-name", group],
                 ["logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", "REPORT"],
                 ["logs", "filter-log-events", "--log-group-name", group, "--filter-pattern", "from-the-queue"],
                 ["logs", "get-log-events", "--log-group-name", group, "--log-stream-name", stream]])
    check_shape("lambda", "GetEventSourceMapping", found[0].json, ("UUID", "State"))
    streams = check_shape("logs", "DescribeLogStreams", found[1].json, ("logStreams.0.logStreamName",))
    assert stream in [s["logStreamName"] for s in streams["logStreams"]]
    reports = check_shape("logs", "FilterLogEvents", found[2].json, ("events.0.message", "events.0.timestamp"))
    assert len(reports["events"]) >= 4 and all("REPORT RequestId:" in e["message"] for e in reports["events"])
    assert check_shape("logs", "FilterLogEvents", found[3].json)["events"], "the SQS batch never reached the function"
    events = check_shape("logs", "GetLogEvents", found[4].json,
                         ("events.0.message", "nextForwardToken", "nextBackwardToken"))
    assert any(e["message"].startswith("START RequestId:") for e in events["events"])


def test_code_updates_tags_and_async_settings(session: list[CliResult]) -> None:
    assert session[26].rc == 0 and session[26].stdout == ""  # the waiter returns once the function is Active
    updated = check_shape("lambda", "UpdateFunctionCode", session[27].json, CONFIG)
    current = check_shape("lambda", "GetFunctionConfiguration", session[28].json, CONFIG + ("State",))
    assert current["CodeSha256"] == updated["CodeSha256"] and current["State"] == "Active"
    assert session[29].rc == 0
    assert check_shape("lambda", "ListTags", session[30].json, ("Tags",))["Tags"] == {"course": "workshop"}
    settings = check_shape("lambda", "PutFunctionEventInvokeConfig", session[31].json, ("FunctionArn",))
    assert settings["MaximumRetryAttempts"] == 0


def test_unimplemented_operation_is_an_aws_error_naming_it(session: list[CliResult]) -> None:
    error = cli_error(session[24])
    assert error.startswith("An error occurred (NotImplementedException) when calling the "
                            "ListProvisionedConcurrencyConfigs operation"), error
    assert "Lambda ListProvisionedConcurrencyConfigs is not implemented locally" in error
    assert "<html" not in error
    deprecated = cli_error(session[32])  # moto: 202 with nothing run (Docker), or 500 ServiceException
    assert deprecated.startswith("An error occurred (NotImplementedException) when calling the InvokeAsync "
                                 "operation"), deprecated
    assert "Lambda InvokeAsync is not implemented locally" in deprecated and "--invocation-type Event" in deprecated


def test_delete_function(session: list[CliResult]) -> None:
    check_shape("lambda", "CreateFunction", session[33].json, CONFIG)
    deleted = check_shape("lambda", "DeleteFunction", session[34].json, ("StatusCode",))
    assert deleted == {"StatusCode": 204}  # the response's HTTP status, as AWS answers DeleteFunction
    gone = cli_error(session[35])
    assert "(ResourceNotFoundException) when calling the GetFunction operation" in gone and "scratch" in gone
    listed = check_shape("lambda", "ListFunctions", session[36].json, ("Functions",))
    assert [f["FunctionName"] for f in listed["Functions"]] == [FN]


def test_the_aws_executable_itself(aws: LocalAws, workdir: Path, session: list[CliResult]) -> None:
    proc = subprocess.run([aws_executable(), "lambda", "get-account-settings", "--output", "json"],
                          env=cli_env(aws.endpoint, workdir), capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    settings = check_shape("lambda", "GetAccountSettings", json.loads(proc.stdout), ("AccountUsage.FunctionCount",))
    assert settings["AccountUsage"]["FunctionCount"] == 1
