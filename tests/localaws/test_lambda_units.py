"""Pure pieces of the platform: route precedence, mapping-template helpers, REPORT line, batch failures."""

from __future__ import annotations

from localaws.apigw.routes import match_route
from localaws.apigw.velocity import json_path, render
from localaws.eventsources.sqs import failed_ids
from localaws.runtime.logs import InvocationRecord, billed, billed_with_init, report_line


def test_most_specific_route_wins():
    keys = ["$default", "ANY /{proxy+}", "GET /videos/{id}", "GET /videos/trending", "POST /videos/{id}"]
    assert match_route(keys, "GET", "/videos/trending").route_key == "GET /videos/trending"
    found = match_route(keys, "GET", "/videos/abc")
    assert found.route_key == "GET /videos/{id}" and found.params == {"id": "abc"}
    assert match_route(keys, "DELETE", "/videos/abc").route_key == "ANY /{proxy+}"
    assert match_route(keys, "GET", "/").route_key == "$default"
    assert match_route(["GET /a"], "GET", "/b") is None


def test_mapping_template_helpers():
    body = b'{"title": "say \\"hi\\"", "tags": ["a", "b"], "n": {"x": 1}}'
    out = render('{"t": "$util.escapeJavaScript($input.path(\'$.title\'))", "tags": $input.json(\'$.tags\'), '
                 '"x": $input.path(\'$.n.x\'), "rid": "$context.requestId"}', body, {"requestId": "r-1"})
    assert out == '{"t": "say \\"hi\\"", "tags": ["a", "b"], "x": 1, "rid": "r-1"}'
    assert json_path({"a": [{"b": 2}]}, "$.a[0].b") == 2 and json_path({}, "$.missing") is None


def test_report_line_format_and_billing():
    # AWS's own Python example since INIT is billed: Duration 15.74 ms, Billed 147 ms, Init 130.49 ms.
    cold_billed = billed_with_init(15.74, 130.49, "success", 3000)
    rec = InvocationRecord("id-1", "f", "$LATEST", "e", "s", 0.0, 15.74, cold_billed,
                           128, 45, 130.49, billed(130.49), "success", None, "RequestResponse")
    assert report_line(rec) == ("REPORT RequestId: id-1\tDuration: 15.74 ms\tBilled Duration: 147 ms\t"
                                "Memory Size: 128 MB\tMax Memory Used: 45 MB\tInit Duration: 130.49 ms\t")
    assert billed(0.2) == 1 and billed(13.0) == 13


def test_batch_item_failures():
    batch = [{"MessageId": "m1"}, {"MessageId": "m2"}]
    assert failed_ids(b'{"batchItemFailures": [{"itemIdentifier": "m2"}]}', batch) == {"m2"}
    assert failed_ids(b'{"batchItemFailures": []}', batch) == set()
    assert failed_ids(b'{"batchItemFailures": [{"itemIdentifier": "zz"}]}', batch) is None
    assert failed_ids(b"not json", batch) is None
