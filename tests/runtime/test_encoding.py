"""Parameters and bodies go on the wire exactly as the OpenAPI serialization rules spell them.

Expectations come from outside the code under test: the OpenAPI specification's
"Style Examples" table (copied below as data), the bytes httpx actually puts in
a request, and the standard library's own parsers (``urllib.parse.parse_qsl``
for queries and form bodies, ``email`` for multipart bodies).
"""

from __future__ import annotations

import email.parser
import email.policy
import enum
import io
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, unquote

import httpx
import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st
from northflank_jobs._encoding import (
    FieldEncoding,
    ParamEncoding,
    encode_body,
    encode_cookies,
    encode_headers,
    encode_path,
    encode_query,
    to_text,
)
from northflank_jobs.errors import RequestValidationError

STRING = "blue"
ARRAY = ["blue", "black", "brown"]
OBJECT = {"R": 100, "G": 200, "B": 150}

# OpenAPI Specification 3.1.1 (and 3.0.4), section 4.8.12.4 / 4.7.12.4 "Style Examples":
# (style, explode, string, array, object); None where the table says n/a. The query styles
# are shown there prefixed with "?", dropped here because encode_query returns the query
# without it. (3.0.3 and earlier spelled label/explode=false with dots; 3.0.4 fixed that to
# RFC 6570's commas, and spells "|", "[" and "]" percent-encoded, as here.)
STYLE_EXAMPLES: list[tuple[str, bool, str | None, str | None, str | None]] = [
    ("matrix", False, ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
    ("matrix", True, ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
    ("label", False, ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    ("label", True, ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("simple", False, "blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True, "blue", "blue,black,brown", "R=100,G=200,B=150"),
    ("form", False, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("form", True, "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    ("spaceDelimited", False, None, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, None, "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"),
    ("deepObject", True, None, None, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
]
PATH_STYLES = ("matrix", "label", "simple")
QUERY_STYLES = ("form", "spaceDelimited", "pipeDelimited", "deepObject")


def _cases(styles: tuple[str, ...]) -> list[Any]:
    return [
        pytest.param(style, explode, value, expected, id=f"{style}-{'explode' if explode else 'flat'}-{kind}")
        for style, explode, *cells in STYLE_EXAMPLES
        if style in styles
        for kind, value, expected in zip(("string", "array", "object"), (STRING, ARRAY, OBJECT), cells, strict=True)
        if expected is not None
    ]


def _wire(path_and_query: str) -> bytes:
    """The request target httpx would send for ``path_and_query``."""
    with httpx.Client() as client:
        return client.build_request("GET", "https://x" + path_and_query).url.raw_path


@pytest.mark.parametrize(("style", "explode", "value", "expected"), _cases(PATH_STYLES))
def test_path_styles_match_the_spec_table(style: str, explode: bool, value: object, expected: str) -> None:
    params = [ParamEncoding("color", "path", style, explode)]
    path = encode_path("/paint/{color}", {"color": value}, params)
    assert path == "/paint/" + expected
    assert _wire(path) == ("/paint/" + expected).encode()


@pytest.mark.parametrize(("style", "explode", "value", "expected"), _cases(QUERY_STYLES))
def test_query_styles_match_the_spec_table(style: str, explode: bool, value: object, expected: str) -> None:
    query = encode_query({"color": value}, [ParamEncoding("color", "query", style, explode)])
    assert query == expected
    assert _wire("/paint?" + query) == ("/paint?" + expected).encode()


@pytest.mark.parametrize(("style", "explode", "value", "expected"), _cases(("simple",)))
def test_header_styles_match_the_spec_table(style: str, explode: bool, value: object, expected: str) -> None:
    headers = encode_headers({"color": value}, [ParamEncoding("color", "header", style, explode)])
    assert headers == {"color": expected}
    request = httpx.Request("GET", "https://x/", headers=headers)
    assert request.headers.raw[-1] == (b"color", expected.encode())


@pytest.mark.parametrize(("style", "explode", "value", "expected"), _cases(("form",)))
def test_cookie_styles_match_the_spec_table(style: str, explode: bool, value: object, expected: str) -> None:
    """Cookies are ``form`` pairs joined by ``; `` instead of ``&`` (RFC 6265's cookie-string)."""
    cookie = encode_cookies({"color": value}, [ParamEncoding("color", "cookie", style, explode)])
    assert cookie == expected.replace("&", "; ")


def test_undeclared_parameters_use_each_location_s_default_style() -> None:
    assert encode_query({"id": [3, 4, 5]}) == "id=3&id=4&id=5"  # form, exploded
    assert encode_path("/u/{id}", {"id": [3, 4, 5]}) == "/u/3,4,5"  # simple
    assert encode_headers({"X-Id": [3, 4, 5]}) == {"X-Id": "3,4,5"}  # simple
    assert encode_cookies({"id": [3, 4]}) == "id=3; id=4"  # form, exploded


def test_params_of_other_locations_do_not_change_a_parameter_s_style() -> None:
    params = [ParamEncoding("id", "path", "label", False), ParamEncoding("id", "query", "pipeDelimited", False)]
    assert encode_query({"id": [1, 2]}, params) == "id=1%7C2"
    assert encode_path("/u/{id}", {"id": [1, 2]}, params) == "/u/.1,2"
    assert encode_headers({"id": [1, 2]}, params) == {"id": "1,2"}  # simple, the header default
    assert encode_query({"id": [1, 2]}, params[:1]) == "id=1&id=2"  # form, the query default


# --- Path --------------------------------------------------------------------------


def test_the_same_placeholder_twice_and_several_in_one_segment() -> None:
    assert encode_path("/a/{id}/b/{id}", {"id": "x"}) == "/a/x/b/x"
    assert encode_path("/files/{name}:download", {"name": "r 1"}) == "/files/r%201:download"
    assert encode_path("/v/{a}{b}", {"a": "x", "b": "y"}) == "/v/xy"


def test_a_value_stays_one_segment_whatever_it_holds() -> None:
    path = encode_path("/jobs/{id}", {"id": "a/b?c#d%e f,g"})
    assert path == "/jobs/a%2Fb%3Fc%23d%25e%20f%2Cg"
    assert _wire(path) == path.encode()
    segments = httpx.URL("https://x" + path).raw_path.decode().split("/")[1:]
    assert [unquote(segment) for segment in segments] == ["jobs", "a/b?c#d%e f,g"]


def test_label_and_matrix_delimiters_stay_literal_but_values_are_encoded() -> None:
    label = [ParamEncoding("id", "path", "label", True)]
    assert encode_path("/u/{id}", {"id": ["a.b", "c d"]}, label) == "/u/.a.b.c%20d"
    matrix = [ParamEncoding("id", "path", "matrix", False)]
    assert encode_path("/u/{id}", {"id": ["3", "4;5"]}, matrix) == "/u/;id=3,4%3B5"
    assert encode_path("/u/{id}", {"id": 5}, matrix) == "/u/;id=5"


@pytest.mark.parametrize("value", ["", ".", ".."])
def test_a_dot_segment_or_an_empty_value_is_refused(value: str) -> None:
    with pytest.raises(RequestValidationError, match="job_id"):
        encode_path("/jobs/{job_id}", {"job_id": value})


def test_values_that_together_make_a_dot_segment_are_refused() -> None:
    with pytest.raises(RequestValidationError, match="'\\.\\.'"):
        encode_path("/v/{a}{b}", {"a": ".", "b": "."})
    with pytest.raises(RequestValidationError, match="id"):  # an empty label is just "."
        encode_path("/v/{id}", {"id": []}, [ParamEncoding("id", "path", "label", False)])


def test_missing_and_unknown_path_values_name_the_operation() -> None:
    with pytest.raises(ValueError, match="getJob: missing path parameter 'id'"):
        encode_path("/jobs/{id}", {}, operation_id="getJob")
    with pytest.raises(ValueError, match=r"getJob: unknown path parameters \['other'\]"):
        encode_path("/jobs/{id}", {"id": "1", "other": "2"}, operation_id="getJob")


# --- Query -------------------------------------------------------------------------


def test_form_and_deep_object_queries_read_back_with_parse_qsl() -> None:
    params = [
        ParamEncoding("filter", "query", "deepObject", True),
        ParamEncoding("ids", "query", "form", False),
    ]
    query = encode_query(
        {
            "q": "a b&c=d+e/é",
            "tag": ["x", "y,z"],
            "ids": [1, 2],
            "filter": {"role": "admin", "name": {"first": "Alex"}, "in": ["a", "b"]},
            "skip": None,
        },
        params,
    )
    assert parse_qsl(query, keep_blank_values=True) == [
        ("q", "a b&c=d+e/é"),
        ("tag", "x"),
        ("tag", "y,z"),
        ("ids", "1,2"),
        ("filter[role]", "admin"),
        ("filter[name][first]", "Alex"),
        ("filter[in]", "a"),
        ("filter[in]", "b"),
    ]
    assert "+" not in query and "%20" in query  # a space is %20, a plus is %2B


def test_deep_object_arrays_of_objects_are_indexed() -> None:
    query = encode_query({"a": {"b": [{"c": 1}, {"c": 2}]}}, [ParamEncoding("a", "query", "deepObject", True)])
    assert parse_qsl(query) == [("a[b][0][c]", "1"), ("a[b][1][c]", "2")]


def test_allow_reserved_keeps_reserved_characters_except_those_that_break_a_query() -> None:
    """``[ ] #`` are not allowed in a query; ``& = +`` would split a pair or read as a space."""
    value = "a:/?#[]@!$&'()*+,;=%20%zz b"
    reserved = encode_query({"v": value}, [ParamEncoding("v", "query", "form", True, allow_reserved=True)])
    assert reserved == "v=a:/?%23%5B%5D@!$%26'()*%2B,;%3D%20%25zz%20b"
    assert _wire("/?" + reserved) == ("/?" + reserved).encode()
    assert parse_qsl(reserved) == [("v", unquote(value))]  # the %20 triple went through as a space
    plain = encode_query({"v": value})
    assert plain == "v=a%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%2520%25zz%20b"
    assert parse_qsl(plain) == [("v", value)]


def test_none_is_left_out_and_nothing_set_is_an_empty_query() -> None:
    assert encode_query({"a": None, "b": [None, 1], "c": {"x": None, "y": 2}}) == "b=1&y=2"
    assert encode_query(None) == ""
    assert encode_query({"a": None}) == ""
    assert encode_headers({"X-A": None, "X-B": 1}) == {"X-B": "1"}
    assert encode_cookies({"a": None}) is None


class Colour(enum.Enum):
    RED = "red"


class Filter(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    first_name: str = pydantic.Field(alias="firstName")
    active: bool | None = None
    colour: Colour | None = None


def test_enums_by_value_booleans_lowercase_models_by_alias() -> None:
    assert encode_query({"c": Colour.RED, "on": True, "off": False, "d": date(2024, 1, 2)}) == (
        "c=red&on=true&off=false&d=2024-01-02"
    )
    model = Filter(first_name="Alex", active=False, colour=Colour.RED)
    deep = [ParamEncoding("f", "query", "deepObject", True)]
    assert encode_query({"f": model}, deep) == "f%5BfirstName%5D=Alex&f%5Bactive%5D=false&f%5Bcolour%5D=red"
    assert encode_query({"f": Filter(first_name="A")}, deep) == "f%5BfirstName%5D=A"  # unset: absent
    assert encode_headers({"X-F": model}, [ParamEncoding("X-F", "header", "simple", True)]) == {
        "X-F": "firstName=Alex,active=false,colour=red"
    }
    assert to_text(Colour.RED) == "red" and to_text(True) == "true"


@given(st.lists(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40), max_size=8))
def test_form_exploded_arrays_read_back_exactly(items: list[str]) -> None:
    query = encode_query({"name": items})
    assert parse_qsl(query, keep_blank_values=True) == [("name", item) for item in items]


# --- Cookies -----------------------------------------------------------------------


def test_cookie_values_are_encoded_where_rfc_6265_forbids_a_character() -> None:
    cookie = encode_cookies({"s": 'a b;c,d"é%', "ids": [1, 2]}, [ParamEncoding("ids", "cookie", "form", False)])
    assert cookie == "s=a%20b%3Bc%2Cd%22%C3%A9%25; ids=1,2"
    request = httpx.Request("GET", "https://x/", headers={"Cookie": cookie})
    assert request.headers["cookie"] == cookie


# --- Bodies ------------------------------------------------------------------------


class Job(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True)

    display_name: str = pydantic.Field(alias="displayName")
    note: str | None = None
    tags: list[str] | None = None


def _sent(encoded: dict[str, Any]) -> httpx.Request:
    request = httpx.Request("POST", "https://x/", **encoded)
    request.read()
    return request


def test_json_bodies_are_the_model_s_own_json() -> None:
    body = Job(display_name="Nightly", note=None)
    request = _sent(encode_body(body, "application/vnd.api+json"))
    assert request.content == body.model_dump_json(by_alias=True, exclude_unset=True).encode()
    assert request.content == b'{"displayName":"Nightly","note":null}'
    assert request.headers["content-type"] == "application/vnd.api+json"
    assert encode_body(None, "application/json") == {}


def test_extra_keys_merge_into_a_json_body() -> None:
    request = _sent(encode_body(Job(display_name="N"), "application/json", extra={"beta": {"x": 1}}))
    assert request.content == b'{"displayName":"N","beta":{"x":1}}'


@pytest.mark.parametrize("key", ["displayName", "display_name", "note"])
def test_extra_keys_may_not_collide_with_a_declared_field(key: str) -> None:
    """Set or not, a field the model declares belongs on the body, not in extra."""
    message = f"extra_body key '{key}' collides with a declared field; set it on the body instead"
    for media in ("application/json", "application/x-www-form-urlencoded", "multipart/form-data"):
        with pytest.raises(RequestValidationError) as caught:
            encode_body(Job(display_name="N"), media, extra={key: 1})
        assert message in str(caught.value)


def test_extra_keys_need_an_object_body() -> None:
    with pytest.raises(RequestValidationError, match="object"):
        encode_body([1, 2], "application/json", extra={"x": 1})


def test_stripe_s_deep_object_form_field() -> None:
    fields = [FieldEncoding("metadata", style="deepObject", explode=True)]
    request = _sent(encode_body({"metadata": {"order": "1"}}, "application/x-www-form-urlencoded", fields=fields))
    assert request.content == b"metadata%5Border%5D=1"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(request.content.decode()) == [("metadata[order]", "1")]


def test_deep_object_form_arrays_are_indexed_as_stripe_reads_them() -> None:
    fields = [FieldEncoding("items", style="deepObject", explode=True), FieldEncoding("expand", style="deepObject")]
    body = {"items": [{"price": "p_1", "quantity": 2}], "expand": ["a", "b"], "nested": {"a": {"b": 1}}}
    content = _sent(encode_body(body, "application/x-www-form-urlencoded", fields=fields)).content
    assert parse_qsl(content.decode()) == [
        ("items[0][price]", "p_1"),
        ("items[0][quantity]", "2"),
        ("expand[0]", "a"),
        ("expand[1]", "b"),
        ("nested", '{"a":{"b":1}}'),  # no style declared: an object goes as its JSON
    ]


def test_form_fields_without_a_style_follow_their_content_type() -> None:
    fields = [FieldEncoding("code", content_type="application/json"), FieldEncoding("ids", style="form", explode=False)]
    body = {"name": "a b+c", "on": True, "tags": ["x", "y"], "rows": [{"a": 1}], "code": "x", "ids": [1, 2], "n": None}
    content = _sent(encode_body(body, "application/x-www-form-urlencoded", fields=fields)).content
    assert parse_qsl(content.decode(), keep_blank_values=True) == [
        ("name", "a b+c"),
        ("on", "true"),
        ("tags", "x"),
        ("tags", "y"),
        ("rows", '[{"a":1}]'),
        ("code", '"x"'),
        ("ids", "1,2"),
    ]


class Upload(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(populate_by_name=True, arbitrary_types_allowed=True)

    title: str
    photo: bytes | None = None
    attachment: Any = None
    tags: list[str] | None = None
    meta: dict[str, Any] | None = None
    enabled: bool | None = None


def _parts(request: httpx.Request) -> list[tuple[str, str | None, str, bytes]]:
    """(name, filename, content type, content) of every part, as a MIME parser reads them."""
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content)
    assert message.is_multipart()
    return [
        (
            part.get_param("name", header="content-disposition"),
            part.get_filename(),
            part["content-type"] or "",
            part.get_payload(decode=True),
        )
        for part in message.iter_parts()
    ]


def test_multipart_sends_every_property_once_binary_as_files() -> None:
    body = Upload(
        title="Report",
        photo=b"\x89PNG\r\n\x00",
        attachment=io.BytesIO(b"%PDF"),
        tags=["only"],
        meta={"a": 1},
        enabled=False,
    )
    body.attachment.name = "/tmp/out/report.pdf"
    fields = [FieldEncoding("attachment", content_type="application/pdf")]
    assert _parts(_sent(encode_body(body, "multipart/form-data", fields=fields))) == [
        ("title", None, "", b"Report"),
        ("photo", "photo", "application/octet-stream", b"\x89PNG\r\n\x00"),
        ("attachment", "report.pdf", "application/pdf", b"%PDF"),
        ("tags", None, "", b"only"),  # a one-item array is still one part per item
        ("meta", None, "application/json", b'{"a":1}'),
        ("enabled", None, "", b"false"),
    ]


def test_multipart_arrays_repeat_the_part_and_extra_adds_parts() -> None:
    body = Upload(title="T", tags=["a", "b"])
    parts = _parts(_sent(encode_body(body, "multipart/form-data", extra={"blob": b"\x00", "n": 1})))
    assert [(name, filename, content) for name, filename, _, content in parts] == [
        ("title", None, b"T"),
        ("tags", None, b"a"),
        ("tags", None, b"b"),
        ("blob", "blob", b"\x00"),
        ("n", None, b"1"),
    ]


def test_multipart_part_headers_from_the_encoding_object() -> None:
    fields = [FieldEncoding("title", headers=(("X-Rate-Limit", "3"), ("Content-Type", "ignored/here")))]
    request = _sent(encode_body(Upload(title="T"), "multipart/form-data", fields=fields))
    head = f"Content-Type: {request.headers['content-type']}\r\n\r\n".encode()
    (part,) = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.content).iter_parts()
    assert part["x-rate-limit"] == "3" and part["content-type"] is None


def test_text_and_binary_bodies_go_as_given() -> None:
    text = _sent(encode_body("héllo", "text/plain; charset=utf-8"))
    assert text.content == "héllo".encode() and text.headers["content-type"] == "text/plain; charset=utf-8"
    assert _sent(encode_body(bytearray(b"\x00\x01"), "application/octet-stream")).content == b"\x00\x01"
    assert _sent(encode_body(io.BytesIO(b"raw"), "image/png")).content == b"raw"


def test_a_body_the_media_type_cannot_carry_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="Job as application/xml"):
        encode_body(Job(display_name="N"), "application/xml")
    with pytest.raises(TypeError, match="int as multipart/form-data"):
        encode_body(3, "multipart/form-data")
