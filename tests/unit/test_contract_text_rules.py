"""The OpenAPI document's patterns and the code's checks accept exactly the same titles, tags and cursors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import videocatalog
from videocatalog.errors import ValidationError
from videocatalog.validation import encode_cursor, parse_list_query, parse_new_video

SPEC = yaml.safe_load((Path(videocatalog.__file__).parent / "openapi.yaml").read_text())
SCHEMAS = SPEC["components"]["schemas"]
TITLE_PATTERN = SCHEMAS["VideoCreate"]["properties"]["title"]["pattern"]

TITLES = ["a", "A title", "  padded  ", "\u3000\u00a0wide\u2003", "x" * 200, "  " + "x" * 200 + "\u3000",
          "x" * 201, "", "   ", "\u3000\u00a0", "tab\there", "ends\n", "\tstarts", "nel\u0085", "del\x7f",
          "zero\x00", "emoji 🎬", "\ufeffbom", "a\u2028b", "\u2028", "c1\x9f", "nbsp\u00a0inside"]


def schema_allows_title(title: str) -> bool:
    """The JSON Schema's verdict, read the ECMA way: `$` is the end of the text (no trailing newline)."""
    return re.fullmatch(TITLE_PATTERN.removeprefix("^").removesuffix("$"), title) is not None


def code_allows(body: dict) -> bool:
    try:
        parse_new_video(body)
    except ValidationError:
        return False
    return True


@pytest.mark.parametrize("title", TITLES)
def test_title_pattern_and_code_agree(title):
    assert schema_allows_title(title) == code_allows({"title": title}), repr(title)


def test_the_stored_title_is_the_trimmed_one():
    assert parse_new_video({"title": "\u3000\u00a0 Cats \u2003"}).title == "Cats"


@pytest.mark.parametrize("args,field", [({"tag": ""}, "tag"), ({"status": ""}, "status"), ({"cursor": ""}, "cursor"),
                                        ({"cursor": encode_cursor(("yesterday", "v1"))}, "cursor"),
                                        ({"cursor": encode_cursor(("2026-01-01T00:00:00Z", "a b"))}, "cursor")])
def test_empty_or_foreign_query_values_are_refused(args, field):
    with pytest.raises(ValidationError) as caught:
        parse_list_query(args)
    assert caught.value.field == field


def test_query_values_the_document_allows_are_accepted():
    cursor = encode_cursor(("2026-12-06T10:00:00.123456Z", "v0123456789abcdef0123"))
    query = parse_list_query({"q": "", "tag": "a-1", "status": "ready", "limit": "1", "cursor": cursor})
    assert query.after == ("2026-12-06T10:00:00.123456Z", "v0123456789abcdef0123") and query.q is None


def test_the_cursor_is_documented_as_a_format_and_q_carries_its_limit():
    params = SPEC["components"]["parameters"]
    assert params["Cursor"]["schema"]["format"] == "cursor"
    assert params["Q"]["schema"]["maxLength"] == 200
    assert SCHEMAS["Tag"]["minLength"] == 1


def test_405_answers_document_allow_and_created_videos_link_to_their_operations():
    assert SPEC["components"]["responses"]["MethodNotAllowed"]["headers"]["Allow"]["required"] is True
    links = SPEC["paths"]["/videos"]["post"]["responses"]["201"]["links"]
    targets = {SPEC["components"]["links"][ln["$ref"].rsplit("/", 1)[1]]["operationId"] if "$ref" in ln
               else ln["operationId"] for ln in links.values()}
    assert targets == {"uploadSource", "getVideo", "recordView", "deleteVideo"}
