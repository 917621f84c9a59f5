"""How the testing fake reads requests (_fake_checks.py) and routes them (_fake.py), on hand-made specs.

The generated fakes are tested through clients in tests/test_testing_*.py; here
each parameter style and schema keyword the fake checks is pinned on its own,
with requests built as the client's encoders build them, and routing on
templates the Northflank spec does not have.
"""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest
from northflank_jobs._encoding import ParamEncoding, encode_body, encode_query
from northflank_jobs._fake import FakeApi, OperationSpec, ResponseSpec, Route
from northflank_jobs._fake_checks import BodySpec, ParamSpec, Refusal, read_body, read_params
from northflank_jobs._models import ApiModel


def _param(name: str, location: str, schema: dict[str, Any], **options: Any) -> ParamSpec:
    style = options.pop("style", "form" if location in ("query", "cookie") else "simple")
    explode = options.pop("explode", style == "form")
    return ParamSpec(name, name.lower(), location, options.pop("required", False), style, explode, json.dumps(schema))


def _query_request(param: ParamSpec, value: Any) -> httpx.Request:
    query = encode_query(
        {param.wire_name: value}, [ParamEncoding(param.wire_name, "query", param.style, param.explode)]
    )
    return httpx.Request("GET", "https://api.test/items?" + query)


def _read(params: tuple[ParamSpec, ...], request: httpx.Request, path: dict[str, str] | None = None) -> Any:
    return read_params(params, path or {}, request, invalid_status=422)


@pytest.mark.parametrize(
    ("schema", "style", "explode", "value"),
    [
        ({"type": ["integer"]}, "form", True, 7),
        ({"type": ["number"]}, "form", True, 2.5),
        ({"type": ["number"]}, "form", True, 3),
        ({"type": ["boolean"]}, "form", True, False),
        ({"type": ["string"]}, "form", True, "a b,c"),
        ({"type": ["array"], "items": {"type": ["integer"]}}, "form", True, [1, 2]),
        ({"type": ["array"], "items": {"type": ["integer"]}}, "form", False, [1, 2]),
        ({"type": ["array"], "items": {"type": ["string"]}}, "spaceDelimited", False, ["a", "b"]),
        ({"type": ["array"], "items": {"type": ["string"]}}, "pipeDelimited", False, ["a", "b"]),
        ({"type": ["object"]}, "deepObject", True, {"colour": "red", "size": "9"}),
        ({"type": ["object"]}, "form", False, {"colour": "red"}),
        ({"type": ["integer", "string"]}, "form", True, "seven"),
    ],
    ids=[
        "integer",
        "number",
        "integral-number",
        "boolean",
        "string",
        "form-exploded-array",
        "form-array",
        "space-delimited",
        "pipe-delimited",
        "deep-object",
        "form-object",
        "type-list",
    ],
)
def test_query_parameters_read_back_what_the_client_encoded(
    schema: dict[str, Any], style: str, explode: bool, value: Any
) -> None:
    param = _param("Filter", "query", schema, style=style, explode=explode)
    found = _read((param,), _query_request(param, value))
    assert found["query"] == {"filter": value}
    assert type(found["query"]["filter"]) is type(value)


def test_path_header_and_cookie_parameters() -> None:
    params = (
        _param("id", "path", {"type": ["integer"]}, required=True),
        _param("X-Tags", "header", {"type": ["array"], "items": {"type": ["string"]}}),
        _param("session", "cookie", {"type": ["string"]}),
        _param("absent", "header", {"type": ["string"]}),
    )
    request = httpx.Request("GET", "https://api.test/", headers={"X-Tags": "a,b", "Cookie": "other=1; session=s=1"})
    found = _read(params, request, {"id": "-12"})
    assert found == {"path": {"id": -12}, "query": {}, "header": {"x-tags": ["a", "b"]}, "cookie": {"session": "s=1"}}


