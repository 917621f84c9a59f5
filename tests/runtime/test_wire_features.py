"""What a real server receives for each request feature of issue 20, judged from outside the client.

``tests/fixtures/wire/wire.yaml`` packs the features into a few operations:
credentials per security scheme (AND within a requirement, OR across them,
``security: []``), Accept and Content-Type from the declared media types and
ranges, every parameter style, form and multipart encodings, typed error
bodies, non-JSON responses and the escape hatches. It is generated once per
module and each test calls the generated client against a recording HTTP
server (``tests/support/fault_server.py``), then reads what arrived with the standard
library only (``urllib.parse``, ``email``, ``base64``, ``http.cookies``), never
with the client's own encoders, and compares it with bytes written out here
from the OpenAPI rules.
"""

from __future__ import annotations

import asyncio
import base64
import email.parser
import email.policy
import inspect
import json
import typing
from collections.abc import Callable
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.support.codegen import Generated, generate, import_package
from tests.support.fault_server import FaultServer, RecordedRequest, Reply
from tests.support.repo import FIXTURES

SPEC = FIXTURES / "wire" / "wire.yaml"
OK = Reply.json(200, {"ok": True})
NO_CONTENT = Reply(204)


@dataclass
class Wire:
    gen: Generated
    modules: dict[str, ModuleType]

    @property
    def package(self) -> ModuleType:
        return self.modules[self.gen.package]

    @property
    def models(self) -> ModuleType:
        return self.modules[f"{self.gen.package}.models"]

    @property
    def errors(self) -> ModuleType:
        return self.modules[f"{self.gen.package}.errors"]

    def env(self, argument: str) -> str:
        """The environment variable an argument falls back to, by the documented rule."""
        return f"{self.gen.package.upper()}_{argument.upper()}"

    def client(self, server: FaultServer, **credentials: Any) -> Any:
        cls = getattr(self.package, self.gen.api.client_class)
        return cls(base_url=server.url, retry=self.package.RetryPolicy.disabled(), **credentials)

    def async_client(self, server: FaultServer, **credentials: Any) -> Any:
        cls = getattr(self.package, self.gen.api.async_client_class)
        return cls(base_url=server.url, retry=self.package.RetryPolicy.disabled(), **credentials)


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Wire:
    gen = generate(SPEC, tmp_path_factory.mktemp("wire"))
    return Wire(gen, import_package(gen))


@pytest.fixture(autouse=True)
def _no_credentials_in_environment(wire: Wire, monkeypatch: pytest.MonkeyPatch) -> None:
    for scheme in wire.gen.api.security_schemes:
        for var in scheme.env_vars:
            monkeypatch.delenv(var, raising=False)


def call(
    wire: Wire, replies: list[Reply], invoke: Callable[[Any], Any], **credentials: Any
) -> tuple[RecordedRequest, Any]:
    """One call on a fresh sync client; the one request the server received and the result."""
    with FaultServer(replies) as server:
        with wire.client(server, **credentials) as client:
            result = invoke(client)
        assert server.hits == 1, server.requests
        return server.requests[0], result


def call_async(
    wire: Wire, replies: list[Reply], invoke: Callable[[Any], Any], **credentials: Any
) -> tuple[RecordedRequest, Any]:
    """Like ``call`` with the async client; ``invoke`` returns the awaitable."""

    async def run(server: FaultServer) -> Any:
        async with wire.async_client(server, **credentials) as client:
            return await invoke(client)

    with FaultServer(replies) as server:
        result = asyncio.run(run(server))
        assert server.hits == 1, server.requests
        return server.requests[0], result


def query_of(recorded: RecordedRequest) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(recorded.path).query, keep_blank_values=True, strict_parsing=False)


def raw_query_pieces(recorded: RecordedRequest) -> list[str]:
    query = urlsplit(recorded.path).query
    return sorted(query.split("&")) if query else []


def path_of(recorded: RecordedRequest) -> str:
    return urlsplit(recorded.path).path


def cookies_of(recorded: RecordedRequest) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    jar.load(recorded.headers.get("cookie", ""))
    return {name: morsel.value for name, morsel in jar.items()}


@dataclass(frozen=True)
class Part:
    name: str | None
    filename: str | None
    content_type: str | None
    payload: bytes


def multipart_parts(recorded: RecordedRequest) -> list[Part]:
    """The parts of a multipart body, read by the standard library's MIME parser."""
    content_type = recorded.headers["content-type"]
    assert content_type.startswith("multipart/form-data; boundary="), content_type
    raw = b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + recorded.body
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(raw)
    assert message.is_multipart()
    parts = []
    for part in message.iter_parts():
        assert part.get_content_disposition() == "form-data"
        parts.append(
            Part(
                part.get_param("name", header="content-disposition"),
                part.get_filename(),
                part["content-type"],
                part.get_payload(decode=True) or b"",
            )
        )
    return parts


def basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# --- Credentials -----------------------------------------------------------------


def test_credential_arguments_follow_the_naming_rule(wire: Wire) -> None:
    schemes = {s.name: s for s in wire.gen.api.security_schemes}
    assert schemes["headerKey"].arguments == ("header_key",)
    assert schemes["queryKey"].arguments == ("query_key",)
    assert schemes["cookieKey"].arguments == ("cookie_key",)
    assert schemes["bearerAuth"].arguments == ("token",)
    assert schemes["basicAuth"].arguments == ("username", "password")
    for scheme in schemes.values():
        assert scheme.env_vars == tuple(wire.env(arg) for arg in scheme.arguments)
    cls = getattr(wire.package, wire.gen.api.client_class)
    parameters = inspect.signature(cls).parameters
    for name in ("header_key", "query_key", "cookie_key", "token", "username", "password"):
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY


def test_and_requirement_sends_both_schemes(wire: Wire) -> None:
    recorded, result = call(wire, [OK], lambda c: c.auth.combined_auth(), header_key="hk-1", query_key="qk/2 +")
    assert recorded.method == "GET"
    assert recorded.path == "/auth/combined?api_key=qk%2F2%20%2B"
    assert query_of(recorded) == [("api_key", "qk/2 +")]
    assert recorded.headers["x-api-key"] == "hk-1"
    assert "authorization" not in recorded.headers
    assert "cookie" not in recorded.headers
    assert result.ok is True


def test_and_requirement_async(wire: Wire) -> None:
    recorded, _ = call_async(wire, [OK], lambda c: c.auth.combined_auth(), header_key="hk-a", query_key="qk-a")
    assert recorded.path == "/auth/combined?api_key=qk-a"
    assert recorded.headers["x-api-key"] == "hk-a"
    assert "authorization" not in recorded.headers


def test_or_picks_the_first_alternative_fully_given(wire: Wire) -> None:
    # All of the first alternative given: only it is sent, not the bearer token too.
    recorded, _ = call(
        wire,
        [OK],
        lambda c: c.auth.combined_auth(),
        header_key="hk",
        query_key="qk",
        token="tok",
        username="u",
        password="p",
    )
    assert recorded.path == "/auth/combined?api_key=qk"
    assert recorded.headers["x-api-key"] == "hk"
    assert "authorization" not in recorded.headers
    # First alternative only half given, second fully given: the second wins, alone.
    recorded, _ = call(wire, [OK], lambda c: c.auth.combined_auth(), header_key="hk", token="tok")
    assert recorded.path == "/auth/combined"
    assert recorded.headers["authorization"] == "Bearer tok"
    assert "x-api-key" not in recorded.headers


def test_basic_alternative_sends_the_rfc7617_header(wire: Wire) -> None:
    recorded, _ = call(wire, [OK], lambda c: c.auth.combined_auth(), username="ada", password="pä:ss")
    assert recorded.headers["authorization"] == basic("ada", "pä:ss")
    scheme, _, encoded = recorded.headers["authorization"].partition(" ")
    assert scheme == "Basic"
    assert base64.b64decode(encoded).decode() == "ada:pä:ss"
    assert recorded.path == "/auth/combined"
    assert "x-api-key" not in recorded.headers


def test_partial_and_sends_what_is_given(wire: Wire) -> None:
    recorded, _ = call(wire, [OK], lambda c: c.auth.combined_auth(), header_key="only-header")
    assert recorded.path == "/auth/combined"
    assert recorded.headers["x-api-key"] == "only-header"
    assert "authorization" not in recorded.headers


def test_no_usable_credential_raises_before_sending(wire: Wire) -> None:
    with FaultServer([OK]) as server:
        # The cookie key is a credential, but not one combinedAuth accepts.
        with wire.client(server, cookie_key="ck-SECRET-9") as client:
            with pytest.raises(wire.package.MissingCredentialsError) as caught:
                client.auth.combined_auth()
        assert server.hits == 0
    message = str(caught.value)
    for hint in ("header_key=", "query_key=", "token=", "username=", "password="):
        assert hint in message, message
    for var in (wire.env("header_key"), wire.env("query_key"), wire.env("token")):
        assert var in message, message
    assert "SECRET-9" not in message
    assert isinstance(caught.value, wire.package.ApiError)


def test_no_credentials_at_all_is_refused_by_the_constructor(wire: Wire) -> None:
    with FaultServer([OK]) as server:
        with pytest.raises(wire.package.MissingCredentialsError) as caught:
            wire.client(server)
        assert server.hits == 0
    assert "token=" in str(caught.value)


def test_basic_needs_both_halves(wire: Wire) -> None:
    with FaultServer([OK]) as server:
        with pytest.raises(wire.package.MissingCredentialsError):
            wire.client(server, username="ada")
        assert server.hits == 0


