"""Validation of create bodies and list queries."""

import json

import pytest

from videocatalog.errors import ValidationError
from videocatalog.validation import decode_cursor, encode_cursor, parse_json_object, parse_list_query, parse_new_video


def test_create_body_is_trimmed_and_tags_deduplicated():
    new = parse_new_video({"title": "  Cats  ", "description": "d", "tags": ["a", "b-1", "a"]})
    assert (new.title, new.description, new.tags) == ("Cats", "d", ("a", "b-1"))


@pytest.mark.parametrize("body, field", [
    ([], "body"),
    ({}, "title"),
    ({"title": "   "}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"title": 5}, "title"),
    ({"title": "t", "description": "x" * 5001}, "description"),
    ({"title": "t", "description": 1}, "description"),
    ({"title": "t", "tags": "a"}, "tags"),
    ({"title": "t", "tags": ["a"] * 21}, "tags"),
    ({"title": "t", "tags": ["Upper"]}, "tags"),
    ({"title": "t", "tags": ["x" * 51]}, "tags"),
    ({"title": "t", "tags": [""]}, "tags"),
    ({"title": "t", "tags": [3]}, "tags"),
    ({"title": "t", "colour": "red"}, "colour"),
])
def test_bad_create_bodies_name_the_field(body, field):
    with pytest.raises(ValidationError) as err:
        parse_new_video(body)
    assert err.value.field == field and err.value.status == 400


def test_limits_at_the_edges_are_accepted():
    new = parse_new_video({"title": "x" * 200, "description": "y" * 5000, "tags": ["t" * 50] * 1})
    assert len(new.title) == 200


@pytest.mark.parametrize("raw", [b"", b"not json", b"[1]", b"\xff\xfe", b'"text"'])
def test_body_must_be_a_json_object(raw):
    with pytest.raises(ValidationError) as err:
        parse_json_object(raw)
    assert err.value.field == "body"


@pytest.mark.parametrize("args, field", [
    ({"limit": "0"}, "limit"), ({"limit": "101"}, "limit"), ({"limit": "abc"}, "limit"),
    ({"limit": "-1"}, "limit"), ({"status": "done"}, "status"), ({"tag": "A"}, "tag"),
    ({"cursor": "!!!"}, "cursor"), ({"cursor": encode_cursor(("a", "b"))[:-2] + "x"}, "cursor"),
    ({"page": "2"}, "page"),
])
def test_bad_list_queries_name_the_field(args, field):
    with pytest.raises(ValidationError) as err:
        parse_list_query(args)
    assert err.value.field == field


def test_list_query_defaults_and_cursor_round_trip():
    assert parse_list_query({}).limit == 20
    cursor = encode_cursor(("2026-01-01T00:00:00.000000Z", "vabc"))
    query = parse_list_query({"cursor": cursor, "limit": "100", "q": "Cat", "status": "ready"})
    assert query.after == ("2026-01-01T00:00:00.000000Z", "vabc") and query.limit == 100
    assert decode_cursor(cursor) == query.after


@pytest.mark.parametrize("body, field", [
    ({"title": "ok \udc00"}, "title"),  # a lone surrogate: a valid JSON escape, but no store can encode it
    ({"title": "\ud800"}, "title"),
    ({"title": "ok", "description": "fine \udfff"}, "description"),
])
def test_text_that_is_not_valid_unicode_is_refused(body, field):
    with pytest.raises(ValidationError) as err:
        parse_new_video(json.loads(json.dumps(body)))  # as it arrives: JSON escapes decoded to lone surrogates
    assert err.value.field == field and err.value.message == f"{field}: must be valid Unicode text"


def test_text_with_any_valid_unicode_is_accepted():
    new = parse_new_video({"title": "Über 🎬 ok", "description": "日本語 \U0001f600"})
    assert new.title == "Über 🎬 ok"


@pytest.mark.parametrize("args, field", [
    ({"q": "cat \udc00"}, "q"),
    ({"cursor": encode_cursor(("\udc00", "vabc"))}, "cursor"),
    ({"tag": "cats\n"}, "tag"),       # `$` matched before a trailing newline
    ({"limit": "\u0663"}, "limit"),  # ARABIC-INDIC DIGIT THREE: \d and int() take it, ASCII digits only here
    ({"limit": "²"}, "limit"),
    ({"limit": "9" * 5000}, "limit"),
])
def test_list_queries_with_text_no_store_can_take_name_the_field(args, field):
    with pytest.raises(ValidationError) as err:
        parse_list_query(args)
    assert err.value.field == field


def test_a_tag_with_a_trailing_newline_is_refused_in_a_create_body():
    with pytest.raises(ValidationError) as err:
        parse_new_video({"title": "t", "tags": ["cats\n"]})
    assert err.value.field == "tags"