@pytest.mark.parametrize(
    ("schema", "value", "keyword"),
    [
        ({"type": ["integer"]}, "1.5", "type"),
        ({"type": ["boolean"]}, "True", "type"),
        ({"type": ["integer"], "minimum": 1}, "0", "minimum"),
        ({"type": ["integer"], "exclusiveMinimum": 1}, "1", "exclusiveMinimum"),
        ({"type": ["number"], "maximum": 2}, "2.5", "maximum"),
        ({"type": ["number"], "exclusiveMaximum": 2}, "2", "exclusiveMaximum"),
        ({"type": ["number"], "multipleOf": 0.5}, "0.75", "multipleOf"),
        ({"type": ["string"], "enum": ["a", "b"]}, "c", "enum"),
        ({"type": ["integer"], "enum": [1, 2]}, "3", "enum"),
        ({"type": ["string"], "minLength": 2}, "a", "minLength"),
        ({"type": ["string"], "maxLength": 2}, "abc", "maxLength"),
        ({"type": ["string"], "pattern": ["^[a-z]+\\Z"]}, "abc\n", "pattern"),
    ],
)
def test_a_value_its_schema_refuses_is_named(schema: dict[str, Any], value: str, keyword: str) -> None:
    param = _param("q", "query", schema)
    with pytest.raises(Refusal) as caught:
        _read((param,), httpx.Request("GET", "https://api.test/", params={"q": value}))
    assert caught.value.status == 422
    [problem] = caught.value.problems
    assert (problem.location, problem.field, problem.type) == ("query", "q", keyword)


@pytest.mark.parametrize(
    ("schema", "values", "keyword"),
    [
        ({"type": ["array"], "minItems": 2}, ["a"], "minItems"),
        ({"type": ["array"], "maxItems": 1}, ["a", "b"], "maxItems"),
        ({"type": ["array"], "uniqueItems": True}, ["a", "a"], "uniqueItems"),
        ({"type": ["array"], "items": {"type": ["integer"]}}, ["1", "x"], "type"),
    ],
)
def test_arrays_are_checked_as_a_whole_and_item_by_item(
    schema: dict[str, Any], values: list[str], keyword: str
) -> None:
    param = _param("q", "query", schema)
    with pytest.raises(Refusal) as caught:
        _read((param,), httpx.Request("GET", "https://api.test/", params=[("q", v) for v in values]))
    assert [p.type for p in caught.value.problems] == [keyword]


def test_missing_required_parameters_are_all_reported_at_once() -> None:
    params = (_param("a", "query", {}, required=True), _param("B", "header", {}, required=True))
    with pytest.raises(Refusal) as caught:
        _read(params, httpx.Request("GET", "https://api.test/"))
    assert [(p.location, p.field, p.type) for p in caught.value.problems] == [
        ("query", "a", "missing"),
        ("header", "B", "missing"),
    ]
    assert "query.a: Required parameter" in caught.value.message


def test_nullable_accepts_null() -> None:
    param = _param("q", "query", {"type": ["integer", "null"]})
    assert _read((param,), httpx.Request("GET", "https://api.test/", params={"q": "null"}))["query"] == {"q": None}


# --- Bodies ------------------------------------------------------------------------


class Item(ApiModel):
    name: str
    count: int = 0
    tags: list[str] | None = None
    meta: dict[str, Any] | None = None


def _body_request(body: object, content_type: str) -> httpx.Request:
    encoded = encode_body(body, content_type)
    headers = encoded.pop("headers", {})
    request = httpx.Request("POST", "https://api.test/items", headers=headers, **encoded)
    request.read()  # as the fake's transport does before reading it
    return request


class Upload(ApiModel):
    name: str
    count: int = 0
    photo: bytes


@pytest.mark.parametrize(
    ("encoding", "content_type"), [("json", "application/json"), ("form", "application/x-www-form-urlencoded")]
)
def test_structured_bodies_are_read_into_the_model(encoding: str, content_type: str) -> None:
    item = Item(name="box", count=3, tags=["a", "b"], meta={"k": [1]})
    request = _body_request(item, content_type)
    body = read_body(BodySpec(content_type, encoding, Item, True), request, invalid_status=422)
    assert body == item and type(body) is Item


def test_a_multipart_body_is_read_into_the_model_files_as_bytes() -> None:
    upload = Upload(name="box", count=2, photo=b"\x89PNG\x00\xff")
    request = _body_request(upload, "multipart/form-data")
    body = read_body(BodySpec("multipart/form-data", "multipart", Upload, True), request, invalid_status=422)
    assert body == upload