def test_empty_security_sends_no_credential(wire: Wire) -> None:
    recorded, result = call(
        wire,
        [NO_CONTENT],
        lambda c: c.auth.public_ping(),
        header_key="hk",
        query_key="qk",
        cookie_key="ck",
        token="tok",
        username="u",
        password="p",
    )
    assert recorded.path == "/auth/public"
    assert not {"authorization", "x-api-key", "cookie"} & set(recorded.headers)
    assert result is None


def test_cookie_scheme_and_cookie_parameter(wire: Wire) -> None:
    recorded, _ = call(wire, [OK], lambda c: c.auth.cookie_auth(theme="dark mode"), cookie_key="ck-1")
    assert recorded.path == "/auth/cookie"
    assert cookies_of(recorded) == {"theme": "dark%20mode", "session": "ck-1"}
    assert "authorization" not in recorded.headers
    assert "x-api-key" not in recorded.headers


def test_credentials_fall_back_to_environment_variables(wire: Wire, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(wire.env("token"), "env-token")
    recorded, _ = call(wire, [OK], lambda c: c.auth.combined_auth())
    assert recorded.headers["authorization"] == "Bearer env-token"
    monkeypatch.delenv(wire.env("token"))
    monkeypatch.setenv(wire.env("header_key"), "env-hk")
    monkeypatch.setenv(wire.env("query_key"), "env-qk")
    recorded, _ = call(wire, [OK], lambda c: c.auth.combined_auth())
    assert recorded.path == "/auth/combined?api_key=env-qk"
    assert recorded.headers["x-api-key"] == "env-hk"
    monkeypatch.delenv(wire.env("header_key"))
    monkeypatch.delenv(wire.env("query_key"))
    monkeypatch.setenv(wire.env("username"), "env-user")
    monkeypatch.setenv(wire.env("password"), "env-pass")
    recorded, _ = call(wire, [OK], lambda c: c.auth.combined_auth())
    assert recorded.headers["authorization"] == basic("env-user", "env-pass")
    # An argument wins over its variable.
    monkeypatch.setenv(wire.env("token"), "env-token")
    recorded, _ = call(wire, [OK], lambda c: c.auth.combined_auth(), token="arg-token")
    assert recorded.headers["authorization"] == "Bearer arg-token"


def test_repr_shows_no_secret(wire: Wire) -> None:
    secrets = {
        "header_key": "s3cr3t-h",
        "query_key": "s3cr3t-q",
        "cookie_key": "s3cr3t-c",
        "token": "s3cr3t-t",
        "username": "s3cr3t-u",
        "password": "s3cr3t-p",
    }
    with FaultServer() as server:
        with wire.client(server, **secrets) as client:
            text = repr(client)
    assert "s3cr3t" not in text, text


# --- Accept and Content-Type -----------------------------------------------------


def test_accept_lists_declared_media_types_json_first(wire: Wire) -> None:
    hal = Reply(200, {"Content-Type": "application/hal+json"}, b'{"title":"T","_links":{"self":{"href":"/r"}}}')
    recorded, report = call(wire, [hal], lambda c: c.media.get_report(), token="t")
    assert recorded.headers["accept"] == "application/hal+json, text/plain"
    assert isinstance(report, wire.models.Report)
    assert report.title == "T"
    assert report.model_dump(by_alias=True, mode="json")["_links"] == {"self": {"href": "/r"}}

    pdf = Reply(200, {"Content-Type": "application/pdf"}, b"%PDF-1.7\x00\xff")
    recorded, data = call(wire, [pdf], lambda c: c.media.get_pdf(), token="t")
    assert recorded.headers["accept"] == "application/pdf"
    assert data == b"%PDF-1.7\x00\xff"

    recorded, _ = call(wire, [OK], lambda c: c.auth.combined_auth(), token="t")
    assert recorded.headers["accept"] == "application/json"
    recorded, _ = call(wire, [NO_CONTENT], lambda c: c.auth.public_ping(), token="t")
    assert recorded.headers["accept"] == "application/json"


def test_text_response_is_a_str(wire: Wire) -> None:
    text = Reply(200, {"Content-Type": "text/plain; charset=utf-8"}, "line 1\nlíne 2".encode())
    recorded, notes = call(wire, [text], lambda c: c.media.get_notes(), token="t")
    assert recorded.headers["accept"] == "text/plain"
    assert notes == "line 1\nlíne 2"


def test_text_answer_to_an_operation_that_also_declares_json(wire: Wire) -> None:
    """getReport declares application/hal+json and text/plain and sends ``Accept`` with both.

    A server that picks text/plain answers as the spec allows, so the client
    must hand back the text rather than fail to parse it as JSON.
    """
    text = Reply(200, {"Content-Type": "text/plain"}, b"Report: all good")
    recorded, report = call(wire, [text], lambda c: c.media.get_report(), token="t")
    assert recorded.headers["accept"] == "application/hal+json, text/plain"
    assert report == "Report: all good"


def test_json_range_body_is_sent_as_application_json(wire: Wire) -> None:
    recorded, _ = call(wire, [OK], lambda c: c.media.send_range_json(body={"name": "x", "count": 2}), token="t")
    assert recorded.method == "POST"
    assert recorded.path == "/media/patch"
    assert recorded.headers["content-type"] == "application/json"
    assert recorded.body == b'{"name":"x","count":2}'


def test_concrete_json_wins_over_a_range(wire: Wire) -> None:
    recorded, _ = call(wire, [OK], lambda c: c.media.send_both_json(body={"name": "y"}), token="t")
    assert recorded.headers["content-type"] == "application/json"
    assert recorded.body == b'{"name":"y"}'


def test_text_range_and_any_range_bodies(wire: Wire) -> None:
    recorded, result = call(wire, [NO_CONTENT], lambda c: c.media.send_text(body="héllo"), token="t")
    assert recorded.headers["content-type"] == "text/plain"
    assert recorded.body == "héllo".encode()
    assert result is None
    recorded, result = call(wire, [NO_CONTENT], lambda c: c.media.send_anything(body=b"\x00\x01\xfe"), token="t")
    assert recorded.headers["content-type"] == "application/octet-stream"
    assert recorded.body == b"\x00\x01\xfe"
    assert result is None


def test_json_body_async(wire: Wire) -> None:
    recorded, result = call_async(wire, [OK], lambda c: c.media.send_range_json(body={"count": 3}), token="t")
    assert recorded.headers["content-type"] == "application/json"
    assert recorded.body == b'{"count":3}'
    assert result.ok is True


# --- Parameter styles ------------------------------------------------------------


def test_path_label_and_matrix_styles(wire: Wire) -> None:
    Rgb = wire.models.Rgb

    def invoke(client: Any) -> Any:
        return client.params.path_styles(
            Rgb(R=100, G=200),
            label=["blue", "black"],
            label_exploded=["blue", "black"],
            matrix=Rgb(R=100, G=200),
        )

    recorded, _ = call(wire, [OK], invoke, token="t")
    # The OpenAPI "Style Examples" table: label ".blue,black" / ".blue.black",
    # matrix ";color=R,100,G,200" / ";R=100;G=200".
    assert recorded.path == "/styles/.blue,black/.blue.black/;matrix=R,100,G,200/;R=100;G=200"


def test_path_label_values_are_percent_encoded(wire: Wire) -> None:
    Rgb = wire.models.Rgb

    def invoke(client: Any) -> Any:
        return client.params.path_styles(Rgb(B=1), label=["a b", "c/d"], label_exploded=["e.f"], matrix=Rgb(B=2))

    recorded, _ = call(wire, [OK], invoke, token="t")
    assert recorded.path == "/styles/.a%20b,c%2Fd/.e.f/;matrix=B,2/;B=1"


def test_same_placeholder_twice_and_a_colon_suffix(wire: Wire) -> None:
    recorded, _ = call(wire, [OK], lambda c: c.params.download_version("f 1"), token="t")
    assert recorded.path == "/files/f%201/versions/f%201:download"


def test_query_styles(wire: Wire) -> None:
    Rgb = wire.models.Rgb

    def invoke(client: Any) -> Any:
        return client.params.search(
            filter_=Rgb(R=1, G=2),
            tags=["a", "b c"],
            words=["x", "y"],
            sort="desc",
            limit=100,
            color=wire.models.Color.GREEN,
            code="ABC",
        )

    recorded, _ = call(wire, [OK], invoke, token="t")
    assert path_of(recorded) == "/search"
    assert raw_query_pieces(recorded) == sorted(
        [
            "filter%5BR%5D=1",
            "filter%5BG%5D=2",
            "tags=a%7Cb%20c",
            "words=x%20y",
            "sort=desc",
            "limit=100",
            "color=green",
            "code=ABC",
        ]
    )
    assert sorted(query_of(recorded)) == sorted(
        [
            ("filter[R]", "1"),
            ("filter[G]", "2"),
            ("tags", "a|b c"),
            ("words", "x y"),
            ("sort", "desc"),
            ("limit", "100"),
            ("color", "green"),
            ("code", "ABC"),
        ]
    )


def test_query_allow_reserved(wire: Wire) -> None:
    recorded, _ = call(wire, [OK], lambda c: c.params.search(next_="a/b?c:d@e"), token="t")
    assert recorded.path == "/search?next=a/b?c:d@e"
    recorded, _ = call(wire, [OK], lambda c: c.params.search(next_="a&b=c d"), token="t")
    assert recorded.path == "/search?next=a%26b%3Dc%20d"


def test_query_styles_async(wire: Wire) -> None:
    recorded, _ = call_async(wire, [OK], lambda c: c.params.search(tags=["p", "q"], filter_={"B": 3}), token="t")
    assert raw_query_pieces(recorded) == ["filter%5BB%5D=3", "tags=p%7Cq"]


def test_header_styles(wire: Wire) -> None:
    Rgb = wire.models.Rgb

    def invoke(client: Any) -> Any:
        return client.params.send_headers(x_filter=Rgb(R=100, G=200), x_plain=Rgb(R=100, G=200), x_ids=[3, 4])

    recorded, _ = call(wire, [OK], invoke, token="t")
    assert recorded.headers["x-filter"] == "R=100,G=200"
    assert recorded.headers["x-plain"] == "R,100,G,200"
    assert recorded.headers["x-ids"] == "3,4"
    # Accept and Authorization are the client's, not parameters.
    assert recorded.headers["accept"] == "application/json"
    assert recorded.headers["authorization"] == "Bearer t"


def test_accept_and_authorization_header_parameters_are_ignored(wire: Wire) -> None:
    for cls_name in ("ParamsResource", "AsyncParamsResource"):
        cls = getattr(wire.modules[f"{wire.gen.package}.api.params"], cls_name)
        parameters = inspect.signature(cls.send_headers).parameters
        assert {"x_filter", "x_plain", "x_ids"} <= set(parameters)
        assert not {"accept", "authorization", "accept_", "authorization_"} & set(parameters)
    ignored = [d for d in wire.gen.diagnostics.items if d.code == "ignored-header-parameter"]
    assert sorted(d.pointer for d in ignored) == [
        "/paths/~1headers/get/parameters/3",
        "/paths/~1headers/get/parameters/4",
    ]
    assert all(d.level.value == "warning" for d in ignored)
    assert "'Accept'" in ignored[0].message or "'Accept'" in ignored[1].message


def test_parameter_types(wire: Wire) -> None:
    cls = wire.modules[f"{wire.gen.package}.api.params"].ParamsResource
    hints = typing.get_type_hints(cls.search)
    sort = [a for a in typing.get_args(hints["sort"]) if a is not type(None)]
    assert len(sort) == 1 and typing.get_origin(sort[0]) is typing.Literal
    assert typing.get_args(sort[0]) == ("asc", "desc")
    assert wire.models.Color in typing.get_args(hints["color"])
    assert wire.models.Rgb in typing.get_args(hints["filter_"])
    assert int in typing.get_args(hints["limit"])


@pytest.mark.parametrize(
    ("kwargs", "loc", "keyword"),
    [
        ({"limit": 0}, ("query", "limit"), "minimum"),
        ({"limit": 101}, ("query", "limit"), "maximum"),
        ({"sort": "up"}, ("query", "sort"), "enum"),
        ({"code": "abc"}, ("query", "code"), "pattern"),
        ({"code": "AB"}, ("query", "code"), "minLength"),
        ({"color": "purple"}, ("query", "color"), "enum"),
    ],
)
def test_parameter_checks_refuse_before_sending(
    wire: Wire, kwargs: dict[str, Any], loc: tuple[str, str], keyword: str
) -> None:
    with FaultServer([OK]) as server:
        with wire.client(server, token="t") as client:
            with pytest.raises(wire.package.RequestValidationError) as caught:
                client.params.search(**kwargs)
        assert server.hits == 0
    found = {(tuple(e["loc"]), e["type"]) for e in caught.value.errors}
    assert (loc, keyword) in found, caught.value.errors


def test_parameter_checks_accept_the_bounds(wire: Wire) -> None:
    recorded, _ = call(wire, [OK], lambda c: c.params.search(limit=1, sort="asc"), token="t")
    assert raw_query_pieces(recorded) == ["limit=1", "sort=asc"]


# --- Bodies ----------------------------------------------------------------------


def test_form_body_follows_its_encoding(wire: Wire) -> None:
    body = {"name": "Ada Lovelace", "metadata": {"order": "1", "k y": "v&w"}, "tags": ["a", "b"]}
    recorded, _ = call(wire, [OK], lambda c: c.bodies.submit_form(body=body), token="t")
    assert recorded.headers["content-type"] == "application/x-www-form-urlencoded"
    assert recorded.body == (b"name=Ada%20Lovelace&metadata%5Border%5D=1&metadata%5Bk%20y%5D=v%26w&tags=a&tags=b")
    assert parse_qsl(recorded.body.decode(), strict_parsing=True) == [
        ("name", "Ada Lovelace"),
        ("metadata[order]", "1"),
        ("metadata[k y]", "v&w"),
        ("tags", "a"),
        ("tags", "b"),
    ]
    assert b"metadata={" not in recorded.body and b"metadata=%7B" not in recorded.body


def test_form_body_from_a_model_async(wire: Wire) -> None:
    model = wire.models.FormBody(name="n", metadata={"order": "2"})
    recorded, _ = call_async(wire, [OK], lambda c: c.bodies.submit_form(body=model), token="t")
    assert recorded.body == b"name=n&metadata%5Border%5D=2"


def test_multipart_binary_once_and_arrays_as_repeated_parts(wire: Wire) -> None:
    body = {"file": b"%PDF\x00\xff", "tags": ["x", "y"], "note": "hi"}
    recorded, _ = call(wire, [OK], lambda c: c.bodies.upload(body=body), token="t")
    parts = multipart_parts(recorded)
    assert [p.name for p in parts].count("file") == 1
    (file_part,) = [p for p in parts if p.name == "file"]
    assert file_part.filename == "file"
    assert file_part.content_type == "application/octet-stream"
    assert file_part.payload == b"%PDF\x00\xff"
    assert [(p.payload, p.filename) for p in parts if p.name == "tags"] == [(b"x", None), (b"y", None)]
    assert [p.payload for p in parts if p.name == "note"] == [b"hi"]
    assert sorted(p.name or "" for p in parts) == ["file", "note", "tags", "tags"]


def test_multipart_file_object_and_one_item_array(wire: Wire, tmp_path: Path) -> None:
    source = tmp_path / "report.pdf"
    source.write_bytes(b"%PDF-file")
    with source.open("rb") as handle:
        body = {"file": handle, "tags": ["only"]}
        recorded, _ = call(wire, [OK], lambda c: c.bodies.upload(body=body), token="t")
    parts = multipart_parts(recorded)
    assert [(p.name, p.filename, p.payload) for p in parts] == [
        ("file", "report.pdf", b"%PDF-file"),
        ("tags", None, b"only"),
    ]


def test_read_only_property_left_out_of_request_model(wire: Wire) -> None:
    warnings = {d.pointer: d for d in wire.gen.diagnostics.items if d.code == "required-and-read-only"}
    assert set(warnings) == {
        "/components/schemas/Thing/properties/id",
        "/components/schemas/NewThing/properties/amount",
    }
    with FaultServer([OK]) as server:
        with wire.client(server, token="t") as client:
            with pytest.raises(wire.package.RequestValidationError) as caught:
                client.things.put_thing("t1", body={"id": "t1", "name": "n"})
        assert server.hits == 0
    assert "Read-only field" in str(caught.value)
    thing = Reply.json(200, {"id": "t1", "name": "n"})
    recorded, result = call(wire, [thing], lambda c: c.things.put_thing("t1", body={"name": "n"}), token="t")
    assert recorded.method == "PUT"
    assert recorded.body == b'{"name":"n"}'
    assert result.id == "t1"


def test_read_only_property_of_a_request_only_schema_can_be_sent(wire: Wire) -> None:
    created = Reply.json(201, {"ok": True})
    recorded, _ = call(wire, [created], lambda c: c.things.create_thing(body={"name": "n", "amount": 5}), token="t")
    assert recorded.body == b'{"name":"n","amount":5}'
    recorded, _ = call(wire, [created], lambda c: c.things.create_thing(body={"name": "n"}), token="t")
    assert recorded.body == b'{"name":"n"}'


# --- Errors and results ----------------------------------------------------------


def test_declared_404_body_is_parsed(wire: Wire) -> None:
    error = {"code": "P0200", "description": "Not found", "field": "thingId"}
    with FaultServer([Reply.json(404, error)]) as server:
        with wire.client(server, token="t") as client:
            with pytest.raises(wire.package.NotFoundError) as caught:
                client.things.get_thing("missing")
        assert server.requests[0].path == "/things/missing"
    exc = caught.value
    assert isinstance(exc, wire.package.ApiStatusError)
    assert type(exc.parsed) is wire.models.PaymentError
    assert exc.parsed.code == "P0200"
    assert exc.parsed.field == "thingId"
    assert exc.message == "P0200: Not found"


def test_declared_404_body_is_parsed_async(wire: Wire) -> None:
    error = {"code": "P0200", "description": "Not found"}

    async def run(server: FaultServer) -> BaseException:
        async with wire.async_client(server, token="t") as client:
            with pytest.raises(wire.package.NotFoundError) as caught:
                await client.things.get_thing("missing")
            return caught.value

    with FaultServer([Reply.json(404, error)]) as server:
        exc = asyncio.run(run(server))
    assert type(exc.parsed) is wire.models.PaymentError
    assert exc.message == "P0200: Not found"


def test_default_error_body_is_parsed_for_a_500(wire: Wire) -> None:
    problem = {"title": "Server error", "detail": "It broke", "status": 500}
    with FaultServer([Reply.json(500, problem)]) as server:
        with wire.client(server, token="t") as client:
            with pytest.raises(wire.package.InternalServerError) as caught:
                client.things.get_thing("x")
        assert server.hits == 1
    assert type(caught.value.parsed) is wire.models.Problem
    assert caught.value.parsed.status == 500
    assert caught.value.message == "It broke"


def test_default_error_body_is_parsed_for_a_409(wire: Wire) -> None:
    problem = {"title": "Conflict", "detail": "Already there"}
    with FaultServer([Reply.json(409, problem)]) as server:
        with wire.client(server, token="t") as client:
            with pytest.raises(wire.package.ConflictError) as caught:
                client.things.get_thing("x")
    assert type(caught.value.parsed) is wire.models.Problem
    assert caught.value.message == "Already there"


# --- Escape hatches --------------------------------------------------------------


def test_extra_query_headers_and_body(wire: Wire) -> None:
    def invoke(client: Any) -> Any:
        return client.media.send_both_json(
            body={"name": "n"},
            extra_query={"trace": "a b", "n": 2},
            extra_headers={"X-Trace": "t-1"},
            extra_body={"flag": True, "nested": {"k": [1]}},
        )

    recorded, _ = call(wire, [OK], invoke, token="t")
    assert recorded.path == "/media/both?trace=a%20b&n=2"
    assert recorded.headers["x-trace"] == "t-1"
    assert recorded.headers["content-type"] == "application/json"
    assert recorded.body == b'{"name":"n","flag":true,"nested":{"k":[1]}}'


def test_extra_query_values_are_form_encoded(wire: Wire) -> None:
    recorded, _ = call(
        wire,
        [OK],
        lambda c: c.params.search(sort="asc", extra_query={"ids": [1, 2], "q": "a&b", "on": True}),
        token="t",
    )
    assert recorded.path == "/search?sort=asc&ids=1&ids=2&q=a%26b&on=true"


def test_extra_query_after_declared_and_security_parameters(wire: Wire) -> None:
    recorded, _ = call(
        wire,
        [OK],
        lambda c: c.params.search(limit=5, extra_query={"x": "1"}),
        header_key="hk",
        query_key="qk",
    )
    assert query_of(recorded) == [("limit", "5"), ("api_key", "qk"), ("x", "1")]


def test_extra_body_collision_is_refused_before_sending(wire: Wire) -> None:
    with FaultServer([OK]) as server:
        with wire.client(server, token="t") as client:
            with pytest.raises(wire.package.RequestValidationError) as caught:
                client.media.send_both_json(body={"name": "n"}, extra_body={"name": "other"})
            # Declared by the model though not set by the caller: still a collision.
            with pytest.raises(wire.package.RequestValidationError):
                client.media.send_both_json(body={"name": "n"}, extra_body={"count": 1})
            with pytest.raises(wire.package.RequestValidationError):
                client.bodies.submit_form(body={"name": "n"}, extra_body={"name": "x"})
        assert server.hits == 0
    assert "name" in str(caught.value)


def test_extra_body_on_a_form_body(wire: Wire) -> None:
    recorded, _ = call(
        wire, [OK], lambda c: c.bodies.submit_form(body={"name": "n"}, extra_body={"expand": "a b"}), token="t"
    )
    assert recorded.body == b"name=n&expand=a%20b"


def test_extra_body_without_a_declared_body_is_a_json_object(wire: Wire) -> None:
    recorded, _ = call(wire, [OK], lambda c: c.auth.combined_auth(extra_body={"k": 1}), token="t")
    assert recorded.method == "GET"
    assert recorded.headers["content-type"] == "application/json"
    assert json.loads(recorded.body) == {"k": 1}


def test_raw_request(wire: Wire) -> None:
    reply = Reply.json(200, {"id": "r1"})
    recorded, response = call(
        wire,
        [reply],
        lambda c: c.raw_request(
            "POST", "/v2/raw", query={"q": "a b"}, json_body={"x": [1, 2]}, extra_headers={"X-Raw": "1"}
        ),
        header_key="hk",
        query_key="qk",
    )
    assert recorded.method == "POST"
    assert sorted(query_of(recorded)) == [("api_key", "qk"), ("q", "a b")]
    assert recorded.headers["x-api-key"] == "hk"
    assert recorded.headers["x-raw"] == "1"
    assert recorded.headers["content-type"] == "application/json"
    assert json.loads(recorded.body) == {"x": [1, 2]}
    assert response.parsed == {"id": "r1"}
    assert response.http_response.status_code == 200


def test_raw_request_results_by_media_type(wire: Wire) -> None:
    text = Reply(200, {"Content-Type": "text/csv"}, b"a,b\n")
    _, response = call(wire, [text], lambda c: c.raw_request("GET", "/v2/csv"), token="t")
    assert response.parsed == "a,b\n"
    binary = Reply(200, {"Content-Type": "image/png"}, b"\x89PNG")
    _, response = call(wire, [binary], lambda c: c.raw_request("GET", "/v2/png"), token="t")
    assert response.parsed == b"\x89PNG"
    problem = Reply(200, {"Content-Type": "application/problem+json"}, b'{"a":1}')
    _, response = call(wire, [problem], lambda c: c.raw_request("GET", "/v2/p"), token="t")
    assert response.parsed == {"a": 1}
    recorded, response = call(wire, [NO_CONTENT], lambda c: c.raw_request("DELETE", "/v2/x"), token="t")
    assert recorded.method == "DELETE"
    assert recorded.headers["authorization"] == "Bearer t"
    assert response.parsed is None


def test_raw_request_errors_and_security(wire: Wire) -> None:
    with FaultServer([Reply.json(404, {"error": {"message": "nope"}})]) as server:
        with wire.client(server, token="t") as client:
            with pytest.raises(wire.package.NotFoundError):
                client.raw_request("GET", "/v2/none")
        assert server.hits == 1
    recorded, _ = call(
        wire, [OK], lambda c: c.raw_request("GET", "/v2/public", security=()), token="t", cookie_key="ck"
    )
    assert "authorization" not in recorded.headers
    assert "cookie" not in recorded.headers
    recorded, _ = call(
        wire, [OK], lambda c: c.raw_request("GET", "/v2/c", security=(("cookieKey",),)), token="t", cookie_key="ck"
    )
    assert cookies_of(recorded) == {"session": "ck"}
    assert "authorization" not in recorded.headers


def test_raw_request_retries_like_an_operation(wire: Wire) -> None:
    policy = wire.package.RetryPolicy(max_attempts=2, backoff_initial=0.01, backoff_max=0.01, jitter=False)
    cls = getattr(wire.package, wire.gen.api.client_class)
    with FaultServer([Reply(503, {"Retry-After": "0"}), OK]) as server:
        with cls(base_url=server.url, retry=policy, token="t") as client:
            response = client.raw_request("GET", "/v2/flaky")
        assert server.hits == 2
        assert [r.path for r in server.requests] == ["/v2/flaky", "/v2/flaky"]
    assert response.parsed == {"ok": True}
    assert response.attempts == 2


def test_raw_request_async(wire: Wire) -> None:
    recorded, response = call_async(wire, [OK], lambda c: c.raw_request("GET", "/v2/a", query={"n": 1}), token="t")
    assert recorded.path == "/v2/a?n=1"
    assert response.parsed == {"ok": True}


# --- Streaming a large download (issue 20) ---------------------------------------------------------


def test_stream_reads_a_download_in_pieces(wire: Wire) -> None:
    """stream(method) sends the same request and leaves the 2xx body unread, to be read in chunks."""
    body = bytes(range(256)) * 4096  # 1 MiB
    pdf = Reply(200, {"Content-Type": "application/pdf"}, body)
    with FaultServer([pdf]) as server, wire.client(server, token="t") as client:
        with wire.package.stream(client.media.get_pdf)() as response:
            assert isinstance(response, wire.package.StreamedResponse)
            assert not response.http_response.is_stream_consumed
            chunks = list(response.iter_bytes(65536))
        assert b"".join(chunks) == body and len(chunks) > 1
        assert response.http_response.is_closed
        assert server.requests[0].headers["accept"] == "application/pdf"


def test_stream_raises_status_errors_and_retries_as_the_method_does(wire: Wire) -> None:
    missing = Reply.json(404, {"code": "P0200", "description": "Not found", "field": "id"})
    with FaultServer([missing]) as server, wire.client(server, token="t") as client:
        with pytest.raises(wire.package.NotFoundError) as caught:
            wire.package.stream(client.media.get_pdf)()
        assert caught.value.status_code == 404
    busy = Reply(503, {"Retry-After": "0"}, b"")
    pdf = Reply(200, {"Content-Type": "application/pdf"}, b"%PDF")
    with FaultServer([busy, pdf]) as server:
        cls = getattr(wire.package, wire.gen.api.client_class)
        with cls(base_url=server.url, token="t") as client:
            client._sleep = lambda seconds: None
            with wire.package.stream(client.media.get_pdf)() as response:
                assert response.attempts == 2 and b"".join(response.iter_bytes()) == b"%PDF"
        assert server.hits == 2


def test_astream_reads_a_download_in_pieces(wire: Wire) -> None:
    body = b"x" * 200_000

    async def run(server: FaultServer) -> bytes:
        async with wire.async_client(server, token="t") as client:
            async with await wire.package.astream(client.media.get_pdf)() as response:
                return b"".join([chunk async for chunk in response.aiter_bytes(8192)])

    with FaultServer([Reply(200, {"Content-Type": "application/pdf"}, body)]) as server:
        assert asyncio.run(run(server)) == body