def test_a_form_body_with_an_undeclared_key_is_refused() -> None:
    request = httpx.Request(
        "POST",
        "https://api.test/",
        content=b"name=box&colour=red",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    with pytest.raises(Refusal) as caught:
        read_body(BodySpec("application/x-www-form-urlencoded", "form", Item, True), request, invalid_status=400)
    assert caught.value.status == 400
    assert [(p.field, p.type) for p in caught.value.problems] == [("colour", "undeclared_key")]


def test_json_bodies_are_strict_and_report_every_field() -> None:
    request = _body_request('{"name": 5, "count": "3"}', "application/json")
    with pytest.raises(Refusal) as caught:
        read_body(BodySpec("application/json", "json", Item, True), request, invalid_status=422)
    assert [(p.field, p.type) for p in caught.value.problems] == [("name", "string_type"), ("count", "int_type")]


def test_text_and_binary_bodies_are_kept_as_sent() -> None:
    text = _body_request("h\u00e9llo", "text/plain; charset=utf-8")
    assert read_body(BodySpec("text/plain", "text", None, True), text, invalid_status=422) == "h\u00e9llo"
    raw = _body_request(b"\x00\xff", "application/octet-stream")
    assert (
        read_body(BodySpec("application/octet-stream", "binary", None, False), raw, invalid_status=422) == b"\x00\xff"
    )


def test_an_optional_body_may_be_left_out_and_a_body_nobody_declared_is_ignored() -> None:
    empty = httpx.Request("POST", "https://api.test/")
    assert read_body(BodySpec("application/json", "json", Item, False), empty, invalid_status=422) is None
    assert read_body(None, _body_request("{}", "application/json"), invalid_status=422) is None


def test_the_media_type_is_compared_without_parameters() -> None:
    request = _body_request('{"name": "box"}', "application/json; charset=utf-8")
    assert read_body(BodySpec("application/json", "json", Item, True), request, invalid_status=422) == Item(name="box")
    with pytest.raises(Refusal) as caught:
        read_body(
            BodySpec("application/json", "json", Item, True), _body_request("x", "text/plain"), invalid_status=422
        )
    assert caught.value.status == 415


def test_refusals_never_echo_the_value() -> None:
    request = _body_request('{"name": ["s3cr3t-value"]}', "application/json")
    with pytest.raises(Refusal) as caught:
        read_body(BodySpec("application/json", "json", Item, True), request, invalid_status=422)
    assert "s3cr3t" not in caught.value.message and "s3cr3t" not in repr(caught.value.problems)
    param = _param("q", "query", {"type": ["string"], "pattern": ["^[a-z]+$"]})
    with pytest.raises(Refusal) as refused:
        _read((param,), httpx.Request("GET", "https://api.test/", params={"q": "S3CR3T-VALUE"}))
    assert "S3CR3T" not in refused.value.message and "S3CR3T" not in repr(refused.value.problems)


# --- Routing -------------------------------------------------------------------------


def _spec(name: str, method: str, path: str) -> OperationSpec:
    params = tuple(ParamSpec(p, p, "path", True, "simple", False) for p in re.findall(r"\{([^{}]+)\}", path))
    return OperationSpec(
        name, (Route(name, method, path),), params, None, (ResponseSpec("204", "empty", None, "", "", None),)
    )


@pytest.mark.parametrize("reverse", [False, True], ids=["literal-first", "literal-last"])
def test_the_most_specific_template_wins_whatever_the_declaration_order(reverse: bool) -> None:
    specs = [
        _spec("by_id", "GET", "/things/{id}"),
        _spec("mine", "GET", "/things/mine"),
        _spec("sub", "GET", "/things/{id}/parts/{part}"),
        _spec("sub_mine", "GET", "/things/{id}/parts/mine"),
        _spec("prefixed", "GET", "/files/v{version}.json"),
    ]
    fake = FakeApi(
        tuple(reversed(specs) if reverse else specs),
        base_url="https://api.test/",
        security_schemes=(),
        default_security=(),
    )
    for path, expected in [
        ("/things/mine", ("mine", {})),
        ("/things/7", ("by_id", {"id": "7"})),
        ("/things/a%2Fb/parts/mine", ("sub_mine", {"id": "a/b"})),
        ("/things/mine/parts/p%20q", ("sub", {"id": "mine", "part": "p q"})),
        ("/files/v2.json", ("prefixed", {"version": "2"})),
    ]:
        assert fake.handle_request(httpx.Request("GET", "https://api.test" + path)).status_code == 204, path
        call = fake.calls[-1]
        assert (call.operation, call.path_params) == expected, path
    assert fake.handle_request(httpx.Request("GET", "https://api.test/things")).status_code == 404
    assert fake.handle_request(httpx.Request("GET", "https://api.test/")).status_code == 404
